"""People, places and sections: indexes and entity pages (stories, roles, chart, co-mentions)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.urls import reverse

from articles.models import Article
from articles.selectors import MonthCount, coverage_series
from articles.templatetags.archive_tags import coverage_chart
from tests.factories import link_person, make_article, make_person, make_world, recount

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


# --- people -----------------------------------------------------------------------------


def test_person_page(client, world):
    response = client.get(reverse("articles:person", args=["vladimir-putin"]))
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [world.putin_by, world.putin_ru]
    assert [(r.label, r.count) for r in response.context["roles"]] == [
        ("President", 1),
        ("Russian President", 1),
    ]
    assert [(p.value, p.count) for p in response.context["co_people"]] == [
        ("alexander-lukashenko", 1)
    ]
    assert {(p.value, p.count) for p in response.context["co_places"]} == {
        ("belarus", 1),
        ("russia", 1),
        ("moscow", 1),
    }
    html = response.content.decode()
    assert '<h1 class="page-title">Vladimir Putin</h1>' in html
    # Two stories are a sentence, not a chart (issue 15).
    assert '<svg class="chart__svg"' not in html
    assert '<p class="chart-sentence">2 stories: June 2021 and March 2022.</p>' in html
    assert "Described as" in html


def test_person_page_paginates_stories(client, world):
    for i in range(25):
        link_person(make_article(f"Story {i}", published=dt.date(2020, 1, i + 1)), world.raisi)
    recount()  # as the importer does: the page's count is the stored one
    url = reverse("articles:person", args=["ebrahim-raisi"])
    first = client.get(url)
    assert first.context["paginator"].count == 26
    assert len(first.context["object_list"]) == 20
    assert 'href="?page=2" rel="next"' in first.content.decode()
    assert len(client.get(url + "?page=2").context["object_list"]) == 6
    assert client.get(url + "?page=3").status_code == 404


def test_merged_person_redirects_permanently_to_the_kept_one(client, world):
    make_person("V. Putin", slug="v-putin", merged_into=world.putin)
    response = client.get(reverse("articles:person", args=["v-putin"]))
    assert response.status_code == 301
    assert response["Location"] == world.putin.get_absolute_url()


def test_merge_chains_are_followed(client, world):
    middle = make_person("Putin V.", slug="putin-v", merged_into=world.putin)
    make_person("Vlad Putin", slug="vlad-putin", merged_into=middle)
    response = client.get(reverse("articles:person", args=["vlad-putin"]))
    assert response["Location"] == world.putin.get_absolute_url()


def test_not_an_entity_and_unknown_people_are_404(client, world):
    make_person("Thursday Morning", is_entity=False)
    assert client.get(reverse("articles:person", args=["thursday-morning"])).status_code == 404
    assert client.get(reverse("articles:person", args=["nobody"])).status_code == 404


def test_people_index_most_mentioned_a_to_z_letter_and_search(client, world):
    url = reverse("articles:people")
    most = [p.name for p in client.get(url).context["people"]]
    assert most[0] in {"Vladimir Putin", "Alexander Lukashenko"}
    assert set(most) == {"Vladimir Putin", "Alexander Lukashenko", "Ebrahim Raisi"}
    assert [p.name for p in client.get(url + "?sort=az").context["people"]] == [
        "Alexander Lukashenko",
        "Ebrahim Raisi",
        "Vladimir Putin",
    ]
    assert [p.name for p in client.get(url + "?letter=v").context["people"]] == ["Vladimir Putin"]
    assert [p.name for p in client.get(url + "?q=putin").context["people"]] == ["Vladimir Putin"]
    assert client.get(url + "?letter=%27;--&sort=%00").status_code == 200


# --- places -----------------------------------------------------------------------------


def test_country_page_includes_stories_naming_only_a_city(client, world):
    response = client.get("/places/belarus/")
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [world.putin_by, world.minsk_only]
    assert response.context["cities"] == [world.minsk]
    # Its own cities are not "mentioned with" it.
    assert "minsk" not in {p.value for p in response.context["co_places"]}
    html = response.content.decode()
    assert "Country (BY)" in html
    assert f'href="{reverse("articles:list")}?country=BY"' in html


def test_city_page_links_its_country(client, world):
    response = client.get(reverse("articles:place", args=["minsk"]))
    assert list(response.context["object_list"]) == [world.minsk_only]
    html = response.content.decode()
    assert f'<a href="{world.by.get_absolute_url()}">Belarus</a>' in html
    assert "City in Belarus" in html


def test_places_index_lists_countries_with_their_cities(client, world):
    response = client.get(reverse("articles:places"))
    countries = response.context["countries"]
    assert countries[0] == (world.by, [world.minsk])
    assert {c.iso_code for c, _ in countries} == {"BY", "RU", "IR"}
    assert client.get(reverse("articles:places") + "?q=teh").context["matches"] == [world.tehran]


def test_merged_place_redirects(client, world):
    world.moscow.merged_into = world.ru
    world.moscow.save()
    response = client.get(reverse("articles:place", args=["moscow"]))
    assert response.status_code == 301
    assert response["Location"] == "/places/russia/"


# --- sections ---------------------------------------------------------------------------


def test_section_page_includes_subsections(client, world):
    response = client.get(reverse("articles:section", args=["news"]))
    assert response.status_code == 200
    assert set(response.context["object_list"]) == {
        world.minsk_only,
        world.putin_by,
        world.putin_ru,
    }
    assert [s.path for s in response.context["subsections"]] == ["news/europe"]
    assert client.get(reverse("articles:section", args=["news/none"])).status_code == 404


def test_sections_index_sums_subsections(client, world):
    nodes = client.get(reverse("articles:sections")).context["sections"]
    totals = {n.section.path: n.total for n in nodes}
    assert totals == {"business": 2, "news": 3, "news/europe": 2}


# --- the coverage chart -----------------------------------------------------------------


def test_coverage_series_fills_empty_months_in_one_query(world, django_assert_num_queries):
    make_article("Later", published=dt.date(2022, 5, 20))
    with django_assert_num_queries(1):
        series = coverage_series(Article.objects.filter(section__path__startswith="news"))
    assert series[0] == MonthCount(dt.date(2021, 6, 1), 1)
    assert series[-1] == MonthCount(dt.date(2022, 5, 1), 1)
    assert len(series) == 12
    assert sum(m.count for m in series) == 4
    assert MonthCount(dt.date(2022, 1, 1), 0) in series


def test_coverage_chart_geometry():
    series = [MonthCount(dt.date(2021, 11, 1), 4), MonthCount(dt.date(2021, 12, 1), 0)]
    series.append(MonthCount(dt.date(2022, 1, 1), 2))
    chart = coverage_chart(series)
    tall, empty, half = chart["bars"]
    assert chart["y_max"] == 4
    assert tall.y == chart["top"] and tall.height == chart["baseline"] - chart["top"]
    assert empty.height == 0
    assert half.height == pytest.approx(tall.height / 2)
    # Up to two years of months are labelled by month, the year on the first and on January.
    assert [label.text for label in chart["labels"]] == ["Nov 2021", "Dec", "Jan 2022"]
    assert chart["peak"].count == 4 and chart["total"] == 6


def test_chart_is_svg_with_a_data_table_and_no_inline_style(client, world):
    html = client.get(reverse("articles:section", args=["news"])).content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    # A group of links (each bar with stories leads to its month), labelled as a chart.
    assert 'role="group"' in svg and 'aria-label="Stories per month, bar chart' in svg
    assert "<title>June 2021: 1</title>" in svg
    assert "style" not in svg
    assert '<th scope="row">March 2022</th><td>1</td>' in html


def test_no_page_has_inline_style_or_script(client, world):
    recount()
    for url in [
        "/",
        "/articles/?q=gas",
        world.putin_by.get_absolute_url(),
        "/people/vladimir-putin/",
        "/places/belarus/",
        "/sections/news/",
        "/people/",
        "/places/",
    ]:
        html = client.get(url).content.decode()
        assert " style=" not in html, url
        assert "<style" not in html, url
        assert re.search(r"<script(?![^>]*\bsrc=)", html) is None, url


@pytest.mark.parametrize("threshold", [1, 10_000], ids=["exists", "join"])
def test_linked_articles_are_the_same_whichever_plan(world, monkeypatch, threshold):
    # On SQLite an entity in 1% of the archive or more is filtered with EXISTS (to walk the
    # newest-first index); below the threshold, and on PostgreSQL, with a join. Same rows.
    from articles.models import articles as article_models

    monkeypatch.setattr(article_models, "SQLITE_EXISTS_MIN", threshold)
    recount()
    for entity in (world.putin, world.by, world.minsk, world.raisi):
        entity.refresh_from_db()
        linked = Article.objects.linked_to(entity).newest_first()
        mention = (
            "person_mentions__person"
            if entity._meta.model_name == "person"
            else ("place_mentions__place")
        )
        expected = Article.objects.filter(**{mention: entity}).newest_first()
        assert list(linked) == list(expected)
        assert linked.count() == entity.article_count
        sql = str(linked.query)
        uses_exists = "EXISTS" in sql
        assert uses_exists == (connection.vendor == "sqlite" and threshold == 1)


@pytest.mark.parametrize("threshold", [1, 10_000], ids=["walk", "index"])
def test_a_section_page_lists_the_same_stories_whichever_plan(
    client, world, monkeypatch, threshold
):
    # On SQLite a section with 1% of the archive or more is read by walking the newest-first
    # index ("+section_id": SQLite may not use the section index); else with that index.
    from articles.models import articles as article_models
    from articles.selectors import entity_articles

    monkeypatch.setattr(article_models, "SQLITE_EXISTS_MIN", threshold)
    recount()
    news = world.putin_by.section.parent or world.putin_by.section
    listed = entity_articles(news)
    expected = Article.objects.filter(section__path__startswith="news").newest_first()
    assert list(listed) == list(expected) and len(expected) == 3
    walks = '+"articles_article"."section_id" IN' in str(listed.query)
    assert walks == (connection.vendor == "sqlite" and threshold == 1)
    page = client.get(reverse("articles:section", args=["news"]))
    assert list(page.context["object_list"]) == list(expected)


def test_chart_bars_are_links_to_their_month_and_a_tie_names_no_peak(client, world):
    html = client.get(reverse("articles:section", args=["news"])).content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    links = re.findall(r'<a class="chart__link" href="([^"]+)"', svg)
    assert links and all("section=news" in u and "date_from=" in u for u in links)
    assert "/articles/?section=news&amp;date_from=2022-03-01&amp;date_to=2022-03-31" in svg
    series = [MonthCount(dt.date(2021, 1, 1), 1), MonthCount(dt.date(2021, 2, 1), 1)]
    series.append(MonthCount(dt.date(2021, 3, 1), 1))
    assert coverage_chart(series)["peak"] is None
