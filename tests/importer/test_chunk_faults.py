"""The importer's chunks under faults, in process: a database error mid-run, a run whose
end-of-run recount never happened, two imports that deadlock, ``--chunk-size``, and how
often a long import refreshes cached pages. (Killed processes: tests/test_faults.py.)"""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from django.db import connection

from articles.caching import current_version
from articles.importing import ImportOptions, run_import
from articles.ingest.reader import iter_raw_files
from articles.ingest.types import RawFile
from articles.models import (
    Article,
    ArticlePerson,
    ImportBatch,
    Person,
    Place,
    Section,
    Source,
)
from tests.snapshots import natural_snapshot

RUN_TIMEOUT = 240  # seconds for one import thread; generous for a loaded CI machine


def _write_articles(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{i:03d}.txt").write_text(
            "News   /   Europe\n\n"
            f"Harbour {i} reopens after the storm\n\n"
            f"Port official Marta Lind said harbour {i} in Tallinn reopened on Friday.\n\n"
            "Lind said repairs to the breakwater would take a month.\n",
            encoding="utf-8",
        )
    return folder


def _empty_archive() -> None:
    Article.objects.all().delete()
    Person.objects.all().delete()
    Place.objects.exclude(kind=Place.Kind.COUNTRY).delete()  # cities point at countries
    Place.objects.all().delete()
    for section in Section.objects.order_by("-depth"):  # children before their parents
        section.delete()
    Source.objects.all().delete()


@pytest.mark.django_db
def test_a_database_error_mid_run_leaves_whole_chunks_and_a_rerun_finishes(tmp_path, monkeypatch):
    """The third chunk fails inside its transaction: the run stops with the batch marked
    failed, the first two chunks stay whole, and running again gives one clean run's data."""
    folder = _write_articles(tmp_path / "in", 25)
    clean_batch = run_import(
        iter_raw_files([folder]), options=ImportOptions(workers=1, chunk_size=5)
    )
    expected = natural_snapshot()
    assert clean_batch.created_count == 25
    _empty_archive()

    from articles.importing import writer

    real_link = writer.link_entities
    calls = {"n": 0}

    def failing_link(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            real_link(*args, **kwargs)  # the rows are written, then the chunk fails
            raise RuntimeError("connection lost")
        return real_link(*args, **kwargs)

    monkeypatch.setattr(writer, "link_entities", failing_link)
    with pytest.raises(RuntimeError):
        run_import(iter_raw_files([folder]), options=ImportOptions(workers=1, chunk_size=5))
    batch = ImportBatch.objects.latest("started_at", "id")
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.error == "RuntimeError: connection lost"
    assert Article.objects.count() == batch.processed_files == 10
    linked = set(ArticlePerson.objects.values_list("article_id", flat=True))
    assert linked <= set(Article.objects.values_list("id", flat=True))

    monkeypatch.setattr(writer, "link_entities", real_link)
    rerun = run_import(iter_raw_files([folder]), options=ImportOptions(workers=1, chunk_size=5))

    assert (rerun.created_count, rerun.unchanged_count) == (15, 10)
    assert natural_snapshot() == expected


@pytest.mark.django_db
def test_stored_counts_of_a_killed_run_are_repaired_by_the_next_run(tmp_path):
    """What a SIGKILL leaves (articles committed, the end-of-run recount never done),
    made in-process: the next run over the same files recounts them."""
    folder = _write_articles(tmp_path / "in", 6)
    batch = run_import(iter_raw_files([folder]), options=ImportOptions(workers=1, chunk_size=3))
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING)
    for model in (Person, Place, Source, Section):
        model.objects.update(article_count=0)
    Person.objects.update(mention_count=0)

    run_import(iter_raw_files([folder]), options=ImportOptions(workers=1, chunk_size=3))

    lind = Person.objects.get(name="Marta Lind")
    assert (lind.article_count, lind.mention_count) == (6, 12)
    assert Source.objects.get().article_count == 6
    assert Section.objects.get(path="news/europe").article_count == 6
    assert Place.objects.get(name="Tallinn").article_count == 6


