"""A full disk in the middle of an import (issue 16, item 6): one line from the command, the
cause recorded on the batch when the database can still be written, stored counts consistent
with the rows afterwards, and a re-run that finishes the job.

The disk is made full in process: the writer raises what SQLite raises when its file cannot
grow (``OperationalError: database or disk is full``) or what the OS raises (``ENOSPC``), on
the third chunk, after earlier chunks were committed.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError

from articles.importing import batches, counts, writer
from articles.models import Article, ArticlePerson, ImportBatch, Person, Section, Source

pytestmark = pytest.mark.django_db

FAULTS = {
    "sqlite": lambda: OperationalError("database or disk is full"),
    "os": lambda: OSError(errno.ENOSPC, "No space left on device"),
}


def write_articles(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{i:03d}.txt").write_text(
            "News   /   Europe\n\n"
            f"Harbour {i} counts its ferries\n\n"
            f"Port official Marta Lind said harbour {i} in Tallinn counted its ferries on Friday.\n\n"
            "Lind said the count would be repeated next year.\n",
            encoding="utf-8",
        )
    return folder


def fill_disk_on_chunk(monkeypatch, chunk: int, fault) -> None:
    real = writer.link_entities
    calls = {"n": 0}

    def link(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == chunk:
            raise fault()
        return real(*args, **kwargs)

    monkeypatch.setattr(writer, "link_entities", link)


def ingest(folder: Path) -> None:
    call_command("ingest", str(folder), "--workers", "1", "--chunk-size", "5", "--no-progress")


def assert_counts_match_rows() -> None:
    for person in Person.objects.all():
        rows = ArticlePerson.objects.filter(person=person)
        assert person.article_count == rows.count(), person.name
        assert person.mention_count == sum(r.mentions for r in rows), person.name
    for model in (Source, Section):
        for row in model.objects.all():
            assert (
                row.article_count == Article.objects.filter(**{model.__name__.lower(): row}).count()
            )


@pytest.mark.parametrize("fault", FAULTS)
def test_a_full_disk_is_one_line_recorded_on_the_batch(tmp_path, monkeypatch, fault):
    folder = write_articles(tmp_path / "in", 20)
    fill_disk_on_chunk(monkeypatch, 3, FAULTS[fault])
    with pytest.raises(CommandError) as caught:
        ingest(folder)
    message = str(caught.value)
    assert "\n" not in message
    assert "stopped: disk full:" in message
    assert "recorded on the batch" in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.error.startswith("disk full: ")
    assert ("disk is full" in batch.error) or ("No space left on device" in batch.error)
    assert batch.finished_at is not None
    # Two whole chunks were committed, and the counts agree with them now, not after a rerun.
    assert Article.objects.count() == batch.created_count == batch.processed_files == 10
    assert_counts_match_rows()
    lind = Person.objects.get(name="Marta Lind")
    assert lind.article_count == 10

    monkeypatch.undo()
    ingest(folder)
    rerun = ImportBatch.objects.latest("id")
    assert (rerun.created_count, rerun.unchanged_count) == (10, 10)
    # The next run does not overwrite the cause with "interrupted (killed?)".
    assert ImportBatch.objects.get(pk=batch.pk).error == batch.error
    assert_counts_match_rows()


def test_when_even_the_batch_cannot_be_written_it_is_still_one_line(tmp_path, monkeypatch):
    folder = write_articles(tmp_path / "in", 12)

    def disk_full(*args, **kwargs):
        raise OperationalError("database or disk is full")

    def fault():
        # From the failure on, nothing can be written: not the recount, not the archive
        # version, not the batch.
        monkeypatch.setattr(ImportBatch, "save", disk_full)
        monkeypatch.setattr(counts, "recount_entities", disk_full)
        monkeypatch.setattr(counts, "bump_version", disk_full)
        return OperationalError("database or disk is full")

    fill_disk_on_chunk(monkeypatch, 2, fault)
    with pytest.raises(CommandError) as caught:
        ingest(folder)
    message = str(caught.value)
    assert "\n" not in message
    assert "disk full" in message and "could not be recorded" in message
    monkeypatch.undo()
    # The batch stays as its last committed chunk left it; the next run closes it.
    assert ImportBatch.objects.get().status == ImportBatch.Status.RUNNING


def test_failure_reasons_name_a_full_disk():
    assert batches.failure_reason(OSError(errno.ENOSPC, "No space left on device")) == (
        "disk full: OSError: [Errno 28] No space left on device"
    )
    assert batches.failure_reason(RuntimeError("connection lost\nmore")) == (
        "RuntimeError: connection lost"
    )
    from articles.importing import ImportStopped

    assert issubclass(ImportStopped, Exception)
