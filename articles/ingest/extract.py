"""People and places extraction, model-free.

Contract: ``extract_entities(parsed)`` fills ``parsed.people`` and ``parsed.places`` in place
from the parsed article's headline, caption and blocks. Pure Python, no Django, no model.

Order matters: people are found first and their names (full and short forms) masked, so
"Vladimir Putin" never yields the Russian city of Vladimir; then places are matched against the
gazetteer and resolved.

Mentions semantics (see docs/extraction.md):
- a person's ``mentions`` counts the full name and every short form (Putin, Peskov's, Assad);
- a country's ``mentions`` counts its own names and adjectives (Russia, Russian, Russia's);
- a city or region is listed separately with its own count, and its country is listed too,
  with ``mentions=0`` when the article never names the country itself.
"""

from __future__ import annotations

import re

from .gazetteer import Country, get_gazetteer
from .people import PeopleFinder, PersonFound, surname_forms
from .places import PlaceFinder
from .types import ParsedArticle, PersonMention, PlaceMention


def article_segments(parsed: ParsedArticle) -> list[str]:
    """The texts extraction reads: headline, caption, then the body blocks."""
    segments = [parsed.headline, parsed.caption]
    segments.extend(b.text for b in parsed.blocks)
    return [s for s in segments if s]


def _person_pattern(forms: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def count_people(
    people: list[PersonFound], segments: list[str]
) -> tuple[list[PersonMention], list[tuple[int, int]]]:
    """Mentions per person, and the character spans (in the joined text) to mask for places."""
    if not people:
        return [], []
    owner: dict[str, list[PersonFound]] = {}
    for p in people:
        owner.setdefault(p.name, []).append(p)
        for form in {*surname_forms(p.name), *p.aliases}:
            if p not in owner.setdefault(form, []):
                owner[form].append(p)
    pattern = _person_pattern(list(owner))
    # A bare first name ("Jordan is a big personality") is masked for places, not counted.
    first_names = {
        p.name.split()[0] for p in people if " " in p.name and p.name.split()[0] not in owner
    }
    mask_only = _person_pattern(sorted(first_names)) if first_names else None
    counts: dict[str, int] = {p.name: 0 for p in people}
    seen_forms: dict[str, set[str]] = {p.name: set() for p in people}
    spans: list[tuple[int, int]] = []
    offset = 0
    last_full: PersonFound | None = None
    for text in segments:
        for m in pattern.finditer(text):
            form = m.group()
            candidates = owner[form]
            if len(candidates) == 1:
                person = candidates[0]
            elif last_full in candidates:
                person = last_full  # "Assad" after "Bashar al-Assad", not after "Hafez"
            else:
                person = candidates[0]
            if form == person.name:
                last_full = person
            else:
                seen_forms[person.name].add(form)
            counts[person.name] += 1
            spans.append((offset + m.start(), offset + m.end()))
        if mask_only is not None:
            spans.extend((offset + m.start(), offset + m.end()) for m in mask_only.finditer(text))
        offset += len(text) + 1
    mentions = [
        PersonMention(
            name=p.name,
            mentions=max(counts[p.name], 1),
            role=p.role,
            aliases=sorted(seen_forms[p.name]),
        )
        for p in people
    ]
    mentions.sort(key=lambda pm: -pm.mentions)
    return mentions, spans


def extract_entities(parsed: ParsedArticle) -> None:
    """Fill ``parsed.people`` and ``parsed.places`` from the article's text."""
    gaz = get_gazetteer()
    segments = article_segments(parsed)
    people = PeopleFinder(gaz).find(segments)
    parsed.people, masked = count_people(people, segments)
    masked.sort()

    finder = PlaceFinder(gaz)
    hits = []
    offset = 0
    for text in segments:
        hits.extend(finder.scan(text, offset, masked))
        offset += len(text) + 1
    places = []
    for pf in finder.resolve(hits):
        t = pf.target
        if isinstance(t, Country):
            places.append(
                PlaceMention(
                    name=t.name,
                    kind="country",
                    country_code=t.iso,
                    mentions=pf.mentions,
                    geonames_id=t.geonames_id,
                    latitude=t.latitude,
                    longitude=t.longitude,
                    population=t.population,
                )
            )
        else:
            places.append(
                PlaceMention(
                    name=t.name,
                    kind=pf.kind,
                    country_code=t.country,
                    mentions=pf.mentions,
                    geonames_id=t.geonames_id,
                    latitude=t.latitude,
                    longitude=t.longitude,
                    population=getattr(t, "population", None),
                )
            )
    parsed.places = places
