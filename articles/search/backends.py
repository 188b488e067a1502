"""Matching, ranking and counting articles: PostgreSQL's generated tsvector or SQLite's FTS5
table, behind the same functions.

Ranking is bounded: only the RANK_CANDIDATES most recently added matches are scored (the
newest ids, found by walking the id order, never by scoring every match), and older matches
follow them newest first. A search for "said" ranks 2,000 articles, not 90,000; the list page
says so (``rank_sample``) when there are more matches than that."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence

from django.contrib.postgres.search import SearchRank, SearchVectorField
from django.db import connection, connections
from django.db.models import Expression, Max, Min, QuerySet
from django.db.models.expressions import RawSQL

from ..models import Article, MonthlyCount
from ..models.articles import NEWEST_FIRST, id_subquery
from .query import FTS_TABLE, FTS_WEIGHTS, ParsedQuery

RANK_CANDIDATES = 2000
# PostgreSQL: a word the planner expects in at least WALK_SHARE of the ids is found by
# walking the newest ids; a rarer one in a window of the newest ids WINDOW_MARGIN times the
# width its expected share needs, widened WINDOW_GROWTH times while it holds too few.
WALK_SHARE = 0.5
WINDOW_MARGIN = 1.5
WINDOW_GROWTH = 4
BITMAP_WORK_MEM = "64MB"  # for those statements only
WHOLE_SHARE = 4  # a window over 1/WHOLE_SHARE of the archive: every match (GIN alone) instead
WALK_COUNT_CAPS = 50  # a capped count walks the newest ids for a word in 50 caps' worth or more

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


def newest_match_ids(queryset: QuerySet, n: int, *, by_date: bool = False) -> list[int] | QuerySet:
    """The ids of the ``n`` newest articles of ``queryset`` (narrowed by a search alone), on
    PostgreSQL, without walking an index through thousands of rows that do not match: the
    most recently added (the rank candidates), or ``by_date`` the newest by publication date
    (the facet sample, ``selectors.aggregates.sample_ids``), where the window is the newest
    articles by date and the walk is that of the (published, id) index.

    Asked plainly ("newest first, limit n"), the planner walks the primary key backwards and
    tests each row's tsvector, which it must fetch from TOAST storage. For the most frequent
    word that is the best plan (about n rows read), but for a word in one article of ten it
    reads 19,580 rows to find 2,000 (300 ms at 100k). So the planner's own estimate of the
    matches (``EXPLAIN``, from the column's statistics: ``importing.statistics`` keeps them)
    decides: a word expected in WALK_SHARE of the ids or more gets the plain walk (returned
    as a subquery); a rarer one is looked for among the newest ids, in a window wide enough
    for n of its matches with a margin, as a bitmap AND of the GIN index and the id range,
    so only matching rows are read (2,000 for that word, 60 ms). The planner would still
    prefer the range scan with a filter (it does not count the TOAST reads), so index scans
    are turned off for that one statement. A window that holds too few is widened; one that
    would cover a quarter of the archive or more asks every match instead (the bitmap of the GIN
    index alone: few, for a word that rare; reading the range would cost more).

    Queries: the newest and oldest id, the estimate, then one window (rarely more; by date,
    each window is two: where it starts, then its matches).
    """
    db = queryset.db
    order = NEWEST_FIRST if by_date else ("-id",)
    newest = queryset.order_by(*order).values_list("id", flat=True)
    top, span = _id_span(db)
    share = _estimated_rows(db, queryset) / span
    if share >= WALK_SHARE:
        return newest[:n]
    window = math.ceil(n / max(share, 1e-9) * WINDOW_MARGIN)
    while True:
        if window * WHOLE_SHARE >= span:  # most of the archive: the matches alone cost less
            bound = None
        elif by_date:
            bound = _date_bound(db, window)
        else:
            bound = {"id__gt": top - window}
        ids = _without_index_scans(db, (newest.filter(**bound) if bound else newest)[:n])
        if len(ids) == n or bound is None:
            return ids
        window *= WINDOW_GROWTH


def _id_span(db: str) -> tuple[int, int]:
    """The newest article id and how many ids lie between the oldest and it (one query)."""
    ends = Article.objects.using(db).aggregate(top=Max("id"), bottom=Min("id"))
    top = ends["top"] or 0
    return top, top - (ends["bottom"] or 0) + 1


def _date_bound(db: str, window: int) -> dict | None:
    """The filter that keeps at least the ``window`` newest articles by date: from the first
    day of the newest month where the archive's monthly counts (``MonthlyCount``, kept by the
    importer) reach ``window``, so up to a month more than asked. None when the dated
    articles are fewer: the window reaches the undated ones, which sort last: every match.

    One small indexed query on the counts; walking the date index to the ``window``-th
    article instead (OFFSET) read 14,428 rows to place the window of "deputy" (20-33 ms at
    100k)."""
    months = (
        MonthlyCount.objects.using(db)
        .filter(kind=MonthlyCount.Kind.ARCHIVE, entity_id=0, articles__gt=0)
        .order_by("-month")
        .values_list("month", "articles")
    )
    total = 0
    for month, articles in months:
        total += articles
        if total >= window:
            return {"published__gte": month}
    return None


def _estimated_rows(db: str, queryset: QuerySet) -> float:
    """The planner's estimate of how many rows ``queryset`` has (no row is read)."""
    sql, params = queryset.order_by().values("id").query.sql_with_params()
    with connections[db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):  # a driver that does not decode json
        plan = json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


