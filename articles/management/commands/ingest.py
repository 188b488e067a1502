"""``manage.py ingest PATH...``: import text files, folders and .zip / .tar.gz archives."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tarfile
import time
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importing import (
    FILES_PER_TRANSACTION,
    ImportOptions,
    ImportStopped,
    default_workers,
    run_import,
)
from articles.ingest.dates import date_range_error
from articles.ingest.reader import ARCHIVE_SUFFIXES, iter_raw_files
from articles.management.options import PERIOD_HELP, period_option
from articles.models import ImportBatch


def count_inputs(paths: list[str]) -> int:
    """A cheap count of the files the reader will yield, for the progress bar."""
    total = 0
    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():
                total += sum(len(files) for _, _, files in os.walk(path))
            elif path.name.lower().endswith(".zip") and zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    total += sum(1 for info in archive.infolist() if not info.is_dir())
            elif path.name.lower().endswith(ARCHIVE_SUFFIXES) and tarfile.is_tarfile(path):
                with tarfile.open(path) as archive:
                    total += sum(1 for member in archive if not member.isdir())
            else:
                total += 1
        except (OSError, zipfile.BadZipFile, tarfile.TarError):
            total += 1
    return total


def given_date(value: str) -> dt.date:
    """``--date``: an ISO date inside the archive's range (ingest.dates)."""
    try:
        published = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from exc
    out_of_range = date_range_error(published)
    if out_of_range:
        raise CommandError(f"--date: {out_of_range}")
    return published


class ProgressBar:
    """A one-line progress bar, redrawn in place on a terminal; silent elsewhere."""

    def __init__(self, stream, total: int, enabled: bool) -> None:
        self.stream = stream
        self.total = total
        self.enabled = enabled
        self.started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        total = max(self.total, total, 1)
        width = 30
        filled = int(width * min(done, total) / total)
        rate = done / max(time.monotonic() - self.started, 1e-6)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files  {rate:,.0f}/s",
            ending="",
        )
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("")


class Command(BaseCommand):
    help = (
        "Import articles from text files, folders (recursively) and .zip / .tar.gz archives. "
        "Safe to re-run: unchanged files change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--source", help="source name for every file (overrides the text)")
        parser.add_argument(
            "--section", help='section path for every file, e.g. "News / Iran" (overrides)'
        )
        parser.add_argument(
            "--date", help="publication date YYYY-MM-DD for every file (published_how=given)"
        )
        parser.add_argument("--period", help=PERIOD_HELP)
        parser.add_argument(
            "--dry-run", action="store_true", help="parse and classify, write no article"
        )
        parser.add_argument("--report", metavar="FILE.json", help="write a per-file JSON report")
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="parser processes (default: one per core)",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=FILES_PER_TRANSACTION,
            help=f"files written per transaction (default {FILES_PER_TRANSACTION}); an "
            "interrupted run keeps whole chunks only",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        paths: list[str] = options["paths"]
        missing = [p for p in paths if not os.path.lexists(p)]
        if missing:
            raise CommandError(f"no such file or folder: {', '.join(missing)}")
        section = (
            [s.strip() for s in options["section"].split("/") if s.strip()]
            if options["section"]
            else None
        )
        published = given_date(options["date"]) if options["date"] else None

        period = period_option(options["period"])

        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be at least 1")

        interactive = not options["no_progress"] and getattr(sys.stdout, "isatty", lambda: False)()
        # Counting reads every input once more (a 100k-file .tar.gz: its whole stream, as long
        # as a re-run over it), so only a drawn bar pays for it; otherwise the batch's total
        # is what it processed, set when it ends.
        total = count_inputs(paths) if interactive else None
        bar = ProgressBar(self.stdout, total or 0, interactive)
        started = time.monotonic()
        run = ImportOptions(
            source_name=options["source"],
            section_path=section,
            published=published,
            dry_run=options["dry_run"],
            period=period,
            workers=max(1, options["workers"]),
            chunk_size=options["chunk_size"],
        )
        try:
            batch = run_import(
                iter_raw_files(paths),
                options=run,
                origin=ImportBatch.Origin.COMMAND,
                description=" ".join(paths),
                progress=bar,
                total=total,
            )
        except ImportStopped as exc:
            bar.finish()
            where = "recorded on" if exc.recorded else "could not be recorded on"
            raise CommandError(
                f"import #{exc.batch_id} stopped: {exc.message} ({where} the batch; "
                "whole chunks before it are kept, run it again to finish)"
            ) from None
        bar.finish()
        elapsed = time.monotonic() - started

        failed = list(batch.files.filter(status="failed").values_list("filename", "reason"))
        for filename, reason in failed:
            self.stderr.write(f"failed: {filename}: {reason}")
        if options["report"]:
            self._write_report(batch, options["report"])
        prefix = "Dry run (nothing written): " if batch.dry_run else ""
        self.stdout.write(
            f"{prefix}{batch.processed_files} files in {elapsed:.1f}s: "
            f"{batch.created_count} created, {batch.updated_count} updated, "
            f"{batch.unchanged_count} unchanged, {batch.duplicate_count} duplicate, "
            f"{batch.failed_count} failed (import #{batch.pk})"
        )
        if failed:
            raise CommandError(f"{len(failed)} file(s) failed; the others were imported")

    def _write_report(self, batch: ImportBatch, path: str) -> None:
        report = {
            "batch": batch.pk,
            "dry_run": batch.dry_run,
            "counts": {
                "created": batch.created_count,
                "updated": batch.updated_count,
                "unchanged": batch.unchanged_count,
                "duplicate": batch.duplicate_count,
                "failed": batch.failed_count,
            },
            "files": [
                {"file": f, "status": s, "reason": r, "article": a}
                for f, s, r, a in batch.files.values_list(
                    "filename", "status", "reason", "article_id"
                ).iterator()
            ],
        }
        try:
            with open(path, "w", encoding="utf-8") as fh:
                json.dump(report, fh, ensure_ascii=False, indent=1)
        except OSError as exc:
            raise CommandError(f"cannot write report {path}: {exc}") from exc
        self.stdout.write(f"Report written to {path}")
