"""The public pages. Views stay thin: filters in ``filters``, reads in ``selectors``, search in
``search``; see docs/browse.md for the URL map."""

from .archive import ArchiveIndex, DayArchive, MonthArchive, YearArchive
from .articles import ArticleDetailView, ArticleListView, HomeView, article_original
from .entities import (
    PersonDetailView,
    PersonListView,
    PlaceDetailView,
    PlaceListView,
    SectionDetailView,
    SectionListView,
)
from .export import export_csv, export_json
from .suggest import suggest

__all__ = [
    "ArchiveIndex",
    "ArticleDetailView",
    "ArticleListView",
    "DayArchive",
    "HomeView",
    "MonthArchive",
    "PersonDetailView",
    "PersonListView",
    "PlaceDetailView",
    "PlaceListView",
    "SectionDetailView",
    "SectionListView",
    "YearArchive",
    "article_original",
    "export_csv",
    "export_json",
    "suggest",
]
