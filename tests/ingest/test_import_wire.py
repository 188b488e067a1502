"""Wire and web text through the importer, the ingest command and the admin upload: the new
Article fields, --period, and tables on the article page (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from articles.importing import ImportOptions, run_import
from articles.ingest.periods import parse_period
from articles.ingest.types import RawFile
from articles.models import Article, ImportBatch
from tests.admin_support import make_editor, upload

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/admin/articles/importbatch/upload/"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

WIRE = """EASTFIELD GLASS <EGW> TO SHUT OLD FURNACE

LEEDS, March 2 - Eastfield Glass Works Plc said it would
shut its oldest furnace at the end of the month and move the
work to its new plant in the north of the county.
    The company said the closure would cost about 3 mln stg.
    Results for the year were -
          1986     1985
 Sales    41.2     38.9
 Profit    3.1      2.7
 REUTER
"""


def raw(name: str, text: str) -> RawFile:
    return RawFile(name=name, data=text.encode())


def test_wire_story_stores_tickers_dateline_table_and_the_period_date():
    batch = run_import(
        [raw("wire/egw.txt", WIRE)], options=ImportOptions(period=parse_period("1987"))
    )
    assert batch.created_count == 1
    assert batch.options["period"] == "1987-01-01:1987-12-31"
    article = Article.objects.get()
    assert article.headline == "EASTFIELD GLASS TO SHUT OLD FURNACE"
    assert article.tickers == ["EGW"]
    assert (article.dateline, article.dateline_place) == ("LEEDS, March 2", "Leeds")
    assert (article.published, article.published_how) == (dt.date(1987, 3, 2), "inferred")
    assert article.published_evidence == 'dateline "LEEDS, March 2"; the files are from 1987'
    kinds = [b["kind"] for b in article.body]
    assert kinds == ["paragraph", "paragraph", "paragraph", "table"]
    table = article.body[-1]
    assert table["text"].split("\n")[1:] == ["Sales    41.2     38.9", "Profit    3.1      2.7"]
    assert table["indent"] == 9
    assert "REUTER" not in article.body_text
    assert "<EGW>" in article.original_text  # the original keeps everything


def test_without_a_period_the_same_story_has_no_date():
    run_import([raw("wire/egw.txt", WIRE)])
    article = Article.objects.get()
    assert (article.published, article.published_how) == (None, "unknown")
    assert article.tickers == ["EGW"]


def test_the_article_page_shows_the_table_preformatted_and_the_tickers(client):
    run_import([raw("wire/egw.txt", WIRE)], options=ImportOptions(period=parse_period("1987")))
    article = Article.objects.get()
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<pre class="article__table">' in html
    assert "         1986     1985\nSales    41.2     38.9" in html
    assert "Dateline: Leeds" in html
    assert "<code>EGW</code>" in html


def test_ingest_command_takes_a_period(tmp_path):
    (tmp_path / "egw.txt").write_text(WIRE, encoding="utf-8")
    call_command("ingest", str(tmp_path), "--period", "1987-01:1987-06", "--no-progress")
    article = Article.objects.get()
    assert article.published == dt.date(1987, 3, 2)
    assert "1987-01-01 to 1987-06-30" in article.published_evidence


def test_ingest_command_refuses_a_bad_period(tmp_path):
    (tmp_path / "egw.txt").write_text(WIRE, encoding="utf-8")
    with pytest.raises(CommandError, match="--period"):
        call_command("ingest", str(tmp_path), "--period", "1987-13", "--no-progress")
    assert not Article.objects.exists()
    assert not ImportBatch.objects.exists()


def test_a_date_outside_the_period_is_not_taken(tmp_path):
    text = "Museum opens\n\nOn Sunday, December 18, 2016, the town museum opened its doors.\n"
    (tmp_path / "museum.txt").write_text(text, encoding="utf-8")
    call_command("ingest", str(tmp_path), "--period", "1990", "--no-progress")
    assert Article.objects.get().published is None
    Article.objects.all().delete()
    call_command("ingest", str(tmp_path), "--period", "2016", "--no-progress")
    assert Article.objects.get().published == dt.date(2016, 12, 18)


@pytest.fixture
def editor_client(settings, tmp_path) -> Client:
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")
    settings.TASKS = IMMEDIATE
    client = Client()
    client.force_login(make_editor())
    return client


def test_admin_upload_takes_a_period(editor_client):
    response = editor_client.post(
        UPLOAD_URL, {"files": [upload("egw.txt", WIRE)], "period": "1987"}
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.published, article.published_how) == (dt.date(1987, 3, 2), "inferred")
    assert ImportBatch.objects.get().options["period"] == "1987-01-01:1987-12-31"


def test_admin_upload_refuses_a_bad_period_and_imports_nothing(editor_client):
    response = editor_client.post(
        UPLOAD_URL, {"files": [upload("egw.txt", WIRE)], "period": "spring 1987"}
    )
    assert response.status_code == 200
    assert "Not a period" in response.content.decode()
    assert not Article.objects.exists()
