"""Re-running an import over unchanged files: each file is recognised from its digest, with
one look-up query per block of files and no article row loaded (text or otherwise)."""

import pytest
from django.db import connection

from articles.importing import ImportOptions, classify, run_import
from articles.ingest.types import RawFile
from articles.models import Article, ImportFile

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
    seen: list[str] = []

    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT") and '"articles_article"' in sql:
            seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        run()
    return seen


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
