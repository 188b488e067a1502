"""Sources, sections, the import history, the archive version and cache scopes (cached
pages), and the monthly counts (read-only)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import path

from .. import admin_import
from ..caching import bump_version
from ..models import (
    ArchiveVersion,
    ImportBatch,
    ImportFile,
    MonthlyCount,
    ScopeVersion,
    Section,
    Source,
)
from .common import ImportButtonMixin, public_link

# --- sources and sections ----------------------------------------------------------------------


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "website", "article_count", "public_page"]
    search_fields = ["name", "website"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["article_count"]

    @admin.display(description="public page")
    def public_page(self, obj) -> str:
        return public_link(obj)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    """Sections come from imports. An editor may add one or correct a name; its path (and so
    its URL) stays as it was."""

    list_display = ["full_name", "depth", "article_count", "public_page"]
    list_filter = ["depth"]
    search_fields = ["name", "full_name", "path"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    ordering = ["path"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "parent"]
        return ["name", "parent", "full_name", "path", "depth", "article_count"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["parent", "full_name", "path", "depth", "article_count"]

    @admin.display(description="public page")
    def public_page(self, obj) -> str:
        return public_link(obj)

    def save_model(self, request, obj, form, change):
        if not change:
            names = (obj.parent.names() if obj.parent else []) + [obj.name]
            created = Section.get_or_create_path(names)
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        old = Section.objects.get(pk=obj.pk)
        prefix = obj.parent.full_name + " / " if obj.parent else ""
        obj.full_name = prefix + obj.name
        super().save_model(request, obj, form, change)
        if old.full_name != obj.full_name:
            # Descendants show the new name in their display path.
            for child in Section.objects.filter(path__startswith=obj.path + "/"):
                child.full_name = obj.full_name + child.full_name[len(old.full_name) :]
                child.save(update_fields=["full_name"])


# --- imports -----------------------------------------------------------------------------------


@admin.register(ImportBatch)
class ImportBatchAdmin(ImportButtonMixin, admin.ModelAdmin):
    """The import history. Batches are made by imports, never by hand; a batch's page is its
    report (:func:`admin_import.report_view`)."""

    list_display = [
        "__str__",
        "user",
        "origin",
        "status",
        "dry_run",
        "description",
        "total_files",
        "created_count",
        "updated_count",
        "unchanged_count",
        "duplicate_count",
        "failed_count",
    ]
    list_filter = ["origin", "status", "dry_run"]
    search_fields = ["description", "user__username", "error"]
    date_hierarchy = "started_at"
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # Whoever may import may read the reports.
        return super().has_view_permission(request, obj) or admin_import.can_import(request.user)

    def get_urls(self):
        def upload(request):
            return admin_import.upload_view(request, self)

        # The upload handler must be installed before the body is read, so the CSRF check
        # runs inside the view (see admin_import.upload_view), not in the middleware.
        upload.csrf_exempt = True
        return [
            path(
                "upload/",
                self.admin_site.admin_view(upload),
                name="articles_importbatch_upload",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return admin_import.report_view(request, self, object_id)


@admin.register(ImportFile)
class ImportFileAdmin(admin.ModelAdmin):
    list_display = ["filename", "status", "reason", "batch", "article", "size"]
    list_filter = ["status", "batch__origin"]
    search_fields = ["filename", "reason", "=content_hash"]
    list_select_related = ["batch", "article"]
    autocomplete_fields = ["batch", "article"]
    list_per_page = 100
    show_full_result_count = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("article__original_text", "article__body", "article__body_text")
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ArchiveVersion)
class ArchiveVersionAdmin(admin.ModelAdmin):
    """The number that cached pages are keyed by (articles.caching): read-only, with an action
    that makes every cached page and aggregate stale, for a change made outside the archive's
    own code paths (a SQL fix-up, say)."""

    list_display = ["version", "changed"]
    readonly_fields = ["version", "changed"]
    actions = ["refresh_cached_pages"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Refresh cached pages (bump the archive version)")
    def refresh_cached_pages(self, request, queryset):
        bump_version()
        self.message_user(request, "Every cached page will be rendered afresh.", messages.SUCCESS)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the importer and curation maintain: shown, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScopeVersion)
class ScopeVersionAdmin(ReadOnlyAdmin):
    list_display = ["scope", "version"]
    search_fields = ["scope"]


@admin.register(MonthlyCount)
class MonthlyCountAdmin(ReadOnlyAdmin):
    list_display = ["kind", "entity_id", "month", "articles"]
    list_filter = ["kind"]
    search_fields = ["=entity_id"]
    date_hierarchy = "month"
