"""Queries per page are fixed: the same number for a nearly empty page as for a full one.

Each page is requested with a small and a larger archive; the pinned number must hold for
both. A new N+1 (a query per row in a template) fails here first.
"""

import datetime as dt

import pytest

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
    # url, queries: what they are
    ("/", 4),  # latest, people and countries of the month, sections
    ("/articles/", 6),  # count, page, 4 facets (3 from stored counts)
    ("/articles/?page=2", 6),
    ("/articles/?person=vladimir-putin&country=BY", 8),  # + 2 look-ups
    # count, ranked ids, their rows, snippets, 2 name look-ups, 4 facets
    ("/articles/?q=gas", 10),
    ("/articles/?q=gas&page=2", 8),  # no name look-ups after page 1
    ("/articles/?q=gas&sort=newest", 9),  # newest first: the page is one query
    ("/articles/?section=news&date_from=2020-01-01&sort=oldest", 7),
    ("/people/", 2),
    ("/people/?sort=az", 2),
    ("/people/vladimir-putin/", 7),  # person, count, page, chart, 2 co-mentions, roles
    ("/places/", 2),
    ("/places/belarus/", 7),  # place, count, page, chart, 2 co-mentions, cities
    ("/places/minsk/", 6),
    ("/sections/", 1),
    ("/sections/news/", 7),  # section, count, page, chart, 2 co-mentions, subsections
    ("/archive/", 3),  # years with counts (also the date list), count, page
    ("/archive/2022/", 6),  # months with counts, top people and countries, 2 neighbours
    ("/archive/2022/03/", 6),
    ("/articles/feed.atom", 1),
    ("/articles/feed.rss?person=vladimir-putin", 2),
]


@pytest.mark.parametrize(("url", "queries"), PAGES)
def test_queries_per_page(client, world, django_assert_num_queries, url, queries):
    with django_assert_num_queries(queries):
        response = client.get(url)
        assert response.status_code == 200


def test_queries_on_the_article_page(client, world, django_assert_num_queries):
    # article, people, places, related (ranking, then the rows)
    with django_assert_num_queries(5):
        assert client.get(world.putin_by.get_absolute_url()).status_code == 200


def test_export_queries_grow_with_chunks_not_rows(client, world, django_assert_num_queries):
    with django_assert_num_queries(3):  # rows, then people and countries for the one chunk
        response = client.get("/articles/export.csv")
        b"".join(response.streaming_content)
