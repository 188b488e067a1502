"""Read replicas at run time: which replica a public request reads from, whether it is fit to,
and pinning an editor to the primary right after a write.

A replica is fit when it answers and is not too far behind: its lag is how long the archive's
newest change (``ArchiveVersion``, bumped by every import, curation action and admin edit) has
been on the primary without being on the replica. That is the staleness a reader would see,
and it is zero whenever the replica has what the primary has, however idle both are. A replica
that is down or lags more than ``REPLICA_MAX_LAG_SECONDS`` is passed over until a later check
finds it fit again; each change of state is logged once per process (``articles.replicas``).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections
from django.urls import reverse
from django.utils import timezone

from .routers import PRIMARY, reads_from

logger = logging.getLogger(__name__)

PIN_COOKIE = "archive_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REPLICA_STATE_SQL = "SELECT pg_is_in_recovery()"

# Log lines, one per change of a replica's state in a process.
LOG_UNFIT = "replica %s is %s; public reads fall back to the primary"
LOG_BACK = "replica %s is back (%.1f s behind): public reads use it again"
LOG_NOTE = "replica %s is %s"
LAGGING = "lagging: {lag:.1f} s behind the primary (REPLICA_MAX_LAG_SECONDS={bound:g})"
DOWN = "down: {error}"
PRIMARY_UNREACHABLE = "fit, but the primary is unreachable"
NOT_IN_RECOVERY = "not in recovery (promoted?)"


@dataclass(frozen=True)
class ReplicaState:
    alias: str
    fit: bool
    lag: float  # seconds the replica has been missing the primary's newest change
    reason: str = ""
    checked: float = 0.0  # time.monotonic() of the check


_states: dict[str, ReplicaState] = {}
_lock = threading.Lock()


def _version_row(alias: str):
    from .caching import VERSION_ROW
    from .models import ArchiveVersion

    return ArchiveVersion.objects.using(alias).filter(pk=VERSION_ROW).values("version", "changed")


def check_replica(alias: str) -> ReplicaState:
    """Ask ``alias`` now: does it answer, is it a standby, how far behind the primary is it."""
    now = time.monotonic()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(REPLICA_STATE_SQL)
            (in_recovery,) = cursor.fetchone()
        replica = _version_row(alias).first()
    except DatabaseError as exc:
        connections[alias].close()
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return ReplicaState(alias, False, float("inf"), DOWN.format(error=reason), now)
    try:
        primary = _version_row(PRIMARY).first()
    except DatabaseError:
        # Nothing can be written meanwhile, so the replica gets no staler: keep reading it.
        connections[PRIMARY].close()
        return ReplicaState(alias, True, 0.0, PRIMARY_UNREACHABLE, now)
    lag = 0.0
    if primary and (replica is None or replica["version"] < primary["version"]):
        lag = max(0.0, (timezone.now() - primary["changed"]).total_seconds())
    bound = settings.REPLICA_MAX_LAG_SECONDS
    if lag > bound:
        return ReplicaState(alias, False, lag, LAGGING.format(lag=lag, bound=bound), now)
    reason = "" if in_recovery else NOT_IN_RECOVERY
    return ReplicaState(alias, True, lag, reason, now)


def replica_state(alias: str) -> ReplicaState:
    """The state of ``alias`` as last checked, checked again if older than
    ``REPLICA_CHECK_SECONDS``; a change of state is logged."""
    with _lock:
        known = _states.get(alias)
    if known is not None and time.monotonic() - known.checked < settings.REPLICA_CHECK_SECONDS:
        return known
    state = check_replica(alias)
    with _lock:
        before = _states.get(alias)
        _states[alias] = state
    if state.fit and before is not None and not before.fit:
        logger.warning(LOG_BACK, alias, state.lag)
    elif not state.fit and (before is None or before.fit or before.reason != state.reason):
        logger.warning(LOG_UNFIT, alias, state.reason)
    elif state.fit and state.reason and (before is None or before.reason != state.reason):
        logger.warning(LOG_NOTE, alias, state.reason)
    return state


def forget_states() -> None:
    """Drop what is known about every replica (tests; a changed configuration)."""
    with _lock:
        _states.clear()


def pick_replica() -> str | None:
    """A fit replica for one request's reads, spreading requests over them; None: the primary."""
    aliases = list(settings.REPLICA_DATABASES)
    random.shuffle(aliases)
    for alias in aliases:
        if replica_state(alias).fit:
            return alias
    return None


def _admin_prefix() -> str:
    try:
        return reverse("admin:index")
    except Exception:  # no admin in this URLconf
        return "/admin/"


def reads_public(request) -> bool:
    """Whether ``request`` may read from a replica: a GET or HEAD outside the admin, from a
    browser that has not just written."""
    return (
        request.method in ("GET", "HEAD")
        and PIN_COOKIE not in request.COOKIES
        and not request.path.startswith(_admin_prefix())
    )


class ReplicaMiddleware:
    """Public reads from a fit replica; after a write (any request that is not GET, HEAD or
    OPTIONS) a cookie keeps that browser on the primary for ``REPLICA_PIN_SECONDS``, so the
    editor reads their own change. Without replicas it does nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.REPLICA_DATABASES:
            return self.get_response(request)
        alias = pick_replica() if reads_public(request) else None
        request.read_database = alias or PRIMARY
        with reads_from(alias):
            response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
