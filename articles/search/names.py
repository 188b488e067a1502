"""Finding people, places and sections by name, despite typos ("Dronow" finds Dronov).

One method on both databases, so both give the same answer: the candidates are the names that
share the most trigrams (three-letter pieces) with what was typed (one query; on PostgreSQL the
pieces are ILIKEs served by the pg_trgm GIN index on ``UPPER(name)``, on SQLite a scan of the
name table); then every typed word must be the start of a word of the name, or within a small
edit distance of one. Closest first, then most covered.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from ..models import Person, Place, Section
from .query import _WORD_RE

# How many names sharing trigrams are compared letter by letter.
CANDIDATES = 200
MAX_GRAMS = 16


def fold(text: str) -> str:
    """Lower case without accents: "Erdoğan" -> "erdogan"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edit distance between ``a`` and ``b`` (insertions, deletions, substitutions and
    swaps of two neighbouring letters: "tlaks" is one edit from "talks"), or ``limit + 1``
    once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if before is not None and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def allowed_typos(word: str) -> int:
    return 0 if len(word) <= 3 else 1 if len(word) <= 6 else 2


def word_distance(typed: str, name_words: list[str]) -> int | None:
    """How far ``typed`` is from its closest word of the name (0 for a prefix); None if too
    far."""
    limit = allowed_typos(typed)
    best = None
    for word in name_words:
        if word.startswith(typed) and (len(typed) >= 3 or word == typed):
            return 0
        distance = edit_distance(typed, word, limit)
        # A typed word may also be a misspelt start of a longer name word ("Marwik" in
        # "Marwickson").
        if len(word) > len(typed):
            distance = min(distance, edit_distance(typed, word[: len(typed)], limit))
        if distance <= limit and (best is None or distance < best):
            best = distance
    return best


def name_distance(words: list[str], name: str) -> int | None:
    """The sum of each typed word's distance to the name, or None if one of them is too far."""
    name_words = [fold(w) for w in _WORD_RE.findall(name)]
    total = 0
    for typed in words:
        distance = word_distance(typed, name_words)
        if distance is None:
            return None
        total += distance
    return total


def _grams(words: list[str]) -> list[str]:
    grams: list[str] = []
    for word in words:
        pieces = [word] if len(word) <= 3 else [word[i : i + 3] for i in range(len(word) - 2)]
        grams += [g for g in pieces if g not in grams]
    return grams[:MAX_GRAMS]


def _typed_words(text: str) -> list[str]:
    return [fold(w) for w in _WORD_RE.findall(text or "")][:6]


def _name_lookup(queryset: QuerySet, text: str, limit: int) -> list:
    words = _typed_words(text)
    if sum(len(w) for w in words) < 2:
        return []
    grams = _grams(words)
    shared = [
        Case(When(name__icontains=g, then=Value(1)), default=Value(0), output_field=IntegerField())
        for g in grams
    ]
    condition = Q()
    for g in grams:
        condition |= Q(name__icontains=g)
    score = shared[0]
    for piece in shared[1:]:
        score = score + piece
    candidates = (
        queryset.filter(condition)
        .annotate(shared_grams=score)
        .order_by("-shared_grams", "-article_count", "name", "pk")[:CANDIDATES]
    )
    scored = []
    for row in candidates:
        distance = name_distance(words, row.name)
        if distance is not None:
            scored.append((distance, -row.article_count, row.name, row.pk, row))
    scored.sort(key=lambda t: t[:4])
    return [t[-1] for t in scored[:limit]]


def find_people(text: str, limit: int = 10) -> list[Person]:
    """People whose name looks like ``text`` (typos allowed), closest and most covered first."""
    return _name_lookup(Person.objects.entities(), text, limit)


def find_places(text: str, limit: int = 10) -> list[Place]:
    """Places whose name looks like ``text``; see ``find_people``."""
    return _name_lookup(Place.objects.entities().select_related("country"), text, limit)


def find_sections(text: str, limit: int = 10) -> list[Section]:
    """Sections whose name looks like ``text``; see ``find_people``."""
    return _name_lookup(Section.objects.all(), text, limit)


def correct_words(words: list[str], vocabulary: dict[str, tuple[int, str]]) -> dict[str, str]:
    """Typed words that are not in ``vocabulary`` (folded word -> (frequency, as written)),
    each mapped to the most frequent word within its allowed typos that starts with the same
    letter; words already known, or with nothing close, are left out."""
    corrections: dict[str, str] = {}
    for typed in words:
        folded = fold(typed)
        limit = allowed_typos(folded)
        if folded in vocabulary or not limit:
            continue
        best = None
        for word, (count, written) in vocabulary.items():
            if word[0] != folded[0] or abs(len(word) - len(folded)) > limit:
                continue
            distance = edit_distance(folded, word, limit)
            if distance <= limit:
                key = (distance, -count, word)
                if best is None or key < best[0]:
                    best = (key, written)
        if best:
            corrections[typed] = best[1].lower() if typed.islower() else best[1]
    return corrections


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A name that can filter a list: the list parameter and value, and what to show."""

    param: str
    value: str
    label: str
    kind: str
    url: str


def as_match(row) -> NameMatch:
    if isinstance(row, Person):
        return NameMatch("person", row.slug, row.name, "Person", row.get_absolute_url())
    if isinstance(row, Section):
        return NameMatch("section", row.path, row.full_name, "Section", row.get_absolute_url())
    if row.kind == Place.Kind.COUNTRY and row.iso_code:
        return NameMatch("country", row.iso_code, row.name, "Country", row.get_absolute_url())
    kind = row.get_kind_display().capitalize()
    label = f"{row.name}, {row.country.name}" if row.country_id and row.country else row.name
    return NameMatch("place", row.slug, label, kind, row.get_absolute_url())


def suggest_names(text: str, limit: int = 5) -> list[NameMatch]:
    """People, places and sections for a type-ahead: three queries, closest of each kind
    first, then the kinds interleaved by distance."""
    words = _typed_words(text)
    rows = [
        *find_people(text, limit),
        *find_places(text, limit),
        *find_sections(text, limit),
    ]
    rows.sort(key=lambda r: (name_distance(words, r.name) or 0, -r.article_count))
    return [as_match(r) for r in rows[:limit]]
