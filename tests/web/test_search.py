"""Full-text search: the same queries find the same articles on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from django.db import connection
from django.utils.text import slugify

from articles import search
from articles.models import Article
from articles.search import (
    MAX_TERMS,
    MESSAGE_ONLY_STOP_WORDS,
    MESSAGE_TRUNCATED,
    RankedArticles,
    find_people,
    find_places,
    markup,
    parse_query,
    ranked_ids,
    search_articles,
    snippets,
)
from tests.factories import make_article, make_city, make_country, make_person, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return {
        "belarus": make_article(
            "Sanctions on Belarus tighten after Minsk talks",
            body=["Officials said the new measures target state banks and refineries."],
        ),
        "harvest": make_article(
            "Harvest festival opens in Tehran",
            body=["Farmers celebrate the wheat harvest with music in the old square."],
        ),
        "bank": make_article(
            "Central bank holds interest rates",
            body=["Analysts say sanctions weigh on the economy more than the rate does."],
        ),
        "oil": make_article(
            "<script>alert(1)</script> Oil prices climb",
            body=["<b>Oil</b> exporters gain as demand returns & stocks fall."],
        ),
        "state": make_article(
            "Visit by the head of state",
            body=["The head of state met the delegation at noon."],
            caption="A caption about rivers",
        ),
        "subhead": make_article(
            "Weekly round-up",
            body=["Several items this week.", ("subheading", "Glaciers retreat faster")],
        ),
    }


def found(corpus, text):
    ids = set(
        search_articles(Article.objects.all(), parse_query(text)).values_list("id", flat=True)
    )
    return {name for name, article in corpus.items() if article.id in ids}


# --- parsing ----------------------------------------------------------------------------


def test_parse_words_phrases_or_and_exclusions():
    q = parse_query('iran oil OR gas "head of state" -"nuclear deal" -talks')
    assert [[t.words for t in g] for g in q.groups] == [
        [("iran",)],
        [("oil",), ("gas",)],
        [("head", "of", "state")],
    ]
    assert [t.words for t in q.excluded] == [("nuclear", "deal"), ("talks",)]
    assert (
        q.fts5()
        == '(("iran" OR "iranian" OR "iranians") AND ("oil" OR "gas") AND "head of state") NOT ("nuclear deal" OR "talks")'
    )


def test_parse_drops_stop_words_and_says_so_when_nothing_is_left():
    assert parse_query("the war").groups == parse_query("war").groups
    q = parse_query("the of and")
    assert q.is_empty
    assert q.messages == (MESSAGE_ONLY_STOP_WORDS,)


def test_parse_or_at_the_edges_and_next_to_exclusions_is_ignored():
    assert parse_query("OR war OR").fts5() == '"war"'
    assert parse_query("war OR -peace").fts5() == '("war") NOT ("peace")'


def test_parse_caps_the_number_of_terms():
    q = parse_query(" ".join(f"word{i}" for i in range(MAX_TERMS + 5)))
    assert len(q.groups) == MAX_TERMS
    assert MESSAGE_TRUNCATED in q.messages


def test_parse_phrase_loses_outer_stop_words_on_fts5_like_postgresql():
    assert parse_query('"Peskov\'s"').fts5() == '"peskov"'
    assert parse_query('"the head of state"').fts5() == '"head of state"'


# --- matching ---------------------------------------------------------------------------


def test_words_are_stemmed(corpus):
    assert found(corpus, "sanction") == {"belarus", "bank"}


def test_all_words_must_match(corpus):
    assert found(corpus, "sanctions economy") == {"bank"}


def test_phrase_matches_words_in_order(corpus):
    assert found(corpus, '"wheat harvest"') == {"harvest"}
    assert found(corpus, '"harvest wheat"') == set()
    assert found(corpus, '"head of state"') == {"state"}


def test_or_binds_tighter_than_and(corpus):
    assert found(corpus, "wheat OR oil") == {"harvest", "oil"}
    # sanctions AND (economy OR refineries), not (sanctions AND economy) OR refineries.
    assert found(corpus, "sanctions economy OR refineries") == {"bank", "belarus"}
    assert found(corpus, "rates OR refineries sanctions") == {"bank", "belarus"}


def test_exclusion(corpus):
    assert found(corpus, "sanctions -minsk") == {"bank"}
    assert found(corpus, 'sanctions -"state banks"') == {"bank"}


def test_only_exclusions_matches_everything_else(corpus):
    assert found(corpus, "-sanctions") == {"harvest", "oil", "state", "subhead"}


def test_caption_and_subheadings_are_searched(corpus):
    assert found(corpus, "rivers") == {"state"}
    assert found(corpus, "glaciers") == {"subhead"}


def test_empty_query_matches_nothing(corpus):
    assert found(corpus, "") == set()
    assert found(corpus, "the") == set()


def test_headline_match_ranks_above_body_match(corpus):
    query = parse_query("sanctions")
    matches = search_articles(Article.objects.all(), query)
    assert ranked_ids(matches, query, 0, 10) == [corpus["belarus"].id, corpus["bank"].id]
    assert ranked_ids(matches, query, 1, 10) == [corpus["bank"].id]


def test_ranked_articles_page_like_a_queryset(corpus):
    query = parse_query("sanctions OR harvest")
    results = RankedArticles(search_articles(Article.objects.all(), query), query)
    assert results.count() == len(results) == 3
    assert results[0] in (corpus["belarus"], corpus["harvest"])
    assert [a.id for a in results[0:3]] == ranked_ids(results.queryset, query, 0, 3)
    assert list(results[3:10]) == []
    with pytest.raises(IndexError):
        results[5]


def test_ranking_is_one_query_whatever_the_page_size(corpus, django_assert_num_queries):
    for i in range(30):
        make_article(f"Sanctions bulletin {i}", body=["More sanctions news."])
    query = parse_query("sanctions")
    results = RankedArticles(search_articles(Article.objects.all(), query), query)
    for size in (2, 25):
        with django_assert_num_queries(2):  # ranked ids, then the rows
            assert len(results[0:size]) == size


def test_search_combines_with_other_filters_and_subqueries(corpus):
    qs = search_articles(Article.objects.filter(headline__icontains="bank"), parse_query("rates"))
    assert list(qs) == [corpus["bank"]]
    # Used as a subquery (table aliases relabelled), the search still applies.
    outer = Article.objects.filter(
        id__in=search_articles(Article.objects.all(), parse_query("oil"))
    )
    assert list(outer) == [corpus["oil"]]


HOSTILE = [
    '"',
    '""',
    '"unterminated phrase',
    "AND",
    "NOT",
    "NEAR(a b)",
    "*",
    "war*",
    "headline:war",
    "^war",
    "(war",
    "war)",
    "-",
    "--",
    "- -",
    "OR",
    "OR OR OR",
    "a:b:c",
    "'; DROP TABLE articles_article; --",
    "\x00",
    "\ue000war\ue001",
    "💥 🔥",
    "war & peace | !love <-> hate",
    "Ваш запрос",
    "x" * 5000,
    "{} [] ~ ` @ # $ % ^ &",
    '-"-"',
    "+war",
    "war + peace",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_never_raises_and_answers_sanely(corpus, text):
    query = parse_query(text)
    assert sum(len(group) for group in query.groups) + len(query.excluded) <= MAX_TERMS
    qs = search_articles(Article.objects.all(), query)
    matched = set(qs.values_list("id", flat=True))
    assert matched <= {a.id for a in corpus.values()}
    rows = list(RankedArticles(qs, query)[0:50]) if query.has_positive else list(qs)
    # Ranking orders the matches; it neither adds nor loses any.
    assert {a.id for a in rows} == matched
    found = snippets([a.id for a in rows], query)
    assert set(found) <= matched
    for snippet in found.values():
        for html in (str(snippet.headline), str(snippet.body)):
            # Article text is escaped: the only live markup is our own <mark>.
            assert "<" not in html.replace("<mark>", "").replace("</mark>", "")


# --- snippets ---------------------------------------------------------------------------


def test_snippets_highlight_and_escape_article_text(corpus):
    query = parse_query("oil")
    result = snippets([corpus["oil"].id], query)[corpus["oil"].id]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result.headline
    assert "<mark>Oil</mark>" in result.headline
    assert "<script>" not in result.headline
    assert "<b>" not in result.body
    if connection.vendor == "sqlite":
        assert "&lt;b&gt;<mark>Oil</mark>&lt;/b&gt;" in result.body
    else:  # ts_headline leaves markup-like tokens out of excerpts
        assert result.body.startswith("<mark>Oil</mark>")
    assert "&amp;" in result.body


def test_snippets_only_for_the_ids_asked(corpus):
    query = parse_query("sanctions")
    result = snippets([corpus["bank"].id], query)
    assert set(result) == {corpus["bank"].id}
    assert "<mark>sanctions</mark>" in result[corpus["bank"].id].body


def test_snippets_of_a_phrase(corpus):
    body = snippets([corpus["harvest"].id], parse_query('"wheat harvest"'))[
        corpus["harvest"].id
    ].body
    # SQLite marks the phrase as a whole, PostgreSQL word by word.
    assert "<mark>wheat harvest</mark>" in body.replace("</mark> <mark>", " ")


def test_markup_balances_stray_markers():
    assert markup("a\ue001b") == "ab"
    assert markup("\ue000x\ue000y") == "<mark>xy</mark>"
    assert markup("<i>\ue000x\ue001</i>") == "&lt;i&gt;<mark>x</mark>&lt;/i&gt;"


# --- the index follows the table --------------------------------------------------------


def test_bulk_created_articles_are_indexed():
    source = make_source()
    Article.objects.bulk_create(
        [
            Article(
                source=source,
                headline=f"Lighthouse keeper number {i}",
                slug=slugify(f"lighthouse {i}"),
                body=[],
                body_text="A remote lighthouse on the cliffs.",
                original_text="x",
                original_filename=f"bulk{i}.txt",
                content_hash=f"bulk{i}",
                published=dt.date(2021, 1, i + 1),
            )
            for i in range(3)
        ]
    )
    assert search_articles(Article.objects.all(), parse_query("lighthouses")).count() == 3


def test_updated_text_is_reindexed_and_deleted_articles_leave(corpus):
    article = corpus["harvest"]
    article.headline = "Orchard festival opens in Tehran"
    article.save()
    assert found(corpus, "festival orchard") == {"harvest"}
    assert found(corpus, "harvest") == {"harvest"}  # still in the body
    article.body_text = "Farmers celebrate."
    article.save()
    assert found(corpus, "harvest") == set()
    corpus["oil"].delete()
    assert found(corpus, "oil") == set()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite triggers only")
def test_ensure_search_schema_restores_dropped_triggers(corpus):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER articles_article_fts_ai")
    assert search.ensure_search_schema() == ["articles_article_fts_ai"]
    make_article("Kingfisher spotted by the canal")
    assert search_articles(Article.objects.all(), parse_query("kingfisher")).count() == 1
    assert search.ensure_search_schema() == []


# --- name look-ups ----------------------------------------------------------------------


def test_find_people_by_part_of_the_name():
    putin = make_person("Vladimir Putin", article_count=5)
    make_person("Vladimir Nabokov", article_count=1)
    gone = make_person("V. Putin")
    gone.merged_into = putin
    gone.save()
    assert find_people("putin") == [putin]
    assert [p.name for p in find_people("vladimir")] == ["Vladimir Putin", "Vladimir Nabokov"]
    assert find_people("") == []
    assert find_people("'; --") == []


def test_find_places_includes_cities():
    belarus = make_country("Belarus", "BY")
    minsk = make_city("Minsk", belarus)
    assert find_places("minsk") == [minsk]
    assert find_places("belarus") == [belarus]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram similarity is PostgreSQL")
def test_find_people_tolerates_misspellings_on_postgresql():
    zelenskyy = make_person("Volodymyr Zelenskyy", article_count=3)
    assert find_people("Zelenskiy") == [zelenskyy]
