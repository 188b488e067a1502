"""Aggregates behind the pages: facets, related stories, coverage series, co-mentions.

Each function is one query (or a fixed number), whatever the size of the answer: the pages'
query counts are pinned in tests. Lists of entities are ordered by the stored counts the
importer maintains where the question is "most covered overall". Nothing here is cached:
the page reads (``lists``, ``pages``) cache what they take from here.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Func, Q, QuerySet, Window
from django.db.models.functions import ExtractYear, RowNumber, TruncMonth

from ..models import Article, ArticlePerson, ArticlePlace, Person, Place, Section
from ..models.articles import id_subquery
from ..search import ParsedQuery, backends

FACET_SIZE = 10
# A facet reads up to FACET_MORE values in the same query: the first FACET_SIZE are shown, the
# rest behind "More".
FACET_MORE = 40
# Facets of a filtered list count over its newest FACET_SAMPLE matches: the cost of a facet no
# longer grows with the archive (Iran's 680,000 articles at 1M took 1-2 s per facet). The page
# says so when there are more matches than that.
FACET_SAMPLE = 1000
# Related stories are drawn from each shared person's and place's newest RELATED_CANDIDATES
# articles, not from all of them: bounded work for an article that names Iran.
RELATED_CANDIDATES = 200
# The longest run of empty months a coverage chart draws; a longer gap is skipped.
MAX_GAP_MONTHS = 36


# --- SQLite-friendly expressions ---------------------------------------------------------
# Django computes ExtractYear / TruncMonth on SQLite with Python callbacks, one call per row;
# SQLite's own date functions do the same in C. PostgreSQL keeps Django's versions.


class YearOf(ExtractYear):
    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(strftime('%%Y', {sql}) AS INTEGER)", params


class MonthOf(TruncMonth):
    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.lhs)
        return f"date({sql}, 'start of month')", params


class NoIndex(Func):
    """The expression itself; on SQLite written ``+expr`` so the planner won't drive a join
    from an index on it (a facet over a search must start from the matching articles, not
    from every country's mention rows)."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra)


@dataclass(frozen=True, slots=True)
class FacetItem:
    """One line of a facet: the value to put in the URL, its label and the number of hits."""

    value: str
    label: str
    count: int


def _ids(queryset: QuerySet | list[int]) -> QuerySet | list[int]:
    # Facets count over the newest FACET_SAMPLE filtered articles: their ids read once
    # (``sample_ids``, a list), or as a subquery: no annotations; the newest-first order
    # walks the (published, id) index.
    if isinstance(queryset, list):
        return id_subquery(queryset)  # one parameter, not 1,000
    return queryset.newest_first().values("id")[:FACET_SAMPLE]


def sample_ids(
    queryset: QuerySet, *, only_search: bool = False, query: ParsedQuery | None = None
) -> list[int]:
    """The ids of ``queryset``'s newest FACET_SAMPLE articles: one query, shared by the
    facets (finding them is the dear part: for a common word, thousands of rows checked).
    ``only_search``: nothing but a search narrows ``queryset``; on PostgreSQL the newest
    matches are then found in a window of the newest articles (``newest_match_ids``), not by
    walking the date index through every article that does not match; on SQLite, given the
    search ``query``, the date index is walked when the word has many matches
    (``fts_newest_by_date``)."""
    if only_search and connection.vendor == "postgresql":
        return list(backends.newest_match_ids(queryset, FACET_SAMPLE, by_date=True))
    if only_search and query is not None and query.has_positive and connection.vendor == "sqlite":
        return backends.fts_newest_by_date(query, FACET_SAMPLE)
    return list(queryset.newest_first().values_list("id", flat=True)[:FACET_SAMPLE])


def sample_of(ids: list[int]) -> QuerySet:
    """The articles of a sample (``sample_ids``), as a plain queryset to group."""
    return Article.objects.filter(id__in=_ids(ids))


def _plain(queryset: QuerySet | list[int], filtered: bool) -> QuerySet:
    # A filtered queryset may carry joins and a search rank: group over its ids instead, so
    # the rank is never computed (or grouped by) for a facet.
    return Article.objects.filter(id__in=_ids(queryset)) if filtered else Article.objects.all()


def _with_ancestors(direct: dict[tuple[str, str], int]) -> list[FacetItem]:
    """Section counts that include their subsections (as the section filter does): each
    section's stories added to every ancestor, whose path and name are the leading parts."""
    totals: dict[tuple[str, str], int] = {}
    for (path, full_name), n in direct.items():
        parts, names = path.split("/"), full_name.split(" / ")
        for depth in range(1, len(parts) + 1):
            label = " / ".join(names[:depth]) if len(names) == len(parts) else full_name
            key = ("/".join(parts[:depth]), label)
            totals[key] = totals.get(key, 0) + n
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0][0]))
    return [FacetItem(path, label, n) for (path, label), n in ranked[:FACET_MORE]]


