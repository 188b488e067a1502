"""Small factories for browse and search tests: rows built with the ORM, no parsing; and
``import_texts``, for tests that want what the real importer writes.

Texts are our own writing. ``link_place`` links a city's country too (``via_city``), as the
importer does; slugs come from the one slug function, and ``recount`` fills the stored counts
with the importer's own recount functions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools

from articles.importing import ImportOptions, recount_containers, recount_entities, run_import
from articles.importing.rollups import rebuild_rollups
from articles.ingest.types import RawFile
from articles.models import (
    Article,
    ArticlePerson,
    ArticlePlace,
    ImportBatch,
    Person,
    Place,
    PublishedHow,
    Section,
    Source,
)
from articles.slugs import slug_for

_seq = itertools.count(1)


def make_source(name: str = "Press TV") -> Source:
    source, _ = Source.objects.get_or_create(
        name=name, defaults={"slug": slug_for(name, fallback="source")}
    )
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
        slug=slug_for(headline, fallback="article"),
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
    slug = extra.pop("slug") if "slug" in extra else slug_for(name, fallback="person")
    return Person.objects.create(name=name, slug=slug, **extra)


def make_country(name: str, iso: str, **extra) -> Place:
    return Place.objects.create(
        name=name,
        slug=extra.pop("slug") if "slug" in extra else slug_for(name, fallback="place"),
        kind=Place.Kind.COUNTRY,
        iso_code=iso,
        **extra,
    )


def make_city(name: str, country: Place, **extra) -> Place:
    return Place.objects.create(
        name=name,
        slug=extra.pop("slug") if "slug" in extra else slug_for(name, fallback="place"),
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
    """Fill every stored count with the importer's recount (sections: direct articles only),
    and the monthly counts from the rows."""
    recount_entities()
    recount_containers()
    rebuild_rollups()


# Two stories in the native format, one in News / Europe naming a person and a city, one in
# Sport / Football naming others: what the scoped-cache tests import into separate scopes.
HARBOUR = (
    "News   /   Europe\n\nHarbour workers end their strike\n\n"
    "Foreign Minister Arvid Tallen said in Minsk on Monday that the harbour would reopen.\n"
)
MATCH = (
    "Sport   /   Football\n\nA late goal decides the cup final\n\n"
    "Coach Marten Ulvaeus said in Moscow that his striker had never played better.\n"
)


def import_texts(texts: dict[str, str], **options) -> ImportBatch:
    """Import ``texts`` (file name -> text) with the real importer; ``options`` are
    :class:`ImportOptions` fields (``source_name=...``, ``dry_run=True``)."""
    files = [RawFile(name=name, data=text.encode("utf-8")) for name, text in texts.items()]
    return run_import(files, options=ImportOptions(**options))


def make_world():
    """A small archive for page tests: three countries with a city each, three people, nested
    sections, five articles (one names only Minsk, one is undated). Counts filled."""
    from types import SimpleNamespace

    w = SimpleNamespace()
    w.by = make_country("Belarus", "BY")
    w.ru = make_country("Russia", "RU")
    w.ir = make_country("Iran", "IR")
    w.minsk = make_city("Minsk", w.by)
    w.moscow = make_city("Moscow", w.ru)
    w.tehran = make_city("Tehran", w.ir)
    w.putin = make_person("Vladimir Putin")
    w.lukashenko = make_person("Alexander Lukashenko")
    w.raisi = make_person("Ebrahim Raisi")
    w.press = make_source("Press TV")
    w.herald = make_source("The Meridian Herald")

    w.minsk_only = make_article(
        "Border talks resume in the capital",
        body=["Delegations met in Minsk on Thursday to discuss border crossings."],
        caption="Delegates arrive in Minsk on February 10, 2022.",
        caption_credit="Via AFP",
        section="News / Europe",
        published=dt.date(2022, 2, 10),
        source=w.press,
    )
    link_person(w.minsk_only, w.lukashenko, role="President", mentions=2)
    link_place(w.minsk_only, w.minsk, mentions=2)

    w.putin_by = make_article(
        "Putin and Lukashenko discuss gas prices",
        body=[
            "Vladimir Putin said gas prices for Belarus would stay the same.",
            ("subheading", "A long friendship"),
            "The two leaders have met many times.",
        ],
        section="News / Europe",
        published=dt.date(2022, 3, 1),
        published_how=PublishedHow.INFERRED,
        source=w.press,
    )
    link_person(w.putin_by, w.putin, role="Russian President", mentions=3)
    link_person(w.putin_by, w.lukashenko, mentions=1)
    link_place(w.putin_by, w.by, mentions=2)

    w.putin_ru = make_article(
        "Kremlin announces new budget",
        body=["President Putin signed the budget in Moscow."],
        section="News",
        published=dt.date(2021, 6, 1),
        source=w.press,
    )
    link_person(w.putin_ru, w.putin, role="President", mentions=1)
    link_place(w.putin_ru, w.ru)
    link_place(w.putin_ru, w.moscow)

    w.raisi_ir = make_article(
        "Tehran market prices ease",
        body=["Ebrahim Raisi visited the bazaar in Tehran as prices eased."],
        section="Business",
        published=dt.date(2023, 1, 5),
        source=w.herald,
    )
    link_person(w.raisi_ir, w.raisi)
    link_place(w.raisi_ir, w.ir)
    link_place(w.raisi_ir, w.tehran)

    w.undated = make_article(
        "Undated note about gas storage",
        body=["Storage levels were reported without a date."],
        section="Business",
        published=None,
        source=w.herald,
    )
    w.articles = [w.minsk_only, w.putin_by, w.putin_ru, w.raisi_ir, w.undated]
    recount()
    for obj in (w.by, w.ru, w.ir, w.minsk, w.moscow, w.tehran, w.putin, w.lukashenko, w.raisi):
        obj.refresh_from_db()
    return w
