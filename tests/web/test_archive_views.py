"""The date archive: /archive/, /archive/<year>/, /archive/<year>/<month>/, .../<day>/."""

import datetime as dt

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def test_archive_index_lists_years_with_counts(client, world):
    response = client.get(reverse("articles:archive"))
    assert response.status_code == 200
    assert [(y.value, y.count) for y in response.context["years"]] == [
        ("2023", 1),
        ("2022", 2),
        ("2021", 1),
    ]
    assert 'href="/archive/2022/"' in response.content.decode()


def test_year_page_shows_months_and_who_was_in_the_news(client, world):
    response = client.get("/archive/2022/")
    assert response.status_code == 200
    months = [(m.month.month, m.count) for m in response.context["coverage"]]
    assert months == [(2, 1), (3, 1)]
    assert {p.value for p in response.context["top_people"]} == {
        "alexander-lukashenko",
        "vladimir-putin",
    }
    html = response.content.decode()
    assert 'href="/archive/2022/02/"' in html
    assert 'rel="prev" href="/archive/2021/"' in html
    assert 'rel="next" href="/archive/2023/"' in html


def test_month_and_day_pages_list_their_articles(client, world):
    month = client.get("/archive/2022/03/")
    assert list(month.context["object_list"]) == [world.putin_by]
    assert 'href="/archive/2022/03/01/"' in month.content.decode()
    day = client.get("/archive/2022/02/10/")
    assert list(day.context["object_list"]) == [world.minsk_only]


@pytest.mark.parametrize(
    "url",
    [
        "/archive/1999/",
        "/archive/2022/04/",
        "/archive/2022/13/",
        "/archive/2022/00/",
        "/archive/2022/02/30/",
        "/archive/0000/",
        "/archive/22/",
    ],
)
def test_empty_or_impossible_dates_are_404(client, world, url):
    assert client.get(url).status_code == 404


def test_a_day_without_stories_says_so_and_links_the_nearest_days_with_some(client, world):
    # Issue 15: an empty archive day was a bare 404.
    response = client.get("/archive/2022/02/11/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "No stories in the archive were published on this day" in body
    previous, following = response.context["previous_day"], response.context["next_day"]
    dated = sorted(Article.objects.exclude(published=None).values_list("published", flat=True))
    assert previous == max(d for d in dated if d < dt.date(2022, 2, 11))
    assert following == min(d for d in dated if d > dt.date(2022, 2, 11))
