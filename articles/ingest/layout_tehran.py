"""The body-only layout: Tehran Times files (``_news_<id>_<Title-Slug>.txt``).

The title comes from the slug ("Iran-s-Press-TV" -> "Iran's Press TV", "U-S" -> "U.S."), the
text is body only. Real files repeat paragraphs: a long line holding several paragraphs
followed by the same paragraphs again, each line the tail of the one before. Each paragraph
is kept once, in order: a line that is the tail of the previous line splits it; a line
already contained in a recent line is dropped; a line that contains the previous paragraph
replaces it. Paragraph breaks flattened into one line are recognisable by a no-break space
after a sentence end and are split there. The licence footer ("All Content by Mehr News
Agency is licensed ...") and the editors' sign-off just before it ("MH/PA", "END") go to
``footer``. Datelines (``TEHRAN –``) stay in the text and are recorded.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import PurePosixPath

from .text import _ALNUM_RE, HEADLINE_MAX, _visible, clean
from .types import Block, ParsedArticle

ERR_NO_HEADLINE = "no headline found"
TEHRAN_TIMES = "Tehran Times"
CONTAINMENT_WINDOW = 16  # recent lines compared when dropping repeated paragraphs
CONTAINMENT_MIN = 30  # shorter lines are kept even if seen before ("Iran", "END")

TEHRAN_TIMES_NAME_RE = re.compile(r"^_news_(?P<id>\d+)_(?P<slug>.+?)\.txt$", re.IGNORECASE)
_MEHR_SUFFIX_RE = re.compile(r"[-_ ]Mehr[-_ ]News[-_ ]Agency$", re.IGNORECASE)
LICENCE_TEXT = "All Content by Mehr News Agency is licensed"
SIGN_OFF_WINDOW = 40
LICENCE_RE = re.compile(r"All\s+Content\s+by\s+Mehr\s+News\s+Agency\s+is\s+licensed", re.I)
# Editors' initials signing off a story, just before the licence ("MH/PA", "SB/MQ/MG", "EF/",
# "MA"), or "END". A slash-less token only counts right after a sentence end.
SIGN_OFF_RE = re.compile(
    r"(?:(?<=\s)|^)(?:[A-Z]{1,4}/)+(?:[A-Z]{1,4})?\s*$"
    r"|(?:(?<=[.!?\"”’)]\s)|(?<=[.!?\"”’)])|^)\s*(?:[A-Z]{1,4}|END)\s*$"
)

# Paragraph breaks that a scrape flattened into one line: a no-break space after a sentence
# end, followed by the start of a new sentence.
_FLAT_BREAK_RE = re.compile(
    r"(?:(?<=[.!?…])|(?<=[.!?…][\"”’']))[ \t]*\xa0[\s\xa0]*(?=[\"“‘'(A-Z0-9])"
)


_THOUSANDS_HEAD_RE = re.compile(r"\d{1,3}(?:,\d{3})*")
_THOUSANDS_RE = re.compile(r"\d{3}[a-z%]*")


def title_from_slug(slug: str) -> str:
    """A readable title from a Tehran Times file-name slug."""
    slug = _MEHR_SUFFIX_RE.sub("", slug)
    words = [w for w in re.split(r"[-_]+", slug) if w]
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        # "U-S" / "U-N" / "U-K": runs of single capitals were dotted abbreviations.
        if len(word) == 1 and word.isupper() and i + 1 < len(words):
            j = i
            while j < len(words) and len(words[j]) == 1 and words[j].isupper():
                j += 1
            if j - i >= 2:
                out.append("".join(w + "." for w in words[i:j]))
                i = j
                continue
        # "Iran-s-Press" -> "Iran's Press": the apostrophe became a hyphen.
        if word == "s" and out:
            out[-1] += "'s"
        elif out and _THOUSANDS_HEAD_RE.fullmatch(out[-1]) and _THOUSANDS_RE.fullmatch(word):
            out[-1] += "," + word  # "143-000" -> "143,000", "12-775m" -> "12,775m"
        elif out and word[:1].isdigit() and (out[-1].isupper() or out[-1][-1:].isdigit()):
            out[-1] += "-" + word  # "COVID-19", "S-300", "2015-2016" keep their hyphen
        else:
            out.append(word)
        i += 1
    title = " ".join(" ".join(out).split())
    return title[:1].upper() + title[1:]


def _cut_licence(text: str) -> tuple[str, str]:
    """(body, footer): the Mehr licence and the sign-off before it go to the footer."""
    start = text.find(LICENCE_TEXT)  # the usual spelling: a plain find is fast
    if start < 0:
        match = LICENCE_RE.search(text) if "Mehr" in text else None
        if not match:
            return text, ""
        start = match.start()
    body = text[:start].rstrip()
    tail_start = max(0, len(body) - SIGN_OFF_WINDOW)
    sign_off = SIGN_OFF_RE.search(body, tail_start)
    if sign_off and sign_off.group(0).strip():
        body = body[: sign_off.start()]
    return body, text[len(body) :].strip()


def _norm_line(line: str) -> str:
    """Collapse whitespace but keep a no-break space where one was (a flattened break)."""
    line = _visible(line)
    if "\xa0" not in line:
        return " ".join(line.split())
    # str.split() would eat the no-break spaces too: park them on a stand-in character
    # (NULs never reach the parser, decode_bytes drops them).
    line = " ".join(line.replace("\xa0", "\x00").split()).replace("\x00", "\xa0")
    return line.strip(" \xa0")


def _unrepeat(lines: list[str]) -> list[str]:
    """Each paragraph once, in order, from lines that repeat each other (see module doc)."""
    out: list[str] = []
    recent: deque[str] = deque(maxlen=CONTAINMENT_WINDOW)
    prev = ""
    for line in lines:
        if not _ALNUM_RE.search(line):
            continue
        if out and out[-1] == prev and len(line) < len(prev) and prev.endswith(line):
            # The previous line is "this paragraph's predecessor + this line".
            head = prev[: len(prev) - len(line)].strip(" \xa0")
            if _ALNUM_RE.search(head):
                out[-1] = head
            else:
                out.pop()
            out.append(line)
        elif len(line) >= CONTAINMENT_MIN and any(line in seen for seen in recent):
            pass  # a repeat of text we already have
        elif out and len(out[-1]) >= CONTAINMENT_MIN and out[-1] in line:
            out[-1] = line  # a longer version of the previous paragraph
        else:
            out.append(line)
        prev = line
        recent.append(line)
    return out


def _drop_repeats(paragraphs: list[str]) -> list[str]:
    """Drop exact repeats, and paragraphs that a nearby longer paragraph contains (pull
    quotes, and the tails a repeated block leaves once split)."""
    seen: set[str] = set()
    out = []
    for i, text in enumerate(paragraphs):
        if text in seen:
            continue
        if len(text) >= CONTAINMENT_MIN:
            lo, hi = max(0, i - CONTAINMENT_WINDOW), i + CONTAINMENT_WINDOW + 1
            if any(len(other) > len(text) and text in other for other in paragraphs[lo:hi]):
                continue
        seen.add(text)
        out.append(text)
    return out


def parse_body_only(article: ParsedArticle, text: str) -> None:
    base = PurePosixPath(article.file.replace("\\", "/")).name
    name = TEHRAN_TIMES_NAME_RE.match(base)
    article.headline = clean(title_from_slug(name.group("slug")))[:HEADLINE_MAX] if name else ""
    article.source = TEHRAN_TIMES
    body, article.footer = _cut_licence(text)
    lines = [line for line in (_norm_line(raw) for raw in body.split("\n")) if line]
    paragraphs: list[str] = []
    for paragraph in _unrepeat(lines):
        pieces = _FLAT_BREAK_RE.split(paragraph) if "\xa0" in paragraph else [paragraph]
        paragraphs.extend(t for t in map(clean, pieces) if t)
    article.blocks = [Block(kind="paragraph", text=t) for t in _drop_repeats(paragraphs)]
    if not article.headline:
        article.error = ERR_NO_HEADLINE
