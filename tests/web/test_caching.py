"""Cached pages and aggregates (articles.caching): served from the cache until the archive
changes, and stale the moment it does, whoever changed it."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from articles import selectors
from articles.caching import PAGE_HEADER, bump_version, current_version
from articles.curation import mark_not_entity, merge_people
from articles.importing import ImportOptions, recount_entities, run_import
from articles.ingest.types import RawFile
from articles.models import Source
from articles.selectors import aggregates
from newsarchive.settings import cache_from_url
from tests.factories import link_person, make_article, make_person, make_world

pytestmark = pytest.mark.django_db

HARBOUR = """News   /   Europe

Harbour pilots in Gdansk settle their dispute with the port

Harbour pilots in Gdansk agreed a new contract with the port authority on Tuesday.

The pilots guide about forty ships a day into the port, a spokesman said.
"""


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    return settings


@pytest.fixture
def world():
    return make_world()


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response


def test_a_page_is_served_from_the_cache_until_an_import_changes_the_archive(
    client, world, page_cache
):
    url = reverse("articles:home")
    first = get(client, url)
    assert first[PAGE_HEADER] == "miss"
    assert "Harbour pilots" not in first.content.decode()
    assert get(client, url)[PAGE_HEADER] == "hit"

    before = current_version()
    batch = run_import([RawFile(name="harbour.txt", data=HARBOUR.encode())])
    assert batch.created_count == 1
    assert current_version() > before

    fresh = get(client, url)
    assert fresh[PAGE_HEADER] == "miss"
    assert "Harbour pilots" in fresh.content.decode()


def test_a_dry_run_or_an_unchanged_import_leaves_the_cache_alone(client, world, page_cache):
    run_import([RawFile(name="harbour.txt", data=HARBOUR.encode())])
    get(client, "/articles/")
    version = current_version()
    run_import([RawFile(name="harbour.txt", data=HARBOUR.encode())])  # unchanged
    run_import(
        [RawFile(name="other.txt", data=HARBOUR.replace("pilots", "tugs").encode())],
        options=ImportOptions(dry_run=True),
    )
    assert current_version() == version
    assert get(client, "/articles/")[PAGE_HEADER] == "hit"


def test_editing_a_row_anywhere_makes_cached_pages_stale(
    client, world, page_cache, django_capture_on_commit_callbacks
):
    url = world.putin_by.get_absolute_url()
    get(client, url)
    world.putin_by.headline = "Putin and Lukashenko agree on gas prices"
    with django_capture_on_commit_callbacks(execute=True):  # the bump follows the commit
        world.putin_by.save()
    fresh = get(client, url)
    assert fresh[PAGE_HEADER] == "miss"
    assert "agree on gas prices" in fresh.content.decode()


def test_an_admin_edit_of_a_mention_row_makes_cached_pages_stale(
    admin_client, client, world, page_cache
):
    url = reverse("articles:person", args=["ebrahim-raisi"])
    get(client, url)
    mention = world.raisi_ir.person_mentions.get()
    response = admin_client.post(
        reverse("admin:articles_articleperson_change", args=[mention.pk]),
        {"article": world.raisi_ir.pk, "person": world.raisi.pk, "mentions": 4, "role": "Envoy"},
    )
    assert response.status_code == 302
    fresh = get(client, url)
    assert fresh[PAGE_HEADER] == "miss"
    assert "Envoy" in fresh.content.decode()


def test_merging_and_unlinking_people_make_cached_pages_stale(client, world, page_cache):
    url = reverse("articles:person", args=["vladimir-putin"])
    get(client, url)
    twin = make_person("V. Putin")
    link_person(make_article("A twin story", published=dt.date(2024, 1, 1)), twin)
    version = current_version()
    merge_people(keep=world.putin, merge=twin)
    assert current_version() > version
    assert "A twin story" in get(client, url).content.decode()

    version = current_version()
    mark_not_entity(person=world.raisi)
    assert current_version() > version


def test_a_rolled_back_change_leaves_the_version_as_it_was(world):
    version = current_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        bump_version()
        assert current_version() == version + 1
        raise RuntimeError("the import failed")
    assert current_version() == version


def test_only_anonymous_complete_pages_are_cached(client, world, page_cache, admin_client):
    # An editor logged in (a session cookie) always gets a fresh page.
    get(admin_client, "/articles/")
    assert PAGE_HEADER not in get(admin_client, "/articles/")
    # A 400 for a bad filter and a 404 are rendered every time.
    for url, status in (("/articles/?country=XX", 400), ("/people/nobody-at-all/", 404)):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == status
            assert response.get(PAGE_HEADER) != "hit"
    # Exports are cached too since issue 16, once streamed whole: a logged-in editor's are
    # not (the rest is in tests/robustness/test_exports.py).
    assert PAGE_HEADER not in admin_client.get("/articles/export.csv")


def test_head_is_answered_from_the_cached_get(client, world, page_cache):
    get(client, "/people/")
    head = client.head("/people/")
    assert head.status_code == 200
    assert head[PAGE_HEADER] == "hit"


def test_cached_pages_keep_their_security_headers(client, world, page_cache):
    get(client, "/")
    hit = get(client, "/")
    assert hit[PAGE_HEADER] == "hit"
    assert "default-src 'self'" in hit["Content-Security-Policy"]
    assert hit["X-Frame-Options"] == "DENY"


def test_page_cache_can_be_turned_off(client, world, settings):
    settings.PAGE_CACHE_SECONDS = 0
    get(client, "/")
    assert PAGE_HEADER not in get(client, "/")


def test_cached_aggregates_follow_new_mentions(client, world):
    # Page cache off (the default in tests): the co-mentions come from the aggregate cache.
    url = reverse("articles:person", args=["vladimir-putin"])
    assert "Ebrahim Raisi" not in get(client, url).content.decode()
    story = make_article("Putin meets Raisi", published=dt.date(2024, 2, 2))
    link_person(story, world.putin)
    link_person(story, world.raisi)
    recount_entities()  # what the importer does at the end of a run: the version goes up
    assert "Ebrahim Raisi" in get(client, url).content.decode()


def test_an_article_page_follows_unlinking_and_a_new_related_story(client, world):
    # Page cache off: who and where the story names, and its related stories, are cached
    # per archive version.
    url = world.putin_by.get_absolute_url()
    page = get(client, url).content.decode()
    assert 'href="/people/vladimir-putin/"' in page and "Putin in Moscow" not in page
    story = make_article("Putin in Moscow", published=dt.date(2024, 3, 3))
    link_person(story, world.putin)
    recount_entities()
    assert "Putin in Moscow" in get(client, url).content.decode()
    mark_not_entity(person=world.putin)
    assert 'href="/people/vladimir-putin/"' not in get(client, url).content.decode()


def test_entity_and_list_counts_come_from_the_stored_counts(client, world):
    url = reverse("articles:person", args=["vladimir-putin"])
    assert get(client, url).context["paginator"].count == 2
    response = get(client, "/articles/?country=BY")
    assert response.context["paginator"].count == 2  # Minsk only, and Belarus named
    assert (
        get(client, "/articles/").context["paginator"].count == Source.objects.total_articles() == 5
    )
    assert get(client, "/sections/news/").context["paginator"].count == 3


def test_a_search_with_very_many_matches_says_more_than(client, world, monkeypatch):
    from articles.selectors import lists

    for i in range(4):
        make_article(f"Gas story {i}", body=["Gas prices rose again."])
    monkeypatch.setattr(lists, "SEARCH_COUNT_CAP", 3)
    response = get(client, "/articles/?q=gas")
    assert response.context["count_capped"] is True
    assert response.context["paginator"].count == 3
    assert "More than 3 stories" in response.content.decode()
    response = get(client, "/articles/?q=gas&country=BY")  # 1 match: exact
    assert response.context["count_capped"] is False
    assert response.context["paginator"].count == 1


def test_facets_of_a_long_list_count_its_newest_stories(client, world, monkeypatch):
    monkeypatch.setattr(aggregates, "FACET_SAMPLE", 2)
    response = get(client, "/articles/?source=press-tv")
    # Press TV: putin_by (2022-03-01), minsk_only (2022-02-10), putin_ru (2021-06-01), ...
    people = {item.label: item.count for item in response.context["facets"]["people"]}
    assert people == {"Alexander Lukashenko": 2, "Vladimir Putin": 1}
    years = {item.label: item.count for item in response.context["facets"]["years"]}
    assert years["2021"] == 1  # the years facet counts every match, not a sample
    assert "counted in the newest 2 of these stories" in response.content.decode()


def test_related_stories_come_from_each_entitys_newest_articles(world, monkeypatch):
    monkeypatch.setattr(aggregates, "RELATED_CANDIDATES", 1)
    newer = make_article("Putin again", published=dt.date(2025, 1, 1))
    link_person(newer, world.putin)
    # putin_ru shares Putin with putin_by, but only Putin's newest other article is a candidate.
    related = selectors.related_articles(world.putin_ru)
    assert newer in related
    assert world.putin_by not in related


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://127.0.0.1:6379/1", "django.core.cache.backends.redis.RedisCache"),
        ("file:///tmp/archive-cache", "django.core.cache.backends.filebased.FileBasedCache"),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache"),
    ],
)
def test_cache_url_names_the_backend(url, backend):
    assert cache_from_url(url)["BACKEND"] == backend


def test_an_unknown_cache_url_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown scheme 'memcache'"):
        cache_from_url("memcache://127.0.0.1:11211")


def test_a_search_ranks_once_for_its_first_pages(client, world, django_assert_num_queries):
    for i in range(25):
        make_article(f"Gas story {i}", body=["Gas prices rose again, gas traders said."])
    first = get(client, "/articles/?q=gas")
    second = get(client, "/articles/?q=gas&page=2")
    page_one = [a.id for a in first.context["articles"]]
    page_two = [a.id for a in second.context["articles"]]
    assert len(page_one) == 20 and len(page_two) == 7
    assert not set(page_one) & set(page_two)
    # The same order as ranking that page alone, without the cache.
    from articles.models import Article
    from articles.search import RankedArticles, parse_query, search_articles

    query = parse_query("gas")
    ranked = RankedArticles(search_articles(Article.objects.all(), query), query)
    assert [a.id for a in ranked[20:40]] == page_two


def test_a_reader_waits_for_an_aggregate_another_is_computing():
    import threading

    from django.core.cache import cache

    from articles import caching

    key = caching._key("value", 7, ("co-people", "Place", 1))
    cache.add(key + ":computing", 1, 60)  # another reader started computing it

    def finish():
        cache.set(key, ["Esra Sityan"], 60)

    timer = threading.Timer(0.2, finish)
    timer.start()

    def compute():
        raise AssertionError("computed twice")

    try:
        with caching.version_scope(7):
            found = caching.remember(caching.Key.CO_PEOPLE, "Place", 1, compute=compute)
        assert found == ["Esra Sityan"]
    finally:
        timer.cancel()


def test_a_reader_computes_when_the_other_gives_no_result(monkeypatch):
    from django.core.cache import cache

    from articles import caching

    monkeypatch.setattr(caching, "COMPUTE_WAIT_SECONDS", 0.2)
    key = caching._key("value", 7, ("coverage", "Place", 1))
    cache.add(key + ":computing", 1, 60)  # held, and never released
    with caching.version_scope(7):
        found = caching.remember(caching.Key.COVERAGE, "Place", 1, compute=lambda: [1, 2])
    assert found == [1, 2]
    assert cache.get(key) == [1, 2]
    assert cache.get(key + ":computing") is None


def test_the_archive_version_is_read_once_a_request_and_afresh_outside_one(
    django_assert_num_queries,
):
    from articles import caching

    bump_version()
    with caching.version_scope():
        with django_assert_num_queries(1):
            first = caching.archive_version()
            assert caching.archive_version() == first
        bump_version()
        assert caching.archive_version() == first  # kept for the rest of the scope
    with django_assert_num_queries(1):
        assert caching.archive_version() == first + 1  # outside a scope: read each time


def test_every_cached_aggregate_is_named_by_a_declared_key():
    from articles import caching

    with pytest.raises(ValueError):
        caching.remember("no-such-aggregate", compute=lambda: 1)