def facet_sections(queryset: QuerySet, *, filtered: bool = True) -> list[FacetItem]:
    """Sections with their subsections' stories included: the number a click on one shows."""
    if filtered:
        rows = (
            _plain(queryset, filtered)
            .filter(section__isnull=False)
            .values("section__path", "section__full_name")
            .annotate(n=Count("id"))
            .order_by()
        )
        return _with_ancestors(
            {(r["section__path"], r["section__full_name"]): r["n"] for r in rows}
        )
    nodes = sorted(section_tree(), key=lambda node: (-node.total, node.section.path))
    return [FacetItem(n.section.path, n.section.full_name, n.total) for n in nodes[:FACET_MORE]]


def facet_people(queryset: QuerySet, *, filtered: bool = True) -> list[FacetItem]:
    if filtered:
        rows = (
            ArticlePerson.objects.filter(article__in=_ids(queryset), person__is_entity=True)
            .values("person__slug", "person__name")
            .annotate(n=Count("article_id"))
            .order_by("-n", "person__name")[:FACET_MORE]
        )
        return [FacetItem(r["person__slug"], r["person__name"], r["n"]) for r in rows]
    rows = Person.objects.in_archive().most_covered()
    return [FacetItem(p.slug, p.name, p.article_count) for p in rows[:FACET_MORE]]


def facet_countries(queryset: QuerySet, *, filtered: bool = True) -> list[FacetItem]:
    if filtered:
        rows = (
            ArticlePlace.objects.alias(kind=NoIndex("place__kind"))
            .filter(article__in=_ids(queryset), kind=Place.Kind.COUNTRY, place__is_entity=True)
            .values("place__iso_code", "place__name")
            .annotate(n=Count("article_id"))
            .order_by("-n", "place__name")[:FACET_MORE]
        )
        return [FacetItem(r["place__iso_code"], r["place__name"], r["n"]) for r in rows]
    rows = Place.objects.in_archive().filter(kind=Place.Kind.COUNTRY).most_covered()
    return [FacetItem(p.iso_code, p.name, p.article_count) for p in rows[:FACET_MORE]]


def year_items(totals: dict[int, int]) -> list[FacetItem]:
    """A year facet from articles per year, newest year first; four digits, as the archive's
    URLs and ISO dates write a year (0202, not 202)."""
    return [FacetItem(f"{y:04d}", str(y), totals[y]) for y in sorted(totals, reverse=True)]


def years_of(days: list) -> list[FacetItem]:
    """The year facet of these dates (undated ones left out), as ``facet_years`` gives it."""
    counts: dict[int, int] = {}
    for day in days:
        if day is not None:
            counts[day.year] = counts.get(day.year, 0) + 1
    return year_items(counts)


def facet_years(queryset: QuerySet, *, filtered: bool = True) -> list[FacetItem]:
    """Articles per year, exact (not sampled): cache it, it is one GROUP BY over all matches."""
    rows = (
        (queryset.order_by() if filtered else Article.objects.all())
        .filter(published__isnull=False)
        .annotate(year=YearOf("published"))
        .values("year")
        .annotate(n=Count("id"))
        .order_by("-year")
    )
    return year_items({r["year"]: r["n"] for r in rows})


