"""Keeping ``MonthlyCount`` right: what a set of articles contributes to it, read from their
rows before and after a change, and the difference written as one upsert per 500 rows, in
the caller's transaction. The importer, curation and admin edits all go through here."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterable
from itertools import batched

from django.db import connection
from django.db.models import Count

from ..models import Article, ArticlePerson, ArticlePlace, MonthlyCount, Section
from ..selectors.aggregates import MonthOf

Kind = MonthlyCount.Kind
IDS_PER_QUERY = 2000
ROWS_PER_UPSERT = 500

type RollupKey = tuple[str, int, dt.date]


def _month(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.replace(day=1)


def section_lineage() -> dict[int, list[int]]:
    """Each section's id -> its own id and those of its ancestors (one query)."""
    parents = dict(Section.objects.values_list("id", "parent_id"))
    lineage = {}
    for pk in parents:
        chain, seen, node = [], set(), pk
        while node is not None and node not in seen:
            seen.add(node)
            chain.append(node)
            node = parents.get(node)
        lineage[pk] = chain
    return lineage


def contributions(article_ids: Iterable[int]) -> Counter[RollupKey]:
    """What ``article_ids`` add to the monthly counts, as they are stored now: three grouped
    queries per IDS_PER_QUERY articles, plus one for the section tree."""
    ids = sorted(set(article_ids))
    out: Counter[RollupKey] = Counter()
    if not ids:
        return out
    lineage = section_lineage()
    for part in batched(ids, IDS_PER_QUERY):
        dated = (
            Article.objects.filter(pk__in=part, published__isnull=False)
            .annotate(month=MonthOf("published"))
            .values("section_id", "month")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in dated:
            month = _month(row["month"])
            out[(Kind.ARCHIVE, 0, month)] += row["n"]
            for section_id in lineage.get(row["section_id"], ()):
                out[(Kind.SECTION, section_id, month)] += row["n"]
        for kind, model, field in (
            (Kind.PERSON, ArticlePerson, "person_id"),
            (Kind.PLACE, ArticlePlace, "place_id"),
        ):
            rows = (
                model.objects.filter(article_id__in=part, article__published__isnull=False)
                .annotate(month=MonthOf("article__published"))
                .values(field, "month")
                .annotate(n=Count("id"))
                .order_by()
            )
            for row in rows:
                out[(kind, row[field], _month(row["month"]))] += row["n"]
    return out


def apply_delta(delta: dict[RollupKey, int]) -> None:
    """Add ``delta`` to the stored monthly counts (rows created as needed), in a fixed order
    so that two imports at once take their row locks in the same order."""
    rows = sorted((str(k), e, m, n) for (k, e, m), n in delta.items() if n)
    if not rows:
        return
    table = connection.ops.quote_name(MonthlyCount._meta.db_table)
    with connection.cursor() as cursor:
        for part in batched(rows, ROWS_PER_UPSERT):
            values = ", ".join(["(%s, %s, %s, %s)"] * len(part))
            cursor.execute(
                f"INSERT INTO {table} (kind, entity_id, month, articles) VALUES {values} "
                "ON CONFLICT (kind, entity_id, month) "
                f"DO UPDATE SET articles = {table}.articles + excluded.articles",
                [value for row in part for value in row],
            )


class RollupChange:
    """Bracket a change to some articles' rows: built before it (their contributions then),
    ``commit()`` after it with the articles as they are now (new ones included)."""

    def __init__(self, article_ids: Iterable[int] = ()):
        self.before = contributions(article_ids)

    def commit(self, article_ids: Iterable[int]) -> set[tuple[str, int]]:
        """Write the difference; returns the (kind, entity id) pairs whose counts changed."""
        after = contributions(article_ids)
        delta = Counter(after)
        delta.subtract(self.before)
        apply_delta(delta)
        self.before = after
        return {(kind, entity) for (kind, entity, _), n in delta.items() if n}


def rebuild_rollups() -> None:
    """Recompute every monthly count from the rows (after a bulk change made outside the
    importer and curation, e.g. rows edited in SQL)."""
    MonthlyCount.objects.all().delete()
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for part in batched(ids, 50 * IDS_PER_QUERY):
        apply_delta(contributions(part))


# --- edits outside the importer (the admin, the shell) ---------------------------------------
# Saving or deleting one Article through the ORM: its contributions are read before (pre_save,
# pre_delete) and after (post_save; and once more when the admin logs the change, by which
# time its inline mention rows are saved too), and the difference written, in the same
# transaction. Bulk writes (the importer, curation) send no signals and bracket themselves.

# pk -> (when, its contributions then): taken afresh before every save, kept after it for
# the admin's log entry that follows within the same request.
_before: dict[int, tuple[float, Counter[RollupKey]]] = {}
LOG_WINDOW_SECONDS = 60


def article_pre_save(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    _before[instance.pk] = (time.monotonic(), contributions([instance.pk]))


def _settle(pk: int, before: Counter[RollupKey]) -> None:
    change = RollupChange()
    change.before = before
    change.commit([pk])
    _before[pk] = (time.monotonic(), change.before)


def article_post_save(sender, instance, created=False, raw=False, **kwargs) -> None:
    if raw:
        return
    _, before = _before.pop(instance.pk, (0.0, Counter()))
    _settle(instance.pk, Counter() if created else before)


def article_logged(sender, instance, created=False, **kwargs) -> None:
    """An admin change is logged after its inlines are saved: settle the article again."""
    if not (instance.content_type and instance.content_type.model_class() is Article):
        return
    try:
        pk = int(instance.object_id)
    except (TypeError, ValueError):
        return
    taken, before = _before.pop(pk, (0.0, None))
    if before is not None and time.monotonic() - taken < LOG_WINDOW_SECONDS:
        _settle(pk, before)
        _before.pop(pk, None)


def article_pre_delete(sender, instance, **kwargs) -> None:
    _before[instance.pk] = (time.monotonic(), contributions([instance.pk]))


def article_post_delete(sender, instance, **kwargs) -> None:
    _, before = _before.pop(instance.pk, (0.0, Counter()))
    apply_delta({key: -n for key, n in before.items()})
