"""/articles/: every filter, their combinations, facets, pagination and bad input."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from articles import filters
from articles.search import MESSAGE_ONLY_STOP_WORDS
from tests.factories import link_person, make_article, make_person, make_world, recount

pytestmark = pytest.mark.django_db
URL = reverse("articles:list")


@pytest.fixture
def world():
    return make_world()


def listed(client, query: str = "", status: int = 200) -> list:
    response = client.get(URL + query)
    assert response.status_code == status, response.content[:2000]
    return response.context["articles"] and list(response.context["articles"]) or []


def ids(articles) -> set[int]:
    return {a.id for a in articles}


def test_unfiltered_lists_everything_newest_first_undated_last(client, world):
    articles = listed(client)
    assert [a.id for a in articles] == [
        world.raisi_ir.id,
        world.putin_by.id,
        world.minsk_only.id,
        world.putin_ru.id,
        world.undated.id,
    ]


def test_person_and_country_lists_exactly_the_articles_with_both(client, world):
    assert ids(listed(client, "?person=vladimir-putin&country=BY")) == {world.putin_by.id}
    assert ids(listed(client, "?person=vladimir-putin&country=RU")) == {world.putin_ru.id}
    assert ids(listed(client, "?person=ebrahim-raisi&country=BY")) == set()


def test_country_includes_articles_naming_only_one_of_its_cities(client, world):
    assert ids(listed(client, "?country=BY")) == {world.minsk_only.id, world.putin_by.id}


def test_country_code_in_any_case(client, world):
    assert ids(listed(client, "?country=by")) == ids(listed(client, "?country=BY"))
    assert ids(listed(client, "?country=%20rU%20")) == {world.putin_ru.id}


def test_place_filter_by_slug(client, world):
    assert ids(listed(client, "?place=minsk")) == {world.minsk_only.id}
    # A country by slug is the same as by code.
    assert ids(listed(client, "?place=belarus")) == ids(listed(client, "?country=BY"))


def test_section_includes_subsections(client, world):
    assert ids(listed(client, "?section=news")) == {
        world.minsk_only.id,
        world.putin_by.id,
        world.putin_ru.id,
    }
    assert ids(listed(client, "?section=news/europe")) == {world.minsk_only.id, world.putin_by.id}


def test_source_filter(client, world):
    assert ids(listed(client, "?source=the-meridian-herald")) == {
        world.raisi_ir.id,
        world.undated.id,
    }


def test_date_range_is_inclusive(client, world):
    got = listed(client, "?date_from=2022-02-10&date_to=2022-03-01")
    assert ids(got) == {world.minsk_only.id, world.putin_by.id}
    assert ids(listed(client, "?date_from=2023-01-01")) == {world.raisi_ir.id}


def test_sort_oldest_puts_undated_last(client, world):
    articles = listed(client, "?sort=oldest")
    assert articles[0] == world.putin_ru
    assert articles[-1] == world.undated


def test_search_combines_with_filters_and_sorts_by_relevance(client, world):
    assert ids(listed(client, "?q=gas")) == {world.putin_by.id, world.undated.id}
    assert ids(listed(client, "?q=gas&country=BY")) == {world.putin_by.id}
    response = client.get(URL + "?q=gas")
    assert response.context["sort"] == filters.SORT_RELEVANCE
    # "prices" is in one article's headline and body, and only in the other's body.
    articles = listed(client, "?q=prices")
    assert [a.id for a in articles] == [world.raisi_ir.id, world.putin_by.id]
    newest = listed(client, "?q=prices&sort=newest")
    assert [a.id for a in newest] == [world.raisi_ir.id, world.putin_by.id]


def test_relevance_without_a_search_falls_back_to_newest(client, world):
    response = client.get(URL + "?sort=relevance")
    assert response.status_code == 200
    assert response.context["sort"] == filters.SORT_NEWEST


def test_search_results_show_highlighted_escaped_snippets(client, world):
    make_article("Gas <b>pipeline</b> report", body=["The <i>gas</i> pipeline & storage."])
    response = client.get(URL + "?q=pipeline")
    html = response.content.decode()
    assert "<mark>pipeline</mark>" in html
    assert "&lt;b&gt;" in html
    assert "<b>pipeline" not in html
    assert "<i>gas</i>" not in html


def test_search_suggests_matching_people_and_places(client, world):
    response = client.get(URL + "?q=putin")
    assert response.context["people_matches"] == [world.putin]
    assert reverse("articles:person", args=["vladimir-putin"]) in response.content.decode()


def test_only_stop_words_says_so_and_hides_nothing(client, world):
    response = client.get(URL + "?q=the+of")
    assert response.status_code == 200
    assert MESSAGE_ONLY_STOP_WORDS in response.content.decode()
    assert len(response.context["articles"]) == 5


def test_merged_person_slug_filters_by_the_kept_person(client, world):
    old = make_person("V. Putin", merged_into=world.putin)
    assert ids(listed(client, f"?person={old.slug}")) == ids(
        listed(client, "?person=vladimir-putin")
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?country=ZZ", "No article is linked to a country with the code “ZZ”."),
        ("?country=123", filters.ERROR_COUNTRY_FORMAT),
        ("?country=BYE", filters.ERROR_COUNTRY_FORMAT),
        ("?person=nobody-at-all", "There is no person “nobody-at-all”."),
        ("?place=atlantis", "There is no place “atlantis”."),
        ("?section=news/nowhere", "There is no section “news/nowhere”."),
        ("?source=nobody", "There is no source “nobody”."),
        ("?date_from=2022-13-01", filters.ERROR_DATE),
        ("?date_from=22/01/2022", filters.ERROR_DATE),
        ("?date_from=2023-01-01&date_to=2022-01-01", filters.ERROR_DATE_ORDER),
        ("?sort=sideways", "Select a valid choice."),
        ("?q=" + "x" * 301, "at most 300 characters"),
        ("?person=" + "p" * 5000, "There is no person"),
    ],
)
def test_invalid_values_give_a_message_and_400(client, world, query, message):
    response = client.get(URL + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert list(response.context["articles"]) == []


@pytest.mark.parametrize("page", ["abc", "0", "999", "-1", "1e9", "99999999999999999999"])
def test_invalid_page_is_404(client, world, page):
    assert client.get(URL + f"?page={page}").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "?country=BY&country=RU",
        "?q=%00",
        "?q='%20OR%201=1--",
        "?person=%27%3B%20DROP%20TABLE",
        "?section=../../etc",
        "?date_from=9999-12-31",
        "?date_from=0001-01-01",
        "?q=%E2%80%AE%F0%9F%92%A5",
        "?unknown=1",
        "?page=1&page=2",
        "?person=%00",
        "?source=a%00b",
        "?section=%00",
        "?place=%C0%AF",
        "?date_from=%00",
        "?sort=%00",
    ],
)
def test_hostile_values_never_500(client, world, query):
    assert client.get(URL + query).status_code in (200, 400, 404)


def test_pagination_keeps_the_filters(client, world):
    for i in range(25):
        link_person(make_article(f"Story {i}", published=dt.date(2020, 1, 1)), world.raisi)
    recount()  # as the importer does: the page's count is the stored one
    response = client.get(URL + "?person=ebrahim-raisi&sort=oldest")
    assert response.context["paginator"].count == 26
    html = response.content.decode()
    next_links = re.findall(r'href="([^"]*)" rel="next"', html)
    assert next_links == ["?person=ebrahim-raisi&amp;sort=oldest&amp;page=2"]
    page2 = client.get(URL + "?person=ebrahim-raisi&sort=oldest&page=2")
    assert len(page2.context["articles"]) == 6


def test_result_count_and_facets_follow_the_filters(client, world):
    response = client.get(URL + "?person=vladimir-putin")
    assert response.context["result_count"] == 2
    facets = response.context["facets"]
    assert [(f.value, f.count) for f in facets["people"]] == [
        ("vladimir-putin", 2),
        ("alexander-lukashenko", 1),
    ]
    assert {(f.value, f.count) for f in facets["countries"]} == {("BY", 1), ("RU", 1)}
    assert [(f.value, f.count) for f in facets["years"]] == [("2022", 1), ("2021", 1)]
    # A section counts its subsections' stories, as clicking it shows them (issue 15).
    assert [(f.value, f.count) for f in facets["sections"]] == [("news", 2), ("news/europe", 1)]


def test_unfiltered_facets_use_the_stored_counts(client, world):
    response = client.get(URL)
    facets = response.context["facets"]
    assert facets["people"][0].value in {"vladimir-putin", "alexander-lukashenko"}
    assert {(f.value, f.count) for f in facets["countries"]} == {
        ("BY", 2),
        ("RU", 1),
        ("IR", 1),
    }
    assert [(f.value, f.count) for f in facets["years"]] == [
        ("2023", 1),
        ("2022", 2),
        ("2021", 1),
    ]


def test_facet_links_add_to_the_current_filters(client, world):
    html = client.get(URL + "?country=BY").content.decode()
    assert 'href="?country=BY&amp;person=vladimir-putin"' in html
    # The chosen value links to its own removal.
    assert 'href="?" aria-current="true"' in html


def test_active_filters_can_be_removed_one_by_one(client, world):
    html = client.get(URL + "?country=BY&person=vladimir-putin").content.decode()
    assert 'aria-label="Remove filter Country: Belarus"' in html
    assert 'href="?person=vladimir-putin" aria-label="Remove filter Country: Belarus"' in html


def test_feed_and_export_links_carry_the_filters(client, world):
    html = client.get(URL + "?country=BY&page=1").content.decode()
    assert reverse("articles:export_csv") + "?country=BY" in html
    assert reverse("articles:feed_atom") + "?country=BY" in html


def test_empty_archive(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "No stories match" in response.content.decode()
