"""The reads behind the home page, the article page, the entity pages and the date archive.

Each returns what its page shows, with the aggregates cached per archive version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from ..caching import Key, remember, scope_of
from ..models import Article, ArticlePerson, ArticlePlace, Person, Place, Section
from ..models.articles import sqlite_walks_dates
from . import aggregates, rollups
from .lists import with_teaser

HOME_LATEST = 12
COUNTRY_CITIES = 24
# What is mentioned with an entity, and how a person is described, is counted over its newest
# CO_SAMPLE articles: bounded work for Iran's 680,000; the page says so when it has more.
CO_SAMPLE = 1000


def most_mentioned_between(start: dt.date, end: dt.date) -> tuple[list, list]:
    """The people and the countries most mentioned between two dates (a whole month, as the
    home page and the date archive ask, is read from the monthly counts)."""
    if (start, end) == aggregates.month_bounds(start):
        top_people = lambda: rollups.top_people_in_month(start)  # noqa: E731
        top_countries = lambda: rollups.top_countries_in_month(start)  # noqa: E731
    else:
        top_people = lambda: aggregates.top_people_between(start, end)  # noqa: E731
        top_countries = lambda: aggregates.top_countries_between(start, end)  # noqa: E731
    people = remember(Key.TOP_PEOPLE, start, end, compute=top_people)
    countries = remember(Key.TOP_COUNTRIES, start, end, compute=top_countries)
    return people, countries


def home_page() -> dict:
    """Latest stories, who and where they were about, and the sections.

    "In the news" counts over the months of the latest stories (not only the newest month,
    which may hold a single story and make every count 1): no extra query, the list above
    is newest first.
    """
    latest = list(with_teaser(Article.objects.all()).newest_first()[:HOME_LATEST])
    page = {"latest": latest, "sections": aggregates.section_tree()}
    dates = [a.published for a in latest if a.published]
    if dates:
        start, end = aggregates.month_bounds(min(dates))[0], aggregates.month_bounds(max(dates))[1]
        page["month"], page["since"] = end.replace(day=1), start
        page["month_people"], page["month_countries"] = most_mentioned_between(start, end)
    return page


# --- the article page -------------------------------------------------------------------


@dataclass(slots=True)
class ArticleEntities:
    """The people, countries and other places an article is linked to, as its page lists them."""

    people: list[ArticlePerson]
    countries: list[ArticlePlace]
    places: list[ArticlePlace]
    related: list[Article] = field(default_factory=list)


def article_entities(article: Article) -> ArticleEntities:
    """Who and where ``article`` names, and its related stories, once per archive version
    (any change may link it, unlink it or publish a closer story). Four queries, or none."""
    return remember(Key.ABOUT_ARTICLE, article.pk, compute=lambda: read_article_entities(article))


def read_article_entities(article: Article) -> ArticleEntities:
    """``article_entities`` read now. Four queries."""
    people = list(
        article.person_mentions.filter(person__is_entity=True)
        .select_related("person")
        .order_by("-mentions", "person__name")
    )
    places = list(
        article.place_mentions.filter(place__is_entity=True)
        .select_related("place")
        .order_by("via_city", "-mentions", "place__name")
    )
    countries = [m for m in places if m.place.kind == Place.Kind.COUNTRY]
    others = [m for m in places if m.place.kind != Place.Kind.COUNTRY]
    # "Belarus, through Minsk": a country linked only because a city of it is named.
    for m in countries:
        named = m.mentions > 0 and not m.via_city
        m.through = (
            [] if named else [o.place.name for o in others if o.place.country_id == m.place_id]
        )
    related = aggregates.related_articles(
        article,
        person_ids=[m.person_id for m in people],
        place_ids=[m.place_id for m in places if m.mentions > 0],
    )
    return ArticleEntities(people, countries, others, related)


# --- entity pages -----------------------------------------------------------------------


def _linked(entity: Person | Place | Section) -> QuerySet:
    """The articles of a person, a place (a country's include those naming only one of its
    cities) or a section (with its subsections)."""
    if isinstance(entity, Section):
        return Article.objects.in_section(entity)
    return Article.objects.linked_to(entity)


def entity_articles(entity: Person | Place | Section) -> QuerySet:
    """An entity page's list: its articles, newest first."""
    if isinstance(entity, Section):
        walk = sqlite_walks_dates(entity_size(entity))
        return with_teaser(Article.objects.in_section(entity, walk_dates=walk)).newest_first()
    return with_teaser(_linked(entity)).newest_first()


