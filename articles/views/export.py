"""CSV and JSON export of a list URL's results, streamed, at most EXPORT_MAX_ROWS per
response, with a cursor to the next part.

Rows come from the database with ``iterator()`` (a server-side cursor on PostgreSQL), in
chunks; the people and countries of each chunk are fetched in one query per chunk, so memory
stays flat and the number of queries grows with rows / CHUNK, never with rows.

A response holds the first EXPORT_MAX_ROWS matches after its cursor (``after``); when more
match, its ``Link: <...>; rel="next"`` header gives the URL of the next part, so following
those links fetches every matching story once, in order, even while the archive grows. The
cursor names the last row sent (its date and id): the next part starts after it without
counting rows (no OFFSET). Responses are cached per archive version (``caching.archive_export``,
wrapped in urls.py); a client may ask for at most EXPORT_RATE_LIMIT uncached parts a minute.
CSV cells that a spreadsheet would run as a formula are written as text (:func:`csv_cell`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import time
from collections.abc import Iterator
from functools import partial

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils.http import content_disposition_header

from .. import selectors
from ..filters import SORT_OLDEST, ArticleFilter
from ..models import Article, ArticlePerson, ArticlePlace, Place
from ..slugs import slug_for

CHUNK = 1000
EXPORT_MAX_ROWS = 5000  # stories per response; the Link header leads to the next part
EXPORT_RATE_LIMIT = 30  # uncached responses per client per minute (cached ones are free)
RATE_WINDOW_SECONDS = 60
# What a spreadsheet reads as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
BAD_CURSOR = "after: not a cursor of this export (use the Link header of the previous part)"
RATE_LIMITED = (
    "Too many exports from your address: at most {limit} a minute. Wait {wait} s and retry.\n"
)
COLUMNS = [
    "id",
    "url",
    "published",
    "published_how",
    "headline",
    "section",
    "source",
    "caption",
    "word_count",
    "people",
    "countries",
    "original_filename",
]
VALUE_FIELDS = [
    "id",
    "slug",
    "published",
    "published_how",
    "headline",
    "section__full_name",
    "source__name",
    "caption",
    "word_count",
    "original_filename",
]


def csv_cell(value) -> str:
    """A cell as text a spreadsheet shows, never runs: one that would start a formula
    (``=HYPERLINK(...)``, ``@SUM(...)``, ``-2+3``) gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class BadCursor(ValueError):
    pass


def _parse_cursor(value: str) -> tuple[dt.date | None, int]:
    """``after=<YYYY-MM-DD or none>.<id>`` -> (date, id)."""
    day, _, pk = value.rpartition(".")
    try:
        return (None if day == "none" else dt.date.fromisoformat(day)), int(pk)
    except ValueError as exc:
        raise BadCursor(BAD_CURSOR) from exc


def _after(queryset: QuerySet, cursor: tuple[dt.date | None, int], oldest: bool) -> QuerySet:
    """The rows that come after ``cursor`` in the export's order (``NEWEST_FIRST`` or
    ``OLDEST_FIRST``: undated rows last either way, ties by id)."""
    day, pk = cursor
    if day is None:
        return queryset.filter(published__isnull=True, **{"id__gt" if oldest else "id__lt": pk})
    later = "gt" if oldest else "lt"
    return queryset.filter(
        Q(**{f"published__{later}": day})
        | Q(published=day, **{f"id__{later}": pk})
        | Q(published__isnull=True)
    )


def _part(request, filterset: ArticleFilter) -> tuple[QuerySet, str | None]:
    """This response's rows (at most EXPORT_MAX_ROWS) and the URL of the next part, if any."""
    queryset = selectors.article_list(filterset, ranked=False)
    oldest = filterset.current_sort == SORT_OLDEST
    if request.GET.get("after"):
        queryset = _after(queryset, _parse_cursor(request.GET["after"]), oldest)
    # The last row of this part and whether one follows it: one query, no count.
    edge = list(queryset.values_list("published", "id")[EXPORT_MAX_ROWS - 1 : EXPORT_MAX_ROWS + 1])
    next_url = None
    if len(edge) == 2:
        day, pk = edge[0]
        params = request.GET.copy()
        params["after"] = f"{day.isoformat() if day else 'none'}.{pk}"
        next_url = request.build_absolute_uri(request.path) + "?" + params.urlencode()
    return queryset[:EXPORT_MAX_ROWS], next_url


