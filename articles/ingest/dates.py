"""Publication-date inference from an article's own words (DESIGN.md "Input files").

The archive's files carry no date field, so we read the date the way a careful reader would,
and say how we got it. Rules, strongest first:

1. A full date in the photo caption ("... in Moscow on February 25, 2022.") -> ``explicit``:
   the photo shows the news of the day. Not when the caption is a file photo.
2. A full date in the headline or body confirmed by its weekday -> ``explicit``: the weekday
   is written with it ("Friday, February 25, 2022"), or the same paragraph says "on Friday"
   and February 25, 2022 was a Friday. With several, the latest wins.
3. ``inferred``, when derived:
   - a weekday relative to a stated date in the same paragraph ("talks opened on February
     22, 2022 ... on Friday" -> the Friday after, 2022-02-25);
   - a month and day without a year, with its weekday ("Friday, 25 February", or "on
     Friday" in the same paragraph), when the text mentions exactly one year and that day
     falls on that weekday in it.
4. Backdrop dates never count: a date preceded in its sentence by "since", "signed",
   "until", "ago", "the three months to", "will", "scheduled", an earlier year ("the 2015
   deal signed on July 14, 2015")... A historical date loses to a later one stated in the
   same text, and a date in the future (after today) is never taken.
5. Nothing supports a date -> ``(None, "unknown", "")``. A date alone in the body, with no
   weekday to confirm it, is not taken: it may be any date the story mentions.

A weekday word is "on Friday", "Friday's", "last Friday", "Friday night"... but not plurals
("on Fridays"), future ones ("next Friday") or named days ("Good Friday", "Super Tuesday").
Evidence is a short sentence quoting the words used (at most 300 characters).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .types import Block

__all__ = ["infer_date"]

EXPLICIT = "explicit"
INFERRED = "inferred"
UNKNOWN = "unknown"

MAX_EVIDENCE = 300

# The publication dates the archive accepts from outside (the ingest command's --date, the
# admin upload's and the admin edit's Date field). Inferred dates are 1900-2099 by
# construction. Pages render whatever is stored anyway (docs/reliability.md).
EARLIEST_DATE = dt.date(1800, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
ERR_DATE_RANGE = (
    "{date} is outside the archive's range: a publication date must be between "
    f"{EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}"
)


def date_range_error(day: dt.date | None) -> str | None:
    """The message refusing ``day``, or None when it may be stored."""
    if day is None or EARLIEST_DATE <= day <= LATEST_DATE:
        return None
    return ERR_DATE_RANGE.format(date=f"{day.year:04d}-{day.month:02d}-{day.day:02d}")


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY_INDEX = {name: i for i, name in enumerate(WEEKDAYS)}

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

# Scanning is anchored on literal words (month names, weekday names, years) and looks around
# each hit with small anchored patterns: patterns that start with a literal let the regex
# engine skip ahead fast, which matters over 30,000 files.
_MONTH_RE = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAY_RE = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day")
_ISO_RE = re.compile(r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_DAY_AFTER_RE = re.compile(r"\s+(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b")
_YEAR_AFTER_RE = re.compile(r",?\s+(?P<year>(?:19|20)\d\d)(?![\d-])")
_DAY_BEFORE_RE = re.compile(r"(?<!\d)(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\s+(?:of\s+)?\Z")
_WEEKDAY_BEFORE_RE = re.compile(
    r"(?<![A-Za-z])(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+"
    r"(?:the\s+)?\Z"
)
_WORD_BEFORE_RE = re.compile(r"(?P<word>[A-Za-z]+)\s+\Z")

# Weekdays that name something else, or a day still to come.
_NOT_A_NEWS_DAY = frozenset(
    [
        "good",
        "black",
        "super",
        "ash",
        "cyber",
        "holy",
        "maundy",
        "easter",
        "palm",
        "bloody",
        "next",
        "coming",
        "following",
    ]
)
# Words that make a date a backdrop when they precede it in its sentence.
BACKDROP_RE = re.compile(
    r"\b(?:since|until|till|ago|signed|sealed|agreed|concluded|ratified|adopted|founded|"
    r"established|born|died|dated|anniversary|back\s+in|as\s+early\s+as|earlier\s+in|"
    r"previous|former|last\s+year|years?\s+before|ended|ending|"
    r"(?:months?|weeks?|years?|quarter|period|days?|half)\s+(?:to|ending|ended))\b",
    re.IGNORECASE,
)
# Words that only make a backdrop right before the date: "from March 1", "by March 4"; but
# "walk through the venue ... on March 1" and "from the touchline ... on March 1" are news.
BACKDROP_JUST_BEFORE_RE = re.compile(
    r"\b(?:from|through|between|before|after|by|to)\s+(?:the\s+)?$", re.IGNORECASE
)
# Words that make a date one still to come when they precede it in its sentence.
FUTURE_RE = re.compile(
    r"\b(?:will|would|shall|scheduled|due|set\s+to|plans?|planned|expected|to\s+be\s+held|"
    r"next|upcoming|deadline)\b",
    re.IGNORECASE,
)
_SENTENCE_END_RE = re.compile(r"[.!?](?:\s|$)")
_FILE_PHOTO_RE = re.compile(r"\bfile\b", re.IGNORECASE)


@dataclass(slots=True)
class _Found:
    """A date written in the text: full (with a year) or month-and-day only."""

    date: dt.date | None  # month-and-day dates carry year 2000 until a year is chosen
    where: str  # "caption" | "headline" | "body"
    block: int  # index of the block (-1 for headline and caption)
    start: int
    end: int
    matched: str
    weekday: int | None  # the weekday written with it ("Friday, February 25"), if any
    backdrop: bool

    @property
    def weekday_attached(self) -> bool:
        """The date carries its own, correct, weekday."""
        return (
            self.weekday is not None
            and self.date is not None
            and (self.weekday == self.date.weekday())
        )


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _is_backdrop(text: str, start: int, year: int | None) -> bool:
    """True when the words before the date, in its sentence, make it a historical marker or
    a date still to come: either way not the day of the news. ``year`` is the date's own
    year (None for a month and day, which the sentence's year dates rather than contradicts).
    """
    window = text[max(0, start - 120) : start]
    ends = list(_SENTENCE_END_RE.finditer(window))
    if ends:
        window = window[ends[-1].end() :]
    if BACKDROP_RE.search(window) or FUTURE_RE.search(window):
        return True
    if BACKDROP_JUST_BEFORE_RE.search(window):
        return True
    # "the 2015 deal signed on July 14, 2015" / "in 2015, on July 14, 2015": the sentence
    # already placed the event in a year of its own.
    return year is not None and any(y <= year for y in _years(window))


def _years(text: str) -> list[int]:
    """Stand-alone years (1900-2099) in a text: not part of a longer number or an ISO date."""
    out = []
    for m in _YEAR_RE.finditer(text):
        s, e = m.start(), m.end()
        if (s and (text[s - 1].isdigit() or text[s - 1] == "-")) or (
            e < len(text) and (text[e].isdigit() or text[e] == "-")
        ):
            continue
        out.append(int(m.group()))
    return out


def _scan_segment(where: str, block: int, text: str) -> tuple[list[_Found], list[_Found]]:
    """(full dates, month-and-day dates) in one piece of text."""
    full: list[_Found] = []
    partial: list[_Found] = []
    for m in _MONTH_RE.finditer(text):
        s, e = m.start(), m.end()
        if (s and text[s - 1].isalpha()) or (e < len(text) and text[e].isalpha()):
            continue  # "Mayor", "Marching", "Decade"
        month = _MONTHS[m.group().rstrip(".").lower()]
        start = end = None
        day_after = _DAY_AFTER_RE.match(text, e)
        if day_after:
            day, start, end = int(day_after.group("day")), s, day_after.end()
        elif day_before := _DAY_BEFORE_RE.search(text, max(0, s - 12), s):
            day, start, end = int(day_before.group("day")), day_before.start(), e
        else:
            continue
        year_after = _YEAR_AFTER_RE.match(text, end)
        if year_after:
            end = year_after.end()
        wd_before = _WEEKDAY_BEFORE_RE.search(text, max(0, start - 16), start)
        if wd_before:
            start = wd_before.start()
        year = int(year_after.group("year")) if year_after else None
        found = _Found(
            date=_make_date(year or 2000, month, day),  # 2000 is a leap year: Feb 29 passes
            where=where,
            block=block,
            start=start,
            end=end,
            matched=text[start:end],
            weekday=_WEEKDAY_INDEX[wd_before.group("wd")] if wd_before else None,
            backdrop=False,
        )
        if found.date is None:
            continue
        if year:
            found.backdrop = _is_backdrop(text, start, year)
            full.append(found)
        else:
            partial.append(found)
    for m in _ISO_RE.finditer(text):
        s, e = m.start(), m.end()
        if (s and (text[s - 1].isdigit() or text[s - 1] == "-")) or (
            e < len(text) and (text[e].isdigit() or text[e] == "-")
        ):
            continue
        date = dt.date.fromisoformat(m.group()) if _valid_iso(m.group()) else None
        if date:
            full.append(
                _Found(date, where, block, s, e, m.group(), None, _is_backdrop(text, s, date.year))
            )
    return full, partial


def _valid_iso(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _scan_weekdays(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """(weekday number, the words) for the news-day weekday words of one text."""
    out = []
    for m in _WEEKDAY_RE.finditer(text):
        s, e = m.start(), m.end()
        if (s and text[s - 1].isalpha()) or (e < len(text) and text[e].isalpha()):
            continue  # "Fridays" (habitual), "Sundayschool"
        if any(a <= s < b for a, b in taken):
            continue  # part of a date already, e.g. "Friday, February 25, 2022"
        before = _WORD_BEFORE_RE.search(text, max(0, s - 20), s)
        prev = before.group("word").lower() if before else ""
        if prev in _NOT_A_NEWS_DAY:
            continue
        phrase = (
            text[before.start() : e] if prev in ("on", "last", "this", "earlier") else m.group()
        )
        out.append((_WEEKDAY_INDEX[m.group()], phrase))
    return out


def _evidence(text: str) -> str:
    return text if len(text) <= MAX_EVIDENCE else text[: MAX_EVIDENCE - 1] + "…"


def infer_date(
    headline: str, caption: str, blocks: Sequence[Block]
) -> tuple[dt.date | None, str, str]:
    """Return ``(date or None, how, evidence)``; ``how`` is explicit / inferred / unknown."""
    segments: list[tuple[str, int, str]] = [("headline", -1, headline), ("caption", -1, caption)]
    segments += [("body", i, b.text) for i, b in enumerate(blocks)]

    full: list[_Found] = []
    partial: list[_Found] = []
    # (where, block, weekday, phrase) for every news-day weekday word
    weekday_words: list[tuple[str, int, int, str]] = []
    for where, block, text in segments:
        seg_full, seg_partial = _scan_segment(where, block, text)
        full += seg_full
        partial += seg_partial
        taken = [(f.start, f.end) for f in (*seg_full, *seg_partial) if f.weekday is not None]
        weekday_words += [(where, block, wd, p) for wd, p in _scan_weekdays(text, taken)]
    named: dict[int, str] = {}
    for *_pos, wd, phrase in weekday_words:
        named.setdefault(wd, phrase)  # the first mention is the one quoted

    today = dt.date.today()
    stated = [f for f in full if f.date and not f.backdrop and f.date <= today]
    latest_stated = max((f.date for f in stated), default=None)
    in_block = _weekdays_by_block(weekday_words)

    # 1. The caption, unless it is a file photo.
    if not _FILE_PHOTO_RE.search(caption):
        in_caption = [f for f in stated if f.where == "caption"]
        if in_caption:
            best = max(in_caption, key=lambda f: f.date)
            why = f'caption says "{best.matched}"'
            wd = best.date.weekday()
            if wd in named:
                why += f'; a {WEEKDAYS[wd]}, and the text says "{named[wd]}"'
            return best.date, EXPLICIT, _evidence(why)

    # 2. A full date confirmed by its weekday.
    supported = [
        f
        for f in stated
        if (f.weekday_attached or f.date.weekday() in in_block.get((f.where, f.block), {}))
        and latest_stated is not None
        and f.date.year == latest_stated.year  # not history next to a later date
    ]
    if supported:
        best = max(supported, key=lambda f: f.date)
        if best.weekday_attached:
            why = f'{best.where} says "{best.matched}"'
        else:
            wd = best.date.weekday()
            said = in_block[(best.where, best.block)][wd]
            why = f'{best.where} says "{best.matched}", a {WEEKDAYS[wd]}, and "{said}"'
        return best.date, EXPLICIT, _evidence(why)

    # 3. Derived dates.
    for found in (
        _infer_relative(stated, in_block, latest_stated, today),
        _infer_from_partial(segments, partial, in_block, today),
    ):
        if found:
            return found[0], INFERRED, _evidence(found[1])
    return None, UNKNOWN, ""


def _weekdays_by_block(
    weekday_words: list[tuple[str, int, int, str]],
) -> dict[tuple[str, int], dict[int, str]]:
    """{(where, block): {weekday: first phrase}}."""
    out: dict[tuple[str, int], dict[int, str]] = {}
    for where, block, wd, phrase in weekday_words:
        out.setdefault((where, block), {}).setdefault(wd, phrase)
    return out


def _infer_relative(
    stated: list[_Found],
    in_block: dict[tuple[str, int], dict[int, str]],
    latest_stated: dt.date | None,
    today: dt.date,
) -> tuple[dt.date, str] | None:
    """The weekday after a stated date, both in the same paragraph."""
    best: tuple[dt.date, str] | None = None
    for f in stated:
        if f.where == "caption" or f.date is None or f.date != latest_stated:
            continue  # only the latest stated date: an older one is history
        for wd, phrase in in_block.get((f.where, f.block), {}).items():
            ahead = (wd - f.date.weekday()) % 7
            date = f.date + dt.timedelta(days=ahead)
            if ahead and date <= today and (best is None or date > best[0]):
                best = (date, f'"{phrase}" after "{f.matched}"')
    return best


def _infer_from_partial(
    segments: Sequence[tuple[str, int, str]],
    partial: list[_Found],
    in_block: dict[tuple[str, int], dict[int, str]],
    today: dt.date,
) -> tuple[dt.date, str] | None:
    """A month and day with its weekday, in the one year the text mentions."""
    if not partial:
        return None
    years: set[int] = set()
    for _where, _block, text in segments:
        years.update(_years(text))
    if len(years) != 1:
        return None  # no year, or several: which one is the article's is a guess
    year = years.pop()
    texts = {(where, block): text for where, block, text in segments}
    best: tuple[dt.date, str] | None = None
    for f in partial:
        assert f.date is not None  # carries the placeholder year 2000
        date = _make_date(year, f.date.month, f.date.day)
        if date is None or date > today:
            continue
        wd = date.weekday()
        said = in_block.get((f.where, f.block), {}).get(wd)
        if f.weekday != wd and said is None:
            continue
        if _is_backdrop(texts[(f.where, f.block)], f.start, None):
            continue
        words = f'"{f.matched}"' + (f' and "{said}"' if f.weekday != wd else "")
        why = f"text says {words}; in {year}, the one year it mentions, that is a {WEEKDAYS[wd]}"
        if best is None or date > best[0]:
            best = (date, why)
    return best
