"""The search box's language, parsed once in Python: words, "quoted phrases", ``OR`` between
alternatives, ``-`` for exclusion, ``word*`` for any word starting so; rendered for FTS5 and for
PostgreSQL's tsquery. A country's name also finds its adjective ("Ukraine" finds "Ukrainian")."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from django.contrib.postgres.search import SearchQuery

MAX_QUERY_LENGTH = 300
MAX_TERMS = 16
FTS_TABLE = "articles_article_fts"
PG_CONFIG = "english"
# bm25 weights for headline, caption, subheadings, body: PostgreSQL's default ts_rank weights
# are A=1.0, B=0.4, C=0.2, so keep the same proportions.
FTS_WEIGHTS = (10.0, 4.0, 4.0, 2.0)
SNIPPET_TOKENS = 32

# PostgreSQL's English stop-word list (tsearch_data/english.stop). PostgreSQL drops these words
# from queries; we drop them on SQLite too, so "the war" finds the same articles on both.
_STOP_WORDS_TEXT = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

# Letters and digits in any script: how both databases split text into words, near enough.
_WORD_RE = re.compile(r"[^\W_]+")
# Private-use characters mark highlights inside the database; we turn them into <mark> after
# escaping everything else.
_OPEN, _CLOSE = "\ue000", "\ue001"

MESSAGE_ONLY_STOP_WORDS = "Your search has only very common words, which are not indexed."
MESSAGE_TRUNCATED = f"Only the first {MAX_TERMS} words of your search were used."
MESSAGE_NO_WORDS = "Your search has no letters or digits to look for, so every story is shown."
# Characters that reorder the text around them (right-to-left overrides, isolates, marks):
# kept out of what a page shows of the search.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
PREFIX_MIN = 3


@cache
def country_adjectives() -> dict[str, tuple[str, ...]]:
    """A country's one-word name (lower case) -> its one-word adjectives, from the committed
    gazetteer (read once; the names table only)."""
    from ..ingest.gazetteer import GAZETTEER_FILE

    with gzip.open(GAZETTEER_FILE, "rb") as fh:
        names = json.loads(fh.read())["names"]
    countries: dict[str, str] = {}
    adjectives: dict[str, list[str]] = {}
    for text, refs in names.items():
        if not _WORD_RE.fullmatch(text):
            continue
        for code, key in refs:
            if code == "C":
                countries.setdefault(text.lower(), key)
            elif code == "A" and isinstance(key, str):
                adjectives.setdefault(key, []).append(text.lower())
    return {
        name: tuple(sorted(adjectives[iso]))
        for name, iso in countries.items()
        if adjectives.get(iso)
    }


@dataclass(frozen=True, slots=True)
class Term:
    """One word or quoted phrase of a query: the text as typed and its lower-cased words."""

    text: str
    words: tuple[str, ...]
    prefix: bool = False

    @property
    def fts5(self) -> str:
        if self.prefix:
            return f'"{self.words[0]}"*'

        # Leading and trailing stop words are dropped, as PostgreSQL's phraseto_tsquery drops
        # them (inner ones stay: the phrase must still match in order).
        words = list(self.words)
        while words and words[0] in STOP_WORDS:
            words.pop(0)
        while words and words[-1] in STOP_WORDS:
            words.pop()
        # Words hold only letters and digits, so the quoted string cannot break out.
        return '"' + " ".join(words) + '"'

    def pg(self) -> SearchQuery:
        if self.prefix:
            # One word of letters and digits: safe in to_tsquery's syntax.
            return SearchQuery(f"{self.words[0]}:*", search_type="raw", config=PG_CONFIG)
        return SearchQuery(self.text, search_type="phrase", config=PG_CONFIG)


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A search as a tree: every group must match (one of its terms), no excluded term may."""

    raw: str
    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    messages: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to search for (blank, or only stop words)."""
        return not self.groups and not self.excluded

    @property
    def has_positive(self) -> bool:
        return bool(self.groups)

    @property
    def searched_groups(self) -> tuple[tuple[Term, ...], ...]:
        """The groups as the databases get them: a country's name with its adjectives as
        alternatives ("ukraine" OR "ukrainian")."""
        return tuple(
            tuple(t for term in group for t in (term, *_adjective_terms(term)))
            for group in self.groups
        )

    @property
    def display(self) -> str:
        """The search as typed, safe to show: no characters that reorder the page's text."""
        return BIDI_CONTROLS.sub("", self.raw).strip()

    @property
    def heading(self) -> str:
        """The search in curly quotes, its own straight quotes made single ones, so
        ``"prime minister"`` reads “prime minister”, not “"prime minister"”."""
        text = self.display
        if len(text) > 1 and text.startswith('"') and text.endswith('"') and text.count('"') == 2:
            text = text[1:-1]
        text = re.sub(r'"([^"]*)"', "‘\\1’", text).replace('"', "")
        return f"“{text}”"

    def fts5_positive(self) -> str:
        parts = []
        for group in self.searched_groups:
            alternatives = [t.fts5 for t in group]
            parts.append(alternatives[0] if len(group) == 1 else f"({' OR '.join(alternatives)})")
        return " AND ".join(parts)

    def fts5_excluded(self) -> str:
        return " OR ".join(t.fts5 for t in self.excluded)

    def fts5(self) -> str:
        """The whole query in FTS5 syntax (needs at least one positive group)."""
        positive = self.fts5_positive()
        if self.excluded:
            return f"({positive}) NOT ({self.fts5_excluded()})"
        return positive

    def pg_positive(self) -> SearchQuery | None:
        query = None
        for group in self.searched_groups:
            alternatives = None
            for term in group:
                alternatives = term.pg() if alternatives is None else alternatives | term.pg()
            query = alternatives if query is None else query & alternatives
        return query

    def pg(self) -> SearchQuery:
        """The whole query as a PostgreSQL tsquery expression."""
        query = self.pg_positive()
        for term in self.excluded:
            query = ~term.pg() if query is None else query & ~term.pg()
        return query


