"""Across stories: which of the archive's people a surname-only mention ("Reagan") belongs to.

A pure decision, no database: the importer passes the mention and the archive's people whose
surname it is, and records the mention as an alias of the person returned.
"""

from __future__ import annotations

from collections.abc import Iterable

from .names import LEADING_STOP, TITLES, strip_possessive, surname_forms


def _full_forms(name: str) -> set[str]:
    return {f.casefold() for f in surname_forms(name)}


def _same_full_name(a: str, b: str) -> bool:
    """ "Ronald Reagan" and "Ronald W. Reagan": same first and last word."""
    wa, wb = a.casefold().split(), b.casefold().split()
    return wa[0] == wb[0] and wa[-1] == wb[-1]


def resolve_surname(mention: str, candidates: Iterable[tuple[int, str]]) -> int | None:
    """The id of the one archive person a surname-only ``mention`` names, else None.

    ``candidates`` are (id, name) of the archive's people. Only full names count (one-word
    rows such as an earlier "Reagan" are what this resolution replaces); the mention must be
    one of a candidate's short forms (Reagan, Assad for al-Assad, Xi for Xi Jinping); and all
    the candidates it fits must be one person written in full ("Ronald Reagan", "Ronald W.
    Reagan"). "Reagan" with both Ronald and Nancy Reagan in the archive is ambiguous: None.
    A title or sentence-start word ("President", "One") is never a surname."""
    word = strip_possessive(mention.strip())
    if not word or " " in word or word in TITLES or word in LEADING_STOP:
        return None
    key = word.casefold()
    fits = [(pk, name) for pk, name in candidates if " " in name and key in _full_forms(name)]
    if not fits:
        return None
    first_name = fits[0][1]
    if all(_same_full_name(name, first_name) for _, name in fits):
        # Several rows of one person: the one that appeared first (lowest id) is the person.
        return min(pk for pk, _ in fits)
    return None
