"""Planner statistics after a large import.

The query planner picks its plans from per-table statistics (row counts, the most common
values, how selective a word is). A database that has just received most of its rows has
none, or stale ones, until ANALYZE runs: PostgreSQL's autovacuum does that a while later, if
it is on at all (on some servers it is off), and SQLite never does. Without them a search
for the most frequent word took 9.3 s on the first request instead of 0.56 s, and a
country facet 1.1 s instead of 51 ms (docs/benchmarks.md, third session).

So an import that wrote more than ``THRESHOLD_ROWS`` plus ``THRESHOLD_SHARE`` of the articles
table (autovacuum's own default rule: 50 rows + 10 %) analyses the tables an import writes,
once, after its last chunk. Smaller imports change the statistics too little to matter and
cost nothing here: not even a count.

On PostgreSQL, outside a transaction (the command, the admin's background import), that is
``VACUUM (ANALYZE)``: the vacuum also sets the visibility map of the pages just written, which
is what lets the mention tables' and the date index's index-only scans answer without a heap
fetch per row. Until autovacuum gets there (never, where it is off), the first list by person
and country of a freshly loaded 100k archive fetched 13,900 + 68,000 heap rows to count the
articles naming both (57 ms; 14 ms after the vacuum) and its facet sample 24,000 more (160 ms;
49 ms). Inside a transaction, where VACUUM cannot run, it is ANALYZE alone.
"""

from __future__ import annotations

from django.db import connection

from ..models import (
    Article,
    ArticlePerson,
    ArticlePlace,
    ImportFile,
    MonthlyCount,
    Person,
    Place,
    Section,
)

THRESHOLD_ROWS = 50
THRESHOLD_SHARE = 0.1
SQLITE_ANALYSIS_LIMIT = 1000  # rows sampled per index: ANALYZE stays fast on a big file

WRITTEN_TABLES = (Article, ArticlePerson, ArticlePlace, Person, Place, Section, MonthlyCount)


def needs_statistics(written: int) -> bool:
    """Whether ``written`` new or changed articles are enough to make the statistics stale.
    At most one query, and none for an import of ``THRESHOLD_ROWS`` or fewer."""
    if written <= THRESHOLD_ROWS:
        return False
    return written > THRESHOLD_ROWS + THRESHOLD_SHARE * Article.objects.count()


def analyze_after_import(written: int) -> list[str]:
    """ANALYZE (on PostgreSQL outside a transaction, VACUUM (ANALYZE)) the tables an import
    writes when ``written`` articles make their statistics stale (see the module docstring);
    returns the tables analysed, none when it was not needed. Runs outside the import's
    chunks: each chunk is already committed."""
    if not needs_statistics(written):
        return []
    tables = [model._meta.db_table for model in (*WRITTEN_TABLES, ImportFile)]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{verb} " + ", ".join(quote(table) for table in tables))
        elif connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
            for table in tables:
                cursor.execute("ANALYZE " + quote(table))
        else:  # another backend: its own maintenance keeps its statistics
            return []
    return tables
