"""Publication-date inference from an article's own words (DESIGN.md "Input files").

The archive's files carry no date field, so we read the date the way a careful reader would,
and say how we got it. A wrong date is worse than none: every rule below asks for the text to
support the date as the story's own. Rules, strongest first:

1. A full date in the photo caption ("... in Moscow on February 25, 2022.") -> ``explicit``:
   the photo shows the news of the day. Not when the caption is a file photo.
2. The dateline's day ("WASHINGTON, March 2 -"), or a wire headline's closing day ("... -
   APRIL 7"), when the import's period gives its year (``--period 1987``) -> ``inferred``,
   the evidence naming the dateline and the period.
3. A full date in the headline or body confirmed by its weekday -> ``explicit``: the weekday
   is written with it ("Friday, February 25, 2022"), or the same paragraph says "on Friday"
   and February 25, 2022 was a Friday. With several, the latest wins.
4. ``inferred``, when derived:
   - a weekday after a stated date in the same sentence ("talks opened on February 22,
     2022, and on Friday ..." -> the Friday after, 2022-02-25);
   - a month and day without a year, with its weekday ("Friday, 25 February", or "on
     Friday" in the same sentence), in the period's year, or else when the text mentions
     exactly one year, in that sentence, and that day falls on that weekday in it.
5. Backdrop dates never count: a date preceded in its sentence by "since", "signed",
   "until", "ago", "recalled", "crash", "the three months to", "will", "scheduled", an
   earlier year ("the 2015 deal signed on July 14, 2015")... A year the text names as the
   time of a past event ("the 1929 crash", "the 1991 war") dates nothing. The story's own
   frame is the period when one is given, else the latest year the text mentions: a date in
   an earlier year is history, and weekday words confirm only dates inside the frame. A date
   in the future (after today) or outside the period is never taken.
6. Nothing supports a date -> ``(None, "unknown", "")``. A date alone in the body, with no
   weekday to confirm it, is not taken: it may be any date the story mentions.

A weekday word is "on Friday", "Friday's", "last Friday", "Friday night"... but not plurals
("on Fridays"), future ones ("next Friday") or named days ("Good Friday", "Super Tuesday").
Evidence is a short sentence quoting the words used (at most 300 characters).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from .datelines import Dateline
from .datescan import (
    WEEKDAYS,
    _Found,
    _is_backdrop,
    _make_date,
    _scan_segment,
    _scan_weekdays,
    _years,
    historical_years,
    same_sentence,
    sentence_of,
    told_as_news_day,
)
from .periods import Period, PeriodError, parse_period
from .types import Block

__all__ = ["Period", "PeriodError", "infer_date", "parse_period"]

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


_FILE_PHOTO_RE = re.compile(r"\bfile\b", re.IGNORECASE)

# (where, block, weekday, phrase, offset) of a news-day weekday word
_Weekday = tuple[str, int, int, str, int]


def _evidence(text: str) -> str:
    return text if len(text) <= MAX_EVIDENCE else text[: MAX_EVIDENCE - 1] + "…"


def infer_date(
    headline: str,
    caption: str,
    blocks: Sequence[Block],
    *,
    period: Period | None = None,
    dateline: Dateline | None = None,
    today: dt.date | None = None,
) -> tuple[dt.date | None, str, str]:
    """Return ``(date or None, how, evidence)``; ``how`` is explicit / inferred / unknown."""
    segments: list[tuple[str, int, str]] = [("headline", -1, headline), ("caption", -1, caption)]
    segments += [("body", i, b.text) for i, b in enumerate(blocks) if b.kind != "table"]
    today = today or dt.date.today()
    found = _Scan(segments, period, today)
    period_note = f"; the files are from {period.label()}" if period else ""

    # 1. The caption, unless it is a file photo.
    if not _FILE_PHOTO_RE.search(caption):
        in_caption = [f for f in found.stated if f.where == "caption"]
        if in_caption:
            best = max(in_caption, key=lambda f: f.date)
            why = f'caption says "{best.matched}"'
            wd = best.date.weekday()
            if wd in found.named:
                why += f'; a {WEEKDAYS[wd]}, and the text says "{found.named[wd]}"'
            return best.date, EXPLICIT, _evidence(why + period_note)

    # 2. The dateline's day, in the period's year.
    if dateline and dateline.month and period and period.year:
        date = _make_date(period.year, dateline.month, dateline.day or 0)
        if date and date in period and date <= today:
            why = f'{dateline.where} "{dateline.text}"{period_note}'
            return date, INFERRED, _evidence(why)

    # 3. A full date confirmed by its weekday, inside the story's frame.
    supported = [f for f in found.stated if found.confirmed(f)]
    if supported:
        best = max(supported, key=lambda f: f.date)
        if best.weekday_attached:
            why = f'{best.where} says "{best.matched}"'
        else:
            wd = best.date.weekday()
            said = found.in_block[(best.where, best.block)][wd][0]
            why = f'{best.where} says "{best.matched}", a {WEEKDAYS[wd]}, and "{said}"'
        return best.date, EXPLICIT, _evidence(why + period_note)

    # 4. Derived dates.
    for derived in (_infer_relative(found), _infer_from_partial(found)):
        if derived:
            return derived[0], INFERRED, _evidence(derived[1] + period_note)
    return None, UNKNOWN, ""


class _Scan:
    """Everything the rules look at: dates, weekday words, years, the story's frame."""

    def __init__(self, segments: list[tuple[str, int, str]], period: Period | None, today):
        self.segments, self.period, self.today = segments, period, today
        self.texts = {(where, block): text for where, block, text in segments}
        full: list[_Found] = []
        self.partial: list[_Found] = []
        weekday_words: list[_Weekday] = []
        for where, block, text in segments:
            seg_full, seg_partial = _scan_segment(where, block, text)
            full += seg_full
            self.partial += seg_partial
            taken = [(f.start, f.end) for f in (*seg_full, *seg_partial) if f.weekday is not None]
            weekday_words += [(where, block, *w) for w in _scan_weekdays(text, taken)]
        self.history: set[int] = set()
        self.years: set[int] = set()
        if full or self.partial:  # years matter only to dates (and most texts have none)
            for _where, _block, text in segments:
                years = _years(text) if text else []
                if years:
                    self.history |= historical_years(text)
                    self.years.update(years)
        self.named: dict[int, str] = {}
        self.in_block: dict[tuple[str, int], dict[int, tuple[str, int]]] = {}
        for where, block, wd, phrase, offset in weekday_words:
            self.named.setdefault(wd, phrase)  # the first mention is the one quoted
            self.in_block.setdefault((where, block), {}).setdefault(wd, (phrase, offset))
        self.stated = [f for f in full if f.date and not f.backdrop and self.in_frame(f.date)]
        # The story's own year, without a period: the latest year it mentions (not history).
        plain_years = [y for y in self.years if y <= today.year and y not in self.history]
        self.frame_year = max(plain_years, default=None)

    def in_frame(self, date: dt.date) -> bool:
        if date > self.today or date.year in self.history:
            return False
        if self.period is not None:
            return date in self.period
        return True

    def news_day(self, f: _Found) -> bool:
        """``told_as_news_day`` for a headline or body date (captions are news by nature)."""
        if f.where == "caption":
            return True
        return told_as_news_day(self.texts[(f.where, f.block)], f.start, f.end)

    def confirmed(self, f: _Found) -> bool:
        """A stated full date confirmed by its weekday, in the story's own year."""
        if self.period is None and f.date.year != self.frame_year:
            return False  # history next to a later year
        if not (
            f.weekday_attached or f.date.weekday() in self.in_block.get((f.where, f.block), {})
        ):
            return False
        return self.news_day(f)


