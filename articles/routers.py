"""Which database a query goes to when there are read replicas (``DATABASE_REPLICA_URLS``).

Every write goes to the primary (``default``). A read goes to the primary too, unless the code
around it asked for a replica with :func:`reads_from`: only
:class:`articles.replicas.ReplicaMiddleware` does, for public GET and HEAD requests. So the
admin, imports (command, upload page, background tasks), curation, migrations and the shell
all read from the primary without having to say so, and a read that cannot tolerate a lag
never lands on a replica by accident.

Sessions, users, permissions and the task queue are always read from the primary: a session
written on one request must be there on the next.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

PRIMARY = "default"
PRIMARY_ONLY_APPS = frozenset(
    {"admin", "auth", "contenttypes", "sessions", "django_tasks_database", "django_tasks_db"}
)

# The database this context reads from (None: the primary).
_reads: ContextVar[str | None] = ContextVar("replica_reads", default=None)


@contextlib.contextmanager
def reads_from(alias: str | None) -> Iterator[None]:
    """Within it, reads go to ``alias`` (a replica's alias; None or the primary's: the primary)."""
    token = _reads.set(None if alias == PRIMARY else alias)
    try:
        yield
    finally:
        _reads.reset(token)


def read_alias() -> str:
    """The database this context's reads go to."""
    return _reads.get() or PRIMARY


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry (set in settings when replicas are configured)."""

    def db_for_read(self, model, **hints) -> str:
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        return read_alias()

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Replicas hold the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, **hints) -> bool:
        # A replica is read-only: migrations reach it through replication.
        return db == PRIMARY
