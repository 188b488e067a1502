#!/usr/bin/env python
"""Table, TOAST and index sizes of a PostgreSQL archive, per table and per article.

    .venv/bin/python bench/table_sizes.py postgres://postgres@127.0.0.1:5432/na17_big

Prints a Markdown table (rows, heap, TOAST, indexes, total, bytes per article) and the
largest indexes, and writes ``bench/out/sizes_<articles>.json``. Row counts are exact
(``count(*)``); run ``VACUUM`` first so that the sizes hold no dead rows.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import psycopg2

OUT = Path(__file__).resolve().parent / "out"
TABLES = """
SELECT c.relname, greatest(c.reltuples, 0)::bigint, pg_relation_size(c.oid),
       coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0),
       pg_indexes_size(c.oid), pg_total_relation_size(c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r'
ORDER BY pg_total_relation_size(c.oid) DESC
"""
INDEXES = """
SELECT i.relname, t.relname, pg_relation_size(i.oid)
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'
ORDER BY pg_relation_size(i.oid) DESC LIMIT 12
"""


def mb(n: int) -> str:
    return f"{n / 2**20:,.1f}"


def main() -> None:
    db = psycopg2.connect(sys.argv[1])
    with db.cursor() as cur:
        cur.execute("SELECT count(*) FROM articles_article")
        (articles,) = cur.fetchone()
        cur.execute(TABLES)
        tables = [
            dict(zip(("table", "rows", "heap", "toast", "indexes", "total"), r, strict=True))
            for r in cur
        ]
        for t in tables:  # exact counts (the estimates are 0 before ANALYZE)
            cur.execute(f'SELECT count(*) FROM "{t["table"]}"')
            (t["rows"],) = cur.fetchone()
        cur.execute(INDEXES)
        indexes = [dict(zip(("index", "table", "bytes"), r, strict=True)) for r in cur]
        cur.execute("SELECT pg_database_size(current_database())")
        (database,) = cur.fetchone()
    db.close()
    OUT.mkdir(exist_ok=True)
    report = {"articles": articles, "database": database, "tables": tables, "indexes": indexes}
    (OUT / f"sizes_{articles}.json").write_text(json.dumps(report, indent=1))
    print(f"{articles:,} articles; database {mb(database)} MB\n")
    print("| table | rows | heap MB | TOAST MB | indexes MB | total MB | bytes / article |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for t in tables:
        if t["total"] < 1 << 20:
            continue
        print(
            f"| {t['table']} | {t['rows']:,} | {mb(t['heap'])} | {mb(t['toast'])} | "
            f"{mb(t['indexes'])} | {mb(t['total'])} | {t['total'] / max(articles, 1):,.0f} |"
        )
    print("\n| index | table | MB |\n|---|---|---:|")
    for i in indexes:
        print(f"| {i['index']} | {i['table']} | {mb(i['bytes'])} |")


if __name__ == "__main__":
    main()
