"""Writing rows: articles (with the revisions they replace), import-file rows, and the
people and places they mention, created when new. In bulk, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import batched

from django.db import connection, transaction
from django.utils import timezone

from ..ingest import gazetteer
from ..ingest.types import ParsedArticle, block_dict
from ..models import (
    Article,
    ArticlePerson,
    ArticlePlace,
    ArticleRevision,
    ImportBatch,
    ImportFile,
    Person,
    Place,
    PublishedHow,
)
from ..slugs import slug_for
from .classify import KNOWN_ROW_FIELDS, Classified, content_hash
from .counts import Touched, recount_entities
from .limits import clip
from .options import ImportOptions
from .registry import Registry
from .rollups import RollupChange

UPDATE_FIELDS = [
    "section",
    "headline",
    "slug",
    "caption",
    "caption_credit",
    "body",
    "subheadings_text",
    "body_text",
    "word_count",
    "published",
    "published_how",
    "published_evidence",
    "dateline",
    "dateline_place",
    "tickers",
    "original_text",
    "original_encoding",
    "content_hash",
    "updated_at",
]


def write_articles(
    classified: Classified,
    batch: ImportBatch,
    options: ImportOptions,
    registry: Registry,
    touched: Touched,
) -> None:
    """Write a classified chunk: revisions of the texts replaced, the articles, the file
    rows and the mention rows; keep the monthly counts right; note in ``touched`` whose
    stored counts (and cached pages) changed."""
    to_update, to_create = classified.to_update, classified.to_create
    rollups = RollupChange([a.pk for _, a in to_update])
    # The section an updated article leaves shows one story fewer.
    sections = _keep_revisions(to_update, batch) if to_update else set()
    for parsed, article in to_create + to_update:
        fill_article(article, parsed, options, registry)
        touched.sources.add(article.source_id)
        if article.section_id:
            sections.add(article.section_id)
    if to_update:
        Article.objects.bulk_update([a for _, a in to_update], UPDATE_FIELDS)
        touched.edited = True  # a replaced text may lose a match: capped counts end
    if to_create:
        Article.objects.bulk_create([a for _, a in to_create])
    for row in classified.rows:
        # Only rows given an Article object (created, updated) need its new id; reading
        # ``row.article`` on the others would load each stored article, text and all.
        if ImportFile.article.is_cached(row) and row.article is not None:
            row.article_id = row.article.pk
    write_file_rows(classified, batch)

    pairs = [(a, p) for p, a in to_create + to_update]
    people, places = link_entities(pairs, registry, replace=bool(to_update)) if pairs else ((), ())
    touched.mark(people=set(people), places=set(places), sections=sections)
    if pairs:
        rollups.commit([a.pk for a, _ in pairs])
        touched.changed = True  # cached pages go stale at the next refresh (see Touched)


def write_file_rows(classified: Classified, batch: ImportBatch) -> None:
    """A chunk's ImportFile rows: the classified files' in bulk, the known files' as plain
    rows (one INSERT per 2,000: within both databases' limits on parameters)."""
    ImportFile.objects.bulk_create(classified.rows)
    if classified.known_rows:
        rows = ((batch.pk, *row) for row in classified.known_rows)
        _insert_rows(ImportFile, ["batch", *KNOWN_ROW_FIELDS], rows, batch=2000)


def _keep_revisions(to_update: list[tuple[ParsedArticle, Article]], batch: ImportBatch) -> set[int]:
    """Store the texts being replaced; return the sections the articles were in."""
    # Loaded only for changed files, so a re-run over an unchanged archive never reads the
    # stored texts back.
    old = Article.objects.filter(pk__in=[a.pk for _, a in to_update])
    old_texts, old_sections = {}, set()
    for pk, text, section_id in old.values_list("pk", "original_text", "section_id"):
        old_texts[pk] = text
        if section_id:
            old_sections.add(section_id)
    ArticleRevision.objects.bulk_create(
        ArticleRevision(
            article=article,
            original_text=old_texts[article.pk],
            original_filename=article.original_filename,
            content_hash=article.content_hash,
            batch=batch,
        )
        for _, article in to_update
    )
    return old_sections


def fill_article(
    article: Article, parsed: ParsedArticle, options: ImportOptions, registry: Registry
) -> None:
    """Set ``article``'s fields from ``parsed`` (whose section the parser has overridden
    already when the run gives one); a date given for the run wins over the text's."""
    article.content_hash = content_hash(parsed.text)
    article.section = registry.section(parsed.section_path)
    article.headline = clip(parsed.headline or parsed.file.rsplit("/", 1)[-1], 500)
    article.slug = slug_for(article.headline, fallback="article")
    article.caption = parsed.caption
    article.caption_credit = clip(parsed.caption_credit, 300)
    article.body = [block_dict(b) for b in parsed.blocks]
    article.subheadings_text = "\n".join(b.text for b in parsed.blocks if b.kind == "subheading")
    # Tables are searchable text too (figures, company names in earnings rows).
    article.body_text = "\n\n".join(b.text for b in parsed.blocks if b.kind != "subheading")
    article.word_count = len(article.body_text.split())
    if options.published:
        article.published = options.published
        article.published_how = PublishedHow.GIVEN
        article.published_evidence = "date given at import"
    else:
        article.published = parsed.published
        article.published_how = parsed.published_how if parsed.published else PublishedHow.UNKNOWN
        article.published_evidence = clip(parsed.published_evidence, 300)
    article.dateline = clip(parsed.dateline, 200)
    article.dateline_place = clip(parsed.dateline_place, 100)
    article.tickers = list(parsed.tickers)
    article.original_text = parsed.text
    article.original_encoding = clip(parsed.encoding, 40)
    article.updated_at = timezone.now()


# --- people and places ------------------------------------------------------------------------


def replace_entities(pairs: list[tuple[Article, ParsedArticle]]) -> None:
    """Replace the people and places linked to each article with those in its ParsedArticle,
    in one transaction, and update the stored counts of everyone affected."""
    if not pairs:
        return
    registry = Registry()
    with transaction.atomic():
        rollups = RollupChange([a.pk for a, _ in pairs])
        people, places = link_entities(pairs, registry, replace=True)
        rollups.commit([a.pk for a, _ in pairs])
        recount_entities(person_ids=people, place_ids=places)


def link_entities(
    pairs: list[tuple[Article, ParsedArticle]], registry: Registry, *, replace: bool
) -> tuple[set[int], set[int]]:
    """Write the mention rows of ``pairs``, creating people and places as needed.

    Returns the ids of the people and places whose stored counts changed.
    """
    registry.load_people()
    registry.load_places()
    touched_people: set[int] = set()
    touched_places: set[int] = set()
    if replace:
        ids = [a.pk for a, _ in pairs]
        people = ArticlePerson.objects.filter(article_id__in=ids)
        places = ArticlePlace.objects.filter(article_id__in=ids)
        touched_people |= set(people.values_list("person_id", flat=True))
        touched_places |= set(places.values_list("place_id", flat=True))
        people.delete()
        places.delete()

    _create_missing_people(pairs, registry)
    _create_missing_places(pairs, registry)
    person_rows = _person_rows(pairs, registry)
    place_rows = _place_rows(pairs, registry)
    # Plain rows, not model instances: an import writes ten mention rows per article, and
    # building and compiling them through the ORM was most of the main process's time.
    _insert_rows(ArticlePerson, ["article", "person", "mentions", "role"], person_rows.values())
    _save_new_aliases(registry)
    _insert_rows(ArticlePlace, ["article", "place", "mentions", "via_city"], place_rows.values())
    touched_people |= {pk for _, pk in person_rows}
    touched_places |= {pk for _, pk in place_rows}
    return touched_people, touched_places


def _person_rows(pairs, registry: Registry) -> dict[tuple[int, int], list]:
    """(article_id, person_id) -> [article_id, person_id, mentions, role]."""
    rows: dict[tuple[int, int], list] = {}
    for article, parsed in pairs:
        for mention in parsed.people:
            pk = registry.resolve_person(mention.name)
            if not pk:
                continue
            key = (article.pk, pk)
            if key in rows:
                rows[key][2] += mention.mentions
            else:
                rows[key] = [article.pk, pk, mention.mentions, clip(mention.role, 200)]
    return rows


def _place_rows(pairs, registry: Registry) -> dict[tuple[int, int], list]:
    """(article_id, place_id) -> [article_id, place_id, mentions, via_city]."""
    rows: dict[tuple[int, int], list] = {}
    for article, parsed in pairs:
        for mention in parsed.places:
            pk = registry.resolve_place(mention.name, mention.kind, mention.country_code)
            if not pk:
                continue
            key = (article.pk, pk)
            if key in rows:
                row = rows[key]
                row[2] += mention.mentions
                row[3] = row[2] == 0
            else:
                # The extractor lists a city's country with 0 mentions when the text never
                # names it: that link exists only through the city.
                rows[key] = [article.pk, pk, mention.mentions, mention.mentions == 0]
            # A city or region links its article to its country too.
            if mention.kind != Place.Kind.COUNTRY and mention.country_code:
                country_pk = registry.country_by_iso.get(mention.country_code.upper())
                if country_pk and (article.pk, country_pk) not in rows:
                    rows[(article.pk, country_pk)] = [article.pk, country_pk, 0, True]
    return rows


def _save_new_aliases(registry: Registry) -> None:
    """Record surname-only mentions joined to a person across stories as its aliases."""
    for pk, names in registry.new_aliases.items():
        person = Person.objects.filter(pk=pk).only("aliases").first()
        if person is not None:
            aliases = sorted(set(person.aliases or []) | names)
            Person.objects.filter(pk=pk).update(aliases=aliases)
    registry.new_aliases.clear()


def _insert_rows(model, fields: list[str], rows: Iterable[list], batch: int = 500) -> None:
    """INSERT ``rows`` (values in the order of ``fields``) into ``model``'s table, ``batch``
    rows per statement, bypassing model instances. For simple rows only: no defaults, no
    signals, no returned ids."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for part in batched(rows, batch):
            values = ", ".join([placeholder] * len(part))
            params = [value for row in part for value in row]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", params)


def _create_missing_people(pairs: list[tuple[Article, ParsedArticle]], registry: Registry) -> None:
    new: dict[str, Person] = {}
    for _, parsed in pairs:
        for mention in parsed.people:
            name = clip(mention.name.strip(), 200)
            mention.name = name
            if not name or registry.resolve_person(name) is not None:
                continue
            low = name.lower()
            if low not in new:
                new[low] = Person(name=name, slug=registry.new_person_slug(name), aliases=[])
    if not new:
        return
    Person.objects.bulk_create(new.values())
    for low, person in new.items():
        registry.person_by_key[low] = person.pk
        registry.index_surname(person.name, person.pk)


def _create_missing_places(pairs: list[tuple[Article, ParsedArticle]], registry: Registry) -> None:
    _create_missing_countries(pairs, registry)  # first: cities point at them
    others: dict[tuple[str, str, str], Place] = {}
    for _, parsed in pairs:
        for m in parsed.places:
            if m.kind == Place.Kind.COUNTRY:
                continue
            iso = (m.country_code or "").upper()
            key = (m.kind, iso, m.name.lower())
            if key in registry.place_by_key or key in registry.place_blocked or key in others:
                continue
            others[key] = Place(
                name=clip(m.name, 200),
                slug=registry.new_place_slug(m.name, iso),
                kind=m.kind,
                iso_code=iso,
                country_id=registry.country_by_iso.get(iso),
                latitude=m.latitude,
                longitude=m.longitude,
                population=m.population,
                geonames_id=m.geonames_id,
            )
    if others:
        Place.objects.bulk_create(others.values())
        for key, place in others.items():
            registry.place_by_key[key] = place.pk


def _create_missing_countries(pairs, registry: Registry) -> None:
    wanted: dict[str, str] = {}  # iso -> name ("" when only a city names the country)
    for _, parsed in pairs:
        for m in parsed.places:
            iso = (m.country_code or "").upper()
            if not iso:
                continue
            if m.kind == Place.Kind.COUNTRY:
                if registry.resolve_place(m.name, m.kind, iso) is None:
                    wanted.setdefault(iso, m.name)
            elif iso not in registry.country_by_iso:
                wanted.setdefault(iso, "")
    countries = []
    for iso, name in wanted.items():
        if iso in registry.country_by_iso:
            continue
        info = gazetteer.country_info(iso) or {}
        name = name or info.get("name") or iso
        details = {
            key: info[key]
            for key in ("latitude", "longitude", "population", "geonames_id")
            if info.get(key) is not None
        }
        countries.append(
            Place(
                name=name,
                slug=registry.new_place_slug(name, ""),
                kind=Place.Kind.COUNTRY,
                iso_code=iso,
                **details,
            )
        )
    if countries:
        Place.objects.bulk_create(countries)
        for place in countries:
            registry.country_by_iso[place.iso_code] = place.pk
            registry.place_by_key[(place.kind, place.iso_code, place.name.lower())] = place.pk
