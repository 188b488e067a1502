"""Upload attacks (issue 16, items 4 and 5): an archive of huge entries is read one entry at a
time in bounded memory, and naming many parts of the same name is linear."""

from __future__ import annotations

import io
import random
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles.admin_import import ImportUploadHandler
from articles.importing import classify
from articles.models import Article, ImportBatch
from articles.tasks import remove_upload_dir
from tests.admin_support import ARTICLES, make_editor

UPLOAD_URL = "/admin/articles/importbatch/upload/"
MB = 1024 * 1024


@pytest.fixture
def editor_client(settings, tmp_path) -> Client:
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    client = Client()
    client.force_login(make_editor())
    return client


def big_zip(entries: int, size: int) -> bytes:
    """``entries`` text entries of ``size`` bytes each, compressible but under 100:1, plus one
    real article."""
    line = b"The ferry left the harbour on time and the passengers waved from the deck. "
    rng = random.Random(entries)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(entries):
            body = bytearray(b"News / Europe\n\nA timetable that never ends\n\n")
            n = 0
            while len(body) < size:
                body += line * 6 + rng.randbytes(4).hex().encode() + b"\n\n"
                n += 1
            zf.writestr(f"long{i:02d}.txt", bytes(body[:size]))
        name = "101_aaaaaaaaaaaaaaaa.txt"
        zf.writestr(name, ARTICLES[name])
    return buffer.getvalue()


@pytest.mark.django_db
def test_an_upload_holds_one_entry_in_memory_at_a_time(editor_client, settings, monkeypatch):
    settings.IMPORT_MAX_FILE_BYTES = 10 * MB  # let the entries through to the importer
    # The importer hashes files in blocks of at most BYTES_PER_LOOKUP (8 MB): make every
    # entry a block of its own, so that what is left to measure is the page and the reader.
    monkeypatch.setattr(classify, "BYTES_PER_LOOKUP", 1, raising=False)
    entries, size = 10, 2 * MB
    data = big_zip(entries, size)
    upload = SimpleUploadedFile("big.zip", data, "application/zip")
    # Warm up (templates, URL patterns, the parser's tables load on first use), then measure.
    warm = SimpleUploadedFile("warm.zip", big_zip(1, 1000), "application/zip")
    assert editor_client.post(UPLOAD_URL, {"files": [warm], "dry_run": "on"}).status_code == 302
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        response = editor_client.post(UPLOAD_URL, {"files": [upload]})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 302
    batch = ImportBatch.objects.order_by("pk").last()
    assert (batch.processed_files, batch.created_count, batch.failed_count) == (11, 1, 10)
    assert Article.objects.count() == 1
    # One entry costs a few copies of itself (bytes, text, its UTF-8 for the hash, the zip
    # reader's buffer); holding every entry, as the page did, is 10 x 2 MB of bytes and as
    # much again of text.
    assert peak - base < 8 * size, f"peak {(peak - base) / MB:.1f} MB"


@pytest.mark.django_db
def test_an_entry_over_the_file_size_limit_is_refused_with_the_limit(editor_client, settings):
    settings.IMPORT_MAX_FILE_BYTES = 1 * MB
    data = big_zip(2, 2 * MB)
    response = editor_client.post(
        UPLOAD_URL, {"files": [SimpleUploadedFile("big.zip", data, "application/zip")]}
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    reasons = set(batch.files.filter(status="failed").values_list("reason", flat=True))
    assert reasons == {"file too large: 2.0 MB (limit 1.0 MB)"}
    assert batch.created_count == 1


def test_the_default_file_size_limit_is_stated_and_small(settings):
    from articles.tasks import reader_limits

    assert settings.IMPORT_MAX_FILE_BYTES == 4 * MB
    assert reader_limits().max_file_bytes == 4 * MB


def store_parts(handler: ImportUploadHandler, count: int, name: str = "a.txt") -> list:
    stored = []
    for _ in range(count):
        handler.new_file("files", name, "text/plain", 5)
        handler.receive_data_chunk(b"hello", 0)
        stored.append(handler.file_complete(5))
    return stored


def test_parts_of_the_same_name_each_keep_it_in_their_own_folder(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = str(tmp_path)
    handler = ImportUploadHandler(None, max_bytes=10**9)
    stored = store_parts(handler, 1, name="2") + store_parts(handler, 3)
    stored += store_parts(handler, 1, name="b.txt")
    try:
        assert [s.relative for s in stored] == ["2", "a.txt", "3/a.txt", "4/a.txt", "b.txt"]
        assert all(Path(s.path).read_bytes() == b"hello" for s in stored)
        assert {Path(s.path).name for s in stored} == {"2", "a.txt", "b.txt"}
    finally:
        for s in stored:
            s.close()
        remove_upload_dir(handler.folder)


def test_naming_same_named_parts_is_linear(settings, tmp_path, monkeypatch):
    """Probing 1/a.txt, 2/a.txt, ... for each new part was quadratic: 3,000 parts took 133 s.
    Count the probes rather than time them (the machine is shared)."""
    settings.IMPORT_UPLOAD_DIR = str(tmp_path)
    probes = 0
    real_exists = Path.exists

    def counting_exists(self, *args, **kwargs):
        nonlocal probes
        probes += 1
        return real_exists(self, *args, **kwargs)

    monkeypatch.setattr(Path, "exists", counting_exists)
    handler = ImportUploadHandler(None, max_bytes=10**9)
    parts = 600
    started = time.monotonic()
    stored = store_parts(handler, parts)
    elapsed = time.monotonic() - started
    try:
        assert len({s.relative for s in stored}) == parts
        assert probes <= parts, f"{probes} probes for {parts} parts"
        assert elapsed < 30
    finally:
        for s in stored:
            s.close()
        remove_upload_dir(handler.folder)
