"""Editors' corrections to what extraction produced: merging duplicate people and places,
editing aliases, marking wrong extractions as not entities, and re-running extraction.

Each function is one transaction and leaves the stored ``article_count`` / ``mention_count``
right. The importer reads the same rows, so a correction made here holds for later imports:
a merged name resolves to the person kept, and a name marked not an entity is never linked
again.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Model

from .caching import bump_version_on_commit
from .importing import recount_entities, reparse_article, replace_entities
from .importing.rollups import RollupChange
from .models import Article, ArticlePerson, ArticlePlace, Person, Place

# Error messages are constants so tests (and the admin) can match them.
MERGE_SAME = "Choose two different records to merge."
MERGE_KEEP_MERGED = "{keep} was itself merged into {target}; merge into that record instead."
MERGE_ALREADY_MERGED = "{merge} was already merged into {target}."
MERGE_PLACE_KINDS = "Only places of the same kind can be merged ({keep} is a {a}, {merge} a {b})."


class CurationError(ValueError):
    """A correction that cannot be made, with a message for the editor."""


def clean_aliases(aliases: Iterable[str], *, name: str = "") -> list[str]:
    """Trimmed aliases without blanks, repeats (ignoring case) or the record's own name."""
    seen = {name.strip().lower()} if name else set()
    cleaned = []
    for alias in aliases:
        alias = " ".join(str(alias).split())[:200]
        if alias and alias.lower() not in seen:
            seen.add(alias.lower())
            cleaned.append(alias)
    return cleaned


def set_aliases(*, entity: Person | Place, aliases: Iterable[str]) -> list[str]:
    """Replace the aliases of a person or place (cleaned as :func:`clean_aliases`)."""
    entity.aliases = clean_aliases(aliases, name=entity.name)
    entity.save(update_fields=["aliases"])
    return entity.aliases


def _check_merge(keep: Model, merge: Model) -> None:
    if keep.pk == merge.pk:
        raise CurationError(MERGE_SAME)
    if keep.merged_into_id:
        raise CurationError(MERGE_KEEP_MERGED.format(keep=keep, target=keep.merged_into))
    if merge.merged_into_id:
        raise CurationError(MERGE_ALREADY_MERGED.format(merge=merge, target=merge.merged_into))


def _move_mentions(model, entity: str, keep, merge, combine, combined_fields: list[str]) -> None:
    """Move ``merge``'s mention rows (of ``model``, foreign key ``entity``) to ``keep``. Where
    both are linked to one article, the kept row adds the mentions and ``combine`` merges the
    rest of the two rows into it; the merged row goes. The monthly counts follow."""
    article_ids = list(model.objects.filter(**{entity: merge}).values_list("article_id", flat=True))
    rollups = RollupChange(article_ids)
    kept_links = {link.article_id: link for link in model.objects.filter(**{entity: keep})}
    moved, summed = [], []
    for link in model.objects.filter(**{entity: merge}):
        other = kept_links.get(link.article_id)
        if other is None:
            setattr(link, entity, keep)
            moved.append(link)
        else:
            other.mentions += link.mentions
            combine(other, link)
            summed.append(other)
    model.objects.filter(**{entity: merge}, article_id__in=list(kept_links)).delete()
    model.objects.bulk_update(moved, [entity])
    model.objects.bulk_update(summed, ["mentions", *combined_fields])
    rollups.commit(article_ids)


@transaction.atomic
def merge_people(*, keep: Person, merge: Person) -> Person:
    """Merge the person ``merge`` into ``keep``.

    Every mention moves to ``keep`` (mention counts add up where both were linked to the same
    article), ``merge``'s name and aliases become aliases of ``keep``, and ``merge`` points at
    ``keep`` through ``merged_into`` so its public page redirects and the importer maps its
    name to ``keep``. Returns ``keep``, refreshed.
    """
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    merge = Person.objects.select_for_update().get(pk=merge.pk)
    _check_merge(keep, merge)

    def keep_a_role(kept: ArticlePerson, merged: ArticlePerson) -> None:
        kept.role = kept.role or merged.role

    _move_mentions(ArticlePerson, "person", keep, merge, keep_a_role, ["role"])

    _absorb(keep, merge)
    recount_entities(person_ids=[keep.pk, merge.pk], place_ids=[])
    keep.refresh_from_db()
    return keep


