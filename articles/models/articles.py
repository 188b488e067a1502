"""Articles with their original text, their revisions, and the one order they are read in."""

from __future__ import annotations

import json

from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse

from .catalogue import Section, Source
from .entities import ArticlePerson, ArticlePlace, Person, Place

# The archive's one order: newest first, undated last, newest id first on a tie. It is the
# model's default ordering and what every list, feed and export means by "newest first";
# the (published, id) index and its PostgreSQL nulls-last twin (migration 0003) serve it.
NEWEST_FIRST = (models.F("published").desc(nulls_last=True), "-id")
OLDEST_FIRST = (models.F("published").asc(nulls_last=True), "id")


class PublishedHow(models.TextChoices):
    EXPLICIT = "explicit", "stated in the article"
    INFERRED = "inferred", "inferred from the text"
    GIVEN = "given", "given at import"
    UNKNOWN = "unknown", "unknown"


def id_subquery(ids: list[int]) -> RawSQL:
    """A literal list of ids as a one-parameter subquery, for ``filter(field__in=...)``.

    SQLite, given 1,000 ids as 1,000 parameters, picks a plan 40x slower than for the same ids
    as a subquery (json_each over one parameter). PostgreSQL takes one array instead of a
    parameter per id: Django prepares, and the server parses, one value, not 2,000 (the rank
    candidates and the four facets over a 1,000-id sample: 18 -> 9 ms for two of those
    statements at 100k)."""
    if connection.vendor == "postgresql":
        array = "{" + ",".join(str(int(pk)) for pk in ids) + "}"
        return RawSQL("SELECT unnest(%s::bigint[])", (array,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps([int(pk) for pk in ids]),))


# Below this many articles a join through the mention index is cheap on any database.
SQLITE_EXISTS_MIN = 500


def sqlite_walks_dates(article_count: int) -> bool:
    """True on SQLite for a filter that holds for 1% of the archive or more (and at least
    SQLITE_EXISTS_MIN articles): there, the newest 20 are found fastest by walking the
    newest-first index and testing each article, and SQLite, which keeps no statistics of
    how the archive is spread, must be told so. The stored count decides."""
    return (
        connection.vendor == "sqlite"
        and article_count >= SQLITE_EXISTS_MIN
        and article_count * 100 >= Source.objects.total_articles()
    )


def _mention_rows(entity: Person | Place) -> models.QuerySet:
    """The mention rows that link articles to a person or a place."""
    if entity._meta.model_name == "person":
        return ArticlePerson.objects.filter(person=entity)
    return ArticlePlace.objects.filter(place=entity)


def linked_to_all(entities: list[Person | Place]) -> models.QuerySet:
    """The ids (``values("article_id")``) of the articles linked to every one of ``entities``,
    from the mention rows alone: the rarest entity's rows, kept where each other entity has a
    row for the same article (an EXISTS probe of its (article, entity) index per row). Foreign
    keys guarantee the articles exist, so a count needs no article row. A person and Iran at
    100k: PostgreSQL 6 ms (a semi-join of index-only scans) against 28 ms with the article
    table joined; SQLite 7 ms against 29 ms probing every article twice, and 24 ms with the
    others as ``IN (...)`` lists, which SQLite builds in full."""
    rarest, *others = sorted(entities, key=lambda entity: entity.article_count)
    rows = _mention_rows(rarest)
    for other in others:
        rows = rows.filter(
            models.Exists(_mention_rows(other).filter(article_id=models.OuterRef("article_id")))
        )
    return rows.values("article_id")


