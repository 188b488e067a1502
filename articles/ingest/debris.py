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

from .text import clean

__all__ = ["RULES_FILE", "debris_kind", "load_rules"]

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "debris.txt"
MAX_DEBRIS_LINE = 800  # longer lines are text, whatever they contain
SHORT_LINE = 240  # the longest boilerplate line but an embedded tweet
_EMBED_WORDS = ("twitter", "Twitter", "(@", "t.co/")
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


# The words a boilerplate line opens with (an embedded tweet aside): a line opening with
# another word skips the rules. Keep in step with articles/data/debris.txt (a test checks).
_START_WORDS_TEXT = """
    email name phone comment comments website message this article reprinted printed posted
    published republished originally appeared was subscribe sign you thank by the our get
    receive read see related click tap take share tweet print follow advertisement
    advertising sponsored ad story photo photos image images picture pictures file video
    order buy shop only just now https http t
"""
START_WORDS = frozenset(_START_WORDS_TEXT.split())
_FIRST_WORD_RE = re.compile(r"[\W_]*([^\W_]+)")


def debris_kind(line: str) -> str | None:
    """The rule kind a line (whitespace collapsed first) matches as a whole, or None."""
    if not line or len(line) > MAX_DEBRIS_LINE * 2:
        return None
    if len(line) > SHORT_LINE * 2 and not any(word in line for word in _EMBED_WORDS):
        return None  # only an embedded tweet makes a long line of boilerplate
    line = clean(line)
    if not line or len(line) > MAX_DEBRIS_LINE:
        return None
    lower = line.lower()
    embed = any(word in lower for word in _EMBED_WORDS)
    if len(line) > SHORT_LINE and not embed:
        return None
    first = _FIRST_WORD_RE.match(lower)
    if not embed and not (first and (first.group(1) in START_WORDS or first.group(1).isdigit())):
        return None
    for kind, pattern in load_rules():
        if pattern.fullmatch(line):
            return kind
    return None
