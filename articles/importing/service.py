"""``run_import``: files -> parsed articles -> database, idempotent, in bulk, audited.

Every run writes an :class:`ImportBatch` and one :class:`ImportFile` per input. A file is

- ``created`` when neither its text nor its name is known,
- ``unchanged`` when the same text is already stored under the same name,
- ``duplicate`` when the same text is stored under another name (nothing new is written; the
  row points at the article that has it),
- ``updated`` when its name is known but the text changed: the article is re-parsed and the
  replaced original text is kept as an :class:`ArticleRevision`,
- ``failed`` with the reason when it can't be read or parsed. Good files are still imported.

Work is done in chunks, each in one transaction, so an interrupted run leaves only whole
chunks behind and a second run finishes the job. If another process commits the same
articles at the same moment, the chunk's unique constraints fail, the chunk is rolled back
and classified again (its files then come out unchanged or duplicate); so is a chunk that
PostgreSQL aborts to break a deadlock between two imports.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import batched

from django.db import DatabaseError, IntegrityError, OperationalError, reset_queries, transaction
from django.utils import timezone

from ..ingest.types import ParsedArticle, RawFile
from ..models import ImportBatch, ImportFile
from .batches import (
    ImportStopped,
    add_counts,
    close_failed_batch,
    close_interrupted_batches,
    open_batch,
)
from .classify import KnownFile, classify_chunk, parse_new_files, split_repeated_names
from .counts import Touched, touch_unfinished
from .options import ImportOptions
from .registry import Registry
from .statistics import analyze_after_import
from .writer import write_articles, write_file_rows

Status = ImportFile.Status
logger = logging.getLogger(__name__)
LOCK_RETRIES = 3  # times a chunk is classified and written again after losing a race


def run_import(
    raw_files: Iterable[RawFile],
    *,
    options: ImportOptions = ImportOptions(),  # noqa: B008 - frozen, so safe to share
    batch: ImportBatch | None = None,
    origin: str = ImportBatch.Origin.COMMAND,
    user=None,
    description: str = "",
    total: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportBatch:
    """Import ``raw_files`` as ``options`` say and return the finished batch (see the module
    docstring). ``batch`` is a queued batch to run in (an admin upload); without it a new
    one is recorded with ``origin``, ``user`` and ``description``. ``progress`` is called
    with (files done, total) after each chunk."""
    close_interrupted_batches()
    batch = open_batch(
        batch, options=options, origin=origin, user=user, description=description, total=total
    )
    registry = Registry()
    # Whether any other run is unfinished (killed, failed, or running now): only then can an
    # unchanged file belong to a chunk whose counts were never recounted (touch_unfinished).
    touched = Touched(
        unfinished_runs=ImportBatch.objects.exclude(status=ImportBatch.Status.DONE)
        .exclude(pk=batch.pk)
        .exists()
    )
    try:
        stream = parse_new_files(raw_files, options=options)
        for chunk in batched(stream, options.chunk_size):
            for part in split_repeated_names(chunk):
                _import_chunk_with_retry(part, batch, options, registry, touched)
            touched.refresh()
            # With DEBUG on, Django keeps every query's SQL (article texts included): drop it.
            reset_queries()
            if progress:
                progress(batch.processed_files, max(total or 0, batch.processed_files))
        if not options.dry_run:
            touched.recount()
        batch.status = ImportBatch.Status.DONE
    except (DatabaseError, OSError) as exc:
        # A full disk, a lost connection: recorded with its cause when the database can still
        # be written, and raised as one line (the command prints it, no traceback chain).
        recorded = close_failed_batch(batch, exc, touched)
        raise ImportStopped(batch.error, batch_id=batch.pk, recorded=recorded) from exc
    except BaseException as exc:  # recorded, then re-raised: a crash is never silent
        close_failed_batch(batch, exc, touched)
        raise
    touched.refresh(force=True)
    batch.finished_at = timezone.now()
    if not batch.total_files:  # not counted up front (a command run without a progress bar)
        batch.total_files = batch.processed_files
    batch.save()
    if not options.dry_run:
        _refresh_statistics(batch)
    return batch


def _refresh_statistics(batch: ImportBatch) -> None:
    """ANALYZE after an import big enough to need it (``statistics``). The import is whole
    and recorded by now, so a failure here is logged, not turned into a failed import."""
    try:
        analyze_after_import(batch.created_count + batch.updated_count)
    except DatabaseError as exc:
        logger.warning("import %s: planner statistics not refreshed: %s", batch.pk, exc)


def _import_chunk_with_retry(
    chunk: list[ParsedArticle | KnownFile],
    batch: ImportBatch,
    options: ImportOptions,
    registry: Registry,
    touched: Touched,
) -> None:
    for attempt in range(LOCK_RETRIES + 1):
        try:
            with transaction.atomic():
                # A retried chunk looks its known files up again: what the digest look-up
                # found may have been deleted meanwhile.
                counts = _import_chunk(chunk, batch, options, registry, touched, verify=attempt > 0)
                add_counts(batch, counts, len(chunk))
            return
        except (IntegrityError, OperationalError) as exc:
            if isinstance(exc, OperationalError) and not _is_lock_conflict(exc):
                raise
            # Another process committed some of these articles (or names) first, or two
            # imports each waited for a row the other had just written (PostgreSQL aborts one
            # of them). Start the chunk again from what is now in the database.
            registry.forget_new_rows()
            if attempt == LOCK_RETRIES:
                raise


def _is_lock_conflict(exc: OperationalError) -> bool:
    """A deadlock between two imports, or a SQLite write lock held past the busy timeout."""
    cause = exc.__cause__
    code = getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)
    return code == "40P01" or "database is locked" in str(exc)


def _import_chunk(
    chunk: list[ParsedArticle | KnownFile],
    batch: ImportBatch,
    options: ImportOptions,
    registry: Registry,
    touched: Touched,
    *,
    verify: bool = False,
) -> Counter:
    """Classify and (unless a dry run) write one chunk; its per-status counts."""
    classified = classify_chunk(chunk, batch, registry, verify=verify)
    counts = classified.statuses()
    if options.dry_run:
        for row in classified.rows:
            if row.status == Status.CREATED:  # nothing is written: no article to point at
                row.article, row.article_id = None, None
        write_file_rows(classified, batch)
        return counts
    known = [
        row.article_id
        for row in classified.rows
        if row.status in (Status.UNCHANGED, Status.DUPLICATE)
    ] + [row[3] for row in classified.known_rows]  # (KNOWN_ROW_FIELDS: the article id)
    if known and touched.unfinished_runs:
        touch_unfinished(known, batch, touched)
    write_articles(classified, batch, options, registry, touched)
    return counts