class ArticleQuerySet(models.QuerySet):
    def in_section(self, section: Section, *, walk_dates: bool = False) -> ArticleQuerySet:
        """Articles in a section or any of its subsections.

        ``walk_dates`` (see ``sqlite_walks_dates``) writes the test as ``+section_id IN
        (...)``, which SQLite cannot answer from the section index: it walks the newest-first
        index instead, and stops at a page (the page of News / Middle East, 25,000 of 100,000
        articles: 175 ms to read and sort them all, 13 ms so)."""
        subtree = Section.objects.subtree(section).values("id")
        if walk_dates:
            unindexed = models.Func(
                models.F("section_id"),
                template="+%(expressions)s",
                output_field=models.IntegerField(),
            )
            return self.alias(section_unindexed=unindexed).filter(section_unindexed__in=subtree)
        return self.filter(section__in=subtree)

    def in_sections(self, sections: list[Section]) -> ArticleQuerySet:
        """Articles in any of ``sections`` or their subsections."""
        condition = Q()
        for section in sections:
            condition |= Q(path=section.path) | Q(path__startswith=section.path + "/")
        return self.filter(section__in=Section.objects.filter(condition))

    def linked_to_any(self, entities: list[Person | Place]) -> ArticleQuerySet:
        """Articles linked to at least one of ``entities`` (all people or all places)."""
        people = [e for e in entities if e._meta.model_name == "person"]
        places = [e for e in entities if e._meta.model_name != "person"]
        condition = Q()
        if people:
            links = ArticlePerson.objects.filter(person__in=people).values("article_id")
            condition |= Q(id__in=links)
        if places:
            links = ArticlePlace.objects.filter(place__in=places).values("article_id")
            condition |= Q(id__in=links)
        return self.filter(condition)

    def mentioning_person(self, person: Person) -> ArticleQuerySet:
        return self.linked_to(person)

    def linked_to(self, entity: Person | Place) -> ArticleQuerySet:
        """Articles linked to a person or a place (for a country, also through its cities).

        A join on the mention table, except on SQLite for an entity in 1% of the archive or
        more: there, an EXISTS per article lets SQLite walk the newest-first index and stop at
        the 20 rows a page shows (0.03 ms for Iran in 100,000 articles, against 335 ms to read
        and sort all 68,130 of its articles). SQLite keeps no statistics to choose that plan
        itself; PostgreSQL does, and always gets the join. The stored ``article_count`` decides.
        """
        if sqlite_walks_dates(entity.article_count):
            links = _mention_rows(entity).filter(article=models.OuterRef("pk"))
            return self.filter(models.Exists(links))
        if entity._meta.model_name == "person":
            return self.filter(person_mentions__person=entity)
        return self.filter(place_mentions__place=entity)

    def among_linked(self, entity: Person | Place) -> ArticleQuerySet:
        """Articles whose id is among those linked to ``entity``: the same set as
        ``linked_to``, as ``id IN (its mention rows)``, which SQLite reads by walking that
        entity's mention index instead of every article (``selectors.lists.list_count``)."""
        return self.filter(id__in=_mention_rows(entity).values("article_id"))

    def in_country(self, iso_code: str) -> ArticleQuerySet:
        """Articles linked to a country (a city link also links its country)."""
        return self.filter(
            place_mentions__place__kind=Place.Kind.COUNTRY,
            place_mentions__place__iso_code=iso_code.upper(),
        )

    def newest_first(self) -> ArticleQuerySet:
        return self.order_by(*NEWEST_FIRST)

    def oldest_first(self) -> ArticleQuerySet:
        return self.order_by(*OLDEST_FIRST)

    def for_lists(self) -> ArticleQuerySet:
        """Articles as a list shows them: section and source joined, no body or original."""
        return self.select_related("section", "source").only(*LIST_FIELDS)


# What a list of articles reads of each row (``ArticleQuerySet.for_lists``).
LIST_FIELDS = (
    "id",
    "slug",
    "headline",
    "caption",
    "published",
    "published_how",
    "word_count",
    "section__name",
    "section__path",
    "section__full_name",
    "source__name",
    "source__slug",
)


class Article(models.Model):
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="articles")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    headline = models.CharField(max_length=500)
    slug = models.SlugField(max_length=200)
    caption = models.TextField(blank=True)
    caption_credit = models.CharField(max_length=300, blank=True)
    # Ordered blocks: [{"kind": "paragraph" | "subheading" | "table", "text": "..."}]; a table
    # keeps its lines and column spacing, and may carry "indent" (its first line's indent).
    body = models.JSONField(default=list)
    # Plain-text projections of ``body`` used by search (weights B and C).
    subheadings_text = models.TextField(blank=True)
    body_text = models.TextField(blank=True)
    word_count = models.PositiveIntegerField(default=0)

    published = models.DateField(null=True, blank=True)
    published_how = models.CharField(
        max_length=10, choices=PublishedHow.choices, default=PublishedHow.UNKNOWN
    )
    published_evidence = models.CharField(max_length=300, blank=True)
    # The dateline opening the story ("WASHINGTON, March 2"), its place, and the stock
    # tickers its wire copy tagged (["SRD", "RTRS.L"]), taken out of headline and body.
    dateline = models.CharField(max_length=200, blank=True)
    dateline_place = models.CharField(max_length=100, blank=True)
    tickers = models.JSONField(default=list, blank=True)

    # Nothing imported is lost: the decoded text and the name it came under.
    original_text = models.TextField()
    original_filename = models.CharField(max_length=1000)
    original_encoding = models.CharField(max_length=40, blank=True)
    content_hash = models.CharField(max_length=64, unique=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = list(NEWEST_FIRST)
        get_latest_by = "published"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "original_filename"], name="article_unique_file_per_source"
            ),
        ]
        indexes = [
            models.Index(fields=["-published", "-id"], name="article_published_idx"),
            models.Index(fields=["section", "-published"], name="article_section_pub_idx"),
            models.Index(fields=["source", "-published"], name="article_source_pub_idx"),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"pk": self.pk, "slug": self.slug or "-"})

    @staticmethod
    def url_template() -> str:
        """The article page's path with ``{pk}`` and ``{slug}`` to fill in: one reverse() for
        a whole export (a reverse() per row costs more than the row at a million rows)."""
        path = reverse("articles:detail", kwargs={"pk": 1, "slug": "slug"})
        return path.replace("/1/slug/", "/{pk}/{slug}/")

    @property
    def paragraphs(self) -> list[str]:
        return [b["text"] for b in self.body if b.get("kind") == "paragraph"]

    @property
    def subheadings(self) -> list[str]:
        return [b["text"] for b in self.body if b.get("kind") == "subheading"]


class ArticleRevision(models.Model):
    """The original text an article had before a changed file replaced it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    original_text = models.TextField()
    original_filename = models.CharField(max_length=1000)
    content_hash = models.CharField(max_length=64)
    replaced_at = models.DateTimeField(auto_now_add=True)
    batch = models.ForeignKey(
        "ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions"
    )

    class Meta:
        ordering = ["-replaced_at"]

    def __str__(self) -> str:
        return f"{self.original_filename} (replaced {self.replaced_at:%Y-%m-%d})"
