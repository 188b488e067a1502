#!/usr/bin/env python
"""Page benchmark: p50 / p95 latency and requests per second of the site's pages under
concurrent load, next to a hello-world Django view served the same way (the floor).

For each database (SQLite, PostgreSQL) and each size (10k, 100k, 1M generated articles):

1. generate the corpus with ``bench/generate_corpus.py`` (cached as a .tar.gz);
2. load it with the real importer (``manage.py ingest``) into a database of its own, or reuse
   that database when it already holds the right number of articles (``--fresh`` reloads;
   ``--database-url`` benchmarks any existing database instead);
3. pick the targets from the data: the most mentioned person and country, the country most
   often named with that person, a person from the tail, a rare, a common (about one article
   in ten) and the most frequent search word, an article from the middle of the archive;
4. start gunicorn (``bench.settings_bench``: production settings, DEBUG off; ``--gunicorn-
   workers`` processes with ``--threads`` threads each, bound to 127.0.0.1) and drive load
   from a second process on loopback: ``wrk`` when installed (``apt-get install -y wrk``),
   else a thread-pool client over keep-alive ``http.client`` connections;
5. report per URL: requests/s, p50, p95, the ratio of its p95 to the floor's p95, and the
   load average when it was measured; print a Markdown table and write
   ``bench/out/pages_<db>_<size>.json``.

``--icontains`` adds the "search vs icontains" comparison: median time of the search used by
the list page (count + first page, ranked) against ``body_text__icontains`` (count + first
page, newest first) for the same rare and common words.

Usage (from the repository root):

    .venv/bin/python bench/bench_pages.py --sizes 10000 --databases sqlite,postgres
    .venv/bin/python bench/bench_pages.py --sizes 100000 --databases sqlite --icontains
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mydb \\
        .venv/bin/python bench/bench_pages.py --database-url "$DATABASE_URL"

The machine's other load matters: every row carries the 1-minute load average.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import live_archive
from bench_common import machine, reset_database

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/{name}")
WORK = Path(os.environ.get("BENCH_WORK_DIR", Path(tempfile.gettempdir()) / "newsarchive-bench"))
SETTINGS = "bench.settings_bench"

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d,' ..
    '"status_errors":%d,"connect_errors":%d,"read_errors":%d,"timeouts":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.timeout))
end
"""


# --- helpers -----------------------------------------------------------------------------------


def loadavg() -> float:
    """The 1-minute load average (what ``uptime`` shows first)."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except OSError:
        return float("nan")


def revision() -> str:
    """The commit measured, marked when the checkout has uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "articles", "templates"],
            cwd=REPO,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head}{' + local changes' if dirty else ''}"


def env_for(database_url: str, settings: str = SETTINGS) -> dict[str, str]:
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE=settings,
        DATABASE_URL=database_url,
        BENCH_STATIC_ROOT=str(WORK / "static"),
        PYTHONPATH=str(REPO),
    )


def run_child(mode: str, database_url: str, *extra: str) -> dict:
    """Run ``mode`` of this script in a fresh interpreter on ``database_url``; its JSON."""
    cmd = [sys.executable, __file__, "--child", mode, *extra]
    proc = subprocess.run(
        cmd, cwd=REPO, env=env_for(database_url), stdout=subprocess.PIPE, text=True
    )
    if proc.returncode != 0:
        raise SystemExit(f"child {mode} failed ({proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {loadavg():.2f}] {msg}", file=sys.stderr, flush=True)


# --- corpus and database -----------------------------------------------------------------------


def ensure_corpus(n: int, seed: int) -> Path:
    path = WORK / f"gen{n}_seed{seed}.tar.gz"
    if not path.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        log(f"generating {n:,} articles -> {path}")
        tmp = path.with_suffix(".partial.tar.gz")
        subprocess.run(
            [
                sys.executable,
                str(REPO / "bench" / "generate_corpus.py"),
                "--n",
                str(n),
                "--out",
                str(tmp),
                "--seed",
                str(seed),
            ],
            check=True,
        )
        tmp.rename(path)
    return path


def database_url_for(kind: str, n: int) -> str:
    if kind == "sqlite":
        return f"sqlite:///{WORK / f'bench_pages_{n}.sqlite3'}"
    if kind in ("postgres", "postgresql"):
        return PG_URL.format(name=f"bench_pages_{n}")
    raise SystemExit(f"unknown database {kind!r} (sqlite or postgres)")


