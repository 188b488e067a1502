"""The "live archive" mode of bench_pages.py: pages are measured while a second process
imports a batch of new stories every few seconds, as editors feeding the archive all day do.

- ``prepare_batches``: ``--live-batches`` corpora of ``--live-batch-size`` new stories each
  (``generate_corpus.py`` with seeds of their own, so every batch is new to the archive; cached
  in the bench work directory).
- ``importer_main``: the importing process (``manage.py ingest`` per batch, one worker, every
  ``--live-interval`` seconds from the start of the previous one); it writes when each import
  started and ended to a JSON-lines file.
- ``drive``: ``--connections`` keep-alive client threads, each going round the page list
  (the hello-world floor included) for the whole period, recording every request.
- ``summarise``: per page, p50 / p95 over the whole period, and the first request of that page
  that started after each import ended (what a reader meets right after an import).
"""

from __future__ import annotations

import http.client
import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent


def prepare_batches(work: Path, batches: int, size: int, seed: int) -> list[Path]:
    out = []
    for i in range(batches):
        path = work / f"live_{size}_seed{seed + i}.tar.gz"
        if not path.exists():
            tmp = path.with_suffix(".partial.tar.gz")
            subprocess.run(
                [
                    sys.executable,
                    str(REPO / "bench" / "generate_corpus.py"),
                    "--n",
                    str(size),
                    "--out",
                    str(tmp),
                    "--seed",
                    str(seed + i),
                    "--workers",
                    "1",
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            tmp.rename(path)
        out.append(path)
    return out


def importer_main(interval: float, until: float, log_path: str, batches: list[str]) -> None:
    """Import each batch in turn, starting one every ``interval`` seconds (or as soon as the
    previous one ends, when it takes longer), none after the wall-clock time ``until``."""
    with open(log_path, "a") as log:
        for batch in batches:
            started = time.time()
            if started >= until:
                break
            proc = subprocess.run(
                [sys.executable, "manage.py", "ingest", batch, "--no-progress", "--workers", "1"],
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            ended = time.time()
            log.write(
                json.dumps(
                    {
                        "batch": Path(batch).name,
                        "start": started,
                        "end": ended,
                        "returncode": proc.returncode,
                        "summary": proc.stdout.strip().splitlines()[-1:],
                    }
                )
                + "\n"
            )
            log.flush()
            time.sleep(max(0.0, interval - (ended - started)))


def drive(base: str, paths: list[str], seconds: float, connections: int) -> list[tuple]:
    """(path, wall-clock start, milliseconds, status) of every request made."""
    records: list[tuple] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    host = urlsplit(base)

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
        mine, i = [], offset
        while time.monotonic() < deadline:
            path = paths[i % len(paths)]
            i += 1
            started, t0 = time.time(), time.perf_counter()
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
            mine.append((path, started, (time.perf_counter() - t0) * 1000, status))
        with lock:
            records.extend(mine)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return records


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def summarise(targets: list[tuple[str, str]], records: list[tuple], imports: list[dict]) -> list:
    rows = []
    for label, path in targets:
        mine = sorted((r for r in records if r[0] == path), key=lambda r: r[1])
        ok = [r for r in mine if r[3] == 200]
        if not ok:
            rows.append({"page": label, "path": path, "requests": len(mine), "ok": 0})
            continue
        latencies = [r[2] for r in ok]
        firsts = []
        for event in imports:
            after = next((r for r in ok if r[1] >= event["end"]), None)
            if after is not None:
                firsts.append(after[2])
        rows.append(
            {
                "page": label,
                "path": path,
                "requests": len(mine),
                "errors": len(mine) - len(ok),
                "p50_ms": round(statistics.median(latencies), 1),
                "p95_ms": round(_pct(latencies, 95), 1),
                "first_after_import_ms": [round(x, 1) for x in firsts],
            }
        )
    floor = rows[0].get("p95_ms")
    for row in rows:
        if floor and row.get("p95_ms") is not None:
            row["p95_vs_floor"] = round(row["p95_ms"] / floor, 1)
        firsts = row.get("first_after_import_ms")
        if firsts and row.get("p50_ms"):
            row["first_after_median_ms"] = round(statistics.median(firsts), 1)
            row["first_after_max_ms"] = max(firsts)
            row["first_after_vs_p50"] = round(max(firsts) / row["p50_ms"], 1)
    return rows


def markdown(rows: list[dict]) -> str:
    lines = [
        "| page | requests | p50 ms | p95 ms | p95 / floor | first after import: median / max ms "
        "| max first / p50 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if not r.get("p95_ms"):
            lines.append(f"| {r['page']} | {r['requests']} | no 200 | | | | |")
            continue
        firsts = (
            f"{r['first_after_median_ms']} / {r['first_after_max_ms']}"
            if "first_after_median_ms" in r
            else ""
        )
        lines.append(
            f"| {r['page']} | {r['requests']} | {r['p50_ms']} | {r['p95_ms']} | "
            f"{r.get('p95_vs_floor', '')} | {firsts} | {r.get('first_after_vs_p50', '')} |"
        )
    return "\n".join(lines)


def run_live(server_base: str, targets, env: dict, args, work: Path) -> dict:
    """Measure ``targets`` on the running server for ``--live-seconds`` while batches are
    imported into the same database; the summary and the raw import log."""
    batches = prepare_batches(work, args.live_batches, args.live_batch_size, args.live_seed)
    log_path = work / f"live_imports_{int(time.time())}.jsonl"
    importer = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--importer",
            str(args.live_interval),
            str(time.time() + args.live_seconds - args.live_interval / 2),
            str(log_path),
            *map(str, batches),
        ],
        cwd=REPO,
        env=env,
    )
    try:
        records = drive(server_base, [p for _, p in targets], args.live_seconds, args.connections)
    finally:
        importer.wait()  # none starts after the period; the last may end just after it
    imports = [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]
    return {
        "imports": imports,
        "rows": summarise(targets, records, imports),
        "requests": len(records),
    }


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--importer":
        importer_main(float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5:])
