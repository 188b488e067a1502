"""Datelines: the place (and day) that open a news story ("WASHINGTON, March 2 -").

Recognised at the start of the first paragraph (or of a paragraph within the first three,
in wire copy that prints the dateline on its first indented line):

- ``PLACE, Month D -``: ``LONDON, March 26 - The Bank of England...``;
- ``PLACE -`` / ``PLACE, State. -``: ``TEHRAN –``, ``YUMA, Ariz. –``, ``WASHINGTON —``;
- the dash may be ``-``, ``--``, ``–`` or ``—``, with an optional agency ``(Reuters)``.

The place is upper case (``NEW YORK``, ``ST. LOUIS``), or, only at the very start of the
body, one to three capitalised words (``Geneva -``). The dateline stays in the paragraph (it
is part of the story as printed); ``Dateline.text`` is the words, ``place`` the place as a
reader writes it ("Washington", "Yuma, Ariz."), ``month``/``day`` its day, if any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Dateline", "find_dateline", "headline_day"]

_MONTHS = (
    "Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    "Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
_MONTH_ABBREVIATIONS = "jan feb mar apr may jun jul aug sep oct nov dec"
_MONTH_NUMBER = {m: i for i, m in enumerate(_MONTH_ABBREVIATIONS.split(), 1)}
_UPPER_PLACE = r"[A-Z][A-Z.'’-]*(?:\s+[A-Z][A-Z.'’-]*){0,3}"
_TITLE_PLACE = r"[A-Z][a-zà-ÿ'’-]+(?:\s+[A-Z][a-zà-ÿ'’-]+){0,2}"
_STATE = r"(?:,\s+(?P<state>[A-Z][A-Za-z]{1,5}\.(?:\s?[A-Z][a-z]?\.)?|[A-Z][a-z]{2,14}))?"
_DAY = rf"(?:,\s+(?P<month>{_MONTHS})\.?\s+(?P<day>[0-3]?\d)\b)?"
_TAIL = r"\s*(?:\((?:Reuters|AP|AFP|UPI|IANS|Xinhua)\)\s*)?(?:--?|–|—)\s+(?=[\"“‘'A-Z0-9(])"
UPPER_DATELINE_RE = re.compile(rf"(?P<place>{_UPPER_PLACE}){_STATE}{_DAY}{_TAIL}")
TITLE_DATELINE_RE = re.compile(rf"(?P<place>{_TITLE_PLACE}){_STATE}{_DAY}{_TAIL}")
# Capitalised words that open sentences, not datelines: "But -", "UPDATE -".
_NOT_PLACES = frozenset(
    [
        "A",
        "AN",
        "THE",
        "BUT",
        "AND",
        "OR",
        "SO",
        "IF",
        "UPDATE",
        "NOTE",
        "CORRECTED",
        "CORRECTION",
        "REUTER",
        "REUTERS",
        "EDITORS",
        "URGENT",
        "FLASH",
        "BULLETIN",
        "WATCH",
        "VIDEO",
        "PHOTO",
        "UPDATED",
        "BREAKING",
        "EXCLUSIVE",
        "ANALYSIS",
        "OPINION",
    ]
)
MAX_PLACE_CHARS = 40


@dataclass(frozen=True, slots=True)
class Dateline:
    text: str  # the dateline as written, without the dash: "WASHINGTON, March 2"
    place: str  # "Washington", "Yuma, Ariz."; "" for a headline's day
    month: int | None = None
    day: int | None = None
    where: str = "dateline"  # or "headline": "LME METAL VOLUMES - APR 7"


def _readable(place: str) -> str:
    """ "NEW YORK" -> "New York", "ST. LOUIS" -> "St. Louis"; mixed case stays."""
    if not place.isupper():
        return place
    return " ".join(
        w.capitalize() if len(w) > 2 or "." not in w else w.title() for w in place.split()
    )


HEADLINE_DAY_RE = re.compile(
    rf"\s[-–—]+\s*(?P<text>(?P<month>{_MONTHS.upper()})\.?\s+(?P<day>[0-3]?\d))\s*$"
)


def find_dateline(paragraphs: list[str], *, allow_title_case: bool = True) -> Dateline | None:
    """The dateline opening the first paragraph (or, with a day, one of the first three),
    or None."""
    for index, text in enumerate(paragraphs[:3]):
        match = UPPER_DATELINE_RE.match(text)
        if not match and index == 0 and allow_title_case:
            match = TITLE_DATELINE_RE.match(text)
        if match and (dateline := _dateline(match)) and (index == 0 or dateline.day):
            return dateline
    return None


def headline_day(headline: str) -> Dateline | None:
    """A wire headline's closing day after a dash ("... HIGHLIGHTS 0700 GMT - APRIL 7")."""
    match = HEADLINE_DAY_RE.search(headline)
    if not match:
        return None
    day = int(match.group("day"))
    if not 1 <= day <= 31:
        return None
    month = _MONTH_NUMBER[match.group("month")[:3].lower()]
    return Dateline(text=match.group("text"), place="", month=month, day=day, where="headline")


def _dateline(match: re.Match[str]) -> Dateline | None:
    place = match.group("place").strip()
    if place.upper() in _NOT_PLACES or len(place) > MAX_PLACE_CHARS or len(place) < 2:
        return None
    if len(place.split()) > 3:
        return None
    if not place[-1].isalpha() and not place.endswith("."):
        return None
    readable = _readable(place)
    if match.group("state"):
        readable += ", " + match.group("state")
    month = day = None
    if match.group("month"):
        month = _MONTH_NUMBER[match.group("month")[:3].lower()]
        day = int(match.group("day"))
        if not 1 <= day <= 31:
            return None
    text = match.group(0).rstrip()
    text = re.sub(r"\s*(?:--?|–|—)$", "", text).strip()
    return Dateline(text=text, place=readable, month=month, day=day)
