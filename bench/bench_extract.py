"""Extraction throughput: words per second of ``extract_entities`` on one core.

    .venv/bin/python bench/bench_extract.py                      # the Tehran Times tarball
    .venv/bin/python bench/bench_extract.py /tmp/corp/data       # a folder of .txt files
    .venv/bin/python bench/bench_extract.py --limit 2000 PATH    # the first 2,000 files

Files are parsed (untimed) in chunks, then only ``extract_entities`` is timed, in CPU time
(process_time), so other work on a shared machine does not distort the rate. Words are the
whitespace-separated words of the text extraction reads (headline, caption, blocks). The first
call loads the gazetteer; that load is timed separately and excluded from the rate.
"""

from __future__ import annotations

import argparse
import os
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")

DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "tehran-times-news.tar.gz"
CHUNK = 500


def iter_texts(path: Path, limit: int | None) -> Iterator[tuple[str, str]]:
    """(file name, decoded text) for every .txt file in a folder or .tar.gz archive."""
    n = 0
    if path.is_dir():
        for file in sorted(path.rglob("*.txt")):
            yield file.name, file.read_bytes().decode("utf-8", errors="replace")
            n += 1
            if limit and n >= limit:
                return
        return
    with tarfile.open(path, "r:*") as tar:
        for member in tar:
            if not (member.isfile() and member.name.endswith(".txt")):
                continue
            fh = tar.extractfile(member)
            if fh is None:
                continue
            yield Path(member.name).name, fh.read().decode("utf-8", errors="replace")
            n += 1
            if limit and n >= limit:
                return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--limit", type=int, default=None, help="Stop after this many files.")
    args = parser.parse_args()
    path = Path(args.path)
    if not path.exists():
        sys.exit(f"no corpus at {path}")

    from articles.ingest.extract import article_segments, extract_entities
    from articles.ingest.gazetteer import get_gazetteer
    from articles.management.commands.eval_extraction import parse_for_extraction

    t0 = time.process_time()
    get_gazetteer()
    load = time.process_time() - t0

    words = files = people = places = 0
    elapsed = 0.0
    chunk = []

    def run_chunk() -> None:
        nonlocal words, files, people, places, elapsed
        start = time.process_time()
        for parsed in chunk:
            extract_entities(parsed)
        elapsed += time.process_time() - start
        for parsed in chunk:
            words += sum(len(s.split()) for s in article_segments(parsed))
            people += len(parsed.people)
            places += len(parsed.places)
        files += len(chunk)
        chunk.clear()

    for name, text in iter_texts(path, args.limit):
        chunk.append(parse_for_extraction(text, name))
        if len(chunk) >= CHUNK:
            run_chunk()
            print(f"\r{files} files, {words / max(elapsed, 1e-9):,.0f} words/s", end="", flush=True)
    run_chunk()
    print()
    print(f"corpus:          {path}")
    print(f"gazetteer load:  {load:.2f} s (once per process, excluded below)")
    print(f"files:           {files:,}")
    print(f"words:           {words:,}")
    print(f"extraction time: {elapsed:.1f} s")
    print(f"throughput:      {words / max(elapsed, 1e-9):,.0f} words/s on one core")
    print(f"found:           {people:,} person mentions, {places:,} place mentions")


if __name__ == "__main__":
    main()
