"""Reading, hashing and classifying files: which are new, which are already stored (unchanged
or duplicate), which change a stored article (updated), which failed.

The rule for a text already stored is one, whichever path finds it (:func:`same_text_row`):
*unchanged* when the stored copy has this file's name, else a *duplicate* of it. The name alone
decides, not (source, name): a file found stored before parsing has no source yet, and a
re-run with another ``--source`` must not turn unchanged files into duplicates.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..ingest.decoding import decodes_as_is
from ..ingest.pipeline import parse_raws
from ..ingest.reader import DecodeError, decode_bytes
from ..ingest.types import ParsedArticle, RawFile
from ..models import Article, ImportBatch, ImportFile, Source
from .limits import ERR_NAME_TOO_LONG, MAX_NAME_CHARS, clip
from .options import ImportOptions
from .registry import Registry

Status = ImportFile.Status
FILES_PER_LOOKUP = 500  # files hashed, then looked up in one query, before parsing
# ... or fewer, once their bytes add up to this: a block is held in memory as text, and an
# upload of twenty 50 MB entries must not be (docs/reliability.md, "Upload memory").
BYTES_PER_LOOKUP = 8 * 1024 * 1024
ERR_DELETED = "the stored copy of this text was deleted during the import; run it again"


def content_hash(text: str) -> str:
    """The identity of an article's text: SHA-256 of the decoded, newline-normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class KnownFile:
    """A file whose exact text is already stored: it is classified without being parsed,
    from what the digest look-up found (the stored article's id and file name)."""

    file: str
    digest: str
    size: int
    article_id: int | None = None
    stored_name: str = ""
    error: None = None


def _decoded(raw: RawFile) -> tuple[RawFile, str | None, int]:
    """The file, its content hash and size. UTF-8 bytes that decode to themselves are hashed
    as they are (a re-run over unchanged files decodes none of them; the parser decodes the
    new ones, in its workers); other files are decoded here, once (the parser gets the text,
    not the bytes), and an undecodable file goes on with the reason, for the parser to
    report."""
    if raw.error is not None or raw.data is None:
        return raw, None, 0
    if decodes_as_is(raw.data):
        return raw, hashlib.sha256(raw.data).hexdigest(), len(raw.data)
    try:
        text, encoding = decode_bytes(raw.data)
    except DecodeError as exc:
        return RawFile(name=raw.name, error=str(exc)), None, 0
    encoded = text.encode("utf-8")  # once, for both the hash and the size
    digest, size = hashlib.sha256(encoded).hexdigest(), len(encoded)
    del encoded
    return RawFile(name=raw.name, text=text, encoding=encoding), digest, size


def _lookup_blocks(raw_files: Iterable[RawFile]) -> Iterator[list[RawFile]]:
    """``raw_files`` in blocks of at most FILES_PER_LOOKUP files or BYTES_PER_LOOKUP bytes
    (a bigger file is a block of its own)."""
    block: list[RawFile] = []
    size = 0
    for raw in raw_files:
        length = len(raw.data or b"")
        if block and (len(block) == FILES_PER_LOOKUP or size + length > BYTES_PER_LOOKUP):
            yield block
            block, size = [], 0
        block.append(raw)
        size += length
    if block:
        yield block


def parse_new_files(
    raw_files: Iterable[RawFile], *, options: ImportOptions
) -> Iterator[ParsedArticle | KnownFile]:
    """Parse only what is new. Each block of files is hashed here, one query finds the texts
    already stored, and those files skip parsing and extraction (by far the dearest steps):
    they pass the parser by as :class:`KnownFile` (no worker process starts for them), so
    re-running an import over an unchanged archive is quick, and its memory flat."""

    def files() -> Iterator[RawFile | KnownFile]:
        for raws in _lookup_blocks(raw_files):
            digests = [_decoded(raw) for raw in raws]
            # One query per block, on the unique content_hash index: no article row is
            # loaded, only its id and file name.
            stored = {
                digest: (pk, name)
                for digest, pk, name in Article.objects.filter(
                    content_hash__in={d for _, d, _ in digests if d}
                ).values_list("content_hash", "id", "original_filename")
            }
            for raw, digest, size in digests:
                if digest in stored:
                    pk, name = stored[digest]
                    yield KnownFile(raw.name, digest, size, pk, name)
                else:
                    yield raw

    section = list(options.section_path) if options.section_path else None
    yield from parse_raws(
        files(),
        source=options.source_name,
        section_path=section,
        workers=options.workers,
        period=options.period,
    )


def split_repeated_names(chunk: Iterable[ParsedArticle | KnownFile]) -> Iterator[list]:
    """Split a chunk where a file name comes again, so a later file of the same name is
    compared with the earlier one once that is written (and comes out updated or unchanged)."""
    part: list = []
    names: set[str] = set()
    for parsed in chunk:
        if parsed.file in names:
            yield part
            part, names = [], set()
        part.append(parsed)
        names.add(parsed.file)
    if part:
        yield part