def facets(queryset: QuerySet | list[int], *, filtered: bool) -> dict[str, list[FacetItem]]:
    """Sections, people and countries of the list page's facets: three queries, over the
    newest FACET_SAMPLE matches (``queryset``, or their ids from ``sample_ids``).
    Unfiltered, the stored counts answer them."""
    if filtered and isinstance(queryset, list) and not queryset:
        # No match, nothing to count: no query (an empty ``id_subquery`` would still be sent).
        return {"sections": [], "people": [], "countries": []}
    return {
        "sections": facet_sections(queryset, filtered=filtered),
        "people": facet_people(queryset, filtered=filtered),
        "countries": facet_countries(queryset, filtered=filtered),
    }


# --- the home page ----------------------------------------------------------------------


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of ``day``'s month (December 9999 included)."""
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def top_people_between(start: dt.date, end: dt.date, limit: int = 10) -> list[FacetItem]:
    rows = (
        ArticlePerson.objects.filter(article__published__range=(start, end), person__is_entity=True)
        .values("person__slug", "person__name")
        .annotate(n=Count("article_id"))
        .order_by("-n", "person__name")[:limit]
    )
    return [FacetItem(r["person__slug"], r["person__name"], r["n"]) for r in rows]


def top_countries_between(start: dt.date, end: dt.date, limit: int = 10) -> list[FacetItem]:
    rows = (
        ArticlePlace.objects.filter(
            article__published__range=(start, end),
            place__kind=Place.Kind.COUNTRY,
            place__is_entity=True,
        )
        .values("place__slug", "place__name", "place__iso_code")
        .annotate(n=Count("article_id"))
        .order_by("-n", "place__name")[:limit]
    )
    return [FacetItem(r["place__slug"], r["place__name"], r["n"]) for r in rows]


@dataclass(frozen=True, slots=True)
class SectionNode:
    section: Section
    total: int  # articles in the section and all its subsections


def section_tree() -> list[SectionNode]:
    """Every section in path order, with subtree totals summed from the stored counts."""
    sections = list(Section.objects.order_by("path"))
    totals = {s.path: s.article_count for s in sections}
    for s in sections:
        parts = s.path.split("/")
        for depth in range(1, len(parts)):
            ancestor = "/".join(parts[:depth])
            totals[ancestor] = totals.get(ancestor, 0) + s.article_count
    return [SectionNode(s, totals[s.path]) for s in sections if totals[s.path]]


# --- the article page -------------------------------------------------------------------


