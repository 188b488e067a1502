"""The admin's import page and import report.

An upload goes straight from the request into a fresh temporary folder (``tempfile.mkdtemp``,
mode 0700) through :class:`ImportUploadHandler`; nothing is written anywhere else. Archives are
never unpacked to disk: the reader streams their entries and refuses unsafe ones. Then:

- a small upload (at most ``IMPORT_INLINE_MAX_FILES`` files, archive entries included) is
  imported in the request and the editor lands on its report;
- a larger one becomes a QUEUED :class:`ImportBatch` and a background task
  (``articles.tasks.import_upload``); the editor lands on the batch page, which refreshes
  itself (a ``<meta http-equiv="refresh">``, no script) and shows progress until the report.

The folder is removed when the import ends (in the request, or by the task).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_protect

from .forms import UPLOAD_TOO_LARGE, ImportUploadForm
from .importing import ImportOptions, run_import
from .models import ImportBatch, ImportFile
from .tasks import import_upload, new_upload_dir, read_upload, remove_upload_dir

logger = logging.getLogger(__name__)

IMPORT_PERMISSION = "articles.add_article"
# Room for the multipart boundaries and the small form fields around the files.
MULTIPART_OVERHEAD = 256 * 1024
REPORT_PAGE_SIZE = 100
REFRESH_SECONDS = 2

QUEUE_FAILED = "The import could not be queued ({error}); nothing was imported."
QUEUED_MESSAGE = (
    "The upload holds more than {limit} files, so it is being imported in the background. "
    "This page refreshes itself until the report is ready."
)


def can_import(user) -> bool:
    """Staff who may add articles may import them."""
    return bool(user.is_active and user.is_staff and user.has_perm(IMPORT_PERMISSION))


def safe_file_name(name: str) -> str:
    """The last path segment of a client-supplied name, printable, no leading dots."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip().lstrip(".")
    # Keep the end: the suffix says what the file is.
    return name[-200:] or "upload"


class StoredUpload(UploadedFile):
    """An uploaded file already saved in the upload folder."""

    def __init__(self, *, path: Path, relative: str, content_type, size, charset):
        super().__init__(path.open("rb"), path.name, content_type, size, charset)
        self.path = path
        self.relative = relative

    def temporary_file_path(self) -> str:
        return str(self.path)


