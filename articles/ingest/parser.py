"""Text -> ParsedArticle for the three layouts the archive receives. Pure Python, no Django.

Layouts, detected in this order (``detect_layout``):

``body-only`` (Tehran Times)
    The file name is ``_news_<id>_<Title-Slug>.txt``: the title comes from the slug
    ("Iran-s-Press-TV" -> "Iran's Press TV", "U-S" -> "U.S."), the text is body only. Real
    files repeat paragraphs: a long line holding several paragraphs followed by the same
    paragraphs again, each line the tail of the one before. Each paragraph is kept once, in
    order: a line that is the tail of the previous line splits it; a line already contained
    in a recent line is dropped; a line that contains the previous paragraph replaces it.
    Paragraph breaks flattened into one line are recognisable by a no-break space after a
    sentence end and are split there. The licence footer ("All Content by Mehr News Agency
    is licensed ...") and the editors' sign-off just before it ("MH/PA", "END") go to
    ``footer``. Datelines (``TEHRAN –``) stay in the text. Source: Tehran Times.
``native`` (the archive's own scrape, DESIGN.md "Input files")
    Chosen when the site footer is present or the first block is a breadcrumb
    (``News / Russia``, 1-3 segments). Breadcrumb -> ``section_path``; headline; an optional
    caption ending in a parenthesised credit -> ``caption`` + ``caption_credit``; paragraphs
    and subheadings. The footer ("<Name>'s website can also be accessed at the following
    alternate addresses:", the addresses, "SHARE THIS ARTICLE", "<Name> News Roku") is cut
    off into ``footer`` verbatim and names the source.
    A lone one-segment first line ("News") counts as a breadcrumb only when a headline-like
    line (no final full stop) and a further block follow it.
``title-line`` (BBC and anything else)
    First line is the title, then paragraphs only (short lines in these files are list
    items and results, not subheadings). The section is the containing folder, prettified
    (``bbc/sport/199.txt`` -> ["Sport"], ``x/middle-east/1.txt`` -> ["Middle East"]); the
    source is known for known corpora (``bbc/`` -> BBC News).

Blocks are separated by blank lines; lines inside a block are joined with a space and runs
of whitespace (including no-break spaces) collapse to one space, control characters are
dropped; the original text is kept verbatim in ``ParsedArticle.text``. In the native layout
a subheading is a short block (at most 15 words, 120 characters) that starts with a capital
or digit, has no closing punctuation and sits between two other blocks.

The publication date comes from ``dates.infer_date`` (see there).

Source precedence: the ``source`` argument, then what the file says (footer, layout), then
a known corpus folder, else "Unknown". A given ``section_path`` likewise overrides.

Never raises. A file with a headline (or breadcrumb) but no paragraph is a failure, not an
empty article: ``error = "no article body found"``. So is a web page saved as HTML (a file
that opens with markup), which would otherwise come out with tags for a headline.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import PurePosixPath

from .dates import infer_date
from .types import Block, ParsedArticle

__all__ = ["detect_layout", "parse_text", "title_from_slug"]

NATIVE = "native"
TITLE_LINE = "title-line"
BODY_ONLY = "body-only"

UNKNOWN_SOURCE = "Unknown"
TEHRAN_TIMES = "Tehran Times"
# Top folder name of a known corpus -> its source.
KNOWN_CORPORA = {"bbc": "BBC News"}

ERR_NO_BODY = "no article body found"
ERR_NO_HEADLINE = "no headline found"
ERR_HEADLINE_TOO_LONG = "no headline found: the first line is {n} characters long"
ERR_HTML = (
    "an HTML page, not plain text: save the page as text (or paste its text into a .txt file)"
)

HEADLINE_MAX = 500  # Article.headline max_length
CREDIT_MAX = 120
SUBHEADING_MAX_CHARS = 120
SUBHEADING_MAX_WORDS = 15
BREADCRUMB_SEGMENT_MAX = 60
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

SITE_FOOTER_RE = re.compile(
    r"^[ \t\xa0]*(?P<name>\S[^\n]*?)(?:[’'`]s)?\s+website\s+can\s+also\s+be\s+accessed\b[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)
ROKU_RE = re.compile(r"^\s*(?P<name>\S.*?)\s+News\s+Roku\s*$", re.IGNORECASE)
SHARE_RE = re.compile(r"^\s*SHARE\s+THIS\s+ARTICLE\s*$", re.IGNORECASE)
ADDRESS_RE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)

# A saved web page: it opens with a document tag, or with an HTML element and has closing tags.
HTML_DOCUMENT_RE = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|\?xml)\b", re.I | re.S
)
HTML_ELEMENT_START_RE = re.compile(
    r"\A\s*<(?:p|div|article|section|main|header|span|a|h[1-6]|table|ul|ol|br|img|script|style)"
    r"\b[^>]*>",
    re.I,
)
HTML_CLOSING_TAG_RE = re.compile(r"</[a-z][a-z0-9]*\s*>|<br\s*/?>", re.I)

BREADCRUMB_SPLIT_RE = re.compile(r"\s+/\s+")
CAPTION_RE = re.compile(rf"^(?P<caption>.*?)\s*\((?P<credit>[^()]{{1,{CREDIT_MAX}}})\)$", re.S)

# C0 controls (but tab / newline), DEL, zero-width characters and stray BOMs: rare, so only
# searched for, and replaced when present.
_INVISIBLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_ALNUM_RE = re.compile(r"[^\W_]")
_CLOSING_PUNCT = ".!?:;,…"
_QUOTES = "\"'”’»)]"
# Paragraph breaks that a scrape flattened into one line: a no-break space after a sentence
# end, followed by the start of a new sentence.
_FLAT_BREAK_RE = re.compile(
    r"(?:(?<=[.!?…])|(?<=[.!?…][\"”’']))[ \t]*\xa0[\s\xa0]*(?=[\"“‘'(A-Z0-9])"
)


def _visible(text: str) -> str:
    if _INVISIBLE_RE.search(text):
        return _INVISIBLE_RE.sub(lambda m: "" if m.group() in "\u200b\ufeff" else " ", text)
    return text


def clean(text: str) -> str:
    """One line of display text: controls dropped, whitespace collapsed, ends trimmed."""
    return " ".join(_visible(text).split())


def _blocks(text: str) -> list[list[str]]:
    """Blank-line separated blocks, each a list of its non-empty (stripped) lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        # A line of only invisible characters (a zero-width space, a stray BOM) is blank.
        if stripped and _visible(stripped).strip():
            current.append(stripped)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _segments(line: str) -> list[str] | None:
    """Breadcrumb segments of a line, or None when it is not a breadcrumb."""
    parts = [clean(p) for p in BREADCRUMB_SPLIT_RE.split(line.strip())]
    if not 1 <= len(parts) <= 3:
        return None
    for part in parts:
        if not part or len(part) > BREADCRUMB_SEGMENT_MAX or part[-1] in _CLOSING_PUNCT:
            return None
        if not _ALNUM_RE.search(part):
            return None
    return parts


