"""People and places: lists with search and filters, merging, aliases, not-an-entity."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.template.response import TemplateResponse

from ..curation import CurationError, mark_not_entity, merge_people, merge_places
from ..forms import MergeForm, PersonForm, PlaceForm
from ..models import Person, Place
from .common import MERGE_NEED_TWO, public_link


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
