"""Admin lists: every model registered, search, filters, autocomplete, public links, fixed
query counts, and the change forms."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import (
    ArchiveVersion,
    Article,
    ArticlePerson,
    ArticlePlace,
    ArticleRevision,
    ImportBatch,
    ImportFile,
    Person,
    Section,
)
from tests.admin_support import make_editor, make_user
from tests.factories import (
    link_person,
    link_place,
    make_article,
    make_city,
    make_country,
    make_person,
    make_section,
    make_source,
    recount,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def su_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    return client


@pytest.fixture
def archive():
    """A few rows of every kind."""
    russia = make_country("Russia", "RU")
    moscow = make_city("Moscow", russia)
    putin = make_person("Vladimir Putin", aliases=["Putin"])
    peskov = make_person("Dmitry Peskov")
    a = make_article("Kremlin answers the sanctions", section="News / Russia")
    b = make_article("Markets steady after the vote", section="Business", published=None)
    link_person(a, putin, mentions=3, role="President")
    link_person(b, peskov)
    link_place(a, moscow)
    batch = ImportBatch.objects.create(
        origin=ImportBatch.Origin.ADMIN,
        status=ImportBatch.Status.DONE,
        description="upload: week.zip",
        total_files=2,
        processed_files=2,
        created_count=2,
    )
    ImportFile.objects.create(batch=batch, filename="week.zip/a.txt", status="created", article=a)
    ImportFile.objects.create(
        batch=batch, filename="week.zip/b.txt", status="failed", reason="empty file"
    )
    ArticleRevision.objects.create(
        article=a,
        original_text="old",
        original_filename="a.txt",
        content_hash="0" * 64,
        batch=batch,
    )
    recount()
    return {"article": a, "person": putin, "city": moscow, "batch": batch}


def test_every_model_of_the_archive_is_registered():
    models = set(apps.get_app_config("articles").get_models())

    assert models == {m for m in models if admin.site.is_registered(m)}
    for model in models - {ArchiveVersion}:  # one row: nothing to search
        model_admin = admin.site._registry[model]
        assert model_admin.search_fields, f"{model.__name__} has no search"


@pytest.mark.parametrize(
    "model",
    [
        "article",
        "person",
        "place",
        "section",
        "source",
        "importbatch",
        "importfile",
        "articleperson",
        "articleplace",
        "articlerevision",
    ],
)
def test_each_list_shows_searches_and_filters(su_client, archive, model):
    url = reverse(f"admin:articles_{model}_changelist")

    plain = su_client.get(url)
    searched = su_client.get(url, {"q": "Putin"})

    assert plain.status_code == 200
    assert searched.status_code == 200
    changelist = plain.context["cl"]
    for spec in changelist.filter_specs:
        for choice in spec.choices(changelist):
            assert su_client.get(url + choice["query_string"]).status_code == 200, spec.title


@pytest.mark.parametrize(
    ("model", "query", "expected"),
    [
        ("article", "Kremlin", "Kremlin answers the sanctions"),
        ("person", "Putin", "Vladimir Putin"),
        ("place", "RU", "Moscow"),
        ("section", "russia", "News / Russia"),
        ("importbatch", "week", "upload: week.zip"),
        ("importfile", "empty file", "week.zip/b.txt"),
    ],
)
def test_search_finds_the_row(su_client, archive, model, query, expected):
    response = su_client.get(reverse(f"admin:articles_{model}_changelist"), {"q": query})

    assert expected in response.content.decode()


def test_people_are_found_by_alias(su_client, archive):
    make_person("Someone Else")

    response = su_client.get(reverse("admin:articles_person_changelist"), {"q": "putin"})

    results = list(response.context["cl"].result_list)
    assert [p.name for p in results] == ["Vladimir Putin"]


def test_lists_link_to_the_public_pages(su_client, archive):
    article, person, city = archive["article"], archive["person"], archive["city"]
    section = Section.objects.get(full_name="News / Russia")

    pages = {
        "article": article.get_absolute_url(),
        "person": person.get_absolute_url(),
        "place": city.get_absolute_url(),
        "section": section.get_absolute_url(),
        "source": make_source().get_absolute_url().replace("&", "&amp;"),
    }
    for model, href in pages.items():
        html = su_client.get(reverse(f"admin:articles_{model}_changelist")).content.decode()
        assert f'href="{href}"' in html, model


def test_the_import_history_shows_who_when_what_and_counts(su_client, archive):
    batch = archive["batch"]
    batch.user = make_editor("marta")
    batch.save()

    html = su_client.get(reverse("admin:articles_importbatch_changelist")).content.decode()

    assert "marta" in html
    assert "upload: week.zip" in html
    assert '<td class="field-created_count">2</td>' in html
    assert "Import articles" in html
    assert reverse("admin:articles_importbatch_change", args=[batch.pk]) in html


def test_batches_cannot_be_added_or_edited_by_hand(su_client, archive):
    batch = archive["batch"]

    assert su_client.get(reverse("admin:articles_importbatch_add")).status_code == 403
    report = su_client.get(reverse("admin:articles_importbatch_change", args=[batch.pk]))
    assert report.status_code == 200
    assert "week.zip/b.txt" in report.content.decode()
    assert "empty file" in report.content.decode()


def test_the_report_filters_by_status(su_client, archive):
    url = reverse("admin:articles_importbatch_change", args=[archive["batch"].pk])

    html = su_client.get(url, {"status": "failed"}).content.decode()

    assert "week.zip/b.txt" in html
    assert "week.zip/a.txt" not in html


def test_autocomplete_searches_people_and_countries(su_client, archive):
    url = reverse("admin:autocomplete")

    people = su_client.get(
        url,
        {
            "app_label": "articles",
            "model_name": "articleperson",
            "field_name": "person",
            "term": "put",
        },
    ).json()
    countries = su_client.get(
        url,
        {"app_label": "articles", "model_name": "place", "field_name": "country", "term": "r"},
    ).json()

    assert [r["text"] for r in people["results"]] == ["Vladimir Putin"]
    # A city's country can only be a country.
    assert [r["text"] for r in countries["results"]] == ["Russia"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("model", ["article", "person", "place", "importbatch", "importfile"])
def test_list_query_counts_do_not_grow_with_the_rows(su_client, archive, model):
    url = reverse(f"admin:articles_{model}_changelist")
    before = _queries(su_client, url)

    country = make_country("Chad", "TD")
    for n in range(6):
        article = make_article(f"More news {n}", section=f"News / Part {n}")
        person = make_person(f"Person Number{n}")
        link_person(article, person)
        city = make_city(f"Town {n}", country)
        link_place(article, city)
        person.merged_into = archive["person"]
        person.save()
        ImportFile.objects.create(
            batch=archive["batch"], filename=f"f{n}.txt", status="created", article=article
        )
        ImportBatch.objects.create(user=make_editor(f"user{n}"), description=f"run {n}")

    assert _queries(su_client, url) == before


def test_the_article_page_edits_people_and_places_inline_and_keeps_counts(su_client, archive):
    article, putin = archive["article"], archive["person"]
    peskov = Person.objects.get(name="Dmitry Peskov")
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = su_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Original (kept as imported)" in html
    assert "person_mentions-0-person" in html

    form = page.context["adminform"].form
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "source": article.source_id,
        "section": article.section_id,
        "published": article.published.isoformat(),
        "published_how": article.published_how,
        "published_evidence": "",
        "caption": "",
        "caption_credit": "",
    }
    assert set(data) <= set(form.fields)
    pm = ArticlePerson.objects.get(article=article)
    data.update(
        {
            "person_mentions-TOTAL_FORMS": "2",
            "person_mentions-INITIAL_FORMS": "1",
            "person_mentions-0-id": pm.pk,
            "person_mentions-0-article": article.pk,
            "person_mentions-0-person": putin.pk,
            "person_mentions-0-mentions": "3",
            "person_mentions-0-role": "President",
            "person_mentions-0-DELETE": "on",
            "person_mentions-1-article": article.pk,
            "person_mentions-1-person": peskov.pk,
            "person_mentions-1-mentions": "2",
            "person_mentions-1-role": "",
            "place_mentions-TOTAL_FORMS": "0",
            "place_mentions-INITIAL_FORMS": "0",
        }
    )
    response = su_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    putin.refresh_from_db()
    peskov.refresh_from_db()
    assert (putin.article_count, peskov.article_count, peskov.mention_count) == (0, 2, 3)


@pytest.mark.parametrize("name", ["person", "city", "batch"])
def test_change_pages_open(su_client, archive, name):
    obj = archive[name]
    url = reverse(f"admin:articles_{obj._meta.model_name}_change", args=[obj.pk])

    assert su_client.get(url).status_code == 200


def test_a_section_added_in_the_admin_gets_its_path(su_client, archive):
    news = Section.objects.get(path="news")

    response = su_client.post(
        reverse("admin:articles_section_add"), {"name": "Middle East", "parent": news.pk}
    )

    assert response.status_code == 302
    section = Section.objects.get(path="news/middle-east")
    assert (section.full_name, section.depth, section.parent) == ("News / Middle East", 1, news)


def test_renaming_a_section_keeps_its_url_and_renames_its_subsections(su_client, archive):
    news = Section.objects.get(path="news")
    make_section("News / Russia / Moscow")

    response = su_client.post(
        reverse("admin:articles_section_change", args=[news.pk]), {"name": "World News"}
    )

    assert response.status_code == 302
    news.refresh_from_db()
    assert (news.path, news.full_name) == ("news", "World News")
    assert Section.objects.get(path="news/russia/moscow").full_name == (
        "World News / Russia / Moscow"
    )


def test_people_without_the_view_permission_see_no_lists():
    client = Client()
    client.force_login(make_user("nobody"))

    assert client.get(reverse("admin:articles_person_changelist")).status_code == 403
    assert client.get(reverse("admin:articles_importbatch_changelist")).status_code == 403


def test_editors_who_may_import_may_read_the_history(archive):
    client = Client()
    client.force_login(make_user("importer", perms=("articles.add_article",)))

    assert client.get(reverse("admin:articles_importbatch_changelist")).status_code == 200
    report = reverse("admin:articles_importbatch_change", args=[archive["batch"].pk])
    assert client.get(report).status_code == 200


def test_the_articles_list_offers_the_import_page_to_editors(archive):
    client = Client()
    client.force_login(make_editor())

    html = client.get(reverse("admin:articles_article_changelist")).content.decode()

    assert reverse("admin:articles_importbatch_upload") in html


def test_the_filter_for_undated_articles(su_client, archive):
    response = su_client.get(
        reverse("admin:articles_article_changelist"), {"published__isempty": "1"}
    )

    assert [a.headline for a in response.context["cl"].result_list] == [
        "Markets steady after the vote"
    ]
    assert Article.objects.count() == 2


def test_articles_are_added_by_importing_not_by_hand(archive):
    client = Client()
    client.force_login(make_editor())

    assert client.get(reverse("admin:articles_article_add")).status_code == 403
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Import articles" in html


def test_deleting_a_mention_in_its_own_admin_recounts_the_person(su_client, archive):
    putin = archive["person"]
    link = ArticlePerson.objects.get(person=putin)
    url = reverse("admin:articles_articleperson_delete", args=[link.pk])

    response = su_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    putin.refresh_from_db()
    assert (putin.article_count, putin.mention_count) == (0, 0)


def test_moving_a_place_mention_recounts_both_places(su_client, archive):
    moscow = archive["city"]
    kazan = make_city("Kazan", moscow.country)
    link = ArticlePlace.objects.get(place=moscow)
    url = reverse("admin:articles_articleplace_change", args=[link.pk])

    response = su_client.post(
        url,
        {"article": link.article_id, "place": kazan.pk, "mentions": "2", "via_city": ""},
    )

    assert response.status_code == 302
    moscow.refresh_from_db()
    kazan.refresh_from_db()
    assert (moscow.article_count, kazan.article_count, kazan.mention_count) == (0, 1, 2)
