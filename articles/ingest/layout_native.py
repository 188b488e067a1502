"""The native layout: the archive's own scrape (DESIGN.md "Input files").

Breadcrumb -> ``section_path``; headline; an optional caption ending in a parenthesised
credit -> ``caption`` + ``caption_credit``; paragraphs and subheadings. The footer ("<Name>'s
website can also be accessed at the following alternate addresses:", the addresses, "SHARE
THIS ARTICLE", "<Name> News Roku") is cut off into ``footer`` verbatim and names the source.
A subheading is a short block (at most 15 words, 120 characters) that starts with a capital
or digit, has no closing punctuation and sits between two other blocks.
"""

from __future__ import annotations

import re

from .text import (
    _ALNUM_RE,
    _QUOTES,
    HEADLINE_MAX,
    _blocks,
    _ends_like_sentence,
    _headline_like,
    _segments,
    clean,
)
from .types import Block, ParsedArticle

ERR_NO_BODY = "no article body found"
ERR_HEADLINE_TOO_LONG = "no headline found: the first line is {n} characters long"

CREDIT_MAX = 120
SUBHEADING_MAX_CHARS = 120
SUBHEADING_MAX_WORDS = 15

SITE_FOOTER_RE = re.compile(
    r"^[ \t\xa0]*(?P<name>\S[^\n]*?)(?:[’'`]s)?\s+website\s+can\s+also\s+be\s+accessed\b[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)
ROKU_RE = re.compile(r"^\s*(?P<name>\S.*?)\s+News\s+Roku\s*$", re.IGNORECASE)
SHARE_RE = re.compile(r"^\s*SHARE\s+THIS\s+ARTICLE\s*$", re.IGNORECASE)
ADDRESS_RE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)

# Every footer line holds these words; finding them first spares the full pattern, which tries
# every line start of the text (about 1 ms for a 3,000-character article).
SITE_FOOTER_WORDS_RE = re.compile(r"website\s+can\s+also\s+be\s+accessed", re.IGNORECASE)

CAPTION_RE = re.compile(rf"^(?P<caption>.*?)\s*\((?P<credit>[^()]{{1,{CREDIT_MAX}}})\)$", re.S)


def site_footer_line(text: str) -> re.Match | None:
    """The first "<Name>'s website can also be accessed ..." line, as ``SITE_FOOTER_RE.search``
    finds it. A match ends its name on the last line before the words with anything but
    whitespace on it, so the search starts at that line: no match can start earlier."""
    words = SITE_FOOTER_WORDS_RE.search(text)
    if words is None:
        return None
    end = words.start()
    while end and text[end - 1].isspace():
        end -= 1
    return SITE_FOOTER_RE.search(text, text.rfind("\n", 0, end) + 1)


def _cut_site_footer(text: str) -> tuple[str, str, str]:
    """(body text, footer text verbatim, source name the footer gives or "")."""
    match = site_footer_line(text)
    source = clean(match.group("name")) if match else ""
    head = text[: match.start()] if match else text
    # Footer lines without the "alternate addresses" line ("www...", "SHARE THIS ARTICLE",
    # "<Name> News Roku"): walk back from the end while lines look like footer.
    lines = head.split("\n")
    end = len(lines)
    seen_footer_line = False
    while end:
        line = lines[end - 1]
        roku = ROKU_RE.match(line)
        if not line.strip():
            pass
        elif SHARE_RE.match(line) or roku:
            seen_footer_line = True
            if roku and not source:
                source = clean(roku.group("name"))
        elif not (seen_footer_line and ADDRESS_RE.match(line)):
            break
        end -= 1
    if seen_footer_line:
        head = "\n".join(lines[:end])
    return head, text[len(head) :].strip(), source


def parse_native(article: ParsedArticle, text: str) -> None:
    body, article.footer, article.source = _cut_site_footer(text)
    blocks = _blocks(body)
    segments = _segments(blocks[0][0]) if blocks and len(blocks[0]) == 1 else None
    # One segment is ambiguous with a headline: only a breadcrumb if a headline follows.
    if segments and (len(segments) >= 2 or (len(blocks) >= 2 and _headline_like(blocks[1]))):
        article.section_path = segments
        blocks = blocks[1:]
    if not blocks:
        article.error = ERR_NO_BODY
        return
    headline = clean(" ".join(blocks[0]))
    if len(headline) > HEADLINE_MAX:
        article.error = ERR_HEADLINE_TOO_LONG.format(n=len(headline))
        return
    article.headline = headline
    rest = blocks[1:]
    if rest:
        match = CAPTION_RE.match(clean(" ".join(rest[0])))
        # "( )" is not a credit: such a block stays a paragraph, brackets and all.
        if match and clean(match.group("credit")):
            article.caption = match.group("caption")
            article.caption_credit = clean(match.group("credit"))
            rest = rest[1:]
    article.blocks = _classify([clean(" ".join(b)) for b in rest])


def _classify(texts: list[str]) -> list[Block]:
    """Paragraphs and subheadings, dropping blocks with no letter or digit."""
    texts = [t for t in texts if _ALNUM_RE.search(t)]
    last = len(texts) - 1
    out = []
    for i, text in enumerate(texts):
        is_sub = (
            0 < i < last
            and (text[0].isupper() or text[0].isdigit() or text[0] in "\"“‘'")
            and len(text) <= SUBHEADING_MAX_CHARS
            and len(text.split()) <= SUBHEADING_MAX_WORDS
            and not _ends_like_sentence(text)
            and not text.endswith(_QUOTES)
        )
        out.append(Block(kind="subheading" if is_sub else "paragraph", text=text))
    return out
