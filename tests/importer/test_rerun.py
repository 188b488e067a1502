"""Re-running an import over unchanged files: each file is recognised from its digest, with
one look-up query per block of files and no article row loaded (text or otherwise)."""

import math

import pytest

from articles.importing import ImportOptions, classify, run_import
from articles.ingest import pipeline
from articles.ingest.types import RawFile
from articles.models import Article, ImportFile
from tests.sql_support import statements

pytestmark = pytest.mark.django_db


def files(n: int) -> list[RawFile]:
    return [
        RawFile(
            name=f"wire/{i:03d}.txt",
            data=(
                f"News   /   Weather\n\nStorm warning number {i}\n\n"
                f"Forecasters issued warning {i} for the coast on Tuesday.\n"
            ).encode(),
        )
        for i in range(n)
    ]


def article_selects(run) -> list[str]:
    """The SELECTs of ``run()`` that read the article table."""
    return [
        sql
        for sql in statements(run)
        if sql.lstrip().upper().startswith("SELECT") and '"articles_article"' in sql
    ]


def test_unchanged_files_cost_one_query_per_block_and_load_no_article(monkeypatch):
    run_import(files(12), options=ImportOptions(workers=1, chunk_size=5))
    monkeypatch.setattr(classify, "FILES_PER_LOOKUP", 6)

    batch = None

    def again():
        nonlocal batch
        batch = run_import(files(12), options=ImportOptions(workers=1, chunk_size=5))

    selects = article_selects(again)

    assert batch.unchanged_count == 12
    assert len(selects) == 2  # 12 files in blocks of 6: the digest look-ups, nothing per chunk
    assert not [sql for sql in selects if "original_text" in sql or "body" in sql]
    rows = ImportFile.objects.filter(batch=batch)
    assert {r.article_id for r in rows} == set(Article.objects.values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)  # the foreign key is checked when a chunk commits
def test_a_stored_copy_deleted_after_the_lookup_is_caught_when_the_chunk_is_retried(
    monkeypatch,
):
    run_import(files(3), options=ImportOptions(workers=1))
    real = classify.parse_new_files

    def delete_after_lookup(raw_files, *, options):
        for item in real(raw_files, options=options):
            # Another process deletes the article between the look-up and the write.
            Article.objects.filter(original_filename="wire/000.txt").delete()
            yield item

    monkeypatch.setattr("articles.importing.service.parse_new_files", delete_after_lookup)
    batch = run_import(files(3), options=ImportOptions(workers=1))

    statuses = dict(ImportFile.objects.filter(batch=batch).values_list("filename", "status"))
    assert statuses["wire/001.txt"] == ImportFile.Status.UNCHANGED
    assert statuses["wire/000.txt"] == ImportFile.Status.FAILED  # asked to run again
    assert batch.failed_count == 1


def test_a_rerun_costs_a_few_statements_per_block_and_starts_no_worker(monkeypatch):
    n = 1001  # three look-up blocks of at most 500 files
    run_import(files(n), options=ImportOptions(workers=1))

    def no_worker(*args, **kwargs):
        raise AssertionError("a worker process started for files known already")

    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", no_worker)
    batch = None

    def again():
        nonlocal batch
        batch = run_import(files(n), options=ImportOptions(workers=2))

    sql = statements(again)

    assert (batch.unchanged_count, batch.processed_files, batch.total_files) == (n, n, n)
    blocks = math.ceil(n / classify.FILES_PER_LOOKUP)
    # Per block: the digest look-up, one INSERT of its file rows, the batch's counts and
    # the chunk's transaction (here a savepoint and its release); per run: the unfinished
    # batches, the batch itself, its end. Nothing per file, nothing else per chunk.
    assert len(sql) <= 5 * blocks + 6, [s[:40] for s in sql]
    inserts = [s for s in sql if s.startswith('INSERT INTO "articles_importfile"')]
    assert len(inserts) == blocks
    rows = ImportFile.objects.filter(batch=batch)
    assert rows.count() == n
    assert set(rows.values_list("status", flat=True)) == {ImportFile.Status.UNCHANGED}
    assert not rows.filter(article__isnull=True).exists()


def test_known_files_come_out_as_their_block_is_looked_up_not_at_the_end():
    run_import(files(1200), options=ImportOptions(workers=1))
    read = 0

    def counted():
        nonlocal read
        for raw in files(1200):
            read += 1
            yield raw

    stream = classify.parse_new_files(counted(), options=ImportOptions(workers=2))
    first = next(stream)
    assert isinstance(first, classify.KnownFile)
    assert read <= classify.FILES_PER_LOOKUP + 1  # one block read, not the whole stream
    assert len([first, *stream]) == 1200


ENCODED = {
    "utf8.txt": "News / Europe\n\nCafé owners meet\n\nThe café owners of Tallinn met on Friday.\n",
    "crlf.txt": "News / Europe\r\n\r\nFerry resumes\r\n\r\nThe ferry to Helsinki resumed.\r\n",
    "bom.txt": "\ufeffNews / Europe\n\nBridge opens\n\nThe new bridge opened on Monday.\n",
}


def encoded_files() -> list[RawFile]:
    out = [RawFile(name=name, data=text.encode("utf-8")) for name, text in ENCODED.items()]
    legacy = "News / Europe\n\nRésumé of the talks\n\nThe talks’ résumé was read out.\n"
    out.append(RawFile(name="cp1252.txt", data=legacy.encode("cp1252")))
    utf16 = "News / Europe\n\nMarket closes early\n\nThe market closed early on Friday.\n"
    out.append(RawFile(name="utf16.txt", data=utf16.encode("utf-16")))
    return out


def test_files_of_every_encoding_are_recognised_unparsed_on_a_rerun(monkeypatch):
    first = run_import(encoded_files(), options=ImportOptions(workers=1))
    assert first.created_count == 5

    def no_parse(*args, **kwargs):
        raise AssertionError("a known file was parsed")

    monkeypatch.setattr(pipeline, "parse_raw", no_parse)
    again = run_import(encoded_files(), options=ImportOptions(workers=1))

    assert again.unchanged_count == 5
    stored = dict(Article.objects.values_list("original_filename", "content_hash"))
    rows = ImportFile.objects.filter(batch=again).values_list("filename", "content_hash")
    assert dict(rows) == stored  # the same digests as the texts stored, however encoded
