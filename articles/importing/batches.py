"""ImportBatch bookkeeping: opening a run's batch, adding up its counts, and closing the
batches of runs whose process was killed."""

from __future__ import annotations

import os
import socket

from django.utils import timezone

from ..caching import bump_version
from ..models import ImportBatch, ImportFile
from .limits import clip
from .options import ImportOptions

ERR_INTERRUPTED = "interrupted: its process ended without finishing (killed?); run it again"

Status = ImportFile.Status


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
