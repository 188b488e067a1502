"""Small factories for browse and search tests: rows built with the ORM, no importer.

Texts are our own writing. ``link_place`` links a city's country too (``via_city``), as the
importer does, and ``recount`` fills the stored counts the importer maintains.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools

from django.db.models import Count, Sum
from django.utils.text import slugify

from articles.models import (
    Article,
    ArticlePerson,
    ArticlePlace,
    Person,
    Place,
    PublishedHow,
    Section,
    Source,
)

_seq = itertools.count(1)


def make_source(name: str = "Press TV") -> Source:
    source, _ = Source.objects.get_or_create(name=name, defaults={"slug": slugify(name)})
    return source


def make_section(path: str = "News") -> Section:
    """A section from a display path such as "News / Russia"."""
    return Section.get_or_create_path(path.split("/"))


def make_article(
    headline: str = "An ordinary day in the archive",
    *,
    body: list[str] | list[tuple[str, str]] | None = None,
    caption: str = "",
    caption_credit: str = "",
    published: dt.date | None = dt.date(2022, 2, 25),
    published_how: str = PublishedHow.EXPLICIT,
    section: Section | str | None = "News",
    source: Source | None = None,
    **extra,
) -> Article:
    """An article; ``body`` items are paragraphs, or ("subheading", text) pairs."""
    n = next(_seq)
    blocks = []
    for item in body if body is not None else ["A paragraph with nothing remarkable in it."]:
        kind, text = item if isinstance(item, tuple) else ("paragraph", item)
        blocks.append({"kind": kind, "text": text})
    if isinstance(section, str):
        section = make_section(section)
    original = "\n\n".join([headline, caption, *(b["text"] for b in blocks)])
    return Article.objects.create(
        source=source or make_source(),
        section=section,
        headline=headline,
        slug=slugify(headline)[:200] or "article",
        caption=caption,
        caption_credit=caption_credit,
        body=blocks,
        subheadings_text="\n".join(b["text"] for b in blocks if b["kind"] == "subheading"),
        body_text="\n\n".join(b["text"] for b in blocks if b["kind"] == "paragraph"),
        word_count=len(original.split()),
        published=published,
        published_how=published_how if published else PublishedHow.UNKNOWN,
        original_text=original,
        original_filename=extra.pop("original_filename", f"{n:03d}_test.txt"),
        content_hash=hashlib.sha256(f"{n}:{original}".encode()).hexdigest(),
        **extra,
    )


def make_person(name: str, **extra) -> Person:
    return Person.objects.create(name=name, slug=extra.pop("slug", slugify(name)), **extra)


def make_country(name: str, iso: str, **extra) -> Place:
    return Place.objects.create(
        name=name,
        slug=extra.pop("slug", slugify(name)),
        kind=Place.Kind.COUNTRY,
        iso_code=iso,
        **extra,
    )


def make_city(name: str, country: Place, **extra) -> Place:
    return Place.objects.create(
        name=name,
        slug=extra.pop("slug", slugify(name)),
        kind=Place.Kind.CITY,
        country=country,
        iso_code=country.iso_code,
        **extra,
    )


def link_person(article: Article, person: Person, *, mentions: int = 1, role: str = ""):
    return ArticlePerson.objects.create(
        article=article, person=person, mentions=mentions, role=role
    )


def link_place(article: Article, place: Place, *, mentions: int = 1) -> None:
    """Link a place; a city links its country too (mentions 0, via_city) unless named."""
    row, created = ArticlePlace.objects.get_or_create(
        article=article, place=place, defaults={"mentions": mentions}
    )
    if not created and row.via_city:
        row.via_city, row.mentions = False, mentions
        row.save()
    if place.country_id:
        ArticlePlace.objects.get_or_create(
            article=article, place_id=place.country_id, defaults={"mentions": 0, "via_city": True}
        )


def recount() -> None:
    """Fill the stored counts the way the importer does (sections: direct articles only)."""
    for model, related in ((Person, "article_mentions"), (Place, "article_mentions")):
        for obj in model.objects.annotate(a=Count(related), m=Sum(f"{related}__mentions")):
            model.objects.filter(pk=obj.pk).update(article_count=obj.a, mention_count=obj.m or 0)
    for model in (Source, Section):
        for obj in model.objects.annotate(a=Count("articles")):
            model.objects.filter(pk=obj.pk).update(article_count=obj.a)