@pytest.mark.django_db(transaction=True)
def test_two_imports_that_deadlock_on_postgresql_both_finish(tmp_path, monkeypatch):
    """Two imports create the same two new sections in opposite orders, each holding the
    one it made first: PostgreSQL breaks the deadlock by aborting one transaction, whose
    chunk is then retried (it used to stop that import with "deadlock detected").

    PostgreSQL only: SQLite takes the write lock when the chunk's transaction begins
    (IMMEDIATE), so two imports never interleave there; the subprocess test above covers it.
    """
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writing transactions: no deadlock to break")
    Source.objects.create(name="Unknown", slug="unknown")  # else both queue on the source row
    one, two = tmp_path / "one", tmp_path / "two"
    for folder, sections in ((one, ["Alpha", "Beta"]), (two, ["Beta", "Alpha"])):
        folder.mkdir()
        for i, section in enumerate(sections):
            (folder / f"{i}.txt").write_text(
                f"{section}   /   Harbours\n\nHarbour {folder.name} {i} reopens\n\n"
                f"The harbour {folder.name} {i} reopened on Friday after repairs.\n\n"
                "Officials said more work was due.\n",
                encoding="utf-8",
            )
    # Each import waits, after making its first section, until the other has made its own.
    both_made_one = threading.Barrier(2, timeout=10)
    made = threading.local()
    real = Section.get_or_create_path.__func__

    def get_or_create_path(cls, names):
        section = real(cls, names)
        if not getattr(made, "first", False):
            made.first = True
            both_made_one.wait()
        return section

    monkeypatch.setattr(Section, "get_or_create_path", classmethod(get_or_create_path))
    errors: list[str] = []

    def run(folder: Path) -> None:
        try:
            run_import(iter_raw_files([folder]), options=ImportOptions(workers=1))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(folder,)) for folder in (one, two)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=RUN_TIMEOUT)

    assert errors == []
    assert Article.objects.count() == 4
    assert sorted(Section.objects.values_list("path", flat=True)) == [
        "alpha",
        "alpha/harbours",
        "beta",
        "beta/harbours",
    ]
    assert set(ImportBatch.objects.values_list("status", flat=True)) == {"done"}


@pytest.mark.django_db
def test_ingest_chunk_size_sets_the_files_per_transaction(tmp_path, monkeypatch):
    from django.core.management import CommandError, call_command

    from articles.importing import service as importer

    folder = _write_articles(tmp_path / "in", 5)
    with pytest.raises(CommandError, match="--chunk-size must be at least 1"):
        call_command("ingest", str(folder), "--chunk-size", "0", stdout=io.StringIO())
    sizes: list[int] = []
    real = importer._import_chunk

    def counting(chunk, *args, **kwargs):
        sizes.append(len(chunk))
        return real(chunk, *args, **kwargs)

    monkeypatch.setattr(importer, "_import_chunk", counting)
    call_command("ingest", str(folder), "--chunk-size", "2", "--workers", "1", stdout=io.StringIO())
    assert sizes == [2, 2, 1]
    assert Article.objects.count() == 5


# --- refreshing cached pages ----------------------------------------------------------------


def _stories(n: int, prefix: str) -> list[RawFile]:
    return [
        RawFile(
            name=f"{prefix}/{i:03}.txt",
            data=f"News\n\n{prefix} story {i}\n\nA short story number {i} about {prefix}.\n".encode(),
        )
        for i in range(n)
    ]


@pytest.mark.django_db
def test_a_long_import_refreshes_cached_pages_at_most_every_interval(settings):
    settings.IMPORT_REFRESH_SECONDS = 3600
    before = current_version()
    run_import(_stories(3, "harbour"), options=ImportOptions(chunk_size=1))
    three_chunks = current_version() - before
    before = current_version()
    run_import(_stories(9, "orchard"), options=ImportOptions(chunk_size=1))
    assert current_version() - before == three_chunks  # not one bump per chunk
    # With no interval, every chunk makes its articles visible at once.
    settings.IMPORT_REFRESH_SECONDS = 0
    before = current_version()
    run_import(_stories(9, "bridge"), options=ImportOptions(chunk_size=1))
    assert current_version() - before >= 9  # one per chunk at least
