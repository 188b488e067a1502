"""The title-line layout (BBC, wire copy, web scrapes, anything else): the first line is the
title, then the body. Three shapes of body, told apart by their lines:

``plain`` (BBC)
    Paragraphs separated by blank lines, one paragraph a line (or a few lines joined). No
    subheadings: short lines in these files are list items and results.
``wire`` (Reuters)
    Hard-wrapped lines with indented paragraph starts, tables of figures, ticker tags and a
    sign-off: see ``layout_wire``.
``web`` (PTC web news)
    One sentence a line, paragraph breaks lost. Rule: every line that ends a sentence ends a
    paragraph, so each sentence line is a paragraph (web news writes one- and two-sentence
    paragraphs, and joining sentences we cannot tell apart would invent paragraphs); a line
    that does not end a sentence continues into the next one when that starts in lower case
    (a line broken mid-sentence). A title broken the same way ("Dallas Police Dept." /
    "fires officer ...") is joined back.

In every shape, lines that are web boilerplate (``debris``, rules in articles/data/debris.txt)
and a first body line repeating the headline go to ``removed``; ticker tags go to
``tickers``. The section is the containing folder, prettified (``bbc/sport/199.txt`` ->
["Sport"]); the source is known for known corpora (``bbc/`` -> BBC News).
"""

from __future__ import annotations

from . import layout_wire as wire
from .debris import debris_kind
from .text import (
    _ALNUM_RE,
    HEADLINE_MAX,
    _corpus_source,
    _ends_like_sentence,
    _section_from_folder,
    clean,
    raw_blocks,
)
from .types import Block, ParsedArticle, Removed

ERR_NO_HEADLINE = "no headline found"
ERR_HEADLINE_TOO_LONG = "no headline found: the first line is {n} characters long"
WEB_MIN_LINES = 4  # a block of at least this many lines ...
WEB_SENTENCE_SHARE = 0.6  # ... most of them ending a sentence, is one sentence a line


def parse_title_line(article: ParsedArticle, text: str) -> None:
    blocks = raw_blocks(text)
    if not blocks:
        article.error = ERR_NO_HEADLINE
        return
    first = blocks[0]
    rest = ([first[1:]] if len(first) > 1 else []) + blocks[1:]
    headline_line = first[0]
    shape = "wire" if wire.is_wire(rest) else ("web" if _is_web(rest) else "plain")
    if shape == "web" and len(first) > 1 and _continues(headline_line, first[1]):
        headline_line = f"{headline_line} {first[1]}"
        rest = ([first[2:]] if len(first) > 2 else []) + blocks[1:]
    headline = clean(wire.take_tickers(headline_line, article.removed, article.tickers))
    if len(headline) > HEADLINE_MAX:
        article.error = ERR_HEADLINE_TOO_LONG.format(n=len(headline))
        return
    article.headline = headline
    article.layout = shape
    if shape == "wire":
        out = wire.wire_blocks(rest)
    else:
        rest = _drop_debris_lines(rest, headline, article)
        if shape == "web":
            out = [Block(kind="paragraph", text=t) for t in _web_paragraphs(rest)]
        else:
            out = [Block(kind="paragraph", text=clean(" ".join(b))) for b in rest]
    out = [b for b in out if _ALNUM_RE.search(b.text)]
    for block in out:
        if "<" in block.text:
            untagged = wire.take_tickers(block.text, article.removed, article.tickers)
            block.text = untagged.strip() if block.kind == "table" else clean(untagged)
    wire.take_sign_off(out, article.removed)
    if shape == "wire" and not any(b.kind == "paragraph" for b in out):
        # all figures, no prose: read as text, as before
        out = [Block(kind="paragraph", text=clean(b.text)) for b in out]
    article.blocks = out
    article.section_path = _section_from_folder(article.file)
    article.source = _corpus_source(article.file) or ""


def _is_web(blocks: list[list[str]]) -> bool:
    """A block of several lines, most of them (boilerplate aside) ending a sentence."""
    for block in blocks:
        if len(block) < WEB_MIN_LINES:
            continue
        lines = [line for line in block if not debris_kind(line)]
        if len(lines) >= WEB_MIN_LINES:
            ends = sum(1 for line in lines if _ends_like_sentence(line.strip()))
            if ends >= WEB_SENTENCE_SHARE * len(lines):
                return True
    return False


def _continues(line: str, following: str) -> bool:
    """``following`` carries on the sentence ``line`` broke off."""
    return not _ends_like_sentence(line.strip()) and following.strip()[:1].islower()


def _web_paragraphs(blocks: list[list[str]]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        lines = [text for text in (clean(line) for line in block) if text]
        current = ""
        for line in lines:
            if current and _continues(current, line):
                current = f"{current} {line}"
                continue
            if current:
                out.append(current)
            current = line
        if current:
            out.append(current)
    return out


def _drop_debris_lines(
    blocks: list[list[str]], headline: str, article: ParsedArticle
) -> list[list[str]]:
    """Boilerplate lines, and a first line repeating the headline (a scrape's page title),
    go to ``removed``. A body of nothing else is kept whole: a reader should judge it."""
    dropped: list[Removed] = []
    kept_blocks = []
    for block in blocks:
        kept = []
        for line in block:
            kind = debris_kind(line)
            if not kind and not dropped and not kept_blocks and not kept:
                repeat = clean(line).casefold() == headline.casefold()
                kind = "headline-repeat" if repeat else None
            if kind:
                dropped.append(Removed(kind=kind, text=clean(line)))
            else:
                kept.append(line)
        if kept:
            kept_blocks.append(kept)
    if not any(_ALNUM_RE.search(line) for block in kept_blocks for line in block):
        return blocks
    article.removed.extend(dropped)
    return kept_blocks
