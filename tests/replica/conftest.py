"""The replica suite: runs only with ``DATABASE_REPLICA_URLS`` pointing at a real hot standby
of the suite's PostgreSQL (``make test-replica``, or ``.ci/run``); skipped otherwise.

Its tests commit (``transaction=True``): only committed rows reach a standby.
"""

from __future__ import annotations

import time

import pytest
from django.db import OperationalError, connections

from articles.replicas import forget_states

REPLICA = "replica_1"
REPLAY_TIMEOUT = 60


@pytest.fixture(autouse=True)
def _replicas(settings):
    if not settings.REPLICA_DATABASES:
        pytest.skip("needs DATABASE_REPLICA_URLS and a standby (make test-replica)")
    wait_for_replay()
    forget_states()
    yield
    forget_states()


def scalar(alias: str, sql: str, params=()):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def wait_for_replay(alias: str = REPLICA) -> float:
    """Wait until ``alias`` has replayed everything the primary has written; the seconds it took."""
    target = scalar("default", "SELECT pg_current_wal_lsn()::text")
    started = time.monotonic()
    while True:
        try:
            if scalar(alias, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]):
                return time.monotonic() - started
        except OperationalError:  # the test database itself may not be there yet
            connections[alias].close()
        assert time.monotonic() - started < REPLAY_TIMEOUT, f"{alias} did not catch up"
        time.sleep(0.05)


class paused_replay:
    """Within it the standby receives WAL but applies none of it: a replica that lags."""

    def __init__(self, alias: str = REPLICA):
        self.alias = alias

    def __enter__(self):
        scalar(self.alias, "SELECT pg_wal_replay_pause()::text")
        return self

    def __exit__(self, *exc):
        scalar(self.alias, "SELECT pg_wal_replay_resume()::text")
        return False