class ImportUploadHandler(FileUploadHandler):
    """Streams the ``files`` field of the import form into a fresh temporary folder.

    It is the request's only upload handler, so Django keeps no other copy (no memory buffer,
    no file in the system temp folder). Past ``max_bytes`` it stops storing and sets
    ``too_large``; the view then refuses the whole upload.
    """

    field_name = "files"

    def __init__(self, request=None, *, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.folder: Path | None = None
        self.received = 0
        self.too_large = False
        self._seen: dict[str, int] = {}
        # True once a background task owns the folder (and will remove it).
        self.handed_off = False

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        if field_name != self.field_name:
            raise SkipFile()
        if self.folder is None:
            self.folder = new_upload_dir()
        name = safe_file_name(file_name)
        # Two files of the same name each keep it: the n-th goes into a subfolder n/. Probing
        # resumes from the last n given to that name: probing from 1 for every part was
        # quadratic (3,000 parts of one name took 133 s).
        n = self._seen.get(name, 0)
        while True:
            n += 1
            relative = name if n == 1 else f"{n}/{name}"
            path = self.folder / relative
            if not path.exists() and not path.parent.is_file():  # (a file named "2")
                break
        self._seen[name] = n
        self._path = path
        self._path.parent.mkdir(exist_ok=True)
        self._relative = relative
        # Django's parser closes ``handler.file`` when an upload stops.
        self.file = self._path.open("xb")

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.file.close()
        del self.file
        return StoredUpload(
            path=self._path,
            relative=self._relative,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
        )

    def upload_interrupted(self):
        if hasattr(self, "file"):
            self.file.close()
            del self.file


# --- the upload page ---------------------------------------------------------------------------


def upload_view(request, model_admin):
    """The import page. Wrapped by ``admin_view`` (staff only) and exempt from the automatic
    CSRF check, because the upload handler has to be installed before the body is read; the
    CSRF check runs right after, in :func:`_upload_post`."""
    if not can_import(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return _render_upload(request, model_admin, ImportUploadForm())

    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > settings.IMPORT_MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD:
        # Refused before a byte of it is stored.
        error = UPLOAD_TOO_LARGE.format(limit=filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES))
        return _render_upload(
            request, model_admin, ImportUploadForm(), page_errors=[error], status=413
        )

    handler = ImportUploadHandler(request, max_bytes=settings.IMPORT_MAX_UPLOAD_BYTES)
    request.upload_handlers = [handler]
    try:
        return csrf_protect(_upload_post)(request, model_admin, handler)
    finally:
        for uploaded in request.FILES.getlist("files") if hasattr(request, "_files") else []:
            uploaded.close()
        if not handler.handed_off:
            remove_upload_dir(handler.folder)


def _upload_post(request, model_admin, handler: ImportUploadHandler):
    form = ImportUploadForm(request.POST, request.FILES, upload_too_large=handler.too_large)
    if not form.is_valid():
        return _render_upload(request, model_admin, form)
    data = form.cleaned_data
    files: list[StoredUpload] = data["files"]
    options = ImportOptions(
        source_name=data["source"],
        section_path=data["section"],
        published=data["published"],
        dry_run=data["dry_run"],
        period=data["period"],
    )
    batch = ImportBatch.objects.create(
        origin=ImportBatch.Origin.ADMIN,
        status=ImportBatch.Status.QUEUED,
        user=request.user,
        description=_describe(files),
        dry_run=options.dry_run,
        options=options.to_json(),
    )
    report_url = reverse("admin:articles_importbatch_change", args=[batch.pk])
    paths = [f.path for f in files]
    limit = settings.IMPORT_INLINE_MAX_FILES
    try:
        # Counting one file past the inline limit is enough to know which way to go. Entries
        # are read one at a time and dropped: holding them (up to 50 MB each) for the import
        # kept a whole 1 GB upload in the worker's memory. The import reads them again.
        count = sum(1 for _ in islice(read_upload(paths), limit + 1))
        if count <= limit:
            _run_inline(request, batch, read_upload(paths), options, total=count)
        else:
            import_upload.enqueue(batch.pk, str(handler.folder), [f.relative for f in files])
            handler.handed_off = True
            messages.info(request, QUEUED_MESSAGE.format(limit=limit))
    except Exception as exc:
        logger.exception("admin import %s failed", batch.pk)
        batch.refresh_from_db()
        if batch.status != ImportBatch.Status.FAILED:
            batch.status = ImportBatch.Status.FAILED
            batch.error = QUEUE_FAILED.format(error=f"{type(exc).__name__}: {exc}")
            batch.save(update_fields=["status", "error"])
        messages.error(request, f"Import #{batch.pk} failed: {batch.error}")
    return HttpResponseRedirect(report_url)


def _run_inline(
    request, batch: ImportBatch, raw_files: Iterable, options: ImportOptions, *, total: int
) -> None:
    batch = run_import(raw_files, options=options, batch=batch, total=total)
    verb = "previewed (dry run)" if batch.dry_run else "imported"
    messages.success(
        request,
        f"{batch.processed_files} files {verb}: {batch.created_count} created, "
        f"{batch.updated_count} updated, {batch.unchanged_count} unchanged, "
        f"{batch.duplicate_count} duplicate, {batch.failed_count} failed.",
    )


def _describe(files: list[StoredUpload]) -> str:
    names = ", ".join(f.name for f in files[:20])
    if len(files) > 20:
        names += f" and {len(files) - 20} more"
    return f"upload: {names}"[:1000]


def _limits() -> list[tuple[str, str]]:
    return [
        ("Upload size", f"at most {filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)} in total"),
        ("Files", f"at most {settings.IMPORT_MAX_FILES:,}, archive entries included"),
        ("File size", f"at most {filesizeformat(settings.IMPORT_MAX_FILE_BYTES)} per file"),
        (
            "Uncompressed size",
            f"archives may expand to at most "
            f"{filesizeformat(settings.IMPORT_MAX_UNCOMPRESSED_BYTES)}, and no entry more "
            f"than {settings.IMPORT_MAX_RATIO}× its compressed size",
        ),
        (
            "Refused archive entries",
            "absolute paths, “..” segments, links, and archives inside archives",
        ),
        (
            "Background import",
            f"uploads of more than {settings.IMPORT_INLINE_MAX_FILES} files run in the "
            "background; the report page shows their progress",
        ),
    ]


def _render_upload(request, model_admin, form, *, page_errors=(), status=200):
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Import articles",
        "opts": opts,
        "form": form,
        "page_errors": list(page_errors),
        "limits": _limits(),
        "recent": ImportBatch.objects.filter(origin=ImportBatch.Origin.ADMIN).select_related(
            "user"
        )[:5],
    }
    return TemplateResponse(
        request, "admin/articles/importbatch/upload.html", context, status=status
    )


# --- the report --------------------------------------------------------------------------------


def report_view(request, model_admin, object_id: str):
    """One import: its options and counts, progress while it runs, then the per-file report
    (filterable by status, paginated)."""
    try:
        batch = ImportBatch.objects.select_related("user").get(pk=int(unquote(object_id)))
    except (ValueError, ImportBatch.DoesNotExist) as exc:
        raise Http404("No such import") from exc
    if not model_admin.has_view_permission(request, batch):
        raise PermissionDenied

    status = request.GET.get("status", "")
    files = (
        batch.files.select_related("article")
        .only(
            "id",
            "filename",
            "status",
            "reason",
            "size",
            "article__id",
            "article__slug",
            "article__headline",
        )
        .order_by("filename", "id")
    )
    if status in ImportFile.Status.values:
        files = files.filter(status=status)
    else:
        status = ""
    page = Paginator(files, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    present = dict(
        batch.files.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    running = batch.status in (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Import #{batch.pk}",
        "opts": model_admin.model._meta,
        "batch": batch,
        "page": page,
        "status": status,
        "status_choices": [
            (value, label, present.get(value, 0)) for value, label in ImportFile.Status.choices
        ],
        "running": running,
        "refresh_seconds": REFRESH_SECONDS if running else None,
        "can_import": can_import(request.user),
        "counts": [
            ("created", batch.created_count),
            ("updated", batch.updated_count),
            ("unchanged", batch.unchanged_count),
            ("duplicate", batch.duplicate_count),
            ("failed", batch.failed_count),
        ],
    }
    return TemplateResponse(request, "admin/articles/importbatch/report.html", context)
