"""Public URLs of the archive; docs/browse.md describes each one and its parameters."""

from django.urls import path, re_path
from django.views.decorators.http import require_safe

from . import views
from .caching import archive_export, archive_page, page_scope
from .feeds import ArticleFeed, AtomArticleFeed

app_name = "articles"

# Public pages are served from the cache for anonymous readers, keyed by the archive's version
# (an entity's page by its scope's: imports elsewhere leave it cached; articles.caching);
# exports stream, in parts, and are cached once streamed whole.
urlpatterns = [
    path("", archive_page(views.HomeView.as_view()), name="home"),
    path("articles/", archive_page(views.ArticleListView.as_view()), name="list"),
    # Read-only resources: anything but GET and HEAD is 405.
    path("articles/feed.rss", require_safe(archive_page(ArticleFeed())), name="feed_rss"),
    path("articles/feed.atom", require_safe(archive_page(AtomArticleFeed())), name="feed_atom"),
    path("articles/export.csv", require_safe(archive_export(views.export_csv)), name="export_csv"),
    path("articles/suggest.json", require_safe(archive_page(views.suggest)), name="suggest"),
    path(
        "articles/export.json", require_safe(archive_export(views.export_json)), name="export_json"
    ),
    path(
        "articles/<int:pk>/<slug:slug>/",
        archive_page(views.ArticleDetailView.as_view()),
        name="detail",
    ),
    path("articles/<int:pk>/<slug:slug>/original.txt", views.article_original, name="original"),
    path("people/", archive_page(views.PersonListView.as_view()), name="people"),
    path(
        "people/<slug:slug>/",
        archive_page(views.PersonDetailView.as_view(), scope=page_scope("person")),
        name="person",
    ),
    path("places/", archive_page(views.PlaceListView.as_view()), name="places"),
    path(
        "places/<slug:slug>/",
        archive_page(views.PlaceDetailView.as_view(), scope=page_scope("place")),
        name="place",
    ),
    path("sections/", archive_page(views.SectionListView.as_view()), name="sections"),
    path(
        "sections/<path:path>/",
        archive_page(views.SectionDetailView.as_view(), scope=page_scope("section")),
        name="section",
    ),
    path("archive/", archive_page(views.ArchiveIndex.as_view()), name="archive"),
    re_path(
        r"^archive/(?P<year>[0-9]{4})/$",
        archive_page(views.YearArchive.as_view()),
        name="archive_year",
    ),
    re_path(
        r"^archive/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$",
        archive_page(views.MonthArchive.as_view()),
        name="archive_month",
    ),
    re_path(
        r"^archive/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/$",
        archive_page(views.DayArchive.as_view()),
        name="archive_day",
    ),
]
