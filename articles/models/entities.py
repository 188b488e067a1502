"""People and places (one abstract ``Entity`` base) and the articles' mentions of them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse


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
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="person_mentions")
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
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="place_mentions")
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
