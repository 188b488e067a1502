"""ImportBatch bookkeeping: opening a run's batch, adding up its counts, closing a run that
stopped on an error (a full disk among them) with its cause, and closing the batches of runs
whose process was killed."""

from __future__ import annotations

import errno
import logging
import os
import socket

from django.db import DatabaseError
from django.utils import timezone

from ..caching import bump_version
from ..models import ImportBatch, ImportFile
from .limits import clip
from .options import ImportOptions

ERR_INTERRUPTED = "interrupted: its process ended without finishing (killed?); run it again"

Status = ImportFile.Status
logger = logging.getLogger(__name__)

DISK_FULL = "disk full"
# How a full disk shows: ENOSPC / EDQUOT from the OS, SQLite's "database or disk is full",
# PostgreSQL's SQLSTATE 53100 ("could not extend file ...: No space left on device").
_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
_DISK_FULL_TEXTS = ("disk is full", "no space left on device", "disk quota exceeded")


class ImportStopped(Exception):
    """An import stopped by an OS or database error: ``message`` is one line naming the
    cause; ``batch_id`` the batch it was recorded on (if the database could still be written,
    ``recorded`` is True)."""

    def __init__(self, message: str, *, batch_id: int | None, recorded: bool) -> None:
        super().__init__(message)
        self.message, self.batch_id, self.recorded = message, batch_id, recorded


def is_disk_full(exc: BaseException) -> bool:
    """True for an error that says the disk (or quota) is full, wherever it came from."""
    for error in (exc, exc.__cause__):
        if error is None:
            continue
        if isinstance(error, OSError) and error.errno in _DISK_FULL_ERRNOS:
            return True
        if getattr(error, "pgcode", None) == "53100" or getattr(error, "sqlstate", None) == "53100":
            return True
        if any(text in str(error).lower() for text in _DISK_FULL_TEXTS):
            return True
    return False


def failure_reason(exc: BaseException) -> str:
    """One line for what stopped a run: "disk full: ..." first when that is the cause."""
    lines = str(exc).strip().splitlines()
    detail = f"{type(exc).__name__}: {lines[0] if lines else ''}".rstrip(": ")
    return clip(f"{DISK_FULL}: {detail}" if is_disk_full(exc) else detail, 5000)


def close_failed_batch(batch: ImportBatch, exc: BaseException, touched) -> bool:
    """Record ``exc`` on the batch of a run it stopped, after recounting what the committed
    chunks touched (so stored counts agree with the rows). Each write may fail again (the
    disk is still full): then it is logged in one line and the batch is left for the next
    run to close. True when the batch was saved."""
    batch.status = ImportBatch.Status.FAILED
    batch.error = failure_reason(exc)
    batch.finished_at = timezone.now()
    steps = [] if batch.dry_run else [("recount", touched.recount)]
    steps += [("refresh", lambda: touched.refresh(force=True)), ("save", batch.save)]
    saved = False
    for name, step in steps:
        try:
            step()
            saved = saved or name == "save"
        except (DatabaseError, OSError) as again:
            logger.error("import #%s: %s failed too: %s", batch.pk, name, failure_reason(again))
    return saved


def batch_options(options: ImportOptions) -> dict:
    """The options stored on a running batch, with the process that runs it, so a later run
    can tell a killed one from a live one."""
    return {**options.to_json(), "host": socket.gethostname(), "pid": os.getpid()}


def open_batch(
    batch: ImportBatch | None,
    *,
    options: ImportOptions,
    origin: str,
    user,
    description: str,
    total: int | None,
) -> ImportBatch:
    """A new running batch, or the given (queued) one marked running with these options."""
    if batch is None:
        return ImportBatch.objects.create(
            origin=origin,
            user=user,
            description=clip(description, 1000),
            dry_run=options.dry_run,
            options=batch_options(options),
            total_files=total or 0,
        )
    batch.status = ImportBatch.Status.RUNNING
    batch.dry_run = options.dry_run
    batch.options = batch_options(options)
    if total:
        batch.total_files = total
    batch.save(update_fields=["status", "dry_run", "options", "total_files"])
    return batch


def add_counts(batch: ImportBatch, counts: dict[str, int], processed: int) -> None:
    """Add one chunk's per-status counts to the batch (saved in the chunk's transaction)."""
    batch.processed_files += processed
    batch.created_count += counts[Status.CREATED]
    batch.updated_count += counts[Status.UPDATED]
    batch.unchanged_count += counts[Status.UNCHANGED]
    batch.duplicate_count += counts[Status.DUPLICATE]
    batch.failed_count += counts[Status.FAILED]
    batch.save(
        update_fields=[
            "processed_files",
            "created_count",
            "updated_count",
            "unchanged_count",
            "duplicate_count",
            "failed_count",
        ]
    )


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def close_interrupted_batches() -> list[int]:
    """Mark as failed the running batches whose process, on this host, no longer exists.

    A run killed with SIGKILL (or a machine that lost power) never records its end, so its
    batch would stay "running" in the history for good. Batches of other hosts are left
    alone: their processes can't be checked from here.
    """
    host = socket.gethostname()
    closed = []
    for batch in ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING).only(
        "id", "options"
    ):
        pid = (batch.options or {}).get("pid")
        if (batch.options or {}).get("host") == host and pid and not _process_alive(pid):
            closed.append(batch.pk)
    if closed:
        ImportBatch.objects.filter(pk__in=closed, status=ImportBatch.Status.RUNNING).update(
            status=ImportBatch.Status.FAILED,
            error=ERR_INTERRUPTED,
            finished_at=timezone.now(),
        )
        # The killed run may have committed chunks after its last refresh of cached pages.
        bump_version()
    return closed
