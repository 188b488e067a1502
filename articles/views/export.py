"""CSV and JSON export of a list URL's results: every matching row, streamed.

Rows come from the database with ``iterator()`` (a server-side cursor on PostgreSQL), in
chunks; the people and countries of each chunk are fetched in one query per chunk, so memory
stays flat and the number of queries grows with rows / CHUNK, never with rows.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.utils.http import content_disposition_header

from .. import selectors
from ..filters import ArticleFilter
from ..models import Article, ArticlePerson, ArticlePlace, Place

CHUNK = 1000
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


def _rows(request, filterset: ArticleFilter) -> Iterator[dict]:
    queryset = selectors.article_list(filterset, ranked=False).values_list(*VALUE_FIELDS)
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


def export_csv(request):
    """``/articles/export.csv?<list filters>``: one row per article, people and countries
    joined with "; "."""
    filterset = _filterset(request)
    if filterset is None:
        return _bad_request(request)
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(COLUMNS)
        for row in _rows(request, filterset):
            row["people"] = "; ".join(row["people"])
            row["countries"] = "; ".join(row["countries"])
            yield writer.writerow([row[c] if row[c] is not None else "" for c in COLUMNS])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "articles.csv")
    return response


def export_json(request):
    """``/articles/export.json?<list filters>``: a JSON array of article objects."""
    filterset = _filterset(request)
    if filterset is None:
        return _bad_request(request)

    def chunks():
        yield "[\n"
        first = True
        for row in _rows(request, filterset):
            yield ("" if first else ",\n") + json.dumps(row, ensure_ascii=False)
            first = False
        yield "\n]\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "articles.json")
    return response
