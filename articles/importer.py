"""ParsedArticle -> database: idempotent, in bulk, audited.

Every run writes an :class:`ImportBatch` and one :class:`ImportFile` per input. A file is

- ``created`` when neither its text nor its name is known,
- ``unchanged`` when the same text is already stored under the same name,
- ``duplicate`` when the same text is stored under another name (nothing new is written; the
  row points at the article that has it),
- ``updated`` when its name is known but the text changed: the article is re-parsed and the
  replaced original text is kept as an :class:`ArticleRevision`,
- ``failed`` with the reason when it can't be read or parsed. Good files are still imported.

Work is done in chunks, each in one transaction, so an interrupted run leaves only whole
chunks behind and a second run finishes the job. If another process commits the same
articles at the same moment, the chunk's unique constraints fail, the chunk is rolled back
and classified again (its files then come out unchanged or duplicate); so is a chunk that
PostgreSQL aborts to break a deadlock between two imports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import socket
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import batched

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, reset_queries, transaction
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from .caching import bump_version
from .ingest.periods import Period
from .ingest.pipeline import parse_raws
from .ingest.reader import DecodeError, decode_bytes
from .ingest.types import ParsedArticle, RawFile, block_dict
from .models import (
    Article,
    ArticlePerson,
    ArticlePlace,
    ArticleRevision,
    ImportBatch,
    ImportFile,
    Person,
    Place,
    PublishedHow,
    Section,
    Source,
)

CHUNK_SIZE = 500
ERR_INTERRUPTED = "interrupted: its process ended without finishing (killed?); run it again"
UNKNOWN_SOURCE = "Unknown"
# A name is an article's identity (with its source), so it is refused, never clipped: two long
# names clipped alike collided and failed the whole chunk.
MAX_NAME_CHARS = 1000  # Article.original_filename max_length
ERR_NAME_TOO_LONG = "file name too long: {n:,} characters (limit {limit:,})"
# Known sources' web sites, shown on the source's page.
SOURCE_WEBSITES = {"Press TV": "www.presstv.ir", "BBC News": "www.bbc.co.uk/news"}

Status = ImportFile.Status
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


def content_hash(text: str) -> str:
    """The identity of an article's text: SHA-256 of the decoded, newline-normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _clip(value: str, limit: int) -> str:
    value = value or ""
    return value if len(value) <= limit else value[: limit - 1] + "…"


# --- parsing, in parallel ---------------------------------------------------------------------


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


@dataclass(slots=True)
class KnownFile:
    """A file whose exact text is already stored: it is classified without being parsed."""

    file: str
    digest: str
    size: int
    error: None = None


def _parse_new_files(
    raw_files: Iterable[RawFile],
    *,
    source: str | None,
    section_path: list[str] | None,
    workers: int,
    block: int = 500,
    period: Period | None = None,
) -> Iterator[ParsedArticle | KnownFile]:
    """Parse only what is new. Each block of files is decoded and hashed here, one query
    finds the texts already stored, and those files skip parsing and extraction (by far the
    dearest steps), so re-running an import over an unchanged archive is quick."""
    known: deque[KnownFile] = deque()

    def new_files() -> Iterator[RawFile]:
        for raws in batched(raw_files, block):
            digests: list[tuple[RawFile, str | None, int]] = []
            for raw in raws:
                digest, size = None, 0
                if raw.error is None and raw.data is not None:
                    try:
                        text, _ = decode_bytes(raw.data)
                        digest, size = content_hash(text), len(text.encode("utf-8"))
                    except DecodeError:
                        pass  # the parser reports it
                digests.append((raw, digest, size))
            stored = set(
                Article.objects.filter(
                    content_hash__in={d for _, d, _ in digests if d}
                ).values_list("content_hash", flat=True)
            )
            for raw, digest, size in digests:
                if digest in stored:
                    known.append(KnownFile(file=raw.name, digest=digest, size=size))
                else:
                    yield raw

    for parsed in parse_raws(
        new_files(), source=source, section_path=section_path, workers=workers, period=period
    ):
        while known:
            yield known.popleft()
        yield parsed
    while known:
        yield known.popleft()