@transaction.atomic
def merge_places(*, keep: Place, merge: Place) -> Place:
    """Merge the place ``merge`` into ``keep`` (two spellings of one city, say): as
    :func:`merge_people`. Cities of a merged country move to the country kept."""
    keep = Place.objects.select_for_update().get(pk=keep.pk)
    merge = Place.objects.select_for_update().get(pk=merge.pk)
    _check_merge(keep, merge)
    if keep.kind != merge.kind:
        raise CurationError(
            MERGE_PLACE_KINDS.format(keep=keep, merge=merge, a=keep.kind, b=merge.kind)
        )

    def named_directly_in_either(kept: ArticlePlace, merged: ArticlePlace) -> None:
        kept.via_city = kept.via_city and merged.via_city

    _move_mentions(ArticlePlace, "place", keep, merge, named_directly_in_either, ["via_city"])
    if merge.kind == Place.Kind.COUNTRY:
        Place.objects.filter(country=merge).update(country=keep)

    _absorb(keep, merge)
    recount_entities(person_ids=[], place_ids=[keep.pk, merge.pk])
    keep.refresh_from_db()
    return keep


def _absorb(keep: Person | Place, merge: Person | Place) -> None:
    """Names and redirects after the links have moved: ``merge``'s names become ``keep``'s
    aliases, and anything that pointed at ``merge`` now points at ``keep`` (no chains)."""
    bump_version_on_commit()
    model = type(keep)
    keep.aliases = clean_aliases([*keep.aliases, merge.name, *merge.aliases], name=keep.name)
    keep.save(update_fields=["aliases"])
    model.objects.filter(merged_into=merge).update(merged_into=keep)
    merge.merged_into = keep
    merge.save(update_fields=["merged_into"])


@transaction.atomic
def mark_not_entity(*, person: Person | None = None, place: Place | None = None) -> int:
    """Mark a wrongly extracted person or place as not an entity and unlink it everywhere.

    The row stays (with ``is_entity=False``) so the importer recognises the name and skips it:
    re-extraction never links it again. A city's articles also lose the link to its country
    when that link existed only because of this city. Returns the number of articles unlinked.
    """
    if (person is None) == (place is None):
        raise TypeError("mark_not_entity() takes exactly one of person= or place=")
    bump_version_on_commit()
    if person is not None:
        links = ArticlePerson.objects.filter(person=person)
        article_ids = list(links.values_list("article_id", flat=True))
        rollups = RollupChange(article_ids)
        links.delete()
        rollups.commit(article_ids)
        Person.objects.filter(pk=person.pk).update(is_entity=False)
        person.is_entity = False
        recount_entities(person_ids=[person.pk], place_ids=[])
        return len(article_ids)

    links = ArticlePlace.objects.filter(place=place)
    article_ids = list(links.values_list("article_id", flat=True))
    rollups = RollupChange(article_ids)
    links.delete()
    Place.objects.filter(pk=place.pk).update(is_entity=False)
    place.is_entity = False
    touched = [place.pk]
    if place.kind != Place.Kind.COUNTRY and place.country_id and article_ids:
        touched += _drop_orphan_country_links(place.country_id, article_ids)
    rollups.commit(article_ids)
    recount_entities(person_ids=[], place_ids=touched)
    return len(article_ids)


def _drop_orphan_country_links(country_id: int, article_ids: list[int]) -> list[int]:
    """Delete country links that were there only through a city no longer linked."""
    still_via_a_city = ArticlePlace.objects.filter(
        article_id__in=article_ids, place__country_id=country_id
    ).values_list("article_id", flat=True)
    orphans = ArticlePlace.objects.filter(
        article_id__in=article_ids, place_id=country_id, via_city=True, mentions=0
    ).exclude(article_id__in=list(still_via_a_city))
    return [country_id] if orphans.delete()[0] else []


def reextract_articles(articles: Iterable[Article]) -> int:
    """Parse the stored original text of each article again and replace its people and places
    with what extraction finds now (names marked not an entity stay out; merged names go to
    the person kept). Article text fields are left as they are. Returns the count done."""
    pairs = []
    for article in articles:
        parsed = reparse_article(article)
        if parsed.error:
            continue
        pairs.append((article, parsed))
    replace_entities(pairs)
    return len(pairs)
