"""Text -> ParsedArticle: detect the layout, parse it, find the dateline, date the story.
Pure Python, no Django. Layouts, detected in this order (``detect_layout``):

``body-only`` (Tehran Times; ``layout_tehran``)
    The file name is ``_news_<id>_<Title-Slug>.txt``: title from the slug, body only.
``native`` (the archive's own scrape, DESIGN.md "Input files"; ``layout_native``)
    Chosen when the site footer is present or the first block is a breadcrumb
    (``News / Russia``, 1-3 segments). A lone one-segment first line ("News") counts as a
    breadcrumb only when a headline-like line (no final full stop) and a further block
    follow it.
``title-line`` (BBC, wire copy, web scrapes, anything else; ``layout_title``)
    First line is the title; the body is plain paragraphs, hard-wrapped wire copy or one
    sentence a line (``ParsedArticle.layout`` says which).

The original text is kept verbatim in ``ParsedArticle.text``; whatever a layout takes out of
the headline or body goes to ``footer`` or ``removed``, so every character is accounted for.
The dateline opening the story is recorded (``datelines``); the publication date comes from
``dates.infer_date`` (see there), within ``period`` when one is given.

Source precedence: the ``source`` argument, then what the file says (footer, layout), then
a known corpus folder, else "Unknown". A given ``section_path`` likewise overrides.

Never raises. A file with a headline (or breadcrumb) but no paragraph is a failure, not an
empty article: ``error = "no article body found"``. So is a web page saved as HTML (a file
that opens with markup), which would otherwise come out with tags for a headline.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from .datelines import find_dateline, headline_day
from .dates import Period, infer_date
from .layout_native import (
    CREDIT_MAX,
    ERR_HEADLINE_TOO_LONG,
    ERR_NO_BODY,
    parse_native,
    site_footer_line,
)
from .layout_tehran import (
    CONTAINMENT_MIN,
    LICENCE_TEXT,
    TEHRAN_TIMES,
    TEHRAN_TIMES_NAME_RE,
    parse_body_only,
    title_from_slug,
)
from .layout_title import ERR_NO_HEADLINE, parse_title_line
from .text import (
    _INVISIBLE_RE,
    HEADLINE_MAX,
    _blocks,
    _corpus_source,
    _ends_like_sentence,
    _headline_like,
    _segments,
    _short_label,
    _visible,
    clean,
)
from .types import ParsedArticle

__all__ = ["detect_layout", "parse_text", "title_from_slug"]
# Re-exported for callers and tests that know them from here.
__all__ += ["CONTAINMENT_MIN", "CREDIT_MAX", "HEADLINE_MAX", "LICENCE_TEXT", "TEHRAN_TIMES"]
__all__ += ["ERR_HEADLINE_TOO_LONG", "ERR_NO_BODY", "ERR_NO_HEADLINE", "TEHRAN_TIMES_NAME_RE"]
__all__ += ["_INVISIBLE_RE", "_visible", "clean"]

NATIVE = "native"
TITLE_LINE = "title-line"
BODY_ONLY = "body-only"

UNKNOWN_SOURCE = "Unknown"

ERR_HTML = (
    "an HTML page, not plain text: save the page as text (or paste its text into a .txt file)"
)

HTML_DOCUMENT_RE = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|\?xml)\b", re.I | re.S
)
HTML_ELEMENT_START_RE = re.compile(
    r"\A\s*<(?:p|div|article|section|main|header|span|a|h[1-6]|table|ul|ol|br|img|script|style)"
    r"\b[^>]*>",
    re.I,
)
HTML_CLOSING_TAG_RE = re.compile(r"</[a-z][a-z0-9]*\s*>|<br\s*/?>", re.I)


def detect_layout(text: str, file: str) -> str:
    """``native``, ``title-line`` or ``body-only`` for a file's text and name."""
    base = PurePosixPath(file.replace("\\", "/")).name
    if TEHRAN_TIMES_NAME_RE.match(base):
        return BODY_ONLY
    if site_footer_line(text):
        return NATIVE
    blocks = _blocks(text[:4000])
    if not blocks:
        return TITLE_LINE
    first = blocks[0]
    if _corpus_source(file):
        return TITLE_LINE
    if len(first) == 1 and (segments := _segments(first[0])) and len(segments) >= 2:
        return NATIVE
    if (
        len(blocks) >= 3
        and _short_label(first)
        and _headline_like(blocks[1])
        and not _ends_like_sentence(blocks[1][0])
    ):
        return NATIVE
    return TITLE_LINE


def parse_text(
    text: str,
    file: str,
    *,
    source: str | None = None,
    section_path: list[str] | None = None,
    period: Period | None = None,
) -> ParsedArticle:
    """Parse one decoded file; never raises (structural failures set ``error``).

    ``period``: the files come from that span of time; dates resolve within it and no date
    outside it is accepted (``dates.infer_date``)."""
    article = ParsedArticle(file=file, text=text)
    try:
        normalised = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
        if _is_html(normalised):
            article.error = ERR_HTML
            return article
        layout = detect_layout(normalised, file)
        if layout == BODY_ONLY:
            article.layout = BODY_ONLY
            parse_body_only(article, normalised)
        elif layout == NATIVE:
            article.layout = NATIVE
            parse_native(article, normalised)
        else:
            parse_title_line(article, normalised)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop an import
        article.error = f"parser error: {type(exc).__name__}: {exc}"
        return article

    if source:
        article.source = source
    elif not article.source:
        article.source = _corpus_source(file) or UNKNOWN_SOURCE
    if section_path is not None:
        article.section_path = [s for s in (clean(s) for s in section_path) if s]
    if not article.error and not any(b.kind == "paragraph" for b in article.blocks):
        article.error = ERR_NO_BODY
    if not article.error:
        paragraphs = [b.text for b in article.blocks if b.kind == "paragraph"]
        title_case = article.layout not in (NATIVE, "wire")
        dateline = find_dateline(paragraphs, allow_title_case=title_case)
        if dateline:
            article.dateline, article.dateline_place = dateline.text, dateline.place
        if not (dateline and dateline.day):
            dateline = headline_day(article.headline) or dateline
        article.published, article.published_how, article.published_evidence = infer_date(
            article.headline, article.caption, article.blocks, period=period, dateline=dateline
        )
    return article


def _is_html(text: str) -> bool:
    """True for a web page saved as HTML. Text that only quotes markup is not HTML: the file
    must open with a document tag, or its first line must be an HTML element."""
    head = _visible(text[:4000])
    if HTML_DOCUMENT_RE.match(head):
        return True
    first_line = head.lstrip().split("\n", 1)[0].rstrip()
    return bool(
        HTML_ELEMENT_START_RE.match(head)
        and first_line.endswith(">")
        and HTML_CLOSING_TAG_RE.search(head)
    )