def related_articles(
    article: Article,
    person_ids: list[int] | None = None,
    place_ids: list[int] | None = None,
    limit: int = 5,
) -> list[Article]:
    """Stories sharing the most people and places with ``article`` (a person counts twice: a
    shared person says more than a shared country). ``person_ids`` / ``place_ids`` are the
    entities the article names, not a country it reaches only through a city; the article
    page has them already (read here when not given). Two queries, whatever the size of the
    archive: each entity contributes its newest RELATED_CANDIDATES other articles, read from
    the (entity, article) index."""
    if person_ids is None:
        person_ids = list(
            ArticlePerson.objects.filter(article=article).values_list("person_id", flat=True)
        )
    if place_ids is None:
        place_ids = list(
            ArticlePlace.objects.filter(article=article, mentions__gt=0).values_list(
                "place_id", flat=True
            )
        )
    parts, params = [], []
    for table, column, weight, ids in (
        (ArticlePerson._meta.db_table, "person_id", 2, person_ids),
        (ArticlePlace._meta.db_table, "place_id", 1, place_ids),
    ):
        for entity_id in ids:
            # Wrapped so that ORDER BY / LIMIT apply per entity (SQLite needs the subquery).
            parts.append(
                f"SELECT article_id, {weight} AS w FROM (SELECT article_id FROM {table} "
                f"WHERE {column} = %s AND article_id <> %s "
                f"ORDER BY article_id DESC LIMIT {RELATED_CANDIDATES}) AS c{len(parts)}"
            )
            params += [entity_id, article.pk]
    if not parts:
        return []
    sql = (
        f"SELECT m.article_id, SUM(m.w) AS score FROM ({' UNION ALL '.join(parts)}) m "
        "GROUP BY m.article_id ORDER BY score DESC, m.article_id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        ranked = [row[0] for row in cursor.fetchall()]
    if not ranked:
        return []
    # What the list of related stories shows: not their bodies or original texts.
    shown = ("id", "slug", "headline", "published", "section__name", "section__path")
    found = Article.objects.select_related("section").only(*shown).in_bulk(ranked)
    return [found[pk] for pk in ranked if pk in found]


# --- entity pages -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthCount:
    month: dt.date
    count: int


def coverage_series(queryset: QuerySet) -> list[MonthCount]:
    """Articles per month from the first month to the last, zeros included, except across a
    gap of more than MAX_GAP_MONTHS, which is left out: a stray date centuries away (a typo
    stored before dates were bounded) must not make a chart of 22,000 months. One query."""
    rows = (
        queryset.order_by()
        .filter(published__isnull=False)
        .annotate(month=MonthOf("published"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    counts = {}
    for r in rows:
        month = r["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        counts[month] = r["n"]
    return fill_months(counts)


def fill_months(counts: dict[dt.date, int]) -> list[MonthCount]:
    """``counts`` (first day of a month -> articles) in month order, the months in between at
    0, except across a gap of more than MAX_GAP_MONTHS, which is left out."""
    series: list[MonthCount] = []
    for month in sorted(counts):
        if series and _months_between(series[-1].month, month) <= MAX_GAP_MONTHS:
            gap = _next_month(series[-1].month)
            while gap < month:
                series.append(MonthCount(gap, 0))
                gap = _next_month(gap)
        series.append(MonthCount(month, counts[month]))
    return series


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def _next_month(month: dt.date) -> dt.date:
    return month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)


def co_mentioned_people(
    article_ids: QuerySet, *, exclude: Person | None = None, limit: int = 12
) -> list[FacetItem]:
    """People most often in the same articles as ``article_ids`` (a values('id') queryset)."""
    rows = ArticlePerson.objects.filter(article_id__in=article_ids, person__is_entity=True)
    if exclude is not None:
        rows = rows.exclude(person=exclude)
    rows = (
        rows.values("person__slug", "person__name")
        .annotate(n=Count("article_id"))
        .order_by("-n", "person__name")[:limit]
    )
    return [FacetItem(r["person__slug"], r["person__name"], r["n"]) for r in rows]


def co_mentioned_places(
    article_ids: QuerySet, *, exclude: Place | None = None, limit: int = 12
) -> list[FacetItem]:
    """Places (countries and cities) most often in the same articles as ``article_ids``."""
    rows = ArticlePlace.objects.filter(article_id__in=article_ids, place__is_entity=True)
    if exclude is not None:
        # A country's page need not list its own cities as "mentioned with" it, nor a city
        # its own country.
        rows = rows.exclude(
            Q(place=exclude) | Q(place__country=exclude) | Q(place_id=exclude.country_id)
        )
    rows = (
        rows.values("place__slug", "place__name")
        .annotate(n=Count("article_id"))
        .order_by("-n", "place__name")[:limit]
    )
    return [FacetItem(r["place__slug"], r["place__name"], r["n"]) for r in rows]


def person_roles(
    person: Person, article_ids: QuerySet | None = None, limit: int = 8
) -> list[FacetItem]:
    """How articles (``article_ids``, a values() queryset, or all of the person's) describe
    ``person`` ("Kremlin spokesman"), most frequent first."""
    rows = ArticlePerson.objects.filter(person=person)
    if article_ids is not None:
        rows = rows.filter(article_id__in=article_ids)
    rows = (
        rows.exclude(role="").values("role").annotate(n=Count("id")).order_by("-n", "role")[:limit]
    )
    return [FacetItem(r["role"], r["role"], r["n"]) for r in rows]


def countries_with_cities(cities_per_country: int = 8) -> list[tuple[Place, list[Place]]]:
    """Countries by stored article count, each with its most covered cities. Two queries."""
    countries = list(Place.objects.in_archive().filter(kind=Place.Kind.COUNTRY).most_covered())
    ranked = (
        Place.objects.entities()
        .exclude(kind=Place.Kind.COUNTRY)
        .filter(article_count__gt=0, country__isnull=False)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("country_id")],
                order_by=[F("article_count").desc(), F("name").asc()],
            )
        )
        .filter(rank__lte=cities_per_country)
        .order_by("country_id", "rank")
    )
    cities: dict[int, list[Place]] = {}
    for place in ranked:
        cities.setdefault(place.country_id, []).append(place)
    return [(c, cities.get(c.pk, [])) for c in countries]