def _infer_relative(found: _Scan) -> tuple[dt.date, str] | None:
    """The weekday after a stated date, both in the same sentence."""
    latest = max((f.date for f in found.stated), default=None)
    best: tuple[dt.date, str] | None = None
    for f in found.stated:
        if f.where == "caption" or f.date != latest or not found.news_day(f):
            continue  # only the latest stated date: an older one is history
        if found.period is None and f.date.year != found.frame_year:
            continue
        text = found.texts[(f.where, f.block)]
        for wd, (phrase, offset) in found.in_block.get((f.where, f.block), {}).items():
            end = f.end - 1 if text[f.end - 1 : f.end] == "." else f.end
            if offset < f.end or not same_sentence(text, end, offset):
                continue
            ahead = (wd - f.date.weekday()) % 7
            date = f.date + dt.timedelta(days=ahead)
            if ahead and found.in_frame(date) and (best is None or date > best[0]):
                best = (date, f'"{phrase}" after "{f.matched}"')
    return best


def _partial_year(found: _Scan, f: _Found) -> tuple[int, str] | None:
    """The year a month-and-day date falls in, and why; None when that is a guess."""
    if found.period is not None:
        if found.period.year:
            return found.period.year, "the period's year"
        years = {y for y in found.years if y in found.period.years} - found.history
        if len(years) == 1:
            year = years.pop()
            return year, f"{year}, the one year of the period it mentions"
        return None
    if len(found.years) != 1:
        return None  # no year, or several: which one is the article's is a guess
    year = next(iter(found.years))
    text = found.texts[(f.where, f.block)]
    lo, hi = sentence_of(text, f.start, f.end)
    if year in found.history or year not in _years(text[lo:hi]):
        return None  # the year is not said in the sentence that gives the day
    return year, f"{year}, the one year it mentions"


def _infer_from_partial(found: _Scan) -> tuple[dt.date, str] | None:
    """A month and day with its weekday, in a year the text or the period gives."""
    best: tuple[dt.date, str] | None = None
    for f in found.partial:
        assert f.date is not None  # carries the placeholder year 2000
        year_why = _partial_year(found, f)
        if year_why is None:
            continue
        year, year_note = year_why
        date = _make_date(year, f.date.month, f.date.day)
        if date is None or not found.in_frame(date):
            continue
        wd = date.weekday()
        said = found.in_block.get((f.where, f.block), {}).get(wd)
        text = found.texts[(f.where, f.block)]
        end = f.end - 1 if text[f.end - 1 : f.end] == "." else f.end  # "on 25 February."
        if said and not same_sentence(text, min(end, said[1]), max(f.start, said[1])):
            said = None  # a weekday in another sentence may be another day
        if f.weekday != wd and said is None:
            continue
        if _is_backdrop(found.texts[(f.where, f.block)], f.start, None) or not found.news_day(f):
            continue
        words = f'"{f.matched}"' + (f' and "{said[0]}"' if f.weekday != wd else "")
        why = f"text says {words}; in {year_note}, that is a {WEEKDAYS[wd]}"
        if best is None or date > best[0]:
            best = (date, why)
    return best
