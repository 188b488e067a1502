"""Root URLs: the admin, the sitemap and the archive app."""

from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from articles.caching import archive_page
from articles.sitemaps import SITEMAPS

# Sitemaps are public and read the whole archive: cached per archive version like the pages.

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        archive_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        archive_page(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("", include("articles.urls")),
]
