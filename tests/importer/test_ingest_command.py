"""``manage.py ingest``: folders, archives, reports, exit status, and the real corpora."""

import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ImportBatch, ImportFile
from tests.conftest import CORPORA, SAMPLE_DIR, SEED
from tests.snapshots import archive_snapshot

pytestmark = pytest.mark.django_db

MARKET = """Business   /   Markets

Copper climbs to a two-year high as smelters cut output

Traders on the floor of the metals exchange on October 8, 2024. (File photo)

Copper prices rose for a fifth day on Tuesday after two of the largest smelters said they would cut output.

Analysts said stocks in warehouses had fallen to their lowest level since the spring.
"""

RIVER = """News   /   Africa

River ferries return after the floods

Ferries on the river resumed service on Saturday after the water fell back to its usual level.

Local officials said repairs to two landing stages would take another month.
"""


def ingest(*args: str) -> str:
    out = StringIO()
    call_command("ingest", *args, "--workers", "1", stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "wire"
    (root / "inner").mkdir(parents=True)
    (root / "001_market.txt").write_text(MARKET, encoding="utf-8")
    (root / "inner" / "002_river.txt").write_text(RIVER, encoding="utf-8")
    return root


def test_ingest_a_folder_then_again_changes_nothing(folder):
    output = ingest(str(folder))
    assert "2 created" in output
    names = set(Article.objects.values_list("original_filename", flat=True))
    assert names == {"wire/001_market.txt", "wire/inner/002_river.txt"}
    before = archive_snapshot()

    output = ingest(str(folder))

    assert "2 unchanged" in output
    assert archive_snapshot() == before
    assert ImportBatch.objects.count() == 2


def test_ingest_a_zip_archive(tmp_path):
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("day/001_market.txt", MARKET)
        zf.writestr("day/002_river.txt", RIVER)

    ingest(str(archive))

    assert Article.objects.filter(original_filename="upload.zip/day/002_river.txt").exists()


def test_a_failed_file_gives_a_non_zero_exit_and_the_good_ones_are_imported(folder):
    (folder / "broken.txt").write_bytes(b"\x00\x00\x00\x00binary\x00\x00")
    err = StringIO()

    with pytest.raises(CommandError, match="1 file\\(s\\) failed"):
        call_command("ingest", str(folder), "--workers", "1", stdout=StringIO(), stderr=err)

    assert "failed: wire/broken.txt: binary" in err.getvalue()
    assert Article.objects.count() == 2
    assert ImportFile.objects.get(status="failed").filename == "wire/broken.txt"


def test_report_lists_every_file(folder, tmp_path):
    report = tmp_path / "report.json"

    ingest(str(folder), "--report", str(report))

    data = json.loads(report.read_text())
    assert data["counts"]["created"] == 2
    assert {f["file"]: f["status"] for f in data["files"]} == {
        "wire/001_market.txt": "created",
        "wire/inner/002_river.txt": "created",
    }


def test_dry_run_writes_no_article(folder):
    output = ingest(str(folder), "--dry-run")

    assert output.startswith("Dry run")
    assert Article.objects.count() == 0


def test_section_source_and_date_options(folder):
    ingest(str(folder), "--section", "News / Iran", "--source", "Wire", "--date", "2024-10-08")

    article = Article.objects.get(original_filename="wire/001_market.txt")
    assert article.section.full_name == "News / Iran"
    assert article.source.name == "Wire"
    assert str(article.published) == "2024-10-08"


def test_bad_arguments_are_clear_errors(folder):
    with pytest.raises(CommandError, match="no such file or folder"):
        ingest(str(folder / "missing"))
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        ingest(str(folder), "--date", "8 October")


@pytest.mark.skipif(not SEED.exists(), reason="seed article not available")
def test_the_seed_imports_as_press_tv():
    ingest(str(SEED))

    article = Article.objects.get()
    assert article.source.name == "Press TV"
    assert article.section.full_name == "News / Russia"
    assert str(article.published) == "2022-02-25"
    assert "Roku" not in article.body_text


def test_the_sample_archive_imports_without_failures():
    output = ingest(str(SAMPLE_DIR), "--source", "The Meridian Herald")

    assert "0 failed" in output
    assert Article.objects.count() == len(list(SAMPLE_DIR.glob("*.txt")))


@pytest.mark.slow
@pytest.mark.skipif(not (CORPORA / "bbc-news.tar.gz").exists(), reason="BBC corpus not available")
def test_every_bbc_file_imports_and_duplicates_are_reported():
    archive = CORPORA / "bbc-news.tar.gz"
    output = ingest(str(archive))

    assert "2225 files" in output
    assert "2127 created" in output and "98 duplicate" in output and "0 failed" in output
    pound = Article.objects.get(original_filename="bbc-news.tar.gz/bbc/sport/199.txt")
    assert "£" in pound.original_text
    assert pound.section.name == "Sport"
    assert pound.source.name == "BBC News"
    before = archive_snapshot()

    again = ingest(str(archive))

    assert "2127 unchanged" in again and "98 duplicate" in again and "0 created" in again
    assert archive_snapshot() == before
