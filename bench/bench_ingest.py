#!/usr/bin/env python
"""Ingest benchmark: articles per second and peak memory, on SQLite and PostgreSQL.

For each corpus (a folder or a .zip / .tar.gz archive) it measures, each in a fresh process
and a fresh database:

- ``parse``:  read + parse + extract only, no database (the ceiling for ingest);
- ``ingest``: the real importer (``run_import``) on SQLite and on PostgreSQL;
- ``naive``:  a per-row ORM loop (get_or_create per section/person/place, save per article)
  over the first ``--naive-slice`` files, for comparison.

Usage (from the repository root):

    .venv/bin/python bench/bench_ingest.py ../shared/corpora/bbc-news.tar.gz \
        ../shared/corpora/tehran-times-news.tar.gz [--databases sqlite,postgres] [--workers 2]

Prints a Markdown table and writes bench/out/ingest.json. Peak memory is the child process's
maximum resident set size (parser worker processes report their own, also shown).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_common import machine, reset_database

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/{name}")


def run_child(mode: str, corpus: str, database_url: str | None, extra: list[str]) -> dict:
    """Run one measurement in a fresh interpreter; return its JSON result plus peak RSS."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="newsarchive.settings")
    if database_url:
        env["DATABASE_URL"] = database_url
    cmd = [sys.executable, __file__, "--child", mode, corpus, *extra]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    out, _ = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"child failed: {' '.join(cmd)}")
    return json.loads(out.strip().splitlines()[-1])


def fresh_database(kind: str, name: str) -> str:
    if kind == "sqlite":
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='bench-')) / f'{name}.sqlite3'}"
    else:
        url = PG_URL.format(name=name)
    reset_database(url)
    return url


# --- child side --------------------------------------------------------------------------------


