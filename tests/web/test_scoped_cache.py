"""An import refreshes the cached pages of what it wrote to, and only those: the pages of
untouched people, places and sections stay cached. The first request of a touched page after
an import reads stored counts, not the whole archive: its queries are pinned."""

import datetime as dt

import pytest

from articles.caching import PAGE_HEADER
from tests.factories import HARBOUR, MATCH, import_texts

pytestmark = pytest.mark.django_db

MORE_SPORT = (
    "Sport   /   Football\n\nThe cup holders lose at home\n\n"
    "Coach Marten Ulvaeus said in Moscow that the defeat was deserved.\n"
)


@pytest.fixture
def archive(settings):
    settings.PAGE_CACHE_SECONDS = 600
    import_texts({"a/harbour.txt": HARBOUR, "a/match.txt": MATCH}, published=dt.date(2023, 3, 6))


UNTOUCHED = ["/people/arvid-tallen/", "/places/minsk/", "/places/belarus/", "/sections/news/"]
TOUCHED = ["/people/marten-ulvaeus/", "/places/moscow/", "/sections/sport/", "/articles/", "/"]


def test_an_import_into_sport_leaves_untouched_pages_cached(client, archive):
    for url in UNTOUCHED + TOUCHED:
        assert client.get(url)[PAGE_HEADER] == "miss"
        assert client.get(url)[PAGE_HEADER] == "hit"

    import_texts({"b/more.txt": MORE_SPORT}, published=dt.date(2023, 3, 20))

    for url in UNTOUCHED:
        assert client.get(url)[PAGE_HEADER] == "hit", url
    for url in TOUCHED:
        response = client.get(url)
        assert response[PAGE_HEADER] == "miss", url
    assert b"The cup holders lose at home" in client.get("/sections/sport/").content


def test_a_curation_action_refreshes_every_page(client, archive):
    from articles import curation
    from articles.models import Place

    for url in UNTOUCHED:
        client.get(url)
    curation.mark_not_entity(place=Place.objects.get(name="Moscow"))
    for url in UNTOUCHED:
        assert client.get(url)[PAGE_HEADER] == "miss", url


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # scope versions, person, page, chart (monthly counts), 2 co-mentions, roles
        ("/people/marten-ulvaeus/", 7),
        # version, place, page, cities, chart, 2 co-mentions
        ("/places/russia/", 7),
        # version, section, subtree count, page, subsections, chart, 2 co-mentions
        ("/sections/sport/", 8),
        ("/archive/", 4),  # version, count, page, years (monthly counts)
    ],
)
def test_the_first_request_after_an_import_reads_stored_counts(
    client, settings, django_assert_num_queries, url, queries
):
    settings.PAGE_CACHE_SECONDS = 0
    import_texts({"a/match.txt": MATCH}, published=dt.date(2023, 3, 6))
    client.get(url)
    import_texts({"b/more.txt": MORE_SPORT}, published=dt.date(2023, 3, 20))
    with django_assert_num_queries(queries) as captured:
        assert client.get(url).status_code == 200
    sql = " ".join(q["sql"] for q in captured.captured_queries).lower()
    assert "articles_monthlycount" in sql
    # no coverage computed from the article rows: no GROUP BY over the articles' months
    assert "start of month" not in sql and "date_trunc" not in sql
