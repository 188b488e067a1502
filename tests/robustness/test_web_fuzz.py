"""Hostile input on every public page: never a 500; untrusted article text always escaped.

Every list and filter parameter of ``/articles/`` (and of its feeds and exports, which share
the filters), the entity and archive pages' parameters, and the slugs and paths in URLs get
SQL fragments, huge and negative numbers, unicode, NUL bytes, broken percent-encoding, 10,000
character strings and repeated parameters, from a fixed matrix and from hypothesis.

Article text is untrusted (it comes from scraped files): markup in a headline, caption,
credit, paragraph, subheading, section or name must reach the reader as text, on the article
page, in list snippets, on entity pages and in the feeds.
"""

from __future__ import annotations

import csv
import html
import io
import json
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importing import ImportOptions, run_import
from articles.ingest.types import RawFile
from articles.models import Article, Person
from tests.factories import link_person, make_person, make_world, recount

pytestmark = pytest.mark.django_db

ALLOWED = {200, 301, 302, 400, 404}

# Values as typed into a browser; quoted into the URL by ``url()``.
HOSTILE = {
    "sql quote": "' OR '1'='1",
    "sql comment": "1; DROP TABLE articles_article; --",
    "sql union": "x' UNION SELECT password FROM auth_user --",
    "sql like": "%_%' ESCAPE '\\",
    "huge number": "9" * 40,
    "negative": "-1",
    "zero": "0",
    "float": "1e308",
    "nan": "NaN",
    "unicode": "\u202e\U0001f4a5 Минск ایران 東京",
    "combining marks": "e\u0301\u0301\u0301\u0301",
    "nul": "\x00",
    "nul inside": "vladimir\x00putin",
    "control chars": "\x01\x07\x1b[31m",
    "10k chars": "x" * 10_000,
    "10k words": "gas " * 2_500,
    "html": "<script>alert(1)</script>",
    "crlf": "a\r\nSet-Cookie: x=1",
    "path traversal": "../../etc/passwd",
    "fts5 syntax": 'NEAR(a b) OR "x* ^y col:z',
    "tsquery syntax": "!a & (b | c) <-> d:*",
    "only quotes": '"""',
    "only minus": "- - -",
    "backslashes": "\\\\\\",
    "empty": "",
    "spaces": "   ",
    "bad date": "2024-02-30",
    "huge date": "99999-01-01",
    "zero date": "0000-00-00",
    "slug-like": "vladimir-putin",
    "iso-like": "by",
}
# Raw query-string values: broken or unusual percent-encoding, sent as they are.
RAW = {
    "invalid utf-8": "%FF%FE",
    "utf-8 surrogate": "%ED%A0%80",
    "bad escape": "%",
    "double percent": "%%41",
    "plus signs": "+++",
}
SMALL = ["sql quote", "huge number", "negative", "nul", "10k chars", "html", "unicode"]

LIST_PARAMS = [
    "q",
    "section",
    "person",
    "country",
    "place",
    "source",
    "date_from",
    "date_to",
    "sort",
    "page",
    "unknown",
]


def url(path: str, param: str, value: str, raw: bool = False) -> str:
    return f"{path}?{param}={value if raw else quote(value, safe='')}"


def fetch(client, target: str):
    response = client.get(target)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # errors in a streamed export happen here
    return response


def assert_never_500(client, targets: list[str]) -> None:
    bad = []
    for target in targets:
        status = fetch(client, target).status_code
        if status not in ALLOWED:
            bad.append((target[:120], status))
    assert bad == []


@pytest.fixture
def world():
    return make_world()


@pytest.mark.parametrize("param", LIST_PARAMS)
def test_every_list_parameter_with_hostile_values(client, world, param):
    targets = [url("/articles/", param, v) for v in HOSTILE.values()]
    targets += [url("/articles/", param, v, raw=True) for v in RAW.values()]
    assert_never_500(client, targets)


