"""The archive's domain: sources, a section tree, articles with their original text, the people
and places they mention, and an audit of every import.

Search columns (a PostgreSQL tsvector, or a SQLite FTS5 table) are created by a migration for
the database in use, not declared here, because the two databases need different structures;
``articles.search`` hides the difference.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse

from .slugs import slug_for

# The archive's one order: newest first, undated last, newest id first on a tie. It is the
# model's default ordering and what every list, feed and export means by "newest first";
# the (published, id) index and its PostgreSQL nulls-last twin (migration 0003) serve it.
NEWEST_FIRST = (models.F("published").desc(nulls_last=True), "-id")
OLDEST_FIRST = (models.F("published").asc(nulls_last=True), "id")


class SourceQuerySet(models.QuerySet):
    def total_articles(self) -> int:
        """All articles: the sum of the sources' stored counts (every article has one)."""
        return self.aggregate(n=models.Sum("article_count"))["n"] or 0


class SectionQuerySet(models.QuerySet):
    def subtree(self, section: Section) -> SectionQuerySet:
        """``section`` and every section below it (one indexed prefix query on ``path``)."""
        return self.filter(Q(path=section.path) | Q(path__startswith=section.path + "/"))

    def subtree_total(self, section: Section) -> int:
        """Articles in ``section`` and its subsections, from the stored counts."""
        return self.subtree(section).aggregate(n=models.Sum("article_count"))["n"] or 0


class Source(models.Model):
    """Who published an article: Press TV, BBC News, Tehran Times, ..."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    website = models.CharField(max_length=200, blank=True)
    article_count = models.PositiveIntegerField(default=0, editable=False)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:list") + f"?source={self.slug}"


class Section(models.Model):
    """A node of the section tree. "News / Russia" is Russia with parent News.

    ``path`` is the slug path from the root ("news/russia") and ``full_name`` the display path
    ("News / Russia"); both are stored so a subtree is one indexed prefix query.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=600, unique=True)
    full_name = models.CharField(max_length=600)
    depth = models.PositiveSmallIntegerField(default=0)
    article_count = models.PositiveIntegerField(default=0, editable=False)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "slug"], name="section_unique_slug_in_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("articles:section", kwargs={"path": self.path})

    def names(self) -> list[str]:
        return self.full_name.split(" / ")

    def trail(self) -> list[tuple[str, str]]:
        """(name, path) for each level, from the stored path and display name."""
        paths, names = self.path.split("/"), self.names()
        if len(paths) != len(names):  # a name that contained " / ": the section alone
            return [(self.full_name, self.path)]
        return [(name, "/".join(paths[: i + 1])) for i, name in enumerate(names)]

    @classmethod
    def get_or_create_path(cls, names: list[str]) -> Section | None:
        """The section for a path of names, creating missing levels."""
        parent = None
        for depth, name in enumerate(n.strip() for n in names):
            if not name:
                continue
            slug = slug_for(name, fallback="section")
            path = f"{parent.path}/{slug}" if parent else slug
            full_name = f"{parent.full_name} / {name}" if parent else name
            parent, _ = cls.objects.get_or_create(
                path=path,
                defaults={
                    "name": name,
                    "slug": slug,
                    "parent": parent,
                    "full_name": full_name,
                    "depth": depth,
                },
            )
        return parent


class PublishedHow(models.TextChoices):
    EXPLICIT = "explicit", "stated in the article"
    INFERRED = "inferred", "inferred from the text"
    GIVEN = "given", "given at import"
    UNKNOWN = "unknown", "unknown"


# Below this many articles a join through the mention index is cheap on any database.
SQLITE_EXISTS_MIN = 500


