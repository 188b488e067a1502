"""The name registry: name -> row caches for sources, sections, people and places, filled
lazily once per run, so a chunk resolves its names without a query per mention."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..ingest.archive_names import resolve_surname
from ..ingest.parser import UNKNOWN_SOURCE
from ..models import Person, Place, Section, Source
from ..slugs import slug_for
from .limits import clip

# Known sources' web sites, shown on the source's page.
SOURCE_WEBSITES = {"Press TV": "www.presstv.ir", "BBC News": "www.bbc.co.uk/news"}


class _SourceSlugs:
    """The slugs sources have in the database, for :func:`slug_for`."""

    def __contains__(self, slug: object) -> bool:
        return Source.objects.filter(slug=slug).exists()


# "Assad" is also the surname of "Bashar al-Assad".
AL_PREFIXES = ("al-", "el-", "ad-", "ash-", "as-", "ar-")


@dataclass
class Registry:
    """Name -> row caches for sources, sections, people and places, filled lazily."""

    sources: dict[str, Source] = field(default_factory=dict)
    sections: dict[tuple[str, ...], Section | None] = field(default_factory=dict)
    people_loaded: bool = False
    person_by_key: dict[str, int] = field(default_factory=dict)  # lowercased name/alias -> id
    person_blocked: set[str] = field(default_factory=set)  # names marked not an entity
    person_by_surname: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    person_slugs: set[str] = field(default_factory=set)
    person_name: dict[int, str] = field(default_factory=dict)  # id -> name, full names only
    new_aliases: dict[int, set[str]] = field(default_factory=dict)  # surname mentions to record
    places_loaded: bool = False
    country_by_iso: dict[str, int] = field(default_factory=dict)
    place_by_key: dict[tuple[str, str, str], int] = field(default_factory=dict)
    place_blocked: set[tuple[str, str, str]] = field(default_factory=set)
    place_slugs: set[str] = field(default_factory=set)

    def source(self, name: str) -> Source:
        name = clip(name.strip() or UNKNOWN_SOURCE, 200)
        if name not in self.sources:
            source = Source.objects.filter(name=name).first()
            if source is None:
                slug = slug_for(name, fallback="source", max_length=190, taken=_SourceSlugs())
                source = Source.objects.create(
                    name=name, slug=slug, website=SOURCE_WEBSITES.get(name, "")
                )
            self.sources[name] = source
        return self.sources[name]

    def section(self, names: list[str]) -> Section | None:
        key = tuple(clip(n.strip(), 200) for n in names if n and n.strip())
        if key not in self.sections:
            self.sections[key] = Section.get_or_create_path(list(key)) if key else None
        return self.sections[key]

    # People ----------------------------------------------------------------------------------

    def load_people(self) -> None:
        if self.people_loaded:
            return
        # Names and slugs come from one query, so they describe the same moment: read apart,
        # a person another import commits in between would have a taken slug but an unknown
        # name, and be created a second time under "<slug>-2".
        rows = Person.objects.values_list(
            "id", "name", "slug", "aliases", "is_entity", "merged_into_id"
        )
        merged: dict[int, int] = {}
        slugs: set[str] = set()
        for pk, name, slug, aliases, is_entity, merged_into in rows.iterator(chunk_size=5000):
            slugs.add(slug)
            keys = [name, *(aliases or [])]
            if merged_into:
                merged[pk] = merged_into
            for key in keys:
                low = key.lower()
                if not is_entity and not merged_into:
                    self.person_blocked.add(low)
                else:
                    self.person_by_key.setdefault(low, pk)
            if is_entity and not merged_into:
                self.index_surname(name, pk)
        # Names of merged people resolve to the person they were merged into.
        for key, pk in list(self.person_by_key.items()):
            seen = set()
            while pk in merged and pk not in seen:
                seen.add(pk)
                pk = merged[pk]
            self.person_by_key[key] = pk
        self.person_slugs = slugs
        self.people_loaded = True

    def index_surname(self, name: str, pk: int) -> None:
        parts = name.split()
        if len(parts) > 1:
            self.person_name[pk] = name
            surname = parts[-1].lower()
            self.person_by_surname[surname].add(pk)
            if surname.startswith(AL_PREFIXES):
                self.person_by_surname[surname.split("-", 1)[1]].add(pk)

    def resolve_person(self, name: str) -> int | None | bool:
        """The id of a known person for ``name``; False when the name is blocked; None when
        unknown. A surname alone is attached to the one person with that surname, if only one."""
        low = name.lower()
        if low in self.person_blocked:
            return False
        if " " not in name:
            candidates = [(pk, self.person_name[pk]) for pk in self.person_by_surname.get(low, ())]
            pk = resolve_surname(name, candidates)
            if pk is not None:
                if self.person_by_key.get(low) != pk:  # "Reagan" becomes Ronald Reagan's alias
                    self.person_by_key[low] = pk
                    self.new_aliases.setdefault(pk, set()).add(name)
                return pk
        if low in self.person_by_key:
            return self.person_by_key[low]
        if " " not in name:
            candidates = self.person_by_surname.get(low, set())
            if len(candidates) == 1:
                return next(iter(candidates))
        return None

    def new_person_slug(self, name: str) -> str:
        slug = slug_for(name, fallback="person", max_length=190, taken=self.person_slugs)
        self.person_slugs.add(slug)
        return slug

    # Places ----------------------------------------------------------------------------------

    def load_places(self) -> None:
        if self.places_loaded:
            return
        rows = Place.objects.values_list(  # one query for names and slugs, as for people
            "id", "name", "slug", "kind", "iso_code", "aliases", "is_entity", "merged_into_id"
        )
        slugs: set[str] = set()
        for pk, name, slug, kind, iso, aliases, is_entity, merged_into in rows.iterator(
            chunk_size=5000
        ):
            slugs.add(slug)
            target = merged_into or pk
            for alias in [name, *(aliases or [])]:
                key = (kind, iso, alias.lower())
                if not is_entity and not merged_into:
                    self.place_blocked.add(key)
                else:
                    self.place_by_key.setdefault(key, target)
            if kind == Place.Kind.COUNTRY and is_entity and not merged_into:
                self.country_by_iso[iso] = pk
        self.place_slugs = slugs
        self.places_loaded = True

    def resolve_place(self, name: str, kind: str, iso: str) -> int | None:
        iso = (iso or "").upper()
        key = (kind, iso, name.lower())
        if key in self.place_blocked:
            return None
        if kind == Place.Kind.COUNTRY and iso and key not in self.place_by_key:
            return self.country_by_iso.get(iso)
        return self.place_by_key.get(key)

    def new_place_slug(self, name: str, iso: str) -> str:
        slug = slug_for(
            name, fallback="place", max_length=180, taken=self.place_slugs, qualifier=iso
        )
        self.place_slugs.add(slug)
        return slug

    def forget_new_rows(self) -> None:
        """After a rolled-back chunk, rows created in it are gone: reload on next use."""
        self.sources.clear()
        self.sections.clear()
        self.people_loaded = False
        self.person_by_key.clear()
        self.person_blocked.clear()
        self.person_by_surname.clear()
        self.person_name.clear()
        self.new_aliases.clear()
        self.places_loaded = False
        self.country_by_iso.clear()
        self.place_by_key.clear()
        self.place_blocked.clear()
