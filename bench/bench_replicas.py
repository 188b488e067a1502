#!/usr/bin/env python
"""Read throughput against the primary alone, then against the primary plus a hot standby,
and the share of the pages' database work that reached the standby.

    scripts/pg_standby.sh up
    .venv/bin/python bench/bench_replicas.py \\
        --database-url postgres://postgres@127.0.0.1:5432/na17_big \\
        --replica-url postgres://postgres@127.0.0.1:5433/na17_big --seconds 10

Runs ``bench_pages.py --database-url ... --no-page-cache`` twice, the second time with
``DATABASE_REPLICA_URLS`` set, so every page is rendered and its queries reach a database
(aggregates stay cached per archive version, as in production). Around each run it reads
``pg_stat_database`` for that database on both servers: transactions (one per query in
autocommit) and rows returned. Writes ``bench/out/replicas_<articles>.json`` and prints a
Markdown table. On one machine the standby shares the same cores: the figures show where the
work goes, not how it scales.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg2

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
STATS = (
    "SELECT xact_commit + xact_rollback, tup_returned + tup_fetched "
    "FROM pg_stat_database WHERE datname = current_database()"
)


def stats(url: str) -> tuple[int, int]:
    db = psycopg2.connect(url)
    try:
        with db.cursor() as cur:
            cur.execute("SELECT pg_stat_clear_snapshot()")
            cur.execute(STATS)
            return cur.fetchone()
    finally:
        db.close()


def run_pages(database_url: str, replica_url: str | None, extra: list[str]) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_REPLICA_URLS", None)
    if replica_url:
        env["DATABASE_REPLICA_URLS"] = replica_url
    cmd = [sys.executable, str(REPO / "bench" / "bench_pages.py"), "--database-url", database_url]
    subprocess.run([*cmd, "--no-page-cache", *extra], cwd=REPO, env=env, check=True)
    # bench_pages.py names its JSON after the number of articles: the newest one is this run's.
    written = max(OUT.glob("pages_postgres_*_nopagecache.json"), key=lambda p: p.stat().st_mtime)
    return json.loads(written.read_text())


def measured(label: str, database_url: str, replica_url: str, use_replica: bool, extra) -> dict:
    before = stats(database_url), stats(replica_url)
    result = run_pages(database_url, replica_url if use_replica else None, extra)
    after = stats(database_url), stats(replica_url)
    (p_x0, p_t0), (r_x0, r_t0) = before
    (p_x1, p_t1), (r_x1, r_t1) = after
    result["mode"] = label
    result["queries"] = {"primary": p_x1 - p_x0, "standby": r_x1 - r_x0}
    result["rows_read"] = {"primary": p_t1 - p_t0, "standby": r_t1 - r_t0}
    return result


def share(part: dict) -> str:
    total = part["primary"] + part["standby"]
    return f"{100 * part['standby'] / total:.1f}%" if total else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--replica-url", required=True)
    args, extra = parser.parse_known_args()
    runs = [
        measured("primary only", args.database_url, args.replica_url, False, extra),
        measured("primary + standby", args.database_url, args.replica_url, True, extra),
    ]
    articles = runs[0]["pick"]["articles"]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"replicas_{articles}.json").write_text(json.dumps(runs, indent=1))
    alone, both = runs
    print(f"\n### {articles:,} articles, page cache off ({alone['date']}, {alone['revision']})\n")
    print("| page | req/s primary | p95 ms primary | req/s primary + standby | p95 ms | load |")
    print("|---|---:|---:|---:|---:|---:|")
    for a, b in zip(alone["rows"], both["rows"], strict=True):
        if "rps" not in a or "rps" not in b:
            continue
        print(
            f"| {a['page']} | {a['rps']:.1f} | {a['p95_ms']:.1f} | {b['rps']:.1f} | "
            f"{b['p95_ms']:.1f} | {a['load_before']:.1f} / {b['load_before']:.1f} |"
        )
    for run in runs:
        print(
            f"\n{run['mode']}: queries primary {run['queries']['primary']:,}, standby "
            f"{run['queries']['standby']:,} ({share(run['queries'])} on the standby); rows read "
            f"primary {run['rows_read']['primary']:,}, standby {run['rows_read']['standby']:,} "
            f"({share(run['rows_read'])})"
        )
    print(f"\n(JSON: bench/out/replicas_{articles}.json)")


if __name__ == "__main__":
    main()
