"""Atom and RSS feeds, the sitemap, and CSV / JSON export of a list URL's results."""

import csv
import datetime as dt
import html
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from articles.views import export
from tests.factories import make_article, make_world

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world():
    return make_world()


def body(response) -> str:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


# --- feeds ------------------------------------------------------------------------------


def test_latest_atom_feed(client, world):
    response = client.get(reverse("articles:feed_atom"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert titles[0] == "Tehran market prices ease"
    assert len(titles) == 5
    assert root.findtext(f"{ATOM}title") == "News archive: latest stories"


def test_rss_feed_of_a_list_urls_filters(client, world):
    response = client.get(reverse("articles:feed_rss") + "?person=vladimir-putin&country=by")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    items = root.findall("./channel/item")
    assert [i.findtext("title") for i in items] == ["Putin and Lukashenko discuss gas prices"]
    assert root.findtext("./channel/title") == "News archive: Vladimir Putin, Belarus"
    assert root.findtext("./channel/link").endswith("/articles/?person=vladimir-putin&country=by")
    assert items[0].findtext("pubDate").startswith("Tue, 01 Mar 2022")


def test_search_feed_is_newest_first(client, world):
    root = ET.fromstring(client.get(reverse("articles:feed_atom") + "?q=prices").content)
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert titles == ["Tehran market prices ease", "Putin and Lukashenko discuss gas prices"]


def test_feed_escapes_article_text(client, world):
    make_article("<b>Bold</b> & brave", caption="<script>x</script>", published=dt.date(2030, 1, 1))
    response = client.get(reverse("articles:feed_rss"))
    item = ET.fromstring(response.content).find("./channel/item")
    # RSS readers render a title as HTML once the XML is parsed (issue 16): it is
    # entity-encoded once more, so that rendering shows the text as written.
    assert item.findtext("title") == "&lt;b&gt;Bold&lt;/b&gt; &amp; brave"
    assert html.unescape(item.findtext("title")) == "<b>Bold</b> & brave"
    assert b"<b>Bold" not in response.content


def test_invalid_feed_filter_is_404(client, world):
    assert client.get(reverse("articles:feed_atom") + "?country=ZZ").status_code == 404


# --- sitemap ----------------------------------------------------------------------------


def test_sitemap_index_and_sections(client, world):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert b"sitemap-articles.xml" in index.content
    articles = client.get("/sitemap-articles.xml").content.decode()
    for article in world.articles:
        assert article.get_absolute_url() in articles
    assert "/places/belarus/" in client.get("/sitemap-places.xml").content.decode()
    assert "/people/vladimir-putin/" in client.get("/sitemap-people.xml").content.decode()


# --- export -----------------------------------------------------------------------------


def test_csv_export_streams_every_matching_row(client, world):
    for i in range(45):
        make_article(f"Filler {i}", section="Business", published=dt.date(2019, 1, 1))
    response = client.get(reverse("articles:export_csv") + "?section=business")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    # The file name says what it holds.
    assert response["Content-Disposition"] == 'attachment; filename="stories-business.csv"'
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert len(rows) == 47  # more than a page: every row, not the first page
    assert list(rows[0]) == export.COLUMNS


def test_csv_export_columns(client, world):
    response = client.get(reverse("articles:export_csv") + "?country=BY&sort=oldest")
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert [r["headline"] for r in rows] == [
        "Border talks resume in the capital",
        "Putin and Lukashenko discuss gas prices",
    ]
    first = rows[0]
    assert first["url"] == "http://testserver" + world.minsk_only.get_absolute_url()
    assert first["published"] == "2022-02-10"
    assert first["section"] == "News / Europe"
    assert first["people"] == "Alexander Lukashenko"
    assert first["countries"] == "Belarus"
    assert rows[1]["people"] == "Vladimir Putin; Alexander Lukashenko"


def test_json_export(client, world, monkeypatch):
    monkeypatch.setattr(export, "CHUNK", 2)  # several chunks, each with its own entity query
    response = client.get(reverse("articles:export_json") + "?q=gas")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(body(response))
    assert {d["headline"] for d in data} == {
        "Putin and Lukashenko discuss gas prices",
        "Undated note about gas storage",
    }
    undated = next(d for d in data if d["published"] is None)
    assert undated["published_how"] == "unknown"
    everything = json.loads(body(client.get(reverse("articles:export_json"))))
    assert len(everything) == 5
    assert {c for d in everything for c in d["countries"]} == {"Belarus", "Russia", "Iran"}


def test_export_of_an_empty_result_is_valid(client, world):
    assert json.loads(body(client.get(reverse("articles:export_json") + "?q=zebra"))) == []
    rows = list(
        csv.reader(io.StringIO(body(client.get(reverse("articles:export_csv") + "?q=zebra"))))
    )
    assert rows == [export.COLUMNS]


def test_invalid_export_filter_is_400_with_the_reason(client, world):
    response = client.get(reverse("articles:export_csv") + "?date_from=yesterday")
    assert response.status_code == 400
    assert b"date_from: Enter a date as YYYY-MM-DD." in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["feed_rss", "feed_atom", "export_csv", "export_json"])
def test_feeds_and_exports_refuse_writes(client, name):
    assert client.post(reverse(f"articles:{name}")).status_code == 405


def test_export_file_names_say_what_they_hold(client, world):
    url = reverse("articles:export_json") + "?q=gas&country=BY&date_from=2022-01-01"
    assert client.get(url)["Content-Disposition"] == (
        'attachment; filename="stories-gas-belarus-2022-01-01.json"'
    )
    everything = client.get(reverse("articles:export_csv"))
    assert everything["Content-Disposition"] == 'attachment; filename="stories.csv"'
