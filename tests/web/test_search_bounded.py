"""Ranking is bounded: only the newest RANK_CANDIDATES matches are scored, older matches
follow newest first, every match once; the list page says so."""

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.http import QueryDict

from articles import selectors
from articles.models import Article
from articles.models import articles as article_models
from articles.search import backends, count_matches, parse_query, ranked_ids, search_articles
from articles.selectors import aggregates
from tests.factories import (
    link_person,
    link_place,
    make_article,
    make_country,
    make_person,
    make_source,
    recount,
)
from tests.sql_support import statements

pytestmark = pytest.mark.django_db


@pytest.fixture
def lighthouses(monkeypatch):
    monkeypatch.setattr(backends, "RANK_CANDIDATES", 3)
    # Oldest first: the best match by far (the word in its headline) is the oldest.
    best = make_article("Lighthouse keepers lighthouse", body=["The lighthouse shone."])
    plain = [
        make_article(f"Harbour notes {i}", body=[f"A lighthouse was mentioned, item {i}."])
        for i in range(5)
    ]
    return best, plain


@pytest.mark.parametrize("only_search", [True, False])
def test_only_the_newest_candidates_are_ranked_and_the_rest_follow(lighthouses, only_search):
    best, plain = lighthouses
    query = parse_query("lighthouse")
    matches = search_articles(Article.objects.all(), query)
    if not only_search:
        matches = matches.filter(source=make_source())
    order = ranked_ids(matches, query, 0, 10, only_search=only_search)

    newest_three = {a.pk for a in plain[-3:]}
    assert set(order[:3]) == newest_three  # the candidates, ranked
    assert order[3:] == [plain[1].pk, plain[0].pk, best.pk]  # then the older, newest first
    assert sorted(order) == sorted([best.pk, *(a.pk for a in plain)])
    # Pages that cross or start past the candidates join up with the whole order.
    assert ranked_ids(matches, query, 2, 5, only_search=only_search) == order[2:5]
    assert ranked_ids(matches, query, 4, 10, only_search=only_search) == order[4:]


def test_without_a_bound_the_best_match_comes_first(lighthouses, monkeypatch):
    best, _ = lighthouses
    monkeypatch.setattr(backends, "RANK_CANDIDATES", 100)
    query = parse_query("lighthouse")
    assert ranked_ids(search_articles(Article.objects.all(), query), query, 0, 1) == [best.pk]


def test_the_list_page_says_how_many_matches_were_ranked(client, lighthouses):
    page = client.get("/articles/?q=lighthouse").content.decode()
    assert 'id="rank-sample"' in page and "among the 3 latest matches" in page
    newest = client.get("/articles/?q=lighthouse&sort=newest").content.decode()
    assert 'id="rank-sample"' not in newest


def test_years_of_a_large_search_are_counted_over_the_facet_sample(lighthouses, monkeypatch):
    from articles import selectors

    monkeypatch.setattr(aggregates, "FACET_SAMPLE", 2)
    facets = selectors.list_facets(selectors.article_filter({"q": "lighthouse"}))
    assert facets["years_sample"] == 2
    assert sum(f.count for f in facets["years"]) == 2
    small = selectors.list_facets(selectors.article_filter({"q": "keepers"}))
    assert small["years_sample"] is None
    assert sum(f.count for f in small["years"]) == 1


def test_a_list_with_several_filters_is_counted_up_to_the_cap(monkeypatch):
    from articles import selectors
    from articles.selectors import lists
    from tests.factories import link_person, make_person, recount

    monkeypatch.setattr(lists, "SEARCH_COUNT_CAP", 2)
    person = make_person("Ilse Marrow")
    for i in range(4):
        link_person(make_article(f"Harbour report {i}"), person)
    recount()
    both = selectors.article_filter({"person": person.slug, "section": "news"})
    assert selectors.list_count(both) == (2, True)  # "more than 2"
    alone = selectors.article_filter({"person": person.slug})
    assert selectors.list_count(alone) == (4, False)  # the stored count