def prepare_database(url: str, corpus: Path, n: int, *, fresh: bool, workers: int) -> dict:
    """Make ``url`` hold the corpus, via the real importer. Reused when already loaded."""
    have = None if fresh else run_child("count", url).get("articles")
    if have == n:
        log(f"reusing {url} ({n:,} articles)")
        return {"reused": True}
    reset_database(url)
    env = env_for(url, "newsarchive.settings")
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=REPO, env=env, check=True)
    log(f"ingesting {corpus.name} into {url}")
    load_before = loadavg()
    started = time.perf_counter()
    proc = subprocess.run(
        [*manage, "ingest", str(corpus), "--no-progress", "--workers", str(workers)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - started
    print(proc.stdout.strip(), file=sys.stderr)
    if proc.returncode != 0 and "failed" not in proc.stdout:
        raise SystemExit("ingest failed")
    if url.startswith("postgres"):
        # Fresh tables have no statistics until autovacuum gets to them: plans would be wrong.
        subprocess.run(
            ["psql", url, "-q", "-c", "VACUUM ANALYZE"], check=True, stdout=subprocess.DEVNULL
        )
    else:
        subprocess.run([*manage, "shell", "-c", _SQLITE_ANALYZE], cwd=REPO, env=env, check=True)
    return {
        "reused": False,
        "ingest_seconds": round(elapsed, 1),
        "ingest_per_second": round(n / elapsed, 1),
        "ingest_load_before": load_before,
        "ingest_load_after": loadavg(),
    }


def replicate_postgres(src_url: str, dst_url: str, factor: int) -> dict:
    """A PostgreSQL database ``factor`` times the size of ``src_url``, in SQL: a copy of the
    source (loaded by the real importer) plus ``factor - 1`` copies of every article and its
    mention rows, with ids offset and file names and content hashes made unique; stored
    counts multiplied. Shares of people, places, sections and words stay those of the source;
    only headlines and dates repeat. Used for 1M when the importer would take too long here.
    """
    import psycopg2

    src = src_url.rsplit("/", 1)[1]
    reset_database(dst_url, template=src)
    started = time.perf_counter()
    conn = psycopg2.connect(dst_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("SELECT max(id) FROM articles_article")
        (offset,) = cur.fetchone()
        cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = "
            "'articles_article' AND is_generated = 'NEVER' AND column_name <> 'id' "
            "ORDER BY ordinal_position"
        )
        columns = [c for (c,) in cur.fetchall()]
        values = {
            "original_filename": "'copy' || k || '/' || a.original_filename",
            "content_hash": "encode(sha256(convert_to(a.content_hash || ':' || k, 'UTF8')), 'hex')",
        }
        select = ", ".join(values.get(c, f"a.{c}") for c in columns)
        # The GIN index is rebuilt once at the end: far cheaper than 900k inserts into it.
        cur.execute("DROP INDEX IF EXISTS article_search_vector_idx")
        for k in range(1, factor):
            log(f"replicating copy {k} of {factor - 1}")
            cur.execute(
                f"INSERT INTO articles_article (id, {', '.join(columns)}) "
                f"SELECT a.id + {k} * {offset}, {select} "
                f"FROM articles_article a, (SELECT {k} AS k) kk WHERE a.id <= {offset}"
            )
            cur.execute(
                "INSERT INTO articles_articleperson (article_id, person_id, mentions, role) "
                f"SELECT article_id + {k} * {offset}, person_id, mentions, role "
                f"FROM articles_articleperson WHERE article_id <= {offset}"
            )
            cur.execute(
                "INSERT INTO articles_articleplace (article_id, place_id, mentions, via_city) "
                f"SELECT article_id + {k} * {offset}, place_id, mentions, via_city "
                f"FROM articles_articleplace WHERE article_id <= {offset}"
            )
        for table in ("articles_person", "articles_place"):
            cur.execute(
                f"UPDATE {table} SET article_count = article_count * {factor}, "
                f"mention_count = mention_count * {factor}"
            )
        for table in ("articles_section", "articles_source"):
            cur.execute(f"UPDATE {table} SET article_count = article_count * {factor}")
        # The monthly rollups (issue 14) count the copies too: every copy has its original's
        # date, people, places and section.
        cur.execute(f"UPDATE articles_monthlycount SET articles = articles * {factor}")
        for table in ("articles_article", "articles_articleperson", "articles_articleplace"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        log("rebuilding the search index")
        cur.execute(
            "CREATE INDEX article_search_vector_idx ON articles_article USING gin (search_vector)"
        )
        log("vacuum analyze")
        cur.execute("VACUUM ANALYZE")
    conn.close()
    return {
        "replicated_from": src,
        "factor": factor,
        "replicate_seconds": round(time.perf_counter() - started, 1),
    }


_SQLITE_ANALYZE = "from django.db import connection; connection.cursor().execute('ANALYZE')"


# --- child side: runs inside Django ------------------------------------------------------------


def child_count() -> dict:
    from django.db.utils import DatabaseError

    from articles.models import Article

    try:
        return {"articles": Article.objects.count()}
    except DatabaseError:
        return {"articles": None}


_WORD = re.compile(r"[^\W\d_]{4,}")


def child_pick(sample_size: int = 1500) -> dict:
    """Choose the URLs from the data, so the benchmark needs no names written into it."""
    from django.db.models import Count, Max, Min

    from articles.models import Article, ArticlePlace, Person, Place, Section
    from articles.search import STOP_WORDS, parse_query, search_articles

    total = Article.objects.count()
    people = Person.objects.entities().filter(article_count__gt=0)
    top_person = people.order_by("-article_count", "id").first()
    # The tail: a person named in a single article (or as few as there are).
    tail_person = people.order_by("article_count", "id").first()
    countries = Place.objects.entities().filter(kind=Place.Kind.COUNTRY, article_count__gt=0)
    top_country = countries.order_by("-article_count", "id").first()
    with_person = (
        ArticlePlace.objects.filter(
            article__person_mentions__person=top_person, place__kind=Place.Kind.COUNTRY
        )
        .values("place__iso_code", "place__name")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    top_section = Section.objects.order_by("-article_count", "path").first()
    bounds = Article.objects.aggregate(lo=Min("id"), hi=Max("id"))
    middle = (
        Article.objects.filter(id__gte=(bounds["lo"] + bounds["hi"]) // 2).order_by("id").first()
    )

    # Document frequencies of body words over an evenly spread sample of articles (the body
    # only, so the icontains comparison below looks for the word where search does).
    step = max(1, (bounds["hi"] - bounds["lo"]) // sample_size)
    ids = list(range(bounds["lo"], bounds["hi"] + 1, step))[:sample_size]
    df: Counter[str] = Counter()
    sampled = 0
    for body in Article.objects.filter(id__in=ids).values_list("body_text", flat=True):
        sampled += 1
        df.update(set(_WORD.findall(body.lower())) - STOP_WORDS)
    ranked = df.most_common()
    top_word = ranked[0][0]
    # "Common": the word closest to appearing in one article in ten.
    common = min(ranked, key=lambda item: (abs(item[1] / sampled - 0.10), item[0]))[0]

    def matches(word: str) -> int:
        return search_articles(Article.objects.all(), parse_query(word)).count()

    # "Rare": among plain ASCII words seen once in the sample, the one with the fewest (but
    # some) matches in the whole archive.
    candidates = sorted(w for w, c in ranked if c == 1 and len(w) >= 6 and w.isascii())[:40]
    counted = [(matches(w), w) for w in candidates]
    rare = min((c, w) for c, w in counted if c > 0)[1] if counted else ranked[-1][0]
    return {
        "articles": total,
        "people": Person.objects.count(),
        "places": Place.objects.count(),
        "top_person": {
            "slug": top_person.slug,
            "name": top_person.name,
            "articles": top_person.article_count,
        },
        "tail_person": {
            "slug": tail_person.slug,
            "name": tail_person.name,
            "articles": tail_person.article_count,
        },
        "top_country": {
            "iso": top_country.iso_code,
            "slug": top_country.slug,
            "name": top_country.name,
            "articles": top_country.article_count,
        },
        "person_country": {
            "iso": with_person["place__iso_code"] if with_person else top_country.iso_code,
            "name": with_person["place__name"] if with_person else top_country.name,
            "articles": with_person["n"] if with_person else None,
        },
        "article": {"url": middle.get_absolute_url(), "id": middle.id},
        "section": {
            "path": top_section.path,
            "name": top_section.full_name,
            "articles": top_section.article_count,
        },
        "terms": {
            "rare": {"word": rare, "matches": matches(rare)},
            "common": {"word": common, "matches": matches(common)},
            "top": {"word": top_word, "matches": matches(top_word)},
        },
    }


def child_icontains(words: list[str], runs: int) -> dict:
    """Median seconds of the list page's search (count + first page by relevance) against an
    ``icontains`` scan (count + first page, newest first), per word."""
    from articles.models import Article
    from articles.search import RankedArticles, count_matches, parse_query, search_articles
    from articles.selectors import SEARCH_COUNT_CAP

    def timed(fn) -> float:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    out = {}
    for word in words:
        query = parse_query(word)

        def fts(query=query):
            # What the list page does for a search with no other filter: count up to the cap
            # (it then says "more than 10,000"), rank one page. No cache involved.
            qs = search_articles(Article.objects.all(), query)
            count = count_matches(qs, query, only_search=True, cap=SEARCH_COUNT_CAP + 1)
            results = RankedArticles(qs, query, only_search=True)
            return count, [a.id for a in results[:20]]

        def scan(word=word):
            qs = Article.objects.filter(body_text__icontains=word)
            count = qs.count()
            first = list(qs.order_by("-published", "-id").values_list("id")[:20])
            return count, first

        fts_count, scan_count = fts()[0], scan()[0]  # also warms the caches
        t_fts, t_scan = timed(fts), timed(scan)
        out[word] = {
            "fts_matches": fts_count,  # capped at SEARCH_COUNT_CAP + 1, as the page counts
            "icontains_matches": scan_count,
            "fts_ms": round(t_fts * 1000, 2),
            "icontains_ms": round(t_scan * 1000, 1),
            "ratio": round(t_scan / t_fts, 1) if t_fts else None,
        }
    return out


def _timed_get(client, path: str) -> tuple[float, list, object]:
    """GET ``path`` with Django's test client: seconds, the queries captured, the response."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        response = client.get(path)
        total = time.perf_counter() - started
    return total, ctx.captured_queries, response


def _slowest_first(captured: list) -> list[dict]:
    """Captured queries as {"ms", "sql"}, slowest first."""
    queries = ({"ms": float(q["time"]) * 1000, "sql": q["sql"]} for q in captured)
    return sorted(queries, key=lambda q: -q["ms"])


def _first_request(total: float, queries: list[dict]) -> dict:
    """A first request's time, its queries' number and time, and the three slowest."""
    return {
        "total_ms": round(total * 1000, 1),
        "queries": len(queries),
        "db_ms": round(sum(q["ms"] for q in queries), 1),
        "slowest": [{"ms": round(q["ms"], 1), "sql": q["sql"][:3000]} for q in queries[:3]],
    }


def child_profile(paths: list[str]) -> dict:
    """Each page through Django's test client with every query captured: count, time, the
    slowest three and the plan of the slowest (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY
    PLAN on SQLite), for the page rendered with nothing cached (the first visit after an
    import), then its time with the aggregates cached (page rendered, its fragments too), with
    its fragments cached as well, then served whole from the page cache. One unmeasured
    request first warms the database's buffers."""
    from unittest import mock

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings

    from articles import caching

    client = Client(HTTP_HOST="127.0.0.1")
    timed = functools.partial(_timed_get, client)

    out = {}
    for path in paths:
        with override_settings(PAGE_CACHE_SECONDS=0, ARCHIVE_CACHE_SECONDS=0):
            client.get(path)  # warm the database's buffers, nothing cached
        cache.clear()
        with override_settings(PAGE_CACHE_SECONDS=0):
            total, captured, response = timed(path)
            # Aggregates cached, every {% fragment %} rendered: "the page rendered warm".
            with mock.patch.object(caching, "fragment", lambda n, v, s, render: render()):
                rendered_total, _, _ = timed(path)
            warm_total, warm_queries, _ = timed(path)  # fragments cached too
        timed(path)  # stores the page
        page_total, page_queries, _ = timed(path)
        queries = _slowest_first(captured)
        plan = ""
        if queries:
            explain = (
                "EXPLAIN (ANALYZE, BUFFERS) "
                if connection.vendor == "postgresql"
                else "EXPLAIN QUERY PLAN "
            )
            try:
                with connection.cursor() as cursor:
                    cursor.execute(explain + queries[0]["sql"])
                    plan = "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())
            except Exception as exc:  # a plan is a bonus; the timings stand without it
                plan = f"(no plan: {exc})"
        out[path] = {
            "status": response.status_code,
            **_first_request(total, queries),
            "rendered_ms": round(rendered_total * 1000, 1),
            "warm_ms": round(warm_total * 1000, 1),
            "warm_queries": len(warm_queries),
            "page_cached_ms": round(page_total * 1000, 2),
            "page_cached_queries": len(page_queries),
            "plan": plan,
        }
    return out


def child_profile_after_import(batch: str, paths: list[str]) -> dict:
    """The issue's own measure: every page visited until its aggregates and fragments are
    cached (page cache off), then ``batch`` imported in this process (``manage.py ingest``,
    one worker: the versions and scopes it writes to are bumped as any import's are), then
    each page's first request after the import (queries captured, as ``child_profile``), and
    the same page rendered warm (aggregates cached, every fragment rendered)."""
    from unittest import mock

    from django.core.management import call_command
    from django.test import Client, override_settings

    from articles import caching

    client = Client(HTTP_HOST="127.0.0.1")
    timed = functools.partial(_timed_get, client)

    out: dict = {}
    with override_settings(PAGE_CACHE_SECONDS=0):
        for path in paths:  # everything cached for the version before the import
            client.get(path)
            client.get(path)
        started = time.perf_counter()
        call_command("ingest", batch, "--no-progress", "--workers", "1", stdout=sys.stderr)
        out["_import"] = {"batch": Path(batch).name, "seconds": time.perf_counter() - started}
        for path in paths:
            total, captured, _ = timed(path)
            with mock.patch.object(caching, "fragment", lambda n, v, s, render: render()):
                rendered, _, _ = timed(path)
            out[path] = {
                **_first_request(total, _slowest_first(captured)),
                "rendered_ms": round(rendered * 1000, 1),
            }
    return out


def child_main(mode: str, extra: list[str]) -> None:
    import django

    django.setup()
    if mode == "count":
        result = child_count()
    elif mode == "pick":
        result = child_pick()
    elif mode == "profile":
        result = child_profile(extra)
    elif mode == "profile-after-import":
        result = child_profile_after_import(extra[0], extra[1:])
    elif mode == "icontains":
        runs = int(extra[0])
        result = child_icontains(extra[1:], runs)
    else:
        raise SystemExit(f"unknown child mode {mode}")
    print(json.dumps(result))


# --- server and load ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def collectstatic(url: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=REPO,
        env=env_for(url),
        check=True,
    )


class Server:
    """gunicorn on 127.0.0.1 with the benchmark settings; stopped by its own pid."""

    def __init__(
        self,
        url: str,
        port: int,
        workers: int,
        threads: int,
        page_cache: bool = True,
        cache_url: str | None = None,
    ):
        self.base = f"http://127.0.0.1:{port}"
        gunicorn = Path(sys.executable).with_name("gunicorn")
        cmd = [
            str(gunicorn),
            "newsarchive.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--log-level",
            "warning",
            "--timeout",
            "120",
        ]
        env = env_for(url)
        if not page_cache:
            env["PAGE_CACHE_SECONDS"] = "0"  # pages rendered each time; aggregates cached
        if cache_url:
            env["CACHE_URL"] = cache_url
        self.proc = subprocess.Popen(cmd, cwd=REPO, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/hello/", timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("gunicorn did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def fetch(url: str) -> tuple[int, int, float]:
    """(status, body bytes, seconds) of one GET, without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    started = time.perf_counter()
    try:
        with opener.open(url, timeout=120) as r:
            body = r.read()
            return r.status, len(body), time.perf_counter() - started
    except urllib.error.HTTPError as exc:
        return exc.code, 0, time.perf_counter() - started


def load_wrk(url: str, seconds: int, connections: int, threads: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_SCRIPT)
        script = fh.name
    try:
        proc = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "60s",
                "-s",
                script,
                url,
            ],
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        )
    finally:
        os.unlink(script)
    line = next(x for x in proc.stdout.splitlines() if x.startswith("WRKJSON "))
    raw = json.loads(line.removeprefix("WRKJSON "))
    errors = sum(raw[k] for k in ("status_errors", "connect_errors", "read_errors", "timeouts"))
    if raw["requests"] == 0:
        # Nothing finished within wrk's timeout: there is no latency to report.
        return {"requests": 0, "rps": 0.0, "errors": errors, "timed_out": True}
    return {
        "requests": raw["requests"],
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50"] / 1000,
        "p95_ms": raw["p95"] / 1000,
        "p99_ms": raw["p99"] / 1000,
        "errors": errors,
    }


def load_python(url: str, seconds: int, connections: int) -> dict:
    """The same measurement in a second Python process: keep-alive connections, one per
    thread, each sending requests back to back until the time is up."""
    proc = subprocess.run(
        [sys.executable, __file__, "--child-client", url, str(seconds), str(connections)],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def python_client(url: str, seconds: float, connections: int) -> dict:
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        mine: list[float] = []
        bad = 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                resp.read()
                if resp.status >= 400:
                    bad += 1
                mine.append(time.perf_counter() - started)
                if resp.getheader("connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        with lock:
            latencies.extend(mine)
            errors += bad

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(connections)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    if not latencies:
        return {"requests": 0, "rps": 0.0, "errors": errors, "timed_out": True}

    def pct(p: float) -> float:
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "errors": errors,
    }


def target_urls(pick: dict) -> list[tuple[str, str]]:
    """(label, path) of every page measured; the floor first."""
    tp, tc, pc = pick["top_person"], pick["top_country"], pick["person_country"]
    terms = pick["terms"]
    return [
        ("hello-world floor", "/hello/"),
        ("home", "/"),
        ("list, unfiltered", "/articles/"),
        (f"list by country ({tc['iso']})", f"/articles/?country={tc['iso']}"),
        (f"list by person ({tp['name']})", f"/articles/?person={tp['slug']}"),
        (
            f"list by person + country ({pc['iso']})",
            f"/articles/?person={tp['slug']}&country={pc['iso']}",
        ),
        (
            f"search, rare ({terms['rare']['word']}: {terms['rare']['matches']:,})",
            f"/articles/?q={quote(terms['rare']['word'])}",
        ),
        (
            f"search, common ({terms['common']['word']}: {terms['common']['matches']:,})",
            f"/articles/?q={quote(terms['common']['word'])}",
        ),
        (
            f"search, most frequent word ({terms['top']['word']}: {terms['top']['matches']:,})",
            f"/articles/?q={quote(terms['top']['word'])}",
        ),
        ("article", pick["article"]["url"]),
        (f"person page ({tp['name']}, {tp['articles']:,} articles)", f"/people/{tp['slug']}/"),
        (
            f"person page, tail ({pick['tail_person']['name']})",
            f"/people/{pick['tail_person']['slug']}/",
        ),
        (f"country page ({tc['name']}, {tc['articles']:,} articles)", f"/places/{tc['slug']}/"),
        *(
            [(f"section page ({pick['section']['name']})", f"/sections/{pick['section']['path']}/")]
            if pick.get("section")
            else []
        ),
    ]


def measure(server: Server, targets: list[tuple[str, str]], args) -> list[dict]:
    use_wrk = args.client == "wrk" or (
        args.client == "auto"
        and subprocess.run(["which", "wrk"], capture_output=True).returncode == 0
    )
    rows = []
    for label, path in targets:
        url = server.base + path
        first = fetch(url)  # the first request renders (and caches) the page
        # Then rounds of concurrent requests, so that every server process has served the
        # page before the load starts (each has its own cache unless CACHE_URL is shared).
        warm = [first]
        with ThreadPoolExecutor(args.connections) as pool:
            for _ in range(args.warmup):
                warm += list(pool.map(fetch, [url] * args.connections))
        status, size, _ = warm[-1]
        row = {
            "page": label,
            "path": path,
            "status": status,
            "bytes": size,
            "first_ms": round(first[2] * 1000, 1),
            "single_ms": round(min(s for _, _, s in warm) * 1000, 1),
        }
        if status != 200:
            log(f"{label}: status {status}, not measured")
            rows.append(row)
            continue
        row["load_before"] = loadavg()
        # A slow page gets a longer run, so its percentiles rest on enough requests.
        seconds = max(
            args.seconds,
            min(args.max_seconds, math.ceil(row["single_ms"] / 1000 * args.connections * 5)),
        )
        row["seconds"] = seconds
        if use_wrk:
            result = load_wrk(url, seconds, args.connections, args.client_threads)
            row["client"] = "wrk"
        else:
            result = load_python(url, seconds, args.connections)
            row["client"] = "python"
        row.update({k: round(v, 2) if isinstance(v, float) else v for k, v in result.items()})
        row["load_after"] = loadavg()
        rows.append(row)
        if row.get("timed_out"):
            log(f"{label}: no request finished within 60 s (single {row['single_ms']} ms)")
            continue
        log(
            f"{label}: {row['rps']:.1f} req/s p50 {row['p50_ms']:.1f} ms "
            f"p95 {row['p95_ms']:.1f} ms (single {row['single_ms']} ms, errors {row['errors']})"
        )
    floor = rows[0].get("p95_ms")
    for row in rows:
        if floor and row.get("p95_ms") is not None:
            row["p95_vs_floor"] = round(row["p95_ms"] / floor, 1)
    return rows


def markdown(rows: list[dict]) -> str:
    lines = [
        "| page | requests | req/s | p50 ms | p95 ms | p95 / floor | single ms | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r.get("timed_out"):
            lines.append(
                f"| {r['page']} | 0 | 0 | > 60 s | > 60 s | | {r['single_ms']} | "
                f"{r['load_before']:.2f} |"
            )
            continue
        if "p95_ms" not in r:
            lines.append(f"| {r['page']} | status {r['status']} | | | | | {r['single_ms']} | |")
            continue
        lines.append(
            f"| {r['page']} | {r['requests']} | {r['rps']:.1f} | {r['p50_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {r.get('p95_vs_floor', '')} | {r['single_ms']} | "
            f"{r['load_before']:.2f} |"
        )
    return "\n".join(lines)


# --- parent side -------------------------------------------------------------------------------


def bench_one(label: str, url: str, n: int | None, args) -> dict:
    info: dict = {
        "database": label,
        "database_url": url,
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "revision": revision(),
    }
    if n is not None and args.replicate_from and label == "postgres":
        base = args.replicate_from
        factor, rest = divmod(n, base)
        if rest or factor < 2:
            raise SystemExit(f"--replicate-from {base} must divide {n}")
        src = database_url_for(label, base)
        if run_child("count", src).get("articles") != base:
            raise SystemExit(f"load {base:,} first: --sizes {base} --databases postgres")
        info["corpus"] = (
            f"gen{base}_seed{args.seed}.tar.gz loaded by manage.py ingest, then replicated "
            f"x{factor} in SQL (bench_pages.py --replicate-from {base})"
        )
        if args.fresh or run_child("count", url).get("articles") != n:
            info.update(replicate_postgres(src, url, factor))
    elif n is not None:
        corpus = ensure_corpus(n, args.seed)
        info["corpus"] = f"{corpus.name} (generate_corpus.py --n {n} --seed {args.seed})"
        info.update(prepare_database(url, corpus, n, fresh=args.fresh, workers=args.ingest_workers))
    # A database loaded by an older revision gets this revision's migrations (cheap ones).
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=REPO,
        env=env_for(url, "newsarchive.settings"),
        check=True,
    )
    pick = run_child("pick", url)
    info["pick"] = pick
    size = pick["articles"]
    log(f"{label} {size:,} articles: {json.dumps(pick['terms'])}")
    if args.icontains:
        words = [pick["terms"]["rare"]["word"], pick["terms"]["common"]["word"]]
        info["icontains"] = run_child("icontains", url, str(args.icontains_runs), *words)
        log(f"search vs icontains: {info['icontains']}")
    if args.profile or args.after_import or not args.skip_pages:
        collectstatic(url)  # production settings render hashed static names: need the manifest
    if args.profile:
        paths = [path for _, path in target_urls(pick)]
        info["profile"] = run_child("profile", url, *paths)
        for path, p in info["profile"].items():
            slowest = p["slowest"][0]["ms"] if p["slowest"] else 0
            log(
                f"profile {path}: uncached {p['total_ms']} ms, {p['queries']} queries, "
                f"db {p['db_ms']} ms, slowest {slowest} ms; aggregates cached, page rendered "
                f"{p['rendered_ms']} ms; fragments cached too "
                f"{p['warm_ms']} ms ({p['warm_queries']} q); page cached "
                f"{p['page_cached_ms']} ms ({p['page_cached_queries']} q)"
            )
    if args.after_import:
        # A batch of new stories of its own seed: imported once into this database, so give
        # every run a new --after-import-seed (or a fresh copy of the database).
        batch_size, seed = args.live_batch_size, args.after_import_seed
        (batch,) = live_archive.prepare_batches(WORK, 1, batch_size, seed)
        paths = [path for _, path in target_urls(pick)]
        found = run_child("profile-after-import", url, str(batch), *paths)
        info["after_import"] = found
        log(f"imported {found['_import']['batch']} in {found['_import']['seconds']:.1f} s")
        for path, p in found.items():
            if path != "_import":
                log(
                    f"after import {path}: first {p['total_ms']} ms ({p['queries']} q, db "
                    f"{p['db_ms']} ms), rendered warm {p['rendered_ms']} ms"
                )
    if not args.skip_pages:
        server = Server(
            url,
            free_port(),
            args.gunicorn_workers,
            args.threads,
            page_cache=args.page_cache,
            cache_url=args.cache_url,
        )
        try:
            info["server"] = (
                f"gunicorn {args.gunicorn_workers} workers x {args.threads} threads (gthread), "
                "bench.settings_bench (production, DEBUG off), "
                + ("page cache on" if args.page_cache else "page cache off (PAGE_CACHE_SECONDS=0)")
                + (
                    f", CACHE_URL={args.cache_url}"
                    if args.cache_url
                    else ", per-process LocMemCache"
                )
            )
            info["load"] = (
                f"{args.connections} connections for {args.seconds}s per page, "
                f"after 1 + {args.warmup} x {args.connections} warm-up requests"
            )
            if args.live:
                info["load"] += (
                    f"; live archive: {args.live_batch_size} new stories imported every "
                    f"{args.live_interval}s for {args.live_seconds}s (manage.py ingest, 1 worker)"
                )
                info["live"] = live_archive.run_live(
                    server.base, target_urls(pick), env_for(url, "newsarchive.settings"), args, WORK
                )
            else:
                info["rows"] = measure(server, target_urls(pick), args)
        finally:
            server.stop()
    OUT.mkdir(parents=True, exist_ok=True)
    name = (
        f"pages_{label}_{size}{'' if args.page_cache else '_nopagecache'}"
        f"{'_live' if args.live else ''}{'_afterimport' if args.after_import else ''}.json"
    )
    (OUT / name).write_text(json.dumps(info, indent=1))
    print(f"\n### {label}, {size:,} articles ({info['date']})\n")
    print(f"Machine: {info['machine']}  ")
    print(f"Code: {info['revision']}  ")
    if "corpus" in info:
        print(f"Corpus: {info['corpus']}  ")
    if info.get("ingest_seconds"):
        print(f"Ingest: {info['ingest_seconds']} s ({info['ingest_per_second']} articles/s)  ")
    if "rows" in info:
        print(f"Server: {info['server']}; load: {info['load']}\n")
        print(markdown(info["rows"]))
    if "live" in info:
        print(f"Server: {info['server']}; load: {info['load']}\n")
        print(live_archive.markdown(info["live"]["rows"]))
        for event in info["live"]["imports"]:
            took = event["end"] - event["start"]
            print(f"- import {event['batch']}: {took:.1f} s {event['summary']}")
    if "after_import" in info:
        found = info["after_import"]
        print(
            f"After importing {found['_import']['batch']} ({found['_import']['seconds']:.1f} s), "
            "each page's first request against the page rendered warm:\n"
        )
        print("| page | first ms (queries) | rendered warm ms | first / rendered |")
        print("|---|---:|---:|---:|")
        for path, p in found.items():
            if path != "_import":
                ratio = p["total_ms"] / max(p["rendered_ms"], 0.1)
                first = f"{p['total_ms']} ({p['queries']})"
                print(f"| `{path}` | {first} | {p['rendered_ms']} | {ratio:.1f} |")
    if "icontains" in info:
        print("\n| word | matches | search ms | icontains ms | ratio |\n|---|---:|---:|---:|---:|")
        for word, r in info["icontains"].items():
            print(
                f"| {word} | {r['fts_matches']:,} | {r['fts_ms']} | {r['icontains_ms']} | "
                f"{r['ratio']}x |"
            )
    print(f"\n(JSON: bench/out/{name})")
    return info


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child_main(sys.argv[2], sys.argv[3:])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--child-client":
        url, seconds, connections = sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
        print(json.dumps(python_client(url, seconds, connections)))
        return

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000", help="comma-separated article counts")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--database-url", help="benchmark this database as it is (no ingest)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="reload even if already loaded")
    parser.add_argument("--ingest-workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections")
    parser.add_argument("--seconds", type=int, default=10, help="load duration per page")
    parser.add_argument("--max-seconds", type=int, default=60, help="longest run for a slow page")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="per page: queries, their time, and the plan of the slowest (EXPLAIN ANALYZE)",
    )
    parser.add_argument(
        "--warmup", type=int, default=3, help="rounds of --connections concurrent requests"
    )
    parser.add_argument(
        "--cache-url", help="CACHE_URL for the server, e.g. redis://127.0.0.1:6379/1"
    )
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--client-threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--icontains", action="store_true", help="also search vs icontains")
    parser.add_argument("--icontains-runs", type=int, default=5)
    parser.add_argument("--skip-pages", action="store_true", help="only prepare (and icontains)")
    parser.add_argument(
        "--no-page-cache",
        dest="page_cache",
        action="store_false",
        help="serve with PAGE_CACHE_SECONDS=0: every page rendered, aggregates still cached",
    )
    parser.add_argument(
        "--live",
        action="store_true",
        help="live archive: measure every page for --live-seconds while batches are imported",
    )
    parser.add_argument("--live-seconds", type=int, default=120)
    parser.add_argument("--live-interval", type=float, default=15, help="seconds between imports")
    parser.add_argument("--live-batch-size", type=int, default=1000, help="stories per import")
    parser.add_argument("--live-batches", type=int, default=8, help="batches prepared at most")
    parser.add_argument("--live-seed", type=int, default=500, help="first batch's corpus seed")
    parser.add_argument(
        "--after-import",
        action="store_true",
        help="per page: the first request after an import of --live-batch-size new stories "
        "(everything cached before it) against the page rendered warm; writes to the database",
    )
    parser.add_argument("--after-import-seed", type=int, default=600)
    parser.add_argument(
        "--replicate-from",
        type=int,
        metavar="N",
        help="PostgreSQL: build a size from the N-article database x(size/N) in SQL "
        "instead of ingesting (see replicate_postgres)",
    )
    args = parser.parse_args()

    if args.database_url:
        label = "postgres" if args.database_url.startswith("postgres") else "sqlite"
        bench_one(label, args.database_url, None, args)
        return
    for db in args.databases.split(","):
        for size in args.sizes.split(","):
            n = int(size.replace("_", ""))
            bench_one(db.strip(), database_url_for(db.strip(), n), n, args)


if __name__ == "__main__":
    main()
