"""The Django admin for the archive: every model, the import page and history, and the
curation actions (merge people or places, mark not an entity, re-run extraction)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from . import admin_import
from .caching import bump_version
from .curation import (
    CurationError,
    mark_not_entity,
    merge_people,
    merge_places,
    reextract_articles,
)
from .forms import MergeForm, PersonForm, PlaceForm
from .models import (
    ArchiveVersion,
    Article,
    ArticlePerson,
    ArticlePlace,
    ArticleRevision,
    ImportBatch,
    ImportFile,
    Person,
    Place,
    Section,
    Source,
)

# Re-extraction runs in the request; past this many articles, import them again instead.
REEXTRACT_MAX = 500

MERGE_NEED_TWO = "Select exactly two {name} to merge."
REEXTRACT_TOO_MANY = "Select at most {limit} articles to re-extract at once (you selected {count})."


def public_link(obj) -> str:
    return format_html('<a href="{}">view on site</a>', obj.get_absolute_url())


def _recount(person_ids=(), place_ids=()) -> None:
    from .importing import recount_entities

    recount_entities(person_ids=set(person_ids), place_ids=set(place_ids))


class ImportButtonMixin:
    """Puts the “Import articles” button on a changelist for editors who may import."""

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": admin_import.can_import(request.user),
            "import_url": reverse("admin:articles_importbatch_upload"),
        }
        return super().changelist_view(request, extra_context=extra_context)


class MergedFilter(admin.SimpleListFilter):
    title = "merged"
    parameter_name = "merged"

    def lookups(self, request, model_admin):
        return [("no", "not merged"), ("yes", "merged into another")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(merged_into__isnull=False)
        if self.value() == "no":
            return queryset.filter(merged_into__isnull=True)
        return queryset


class EntityAdmin(admin.ModelAdmin):
    """What people and places share: aliases, merging, marking not an entity."""

    merge_service = None  # set by subclasses: staticmethod(merge_people / merge_places)
    search_fields = ["name", "aliases"]
    readonly_fields = ["article_count", "mention_count", "merged_from_list"]
    autocomplete_fields = ["merged_into"]
    actions = ["merge_selected", "mark_not_entities"]
    list_per_page = 100
    show_full_result_count = False

    @admin.display(description="aliases")
    def aliases_list(self, obj) -> str:
        return ", ".join(obj.aliases[:5]) + (" …" if len(obj.aliases) > 5 else "")

    @admin.display(description="public page")
    def public_page(self, obj) -> str:
        return public_link(obj)

    @admin.display(description="merged into this")
    def merged_from_list(self, obj) -> str:
        names = [str(o) for o in obj.merged_from.all()[:50]] if obj.pk else []
        return ", ".join(names) or "—"

    @admin.action(description="Merge the two selected into one", permissions=["change"])
    def merge_selected(self, request, queryset: QuerySet):
        opts = self.model._meta
        records = list(queryset[:3])
        if len(records) != 2:
            self.message_user(
                request,
                MERGE_NEED_TWO.format(name=opts.verbose_name_plural),
                messages.ERROR,
            )
            return None
        if "apply" in request.POST:
            form = MergeForm(request.POST, records=records)
            if form.is_valid():
                keep, merge = form.keep_and_merge()
                try:
                    keep = self.merge_service(keep=keep, merge=merge)
                except CurationError as exc:
                    self.message_user(request, str(exc), messages.ERROR)
                    return None
                self.message_user(
                    request,
                    f"Merged “{merge}” into “{keep}”: {keep.article_count} articles, "
                    f"aliases now {', '.join(keep.aliases) or 'none'}.",
                    messages.SUCCESS,
                )
                return None
        else:
            busiest = max(records, key=lambda r: r.article_count)
            form = MergeForm(records=records, initial={"keep": busiest.pk})
        context = {
            **self.admin_site.each_context(request),
            "title": f"Merge two {opts.verbose_name_plural}",
            "opts": opts,
            "form": form,
            "records": records,
            "action_name": "merge_selected",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/merge.html", context)

    @admin.action(description="Mark as not an entity (unlink everywhere)", permissions=["change"])
    def mark_not_entities(self, request, queryset: QuerySet):
        field = self.model._meta.model_name  # "person" or "place"
        records, links = 0, 0
        for record in queryset:
            links += mark_not_entity(**{field: record})
            records += 1
        self.message_user(
            request,
            f"{records} marked as not an entity; {links} article links removed. "
            "Extraction will not link these names again.",
            messages.SUCCESS,
        )


@admin.register(Person)
class PersonAdmin(EntityAdmin):
    form = PersonForm
    merge_service = staticmethod(merge_people)
    list_display = [
        "name",
        "article_count",
        "mention_count",
        "aliases_list",
        "is_entity",
        "merged_into",
        "public_page",
    ]
    list_filter = ["is_entity", MergedFilter]
    list_select_related = ["merged_into"]
    ordering = ["-article_count", "name"]
    fields = [
        "name",
        "slug",
        "aliases",
        "is_entity",
        "merged_into",
        "merged_from_list",
        "article_count",
        "mention_count",
    ]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Place)
class PlaceAdmin(EntityAdmin):
    form = PlaceForm
    merge_service = staticmethod(merge_places)
    search_fields = ["name", "aliases", "iso_code"]
    list_display = [
        "name",
        "kind",
        "country",
        "iso_code",
        "article_count",
        "mention_count",
        "is_entity",
        "merged_into",
        "public_page",
    ]
    list_filter = ["kind", "is_entity", MergedFilter]
    list_select_related = ["country", "merged_into"]
    ordering = ["-article_count", "name"]
    autocomplete_fields = ["country", "merged_into"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "country", "iso_code", "aliases"]}),
        ("Curation", {"fields": ["is_entity", "merged_into", "merged_from_list"]}),
        (
            "Facts",
            {"fields": ["latitude", "longitude", "population", "geonames_id"]},
        ),
        ("Counts", {"fields": ["article_count", "mention_count"]}),
    ]
    prepopulated_fields = {"slug": ["name"]}


# --- articles ----------------------------------------------------------------------------------


class ArticlePersonInline(admin.TabularInline):
    model = ArticlePerson
    autocomplete_fields = ["person"]
    extra = 0
    fields = ["person", "mentions", "role"]


class ArticlePlaceInline(admin.TabularInline):
    model = ArticlePlace
    autocomplete_fields = ["place"]
    extra = 0
    fields = ["place", "mentions", "via_city"]


@admin.register(Article)
class ArticleAdmin(ImportButtonMixin, admin.ModelAdmin):
    list_display = [
        "headline",
        "published",
        "published_how",
        "source",
        "section",
        "word_count",
        "public_page",
    ]
    list_filter = ["source", "published_how", ("published", admin.EmptyFieldListFilter)]
    search_fields = ["headline", "original_filename", "=content_hash"]
    date_hierarchy = "published"
    list_select_related = ["source", "section"]
    autocomplete_fields = ["source", "section"]
    inlines = [ArticlePersonInline, ArticlePlaceInline]
    actions = ["reextract"]
    list_per_page = 100
    show_full_result_count = False
    readonly_fields = [
        "body_blocks",
        "word_count",
        "original_filename",
        "original_encoding",
        "content_hash",
        "original_text",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "source", "section"]}),
        ("Date", {"fields": ["published", "published_how", "published_evidence"]}),
        ("Photo", {"fields": ["caption", "caption_credit"]}),
        ("Text", {"fields": ["body_blocks", "word_count"]}),
        (
            "Original (kept as imported)",
            {
                "classes": ["collapse"],
                "fields": [
                    "original_filename",
                    "original_encoding",
                    "content_hash",
                    "original_text",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]

    def has_add_permission(self, request):
        # Articles come from files, through the import page (which the add permission opens),
        # so each one keeps its original text.
        return False

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        match = request.resolver_match
        if match and match.url_name == "articles_article_changelist":
            # The list never shows the texts; don't fetch them.
            qs = qs.defer("original_text", "body", "body_text", "subheadings_text")
        return qs

    @admin.display(description="public page")
    def public_page(self, obj) -> str:
        return public_link(obj)

    @admin.display(description="body")
    def body_blocks(self, obj) -> str:
        return format_html_join(
            "\n",
            "<{}>{}</{}>",
            (
                (tag, b.get("text", ""), tag)
                for b in obj.body
                for tag in ["h4" if b.get("kind") == "subheading" else "p"]
            ),
        )

    def save_related(self, request, form, formsets, change):
        # Mentions edited by hand change the stored counts of the people and places involved.
        article = form.instance
        before_people = set(article.person_mentions.values_list("person_id", flat=True))
        before_places = set(article.place_mentions.values_list("place_id", flat=True))
        super().save_related(request, form, formsets, change)
        _recount(
            before_people | set(article.person_mentions.values_list("person_id", flat=True)),
            before_places | set(article.place_mentions.values_list("place_id", flat=True)),
        )

    @admin.action(description="Re-run people and places extraction", permissions=["change"])
    def reextract(self, request, queryset: QuerySet):
        count = queryset.count()
        if count > REEXTRACT_MAX:
            self.message_user(
                request,
                REEXTRACT_TOO_MANY.format(limit=REEXTRACT_MAX, count=count),
                messages.ERROR,
            )
            return
        done = reextract_articles(queryset.select_related("source", "section"))
        level = messages.SUCCESS if done == count else messages.WARNING
        skipped = f"; {count - done} could not be parsed" if done != count else ""
        self.message_user(
            request, f"People and places extracted again for {done} articles{skipped}.", level
        )


class MentionAdmin(admin.ModelAdmin):
    """A mention table's admin: edits and deletions recount the stored counts of the person or
    place they concern (``entity`` names the foreign key)."""

    entity = ""

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("article__original_text", "article__body", "article__body_text")
        )

    def _recount(self, ids) -> None:
        _recount(**{f"{self.entity}_ids": set(ids) - {None}})

    def save_model(self, request, obj, form, change):
        before = form.initial.get(self.entity)
        super().save_model(request, obj, form, change)
        self._recount({getattr(obj, f"{self.entity}_id"), before})

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._recount({getattr(obj, f"{self.entity}_id")})

    def delete_queryset(self, request, queryset):
        ids = set(queryset.values_list(f"{self.entity}_id", flat=True))
        super().delete_queryset(request, queryset)
        self._recount(ids)


@admin.register(ArticlePerson)
class ArticlePersonAdmin(MentionAdmin):
    entity = "person"
    list_display = ["person", "article", "mentions", "role"]
    search_fields = ["person__name", "article__headline", "role"]
    list_select_related = ["person", "article"]
    autocomplete_fields = ["article", "person"]


@admin.register(ArticlePlace)
class ArticlePlaceAdmin(MentionAdmin):
    entity = "place"
    list_display = ["place", "article", "mentions", "via_city"]
    list_filter = ["via_city", "place__kind"]
    search_fields = ["place__name", "article__headline"]
    list_select_related = ["place", "article"]
    autocomplete_fields = ["article", "place"]


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    list_display = ["original_filename", "article", "replaced_at", "batch"]
    search_fields = ["original_filename", "article__headline", "=content_hash"]
    date_hierarchy = "replaced_at"
    list_select_related = ["article", "batch"]
    autocomplete_fields = ["article", "batch"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