def same_text_status(filename: str, stored_name: str) -> tuple[str, str]:
    """(status, reason) of a file whose text is stored under ``stored_name``: unchanged when
    that is this file's name, else a duplicate of it (the one rule, see above)."""
    if stored_name == filename:
        return Status.UNCHANGED, ""
    return Status.DUPLICATE, f"same text as {stored_name}"


def same_text_row(row: ImportFile, existing: Article | None) -> ImportFile:
    """Classify ``row``, a file whose text is stored as ``existing`` (:func:`same_text_status`)."""
    if existing is None:  # deleted since the block was hashed: nothing safe to do but ask again
        row.status = Status.FAILED
        row.reason = ERR_DELETED
    else:
        row.status, row.reason = same_text_status(row.filename, existing.original_filename)
        row.article_id = existing.pk
    return row


# The columns of ``Classified.known_rows``, in order (with the batch added when written).
KNOWN_ROW_FIELDS = ("filename", "status", "reason", "article", "content_hash", "size")


@dataclass
class Classified:
    """A chunk's files sorted out: one ImportFile row each, and the articles to write. The
    files known from the digest look-up are plain tuples (``KNOWN_ROW_FIELDS``), not model
    instances: a re-run writes 100,000 of them, and building instances was most of its time."""

    rows: list[ImportFile] = field(default_factory=list)
    known_rows: list[tuple] = field(default_factory=list)
    to_create: list[tuple[ParsedArticle, Article]] = field(default_factory=list)
    to_update: list[tuple[ParsedArticle, Article]] = field(default_factory=list)

    def statuses(self) -> Counter:
        """Files per status."""
        counts = Counter(row.status for row in self.rows)
        counts.update(row[1] for row in self.known_rows)
        return counts


def _failed_or_good(
    chunk: list, batch: ImportBatch, registry: Registry, out: Classified
) -> tuple[list[tuple[ParsedArticle, str, Source]], list[KnownFile]]:
    good: list[tuple[ParsedArticle, str, Source]] = []
    known_files: list[KnownFile] = []
    for parsed in chunk:
        if isinstance(parsed, KnownFile):
            known_files.append(parsed)
            continue
        if not parsed.error and len(parsed.file) > MAX_NAME_CHARS:
            parsed.error = ERR_NAME_TOO_LONG.format(n=len(parsed.file), limit=MAX_NAME_CHARS)
        if parsed.error:
            filename = clip(parsed.file, 1000)
            out.rows.append(
                ImportFile(
                    batch=batch, filename=filename, status=Status.FAILED, reason=parsed.error
                )
            )
            continue
        # The parser has applied the run's source override (and its own fallback) already.
        good.append((parsed, content_hash(parsed.text), registry.source(parsed.source)))
    return good, known_files


def classify_chunk(
    chunk: list, batch: ImportBatch, registry: Registry, *, verify: bool = False
) -> Classified:
    """One ImportFile row per file of ``chunk``, and the articles to create or update.

    Known files are classified from their digest look-up, with no query; ``verify`` looks
    them up again (a retried chunk: the stored copy may have gone meanwhile)."""
    out = Classified()
    good, known_files = _failed_or_good(chunk, batch, registry, out)
    fields = ("id", "content_hash", "source_id", "original_filename")
    hashes = {h for _, h, _ in good} | ({k.digest for k in known_files} if verify else set())
    by_hash = {}
    if hashes:
        found = Article.objects.filter(content_hash__in=hashes).only(*fields)
        by_hash = {a.content_hash: a for a in found}
    names = {clip(p.file, 1000) for p, _, _ in good}
    by_name = {}
    if names:
        found = Article.objects.filter(original_filename__in=names).only(*fields)
        by_name = {(a.source_id, a.original_filename): a for a in found}
    seen_in_chunk: dict[str, str] = {}
    for parsed, digest, source in good:
        filename = clip(parsed.file, 1000)
        size = len(parsed.text.encode("utf-8"))
        row = ImportFile(batch=batch, filename=filename, content_hash=digest, size=size, status="")
        if digest in by_hash:
            same_text_row(row, by_hash[digest])
        elif digest in seen_in_chunk:
            row.status = Status.DUPLICATE
            row.reason = f"same text as {seen_in_chunk[digest]}"
        elif (source.pk, filename) in by_name:  # an article is its (source, name): updated
            row.article = by_name[(source.pk, filename)]
            row.status = Status.UPDATED
            row.reason = "text changed; previous text kept as a revision"
            out.to_update.append((parsed, row.article))
        else:
            row.article = Article(source=source, original_filename=filename, content_hash=digest)
            row.status = Status.CREATED
            out.to_create.append((parsed, row.article))
        seen_in_chunk.setdefault(digest, filename)
        out.rows.append(row)
    for known in known_files:
        filename = clip(known.file, 1000)
        if verify or known.article_id is None:
            row = ImportFile(
                batch=batch, filename=filename, content_hash=known.digest, size=known.size
            )
            out.rows.append(same_text_row(row, by_hash.get(known.digest)))
            continue
        status, reason = same_text_status(filename, known.stored_name)
        out.known_rows.append(
            (filename, status, reason, known.article_id, known.digest, known.size)
        )
    return out