@pytest.mark.parametrize(
    "path",
    ["/articles/feed.rss", "/articles/feed.atom", "/articles/export.csv", "/articles/export.json"],
)
def test_feeds_and_exports_share_the_filters_safely(client, world, path):
    targets = [url(path, p, HOSTILE[name]) for p in LIST_PARAMS for name in SMALL]
    targets += [url(path, "q", v, raw=True) for v in RAW.values()]
    assert_never_500(client, targets)


def test_pages_that_take_a_page_number(client, world):
    paths = [
        "/",
        "/people/",
        "/places/",
        "/sections/",
        "/people/vladimir-putin/",
        "/places/belarus/",
        "/sections/news/europe/",
        "/archive/",
        "/archive/2022/",
        "/archive/2022/02/",
        "/archive/2022/02/10/",
    ]
    targets = [url(p, "page", HOSTILE[n]) for p in paths for n in HOSTILE]
    assert_never_500(client, targets)


@pytest.mark.parametrize(
    ("path", "param"),
    [("/people/", "q"), ("/people/", "sort"), ("/people/", "letter"), ("/places/", "q")],
)
def test_entity_index_parameters(client, world, path, param):
    targets = [url(path, param, v) for v in HOSTILE.values()]
    targets += [url(path, param, v, raw=True) for v in RAW.values()]
    assert_never_500(client, targets)


@pytest.mark.parametrize(
    "pattern",
    [
        "/people/{}/",
        "/places/{}/",
        "/sections/{}/",
        "/sections/news/{}/",
        "/articles/1/{}/",
        "/articles/{}/x/",
        "/articles/{}/x/original.txt",
        "/archive/{}/",
    ],
)
def test_hostile_values_in_the_url_path(client, world, pattern):
    values = [*HOSTILE.values(), "%00", "..%2F..%2Fetc", "a" * 3000, "9" * 30]
    targets = []
    for value in values:
        if not value.strip():
            continue
        segment = value if value.startswith(("%", "..%")) else quote(value, safe="")
        targets.append(pattern.format(segment))
    assert_never_500(client, targets)


def test_repeated_and_combined_parameters(client, world):
    targets = [
        "/articles/?country=BY&country=RU",
        "/articles/?page=1&page=2&page=-1",
        "/articles/?q=gas&q=%00&q=" + "x" * 5000,
        "/articles/?sort=oldest&sort=relevance&sort=x",
        "/articles/?person=vladimir-putin&person=ebrahim-raisi",
        "/articles/?date_from=2022-01-01&date_from=bad&date_to=2021-01-01",
        "/articles/?" + "&".join(f"section=news{i}" for i in range(500)),
        "/articles/?" + "&".join(f"p{i}=x" for i in range(500)),
        "/articles/?" + "&".join(f"{p}={quote(HOSTILE['sql quote'])}" for p in LIST_PARAMS),
        "/articles/?" + "&".join(f"{p}={quote(HOSTILE['nul'])}" for p in LIST_PARAMS),
        "/articles/feed.atom?" + "&".join(f"{p}=%FF" for p in LIST_PARAMS),
        "/articles/export.json?country=BY&country=ZZ&q=gas&q=-gas",
        "/people/?q=putin&q=%00&letter=A&letter=B&sort=az&sort=x",
    ]
    assert_never_500(client, targets)


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    query=st.dictionaries(
        st.sampled_from(LIST_PARAMS),
        st.text(max_size=60) | st.sampled_from(list(HOSTILE.values())),
        max_size=5,
    )
)
def test_any_combination_of_list_filters(client, world, query):
    target = "/articles/?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items())
    assert fetch(client, target).status_code in ALLOWED


# --- escaping ----------------------------------------------------------------------------------

SCRIPT = '<script>alert("x")</script>'
IMG = '<img src=x onerror="alert(1)">'
HOSTILE_ARTICLE = f"""News   /   <b>Markup</b> Desk

Harbour reopens {SCRIPT} after the storm

Boats in the harbour on March 8, 2024, {IMG} (Photo by <i>Agency</i> & Co)

The harbour reopened on Friday {SCRIPT} and fishermen returned to sea.

Repairs and the <style> question

Officials said the breakwater {IMG} would be finished in a month.

Fishermen said catches were good.
"""


