"""Background work, through Django's tasks framework (``django.tasks``).

The project's backend is ``django_tasks_db.DatabaseBackend``: ``enqueue()`` writes a row and
a separate worker process runs it::

    python manage.py db_worker

A large admin upload is imported here, so the request that sent it returns at once. The
uploaded files wait in their temporary folder (see ``articles.admin_import``) until this task
has read them, and the task removes the folder when it ends, whatever happens. The worker must
see that folder: on one machine it does; a deployment with workers on other machines needs
``IMPORT_UPLOAD_DIR`` to point at storage they share.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from .ingest.periods import Period, parse_period
from .models import ImportBatch

UPLOAD_DIR_PREFIX = "newsarchive-upload-"

UPLOAD_DIR_MISSING = (
    "The uploaded files are not on this worker ({folder}). A worker on another machine "
    "needs IMPORT_UPLOAD_DIR on storage shared with the web servers."
)
TOO_MANY_FILES = "The upload holds {count} files; the limit is {limit}. Nothing was imported."


def upload_base_dir() -> Path:
    """Where upload folders are made: ``IMPORT_UPLOAD_DIR`` if set, else the system temp."""
    return Path(settings.IMPORT_UPLOAD_DIR or tempfile.gettempdir()).resolve()


def new_upload_dir() -> Path:
    """A fresh, private (0700) folder for one upload."""
    base = upload_base_dir()
    base.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=UPLOAD_DIR_PREFIX, dir=base))


def is_upload_dir(folder: Path | str) -> bool:
    """True only for a folder made by :func:`new_upload_dir`: the one thing we ever delete."""
    path = Path(folder)
    if not path.is_absolute() or path.is_symlink():
        return False
    path = path.resolve()
    return path.parent == upload_base_dir() and path.name.startswith(UPLOAD_DIR_PREFIX)


def remove_upload_dir(folder: Path | str | None) -> None:
    """Delete an upload folder and what is in it (anything else is left alone)."""
    if folder and is_upload_dir(folder):
        shutil.rmtree(folder, ignore_errors=True)


def reader_limits():
    """The reader's safety limits for admin uploads, from settings."""
    from .ingest.reader import ReaderLimits

    return ReaderLimits.from_settings(settings)


def read_upload(paths: list[Path]):
    """The upload's files as RawFile objects; unsafe archive entries come back as errors."""
    from .ingest.reader import iter_raw_files

    return iter_raw_files([str(p) for p in paths], limits=reader_limits())


def upload_options(
    *,
    source: str | None,
    section_path: list[str] | None,
    published: dt.date | None,
    dry_run: bool,
    period: Period | None = None,
) -> dict:
    """The options of an upload as stored on its batch (the importer's shape)."""
    return {
        "source": source,
        "section": " / ".join(section_path) if section_path else None,
        "published": published.isoformat() if published else None,
        "dry_run": dry_run,
        "period": str(period) if period else None,
    }


@task()
def import_upload(batch_id: int, upload_dir: str, files: list[str]) -> dict:
    """Import an admin upload in the background into the QUEUED batch ``batch_id``.

    ``files`` are the uploaded files' paths relative to ``upload_dir``, in upload order. The
    options (source, section, date, dry run) are read from the batch. Counts the files first,
    so the batch page can show progress, then runs the same importer as the command.
    """
    from .importer import run_import

    folder = Path(upload_dir)
    batch = ImportBatch.objects.select_related("user").filter(pk=batch_id).first()
    if batch is None:  # deleted from the history before the worker got to it
        remove_upload_dir(folder)
        return {"batch": batch_id, "status": "deleted"}
    try:
        if not is_upload_dir(folder) or not folder.is_dir():
            return _fail(batch, UPLOAD_DIR_MISSING.format(folder=folder))
        paths = [folder / name for name in files]
        batch.status = ImportBatch.Status.RUNNING
        batch.save(update_fields=["status"])
        # Counting means reading twice, but the reader streams and enforces its limits, and a
        # known total is what lets the batch page show real progress.
        total = sum(1 for _ in read_upload(paths))
        if total > settings.IMPORT_MAX_FILES:
            return _fail(batch, TOO_MANY_FILES.format(count=total, limit=settings.IMPORT_MAX_FILES))
        batch.total_files = total
        batch.save(update_fields=["total_files"])

        options = batch.options or {}
        published = options.get("published")
        section = options.get("section")
        run_import(
            read_upload(paths),
            source_name=options.get("source") or None,
            section_path=[s.strip() for s in section.split("/")] if section else None,
            published=dt.date.fromisoformat(published) if published else None,
            period=parse_period(options["period"]) if options.get("period") else None,
            dry_run=batch.dry_run,
            user=batch.user,
            origin=ImportBatch.Origin.ADMIN,
            description=batch.description,
            batch=batch,
            total=total,
            # Smaller chunks than the command's: about twenty progress steps on the batch page.
            chunk_size=max(50, min(500, total // 20)),
        )
    except Exception as exc:
        # run_import records its own failures; anything before it is recorded here.
        batch.refresh_from_db()
        if batch.status != ImportBatch.Status.FAILED:
            _fail(batch, f"{type(exc).__name__}: {exc}")
        raise
    finally:
        remove_upload_dir(folder)
    return {"batch": batch.pk, "status": batch.status}


def _fail(batch: ImportBatch, message: str) -> dict:
    batch.status = ImportBatch.Status.FAILED
    batch.error = message[:5000]
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "error", "finished_at"])
    return {"batch": batch.pk, "status": batch.status}