def entity_size(entity: Person | Place | Section) -> int:
    """How many articles ``entity`` has, from the importer's stored counts (a section's
    subtree total is read once per instance)."""
    if isinstance(entity, Section):
        if not hasattr(entity, "_subtree_total"):
            entity._subtree_total = Section.objects.subtree_total(entity)
        return entity._subtree_total
    return entity.article_count


def _article_ids(entity: Person | Place | Section) -> QuerySet:
    """The ids of ``entity``'s newest CO_SAMPLE articles (newest added first), read from the
    (entity, article) index."""
    if isinstance(entity, Person):
        rows = ArticlePerson.objects.filter(person=entity).order_by("-article_id")
    elif isinstance(entity, Place):
        rows = ArticlePlace.objects.filter(place=entity).order_by("-article_id")
    else:
        return Article.objects.in_section(entity).order_by("-id").values("id")[:CO_SAMPLE]
    return rows.values("article_id")[:CO_SAMPLE]


def entity_summary(entity: Person | Place | Section) -> dict:
    """An entity page's coverage by month (from the monthly counts) and what is most often
    mentioned with it, a person's roles (over its newest CO_SAMPLE articles: ``co_sample``
    says so when it has more); a country's most covered cities. Cached in the entity's
    scope: imports that do not touch it leave them cached."""
    key, scope = (type(entity).__name__, entity.pk), scope_of(entity)
    person = entity if isinstance(entity, Person) else None
    place = entity if isinstance(entity, Place) else None

    def cached(name: Key, compute):
        return remember(name, *key, compute=compute, scope=scope)

    summary = {
        "coverage": cached(Key.COVERAGE, lambda: rollups.coverage(entity)),
        "co_people": cached(
            Key.CO_PEOPLE,
            lambda: aggregates.co_mentioned_people(_article_ids(entity), exclude=person),
        ),
        "co_places": cached(
            Key.CO_PLACES,
            lambda: aggregates.co_mentioned_places(_article_ids(entity), exclude=place),
        ),
        "co_sample": CO_SAMPLE if entity_size(entity) > CO_SAMPLE else None,
    }
    if person is not None:
        summary["roles"] = cached(
            Key.ROLES, lambda: aggregates.person_roles(person, _article_ids(person))
        )
    if place is not None and place.kind == Place.Kind.COUNTRY:
        summary["cities"] = list(
            Place.objects.in_archive().filter(country=place).most_covered()[:COUNTRY_CITIES]
        )
    return summary


def people_index(*, letter: str = "", alphabetical: bool = False) -> QuerySet:
    """``/people/``: the people in the archive, most covered first or A–Z (by first letter)."""
    people = Person.objects.in_archive()
    if letter:
        people = people.filter(name__istartswith=letter)
    return people.order_by("name", "id") if alphabetical else people.most_covered()


def subsections(section: Section) -> list[Section]:
    """The section's children, each with ``total``: its stories with its own subsections'
    (the number its page shows). One query over the subtree."""
    below = list(Section.objects.subtree(section).exclude(pk=section.pk).order_by("path"))
    children = sorted((s for s in below if s.parent_id == section.pk), key=lambda s: s.name)
    for child in children:
        child.total = sum(
            s.article_count
            for s in below
            if s.path == child.path or s.path.startswith(child.path + "/")
        )
    return children


# --- the date archive -------------------------------------------------------------------


def archive_articles() -> QuerySet:
    """Every article as the date archive lists it, newest first."""
    return with_teaser(Article.objects.all()).newest_first()


def archive_years() -> list[aggregates.FacetItem]:
    """The years with their number of articles, newest first."""
    return remember(Key.YEARS, (), compute=rollups.years)


def year_coverage(year: int, articles: QuerySet | None = None) -> list[aggregates.MonthCount]:
    """The archive's articles of ``year`` per month, from the monthly counts (``articles``,
    the year's, is no longer needed)."""
    year = int(year)
    return remember(Key.COVERAGE, "year", year, compute=lambda: rollups.coverage(None, year=year))
