"""Reads of the monthly counts that the importer and curation maintain
(``articles.rollups.MonthlyCount``): coverage charts, year facets and the most mentioned
people and countries of a month, each one indexed query whatever the archive's size."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from ..models import MonthlyCount, Person, Place, Section
from .aggregates import FacetItem, MonthCount, fill_months, year_items

Kind = MonthlyCount.Kind


def kind_of(entity: Person | Place | Section) -> str:
    if isinstance(entity, Person):
        return Kind.PERSON
    if isinstance(entity, Place):
        return Kind.PLACE
    return Kind.SECTION


def _months(kind: str, entity_id: int, year: int | None = None) -> dict[dt.date, int]:
    rows = MonthlyCount.objects.filter(kind=kind, entity_id=entity_id, articles__gt=0)
    if year is not None:
        rows = rows.filter(month__gte=dt.date(year, 1, 1), month__lt=dt.date(year + 1, 1, 1))
    return dict(rows.values_list("month", "articles"))


def coverage(
    entity: Person | Place | Section | None, *, year: int | None = None
) -> list[MonthCount]:
    """Articles per month of ``entity`` (the whole archive when None, of one ``year`` if
    given), from the first month to the last, zeros included. One query."""
    if entity is None:
        return fill_months(_months(Kind.ARCHIVE, 0, year))
    return fill_months(_months(kind_of(entity), entity.pk, year))


def years(entity: Person | Place | Section | None = None) -> list[FacetItem]:
    """Articles per year, newest year first, of ``entity`` or of the whole archive."""
    kind, pk = (Kind.ARCHIVE, 0) if entity is None else (kind_of(entity), entity.pk)
    totals: dict[int, int] = {}
    for month, n in _months(kind, pk).items():
        totals[month.year] = totals.get(month.year, 0) + n
    return year_items(totals)  # four digits, as the year URLs need (a stray 202 is "0202")


def _top(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def top_people_in_month(month: dt.date, limit: int = 10) -> list[FacetItem]:
    """The people in most articles of ``month`` (its first day)."""
    table, people = MonthlyCount._meta.db_table, Person._meta.db_table
    rows = _top(
        f"SELECT p.slug, p.name, r.articles FROM {table} r JOIN {people} p ON p.id = r.entity_id "
        "WHERE r.kind = %s AND r.month = %s AND r.articles > 0 AND p.is_entity = %s "
        "ORDER BY r.articles DESC, p.name LIMIT %s",
        [Kind.PERSON.value, month, True, limit],
    )
    return [FacetItem(slug, name, n) for slug, name, n in rows]


def top_countries_in_month(month: dt.date, limit: int = 10) -> list[FacetItem]:
    """The countries in most articles of ``month`` (a city's articles included)."""
    table, places = MonthlyCount._meta.db_table, Place._meta.db_table
    rows = _top(
        f"SELECT p.slug, p.name, r.articles FROM {table} r JOIN {places} p ON p.id = r.entity_id "
        "WHERE r.kind = %s AND r.month = %s AND r.articles > 0 AND p.is_entity = %s "
        "AND p.kind = %s ORDER BY r.articles DESC, p.name LIMIT %s",
        [Kind.PLACE.value, month, True, Place.Kind.COUNTRY.value, limit],
    )
    return [FacetItem(slug, name, n) for slug, name, n in rows]