def _ends_like_sentence(text: str) -> bool:
    stripped = text.rstrip(_QUOTES)
    return bool(stripped) and stripped[-1] in _CLOSING_PUNCT


def _headline_like(block: list[str]) -> bool:
    return len(block) == 1 and len(block[0]) <= HEADLINE_MAX and not block[0].endswith(".")


def _short_label(block: list[str]) -> bool:
    """A one-segment breadcrumb candidate: "News", "World", "Middle East"."""
    return (
        len(block) == 1
        and len(block[0]) <= 40
        and len(block[0].split()) <= 4
        and not _ends_like_sentence(block[0])
    )


def _folder_parts(file: str) -> list[str]:
    """The folders above a file name, without archive names (``x.zip/a/b.txt`` -> [a])."""
    parents = PurePosixPath(file.replace("\\", "/")).parts[:-1]
    return [p for p in parents if not p.lower().endswith((".zip", ".tar.gz", ".tgz", ".tar"))]


def _corpus_source(file: str) -> str | None:
    folders = _folder_parts(file)
    for name in folders[-2:]:
        if name.lower() in KNOWN_CORPORA:
            return KNOWN_CORPORA[name.lower()]
    return None


def _section_from_folder(file: str) -> list[str]:
    folders = _folder_parts(file)
    if not folders or folders[-1].lower() in KNOWN_CORPORA:
        return []
    name = folders[-1]
    if name.islower():  # "sport" -> "Sport", "middle-east" -> "Middle East"
        name = " ".join(w.capitalize() for w in re.split(r"[-_\s]+", name) if w)
    return [name] if name else []


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


def detect_layout(text: str, file: str) -> str:
    """``native``, ``title-line`` or ``body-only`` for a file's text and name."""
    base = PurePosixPath(file.replace("\\", "/")).name
    if TEHRAN_TIMES_NAME_RE.match(base):
        return BODY_ONLY
    if SITE_FOOTER_RE.search(text):
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
) -> ParsedArticle:
    """Parse one decoded file; never raises (structural failures set ``error``)."""
    article = ParsedArticle(file=file, text=text)
    try:
        normalised = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
        if _is_html(normalised):
            article.error = ERR_HTML
            return article
        layout = detect_layout(normalised, file)
        if layout == BODY_ONLY:
            _parse_body_only(article, normalised)
        elif layout == NATIVE:
            _parse_native(article, normalised)
        else:
            _parse_title_line(article, normalised)
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
        article.published, article.published_how, article.published_evidence = infer_date(
            article.headline, article.caption, article.blocks
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


# --------------------------------------------------------------------------- native


def _cut_site_footer(text: str) -> tuple[str, str, str]:
    """(body text, footer text verbatim, source name the footer gives or "")."""
    match = SITE_FOOTER_RE.search(text)
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


def _parse_native(article: ParsedArticle, text: str) -> None:
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


# --------------------------------------------------------------------------- title line


def _parse_title_line(article: ParsedArticle, text: str) -> None:
    blocks = _blocks(text)
    if not blocks:
        article.error = ERR_NO_HEADLINE
        return
    first = blocks[0]
    headline = clean(first[0])
    if len(headline) > HEADLINE_MAX:
        article.error = ERR_HEADLINE_TOO_LONG.format(n=len(headline))
        return
    article.headline = headline
    rest = ([first[1:]] if len(first) > 1 else []) + blocks[1:]
    # This layout has no subheadings: short lines in it are list items and table rows.
    texts = [t for t in (clean(" ".join(b)) for b in rest) if _ALNUM_RE.search(t)]
    article.blocks = [Block(kind="paragraph", text=t) for t in texts]
    article.section_path = _section_from_folder(article.file)
    article.source = _corpus_source(article.file) or ""


# --------------------------------------------------------------------------- body only


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


def _parse_body_only(article: ParsedArticle, text: str) -> None:
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
