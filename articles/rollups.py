"""Rows kept beside the archive's own: articles per month of each person, place, section
subtree and of the whole archive (maintained by the importer and curation in the same
transaction as the rows they count), and the versions that scope cached pages."""

from __future__ import annotations

from django.db import models


class MonthlyCount(models.Model):
    """How many dated articles one person, place (a country's include those reaching it
    through a city), section (with its subsections) or the whole archive has in a month.

    Written only through ``articles.importing.rollups``; read by ``articles.selectors``. A
    row may hold 0 after a correction: readers skip it.
    """

    class Kind(models.TextChoices):
        ARCHIVE = "archive", "whole archive"
        PERSON = "person", "person"
        PLACE = "place", "place"
        SECTION = "section", "section and its subsections"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    entity_id = models.BigIntegerField(default=0)  # 0 for the archive
    month = models.DateField()  # its first day
    articles = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "entity_id", "month"], name="monthlycount_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "month", "-articles"], name="monthlycount_top_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.entity_id} {self.month:%Y-%m}: {self.articles}"


class ScopeVersion(models.Model):
    """A number increased when anything shown on one entity's page changes ("person:<slug>",
    "place:<slug>", "section:<path>"); "*" is increased by every change that may show on any
    page (a merge, an admin edit). See ``articles.caching``."""

    scope = models.CharField(max_length=700, primary_key=True)
    version = models.BigIntegerField(default=1)

    class Meta:
        verbose_name = "cache scope version"

    def __str__(self) -> str:
        return f"{self.scope}: {self.version}"
