"""Sitemaps: articles, people, places and sections, split into pages behind a sitemap index
(/sitemap.xml). Article pages hold ARTICLES_PER_SITEMAP URLs (``?p=2`` for the next), so one
response stays small and cheap however large the archive grows; every response is cached per
archive version (newsarchive/urls.py)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article, Person, Place, Section

ARTICLES_PER_SITEMAP = 5000


class ArticleSitemap(Sitemap):
    changefreq = "never"
    priority = 0.6
    limit = ARTICLES_PER_SITEMAP

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
