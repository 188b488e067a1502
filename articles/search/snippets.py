"""Highlighted snippets for one page of results: ``ts_headline`` or FTS5 ``snippet()``,
escaped, with only our own ``<mark>`` tags live."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline
from django.db import connection
from django.utils.safestring import SafeString, mark_safe

from ..models import Article
from .query import _CLOSE, _OPEN, FTS_TABLE, PG_CONFIG, SNIPPET_TOKENS, ParsedQuery


@dataclass(frozen=True, slots=True)
class Snippet:
    headline: SafeString
    body: SafeString


def markup(text: str) -> SafeString:
    """Escape ``text`` and turn our highlight markers into balanced ``<mark>`` elements.

    Markers are toggled, never trusted: a stray marker character inside an article cannot
    produce an unclosed or nested element.
    """
    out: list[str] = []
    open_ = False
    for piece in re.split(f"([{_OPEN}{_CLOSE}])", text):
        if piece == _OPEN:
            if not open_:
                out.append("<mark>")
                open_ = True
        elif piece == _CLOSE:
            if open_:
                out.append("</mark>")
                open_ = False
        else:
            out.append(html.escape(piece, quote=False))
    if open_:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def snippets(article_ids: list[int], query: ParsedQuery) -> dict[int, Snippet]:
    """Highlighted headline and body excerpt per article id, in one query.

    Only for a page of results: building excerpts re-reads each article's text.
    """
    if not article_ids or not query.has_positive:
        return {}
    if connection.vendor == "postgresql":
        positive = query.pg_positive()
        options = {"config": PG_CONFIG, "start_sel": _OPEN, "stop_sel": _CLOSE}
        rows = (
            Article.objects.filter(id__in=article_ids)
            .annotate(
                _headline=SearchHeadline("headline", positive, highlight_all=True, **options),
                _body=SearchHeadline(
                    "body_text",
                    positive,
                    max_words=35,
                    min_words=15,
                    short_word=3,
                    max_fragments=1,
                    fragment_delimiter=" … ",
                    **options,
                ),
            )
            .order_by()
            .values_list("id", "_headline", "_body")
        )
    else:
        placeholders = ", ".join(["%s"] * len(article_ids))
        sql = (
            f"SELECT rowid, highlight({FTS_TABLE}, 0, %s, %s), "
            f"snippet({FTS_TABLE}, 3, %s, %s, '…', {SNIPPET_TOKENS}) "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({placeholders})"
        )
        params = [_OPEN, _CLOSE, _OPEN, _CLOSE, query.fts5_positive(), *article_ids]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    return {pk: Snippet(markup(h or ""), markup(b or "")) for pk, h, b in rows}
