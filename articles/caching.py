"""Caching by archive version, scoped to what changed.

The archive changes only when something writes to it: an import, a re-extraction, a curation
action, an admin edit. Each of those increases ``ArchiveVersion.version`` (in the same
transaction as the change, or right after its commit); everything cached is keyed by a
version, so a change makes the copies it affects stale at once, in every process and on every
host, without a list of keys to forget; stale entries simply age out of the cache.

Versions come in two widths:

- the archive version: home, lists, searches, the date archive, article pages. Every change
  bumps it.
- a scope's version (``ScopeVersion``: "person:<slug>", "place:<slug>", "section:<path>"),
  which keys an entity's page and its aggregates together with the "*" scope. An import bumps
  only the scopes of the people, places and sections (with their parent sections) it wrote
  to; a curation action or an admin edit, which may show on any page, bumps "*" (and the
  archive version). So an import into News / Sport leaves the pages of untouched people,
  places and sections cached.

Two layers use them:

- ``remember()``: an aggregate behind a page, computed once per version. Only the read layer
  (``articles.selectors``) calls it, and every name it is called with is declared in ``Key``.
- ``archive_page``: a whole rendered public page for anonymous readers, keyed by scheme, host,
  path, the query parameters public pages read (``PAGE_PARAMETERS``; any other parameter, such
  as ``?utm_source=...``, is dropped before the view runs, so it can't make a new entry) and
  version (for an entity page, its scope's version). Only a logged-in reader (an editor) gets
  a fresh render: a session cookie alone, even garbage, does not skip the cache.
  ``archive_export`` does the same for the streamed CSV / JSON exports, storing a response
  once it has streamed whole.

Versions are read once per request (``VersionScopeMiddleware`` keeps them): one indexed query
for the archive version, one for an entity page's scope. The cache is Django's ``default``
cache: per process (``LocMemCache``) unless ``CACHE_URL`` points at a shared one (see settings
and docs/benchmarks.md). Per-process caches stay correct because the versions live in the
database; they only warm up once per process.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from enum import StrEnum
from functools import wraps
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.http import QueryDict, StreamingHttpResponse
from django.utils import timezone

from .models import ArchiveVersion, ScopeVersion
from .routers import read_alias

VERSION_ROW = 1
EVERYTHING = "*"  # the scope every curation action and admin edit bumps
# The scope an import bumps when it replaces stored articles (a changed file read again), as
# opposed to adding new ones; keyed with "*" (``scope_version``), so curation and admin edits
# count too. A value that only grows while articles are added lives that long (``lasting``).
EDITS = "edits"
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
    SNIPPETS = "snippets"  # highlighted excerpts of one page of search results
    NAME_MATCHES = "name-matches"  # people and places named like a search ("Looking for ...?")
    CAPPED = "capped"  # a count found over its cap: it stays so while articles are only added
    ABOUT_ARTICLE = "about-article"  # an article's people, places and related stories


# The versions read for the current request (None outside one: every call reads afresh):
# "" -> the archive version, a scope's name -> (version of "*", version of the scope).
_scope: ContextVar[dict | None] = ContextVar("archive_version_scope", default=None)


def current_version() -> int:
    """The archive's version now (0 if its row is missing: the next change creates it), as the
    database this request reads from has it: with read replicas, the version a replica has
    applied, so a page is never keyed newer than the data it was rendered from
    (``articles.routers``)."""
    rows = ArchiveVersion.objects.using(read_alias()).filter(pk=VERSION_ROW)
    return rows.values_list("version", flat=True).first() or 0


def _bump_archive() -> None:
    changed = ArchiveVersion.objects.filter(pk=VERSION_ROW).update(
        version=F("version") + 1, changed=timezone.now()
    )
    if not changed:
        ArchiveVersion.objects.get_or_create(pk=VERSION_ROW)


def _bump_scopes(scopes: Iterable[str], per_statement: int = 500) -> None:
    names = sorted(set(scopes))  # a fixed order: two imports lock rows in the same order
    table = connection.ops.quote_name(ScopeVersion._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(names), per_statement):
            part = names[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} (scope, version) VALUES {', '.join(['(%s, 2)'] * len(part))} "
                f"ON CONFLICT (scope) DO UPDATE SET version = {table}.version + 1",
                part,
            )


def bump_version() -> None:
    """A change that may show on any page: increase the archive's version and the "*" scope
    (two statements, in the caller's transaction if any)."""
    _bump_archive()
    _bump_scopes([EVERYTHING])


def bump_scopes(scopes: Iterable[str]) -> None:
    """An import's change: increase the archive's version and those of ``scopes`` only."""
    _bump_archive()
    _bump_scopes(scopes)


def scope_of(entity) -> str:
    """The scope of an entity's page: "person:<slug>", "place:<slug>", "section:<path>"."""
    kind = entity._meta.model_name
    return f"section:{entity.path}" if kind == "section" else f"{kind}:{entity.slug}"


def page_scope(kind: str) -> Callable[..., str]:
    """For ``archive_page(scope=...)``: the scope of a person's, place's or section's page
    from its URL arguments (``slug``, or a section's ``path``)."""

    def scope(slug: str = "", path: str = "", **kwargs) -> str:
        return f"{kind}:{(slug or path).strip('/')}"

    return scope


def section_scopes(path: str) -> list[str]:
    """The scopes a change in section ``path`` touches: its own and its ancestors'."""
    parts = path.split("/")
    return [f"section:{'/'.join(parts[: i + 1])}" for i in range(len(parts))]


def bump_version_on_commit(**kwargs) -> None:
    """For signal receivers: bump once the current transaction commits (now, if none)."""
    transaction.on_commit(bump_version, robust=True)


@contextlib.contextmanager
def version_scope(version: int | None = None) -> Iterator[None]:
    """Within it, versions are read once (the archive's is ``version`` if given) and kept."""
    token = _scope.set({} if version is None else {"": version})
    try:
        yield
    finally:
        _scope.reset(token)


def archive_version() -> int:
    """The version that cached values are keyed by: read once per scope (a request)."""
    kept = _scope.get()
    if kept is None:
        return current_version()
    if "" not in kept:
        kept[""] = current_version()
    return kept[""]


def _read_scope(scope: str) -> tuple[int, int]:
    found = dict(
        ScopeVersion.objects.using(read_alias())
        .filter(scope__in=[EVERYTHING, scope])
        .values_list("scope", "version")
    )
    return found.get(EVERYTHING, 1), found.get(scope, 1)


def scope_version(scope: str | None) -> int | tuple[int, int]:
    """What a value of ``scope`` is keyed by: (version of "*", the scope's), read once per
    request; the archive version when ``scope`` is None."""
    if scope is None:
        return archive_version()
    kept = _scope.get()
    if kept is None:
        return _read_scope(scope)
    if scope not in kept:
        kept[scope] = _read_scope(scope)
    return kept[scope]


class VersionScopeMiddleware:
    """Each request reads the archive version once, when it first needs it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with version_scope():
            return self.get_response(request)


def _key(kind: str, version: int | tuple[int, int], parts: tuple) -> str:
    digest = hashlib.sha256(repr(parts).encode("utf-8", "backslashreplace")).hexdigest()[:32]
    if isinstance(version, tuple):  # a scope's: "<version of *>.<version of the scope>"
        version = ".".join(str(v) for v in version)
    return f"archive:{kind}:{version}:{digest}"


def remember[T](name: Key, *parts, compute: Callable[[], T], scope: str | None = None) -> T:
    """``compute()``, cached under ``name`` and ``parts`` for this archive version, or for
    this version of ``scope`` (an entity's: see ``scope_of``) when given.

    ``parts`` must say everything the value depends on besides the archive's contents.
    """
    name = Key(name)  # an undeclared name is a ValueError, cached or not
    timeout = settings.ARCHIVE_CACHE_SECONDS
    if not timeout:
        return compute()
    key = _key("value", scope_version(scope), (name.value, *parts))
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


def lasting[T](name: Key, *parts, compute: Callable[[], T], keep: Callable[[T], bool]) -> T:
    """``compute()``, and when ``keep(value)`` holds, that value cached until articles are
    replaced or edited, not merely added: for the version of the ``EDITS`` scope (with "*").

    For what adding articles can only make truer, such as "more than 10,000 matches": a new
    story can add a match, never take one away, so after an import of new stories the capped
    count of a search is still capped and need not be counted again. An import that replaces
    stored articles bumps ``EDITS``; curation and admin edits bump "*"; both end it.
    """
    name = Key(name)
    if not settings.ARCHIVE_CACHE_SECONDS:
        return compute()
    key = _key("lasting", scope_version(EDITS), (name.value, *parts))
    value = cache.get(key, _MISSING)
    if value is not _MISSING:
        return value
    value = compute()
    if keep(value):
        cache.set(key, value, settings.ARCHIVE_CACHE_SECONDS)
    return value


def _vary_part(value):
    """A stable stand-in for a fragment's vary-on value: a row by its model and id, a query
    by the parameters public pages read (``PAGE_PARAMETERS``), sorted; anything else as is."""
    if isinstance(value, QueryDict):
        return tuple(sorted((k, tuple(value.getlist(k))) for k in value if k in PAGE_PARAMETERS))
    meta = getattr(value, "_meta", None)
    if meta is not None and hasattr(value, "pk"):
        return (meta.label, value.pk)
    return repr(value)


@functools.cache
def templates_digest() -> str:
    """A digest of every template the site renders with (its own and its apps'): part of a
    fragment's key, so that after a deploy that changes a template no page combines pieces
    rendered by the old one with the new (a shared cache outlives a deploy)."""
    digest = hashlib.sha256()
    folders = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    folders += [Path(app.path) / "templates" for app in apps.get_app_configs()]
    for folder in folders:
        for path in sorted(folder.rglob("*.html")) if folder.is_dir() else []:
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def fragment(name: str, vary: Iterable, scope: str | None, render: Callable[[], str]) -> str:
    """``render()``, a piece of a page, cached under ``name`` and the ``vary`` values for this
    archive version, or for this version of ``scope`` (an entity page's): so a fragment goes
    stale exactly when the page it is part of would (``{% fragment %}`` in archive_tags), and
    when a deploy changes the templates (``templates_digest``)."""
    timeout = settings.ARCHIVE_CACHE_SECONDS
    if not timeout:
        return render()
    parts = (templates_digest(), name, *(_vary_part(v) for v in vary))
    key = _key("fragment", scope_version(scope), parts)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, timeout)
    return html


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
        "match",
        "page",
        "add",
        "not_found",
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


def _page_key(request, version: int | tuple[int, int] | None = None) -> str:
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
    return _key("page", archive_version() if version is None else version, where)


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


def archive_page(view=None, *, scope: Callable[..., str] | None = None):
    """Serve anonymous GETs of ``view`` from the cache, keyed by scheme, host, path, the
    parameters pages read, and archive version; or, with ``scope`` (the view's URL arguments
    -> a scope name), by that scope's version: an entity page stays cached while imports
    touch other entities.

    Only complete 200 responses that set no cookie are stored; anything else (a redirect, a
    400 for a bad filter, a 404) is rendered every time. Headers that middleware adds on the
    way out (CSP, security headers) are added afresh to every response, cached or not.
    """

    if view is None:
        return lambda view: archive_page(view, scope=scope)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _page_cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _page_key(request, scope_version(scope(**kwargs) if scope else None))
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