def test_several_filters_are_counted_from_the_rarest_entitys_articles(monkeypatch):
    """People and places alone are counted from the rarest one's mention rows. With another
    filter beside them, on SQLite, where common entities are EXISTS probes, the count also
    reads the rarest one's mention rows as ``id IN (...)`` so it does not probe every
    article. Same number."""
    monkeypatch.setattr(article_models, "SQLITE_EXISTS_MIN", 1)
    person, country = make_person("Ilse Marrow"), make_country("Norland", "NL")
    for i in range(6):
        article = make_article(f"Harbour report {i}")
        link_place(article, country)
        if i % 2:
            link_person(article, person)
    link_person(make_article("Ferry timetable"), person)  # the person outside Norland
    recount()
    both = selectors.article_filter({"person": person.slug, "country": "NL"})
    seen = statements(lambda: selectors.list_count(both))
    assert selectors.list_count(both) == (3, False)
    (count,) = [sql for sql in seen if "COUNT(" in sql.upper()]
    # The person's rows (3 + 1) kept where Norland (6) has one too; no article row read.
    assert '"articles_article"' not in count
    assert 'FROM "articles_articleperson" WHERE' in count
    assert '"articles_articleplace"' in count.partition("EXISTS(SELECT")[2]
    # With a date too, the articles are read; on SQLite driven by the rarest one's rows.
    dated = selectors.article_filter(
        {"person": person.slug, "country": "NL", "date_to": "2099-01-01"}
    )
    seen = statements(lambda: selectors.list_count(dated))
    assert selectors.list_count(dated) == (3, False)
    (count,) = [sql for sql in seen if "COUNT(" in sql.upper()]
    driven = count.partition('"articles_article"."id" IN (SELECT')[2]
    if connection.vendor == "sqlite":
        assert driven.split(" WHERE ", 1)[0].endswith('FROM "articles_articleperson" "U0"')
    else:
        assert not driven  # PostgreSQL joins, and plans the count itself


def test_a_count_with_a_date_or_section_too_still_reads_the_articles(monkeypatch):
    monkeypatch.setattr(article_models, "SQLITE_EXISTS_MIN", 1)
    person, country = make_person("Ilse Marrow"), make_country("Norland", "NL")
    for i in range(6):
        article = make_article(f"Harbour report {i}", published=dt.date(2021, 3, 1 + i))
        link_place(article, country)
        link_person(article, person)
    recount()
    dated = {"person": person.slug, "country": "NL", "date_from": "2021-03-04"}
    assert selectors.list_count(selectors.article_filter(dated)) == (3, False)
    both_people = {"person": [person.slug, make_person("Oda Fenwick").slug]}
    filterset = selectors.article_filter(QueryDict(urlencode(both_people, doseq=True)))
    assert selectors.list_count(filterset) == (0, False)  # both required: nobody has both


def postgres_only(test):
    return pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the id windows are PostgreSQL's"
    )(test)


@pytest.fixture
def tide_tables():
    """Fifteen articles, the word "tide" in every third (ids oldest to newest)."""
    articles = [
        make_article(
            f"Port bulletin {i}",
            body=[f"The tide tables for berth {i}." if i % 3 == 0 else f"Berth {i} is closed."],
        )
        for i in range(15)
    ]
    return [a.pk for a in articles if "tide" in a.body_text]


@postgres_only
def test_a_word_expected_in_most_articles_walks_the_newest_ids(tide_tables, monkeypatch):
    monkeypatch.setattr(backends, "_estimated_rows", lambda db, queryset: 7.5)  # half of 15
    query = parse_query("tide")
    matches = search_articles(Article.objects.all(), query)

    walk = backends.newest_match_ids(matches, 3)

    assert not isinstance(walk, list)  # the plain subquery, no window
    assert list(walk) == sorted(tide_tables, reverse=True)[:3]


@postgres_only
def test_a_rarer_word_is_found_in_widening_id_windows(
    tide_tables, monkeypatch, django_assert_num_queries
):
    # Expected in 2.5 of 15 ids: with a margin of 0.2, the first window is the newest 4 ids
    # (one match), then 8 (two), then 16: all 15, every match.
    monkeypatch.setattr(backends, "_estimated_rows", lambda db, queryset: 2.5)
    monkeypatch.setattr(backends, "WINDOW_MARGIN", 0.2)
    monkeypatch.setattr(backends, "WINDOW_GROWTH", 2)
    monkeypatch.setattr(backends, "WHOLE_SHARE", 1)  # a window as wide as the archive: all
    query = parse_query("tide")
    matches = search_articles(Article.objects.all(), query)

    # The newest and oldest id, then three windows, each followed (in the test's transaction)
    # by the statement that turns index scans back on.
    with django_assert_num_queries(1 + 3 * 2):
        found = backends.newest_match_ids(matches, 3)
    assert found == sorted(tide_tables, reverse=True)[:3]

    with connection.cursor() as cursor:  # turned back on inside the test's transaction
        for setting in ("enable_indexscan", "enable_seqscan"):
            cursor.execute(f"SHOW {setting}")
            assert cursor.fetchone()[0] == "on"
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] != backends.BITMAP_WORK_MEM


