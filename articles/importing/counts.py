"""Stored counts: the article and mention counts kept on sources, sections, people and places,
recomputed for what a run touched (and by curation after a correction)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from ..caching import EDITS, bump_scopes, bump_version, scope_of, section_scopes
from ..models import (
    Article,
    ArticlePerson,
    ArticlePlace,
    ImportBatch,
    ImportFile,
    Person,
    Place,
    Section,
    Source,
)

Status = ImportFile.Status


def recount_entities(
    person_ids: Iterable[int] | None = None,
    place_ids: Iterable[int] | None = None,
    *,
    bump: bool = True,
) -> None:
    """Recompute the stored article and mention counts of people and places (all when None);
    ``bump=False`` leaves the cached pages to the caller (an import bumps only the scopes it
    touched)."""
    recounted = False
    for model, mention_model, fk, ids in (
        (Person, ArticlePerson, "person", person_ids),
        (Place, ArticlePlace, "place", place_ids),
    ):
        qs = model.objects.all()
        if ids is not None:
            ids = list(ids)
            if not ids:
                continue
        mentions = mention_model.objects.filter(**{fk: OuterRef("pk")}).order_by()
        articles = mentions.values(fk).annotate(n=Count("article_id")).values("n")
        total = mentions.values(fk).annotate(n=Sum("mentions")).values("n")
        for start in range(0, len(ids) if ids is not None else 1, 5000):
            part = qs.filter(pk__in=ids[start : start + 5000]) if ids is not None else qs
            part.update(
                article_count=Coalesce(Subquery(articles), 0),
                mention_count=Coalesce(Subquery(total), 0),
            )
        recounted = True
    if recounted and bump:
        bump_version()  # pages show these counts: cached copies are stale now


def recount_containers(
    source_ids: Iterable[int] | None = None,
    section_ids: Iterable[int] | None = None,
    *,
    bump: bool = True,
) -> None:
    """Recompute stored article counts of sources and sections (direct articles only)."""
    recounted = False
    for model, ids in ((Source, source_ids), (Section, section_ids)):
        qs = model.objects.all()
        if ids is not None:
            ids = list(ids)
            if not ids:
                continue
            qs = qs.filter(pk__in=ids)
        count = (
            Article.objects.filter(**{model.__name__.lower(): OuterRef("pk")})
            .order_by()
            .values(model.__name__.lower())
            .annotate(n=Count("id"))
            .values("n")
        )
        qs.update(article_count=Coalesce(Subquery(count), 0))
        recounted = True
    if recounted and bump:
        bump_version()


def scopes_of(people: Iterable[int], places: Iterable[int], sections: Iterable[int]) -> set[str]:
    """The cache scopes (``articles.caching``) of these people, places and sections, with
    each section's ancestors: three queries."""
    scopes: set[str] = set()
    for model, ids in ((Person, people), (Place, places)):
        ids = list(ids)
        for start in range(0, len(ids), 5000):
            for entity in model.objects.filter(pk__in=ids[start : start + 5000]).only("slug"):
                scopes.add(scope_of(entity))
    ids = list(sections)
    if ids:
        for path in Section.objects.filter(pk__in=ids).values_list("path", flat=True):
            scopes.update(section_scopes(path))
    return scopes


@dataclass
class Touched:
    """Ids whose stored counts must be recomputed at the end of the run."""

    people: set[int] = field(default_factory=set)
    places: set[int] = field(default_factory=set)
    sources: set[int] = field(default_factory=set)
    sections: set[int] = field(default_factory=set)

    # Whether another run was unfinished when this one started (see touch_unfinished).
    unfinished_runs: bool = True

    # Written to since the cached pages were last refreshed: their scopes are bumped then.
    pending_people: set[int] = field(default_factory=set)
    pending_places: set[int] = field(default_factory=set)
    pending_sections: set[int] = field(default_factory=set)

    # Articles written since the archive version was last bumped, and when that was. A long
    # import bumps it after its first chunk and then at most every IMPORT_REFRESH_SECONDS, not
    # after every chunk: each bump makes the cached lists and searches stale, and readers
    # browsing during a 20-minute import should not get an uncached site for 20 minutes.
    changed: bool = False
    last_bump: float = float("-inf")
    # Stored articles were replaced (not only added) since the last bump: bump ``EDITS`` too.
    edited: bool = False

    def mark(self, *, people: set[int], places: set[int], sections: set[int]) -> None:
        """Note what a chunk wrote to: recounted at the end, its pages refreshed sooner."""
        self.people |= people
        self.places |= places
        self.sections |= sections
        self.pending_people |= people
        self.pending_places |= places
        self.pending_sections |= sections

    def refresh(self, *, force: bool = False) -> None:
        """Bump the archive version and the scopes written to, if articles changed and the
        interval has passed."""
        now = time.monotonic()
        if self.changed and (force or now - self.last_bump >= settings.IMPORT_REFRESH_SECONDS):
            self._bump(self.pending_people, self.pending_places, self.pending_sections)
            self.changed, self.last_bump = False, now

    def _bump(self, people: set[int], places: set[int], sections: set[int]) -> None:
        scopes = scopes_of(people, places, sections)
        if self.edited:
            scopes.add(EDITS)
        bump_scopes(scopes)
        self.pending_people, self.pending_places, self.pending_sections = set(), set(), set()
        self.edited = False

    def recount(self) -> None:
        """Recompute the stored counts of everything the run touched, then refresh the pages
        that show them (only theirs: the scopes of what was touched)."""
        recount_entities(person_ids=self.people, place_ids=self.places, bump=False)
        recount_containers(source_ids=self.sources, section_ids=self.sections, bump=False)
        if self.people or self.places or self.sections or self.sources:
            self._bump(self.people, self.places, self.sections)
            self.changed, self.last_bump = False, time.monotonic()


def touch_unfinished(article_ids: list[int], batch: ImportBatch, touched: Touched) -> None:
    """Mark for recounting what articles written by an unfinished run link to.

    A run recounts stored counts once, at its end. A run that never got there (killed, or
    stopped by an error) leaves whole chunks of articles behind with their counts not yet
    updated; when a later run meets those articles again (as unchanged or duplicate), it
    recounts their source, section, people and places, so re-running finishes the job.
    """
    unfinished = list(
        ImportFile.objects.filter(
            article_id__in=article_ids, status__in=(Status.CREATED, Status.UPDATED)
        )
        .exclude(batch=batch)
        .exclude(batch__status=ImportBatch.Status.DONE)
        .values_list("article_id", flat=True)
        .distinct()
    )
    if not unfinished:
        return
    for source_id, section_id in Article.objects.filter(pk__in=unfinished).values_list(
        "source_id", "section_id"
    ):
        touched.sources.add(source_id)
        if section_id:
            touched.sections.add(section_id)
    touched.people |= set(
        ArticlePerson.objects.filter(article_id__in=unfinished).values_list("person_id", flat=True)
    )
    touched.places |= set(
        ArticlePlace.objects.filter(article_id__in=unfinished).values_list("place_id", flat=True)
    )
