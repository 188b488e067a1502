"""Read-replica configuration and routing decisions that need no replica: settings parsing,
the router's choices, which requests may read from a replica. (Against a real standby:
tests/replica/.)"""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import RequestFactory

from articles.models import Article, ImportBatch
from articles.replicas import PIN_COOKIE, reads_public
from articles.routers import ReplicaRouter, read_alias, reads_from
from newsarchive.settings import replica_databases

PRIMARY = {"ENGINE": "django.db.backends.postgresql", "NAME": "archive", "CONN_MAX_AGE": 60}


def test_replica_urls_become_mirrored_aliases_with_a_short_connect_timeout():
    replicas = replica_databases(
        " postgres://reader@10.0.0.2:5432/archive, postgres://reader@10.0.0.3:6432/archive ,",
        PRIMARY,
    )

    assert list(replicas) == ["replica_1", "replica_2"]
    assert replicas["replica_2"]["HOST"] == "10.0.0.3"
    assert replicas["replica_2"]["PORT"] == 6432
    assert replicas["replica_1"]["TEST"] == {"MIRROR": "default"}
    assert replicas["replica_1"]["OPTIONS"]["connect_timeout"] == 2
    assert replicas["replica_1"]["CONN_MAX_AGE"] == 60


def test_no_replica_urls_means_one_database():
    assert replica_databases("", PRIMARY) == {}
    assert replica_databases(" , ", PRIMARY) == {}


@pytest.mark.parametrize("url", ["sqlite:///tmp/replica.sqlite3", "mysql://u@h/db"])
def test_a_replica_url_that_is_not_postgresql_is_refused(url):
    with pytest.raises(ValueError, match="DATABASE_REPLICA_URLS"):
        replica_databases(url, PRIMARY)


def test_the_router_reads_from_a_replica_only_when_asked_and_never_writes_there():
    router = ReplicaRouter()

    assert read_alias() == "default"
    assert router.db_for_read(Article) == "default"
    with reads_from("replica_2"):
        assert router.db_for_read(Article) == "replica_2"
        assert router.db_for_read(ImportBatch) == "replica_2"
        assert router.db_for_read(Session) == "default"  # a session must be read back at once
        assert router.db_for_write(Article) == "default"
    with reads_from(None):
        assert router.db_for_read(Article) == "default"
    assert router.db_for_read(Article) == "default"
    assert router.allow_migrate("default", "articles") is True
    assert router.allow_migrate("replica_1", "articles") is False


@pytest.mark.parametrize(
    ("method", "path", "cookies", "public"),
    [
        ("get", "/articles/", {}, True),
        ("head", "/people/", {}, True),
        ("post", "/articles/", {}, False),
        ("get", "/admin/articles/article/", {}, False),
        ("get", "/articles/", {PIN_COOKIE: "1"}, False),
    ],
)
def test_which_requests_may_read_from_a_replica(method, path, cookies, public):
    request = getattr(RequestFactory(), method)(path)
    request.COOKIES.update(cookies)
    assert reads_public(request) is public


@pytest.mark.django_db
def test_without_replicas_the_middleware_changes_nothing(client, settings):
    settings.REPLICA_DATABASES = []
    response = client.get("/articles/")
    assert response.status_code == 200
    assert not hasattr(response.wsgi_request, "read_database")
    assert PIN_COOKIE not in response.cookies
