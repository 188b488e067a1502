"""Wire copy: bodies hard-wrapped at ~65 columns, each paragraph opening on an indented line
(Reuters). Pure functions over the raw lines of the body; the title-line layout calls them.

- A text is wire copy when its multi-line blocks are hard-wrapped (most lines 30-80
  characters) and some line inside a block starts indented.
- Inside a block, an indented line starts a new paragraph; the other lines continue it.
- A table is a run of at least two row lines (figures in columns: a gap of two or more
  spaces between cells, or a short line whose words are mostly figures, like "Shr 34 cts vs
  1.19 dlrs"), possibly with short label lines between rows ("Year", "Nine mths"). It is kept
  as a ``table`` block: its lines, dedented, columns kept.
- Ticker tags (``<SRD>``, ``<RTRS.L>``) go to ``tickers``; a tag holding a company name
  (``<Sedio N.V.>``) loses its brackets. The sign-off (``REUTER``, ``Reuter``) ending the
  body goes to ``removed``.
"""

from __future__ import annotations

import re

from .text import clean
from .types import Block, Removed

WRAP_MIN, WRAP_MAX = 30, 80
TICKER_RE = re.compile(r"\s*<(?P<tag>[A-Z0-9][A-Z0-9.&/-]{0,11})>")
COMPANY_TAG_RE = re.compile(r"<(?P<name>[^<>\n]{2,80}?)>")
# "REUTER" alone, or after a sentence end; never "... told Reuters."
SIGN_OFF_RE = re.compile(
    r"(?:^(?:REUTERS?|[Rr]euters?)|(?<=[.!?\"”’')])\s+(?:REUTERS?|[Rr]euter))\b\W{0,4}$"
)
_GAP_RE = re.compile(r"(?<![.!?:;,])\S {2,}\S")
_FIGURE_RE = re.compile(
    r"^(?:one|two|three|four|five|six|seven|eight|nine|ten|nil)$"
    r"|^[-+(]?[$£]?\d[\d,.]*(?:[-/]\d[\d,.]*)?(?:%|p|c|pct|mln|bln|bn|m|k)?\)?$"
    r"|^(?:n\.?a\.?|nil|--?)$",
    re.I,
)
ROW_MAX_CHARS = 60
LABEL_MAX_CHARS = 30


def is_wire(blocks: list[list[str]]) -> bool:
    """Hard-wrapped blocks with indented paragraph starts (``blocks`` keep indentation)."""
    wrapped = lines = indented = 0
    for block in blocks:
        if len(block) < 2:
            continue
        for line in block[:-1]:
            if not _is_row(line) and not _is_label(line):
                lines += 1
                wrapped += WRAP_MIN <= len(line.strip()) <= WRAP_MAX
        indented += sum(1 for line in block[1:] if line[:1] in " \t")
    return indented >= 1 and wrapped >= 0.6 * lines


def _is_row(line: str) -> bool:
    text = line.strip()
    if _GAP_RE.search(text):
        return True
    words = text.split()
    if len(text) > ROW_MAX_CHARS or not words:
        return False
    figures = sum(1 for w in words if _FIGURE_RE.match(w.rstrip(",;")))
    if text.endswith((".", ",", ";")) or not figures:
        return False
    return figures * 3 >= len(words) or (" vs " in text and len(words) <= 10)


def _is_label(line: str) -> bool:
    text = line.strip()
    return len(text) <= LABEL_MAX_CHARS and len(text.split()) <= 4 and text[-1:] not in ".,;"


def _table_spans(lines: list[str]) -> list[tuple[int, int]]:
    """[start, end) of each table: two or more rows, labels allowed between rows."""
    rows_at = [_is_row(line) for line in lines]
    for i in range(len(lines) - 1):
        if rows_at[i] and lines[i + 1][:1] not in " \t" and not rows_at[i + 1]:
            rows_at[i] = False  # wrapped on to the next line: prose that quotes figures
    spans = []
    i = 0
    while i < len(lines):
        if not rows_at[i]:
            i += 1
            continue
        end, rows, j = i + 1, 1, i + 1
        while j < len(lines) and (rows_at[j] or _is_label(lines[j])):
            if rows_at[j]:
                rows += 1
                end = j + 1
            j += 1
        if rows >= 2:
            spans.append((i, end))
            i = end
        else:
            i += 1
    return spans


def _table_block(lines: list[str]) -> Block:
    expanded = [line.expandtabs(8).rstrip() for line in lines]
    margin = min(len(line) - len(line.lstrip()) for line in expanded)
    rows = [line[margin:] for line in expanded]
    indent = len(rows[0]) - len(rows[0].lstrip())
    return Block(kind="table", text="\n".join(rows).strip(), indent=indent)


def wire_blocks(blocks: list[list[str]]) -> list[Block]:
    """Paragraphs (split at indented lines) and tables of the body's raw blocks."""
    out: list[Block] = []
    for block in blocks:
        spans = _table_spans(block)
        start = 0
        for lo, hi in [*spans, (len(block), len(block))]:
            out.extend(_paragraphs(block[start:lo]))
            if hi > lo:
                out.append(_table_block(block[lo:hi]))
            start = hi
    return out


def _paragraphs(lines: list[str]) -> list[Block]:
    out: list[Block] = []
    current: list[str] = []
    for line in lines:
        if current and line[:1] in " \t":
            out.append(Block(kind="paragraph", text=clean(" ".join(current))))
            current = []
        current.append(line)
    if current:
        out.append(Block(kind="paragraph", text=clean(" ".join(current))))
    return [b for b in out if b.text]


def take_tickers(text: str, removed: list[Removed], tickers: list[str]) -> str:
    """``text`` without its ticker tags (recorded) and with company tags unbracketed."""
    if "<" not in text:
        return text

    def ticker(match: re.Match[str]) -> str:
        removed.append(Removed(kind="ticker", text=match.group(0).strip()))
        if match.group("tag") not in tickers:
            tickers.append(match.group("tag"))
        return ""

    def company(match: re.Match[str]) -> str:
        removed.append(Removed(kind="markup", text="<>"))
        return match.group("name")

    text = TICKER_RE.sub(ticker, text)
    return COMPANY_TAG_RE.sub(company, text)


def take_sign_off(blocks: list[Block], removed: list[Removed]) -> None:
    """Remove a ``REUTER`` sign-off ending the last paragraph (or standing alone)."""
    while blocks and blocks[-1].kind == "paragraph":
        last = blocks[-1]
        if "euter" not in last.text[-12:].lower():
            return
        match = SIGN_OFF_RE.search(last.text, max(0, len(last.text) - 16))
        if not match:
            return
        removed.append(Removed(kind="sign-off", text=last.text[match.start() :].strip()))
        rest = last.text[: match.start()].strip()
        if rest:
            last.text = rest
            return
        blocks.pop()
