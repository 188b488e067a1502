"""Caching by archive version.

The archive changes only when something writes to it: an import, a re-extraction, a curation
action, an admin edit. Each of those increases one number, ``ArchiveVersion.version``, in the
same transaction as the change (or right after its commit). Everything cached is keyed by that
number, so a change makes every cached page and aggregate stale at once, in every process and
on every host, without a list of keys to forget; stale entries simply age out of the cache.

Two layers use it:

- ``remember()``: an aggregate behind a page (a person's co-mentions, a country's coverage by
  month, the list page's facets, a count), computed once per version. Pages on other page
  numbers or with other filters reuse it. Only the read layer (``articles.selectors``) calls
  it, and every name it is called with is declared here, in ``Key``.
- ``archive_page``: a whole rendered public page for anonymous readers, keyed by scheme, host,
  path, the query parameters public pages read (``PAGE_PARAMETERS``; any other parameter, such
  as ``?utm_source=...``, is dropped before the view runs, so it can't make a new entry) and
  version. Only a logged-in reader (an editor) gets a fresh render: a session cookie alone,
  even garbage, does not skip the cache. ``archive_export`` does the same for the streamed
  CSV / JSON exports, storing a response once it has streamed whole.

Reading the version costs one indexed query per request: ``VersionScopeMiddleware`` keeps it
for the rest of the request. The cache
is Django's ``default`` cache: per process (``LocMemCache``) unless ``CACHE_URL`` points at a
shared one (see settings and docs/benchmarks.md). Per-process caches stay correct because the
version lives in the database; they only warm up once per process.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from enum import StrEnum
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.http import StreamingHttpResponse
from django.utils import timezone

from .models import ArchiveVersion

VERSION_ROW = 1
_MISSING = object()
PAGE_HEADER = "X-Archive-Cache"
# How long a reader computing an aggregate holds its lock, and how long others wait for it.
COMPUTE_LOCK_SECONDS = 60
COMPUTE_WAIT_SECONDS = 30


class Key(StrEnum):
    """The name of every aggregate cached with ``remember()``; the parts passed beside it say
    which one (an entity's id, a list's filters)."""

    FACETS = "facets"  # sections, people, countries of a filtered list
    YEARS = "years"  # articles per year, of a list or of the whole archive
    COUNT = "count"  # the number of articles matching several filters
    SEARCH_COUNT = "search-count"  # matches of a search, counted up to a cap
    RANKED = "ranked"  # the best-ranked ids of a search
    TOP_PEOPLE = "top-people"  # most mentioned between two dates
    TOP_COUNTRIES = "top-countries"
    COVERAGE = "coverage"  # articles per month of an entity, or of a year
    CO_PEOPLE = "co-people"  # people most often named with an entity
    CO_PLACES = "co-places"
    ROLES = "roles"  # how articles describe a person


# The version read for the current request (None outside one: every call reads it afresh).
_scope: ContextVar[list[int] | None] = ContextVar("archive_version_scope", default=None)


def current_version() -> int:
    """The archive's version now (0 if its row is missing: the next change creates it)."""
    return (
        ArchiveVersion.objects.filter(pk=VERSION_ROW).values_list("version", flat=True).first() or 0
    )


def bump_version() -> None:
    """Increase the archive's version: one UPDATE, in the caller's transaction if any."""
    changed = ArchiveVersion.objects.filter(pk=VERSION_ROW).update(
        version=F("version") + 1, changed=timezone.now()
    )
    if not changed:
        ArchiveVersion.objects.get_or_create(pk=VERSION_ROW)


def bump_version_on_commit(**kwargs) -> None:
    """For signal receivers: bump once the current transaction commits (now, if none)."""
    transaction.on_commit(bump_version, robust=True)


@contextlib.contextmanager
def version_scope(version: int | None = None) -> Iterator[None]:
    """Within it, the archive version is read once (or is ``version``) and then kept."""
    token = _scope.set([] if version is None else [version])
    try:
        yield
    finally:
        _scope.reset(token)


def archive_version() -> int:
    """The version that cached values are keyed by: read once per scope (a request)."""
    kept = _scope.get()
    if kept is None:
        return current_version()
    if not kept:
        kept.append(current_version())
    return kept[0]


