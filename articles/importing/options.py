"""What a run of the importer is asked to do: one object, passed whole, stored on its batch."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from ..ingest.periods import Period, parse_period

# Files written per transaction: an interrupted run leaves only whole chunks of this size.
FILES_PER_TRANSACTION = 500


def default_workers() -> int:
    """Parser processes for a command-line run: one per core, at most eight."""
    return max(1, min(os.cpu_count() or 1, 8))


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """``source_name`` and ``section_path`` override what the files say (the parser applies
    them); ``published`` gives every article the date (``published_how = "given"``);
    ``dry_run`` classifies every file as a real run would and writes no article;
    ``period``: dates read from the text resolve within it and none outside it is accepted.
    ``workers`` and ``chunk_size`` say how the run is done, not what it does: not stored."""

    source_name: str | None = None
    section_path: tuple[str, ...] | None = None
    published: dt.date | None = None
    dry_run: bool = False
    period: Period | None = None
    workers: int = 1
    chunk_size: int = FILES_PER_TRANSACTION

    def __post_init__(self) -> None:
        # Blank means "no override", whichever caller built the options.
        object.__setattr__(self, "source_name", self.source_name or None)
        path = tuple(self.section_path) if self.section_path else None
        object.__setattr__(self, "section_path", path)

    def to_json(self) -> dict:
        """The options as stored on ``ImportBatch.options`` (and shown on its page)."""
        return {
            "source": self.source_name,
            "section": " / ".join(self.section_path) if self.section_path else None,
            "published": self.published.isoformat() if self.published else None,
            "dry_run": self.dry_run,
            "period": str(self.period) if self.period else None,
        }

    @classmethod
    def from_json(cls, data: dict | None, **run) -> ImportOptions:
        """Options read back from :meth:`to_json`; ``run`` gives ``workers`` / ``chunk_size``."""
        data = data or {}
        section = data.get("section")
        published = data.get("published")
        return cls(
            source_name=data.get("source") or None,
            section_path=tuple(s.strip() for s in section.split("/")) if section else None,
            published=dt.date.fromisoformat(published) if published else None,
            dry_run=bool(data.get("dry_run")),
            period=parse_period(data["period"]) if data.get("period") else None,
            **run,
        )
