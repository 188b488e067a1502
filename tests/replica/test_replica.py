"""Reading from a real hot standby: public pages come from it, writes go to the primary and
reach it, the cache's archive version follows what it has applied, and a standby that lags
or is down is left for the primary."""

from __future__ import annotations

import logging
import socket
import time

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.caching import PAGE_HEADER, current_version
from articles.models import Article, Person
from articles.replicas import PIN_COOKIE
from articles.routers import reads_from
from tests.admin_support import ARTICLES, make_editor
from tests.factories import import_texts, make_person

from .conftest import REPLICA, paused_replay, scalar, wait_for_replay

pytestmark = [pytest.mark.replica, pytest.mark.django_db(transaction=True, databases="__all__")]

FERRY, RICE, CUP = sorted(ARTICLES)
LIST = "/articles/"


def article_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if '"articles_article"' in q["sql"]]


def unused_port() -> int:
    """A local port nothing listens on: a database there is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def table_scans(alias: str) -> int:
    """Scans of the article table counted by that server's own statistics (a backend's counts
    are published when it ends: the connection is closed first)."""
    connections[alias].close()
    return scalar(
        alias,
        "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables "
        "WHERE relname = 'articles_article'",
    )


def test_public_pages_are_read_from_the_standby(client):
    import_texts(ARTICLES)
    wait_for_replay()
    assert scalar(REPLICA, "SELECT pg_is_in_recovery()") is True
    assert scalar("default", "SELECT pg_is_in_recovery()") is False
    scans_before = table_scans(REPLICA)

    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        pages = [client.get(url) for url in ("/", LIST, f"{LIST}?q=ferry", "/sections/")]

    assert [p.status_code for p in pages] == [200] * 4
    assert {p.wsgi_request.read_database for p in pages} == {REPLICA}
    assert "Ferry operators add winter sailings" in pages[1].content.decode()
    assert pages[2].context["page_obj"].paginator.count == 1
    assert article_reads(on_replica)
    assert article_reads(on_primary) == []
    # The standby's own statistics saw the reads.
    deadline = time.monotonic() + 15
    while table_scans(REPLICA) <= scans_before:
        assert time.monotonic() < deadline, "the standby's statistics show no article scans"
        time.sleep(0.2)


def test_imports_and_admin_edits_go_to_the_primary_and_reach_the_standby():
    person = make_person("Pavel Dronov")
    editor = Client()
    editor.force_login(make_editor())
    url = reverse("admin:articles_person_change", args=[person.pk])

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        batch = import_texts(ARTICLES)
        form = editor.get(url)
        response = editor.post(
            url,
            {
                "name": "Pavel Dronov",
                "slug": person.slug,
                "aliases": "Dronov\r\nP. Dronov",
                "is_entity": "on",
                "merged_into": "",
            },
        )

    assert form.status_code == 200 and form.wsgi_request.read_database == "default"
    assert response.status_code == 302, response.content.decode()[:2000]
    assert on_replica.captured_queries == []
    assert batch.created_count == 3
    assert Person.objects.using("default").get(pk=person.pk).aliases == ["Dronov", "P. Dronov"]
    wait_for_replay()
    assert Person.objects.using(REPLICA).get(pk=person.pk).aliases == ["Dronov", "P. Dronov"]
    assert Article.objects.using(REPLICA).count() == 3


def test_after_a_write_the_editor_reads_from_the_primary_for_a_while(settings):
    person = make_person("Pavel Dronov")
    editor = Client()
    editor.force_login(make_editor())
    url = reverse("admin:articles_person_change", args=[person.pk])
    data = {"name": "Pavel Dronov", "slug": person.slug, "aliases": "", "is_entity": "on"}

    response = editor.post(url, {**data, "merged_into": ""})
    pinned = editor.get(LIST)
    del editor.cookies[PIN_COOKIE]
    unpinned = editor.get(LIST)

    assert response.cookies[PIN_COOKIE]["max-age"] == settings.REPLICA_PIN_SECONDS
    assert pinned.status_code == unpinned.status_code == 200
    assert pinned.wsgi_request.read_database == "default"
    assert unpinned.wsgi_request.read_database == REPLICA


def test_a_lagging_standby_serves_pages_of_the_version_it_has_then_catches_up(client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.REPLICA_MAX_LAG_SECONDS = 300
    settings.REPLICA_CHECK_SECONDS = 0
    import_texts({FERRY: ARTICLES[FERRY]})
    wait_for_replay()
    assert client.get(LIST)[PAGE_HEADER] == "miss"

    with paused_replay():
        import_texts({RICE: ARTICLES[RICE]})  # on the primary, with a new archive version
        with reads_from(REPLICA):
            replica_version = current_version()
        assert replica_version < current_version()
        lagging = client.get(LIST)

    assert lagging.wsgi_request.read_database == REPLICA
    # The page of the version the standby has, made from its data, not one keyed newer.
    assert lagging[PAGE_HEADER] == "hit"
    assert "Rice farmers" not in lagging.content.decode()
    wait_for_replay()
    caught_up = client.get(LIST)
    assert caught_up.wsgi_request.read_database == REPLICA
    assert caught_up[PAGE_HEADER] == "miss"
    assert "Rice farmers welcome an early monsoon" in caught_up.content.decode()


def test_a_standby_lagging_beyond_the_bound_is_left_for_the_primary(client, settings, caplog):
    settings.REPLICA_MAX_LAG_SECONDS = 0.5
    settings.REPLICA_CHECK_SECONDS = 0
    import_texts({FERRY: ARTICLES[FERRY]})
    wait_for_replay()
    caplog.set_level(logging.WARNING, logger="articles.replicas")

    with paused_replay():
        import_texts({RICE: ARTICLES[RICE]})
        time.sleep(1.0)
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            behind = client.get(LIST)

    assert behind.wsgi_request.read_database == "default"
    assert "Rice farmers welcome an early monsoon" in behind.content.decode()
    assert article_reads(on_replica) == []
    assert "replica replica_1 is lagging" in caplog.text
    assert "fall back to the primary" in caplog.text
    wait_for_replay()
    back = client.get(LIST)
    assert back.wsgi_request.read_database == REPLICA
    assert "replica replica_1 is back" in caplog.text


def test_a_standby_that_is_down_is_left_for_the_primary(client, caplog):
    import_texts({CUP: ARTICLES[CUP]})
    caplog.set_level(logging.WARNING, logger="articles.replicas")
    replica = connections[REPLICA]
    replica.close()
    port = replica.settings_dict["PORT"]
    replica.settings_dict["PORT"] = unused_port()
    try:
        page = client.get(LIST)
    finally:
        replica.close()
        replica.settings_dict["PORT"] = port

    assert page.status_code == 200
    assert page.wsgi_request.read_database == "default"
    assert "Coastal club wins its first cup" in page.content.decode()
    assert "replica replica_1 is down" in caplog.text


def test_public_pages_keep_coming_from_the_standby_while_the_primary_is_unreachable(client):
    import_texts({CUP: ARTICLES[CUP]})
    wait_for_replay()
    primary = connections["default"]
    primary.close()
    port = primary.settings_dict["PORT"]
    primary.settings_dict["PORT"] = unused_port()
    try:
        page = client.get(LIST)
    finally:
        primary.close()
        primary.settings_dict["PORT"] = port

    assert page.status_code == 200
    assert page.wsgi_request.read_database == REPLICA
    assert "Coastal club wins its first cup" in page.content.decode()
