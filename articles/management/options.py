"""Options the management commands share, read the same way by each."""

from __future__ import annotations

from django.core.management.base import CommandError

from articles.ingest.periods import Period, PeriodError, parse_period

PERIOD_HELP = (
    "the period the files come from: 1987, 2017-03 or 2017-01:2019-12; dates read from the "
    "text resolve within it and none outside it is accepted"
)


def period_option(value: str | None) -> Period | None:
    """``--period`` as a Period (None when not given), or a CommandError saying why not."""
    if not value:
        return None
    try:
        return parse_period(value)
    except PeriodError as exc:
        raise CommandError(f"--period: {exc}") from exc