@pytest.fixture
def hostile(db):
    batch = run_import(
        [RawFile(name="hostile.txt", data=HOSTILE_ARTICLE.encode())],
        options=ImportOptions(source_name="Harbour Radio"),
    )
    assert batch.created_count == 1, list(batch.files.values_list("reason", flat=True))
    article = Article.objects.get()
    person = make_person(f"Anna {SCRIPT} Berg", slug="anna-berg")
    link_person(article, person, role=f"harbour {IMG} master")
    recount()
    return article


def assert_escaped(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>Markup</b>" not in html
    assert "&lt;script&gt;" in html


def test_the_article_page_shows_markup_as_text(client, hostile):
    assert hostile.headline == f"Harbour reopens {SCRIPT} after the storm"
    assert any(b["kind"] == "subheading" for b in hostile.body)
    html = client.get(hostile.get_absolute_url()).content.decode()
    assert_escaped(html)
    assert (
        "onerror=&quot;alert(1)&quot;" in html
        or "onerror=&#x27;" in html
        or ("&lt;img src=x onerror=" in html)
    )
    assert "&lt;style&gt; question" in html
    assert "&lt;b&gt;Markup&lt;/b&gt; Desk" in html


def test_list_snippets_home_and_entity_pages_escape_markup(client, hostile):
    for target in [
        "/articles/?q=harbour",
        "/articles/?q=reopened&sort=relevance",
        "/articles/?q=%22harbour+reopens%22",
        "/articles/",
        "/",
        "/people/anna-berg/",
        "/people/",
        "/people/?q=anna",
        f"/sections/{hostile.section.path}/",
        "/sections/",
    ]:
        response = client.get(target)
        assert response.status_code == 200, target
        html = response.content.decode()
        assert "<script>alert" not in html, target
        assert "<img src=x" not in html, target
    snippet_page = client.get("/articles/?q=harbour").content.decode()
    assert "<mark>" in snippet_page  # our highlight stays live markup, the rest is text
    assert "&lt;script&gt;" in snippet_page


@pytest.mark.parametrize("path", ["/articles/feed.rss", "/articles/feed.atom"])
def test_feeds_carry_markup_as_text(client, hostile, path):
    response = client.get(path)
    root = ET.fromstring(response.content)
    assert not [el for el in root.iter() if el.tag.rsplit("}", 1)[-1] in ("script", "img", "b")]
    titles = [el.text for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "title"]
    if path.endswith(".rss"):
        # An RSS title is rendered as HTML by readers: entity-encoded once more (issue 16).
        titles = [html.unescape(t or "") for t in titles]
    assert hostile.headline in titles  # the text itself, escaped in the XML
    assert b"<script>" not in response.content


def test_exports_and_the_original_text_are_not_html(client, hostile):
    csv_response = client.get("/articles/export.csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(csv_response.streaming_content).decode())))
    assert rows[0]["headline"] == hostile.headline
    json_response = client.get("/articles/export.json")
    assert json_response["Content-Type"].startswith("application/json")
    data = json.loads(b"".join(json_response.streaming_content))
    assert data[0]["headline"] == hostile.headline  # text, in a JSON string
    original = client.get(hostile.get_absolute_url() + "original.txt")
    assert original["Content-Type"] == "text/plain; charset=utf-8"
    assert original["X-Content-Type-Options"] == "nosniff"
    assert original.content.decode() == HOSTILE_ARTICLE


def test_the_hostile_person_name_is_text_in_links(client, hostile):
    html = client.get(hostile.get_absolute_url()).content.decode()
    assert Person.objects.get().name in html.replace("&lt;", "<").replace("&gt;", ">").replace(
        "&quot;", '"'
    )
    assert "<script>alert" not in html