class VersionScopeMiddleware:
    """Each request reads the archive version once, when it first needs it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with version_scope():
            return self.get_response(request)


def _key(kind: str, version: int, parts: tuple) -> str:
    digest = hashlib.sha256(repr(parts).encode("utf-8", "backslashreplace")).hexdigest()[:32]
    return f"archive:{kind}:{version}:{digest}"


def remember[T](name: Key, *parts, compute: Callable[[], T]) -> T:
    """``compute()``, cached under ``name`` and ``parts`` for this archive version.

    ``parts`` must say everything the value depends on besides the archive's contents.
    """
    name = Key(name)  # an undeclared name is a ValueError, cached or not
    timeout = settings.ARCHIVE_CACHE_SECONDS
    if not timeout:
        return compute()
    key = _key("value", archive_version(), (name.value, *parts))
    value = cache.get(key, _MISSING)
    if value is not _MISSING:
        return value
    # Right after a change, several readers may ask for Iran's page at once: one computes
    # (2.7 s at a million articles), the others wait for its result instead of doing the same
    # work in parallel. Across processes only with a shared cache; an advisory lock, so a
    # waiter that sees no progress computes anyway.
    lock = key + ":computing"
    if not cache.add(lock, 1, COMPUTE_LOCK_SECONDS):
        deadline = time.monotonic() + COMPUTE_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
            value = cache.get(key, _MISSING)
            if value is not _MISSING:
                return value
            if cache.get(lock) is None:
                break  # the other reader failed or gave up
    try:
        value = compute()
        cache.set(key, value, timeout)
    finally:
        cache.delete(lock)
    return value


# Every query parameter a public page, feed, export or sitemap reads: the list filters
# (articles.filters.ArticleFilter; tests/robustness/test_page_cache.py checks this against it),
# ``page``, the people and places lists' ``letter``, a sitemap's ``p``, an export's ``after``.
PAGE_PARAMETERS = frozenset(
    {
        "q",
        "section",
        "person",
        "country",
        "place",
        "source",
        "date_from",
        "date_to",
        "sort",
        "page",
        "letter",
        "p",
        "after",
    }
)
# A streamed export is kept whole when it is at most this big (docs/reliability.md).
EXPORT_CACHE_MAX_BYTES = 8 * 1024 * 1024


def _page_cacheable_request(request) -> bool:
    if not settings.PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    # Any client can send a session cookie: only a logged-in session is served fresh.
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _page_key(request) -> str:
    """The page's cache key; drops the query parameters no public page reads from
    ``request.GET`` first, so the view renders exactly what the key says."""
    used = request.GET.copy()
    for name in set(used) - PAGE_PARAMETERS:
        del used[name]
    if len(used) != len(request.GET):
        request.GET = used
    query = sorted((name, tuple(used.getlist(name))) for name in used)
    # Feeds carry absolute URLs: the scheme and host are part of what was rendered.
    where = (request.scheme, request.get_host(), request.path, query)
    return _key("page", archive_version(), where)


def _page_cacheable_response(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
        and "cookie" not in response.get("Vary", "").lower()
    )


def archive_page(view):
    """Serve anonymous GETs of ``view`` from the cache, keyed by scheme, host, path, the
    parameters pages read, and archive version.

    Only complete 200 responses that set no cookie are stored; anything else (a redirect, a
    400 for a bad filter, a 404) is rendered every time. Headers that middleware adds on the
    way out (CSP, security headers) are added afresh to every response, cached or not.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _page_cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        response = cache.get(key)
        if response is not None:
            response[PAGE_HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if request.method == "GET" and _page_cacheable_response(response):
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        response[PAGE_HEADER] = "miss"
        return response

    return wrapper


def archive_export(view):
    """Like :func:`archive_page`, for a view that streams (the CSV / JSON exports): a miss
    streams as it is produced and is stored once it has streamed whole, if it is at most
    EXPORT_CACHE_MAX_BYTES; a hit streams the stored body."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _page_cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        stored = cache.get(key)
        if stored is not None:
            response = StreamingHttpResponse(iter(stored["body"]))
            for header, value in stored["headers"]:
                response[header] = value
            response[PAGE_HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200 and response.streaming:
            headers = [(h, v) for h, v in response.items() if h != PAGE_HEADER]
            response.streaming_content = _kept(response.streaming_content, key, headers)
        response[PAGE_HEADER] = "miss"
        return response

    return wrapper


def _kept(chunks, key: str, headers: list) -> Iterator[bytes]:
    body, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size <= EXPORT_CACHE_MAX_BYTES:
            body.append(chunk)
        yield chunk
    if size <= EXPORT_CACHE_MAX_BYTES:
        # Joined into pieces of ~64 KB: a hit streams them without thousands of tiny writes.
        pieces, piece = [], b""
        for chunk in body:
            piece += chunk
            if len(piece) >= 65536:
                pieces.append(piece)
                piece = b""
        pieces.append(piece)
        cache.set(key, {"headers": headers, "body": pieces}, settings.PAGE_CACHE_SECONDS)
