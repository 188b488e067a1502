"""The period an import's files come from (``ingest --period 1987``, ``2017-01:2019-12``).

A period is a closed span of days. Dates inferred from the text must fall inside it, and a
month and day without a year ("March 2" in a dateline) takes the period's year when the
period lies within one calendar year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["Period", "PeriodError", "parse_period"]

_PART_RE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2}))?(?:-(?P<day>\d{1,2}))?$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date
    end: dt.date

    def __contains__(self, date: object) -> bool:
        return isinstance(date, dt.date) and self.start <= date <= self.end

    @property
    def year(self) -> int | None:
        """The one calendar year the period lies in, or None when it spans several."""
        return self.start.year if self.start.year == self.end.year else None

    @property
    def years(self) -> range:
        return range(self.start.year, self.end.year + 1)

    def __str__(self) -> str:
        return f"{self.start.isoformat()}:{self.end.isoformat()}"

    def label(self) -> str:
        """Short form for evidence: "1987", "2017-01-01 to 2019-12-31"."""
        if self.year and (self.start, self.end) == (
            dt.date(self.year, 1, 1),
            dt.date(self.year, 12, 31),
        ):
            return str(self.year)
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def _bound(text: str, *, end: bool) -> dt.date:
    match = _PART_RE.match(text.strip())
    if not match:
        raise PeriodError(f"not a year, year-month or date: {text.strip()!r}")
    year = int(match.group("year"))
    month = int(match.group("month") or (12 if end else 1))
    if not 1 <= month <= 12:
        raise PeriodError(f"no month {month} in {text.strip()!r}")
    last = calendar.monthrange(year, month)[1]
    day = int(match.group("day") or (last if end else 1))
    if not 1 <= day <= last:
        raise PeriodError(f"no day {day} in {text.strip()!r}")
    return dt.date(year, month, day)


def parse_period(text: str) -> Period:
    """``"1987"``, ``"1987-03"``, ``"2017-01:2019-12"``, ``"2017-01-15:2017-02-01"``."""
    if not text or not text.strip():
        raise PeriodError("empty period")
    first, sep, last = text.partition(":")
    start = _bound(first, end=False)
    end = _bound(last if sep else first, end=True)
    if end < start:
        raise PeriodError(f"the period ends before it starts: {text.strip()!r}")
    return Period(start=start, end=end)