def _split_repeated_names(chunk: list[ParsedArticle]) -> Iterator[list[ParsedArticle]]:
    """Split a chunk where a file name comes again, so a later file of the same name is
    compared with the earlier one once that is written (and comes out updated or unchanged)."""
    part: list[ParsedArticle] = []
    names: set[str] = set()
    for parsed in chunk:
        if parsed.file in names:
            yield part
            part, names = [], set()
        part.append(parsed)
        names.add(parsed.file)
    if part:
        yield part


def _chunks(items: Iterable[ParsedArticle], size: int) -> Iterator[list[ParsedArticle]]:
    chunk: list[ParsedArticle] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- lookups cached for one run ---------------------------------------------------------------


@dataclass
class _Registry:
    """Name -> row caches for sources, sections, people and places, filled lazily."""

    sources: dict[str, Source] = field(default_factory=dict)
    sections: dict[tuple[str, ...], Section | None] = field(default_factory=dict)
    people_loaded: bool = False
    person_by_key: dict[str, int] = field(default_factory=dict)  # lowercased name/alias -> id
    person_blocked: set[str] = field(default_factory=set)  # names marked not an entity
    person_by_surname: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    person_slugs: set[str] = field(default_factory=set)
    places_loaded: bool = False
    country_by_iso: dict[str, int] = field(default_factory=dict)
    place_by_key: dict[tuple[str, str, str], int] = field(default_factory=dict)
    place_blocked: set[tuple[str, str, str]] = field(default_factory=set)
    place_slugs: set[str] = field(default_factory=set)

    def source(self, name: str) -> Source:
        name = _clip(name.strip() or UNKNOWN_SOURCE, 200)
        if name not in self.sources:
            source = Source.objects.filter(name=name).first()
            if source is None:
                slug = slugify(name)[:200] or "source"
                if Source.objects.filter(slug=slug).exists():
                    slug = f"{slug[:190]}-{Source.objects.count() + 1}"
                source = Source.objects.create(
                    name=name, slug=slug, website=SOURCE_WEBSITES.get(name, "")
                )
            self.sources[name] = source
        return self.sources[name]

    def section(self, names: list[str]) -> Section | None:
        key = tuple(_clip(n.strip(), 200) for n in names if n and n.strip())
        if key not in self.sections:
            self.sections[key] = Section.get_or_create_path(list(key)) if key else None
        return self.sections[key]

    # People ----------------------------------------------------------------------------------

    def load_people(self) -> None:
        if self.people_loaded:
            return
        # Names and slugs come from one query, so they describe the same moment: read apart,
        # a person another import commits in between would have a taken slug but an unknown
        # name, and be created a second time under "<slug>-2".
        rows = Person.objects.values_list(
            "id", "name", "slug", "aliases", "is_entity", "merged_into_id"
        )
        merged: dict[int, int] = {}
        slugs: set[str] = set()
        for pk, name, slug, aliases, is_entity, merged_into in rows.iterator(chunk_size=5000):
            slugs.add(slug)
            keys = [name, *(aliases or [])]
            if merged_into:
                merged[pk] = merged_into
            for key in keys:
                low = key.lower()
                if not is_entity and not merged_into:
                    self.person_blocked.add(low)
                else:
                    self.person_by_key.setdefault(low, pk)
            if is_entity and not merged_into:
                self._index_surname(name, pk)
        # Names of merged people resolve to the person they were merged into.
        for key, pk in list(self.person_by_key.items()):
            seen = set()
            while pk in merged and pk not in seen:
                seen.add(pk)
                pk = merged[pk]
            self.person_by_key[key] = pk
        self.person_slugs = slugs
        self.people_loaded = True

    def _index_surname(self, name: str, pk: int) -> None:
        parts = name.split()
        if len(parts) > 1:
            self.person_by_surname[parts[-1].lower()].add(pk)

    def resolve_person(self, name: str) -> int | None | bool:
        """The id of a known person for ``name``; False when the name is blocked; None when
        unknown. A surname alone is attached to the one person with that surname, if only one."""
        low = name.lower()
        if low in self.person_blocked:
            return False
        if low in self.person_by_key:
            return self.person_by_key[low]
        if " " not in name:
            candidates = self.person_by_surname.get(low, set())
            if len(candidates) == 1:
                return next(iter(candidates))
        return None

    def new_person_slug(self, name: str) -> str:
        base = slugify(name)[:190] or "person"
        slug, n = base, 1
        while slug in self.person_slugs:
            n += 1
            slug = f"{base}-{n}"
        self.person_slugs.add(slug)
        return slug

    # Places ----------------------------------------------------------------------------------

    def load_places(self) -> None:
        if self.places_loaded:
            return
        rows = Place.objects.values_list(  # one query for names and slugs, as for people
            "id", "name", "slug", "kind", "iso_code", "aliases", "is_entity", "merged_into_id"
        )
        slugs: set[str] = set()
        for pk, name, slug, kind, iso, aliases, is_entity, merged_into in rows.iterator(
            chunk_size=5000
        ):
            slugs.add(slug)
            target = merged_into or pk
            for alias in [name, *(aliases or [])]:
                key = (kind, iso, alias.lower())
                if not is_entity and not merged_into:
                    self.place_blocked.add(key)
                else:
                    self.place_by_key.setdefault(key, target)
            if kind == Place.Kind.COUNTRY and is_entity and not merged_into:
                self.country_by_iso[iso] = pk
        self.place_slugs = slugs
        self.places_loaded = True

    def new_place_slug(self, name: str, iso: str) -> str:
        base = slugify(name)[:180] or "place"
        candidates = [base, f"{base}-{iso.lower()}"] if iso else [base]
        for slug in candidates:
            if slug not in self.place_slugs:
                self.place_slugs.add(slug)
                return slug
        n = 2
        while f"{candidates[-1]}-{n}" in self.place_slugs:
            n += 1
        slug = f"{candidates[-1]}-{n}"
        self.place_slugs.add(slug)
        return slug

    def forget_new_rows(self) -> None:
        """After a rolled-back chunk, rows created in it are gone: reload on next use."""
        self.sources.clear()
        self.sections.clear()
        self.people_loaded = False
        self.person_by_key.clear()
        self.person_blocked.clear()
        self.person_by_surname.clear()
        self.places_loaded = False
        self.country_by_iso.clear()
        self.place_by_key.clear()
        self.place_blocked.clear()


