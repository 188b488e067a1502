"""Bytes -> ParsedArticle: decode, parse, extract entities. No database.

``parse_raw`` handles one :class:`RawFile` and never raises: whatever goes wrong (unreadable,
binary, empty, no body, too long for one article, an extractor bug) comes back as
``ParsedArticle.error``, a one-line message, so an import reports the file and carries on
with the next.

``parse_paths`` reads files, folders and archives and parses them, in order, optionally over
several worker processes. Memory stays flat: files are read lazily and only a bounded window
of chunks is in flight at any time.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from . import extract
from .parser import parse_text
from .periods import Period
from .reader import DecodeError, ReaderLimits, decode_bytes, iter_raw_files
from .types import ParsedArticle, RawFile

__all__ = ["parse_decoded", "parse_paths", "parse_raw", "parse_raws"]

ERR_NO_DATA = "no data read"
# An article's text (headline, caption, subheadings, paragraphs) longer than this is not one
# article but a book or many stories in one file. It is also what PostgreSQL can index: a
# tsvector holds at most 1 MB, and 250,000 characters of any text stay well below that
# (about 0.6 MB at worst), where a longer text would fail the whole chunk of its import.
MAX_ARTICLE_CHARS = 250_000
# A file's whole text (footers, debris and repeats included) past this is refused before
# parsing. Real scrapes that repeat their paragraphs reach 1.1 million characters and still
# hold one article (Tehran Times _news_142326): the bound must stay well above them.
MAX_TEXT_CHARS = 16 * MAX_ARTICLE_CHARS
ERR_TOO_LONG = (
    "too long for one article: {n:,} characters of text (limit {limit:,}); "
    "is it several articles in one file?"
)
FILES_PER_WORKER_TASK = 64  # files per task sent to a worker process
CHUNKS_AHEAD = 3  # per worker: enough to keep workers busy, few enough to bound memory


def parse_raw(
    raw: RawFile,
    *,
    source: str | None = None,
    section_path: list[str] | None = None,
    period: Period | None = None,
) -> ParsedArticle:
    """Decode, parse and extract one file; never raises. ``period``: see ``parse_text``."""
    if raw.error:
        return ParsedArticle(file=raw.name, text="", error=raw.error)
    if raw.text is not None:
        text, encoding = raw.text, raw.encoding
    elif raw.data is None:
        return ParsedArticle(file=raw.name, text="", error=ERR_NO_DATA)
    else:
        try:
            text, encoding = decode_bytes(raw.data)
        except DecodeError as exc:
            return ParsedArticle(file=raw.name, text="", error=str(exc))
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop an import
            return ParsedArticle(file=raw.name, text="", error=f"cannot decode: {exc}")
    return parse_decoded(
        text,
        raw.name,
        encoding=encoding,
        source=source,
        section_path=section_path,
        period=period,
    )


def parse_decoded(
    text: str,
    name: str,
    *,
    encoding: str = "utf-8",
    source: str | None = None,
    section_path: list[str] | None = None,
    period: Period | None = None,
) -> ParsedArticle:
    """Parse and extract already-decoded text, with the size limit; never raises."""
    if len(text) > MAX_TEXT_CHARS:
        # Far too long to be one article whatever the parser would remove: refused unparsed,
        # so a 50 MB entry costs its text once, not its text and its parse.
        error = ERR_TOO_LONG.format(n=len(text), limit=MAX_ARTICLE_CHARS)
        return ParsedArticle(file=name, text="", encoding=encoding, error=error)
    parsed = parse_text(text, name, source=source, section_path=section_path, period=period)
    parsed.encoding = encoding
    if parsed.error:
        return parsed
    size = article_chars(parsed)
    if size > MAX_ARTICLE_CHARS:
        parsed.error = ERR_TOO_LONG.format(n=size, limit=MAX_ARTICLE_CHARS)
        # Nothing of a refused file is stored: let its text go (up to 50 MB) now, not when
        # its whole chunk has been written.
        parsed.text, parsed.blocks = "", []
        return parsed
    try:
        extract.extract_entities(parsed)
    except Exception as exc:  # noqa: BLE001 - same: report, keep going
        parsed.people, parsed.places = [], []
        parsed.error = f"entity extraction failed: {type(exc).__name__}: {exc}"
    return parsed


def article_chars(parsed: ParsedArticle) -> int:
    """Characters of an article's stored, searchable text."""
    return (
        len(parsed.headline)
        + len(parsed.caption)
        + len(parsed.caption_credit)
        + sum(len(b.text) for b in parsed.blocks)
    )


