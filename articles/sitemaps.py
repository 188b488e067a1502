"""Sitemaps: articles, people, places and sections, split into pages of at most 50,000 URLs
behind a sitemap index (/sitemap.xml)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article, Person, Place, Section


class ArticleSitemap(Sitemap):
    changefreq = "never"
    priority = 0.6

    def items(self):
        return Article.objects.only("id", "slug", "updated_at").order_by("id")

    def lastmod(self, item):
        return item.updated_at


class PersonSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Person.objects.in_archive().only("slug").order_by("id")


class PlaceSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Place.objects.in_archive().only("slug").order_by("id")


class SectionSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return Section.objects.only("path").order_by("path")


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return [
            "articles:home",
            "articles:list",
            "articles:people",
            "articles:places",
            "articles:sections",
            "articles:archive",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "people": PersonSitemap,
    "places": PlaceSitemap,
    "sections": SectionSitemap,
}