# --- the import -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportOptions:
    source_name: str | None = None
    section_path: tuple[str, ...] | None = None
    published: dt.date | None = None
    dry_run: bool = False
    period: Period | None = None  # dates inferred from the text must fall in it


def run_import(
    raw_files: Iterable[RawFile],
    *,
    source_name: str | None = None,
    section_path: list[str] | None = None,
    published: dt.date | None = None,
    dry_run: bool = False,
    user=None,
    origin: str = ImportBatch.Origin.COMMAND,
    description: str = "",
    batch: ImportBatch | None = None,
    progress: Callable[[int, int], None] | None = None,
    total: int | None = None,
    workers: int = 1,
    chunk_size: int = CHUNK_SIZE,
    period: Period | None = None,
) -> ImportBatch:
    """Import ``raw_files`` and return the finished batch (see the module docstring).

    ``source_name`` and ``section_path`` override what the files say; ``published`` gives every
    article of the run that date (``published_how = "given"``). ``dry_run`` classifies every
    file as a real run would, records the batch, and writes no article.
    """
    options = ImportOptions(
        source_name=source_name,
        section_path=tuple(section_path) if section_path else None,
        published=published,
        dry_run=dry_run,
        period=period,
    )
    close_interrupted_batches()
    if batch is None:
        batch = ImportBatch.objects.create(
            origin=origin,
            user=user,
            description=_clip(description, 1000),
            dry_run=dry_run,
            options=_options_json(options),
            total_files=total or 0,
        )
    else:
        batch.status = ImportBatch.Status.RUNNING
        batch.dry_run = dry_run
        batch.options = _options_json(options)
        if total:
            batch.total_files = total
        batch.save(update_fields=["status", "dry_run", "options", "total_files"])

    registry = _Registry()
    touched = _Touched()
    try:
        parsed_stream = _parse_new_files(
            raw_files,
            source=source_name,
            section_path=section_path,
            workers=workers,
            period=period,
        )
        for chunk in _chunks(parsed_stream, chunk_size):
            for part in _split_repeated_names(chunk):
                _import_chunk_with_retry(part, batch, options, registry, touched)
            touched.refresh()
            # With DEBUG on, Django keeps every query's SQL (article texts included): drop it.
            reset_queries()
            if progress:
                progress(batch.processed_files, max(total or 0, batch.processed_files))
        if not dry_run:
            touched.recount()
        batch.status = ImportBatch.Status.DONE
    except BaseException as exc:  # recorded, then re-raised: a crash is never silent
        batch.status = ImportBatch.Status.FAILED
        batch.error = f"{type(exc).__name__}: {exc}"[:5000]
        raise
    finally:
        touched.refresh(force=True)  # even a failed run may have committed chunks
        batch.finished_at = timezone.now()
        batch.save()
    return batch