def _parse_chunk(
    chunk: tuple[RawFile, ...],
    source: str | None,
    section_path: list[str] | None,
    period: Period | None = None,
) -> list[ParsedArticle]:
    return [
        parse_raw(raw, source=source, section_path=section_path, period=period) for raw in chunk
    ]


def parse_paths(
    paths: Iterable[str | Path],
    *,
    source: str | None = None,
    section_path: list[str] | None = None,
    limits: ReaderLimits | None = None,
    workers: int = 1,
    period: Period | None = None,
) -> Iterator[ParsedArticle]:
    """Read and parse everything under ``paths``; yields one ParsedArticle per file, in
    reading order, whether or not it parsed (check ``error``)."""
    raws = iter_raw_files(paths, limits=limits)
    yield from parse_raws(
        raws, source=source, section_path=section_path, workers=workers, period=period
    )


def parse_raws(
    raws: Iterable[RawFile | Any],
    *,
    source: str | None = None,
    section_path: list[str] | None = None,
    workers: int = 1,
    period: Period | None = None,
) -> Iterator[ParsedArticle | Any]:
    """Parse already-read files, in order, over ``workers`` processes when more than one.

    Items that are not a :class:`RawFile` (the importer's files known already) pass through
    unparsed: with one worker in their place, with several as soon as they are read (ahead
    of files still being parsed), so a run of them is never held back and no worker starts
    for a stream that has nothing to parse."""
    if workers <= 1:
        for raw in raws:
            if not isinstance(raw, RawFile):
                yield raw
                continue
            yield parse_raw(raw, source=source, section_path=section_path, period=period)
        return
    yield from _parse_parallel(iter(raws), source, section_path, workers, period)


def _process_context() -> multiprocessing.context.BaseContext:
    """fork when this process is single-threaded (a management command): fast to start, and
    no re-import of ``__main__``. Forking a threaded process (a web server) can deadlock, so
    then forkserver: workers start from a clean interpreter. Workers never use the database,
    and forked workers leave through ``os._exit``, so an inherited connection is untouched.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _parse_parallel(
    raws: Iterator[RawFile | Any],
    source: str | None,
    section_path: list[str] | None,
    workers: int,
    period: Period | None = None,
) -> Iterator[ParsedArticle | Any]:
    pending: deque[Future[list[ParsedArticle]]] = deque()
    pool: list[ProcessPoolExecutor] = []  # started with the first file to parse
    chunk: list[RawFile] = []

    def submit() -> None:
        if not pool:
            pool.append(ProcessPoolExecutor(workers, mp_context=_process_context()))
        pending.append(pool[0].submit(_parse_chunk, tuple(chunk), source, section_path, period))
        chunk.clear()

    try:
        for raw in raws:
            if not isinstance(raw, RawFile):
                yield raw
                continue
            chunk.append(raw)
            if len(chunk) < FILES_PER_WORKER_TASK:
                continue
            submit()
            if len(pending) >= workers * CHUNKS_AHEAD:
                yield from pending.popleft().result()
        if chunk:
            submit()
        while pending:
            yield from pending.popleft().result()
    finally:
        for executor in pool:
            executor.shutdown(wait=True, cancel_futures=True)