def _without_index_scans(db: str, ids: QuerySet) -> list[int]:
    """Run ``ids`` with index and sequential scans off (so the planner reads bitmaps: for
    "syria" in one article of seven, every match asked, it chose a sequential scan testing
    all 104,000 tsvectors, 885 ms, against 125 ms for the GIN bitmap) and work memory for
    exact bitmaps (at 4 MB the bitmap of a word in 105,000 articles goes lossy and 8,800
    rows' tsvectors are checked again: 376 ms instead of 79 ms for 10,001 ids at 1M)."""
    sql, params = ids.query.sql_with_params()
    return [row[0] for row in _bitmap_rows(db, sql, params)]


def _bitmap_rows(db: str, sql: str, params: Sequence) -> list[tuple]:
    """The rows of ``sql`` with index and sequential scans off and work memory for exact
    bitmaps (``_without_index_scans``), set for that one statement."""
    conn = connections[db]
    with conn.cursor() as cursor:
        cursor.execute(
            "SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off; "
            f"SET LOCAL work_mem = '{BITMAP_WORK_MEM}'; {sql}",
            params,
        )
        rows = cursor.fetchall()
        if not conn.get_autocommit():  # in a transaction, SET LOCAL would outlast the query
            cursor.execute(
                "SET LOCAL enable_indexscan TO DEFAULT; SET LOCAL enable_seqscan TO DEFAULT; "
                "SET LOCAL work_mem TO DEFAULT"
            )
    return rows


# --- SQLite -----------------------------------------------------------------------------

# A row of the date index walked costs about a tenth of a match looked up and sorted (SQLite
# 100k: 8 ms to walk 10,000 index rows, 79 ms to look up and sort 10,327 matches).
WALK_COST_RATIO = 10
ARTICLES = Article._meta.db_table


