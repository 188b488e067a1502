"""Web boilerplate ("debris") lines: the rules of articles/data/debris.txt, read once.

A line is debris when the whole of it (whitespace collapsed) matches one rule, case
insensitively: a form field, a syndication notice, an embedded tweet, a call to subscribe or
share, an advertisement marker, a photo credit, a price advert. Matching the whole line keeps
prose that merely mentions a newsletter or a tweet.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

__all__ = ["RULES_FILE", "debris_kind", "load_rules"]

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "debris.txt"
MAX_DEBRIS_LINE = 1000  # longer lines are text, whatever they contain
_RULE_LINE_RE = re.compile(r"^(?P<kind>[a-z][a-z-]*)(?:\t+| {2,})(?P<pattern>\S.*)$")


@cache
def load_rules(path: Path = RULES_FILE) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(kind, compiled pattern) for each rule line; a malformed line raises ValueError."""
    rules = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _RULE_LINE_RE.match(line.rstrip())
        if not match:
            raise ValueError(f"{path.name} line {number}: expected KIND  PATTERN")
        try:
            pattern = re.compile(match.group("pattern"), re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"{path.name} line {number}: {exc}") from exc
        rules.append((match.group("kind"), pattern))
    return tuple(rules)


@cache
def _quick_words() -> re.Pattern[str]:
    """Any word a debris line must contain: lines without one skip the rules entirely."""
    return re.compile(
        r"email|name|phone|comment|website|message|validation|permission|twitter|t\.co|\(@|"
        r"subscribe|sign|newsletter|inbox|read|see more|related|click|tap|poll|share|tweet|"
        r"print|follow|advert|sponsored|\bad\b|continues|photo|image|video|file|picture|\$",
        re.IGNORECASE,
    )


def debris_kind(line: str) -> str | None:
    """The rule kind a cleaned line matches as a whole, or None for article text."""
    if not line or len(line) > MAX_DEBRIS_LINE or not _quick_words().search(line):
        return None
    for kind, pattern in load_rules():
        if pattern.fullmatch(line):
            return kind
    return None
