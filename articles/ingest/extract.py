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
from .names import strip_possessive, surname_forms
from .people import PeopleFinder, PersonFound
from .places import PlaceFinder
from .types import ParsedArticle, PersonMention, PlaceMention


def article_segments(parsed: ParsedArticle) -> list[str]:
    """The texts extraction reads: headline, caption, then the body blocks."""
    segments = [parsed.headline, parsed.caption]
    segments.extend(b.text for b in parsed.blocks)
    return [s for s in segments if s]


WORD_SPAN = re.compile(r"\S+")


def count_people(
    people: list[PersonFound], chunks: list[tuple[int, str]]
) -> tuple[list[PersonMention], list[tuple[int, int]]]:
    """Mentions per person, and the character spans (in the joined text) to mask for places.

    Works on the capitalised runs the people finder already cut out of the text: within each
    run, the longest run of words that is a person's name or short form is a mention."""
    if not people:
        return [], []
    owner = _forms_owners(people)
    # A bare first name ("Jordan is a big personality") is masked for places, not counted.
    mask_only = {(p.name.split()[0],) for p in people if " " in p.name} - owner.keys()
    longest = max(len(k) for k in owner)
    counts: dict[str, int] = {p.name: 0 for p in people}
    seen_forms: dict[str, set[str]] = {p.name: set() for p in people}
    spans: list[tuple[int, int]] = []
    last_full: PersonFound | None = None
    for start, run in chunks:
        words = run.split()
        if len(words) == 1:
            # Most runs are one word: a dictionary lookup, no offsets needed.
            word = strip_possessive(words[0])
            key = (word,)
            if key in owner:
                person = _owner_of(owner[key], last_full)
                if word == person.name:
                    last_full = person
                else:
                    seen_forms[person.name].add(word)
                counts[person.name] += 1
                spans.append((start, start + len(run)))
            elif key in mask_only:
                spans.append((start, start + len(run)))
            continue
        offsets = [(m.start(), m.end()) for m in WORD_SPAN.finditer(run)]
        bare = [strip_possessive(w) for w in words]
        i = 0
        while i < len(words):
            for k in range(min(longest, len(words) - i), 0, -1):
                key = tuple(words[i : i + k - 1]) + (bare[i + k - 1],)
                if key in owner:
                    person = _owner_of(owner[key], last_full)
                    form = " ".join(key)
                    if form == person.name:
                        last_full = person
                    else:
                        seen_forms[person.name].add(form)
                    counts[person.name] += 1
                    spans.append((start + offsets[i][0], start + offsets[i + k - 1][1]))
                    i += k
                    break
                if k == 1 and key in mask_only:
                    spans.append((start + offsets[i][0], start + offsets[i][1]))
            else:
                i += 1
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


def _forms_owners(people: list[PersonFound]) -> dict[tuple[str, ...], list[PersonFound]]:
    """Each name and short form (as a word tuple) -> the people who have it."""
    owner: dict[tuple[str, ...], list[PersonFound]] = {}
    for p in people:
        for form in [p.name, *surname_forms(p.name), *sorted(p.aliases)]:
            holders = owner.setdefault(tuple(form.split()), [])
            if p not in holders:
                holders.append(p)
    return owner


def _owner_of(candidates: list[PersonFound], last_full: PersonFound | None) -> PersonFound:
    """Whose short form is this? The one person who has it, else the last one named in full
    ("Assad" after "Bashar al-Assad", not after "Hafez al-Assad")."""
    if len(candidates) == 1 or last_full not in candidates:
        return candidates[0]
    return last_full


def extract_entities(parsed: ParsedArticle) -> None:
    """Fill ``parsed.people`` and ``parsed.places`` from the article's text."""
    gaz = get_gazetteer()
    segments = article_segments(parsed)
    chunks: list[tuple[int, str]] = []
    people = PeopleFinder(gaz).find(segments, chunks, headline=bool(parsed.headline))
    parsed.people, masked = count_people(people, chunks)
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