def fts_newest_by_date(query: ParsedQuery, n: int) -> list[int]:
    """SQLite: the ids of the ``n`` newest articles by date matching ``query`` (a search with
    no other filter: the facet sample). SQLite's own plan looks up every FTS5 match and sorts
    them all by date (470 ms for "said", 99,826 matches at 100k). For a word with many
    matches, walking the (published, id) index newest first and keeping the ids in the match
    list stops after about n / share rows (35 ms); for a rare one the plain plan is cheaper.
    Which is which: the walk costs n * span / matches rows at 1/WALK_COST_RATIO of a match
    each, so the walk wins above sqrt(n * span / WALK_COST_RATIO) matches, counted in the FTS5
    table up to that number. Three queries: the id span, that count, the ids."""
    match = query.fts5()
    with connection.cursor() as cursor:
        # Two subqueries: SQLite answers a lone max() or min() from the index, not both.
        cursor.execute(
            f"SELECT (SELECT max(id) FROM {ARTICLES}) - (SELECT min(id) FROM {ARTICLES}) + 1"
        )
        span = cursor.fetchone()[0] or 0
        enough = max(1, math.ceil(math.sqrt(n * span / WALK_COST_RATIO)))
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s)",
            [match, enough],
        )
        # "+id": the id can't use its index, so SQLite walks the date index for the order.
        column = "+id" if cursor.fetchone()[0] >= enough else "id"
        cursor.execute(
            f"SELECT id FROM {ARTICLES} WHERE {column} IN (SELECT rowid FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s) ORDER BY published DESC NULLS LAST, id DESC LIMIT %s",
            [match, n],
        )
        return [row[0] for row in cursor.fetchall()]


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
    queryset: QuerySet,
    query: ParsedQuery,
    start: int,
    stop: int,
    *,
    only_search: bool = False,
    candidates: list[int] | None = None,
) -> list[int]:
    """Ids of ``queryset``'s articles from ``start`` to ``stop`` in relevance order: the
    newest RANK_CANDIDATES matches best first (newest id on a tie), then the older ones
    newest first. One query per part of the order asked for (two at most), plus one for
    where the candidates end when the first part is not enough.

    ``queryset`` is already narrowed by the search (``search_articles``); ``only_search``
    says nothing else narrows it (SQLite then asks the FTS5 table alone). ``candidates``:
    every match's id, already read (a search with few matches): on PostgreSQL they are ranked
    as they are, without looking for the newest.
    """
    if not query.has_positive:
        return list(queryset.order_by("-id").values_list("id", flat=True)[start:stop])
    ids: list[int] = []
    if start < RANK_CANDIDATES:
        ids = _ranked_candidates(
            queryset, query, start, min(stop, RANK_CANDIDATES), only_search, candidates
        )
    if stop > RANK_CANDIDATES and len(ids) == max(0, min(stop, RANK_CANDIDATES) - start):
        # Past the candidates: the older matches, newest first.
        skip = max(start, RANK_CANDIDATES) - RANK_CANDIDATES
        older = queryset.order_by("-id").values_list("id", flat=True)
        ids += list(
            older[RANK_CANDIDATES + skip : RANK_CANDIDATES + skip + stop - start - len(ids)]
        )
    return ids


def _ranked_candidates(
    queryset: QuerySet,
    query: ParsedQuery,
    start: int,
    stop: int,
    only_search: bool,
    candidates: list[int] | None = None,
) -> list[int]:
    if connection.vendor == "postgresql":
        if candidates is not None and len(candidates) <= RANK_CANDIDATES:
            newest = candidates
        elif only_search:
            newest = newest_match_ids(queryset, RANK_CANDIDATES)
        else:
            newest = queryset.order_by("-id").values("id")[:RANK_CANDIDATES]
        if isinstance(newest, list):
            if not newest:
                return []
            newest = id_subquery(newest)  # one parameter, not 2,000
        ranked = (
            Article.objects.filter(id__in=newest)
            .annotate(_rank=SearchRank(ArticleSearchVector(), query.pg_positive()))
            .order_by("-_rank", "-id")
        )
        return list(ranked.values_list("id", flat=True)[start:stop])
    # On SQLite the rank must come from one FTS5 cursor: bm25() computes each term's document
    # frequency when its cursor starts, so a per-row (correlated) bm25 is quadratic. The
    # candidates are a rowid range (the FTS5 cursor walks only that part of each doclist):
    # from the RANK_CANDIDATES-th newest match up.
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    order = f"ORDER BY bm25({FTS_TABLE}, {weights}), rowid DESC LIMIT %s OFFSET %s"
    offset = f"ORDER BY rowid DESC LIMIT 1 OFFSET {RANK_CANDIDATES - 1}"
    if only_search:
        # Every FTS5 row is an article (triggers keep them in step): no need to ask the
        # article table, which costs as much again as the ranking for a common word.
        bound = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s {offset}"
        sql = (
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"AND rowid >= coalesce(({bound}), 0) {order}"
        )
        params = [query.fts5(), query.fts5(), stop - start, start]
    else:
        ids_sql, ids_params = queryset.order_by().values("id").query.sql_with_params()
        newest = queryset.order_by("-id").values("id")[RANK_CANDIDATES - 1 : RANK_CANDIDATES]
        bound_sql, bound_params = newest.query.sql_with_params()
        # "+rowid": keep the IN list out of FTS5's index constraints, or SQLite runs the
        # full-text query once per id in the list.
        sql = (
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"AND +rowid IN ({ids_sql}) AND rowid >= coalesce(({bound_sql}), 0) {order}"
        )
        params = [query.fts5_positive(), *ids_params, *bound_params, stop - start, start]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def count_matches(queryset: QuerySet, query: ParsedQuery, *, only_search: bool, cap: int) -> int:
    """How many of ``queryset``'s articles match, counting at most ``cap``. On SQLite, a search
    with no other filter is counted in the FTS5 table alone (1 ms instead of 22 ms for a word
    in 10,000 of 100,000 articles); on PostgreSQL from the bitmap of the GIN index alone (one
    statement: which ``cap`` matches are counted does not matter)."""
    if only_search and query.has_positive and connection.vendor == "sqlite":
        sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [query.fts5(), cap])
            return cursor.fetchone()[0]
    if only_search and query.has_positive and connection.vendor == "postgresql":
        if _walk_to_count(queryset, cap):
            return queryset.order_by("-id").values("pk")[:cap].count()
        # Any ``cap`` matches, from the GIN index's bitmap: a plain term needs no recheck, so
        # no tsvector is read (for "said", in every article: 11 ms at 100k, against 55-74 ms
        # for the sequential scan the planner picks, which reads 10,001 TOASTed tsvectors;
        # a word in one article of ten, windowed newest first, read 1.3 s at 1M unwindowed).
        sql, params = queryset.order_by().values("pk")[:cap].query.sql_with_params()
        return _bitmap_rows(queryset.db, f"SELECT count(*) FROM ({sql}) found", params)[0][0]
    # Only the ids: a list's queryset carries the teaser (SUBSTR of the body), which a count
    # would otherwise read for every row it counts.
    return queryset.order_by().values("pk")[:cap].count()


