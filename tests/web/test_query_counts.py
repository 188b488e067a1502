"""Queries per page are fixed: the same number for a nearly empty page as for a full one.

Each page is requested with a small and a larger archive; the pinned number must hold for
both. A new N+1 (a query per row in a template) fails here first.
"""

import datetime as dt

import pytest
from django.db import connection

from articles.search import backends
from tests.factories import link_person, link_place, make_article, make_world, recount

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[20, 45], ids=["few", "many"])
def world(request):
    w = make_world()
    for i in range(request.param):
        article = make_article(
            f"Extra story number {i} about gas",
            body=[f"Vladimir Putin spoke about gas prices, item {i}.", ("subheading", "More")],
            section="News / Europe",
            published=dt.date(2022, 3, 1 + i % 28),
        )
        link_person(article, w.putin, role="President")
        link_person(article, w.lukashenko)
        link_place(article, w.minsk)
    recount()
    return w


PAGES = [
    # url, queries on a first visit, queries once the archive version's aggregates are cached
    # (articles.caching; page cache off): what they are. "version" reads the archive version.
    # Warm, a page's rows are not read either: its list of stories, with its pagination, is
    # a {% fragment %} of that version, and the rows are read only to render it.
    ("/", 5, 3),  # version, latest, people and countries of the month (cached), sections
    ("/articles/", 7, 2),  # version, stored total, page, 4 facets (3 from stored counts)
    ("/articles/?page=2", 7, 2),
    # 2 look-ups, version, page, count and 4 facets (cached); a filtered list's facets also
    # read the ids of their sample once (+1), instead of finding them once per facet. A count
    # up to the cap first reads the "edits" scope (+1): a count found over its cap stays so
    # while stories are only added (``caching.lasting``).
    ("/articles/?person=vladimir-putin&country=BY", 11, 3),
    # version, their rows; snippets, 2 name look-ups, ranked ids, capped count, sample ids,
    # 3 facets (cached: snippets per page of ids and search, name look-ups per search); the
    # "edits" scope before the count. A search with at most 1,000 matches reads them all, with
    # their dates, once: its sample, its rank candidates and its year facet (no query).
    ("/articles/?q=gas", 12, 1),
    ("/articles/?q=gas&page=2", 10, 1),  # no name look-ups after page 1
    ("/articles/?q=gas&sort=newest", 11, 1),  # newest first: the page is one query
    ("/articles/?section=news&date_from=2020-01-01&sort=oldest", 10, 2),
    ("/people/", 2, 2),
    ("/people/?sort=az", 2, 2),
    # person, version, page; chart, 2 co-mentions, roles (cached); count is stored
    ("/people/vladimir-putin/", 7, 2),
    ("/places/", 2, 2),
    ("/places/belarus/", 7, 3),  # place, version, page, cities; chart, 2 co-mentions
    ("/places/minsk/", 6, 2),
    ("/sections/", 1, 1),
    # section, version, stored subtree count, page, subsections; chart, 2 co-mentions
    ("/sections/news/", 8, 4),
    ("/archive/", 4, 2),  # version, count, page; years with counts (cached)
    ("/archive/2022/", 7, 4),  # version, 2 neighbours, ...; months, top people and countries
    # ..., and the version its list's {% fragment %} is keyed by (nothing else read it)
    ("/archive/2022/03/", 7, 6),
    # people, places and sections sharing trigrams with what was typed (no version read:
    # the page cache is off here)
    ("/articles/suggest.json?q=putn", 3, 3),
    ("/articles/suggest.json?q=minsk", 3, 3),
    # two people: 2 look-ups in one query, version, page, the "edits" scope, count, the facet
    # sample, 4 facets
    ("/articles/?person=vladimir-putin&person=alexander-lukashenko", 10, 2),
    ("/articles/?person=vladimir-putin&person=alexander-lukashenko&match=any", 10, 2),
    # no results: version, the "edits" scope, count (0: no page to read), 2 name look-ups,
    # the matches (none: no facet to count, no years);
    # did-you-mean (not cached): 3 name look-ups and the newest stories' words; the 2 name
    # look-ups of "Looking for ...?" are cached per search
    ("/articles/?q=gass+prises", 10, 5),
    ("/articles/feed.atom", 1, 1),
    ("/articles/feed.rss?person=vladimir-putin", 2, 2),
]


# PostgreSQL counts a search from the GIN index's bitmap (``backends.count_matches``) with
# index scans off for that one statement; inside the test's transaction only, one more
# statement sets them and work memory back. These searches have few matches: their sample and
# rank candidates are those matches, read once (``selectors.lists._few_matches``), with no
# window of the newest articles to look for (the planner's estimate is fixed to "rare" here
# all the same, so a search never hangs on statistics some other test left).
POSTGRES_WINDOWS = {
    "/articles/?q=gas": 1,
    "/articles/?q=gas&page=2": 1,
    "/articles/?q=gas&sort=newest": 1,
    "/articles/?q=gass+prises": 1,
}


@pytest.fixture(autouse=True)
def rare_words(monkeypatch):
    monkeypatch.setattr(backends, "_estimated_rows", lambda db, queryset: 1.0)


@pytest.mark.parametrize(("url", "queries", "warm"), PAGES)
def test_queries_per_page(client, world, django_assert_num_queries, url, queries, warm):
    if connection.vendor == "postgresql":
        queries += POSTGRES_WINDOWS.get(url, 0)
    with django_assert_num_queries(queries):
        response = client.get(url)
        assert response.status_code == 200
    with django_assert_num_queries(warm):  # the same page again: aggregates come cached
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(("url", "queries", "warm"), PAGES)
def test_a_cached_page_costs_one_query(
    client, world, settings, django_assert_num_queries, url, queries, warm
):
    settings.PAGE_CACHE_SECONDS = 600
    first = client.get(url)
    assert first["X-Archive-Cache"] == "miss"
    with django_assert_num_queries(1):  # the archive version, nothing else
        again = client.get(url)
    assert again["X-Archive-Cache"] == "hit"
    assert again.content == first.content


def test_queries_on_the_article_page(client, world, django_assert_num_queries):
    # version, article, people, places, related (ranking, then the rows)
    with django_assert_num_queries(6):
        assert client.get(world.putin_by.get_absolute_url()).status_code == 200
    # again: version and article; who and where it names, and its related stories, cached
    with django_assert_num_queries(2):
        assert client.get(world.putin_by.get_absolute_url()).status_code == 200


def test_export_queries_grow_with_chunks_not_rows(client, world, django_assert_num_queries):
    # Where this part ends (for its Link to the next part: issue 16), the rows, then people
    # and countries for the one chunk.
    with django_assert_num_queries(4):
        response = client.get("/articles/export.csv")
        b"".join(response.streaming_content)


def test_the_suggestions_endpoint_finds_a_misspelt_name(client, world):
    found = client.get("/articles/suggest.json?q=putn").json()["results"]
    assert found[0] == {
        "param": "person",
        "value": "vladimir-putin",
        "label": "Vladimir Putin",
        "kind": "Person",
        "url": "/people/vladimir-putin/",
    }
