"""Planner statistics after a large import: an import that writes more than 50 rows plus a
tenth of the articles table ANALYZEs the tables it writes; a smaller one sends no statement
for it, not even a count."""

import pytest
from django.db import DatabaseError, connection

from articles.importing import ImportOptions, run_import, statistics
from articles.ingest.types import RawFile
from articles.models import Article
from tests.sql_support import statements as sent

pytestmark = pytest.mark.django_db


def files(n: int, prefix: str = "wire") -> list[RawFile]:
    return [
        RawFile(
            name=f"{prefix}/{i:03d}.txt",
            data=(
                f"News   /   Harbour\n\nFerry timetable change {prefix} {i}\n\n"
                f"The harbour office moved sailing {i} of the {prefix} ferry to Thursday.\n"
            ).encode(),
        )
        for i in range(n)
    ]


def analyzes(statements: list[str]) -> list[str]:
    return [sql for sql in statements if sql.lstrip().upper().startswith(("ANALYZE", "VACUUM"))]


def is_article_count(sql: str) -> bool:
    """The whole-table count ``needs_statistics`` would send."""
    return sql.startswith('SELECT COUNT(*) AS "__count" FROM "articles_article"') and (
        "WHERE" not in sql
    )


def has_statistics(table: str) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [table])
        else:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        return cursor.fetchone()[0] > 0


def test_an_import_into_an_empty_archive_leaves_the_planner_statistics():
    options = ImportOptions(workers=1, chunk_size=40)
    statements = sent(lambda: run_import(files(60), options=options))

    assert Article.objects.count() == 60
    assert analyzes(statements)
    assert [sql for sql in statements if is_article_count(sql)]
    assert has_statistics(Article._meta.db_table)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's VACUUM")
def test_outside_a_transaction_postgresql_also_vacuums_what_the_import_wrote():
    statements = sent(lambda: run_import(files(60), options=ImportOptions(workers=1)))

    assert [sql for sql in statements if sql.startswith("VACUUM (ANALYZE) ")]
    assert has_statistics(Article._meta.db_table)
    with connection.cursor() as cursor:  # the visibility map is set: index-only scans
        cursor.execute(
            "SELECT relallvisible FROM pg_class WHERE relname = %s", [Article._meta.db_table]
        )
        assert cursor.fetchone()[0] > 0


def test_a_small_import_sends_no_statement_for_statistics():
    statements = sent(lambda: run_import(files(statistics.THRESHOLD_ROWS)))

    assert Article.objects.count() == statistics.THRESHOLD_ROWS
    assert not analyzes(statements)
    assert not [sql for sql in statements if is_article_count(sql)]


def test_an_import_small_next_to_the_archive_is_not_analysed(monkeypatch):
    monkeypatch.setattr(statistics, "THRESHOLD_ROWS", 5)
    run_import(files(100))  # 100 > 5 + 0: analysed

    # 8 more: over the 5 rows, but not over 5 + 10 % of 100
    statements = sent(lambda: run_import(files(8, prefix="late")))

    assert Article.objects.count() == 108
    assert not analyzes(statements)
    assert statistics.needs_statistics(16)  # 16 > 5 + 10.0
    assert not statistics.needs_statistics(15)


def test_a_dry_run_analyses_nothing():
    statements = sent(lambda: run_import(files(60), options=ImportOptions(dry_run=True)))

    assert Article.objects.count() == 0
    assert not analyzes(statements)


def test_a_failed_analyze_leaves_the_import_done(monkeypatch, caplog):
    def refuse(written):
        raise DatabaseError("could not analyse")

    monkeypatch.setattr("articles.importing.service.analyze_after_import", refuse)

    batch = run_import(files(60), options=ImportOptions(workers=1))

    assert batch.status == batch.Status.DONE
    assert batch.created_count == 60
    assert "planner statistics not refreshed: could not analyse" in caplog.text