def _options_json(options: ImportOptions) -> dict:
    return {
        "source": options.source_name,
        "section": " / ".join(options.section_path) if options.section_path else None,
        "published": options.published.isoformat() if options.published else None,
        "dry_run": options.dry_run,
        "period": str(options.period) if options.period else None,
        # Which process runs the batch, so a later run can tell a killed one from a live one.
        "host": socket.gethostname(),
        "pid": os.getpid(),
    }


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def close_interrupted_batches() -> list[int]:
    """Mark as failed the running batches whose process, on this host, no longer exists.

    A run killed with SIGKILL (or a machine that lost power) never records its end, so its
    batch would stay "running" in the history for good. Batches of other hosts are left
    alone: their processes can't be checked from here.
    """
    host = socket.gethostname()
    closed = []
    for batch in ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING).only(
        "id", "options"
    ):
        pid = (batch.options or {}).get("pid")
        if (batch.options or {}).get("host") == host and pid and not _process_alive(pid):
            closed.append(batch.pk)
    if closed:
        ImportBatch.objects.filter(pk__in=closed, status=ImportBatch.Status.RUNNING).update(
            status=ImportBatch.Status.FAILED,
            error=ERR_INTERRUPTED,
            finished_at=timezone.now(),
        )
        # The killed run may have committed chunks after its last refresh of cached pages.
        bump_version()
    return closed


@dataclass
class _Touched:
    """Ids whose stored counts must be recomputed at the end of the run."""

    people: set[int] = field(default_factory=set)
    places: set[int] = field(default_factory=set)
    sources: set[int] = field(default_factory=set)
    sections: set[int] = field(default_factory=set)

    # Articles written since the archive version was last bumped, and when that was. A long
    # import bumps it after its first chunk and then at most every IMPORT_REFRESH_SECONDS, not
    # after every chunk: each bump makes every cached page and aggregate stale, and readers
    # browsing during a 20-minute import should not get an uncached site for 20 minutes.
    changed: bool = False
    last_bump: float = float("-inf")

    def refresh(self, *, force: bool = False) -> None:
        """Bump the archive version if articles changed and the interval has passed."""
        now = time.monotonic()
        if self.changed and (force or now - self.last_bump >= settings.IMPORT_REFRESH_SECONDS):
            bump_version()
            self.changed, self.last_bump = False, now

    def recount(self) -> None:
        recount_entities(person_ids=self.people, place_ids=self.places)
        recount_containers(source_ids=self.sources, section_ids=self.sections)
        self.refresh(force=True)


def _import_chunk_with_retry(
    chunk: list[ParsedArticle],
    batch: ImportBatch,
    options: ImportOptions,
    registry: _Registry,
    touched: _Touched,
) -> None:
    for attempt in range(4):
        try:
            with transaction.atomic():
                counts = _import_chunk(chunk, batch, options, registry, touched)
                _add_counts(batch, counts, len(chunk))
            return
        except (IntegrityError, OperationalError) as exc:
            if isinstance(exc, OperationalError) and not _is_lock_conflict(exc):
                raise
            # Another process committed some of these articles (or names) first, or two
            # imports each waited for a row the other had just written (PostgreSQL aborts one
            # of them). Start the chunk again from what is now in the database.
            registry.forget_new_rows()
            if attempt == 3:
                raise


