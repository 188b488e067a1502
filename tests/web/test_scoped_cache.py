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


def ferry_story(i: int) -> str:
    return (
        f"News   /   Harbour\n\nFerry note {i}\n\nThe ferry to the islands sailed at {i} o'clock.\n"
    )


def counts_sent(filterset) -> tuple[tuple[int, bool], list[str]]:
    from articles import selectors
    from tests.sql_support import statements

    found = []
    seen = statements(lambda: found.append(selectors.list_count(filterset)))
    return found[0], [sql for sql in seen if "COUNT(" in sql.upper()]


@pytest.fixture
def ferries(monkeypatch):
    from articles.selectors import lists

    monkeypatch.setattr(lists, "SEARCH_COUNT_CAP", 2)
    import_texts({f"f/{i}.txt": ferry_story(i) for i in range(3)}, published=dt.date(2023, 3, 6))


def test_a_count_over_its_cap_is_not_counted_again_after_an_import_of_new_stories(ferries):
    from articles import selectors

    search = lambda: selectors.article_filter({"q": "ferry"})  # noqa: E731
    found, counted = counts_sent(search())
    assert found == (2, True)
    assert counted
    assert counts_sent(search())[1] == []  # cached for this version
    import_texts({"g/late.txt": ferry_story(9)}, published=dt.date(2023, 3, 7))

    found, counted = counts_sent(search())
    assert found == (2, True)  # "more than 2": a new story can only add a match
    assert counted == []


def test_a_count_under_its_cap_is_counted_again_after_an_import():
    from articles import selectors

    import_texts({"f/0.txt": ferry_story(0)}, published=dt.date(2023, 3, 6))
    assert counts_sent(selectors.article_filter({"q": "ferry"}))[0] == (1, False)

    import_texts({"g/late.txt": ferry_story(9)}, published=dt.date(2023, 3, 7))

    found, counted = counts_sent(selectors.article_filter({"q": "ferry"}))
    assert found == (2, False)
    assert counted


def test_replacing_a_story_or_curating_counts_a_capped_search_again(ferries):
    from articles import curation
    from articles.models import Place
    from articles.selectors import article_filter

    assert counts_sent(article_filter({"q": "ferry"}))[0] == (2, True)
    # A changed file read again replaces its story: it may have lost the word.
    changed = "News   /   Harbour\n\nHarbour note 1\n\nThe harbour office closed for the day.\n"
    batch = import_texts({"f/1.txt": changed}, published=dt.date(2023, 3, 6))
    assert batch.updated_count == 1

    found, counted = counts_sent(article_filter({"q": "ferry"}))
    assert counted  # counted again: 2 stories still say "ferry"
    assert found == (2, False)

    import_texts({"g/more.txt": ferry_story(7)}, published=dt.date(2023, 3, 8))
    assert counts_sent(article_filter({"q": "ferry"}))[0] == (2, True)
    Place.objects.create(name="Stenholm", slug="stenholm", kind=Place.Kind.CITY)
    curation.mark_not_entity(place=Place.objects.get(slug="stenholm"))  # bumps "*"
    assert counts_sent(article_filter({"q": "ferry"}))[1]