class ArticleQuerySet(models.QuerySet):
    def in_section(self, section: Section) -> ArticleQuerySet:
        """Articles in a section or any of its subsections."""
        return self.filter(section__in=Section.objects.subtree(section))

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
        is_person = entity._meta.model_name == "person"
        if (
            connection.vendor == "sqlite"
            and entity.article_count >= SQLITE_EXISTS_MIN
            and entity.article_count * 100 >= Source.objects.total_articles()
        ):
            mentions = ArticlePerson if is_person else ArticlePlace
            field = "person" if is_person else "place"
            links = mentions.objects.filter(article=models.OuterRef("pk"), **{field: entity})
            return self.filter(models.Exists(links))
        if is_person:
            return self.filter(person_mentions__person=entity)
        return self.filter(place_mentions__place=entity)

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


class EntityQuerySet(models.QuerySet):
    def entities(self):
        """Rows that are real entities: not marked wrong by an editor, not merged away."""
        return self.filter(is_entity=True, merged_into__isnull=True)

    def in_archive(self):
        """Real entities that at least one article names (by the stored counts)."""
        return self.entities().filter(article_count__gt=0)

    def most_covered(self):
        return self.order_by("-article_count", "name")


class Entity(models.Model):
    """What a person and a place have in common: a name with its other spellings, the editors'
    verdicts (not an entity, merged into another row) and the importer's stored counts."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    # Other spellings and merged names; extraction maps them to this row.
    aliases = models.JSONField(default=list, blank=True)
    # An editor marks a wrong extraction as not an entity; re-extraction never links it again.
    is_entity = models.BooleanField(default=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    article_count = models.PositiveIntegerField(default=0, editable=False)
    mention_count = models.PositiveIntegerField(default=0, editable=False)

    objects = EntityQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def kept(self):
        """The row that holds this one's mentions: itself, or the end of its ``merged_into``
        chain (the rows along it must be select_related or cached; a cycle stops where it
        started)."""
        entity, seen = self, set()
        while entity.merged_into_id and entity.pk not in seen:
            seen.add(entity.pk)
            entity = entity.merged_into
        return entity


class Person(Entity):
    class Meta(Entity.Meta):
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["-article_count"], name="person_article_count_idx"),
            models.Index(fields=["name"], name="person_name_idx"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("articles:person", kwargs={"slug": self.slug})


class Place(Entity):
    class Kind(models.TextChoices):
        COUNTRY = "country", "country"
        CITY = "city", "city"
        REGION = "region", "region"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # A city or region belongs to its country; a country has none.
    country = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subdivisions",
        limit_choices_to={"kind": "country"},
    )
    # ISO 3166-1 alpha-2 of the place's country (the country's own code for a country).
    iso_code = models.CharField(max_length=2, blank=True, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    population = models.BigIntegerField(null=True, blank=True)
    geonames_id = models.BigIntegerField(null=True, blank=True)

    class Meta(Entity.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["iso_code"],
                condition=Q(kind="country"),
                name="place_unique_country_iso",
            ),
            models.CheckConstraint(
                condition=~Q(kind="country") | Q(country__isnull=True),
                name="place_country_has_no_parent",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "-article_count"], name="place_kind_count_idx"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("articles:place", kwargs={"slug": self.slug})


class ArticlePerson(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="person_mentions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="article_mentions")
    mentions = models.PositiveIntegerField(default=1)
    # How the article describes the person ("Kremlin spokesman"), if it does.
    role = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "person"], name="articleperson_unique_pair"),
        ]
        indexes = [models.Index(fields=["person", "article"], name="articleperson_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} in {self.article_id} ×{self.mentions}"


class ArticlePlace(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="place_mentions")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="article_mentions")
    # Times the place is named; 0 when linked only through one of its cities.
    mentions = models.PositiveIntegerField(default=1)
    via_city = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "place"], name="articleplace_unique_pair"),
        ]
        indexes = [models.Index(fields=["place", "article"], name="articleplace_place_idx")]

    def __str__(self) -> str:
        return f"{self.place} in {self.article_id} ×{self.mentions}"


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
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="import_files"
    )
    content_hash = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["batch", "status"], name="importfile_batch_status_idx")]

    def __str__(self) -> str:
        return f"{self.filename}: {self.status}"


# Stored aggregates and scope versions live in their own module (this one is long enough).
from .rollups import MonthlyCount, ScopeVersion  # noqa: E402, F401