def _is_lock_conflict(exc: OperationalError) -> bool:
    """A deadlock between two imports, or a SQLite write lock held past the busy timeout."""
    cause = exc.__cause__
    code = getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)
    return code == "40P01" or "database is locked" in str(exc)


def _add_counts(batch: ImportBatch, counts: dict[str, int], processed: int) -> None:
    batch.processed_files += processed
    batch.created_count += counts[Status.CREATED]
    batch.updated_count += counts[Status.UPDATED]
    batch.unchanged_count += counts[Status.UNCHANGED]
    batch.duplicate_count += counts[Status.DUPLICATE]
    batch.failed_count += counts[Status.FAILED]
    batch.save(
        update_fields=[
            "processed_files",
            "created_count",
            "updated_count",
            "unchanged_count",
            "duplicate_count",
            "failed_count",
        ]
    )


def _import_chunk(
    chunk: list[ParsedArticle],
    batch: ImportBatch,
    options: ImportOptions,
    registry: _Registry,
    touched: _Touched,
) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    file_rows: list[ImportFile] = []

    good: list[tuple[ParsedArticle, str, Source]] = []
    known_files: list[KnownFile] = []
    for parsed in chunk:
        if isinstance(parsed, KnownFile):
            known_files.append(parsed)
            continue
        if not parsed.error and len(parsed.file) > MAX_NAME_CHARS:
            parsed.error = ERR_NAME_TOO_LONG.format(n=len(parsed.file), limit=MAX_NAME_CHARS)
        if parsed.error:
            file_rows.append(
                ImportFile(
                    batch=batch,
                    filename=_clip(parsed.file, 1000),
                    status=Status.FAILED,
                    reason=parsed.error,
                )
            )
            continue
        source = registry.source(options.source_name or parsed.source or UNKNOWN_SOURCE)
        good.append((parsed, content_hash(parsed.text), source))

    hashes = {h for _, h, _ in good} | {k.digest for k in known_files}
    by_hash = {
        a.content_hash: a
        for a in Article.objects.filter(content_hash__in=hashes).only(
            "id", "content_hash", "source_id", "original_filename"
        )
    }
    names = {_clip(p.file, 1000) for p, _, _ in good}
    by_name = {
        (a.source_id, a.original_filename): a
        for a in Article.objects.filter(original_filename__in=names).only(
            "id", "content_hash", "source_id", "original_filename"
        )
    }

    to_create: list[tuple[ParsedArticle, Article]] = []
    to_update: list[tuple[ParsedArticle, Article]] = []
    seen_in_chunk: dict[str, str] = {}
    for parsed, digest, source in good:
        filename = _clip(parsed.file, 1000)
        size = len(parsed.text.encode("utf-8"))
        row = ImportFile(batch=batch, filename=filename, content_hash=digest, size=size, status="")
        existing = by_hash.get(digest)
        if existing is not None:
            row.article_id = existing.pk
            if (existing.source_id, existing.original_filename) == (source.pk, filename):
                row.status = Status.UNCHANGED
            else:
                row.status = Status.DUPLICATE
                row.reason = f"same text as {existing.original_filename}"
        elif digest in seen_in_chunk:
            row.status = Status.DUPLICATE
            row.reason = f"same text as {seen_in_chunk[digest]}"
        elif (source.pk, filename) in by_name:
            article = by_name[(source.pk, filename)]
            row.status = Status.UPDATED
            row.reason = "text changed; previous text kept as a revision"
            to_update.append((parsed, article))
            row.article = article
        else:
            row.status = Status.CREATED
            article = Article(source=source, original_filename=filename, content_hash=digest)
            to_create.append((parsed, article))
            row.article = article
        seen_in_chunk.setdefault(digest, filename)
        file_rows.append(row)

    for known_file in known_files:
        file_rows.append(_classify_known(known_file, by_hash.get(known_file.digest), batch))

    for row in file_rows:
        counts[row.status] += 1
    known = [
        row.article_id for row in file_rows if row.status in (Status.UNCHANGED, Status.DUPLICATE)
    ]
    if known and not options.dry_run:
        _touch_unfinished(known, batch, touched)
    if options.dry_run:
        for row in file_rows:
            row.article = None if row.status == Status.CREATED else row.article
            if row.status == Status.CREATED:
                row.article_id = None
        ImportFile.objects.bulk_create(file_rows)
        return counts

    if to_update:
        # Keep the text being replaced. Loaded only for changed files, so a re-run over an
        # unchanged archive never reads the stored texts back.
        old_texts = dict(
            Article.objects.filter(pk__in=[a.pk for _, a in to_update]).values_list(
                "pk", "original_text"
            )
        )
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
    for parsed, article in to_create + to_update:
        _fill_article(article, parsed, options, registry)
        touched.sources.add(article.source_id)
        if article.section_id:
            touched.sections.add(article.section_id)
    if to_update:
        Article.objects.bulk_update([a for _, a in to_update], UPDATE_FIELDS)
    if to_create:
        Article.objects.bulk_create([a for _, a in to_create])
    for row in file_rows:
        if row.article is not None:
            row.article_id = row.article.pk
    ImportFile.objects.bulk_create(file_rows)

    pairs = [(a, p) for p, a in to_create + to_update]
    people, places = _link_entities(pairs, registry, replace=bool(to_update))
    touched.people |= people
    touched.places |= places
    if pairs:
        touched.changed = True  # cached pages go stale at the next refresh (see _Touched)
    return counts


