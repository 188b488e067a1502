"""The archive's domain: sources, a section tree, articles with their original text, the people
and places they mention, and an audit of every import.

Search columns (a PostgreSQL tsvector, or a SQLite FTS5 table) are created by a migration for
the database in use, not declared here, because the two databases need different structures;
``articles.search`` hides the difference.
"""

# Rollups live beside the models they summarise (articles/rollups.py); imported last.
from ..rollups import MonthlyCount, ScopeVersion  # noqa: E402
from .articles import (
    LIST_FIELDS,
    NEWEST_FIRST,
    OLDEST_FIRST,
    SQLITE_EXISTS_MIN,
    Article,
    ArticleQuerySet,
    ArticleRevision,
    PublishedHow,
)
from .audit import ArchiveVersion, ImportBatch, ImportFile
from .catalogue import Section, SectionQuerySet, Source, SourceQuerySet
from .entities import ArticlePerson, ArticlePlace, Entity, EntityQuerySet, Person, Place

__all__ = [
    "LIST_FIELDS",
    "NEWEST_FIRST",
    "OLDEST_FIRST",
    "SQLITE_EXISTS_MIN",
    "ArchiveVersion",
    "Article",
    "ArticlePerson",
    "ArticlePlace",
    "ArticleQuerySet",
    "ArticleRevision",
    "Entity",
    "EntityQuerySet",
    "ImportBatch",
    "ImportFile",
    "MonthlyCount",
    "Person",
    "Place",
    "PublishedHow",
    "ScopeVersion",
    "Section",
    "SectionQuerySet",
    "Source",
    "SourceQuerySet",
]
