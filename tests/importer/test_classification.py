"""The one rule for a file whose text is already stored: unchanged when the stored copy has
the file's name, a duplicate otherwise, whichever path finds it and whatever source is named.
"""

import pytest

from articles.importing import classify, run_import
from articles.ingest.types import RawFile
from articles.models import Article, ImportFile
from tests.factories import import_texts

pytestmark = pytest.mark.django_db

TEXT = (
    "News   /   Europe\n\n"
    "Ferry service to the islands resumes\n\n"
    "The island ferry sailed again on Monday after a week of storms, the operator said.\n"
)


def raw(name: str, text: str = TEXT) -> RawFile:
    return RawFile(name=name, data=text.encode("utf-8"))


@pytest.fixture(params=["found before parsing", "found by the chunk"])
def lookup_path(request, monkeypatch):
    """Run each test down both paths: the pre-parse lookup (a stored text is not parsed)
    and the chunk's own lookup (what a text committed meanwhile by another run meets)."""
    if request.param == "found by the chunk":
        monkeypatch.setattr(classify, "_decoded", lambda r: (r, None, 0))
    return request.param


def test_same_name_same_text_is_unchanged_even_under_another_source(lookup_path):
    import_texts({"a/ferry.txt": TEXT}, source_name="Island Post")

    again = import_texts({"a/ferry.txt": TEXT}, source_name="Coast Radio")

    row = again.files.get()
    assert (row.status, row.reason) == (ImportFile.Status.UNCHANGED, "")
    assert row.article == Article.objects.get()
    assert Article.objects.get().source.name == "Island Post"  # nothing was rewritten


def test_same_text_under_another_name_is_a_duplicate_of_the_stored_copy(lookup_path):
    import_texts({"a/ferry.txt": TEXT})

    again = import_texts({"b/ferry-copy.txt": TEXT})

    row = again.files.get()
    assert row.status == ImportFile.Status.DUPLICATE
    assert row.reason == "same text as a/ferry.txt"
    assert row.article == Article.objects.get()


def test_a_rerun_stays_idempotent_on_both_paths(lookup_path):
    files = [raw("a/ferry.txt"), raw("a/other.txt", TEXT.replace("Monday", "Tuesday"))]
    run_import(files)

    again = run_import(files)

    assert (again.unchanged_count, again.created_count, again.duplicate_count) == (2, 0, 0)
    assert Article.objects.count() == 2


def test_the_rule_itself():
    stored = Article(pk=7, original_filename="a/ferry.txt")

    same = classify.same_text_row(ImportFile(filename="a/ferry.txt"), stored)
    other = classify.same_text_row(ImportFile(filename="b/ferry.txt"), stored)
    gone = classify.same_text_row(ImportFile(filename="a/ferry.txt"), None)

    assert (same.status, same.article_id) == (ImportFile.Status.UNCHANGED, 7)
    assert (other.status, other.article_id) == (ImportFile.Status.DUPLICATE, 7)
    assert other.reason == "same text as a/ferry.txt"
    assert (gone.status, gone.reason) == (ImportFile.Status.FAILED, classify.ERR_DELETED)


def test_each_file_is_decoded_once(monkeypatch):
    from articles.ingest import pipeline, reader

    binary = RawFile(name="a/scan.txt", data=b"\x00\x00\x01\x02 not text \x00\x00")
    reason = pipeline.parse_raw(binary).error  # what the parser alone reports
    calls: list[int] = []

    def counting(data: bytes):
        calls.append(len(data))
        return reader.decode_bytes(data)

    monkeypatch.setattr(classify, "decode_bytes", counting)
    monkeypatch.setattr(pipeline, "decode_bytes", counting)
    files = [raw("a/ferry.txt"), raw("a/other.txt", TEXT.replace("Monday", "Tuesday")), binary]

    batch = run_import(files)

    assert (batch.created_count, batch.failed_count) == (2, 1)
    assert len(calls) == 3
    assert reason and batch.files.get(status=ImportFile.Status.FAILED).reason == reason
