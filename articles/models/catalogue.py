"""Where articles come from and where they are filed: sources and the section tree."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from ..slugs import slug_for


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