def _tokens(text: str) -> Iterable[tuple[bool, bool, str]]:
    """Split a query like a web search box: (negated, quoted, text) per token."""
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = False
        if text[i] == "-":
            negated = True
            i += 1
            if i >= n or text[i].isspace():
                continue
        if text[i] == '"':
            end = text.find('"', i + 1)
            end = n if end == -1 else end
            yield negated, True, text[i + 1 : end]
            i = end + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] != '"':
                j += 1
            yield negated, False, text[i:j]
            i = j


def parse_query(text: str | None) -> ParsedQuery:
    """Parse a reader's search text. Never raises; anything unusable is simply left out.

    Syntax: ``word`` (stemmed: "sanction" finds "sanctions"), ``"exact phrase"``,
    ``a OR b`` (either; OR binds tighter than the implicit AND), ``-word`` / ``-"phrase"``
    (exclude). Very common words (the, of, ...) are ignored, as PostgreSQL does.
    """
    raw = (text or "").strip()[:MAX_QUERY_LENGTH]
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    messages: list[str] = []
    pending_or = False
    dropped_stop_words = False
    count = 0
    for negated, quoted, token in _tokens(raw):
        if not quoted and not negated and token.lower() == "or":
            pending_or = bool(groups)
            continue
        prefix = not quoted and token.endswith("*")
        words = tuple(w.lower() for w in _WORD_RE.findall(token))
        prefix = prefix and len(words) == 1 and len(words[0]) >= PREFIX_MIN
        if not words:
            pending_or = False
            continue
        if not prefix and all(w in STOP_WORDS for w in words):
            dropped_stop_words = True
            continue
        if count >= MAX_TERMS:
            messages.append(MESSAGE_TRUNCATED)
            break
        count += 1
        # The database sees the words, not the punctuation around them.
        text_ = " ".join(words) if quoted or prefix else token.replace('"', "")
        term = Term(text=text_, words=words, prefix=prefix)
        if negated:
            excluded.append(term)
            pending_or = False
            continue
        if pending_or:
            groups[-1].append(term)
            pending_or = False
        else:
            groups.append([term])
    if not groups and not excluded and dropped_stop_words:
        messages.append(MESSAGE_ONLY_STOP_WORDS)
    elif not groups and not excluded and raw:
        messages.append(MESSAGE_NO_WORDS)
    return ParsedQuery(
        raw=raw,
        groups=tuple(tuple(g) for g in groups),
        excluded=tuple(excluded),
        messages=tuple(messages),
    )


def _adjective_terms(term: Term) -> list[Term]:
    """ "ukraine" -> [Term("ukrainian")]: a country's name finds its adjective too."""
    if term.prefix or len(term.words) != 1:
        return []
    return [Term(text=a, words=(a,)) for a in country_adjectives().get(term.words[0], ())]
