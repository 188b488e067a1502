"""The article page and its original text."""

import pytest
from django.urls import reverse

from articles.selectors import related_articles
from tests.factories import link_person, link_place, make_article, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def test_article_page_shows_everything_about_the_story(client, world):
    article = world.minsk_only
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    # Section path, each level a link.
    assert f'href="{reverse("articles:section", args=["news"])}"' in html
    assert f'href="{reverse("articles:section", args=["news/europe"])}"' in html
    assert "Border talks resume in the capital</h1>" in html
    assert '<time datetime="2022-02-10">10 February 2022</time>' in html
    assert "Delegates arrive in Minsk on February 10, 2022." in html
    assert "(Via AFP)" in html
    assert "Delegations met in Minsk on Thursday" in html
    # People and places as links; the country is shown as reached through its city.
    assert f'href="{world.lukashenko.get_absolute_url()}"' in html
    assert f'href="{world.minsk.get_absolute_url()}"' in html
    assert (
        f'href="{world.by.get_absolute_url()}">Belarus</a> <span class="role">through Minsk' in html
    )
    assert "Press TV" in html
    assert reverse("articles:original", args=[article.pk, article.slug]) in html


def test_subheadings_are_headings_and_inferred_dates_say_so(client, world):
    html = client.get(world.putin_by.get_absolute_url()).content.decode()
    assert '<h2 class="article__subheading">A long friendship</h2>' in html
    assert "(inferred from the text)" in html


def test_undated_article_says_date_unknown(client, world):
    html = client.get(world.undated.get_absolute_url()).content.decode()
    assert "Date unknown" in html


def test_wrong_slug_redirects_permanently(client, world):
    article = world.putin_ru
    response = client.get(reverse("articles:detail", args=[article.pk, "old-headline"]))
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_unknown_article_is_404(client, world):
    assert client.get(reverse("articles:detail", args=[999999, "x"])).status_code == 404


def test_article_html_is_shown_escaped(client, world):
    article = make_article(
        "<script>alert('x')</script> headline",
        body=["<img src=x onerror=alert(1)> body", ("subheading", "<b>sub</b>")],
        caption="<i>caption</i>",
        caption_credit="<u>credit</u>",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "<b>sub</b>" not in html
    assert "<i>caption</i>" not in html
    assert "<u>credit</u>" not in html


def test_original_text_is_served_as_plain_text(client, world):
    article = make_article("Original", body=["Line with <tags> & ünïcödé"])
    response = client.get(reverse("articles:original", args=[article.pk, article.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == article.original_text
    assert response["Content-Disposition"] == f'inline; filename="{article.original_filename}"'


def test_original_text_with_wrong_slug_redirects(client, world):
    article = world.putin_ru
    response = client.get(reverse("articles:original", args=[article.pk, "nope"]))
    assert response.status_code == 301
    assert response["Location"].endswith(f"/{article.slug}/original.txt")


def test_related_stories_share_people_and_places(client, world):
    # putin_ru shares Putin (weight 2) with putin_by, and nothing else with the rest.
    assert related_articles(world.putin_ru) == [world.putin_by]
    # minsk_only shares Lukashenko (2) with putin_by; Belarus is only via Minsk here, and a
    # via-city link alone does not make a story related.
    assert related_articles(world.minsk_only) == [world.putin_by]
    html = client.get(world.putin_ru.get_absolute_url()).content.decode()
    assert "Related stories" in html
    assert f'href="{world.putin_by.get_absolute_url()}"' in html


def test_related_stories_rank_shared_people_above_shared_places(world):
    place_only = make_article("Another Belarus story")
    link_place(place_only, world.by)
    person_only = make_article("Another Putin story")
    link_person(person_only, world.putin)
    ranked = related_articles(world.putin_by)
    # minsk_only shares Lukashenko and Belarus (2 + 1); the rest one person or one place.
    assert ranked[0] == world.minsk_only
    assert ranked.index(person_only) < ranked.index(place_only)
    assert world.undated not in ranked and world.putin_by not in ranked