@postgres_only
def test_the_planner_estimate_is_read_without_reading_rows(tide_tables):
    matches = search_articles(Article.objects.all(), parse_query("tide"))
    assert backends._estimated_rows(matches.db, matches) >= 1


@postgres_only
def test_windowed_candidates_rank_like_the_plain_order(tide_tables, monkeypatch):
    monkeypatch.setattr(backends, "RANK_CANDIDATES", 3)
    monkeypatch.setattr(backends, "_estimated_rows", lambda db, queryset: 2.5)
    monkeypatch.setattr(backends, "WINDOW_MARGIN", 0.2)
    monkeypatch.setattr(backends, "WHOLE_SHARE", 1)
    query = parse_query("tide")
    matches = search_articles(Article.objects.all(), query)

    windowed = ranked_ids(matches, query, 0, 10, only_search=True)
    plain = ranked_ids(matches, query, 0, 10, only_search=False)

    assert windowed == plain
    assert sorted(windowed) == sorted(tide_tables)


def month(k: int) -> dt.date:
    """The 15th of the k-th month from January 2020."""
    return dt.date(2020 + k // 12, k % 12 + 1, 15)


@postgres_only
def test_the_facet_sample_by_date_is_found_in_widening_date_windows(monkeypatch):
    # One article a month, added in an order unlike their dates; "quay" in every other one;
    # two undated.
    months = [9, 2, 14, 5, 11, 1, 7, 13, 3, 12, 6, 10, 4, 8]
    for i, k in enumerate(months):
        word = "quay" if i % 2 == 0 else "pier"
        make_article(f"Dock note {i}", body=[f"The {word} was busy."], published=month(k))
    for i in range(2):
        make_article(f"Undated dock note {i}", body=["The quay was quiet."], published=None)
    monkeypatch.setattr(backends, "_estimated_rows", lambda db, queryset: 1.0)
    # One match expected in 16 ids, margin 1/16: the first window is the newest n by date.
    monkeypatch.setattr(backends, "WINDOW_MARGIN", 1 / 16)
    monkeypatch.setattr(backends, "WHOLE_SHARE", 1)
    monkeypatch.setattr(backends, "WINDOW_GROWTH", 2)
    matches = search_articles(Article.objects.all(), parse_query("quay"))
    plain = list(matches.newest_first().values_list("id", flat=True))

    # n = 1: the newest month holds one; 3: its 3 newest months hold one, 6 hold 3; 9: 9 months
    # hold 5, 18 are more than there are: every match, the undated ones last.
    for n in (1, 3, 9):
        monkeypatch.setattr(aggregates, "FACET_SAMPLE", n)
        assert aggregates.sample_ids(matches, only_search=True) == plain[:n]


@postgres_only
def test_a_date_window_starts_where_the_monthly_counts_reach_it(django_assert_num_queries):
    for k, n in [(0, 2), (1, 3), (3, 1)]:  # Jan 2020: 2 articles, Feb: 3, Apr: 1
        for i in range(n):
            make_article(f"Harbour log {k}-{i}", published=month(k))
    make_article("Undated harbour log", published=None)

    with django_assert_num_queries(1):  # the monthly counts, not the articles
        assert backends._date_bound("default", 1) == {"published__gte": dt.date(2020, 4, 1)}
    assert backends._date_bound("default", 2) == {"published__gte": dt.date(2020, 2, 1)}
    assert backends._date_bound("default", 4) == {"published__gte": dt.date(2020, 2, 1)}
    assert backends._date_bound("default", 5) == {"published__gte": dt.date(2020, 1, 1)}
    assert backends._date_bound("default", 6) == {"published__gte": dt.date(2020, 1, 1)}
    assert backends._date_bound("default", 7) is None  # into the undated: every match


@postgres_only
def test_a_search_is_counted_up_to_the_cap_from_the_bitmap_or_the_newest_ids(
    tide_tables, monkeypatch
):
    monkeypatch.setattr(backends, "_estimated_rows", lambda db, queryset: 2.5)
    monkeypatch.setattr(backends, "WINDOW_MARGIN", 0.2)
    monkeypatch.setattr(backends, "WHOLE_SHARE", 1)
    query = parse_query("tide")
    matches = search_articles(Article.objects.all(), query)

    for cap in (2, 4, 5, 6):  # from the GIN bitmap
        seen = statements(lambda c=cap: count_matches(matches, query, only_search=True, cap=c))
        assert count_matches(matches, query, only_search=True, cap=cap) == min(cap, 5)
        assert any("SET LOCAL enable_seqscan = off" in sql for sql in seen)
    # A word expected in every article and in more than WALK_COUNT_CAPS caps: the walk.
    monkeypatch.setattr(backends, "_estimated_rows", lambda db, queryset: 15.0)
    monkeypatch.setattr(backends, "WALK_COUNT_CAPS", 3)
    seen = statements(lambda: count_matches(matches, query, only_search=True, cap=4))
    assert count_matches(matches, query, only_search=True, cap=4) == 4
    assert not any("enable_seqscan" in sql for sql in seen)
    assert any('ORDER BY "articles_article"."id" DESC LIMIT 4' in sql for sql in seen)
    # In every article but fewer than WALK_COUNT_CAPS caps: the bitmap again.
    seen = statements(lambda: count_matches(matches, query, only_search=True, cap=6))
    assert count_matches(matches, query, only_search=True, cap=6) == 5
    assert any("SET LOCAL enable_seqscan = off" in sql for sql in seen)


def sqlite_only(test):
    return pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 plan")(test)


@sqlite_only
@pytest.mark.parametrize("ratio", [1e9, 1e-9], ids=["walk the date index", "sort the matches"])
def test_the_sqlite_facet_sample_is_the_newest_matches_by_date_either_way(monkeypatch, ratio):
    days = [9, 2, 14, 5, 11, 1, 7, 13, 3, 12, 6, 10, 4, 8]
    for i, day in enumerate(days):
        word = "quay" if i % 2 == 0 else "pier"
        make_article(
            f"Dock note {i}", body=[f"The {word} was busy."], published=dt.date(2021, 5, day)
        )
    make_article("Undated dock note", body=["The quay was quiet."], published=None)
    monkeypatch.setattr(backends, "WALK_COST_RATIO", ratio)
    query = parse_query("quay")
    matches = search_articles(Article.objects.all(), query)
    plain = list(matches.newest_first().values_list("id", flat=True))

    for n in (1, 4, 8, 20):
        assert backends.fts_newest_by_date(query, n) == plain[:n]
        monkeypatch.setattr(aggregates, "FACET_SAMPLE", n)
        assert aggregates.sample_ids(matches, only_search=True, query=query) == plain[:n]


def test_a_search_with_few_matches_reads_them_once_for_sample_years_and_ranking(monkeypatch):
    from articles.selectors import lists

    # Added in an order unlike their dates; "quay" in every other one; one undated match.
    days = [9, 2, 14, 5, 11, 1, 7, 13]
    for i, day in enumerate(days):
        word = "quay" if i % 2 == 0 else "pier"
        make_article(f"Dock note {i}", body=[f"The {word} was busy."], published=month(day))
    make_article("Undated dock note", body=["The quay was quiet, the quay was cold."])
    query = parse_query("quay")
    matches = search_articles(Article.objects.all(), query)
    newest = list(matches.newest_first().values_list("id", flat=True))

    filterset = selectors.article_filter({"q": "quay"})
    assert selectors.list_count(filterset) == (5, False)
    seen = statements(lambda: lists._few_matches(filterset))
    few = lists._few_matches(filterset)  # read once per request
    # One statement for the matches (besides the archive version, read afresh outside a
    # request, for the cached count).
    assert len([sql for sql in seen if "archiveversion" not in sql]) == 1
    assert [pk for pk, _ in few] == newest  # newest first, the undated one last

    facets = selectors.list_facets(filterset)
    assert facets["years"] == aggregates.facet_years(matches)
    assert facets["years_sample"] is None
    # The facets cached, a new request's read of them sends no query for the matches.
    again = selectors.article_filter({"q": "quay"})
    seen = statements(lambda: selectors.list_facets(again))
    assert seen and all("archiveversion" in sql for sql in seen)
    page = selectors.article_list(filterset)[0:10]
    assert [a.pk for a in page] == ranked_ids(matches, query, 0, 10, only_search=True)

    monkeypatch.setattr(aggregates, "FACET_SAMPLE", 4)  # more matches than that: not read
    assert lists._few_matches(selectors.article_filter({"q": "quay"})) is None