def _walk_to_count(queryset: QuerySet, cap: int) -> bool:
    """Whether a search (``queryset``, nothing else narrowing it) is counted up to ``cap`` by
    walking the newest ids rather than from the GIN bitmap: for a word the planner expects in
    WALK_SHARE of the ids or more and in over WALK_COUNT_CAPS times ``cap`` articles. The
    bitmap costs about 0.08 us per match (84 ms for "said" in 998,000 of 1M articles) and the
    walk about 3-7 us per row it reads, about ``cap`` of them for such a word (31-75 ms).
    Two small statements: the id span and the planner's estimate."""
    db = queryset.db
    expected = _estimated_rows(db, queryset)
    if expected < WALK_COUNT_CAPS * cap:
        return False
    return expected >= WALK_SHARE * _id_span(db)[1]


class RankedArticles:
    """Search results in relevance order, as a sequence a ``Paginator`` can page through.

    ``rank(start, stop)`` gives the ids of one stretch of the order: ``ranked_ids`` by
    default (one query), or what the read layer gives instead (a cached copy of the first
    ids). A slice is then one more query for those rows from ``queryset``, which keeps its
    select_related / only. ``count()`` is one query. ``only_search`` says that nothing but the
    search narrows ``queryset``.
    """

    model = Article
    ordered = True

    def __init__(
        self,
        queryset: QuerySet,
        query: ParsedQuery,
        *,
        only_search: bool = False,
        rank: Callable[[int, int], list[int]] | None = None,
    ):
        self.queryset = queryset
        self.rank = rank or (
            lambda start, stop: ranked_ids(queryset, query, start, stop, only_search=only_search)
        )
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
        return LazyRows(lambda: self._rows(start, stop))

    def _rows(self, start: int, stop: int) -> list[Article]:
        ids = self.rank(start, stop)
        if not ids:
            return []
        rows = self.queryset.order_by().in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]


class LazyRows(Sequence):
    """A page of rows read when first used: a page whose list of stories is served from the
    fragment cache (``{% fragment "stories" %}``) never reads them."""

    def __init__(self, read: Callable[[], list]):
        self._read, self._rows = read, None

    def _all(self) -> list:
        if self._rows is None:
            self._rows = list(self._read())
        return self._rows

    def __len__(self) -> int:
        return len(self._all())

    def __getitem__(self, index):
        return self._all()[index]

    def __iter__(self):
        return iter(self._all())