def child(mode: str, corpus: str, workers: int, naive_slice: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from articles.importing import ImportOptions, run_import
    from articles.ingest.pipeline import parse_raws
    from articles.ingest.reader import iter_raw_files

    if mode != "parse":
        call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if mode == "parse":
        files = words = failed = 0
        for parsed in parse_raws(iter_raw_files([corpus]), workers=workers):
            files += 1
            failed += bool(parsed.error)
            words += sum(len(b.text.split()) for b in parsed.blocks)
        elapsed = time.perf_counter() - started
        result = {"files": files, "failed": failed, "words": words}
    elif mode == "ingest":
        batch = run_import(iter_raw_files([corpus]), options=ImportOptions(workers=workers))
        elapsed = time.perf_counter() - started
        result = {
            "files": batch.processed_files,
            "created": batch.created_count,
            "duplicate": batch.duplicate_count,
            "failed": batch.failed_count,
        }
        # Second run over the same input: the idempotent path.
        again = time.perf_counter()
        batch2 = run_import(iter_raw_files([corpus]), options=ImportOptions(workers=workers))
        result["rerun_seconds"] = round(time.perf_counter() - again, 2)
        result["rerun_unchanged"] = batch2.unchanged_count
    elif mode == "naive":
        result = naive_loop(corpus, naive_slice)
        elapsed = result.pop("elapsed")
    else:
        raise SystemExit(f"unknown mode {mode}")
    result["seconds"] = round(elapsed, 2)
    result["per_second"] = round(result["files"] / elapsed, 1) if elapsed else None
    result["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    # The parser worker processes (largest of them).
    result["worker_max_rss_mb"] = round(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
    )
    return result


def naive_loop(corpus: str, limit: int) -> dict:
    """What a first attempt would do: one query (or several) per article, section and entity."""
    from django.utils.text import slugify

    from articles.importing import content_hash
    from articles.ingest.pipeline import parse_raw
    from articles.ingest.reader import iter_raw_files
    from articles.models import Article, ArticlePerson, ArticlePlace, Person, Place, Section, Source

    raws = []
    for raw in iter_raw_files([corpus]):
        raws.append(raw)
        if len(raws) >= limit:
            break
    started = time.perf_counter()
    files = 0
    for raw in raws:
        parsed = parse_raw(raw)
        files += 1
        if parsed.error:
            continue
        digest = content_hash(parsed.text)
        if Article.objects.filter(content_hash=digest).exists():
            continue
        source, _ = Source.objects.get_or_create(
            name=parsed.source or "Unknown", defaults={"slug": slugify(parsed.source or "unknown")}
        )
        section = Section.get_or_create_path(parsed.section_path)
        article = Article.objects.create(
            source=source,
            section=section,
            headline=parsed.headline[:500],
            slug=slugify(parsed.headline)[:200],
            body=[{"kind": b.kind, "text": b.text} for b in parsed.blocks],
            body_text="\n\n".join(b.text for b in parsed.blocks),
            original_text=parsed.text,
            original_filename=parsed.file,
            content_hash=digest,
            published=parsed.published,
        )
        for m in parsed.people:
            person, _ = Person.objects.get_or_create(
                slug=slugify(m.name)[:200], defaults={"name": m.name}
            )
            ArticlePerson.objects.get_or_create(
                article=article, person=person, defaults={"mentions": m.mentions}
            )
        for m in parsed.places:
            place, _ = Place.objects.get_or_create(
                slug=slugify(f"{m.name}-{m.kind}-{m.country_code}")[:200],
                defaults={"name": m.name, "kind": m.kind, "iso_code": m.country_code},
            )
            ArticlePlace.objects.get_or_create(
                article=article, place=place, defaults={"mentions": m.mentions}
            )
    return {"files": files, "elapsed": time.perf_counter() - started}


# --- parent side -------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="*")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--naive-slice", type=int, default=2000)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "CORPUS"))
    args = parser.parse_args()

    if args.child:
        mode, corpus = args.child
        print(json.dumps(child(mode, corpus, args.workers, args.naive_slice)))
        return

    extra = ["--workers", str(args.workers), "--naive-slice", str(args.naive_slice)]
    rows = []
    for corpus in args.corpora:
        name = Path(corpus).name.split(".")[0].replace("-", "_")
        parse = run_child("parse", corpus, None, extra)
        rows.append({"corpus": name, "run": "parse only", **parse})
        print(f"{name} parse: {parse}", file=sys.stderr)
        for db in args.databases.split(","):
            url = fresh_database(db, f"bench_{name}")
            ingest = run_child("ingest", corpus, url, extra)
            ingest["vs_parse"] = round(ingest["per_second"] / parse["per_second"], 2)
            ingest.update(corpus=name, run=f"ingest {db}")
            rows.append(ingest)  # the same dict: vs_naive is added below
            print(f"{name} ingest {db}: {ingest}", file=sys.stderr)
            if not args.skip_naive:
                url = fresh_database(db, f"bench_{name}_naive")
                naive = run_child("naive", corpus, url, extra)
                ingest["vs_naive"] = round(ingest["per_second"] / naive["per_second"], 1)
                rows.append({"corpus": name, "run": f"naive loop {db}", **naive})
                print(f"{name} naive {db}: {naive}", file=sys.stderr)

    out = REPO / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ingest.json").write_text(json.dumps({"machine": machine(), "rows": rows}, indent=1))
    print(f"Machine: {machine()}  \nDate: {time.strftime('%Y-%m-%d')}, workers={args.workers}\n")
    print(
        "| corpus | run | files | seconds | files/s | peak RSS MB (main / worker) "
        "| vs parse | vs naive | re-run s |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['corpus']} | {r['run']} | {r['files']} | {r['seconds']} | {r['per_second']} | "
            f"{r['max_rss_mb']} / {r['worker_max_rss_mb']} | {r.get('vs_parse', '')} | "
            f"{r.get('vs_naive', '')} | {r.get('rerun_seconds', '')} |"
        )


if __name__ == "__main__":
    main()