def _rate_limited(request) -> HttpResponse | None:
    """A 429 when this client has had its EXPORT_RATE_LIMIT uncached exports this minute."""
    if not EXPORT_RATE_LIMIT:
        return None
    window = int(time.time() // RATE_WINDOW_SECONDS)
    key = f"export-rate:{request.META.get('REMOTE_ADDR', '')}:{window}"
    cache.add(key, 0, RATE_WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        count = 1
    if count <= EXPORT_RATE_LIMIT:
        return None
    wait = RATE_WINDOW_SECONDS - int(time.time()) % RATE_WINDOW_SECONDS
    response = HttpResponse(
        RATE_LIMITED.format(limit=EXPORT_RATE_LIMIT, wait=wait),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(wait)
    return response


def _rows(request, queryset: QuerySet) -> Iterator[dict]:
    queryset = queryset.values_list(*VALUE_FIELDS)
    url = request.build_absolute_uri("/").removesuffix("/") + Article.url_template()
    chunk: list[tuple] = []
    for row in queryset.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from _chunk_rows(chunk, url)
            chunk = []
    if chunk:
        yield from _chunk_rows(chunk, url)


def _chunk_rows(chunk: list[tuple], url: str) -> Iterator[dict]:
    ids = [row[0] for row in chunk]
    people: dict[int, list[str]] = {}
    for article_id, name in (
        ArticlePerson.objects.filter(article_id__in=ids, person__is_entity=True)
        .order_by("article_id", "-mentions", "person__name")
        .values_list("article_id", "person__name")
    ):
        people.setdefault(article_id, []).append(name)
    countries: dict[int, list[str]] = {}
    for article_id, name in (
        ArticlePlace.objects.filter(
            article_id__in=ids, place__kind=Place.Kind.COUNTRY, place__is_entity=True
        )
        .order_by("article_id", "place__name")
        .values_list("article_id", "place__name")
    ):
        countries.setdefault(article_id, []).append(name)
    for pk, slug, published, how, headline, section, source, caption, words, filename in chunk:
        yield {
            "id": pk,
            "url": url.format(pk=pk, slug=slug or "-"),
            "published": published.isoformat() if published else None,
            "published_how": how,
            "headline": headline,
            "section": section or "",
            "source": source,
            "caption": caption,
            "word_count": words,
            "people": people.get(pk, []),
            "countries": countries.get(pk, []),
            "original_filename": filename,
        }


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def _filterset(request) -> ArticleFilter | None:
    filterset = selectors.article_filter(request.GET)
    if filterset.is_bound and not filterset.is_valid():
        return None
    return filterset


def _bad_request(request) -> HttpResponseBadRequest:
    filterset = selectors.article_filter(request.GET)
    errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items())
    return HttpResponseBadRequest(f"Invalid filter: {errors}\n", content_type="text/plain")


def export_name(filterset: ArticleFilter, extension: str, *, continued: bool = False) -> str:
    """A file name that says what the export holds: ``stories-iran-oil-business.csv`` for
    ``?q=oil&country=IR&section=business``; ``-continued`` for a later part."""
    parts = []
    if filterset.is_bound and filterset.is_valid():
        parts.append(filterset.form.cleaned_data.get("q") or "")
        for _, _, value in filterset.active:
            for item in value if isinstance(value, list | tuple) else [value]:
                parts.append(item.isoformat() if hasattr(item, "isoformat") else str(item))
    words = "-".join(p for p in (slug_for(part, fallback="") for part in parts) if p)
    name = "-".join(p for p in ("stories", words[:120].strip("-"), continued and "continued") if p)
    return f"{name}.{extension}"


def _start(request):
    """(rows queryset, next URL, file name stem) for an export request, or the error
    response."""
    filterset = _filterset(request)
    if filterset is None:
        return _bad_request(request)
    limited = _rate_limited(request)
    if limited:
        return limited
    try:
        queryset, next_url = _part(request, filterset)
    except BadCursor as exc:
        return HttpResponseBadRequest(f"{exc}\n", content_type="text/plain")
    return (
        queryset,
        next_url,
        partial(export_name, filterset, continued=bool(request.GET.get("after"))),
    )


def _streamed(content, content_type: str, filename: str, next_url: str | None):
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Export-Max-Rows"] = str(EXPORT_MAX_ROWS)
    if next_url:
        response["Link"] = f'<{next_url}>; rel="next"'
    return response


def export_csv(request):
    """``/articles/export.csv?<list filters>``: one row per article, people and countries
    joined with "; "."""
    started = _start(request)
    if isinstance(started, HttpResponse):
        return started
    queryset, next_url, name = started
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(COLUMNS)
        for row in _rows(request, queryset):
            row["people"] = "; ".join(row["people"])
            row["countries"] = "; ".join(row["countries"])
            yield writer.writerow([csv_cell(row[c]) for c in COLUMNS])

    return _streamed(lines(), "text/csv; charset=utf-8", name("csv"), next_url)


def export_json(request):
    """``/articles/export.json?<list filters>``: a JSON array of article objects."""
    started = _start(request)
    if isinstance(started, HttpResponse):
        return started
    queryset, next_url, name = started

    def chunks():
        yield "[\n"
        first = True
        for row in _rows(request, queryset):
            yield ("" if first else ",\n") + json.dumps(row, ensure_ascii=False)
            first = False
        yield "\n]\n"

    return _streamed(chunks(), "application/json; charset=utf-8", name("json"), next_url)
