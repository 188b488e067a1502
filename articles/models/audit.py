"""The archive's version (what caches are keyed by) and the audit of every import."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ArchiveVersion(models.Model):
    """One row holding a number that every change to the archive's contents increases: an
    import that created or updated something, a re-extraction, a merge, an admin edit.

    Pages and the aggregates behind them are cached under this number (``articles.caching``),
    so one change makes every cached copy stale at once, in every process, with no list of
    keys to forget. The bump is part of the change's own transaction where there is one.
    """

    version = models.BigIntegerField(default=1)
    changed = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "archive version"

    def __str__(self) -> str:
        return f"archive version {self.version}"


class ImportBatch(models.Model):
    """One run of the importer: from the command line or an admin upload."""

    class Origin(models.TextChoices):
        COMMAND = "command", "command line"
        ADMIN = "admin", "admin upload"

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.COMMAND)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    description = models.CharField(max_length=1000, blank=True)
    options = models.JSONField(default=dict, blank=True)
    dry_run = models.BooleanField(default=False)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total_files = models.PositiveIntegerField(default=0)
    processed_files = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.started_at:%Y-%m-%d %H:%M})"


class ImportFile(models.Model):
    class Status(models.TextChoices):
        CREATED = "created", "created"
        UPDATED = "updated", "updated"
        UNCHANGED = "unchanged", "unchanged"
        DUPLICATE = "duplicate", "duplicate"
        FAILED = "failed", "failed"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="files")
    filename = models.CharField(max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.TextField(blank=True)
    article = models.ForeignKey(
        "Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="import_files"
    )
    content_hash = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["batch", "status"], name="importfile_batch_status_idx")]

    def __str__(self) -> str:
        return f"{self.filename}: {self.status}"


# Stored aggregates and scope versions live in their own module (this one is long enough).