def _touch_unfinished(article_ids: list[int], batch: ImportBatch, touched: _Touched) -> None:
    """Mark for recounting what articles written by an unfinished run link to.

    A run recounts stored counts once, at its end. A run that never got there (killed, or
    stopped by an error) leaves whole chunks of articles behind with their counts not yet
    updated; when a later run meets those articles again (as unchanged or duplicate), it
    recounts their source, section, people and places, so re-running finishes the job.
    """
    unfinished = list(
        ImportFile.objects.filter(
            article_id__in=article_ids, status__in=(Status.CREATED, Status.UPDATED)
        )
        .exclude(batch=batch)
        .exclude(batch__status=ImportBatch.Status.DONE)
        .values_list("article_id", flat=True)
        .distinct()
    )
    if not unfinished:
        return
    for source_id, section_id in Article.objects.filter(pk__in=unfinished).values_list(
        "source_id", "section_id"
    ):
        touched.sources.add(source_id)
        if section_id:
            touched.sections.add(section_id)
    touched.people |= set(
        ArticlePerson.objects.filter(article_id__in=unfinished).values_list("person_id", flat=True)
    )
    touched.places |= set(
        ArticlePlace.objects.filter(article_id__in=unfinished).values_list("place_id", flat=True)
    )


def _classify_known(known: KnownFile, existing: Article | None, batch: ImportBatch) -> ImportFile:
    """Unchanged when the stored copy has this file's name, else a duplicate of it."""
    filename = _clip(known.file, 1000)
    row = ImportFile(batch=batch, filename=filename, content_hash=known.digest, size=known.size)
    if existing is None:  # deleted since the block was hashed: nothing safe to do but ask again
        row.status = Status.FAILED
        row.reason = "the stored copy of this text was deleted during the import; run it again"
    elif existing.original_filename == filename:
        row.status = Status.UNCHANGED
        row.article_id = existing.pk
    else:
        row.status = Status.DUPLICATE
        row.reason = f"same text as {existing.original_filename}"
        row.article_id = existing.pk
    return row


def _fill_article(
    article: Article, parsed: ParsedArticle, options: ImportOptions, registry: _Registry
) -> None:
    article.content_hash = content_hash(parsed.text)
    section_names = list(options.section_path or parsed.section_path)
    article.section = registry.section(section_names)
    article.headline = _clip(parsed.headline or parsed.file.rsplit("/", 1)[-1], 500)
    article.slug = slugify(article.headline)[:200].strip("-") or "article"
    article.caption = parsed.caption
    article.caption_credit = _clip(parsed.caption_credit, 300)
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
        article.published_evidence = _clip(parsed.published_evidence, 300)
    article.dateline = _clip(parsed.dateline, 200)
    article.dateline_place = _clip(parsed.dateline_place, 100)
    article.tickers = list(parsed.tickers)
    article.original_text = parsed.text
    article.original_encoding = _clip(parsed.encoding, 40)
    article.updated_at = timezone.now()


