"""Full-text search over articles: one interface, a PostgreSQL and a SQLite implementation.

The user's query is parsed once, in Python, into a small tree (``ParsedQuery``): words,
"quoted phrases", ``OR`` between alternatives and ``-`` for exclusion, like a web search box.
Each database then gets the same tree in its own language, so both find the same articles:

- PostgreSQL: a combination of ``phraseto_tsquery('english', ...)`` per term (each one safe
  for any text), matched against the stored generated ``search_vector`` column (headline A,
  caption and subheadings B, body C; see migration 0002_search), ranked with ``ts_rank`` and
  highlighted with ``ts_headline``.
- SQLite: an FTS5 query over ``articles_article_fts`` built only from double-quoted strings,
  so no user input can make an FTS5 syntax error; ranked with ``bm25`` (column weights in the
  same proportion as PostgreSQL's A/B/C) and highlighted with ``snippet()``.

We build the PostgreSQL query from the tree instead of passing the text to
``websearch_to_tsquery`` because that function gives ``OR`` a lower precedence than ``AND``
(``iran oil OR gas`` would match any article about gas); here ``OR`` binds tighter, as readers
expect from web search.

Snippets are computed for one page of results at a time (one query), never for every match.
The article text is untrusted: snippets are HTML-escaped, and only our own ``<mark>`` tags are
live markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Expression, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

from .models import Article, Person, Place

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


@dataclass(frozen=True, slots=True)
class Term:
    """One word or quoted phrase of a query: the text as typed and its lower-cased words."""

    text: str
    words: tuple[str, ...]

    @property
    def fts5(self) -> str:
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

    def fts5_positive(self) -> str:
        parts = []
        for group in self.groups:
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
        for group in self.groups:
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
        words = tuple(w.lower() for w in _WORD_RE.findall(token))
        if not words:
            pending_or = False
            continue
        if all(w in STOP_WORDS for w in words):
            dropped_stop_words = True
            continue
        if count >= MAX_TERMS:
            messages.append(MESSAGE_TRUNCATED)
            break
        count += 1
        # The database sees the words, not the punctuation around them.
        term = Term(text=" ".join(words) if quoted else token.replace('"', ""), words=words)
        if negated:
            excluded.append(term)
            pending_or = False
        elif pending_or:
            groups[-1].append(term)
            pending_or = False
        else:
            groups.append([term])
    if not groups and not excluded and dropped_stop_words:
        messages.append(MESSAGE_ONLY_STOP_WORDS)
    return ParsedQuery(
        raw=raw,
        groups=tuple(tuple(g) for g in groups),
        excluded=tuple(excluded),
        messages=tuple(messages),
    )


# --- PostgreSQL -------------------------------------------------------------------------


class ArticleSearchVector(Expression):
    """The generated ``search_vector`` column of ``articles_article``.

    The column is not a model field (see migration 0002_search), so this expression names it,
    and keeps the table alias right when the queryset becomes a subquery (``U0``).
    """

    output_field = SearchVectorField()

    def __init__(self, alias: str | None = None):
        super().__init__()
        self.alias = alias

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):  # noqa: E501
        return type(self)(alias=query.get_initial_alias())

    def relabeled_clone(self, change_map):
        return type(self)(alias=change_map.get(self.alias, self.alias))

    def as_sql(self, compiler, connection):
        table = compiler.quote_name(self.alias)
        return f"{table}.{connection.ops.quote_name('search_vector')}", []


# --- SQLite -----------------------------------------------------------------------------


def _fts_ids(match: str) -> RawSQL:
    return RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", (match,))


# --- The interface ----------------------------------------------------------------------


def search_articles(queryset: QuerySet, query: ParsedQuery) -> QuerySet:
    """Articles of ``queryset`` matching ``query`` (a filter, no ordering: see
    ``RankedArticles`` for relevance order).

    An empty query matches nothing: the caller decides whether to search at all.
    """
    if query.is_empty:
        return queryset.none()
    if connection.vendor == "postgresql":
        return queryset.alias(_search_vector=ArticleSearchVector()).filter(
            _search_vector=query.pg()
        )
    if query.has_positive:
        return queryset.filter(id__in=_fts_ids(query.fts5()))
    # FTS5's NOT needs something on its left: exclude the matches instead.
    return queryset.exclude(id__in=_fts_ids(query.fts5_excluded()))


def ranked_ids(
    queryset: QuerySet, query: ParsedQuery, start: int, stop: int, *, only_search: bool = False
) -> list[int]:
    """Ids of ``queryset``'s articles from ``start`` to ``stop`` in relevance order (best
    first, newest id on a tie). One query.

    On SQLite the rank must come from one FTS5 cursor: bm25() computes each term's document
    frequency when its cursor starts, so a per-row (correlated) bm25 is quadratic. The
    filtered articles become an ``IN`` subquery of that single ranked FTS5 query; with
    ``only_search`` (no filter but the search itself) the FTS5 table answers alone.
    """
    if not query.has_positive:
        return list(queryset.order_by("-id").values_list("id", flat=True)[start:stop])
    if connection.vendor == "postgresql":
        ranked = queryset.annotate(
            _rank=SearchRank(ArticleSearchVector(), query.pg_positive())
        ).order_by("-_rank", "-id")
        return list(ranked.values_list("id", flat=True)[start:stop])
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    order = f"ORDER BY bm25({FTS_TABLE}, {weights}), rowid DESC LIMIT %s OFFSET %s"
    if only_search:
        # Every FTS5 row is an article (triggers keep them in step): no need to ask the
        # article table, which costs as much again as the ranking for a common word.
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s {order}"
        params = [query.fts5(), stop - start, start]
    else:
        ids_sql, ids_params = queryset.order_by().values("id").query.sql_with_params()
        # "+rowid": keep the IN list out of FTS5's index constraints, or SQLite runs the
        # full-text query once per id in the list.
        sql = (
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"AND +rowid IN ({ids_sql}) {order}"
        )
        params = [query.fts5_positive(), *ids_params, stop - start, start]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def count_matches(queryset: QuerySet, query: ParsedQuery, *, only_search: bool, cap: int) -> int:
    """How many of ``queryset``'s articles match, counting at most ``cap``. On SQLite, a search
    with no other filter is counted in the FTS5 table alone (1 ms instead of 22 ms for a word
    in 10,000 of 100,000 articles)."""
    if only_search and query.has_positive and connection.vendor == "sqlite":
        sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [query.fts5(), cap])
            return cursor.fetchone()[0]
    return queryset.order_by()[:cap].count()


RANKED_CACHE = 200


class RankedArticles:
    """Search results in relevance order, as a sequence a ``Paginator`` can page through.

    ``count()`` is one query; a slice is two (the ranked ids of that page, then its rows from
    ``queryset``, which keeps its select_related / only), whatever the page size.
    ``only_search`` says that nothing but the search narrows ``queryset``. ``remember``, when
    given, caches the first RANKED_CACHE ids (``remember(compute)``, e.g. per archive
    version): ranking every match of a common word costs the same for 20 ids as for 200, so
    the first ten pages of a search rank once.
    """

    model = Article
    ordered = True

    def __init__(
        self,
        queryset: QuerySet,
        query: ParsedQuery,
        *,
        only_search: bool = False,
        remember: Callable[[Callable[[], list[int]]], list[int]] | None = None,
    ):
        self.queryset = queryset
        self.query = query
        self.only_search = only_search
        self.remember = remember
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            items = self[index : index + 1]
            if not items:
                raise IndexError(index)
            return items[0]
        start, stop = index.start or 0, index.stop
        if stop is None:
            stop = self.count()
        if stop <= start:
            return []
        if self.remember is not None and stop <= RANKED_CACHE:
            top = self.remember(
                lambda: ranked_ids(
                    self.queryset, self.query, 0, RANKED_CACHE, only_search=self.only_search
                )
            )
            ids = top[start:stop]
        else:
            ids = ranked_ids(self.queryset, self.query, start, stop, only_search=self.only_search)
        if not ids:
            return []
        rows = self.queryset.order_by().in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]


@dataclass(frozen=True, slots=True)
class Snippet:
    headline: SafeString
    body: SafeString


def markup(text: str) -> SafeString:
    """Escape ``text`` and turn our highlight markers into balanced ``<mark>`` elements.

    Markers are toggled, never trusted: a stray marker character inside an article cannot
    produce an unclosed or nested element.
    """
    out: list[str] = []
    open_ = False
    for piece in re.split(f"([{_OPEN}{_CLOSE}])", text):
        if piece == _OPEN:
            if not open_:
                out.append("<mark>")
                open_ = True
        elif piece == _CLOSE:
            if open_:
                out.append("</mark>")
                open_ = False
        else:
            out.append(html.escape(piece, quote=False))
    if open_:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def snippets(article_ids: list[int], query: ParsedQuery) -> dict[int, Snippet]:
    """Highlighted headline and body excerpt per article id, in one query.

    Only for a page of results: building excerpts re-reads each article's text.
    """
    if not article_ids or not query.has_positive:
        return {}
    if connection.vendor == "postgresql":
        positive = query.pg_positive()
        options = {"config": PG_CONFIG, "start_sel": _OPEN, "stop_sel": _CLOSE}
        rows = (
            Article.objects.filter(id__in=article_ids)
            .annotate(
                _headline=SearchHeadline("headline", positive, highlight_all=True, **options),
                _body=SearchHeadline(
                    "body_text",
                    positive,
                    max_words=35,
                    min_words=15,
                    short_word=3,
                    max_fragments=1,
                    fragment_delimiter=" … ",
                    **options,
                ),
            )
            .order_by()
            .values_list("id", "_headline", "_body")
        )
    else:
        placeholders = ", ".join(["%s"] * len(article_ids))
        sql = (
            f"SELECT rowid, highlight({FTS_TABLE}, 0, %s, %s), "
            f"snippet({FTS_TABLE}, 3, %s, %s, '…', {SNIPPET_TOKENS}) "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({placeholders})"
        )
        params = [_OPEN, _CLOSE, _OPEN, _CLOSE, query.fts5_positive(), *article_ids]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    return {pk: Snippet(markup(h or ""), markup(b or "")) for pk, h, b in rows}


# --- Name look-ups ----------------------------------------------------------------------


def _name_lookup(queryset: QuerySet, text: str, limit: int) -> list:
    text = " ".join(_WORD_RE.findall(text or ""))[:100]
    if len(text) < 2:
        return []
    queryset = queryset.entities()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramWordSimilarity

        # ``%>`` (trigram_word_similar) uses the trigram GIN index; icontains catches names
        # shorter than a trigram's worth of letters.
        return list(
            queryset.filter(Q(name__trigram_word_similar=text) | Q(name__icontains=text))
            .annotate(similarity=TrigramWordSimilarity(text, "name"))
            .order_by("-similarity", "-article_count", "name")[:limit]
        )
    condition = Q()
    for word in text.split():
        condition &= Q(name__icontains=word)
    return list(queryset.filter(condition).order_by("-article_count", "name")[:limit])


def find_people(text: str, limit: int = 10) -> list[Person]:
    """People whose name looks like ``text`` (trigram similarity on PostgreSQL, so "Zelensky"
    finds "Zelenskyy"; every word contained in the name on SQLite), most covered first."""
    return _name_lookup(Person.objects.all(), text, limit)


def find_places(text: str, limit: int = 10) -> list[Place]:
    """Places whose name looks like ``text``; see ``find_people``."""
    return _name_lookup(Place.objects.select_related("country"), text, limit)


# --- Keeping the SQLite index in place --------------------------------------------------

_SQLITE_TRIGGERS = {
    "articles_article_fts_ai": f"""
        CREATE TRIGGER articles_article_fts_ai AFTER INSERT ON articles_article BEGIN
            INSERT INTO {FTS_TABLE}(rowid, headline, caption, subheadings_text, body_text)
            VALUES (new.id, new.headline, new.caption, new.subheadings_text, new.body_text);
        END""",
    "articles_article_fts_ad": f"""
        CREATE TRIGGER articles_article_fts_ad AFTER DELETE ON articles_article BEGIN
            INSERT INTO {FTS_TABLE}(
                {FTS_TABLE}, rowid, headline, caption, subheadings_text, body_text
            )
            VALUES ('delete', old.id, old.headline, old.caption, old.subheadings_text,
                    old.body_text);
        END""",
    "articles_article_fts_au": f"""
        CREATE TRIGGER articles_article_fts_au
        AFTER UPDATE OF headline, caption, subheadings_text, body_text ON articles_article BEGIN
            INSERT INTO {FTS_TABLE}(
                {FTS_TABLE}, rowid, headline, caption, subheadings_text, body_text
            )
            VALUES ('delete', old.id, old.headline, old.caption, old.subheadings_text,
                    old.body_text);
            INSERT INTO {FTS_TABLE}(rowid, headline, caption, subheadings_text, body_text)
            VALUES (new.id, new.headline, new.caption, new.subheadings_text, new.body_text);
        END""",
}


def ensure_search_schema(using: str = "default") -> list[str]:
    """Re-create missing SQLite search triggers and re-index; returns what was repaired.

    A later migration that alters the article table on SQLite rebuilds it (create, copy, drop,
    rename), and dropping a table drops its triggers: without this, new articles would silently
    stop being searchable. Run after every ``migrate`` (``post_migrate``); a no-op on
    PostgreSQL, whose generated column survives table changes.
    """
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return []
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            (f"{FTS_TABLE[:-4]}%",),
        )
        present = {row[0] for row in cursor.fetchall()}
        if FTS_TABLE not in present:
            return []  # migration 0002 not applied yet
        missing = [name for name in _SQLITE_TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(_SQLITE_TRIGGERS[name])
        if missing:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return missing


def repair_search_schema(sender=None, using: str = "default", **kwargs) -> None:
    """``post_migrate`` receiver: see ``ensure_search_schema``."""
    ensure_search_schema(using)
