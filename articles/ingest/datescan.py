"""Finding dates and weekday words in text, for ``dates.infer_date``: the scanning half.

A date is a month name with a day before or after it and an optional year ("March 2",
"2 March 1987", "Friday, February 25, 2022"), or an ISO date. Each found date records where
it is, the weekday written with it, and whether the words before it in its sentence make it
a backdrop (history, or a day still to come).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

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
_YEAR_AFTER_RE = re.compile(r"\s?,?\s+(?P<year>(?:19|20)\d\d)(?![\d-])")
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
    r"previous|former|last\s+year|years?\s+before|ended|ending|recalled|recalls|remember|"
    r"remembered|history|historic|commemorat\w*|memorial|assassinat\w*|crash|reached|clinched|"
    r"struck|inked|finali[sz]ed|posted|tweeted|uploaded|marks|marked|marking|"
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


# A year named as the time of a past event: "the 1929 crash", "the 1991 Gulf war". Looked
# for around each year found (a pattern opening on "the|of|..." would be slow to scan).
_HISTORY_BEFORE_RE = re.compile(r"\b(?:the|of|since|after|before)\s+\Z", re.IGNORECASE)
_HISTORY_AFTER_RE = re.compile(
    r"(?:'s)?\s+(?:[A-Z][a-z]+\s+)?"
    r"(?:crash|war|revolution|coup|uprising|massacre|attacks?|assassination|invasion|riots?|"
    r"bombings?|earthquake|tsunami|flood|disaster|famine|accord|deal|agreement|treaty|"
    r"ceasefire|truce|hijacking|siege|recession|collapse)\b",
    re.IGNORECASE,
)


def historical_years(text: str) -> set[int]:
    """Years the text names as the time of a past event ("the 1929 crash")."""
    out = set()
    for m in _YEAR_RE.finditer(text):
        if _HISTORY_AFTER_RE.match(text, m.end()) and _HISTORY_BEFORE_RE.search(
            text, max(0, m.start() - 8), m.start()
        ):
            out.add(int(m.group()))
    return out


# The words a news day is told with: "on March 2", "On Friday, March 2, ...", "met on the 2nd".
_ON_BEFORE_RE = re.compile(r"\b[Oo]n(?:\s+the)?$")
# Words anywhere in a sentence that make its dates plans, deadlines or conditions.
_PLAN_RE = re.compile(
    r"\b(?:will|would|shall|must|should|could|may|might|to\s+be|set\s+for|scheduled|due|"
    r"expected|plans?|planned|effective|expires?|closes|deadline|tender(?:s|ing)?|as\s+of|"
    r"pledged|maturity|matures|payable|record\s+date|this\s+year|next|upcoming)\b",
    re.IGNORECASE,
)


def sentence_of(text: str, start: int, end: int) -> tuple[int, int]:
    """[lo, hi) of the sentence holding ``text[start:end]``."""
    lo = 0
    for m in _SENTENCE_END_RE.finditer(text, max(0, start - 300), start):
        lo = m.end()
    m = _SENTENCE_END_RE.search(text, end)
    return lo, m.start() + 1 if m else len(text)


def told_as_news_day(text: str, start: int, end: int) -> bool:
    """The date opens its sentence or follows "on", and the sentence plans nothing: "met on
    March 18", "On Sunday, December 18, 2016, the museum opened"; not "is set for Thursday,
    March 19", "effective Saturday, March 7", "on April 17 he would raise tariffs"."""
    lo, hi = sentence_of(text, start, end)
    before = text[lo:start].strip()
    if before and not _ON_BEFORE_RE.search(before):
        return False
    return not _PLAN_RE.search(text, lo, hi)


def same_sentence(text: str, a: int, b: int) -> bool:
    """No sentence ends between offsets ``a`` and ``b`` of ``text``."""
    lo, hi = min(a, b), max(a, b)
    return not _SENTENCE_END_RE.search(text, lo, hi)


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


def _scan_weekdays(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, str, int]]:
    """(weekday number, the words, where) for the news-day weekday words of one text."""
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
        out.append((_WEEKDAY_INDEX[m.group()], phrase, s))
    return out