# --- people and places ------------------------------------------------------------------------


def _link_entities(
    pairs: list[tuple[Article, ParsedArticle]], registry: _Registry, *, replace: bool
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
        touched_people |= set(
            ArticlePerson.objects.filter(article_id__in=ids).values_list("person_id", flat=True)
        )
        touched_places |= set(
            ArticlePlace.objects.filter(article_id__in=ids).values_list("place_id", flat=True)
        )
        ArticlePerson.objects.filter(article_id__in=ids).delete()
        ArticlePlace.objects.filter(article_id__in=ids).delete()

    _create_missing_people(pairs, registry)
    _create_missing_places(pairs, registry)

    # Plain rows, not model instances: an import writes ten mention rows per article, and
    # building and compiling them through the ORM was most of the main process's time.
    person_rows: dict[tuple[int, int], list] = {}  # article_id, person_id, mentions, role
    place_rows: dict[tuple[int, int], list] = {}  # article_id, place_id, mentions, via_city
    for article, parsed in pairs:
        for mention in parsed.people:
            pk = registry.resolve_person(mention.name)
            if not pk:
                continue
            key = (article.pk, pk)
            if key in person_rows:
                person_rows[key][2] += mention.mentions
                continue
            person_rows[key] = [article.pk, pk, mention.mentions, _clip(mention.role, 200)]
        for mention in parsed.places:
            pk = _resolve_place(registry, mention.name, mention.kind, mention.country_code)
            if not pk:
                continue
            key = (article.pk, pk)
            if key in place_rows:
                row = place_rows[key]
                row[2] += mention.mentions
                row[3] = row[2] == 0
            else:
                # The extractor lists a city's country with 0 mentions when the text never
                # names it: that link exists only through the city.
                place_rows[key] = [article.pk, pk, mention.mentions, mention.mentions == 0]
            # A city or region links its article to its country too.
            if mention.kind != Place.Kind.COUNTRY and mention.country_code:
                country_pk = registry.country_by_iso.get(mention.country_code.upper())
                if country_pk and (article.pk, country_pk) not in place_rows:
                    place_rows[(article.pk, country_pk)] = [article.pk, country_pk, 0, True]
    _insert_rows(ArticlePerson, ["article", "person", "mentions", "role"], person_rows.values())
    _insert_rows(ArticlePlace, ["article", "place", "mentions", "via_city"], place_rows.values())
    touched_people |= {pk for _, pk in person_rows}
    touched_places |= {pk for _, pk in place_rows}
    return touched_people, touched_places


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


def _resolve_place(registry: _Registry, name: str, kind: str, iso: str) -> int | None:
    iso = (iso or "").upper()
    key = (kind, iso, name.lower())
    if key in registry.place_blocked:
        return None
    if kind == Place.Kind.COUNTRY and iso and key not in registry.place_by_key:
        return registry.country_by_iso.get(iso)
    return registry.place_by_key.get(key)


def _create_missing_people(pairs: list[tuple[Article, ParsedArticle]], registry: _Registry) -> None:
    new: dict[str, Person] = {}
    for _, parsed in pairs:
        for mention in parsed.people:
            name = _clip(mention.name.strip(), 200)
            mention.name = name
            if not name or registry.resolve_person(name) is not None:
                continue
            low = name.lower()
            if low not in new:
                new[low] = Person(
                    name=name,
                    slug=registry.new_person_slug(name),
                    aliases=[],
                )
    if not new:
        return
    Person.objects.bulk_create(new.values())
    for low, person in new.items():
        registry.person_by_key[low] = person.pk
        registry._index_surname(person.name, person.pk)


def _create_missing_places(pairs: list[tuple[Article, ParsedArticle]], registry: _Registry) -> None:
    # Countries first: cities point at them.
    wanted_countries: dict[str, str] = {}
    for _, parsed in pairs:
        for m in parsed.places:
            iso = (m.country_code or "").upper()
            if not iso:
                continue
            if m.kind == Place.Kind.COUNTRY:
                if _resolve_place(registry, m.name, m.kind, iso) is None:
                    wanted_countries.setdefault(iso, m.name)
            elif iso not in registry.country_by_iso:
                wanted_countries.setdefault(iso, "")
    countries = []
    for iso, name in wanted_countries.items():
        if iso in registry.country_by_iso:
            continue
        name = name or _country_name(iso)
        countries.append(
            Place(
                name=name,
                slug=registry.new_place_slug(name, ""),
                kind=Place.Kind.COUNTRY,
                iso_code=iso,
                **_place_details(name, Place.Kind.COUNTRY, iso),
            )
        )
    if countries:
        Place.objects.bulk_create(countries)
        for place in countries:
            registry.country_by_iso[place.iso_code] = place.pk
            registry.place_by_key[(place.kind, place.iso_code, place.name.lower())] = place.pk

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
                name=_clip(m.name, 200),
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


def _country_name(iso: str) -> str:
    info = _gazetteer_country(iso)
    return (info or {}).get("name") or iso


def _place_details(name: str, kind: str, iso: str) -> dict:
    info = _gazetteer_country(iso) if kind == Place.Kind.COUNTRY else None
    if not info:
        return {}
    return {
        key: info.get(key)
        for key in ("latitude", "longitude", "population", "geonames_id")
        if info.get(key) is not None
    }


def _gazetteer_country(iso: str) -> dict | None:
    """Country facts from the extractor's gazetteer, when it offers them."""
    try:
        from .ingest import gazetteer
    except ImportError:
        return None
    lookup = getattr(gazetteer, "country_info", None)
    return lookup(iso) if lookup else None


# --- stored counts ----------------------------------------------------------------------------


def recount_entities(
    person_ids: Iterable[int] | None = None, place_ids: Iterable[int] | None = None
) -> None:
    """Recompute the stored article and mention counts of people and places (all when None)."""
    recounted = False
    for model, mention_model, fk, ids in (
        (Person, ArticlePerson, "person", person_ids),
        (Place, ArticlePlace, "place", place_ids),
    ):
        qs = model.objects.all()
        if ids is not None:
            ids = list(ids)
            if not ids:
                continue
        mentions = mention_model.objects.filter(**{fk: OuterRef("pk")}).order_by()
        articles = mentions.values(fk).annotate(n=Count("article_id")).values("n")
        total = mentions.values(fk).annotate(n=Sum("mentions")).values("n")
        for start in range(0, len(ids) if ids is not None else 1, 5000):
            part = qs.filter(pk__in=ids[start : start + 5000]) if ids is not None else qs
            part.update(
                article_count=Coalesce(Subquery(articles), 0),
                mention_count=Coalesce(Subquery(total), 0),
            )
        recounted = True
    if recounted:
        bump_version()  # pages show these counts: cached copies are stale now


def recount_containers(
    source_ids: Iterable[int] | None = None, section_ids: Iterable[int] | None = None
) -> None:
    """Recompute stored article counts of sources and sections (direct articles only)."""
    recounted = False
    for model, ids in ((Source, source_ids), (Section, section_ids)):
        qs = model.objects.all()
        if ids is not None:
            ids = list(ids)
            if not ids:
                continue
            qs = qs.filter(pk__in=ids)
        count = (
            Article.objects.filter(**{model.__name__.lower(): OuterRef("pk")})
            .order_by()
            .values(model.__name__.lower())
            .annotate(n=Count("id"))
            .values("n")
        )
        qs.update(article_count=Coalesce(Subquery(count), 0))
        recounted = True
    if recounted:
        bump_version()


# --- re-extraction ----------------------------------------------------------------------------


def replace_entities(pairs: list[tuple[Article, ParsedArticle]]) -> None:
    """Replace the people and places linked to each article with those in its ParsedArticle,
    in one transaction, and update the stored counts of everyone affected."""
    if not pairs:
        return
    registry = _Registry()
    with transaction.atomic():
        people, places = _link_entities(pairs, registry, replace=True)
        recount_entities(person_ids=people, place_ids=places)
