"""Articles with their mentions and revisions; re-extraction of selected articles."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.utils.html import format_html_join

from ..curation import reextract_articles
from ..forms import ArticleAdminForm
from ..models import Article, ArticlePerson, ArticlePlace, ArticleRevision
from .common import REEXTRACT_MAX, REEXTRACT_TOO_MANY, ImportButtonMixin, _recount, public_link

# What an article keeps of its import: shown, never edited.
ORIGINAL_FIELDS = [
    "original_filename",
    "original_encoding",
    "content_hash",
    "original_text",
    "created_at",
    "updated_at",
]


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
    form = ArticleAdminForm
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
    readonly_fields = ["body_blocks", "word_count", *ORIGINAL_FIELDS]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "source", "section"]}),
        ("Date", {"fields": ["published", "published_how", "published_evidence"]}),
        ("Photo", {"fields": ["caption", "caption_credit"]}),
        ("Text", {"fields": ["body_blocks", "word_count"]}),
        (
            "Original (kept as imported)",
            {"classes": ["collapse"], "fields": ORIGINAL_FIELDS},
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
