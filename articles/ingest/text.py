"""Shared helpers of the parser's layouts: cleaning lines, splitting blocks, shapes of lines.

Blocks are separated by blank lines; lines inside a block are joined with a space and runs
of whitespace (including no-break spaces) collapse to one space, control characters are
dropped.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

HEADLINE_MAX = 500  # Article.headline max_length
BREADCRUMB_SEGMENT_MAX = 60
# Top folder name of a known corpus -> its source.
KNOWN_CORPORA = {"bbc": "BBC News"}

BREADCRUMB_SPLIT_RE = re.compile(r"\s+/\s+")
# C0 controls (but tab / newline), DEL, zero-width characters and stray BOMs: rare, so only
# searched for, and replaced when present.
_INVISIBLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_ALNUM_RE = re.compile(r"[^\W_]")
_CLOSING_PUNCT = ".!?:;,…"
_QUOTES = "\"'”’»)]"


def _visible(text: str) -> str:
    if _INVISIBLE_RE.search(text):
        return _INVISIBLE_RE.sub(lambda m: "" if m.group() in "\u200b\ufeff" else " ", text)
    return text


def clean(text: str) -> str:
    """One line of display text: controls dropped, whitespace collapsed, ends trimmed."""
    return " ".join(_visible(text).split())


def has_alnum(text: str) -> bool:
    return bool(_ALNUM_RE.search(text))


def _blocks(text: str) -> list[list[str]]:
    """Blank-line separated blocks, each a list of its non-empty (stripped) lines."""
    return [[line.strip() for line in block] for block in raw_blocks(text)]


def raw_blocks(text: str) -> list[list[str]]:
    """Blank-line separated blocks, each a list of its non-empty lines, right-stripped only
    (the wire layout reads indentation)."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        # A line of only invisible characters (a zero-width space, a stray BOM) is blank.
        if stripped and _visible(stripped).strip():
            current.append(line.rstrip())
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
