"""Dates far outside the archive (issue 16, item 1): refused where they enter (the ingest
command, the admin upload, the admin edit), and rendered without a 500 where they are already
stored (home, entity, section and archive pages)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from articles.models import Article
from articles.selectors import aggregates
from tests.admin_support import ARTICLES, make_editor, upload
from tests.factories import link_person, make_article, make_person, recount

pytestmark = pytest.mark.django_db

# The documented range (docs/reliability.md), written out: the test states it, not the code.
EARLIEST_DATE, LATEST_DATE = dt.date(1800, 1, 1), dt.date(2100, 12, 31)
FAR_DATES = ["9999-12-31", "0202-02-02", "1799-12-31", "2101-01-01"]


@pytest.fixture
def editor_client(settings, tmp_path) -> Client:
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")
    client = Client()
    client.force_login(make_editor())
    return client


@pytest.mark.parametrize("date", FAR_DATES)
def test_the_ingest_command_refuses_a_date_outside_the_range(tmp_path, date):
    story = tmp_path / "story.txt"
    story.write_text(ARTICLES["101_aaaaaaaaaaaaaaaa.txt"], encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("ingest", str(story), "--date", date, "--no-progress", "--workers", "1")
    assert "outside the archive's range" in str(caught.value)
    assert "1800-01-01 and 2100-12-31" in str(caught.value)
    assert not Article.objects.exists()


def test_the_ingest_command_accepts_the_ends_of_the_range(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(ARTICLES["101_aaaaaaaaaaaaaaaa.txt"], encoding="utf-8")
    call_command(
        "ingest", str(story), "--date", str(LATEST_DATE), "--no-progress", "--workers", "1"
    )
    assert Article.objects.get().published == LATEST_DATE


@pytest.mark.parametrize("date", FAR_DATES)
def test_the_admin_upload_refuses_a_date_outside_the_range(editor_client, date):
    name = "101_aaaaaaaaaaaaaaaa.txt"
    response = editor_client.post(
        "/admin/articles/importbatch/upload/",
        {"files": [upload(name, ARTICLES[name])], "published": date},
    )
    assert response.status_code == 200
    assert "outside the archive&#x27;s range" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize("date", FAR_DATES)
def test_the_admin_edit_refuses_a_date_outside_the_range(date):
    article = make_article(published=dt.date(2022, 2, 25))
    client = Client()
    client.force_login(make_editor())
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "body"}
    data.update(
        {
            "source": article.source_id,
            "section": article.section_id,
            "published": date,
            "articleperson_set-TOTAL_FORMS": 0,
            "articleperson_set-INITIAL_FORMS": 0,
            "articleplace_set-TOTAL_FORMS": 0,
            "articleplace_set-INITIAL_FORMS": 0,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "outside the archive&#x27;s range" in response.content.decode()
    article.refresh_from_db()
    assert article.published == dt.date(2022, 2, 25)
    # The same form with a date inside the range saves.
    data["published"] = str(EARLIEST_DATE)
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.published == EARLIEST_DATE


def test_month_bounds_of_the_last_month_of_the_calendar():
    assert aggregates.month_bounds(dt.date(9999, 12, 31)) == (
        dt.date(9999, 12, 1),
        dt.date(9999, 12, 31),
    )
    assert aggregates.month_bounds(dt.date(2024, 2, 10)) == (
        dt.date(2024, 2, 1),
        dt.date(2024, 2, 29),
    )


@pytest.fixture
def stray_dates():
    """Articles stored before dates were bounded: the last day of the calendar and a typo."""
    person = make_person("Kaja Lindqvist")
    stories = [
        make_article("Ferry timetable for the far future", published=dt.date(9999, 12, 31)),
        make_article("Ferry timetable typed with a missing digit", published=dt.date(202, 2, 2)),
        make_article("Ferry timetable as it was", published=dt.date(2022, 2, 25)),
    ]
    for story in stories:
        link_person(story, person)
    recount()
    return person


def test_pages_render_whatever_dates_are_stored(client, stray_dates):
    urls = [
        reverse("articles:home"),
        reverse("articles:person", args=[stray_dates.slug]),
        reverse("articles:section", args=["news"]),
        reverse("articles:list"),
        reverse("articles:archive"),
        "/archive/0202/",
        "/archive/0202/02/",
        "/archive/0202/02/02/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    archive = client.get(reverse("articles:archive")).content.decode()
    assert 'href="/archive/0202/"' in archive
    assert 'href="/archive/9999/"' in archive
    # The end of the calendar has no next day, month or year: a 404, never a 500.
    for url in ["/archive/9999/", "/archive/9999/12/", "/archive/9999/12/31/"]:
        assert client.get(url).status_code in (200, 404), url


def test_a_stray_date_does_not_make_a_chart_of_centuries(client, stray_dates):
    series = aggregates.coverage_series(Article.objects.all())
    assert [m.count for m in series] == [1, 1, 1]
    assert len(series) < 200
    page = client.get(reverse("articles:person", args=[stray_dates.slug]))
    assert page.status_code == 200
    assert len(page.content) < 200_000


def test_short_gaps_are_still_drawn_as_empty_months():
    make_article(published=dt.date(2020, 1, 5))
    make_article(published=dt.date(2020, 4, 5))
    series = aggregates.coverage_series(Article.objects.all())
    assert [(m.month.month, m.count) for m in series] == [(1, 1), (2, 0), (3, 0), (4, 1)]
