#!/usr/bin/env python
"""Load test: 50 concurrent clients for 60 s against gunicorn with production settings and
PostgreSQL, over a mix of the site's pages. Reports requests, errors (must be zero) and the
p50 / p95 / p99 latency, and with ``--write-docs`` puts the figures into docs/reliability.md.

What it does (from the repository root):

1. a PostgreSQL database of its own (``--database``, default ``newsarchive_load``) on the
   server of ``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/``): migrated, then
   loaded with the sample archive (``fixtures/sample``) and ``--generated`` articles made by
   ``bench/generate_corpus.py``, both through ``manage.py ingest``. A database that already
   holds exactly that is reused; ``--fresh`` rebuilds it;
2. ``collectstatic`` with the production storage into a temporary STATIC_ROOT (the settings
   are ``newsarchive.production`` with only STATIC_ROOT moved), then gunicorn on 127.0.0.1
   with those settings, a random secret key and ``DJANGO_SECURE_SSL_REDIRECT=0`` (plain HTTP
   on loopback);
3. the URL mix, drawn from the data: home, the list, filters (section, country, person, date
   range, oldest first, combined), searches, articles, people, countries, sections and the
   feed, in fixed proportions (``MIX``);
4. ``--clients`` keep-alive connections for ``--seconds`` seconds, no think time: ``wrk`` when
   installed (a C client, so the load generator takes little of the CPU the server needs),
   else a thread pool of ``http.client`` connections. A response that is not 200, or a
   socket error or timeout, counts as an error.

Usage:

    .venv/bin/python bench/bench_load.py                      # 50 clients, 60 s
    .venv/bin/python bench/bench_load.py --write-docs         # and update docs/reliability.md
    .venv/bin/python bench/bench_load.py --clients 10 --seconds 10 --generated 500  # quick

The machine's other load matters: the report carries the load average before and after.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DOCS = REPO / "docs" / "reliability.md"
DOCS_START, DOCS_END = "<!-- bench_load:start -->", "<!-- bench_load:end -->"
SAMPLE_SOURCE = "The Meridian Herald"

# URL kinds and their share of the requests (out of 100), roughly how readers browse.
MIX = {
    "home": 8,
    "list": 10,
    "filter": 20,
    "search": 14,
    "article": 24,
    "person": 10,
    "country": 8,
    "section": 4,
    "feed": 2,
}
SEARCH_WORDS = ["minister", "talks", "election", "harbour", "ceasefire", "oil prices"]


# --- the database ------------------------------------------------------------------------------


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench_load needs PostgreSQL: set DATABASE_URL=postgres://...")
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def psql(database_url: str, sql: str) -> list[tuple]:
    import psycopg2

    parts = urlsplit(database_url)
    db = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname=parts.path.lstrip("/") or "postgres",
    )
    db.autocommit = True
    try:
        with db.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall() if cursor.description else []
    finally:
        db.close()


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    if result.returncode not in (0, 1) or "Traceback" in result.stderr:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def prepare_database(args, env: dict[str, str]) -> int:
    """Create and load the database unless it already holds the sample plus the generated
    articles; returns the number of articles."""
    base = server_url()
    url = f"{base}/{args.database}"
    sample = len(list((REPO / "fixtures" / "sample").glob("*.txt")))
    wanted = sample + args.generated
    exists = psql(
        f"{base}/postgres", f"SELECT 1 FROM pg_database WHERE datname = '{args.database}'"
    )
    if exists and not args.fresh:
        try:
            [(count,)] = psql(url, "SELECT COUNT(*) FROM articles_article")
        except Exception:  # noqa: BLE001 - not migrated: rebuild
            count = -1
        if count == wanted:
            print(f"reusing {args.database}: {count:,} articles", file=sys.stderr)
            return count
    psql(f"{base}/postgres", f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    psql(f"{base}/postgres", f'CREATE DATABASE "{args.database}"')
    env = {**env, "DATABASE_URL": url}
    print(f"loading {args.database} ...", file=sys.stderr)
    manage(env, "migrate", "--no-input", "-v", "0")
    print(
        " ",
        manage(env, "ingest", "fixtures/sample", "--source", SAMPLE_SOURCE, "--no-progress"),
        file=sys.stderr,
    )
    if args.generated:
        with tempfile.TemporaryDirectory(prefix="bench_load_") as tmp:
            corpus = Path(tmp) / "generated.tar.gz"
            subprocess.run(
                [
                    PYTHON,
                    str(REPO / "bench" / "generate_corpus.py"),
                    "--n",
                    str(args.generated),
                    "--out",
                    str(corpus),
                    "--seed",
                    str(args.seed),
                ],
                check=True,
                capture_output=True,
            )
            print(" ", manage(env, "ingest", str(corpus), "--no-progress"), file=sys.stderr)
    [(count,)] = psql(url, "SELECT COUNT(*) FROM articles_article")
    return count


# --- the URL mix -------------------------------------------------------------------------------


def build_urls(database_url: str, rng: random.Random, total: int = 1000) -> list[tuple[str, str]]:
    """(kind, path) pairs in MIX proportions, drawn from what the database holds."""
    articles = psql(
        database_url,
        "SELECT id, slug FROM articles_article ORDER BY md5(id::text) LIMIT 400",
    )
    people = [
        r[0]
        for r in psql(
            database_url,
            "SELECT slug FROM articles_person WHERE is_entity AND merged_into_id IS NULL "
            "AND article_count > 0 ORDER BY article_count DESC LIMIT 60",
        )
    ]
    countries = psql(
        database_url,
        "SELECT slug, iso_code FROM articles_place WHERE kind = 'country' AND is_entity "
        "AND article_count > 0 ORDER BY article_count DESC LIMIT 30",
    )
    sections = [
        r[0]
        for r in psql(
            database_url, "SELECT path FROM articles_section WHERE article_count > 0 LIMIT 30"
        )
    ]
    years = [
        r[0]
        for r in psql(
            database_url,
            "SELECT DISTINCT EXTRACT(YEAR FROM published)::int FROM articles_article "
            "WHERE published IS NOT NULL",
        )
    ]
    if not (articles and people and countries and sections and years):
        raise SystemExit("the database has too little data for the URL mix")

    def one(kind: str) -> str:
        if kind == "home":
            return "/"
        if kind == "list":
            return rng.choice(["/articles/", "/articles/?page=2", "/articles/?sort=oldest"])
        if kind == "filter":
            slug, iso = rng.choice(countries)
            year = rng.choice(years)
            return rng.choice(
                [
                    f"/articles/?section={quote(rng.choice(sections))}",
                    f"/articles/?country={iso}",
                    f"/articles/?person={rng.choice(people)}",
                    f"/articles/?date_from={year}-01-01&date_to={year}-06-30",
                    f"/articles/?country={iso}&sort=oldest",
                    f"/articles/?person={rng.choice(people)}&country={iso}",
                ]
            )
        if kind == "search":
            word = rng.choice(SEARCH_WORDS)
            slug, iso = rng.choice(countries)
            return rng.choice(
                [
                    f"/articles/?q={quote(word)}",
                    f"/articles/?q={quote(word)}&sort=newest",
                    f"/articles/?q={quote(word)}&country={iso}",
                ]
            )
        if kind == "article":
            pk, slug = rng.choice(articles)
            return f"/articles/{pk}/{slug or '-'}/"
        if kind == "person":
            return f"/people/{rng.choice(people)}/"
        if kind == "country":
            return f"/places/{rng.choice(countries)[0]}/"
        if kind == "section":
            return f"/sections/{rng.choice(sections)}/"
        return "/articles/feed.atom"

    urls = [(kind, one(kind)) for kind, share in MIX.items() for _ in range(total * share // 100)]
    rng.shuffle(urls)
    return urls


# --- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn with newsarchive.production (STATIC_ROOT moved to a temporary folder)."""

    def __init__(self, args, database_url: str, tmp: Path):
        self.port = free_port()
        (tmp / "bench_load_settings.py").write_text(
            "from newsarchive.production import *  # noqa: F403\n"
            f"STATIC_ROOT = {str(tmp / 'static')!r}\n"
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench_load_settings",
            "PYTHONPATH": os.pathsep.join([str(tmp), str(REPO)]),
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": database_url,
            "DJANGO_LOG_LEVEL": "ERROR",
        }
        self.args = args
        self.process: subprocess.Popen | None = None
        self.log = tmp / "gunicorn.log"

    def __enter__(self) -> Gunicorn:
        manage(self.env, "collectstatic", "--no-input", "-v", "0")
        gunicorn = Path(PYTHON).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "newsarchive.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.args.workers),
                "--threads",
                str(self.args.threads),
                "--worker-class",
                "gthread",
                "--backlog",
                "256",
                "--timeout",
                "60",
                "--error-logfile",
                str(self.log),
            ],
            cwd=REPO,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/")
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.3)
        self.__exit__(None, None, None)
        raise SystemExit(f"gunicorn did not start; see {self.log}:\n{self.log.read_text()[-3000:]}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- the clients -------------------------------------------------------------------------------

WRK_SCRIPT = """
local urls = {%(urls)s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  statuses = {}
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
end
function request() return wrk.format("GET", urls[math.random(#urls)]) end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[tostring(status)] = (counts[tostring(status)] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do table.insert(parts, string.format('"%%s": %%d', status, n)) end
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "connect_errors": %%d, "read_errors": %%d, ' ..
    '"write_errors": %%d, "timeouts": %%d, "non_2xx_3xx": %%d, ' ..
    '"p50_us": %%d, "p95_us": %%d, "p99_us": %%d, "max_us": %%d, "mean_us": %%d, ' ..
    '"statuses": {%%s}}\\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, summary.errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, table.concat(parts, ", ")))
end
"""


def run_wrk(port: int, urls: list[tuple[str, str]], args, tmp: Path) -> dict:
    script = tmp / "mix.lua"
    script.write_text(WRK_SCRIPT % {"urls": ", ".join(json.dumps(path) for _, path in urls)})
    threads = min(args.clients, args.client_threads)
    result = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{args.clients}",
            f"-d{args.seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
    )
    match = re.search(r"^WRKJSON (.*)$", result.stdout, re.M)
    if not match:
        raise SystemExit(f"wrk failed:\n{result.stdout}{result.stderr}")
    raw = json.loads(match.group(1))
    errors = raw["connect_errors"] + raw["read_errors"] + raw["write_errors"] + raw["timeouts"]
    non_200 = sum(n for status, n in raw["statuses"].items() if status != "200")
    return {
        "client": "wrk",
        "requests": raw["requests"],
        "seconds": raw["duration_us"] / 1e6,
        "errors": errors + non_200,
        "socket_errors": errors,
        "statuses": raw["statuses"],
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "mean_ms": raw["mean_us"] / 1000,
    }


def run_python(port: int, urls: list[tuple[str, str]], args) -> dict:
    """The fallback: one thread and one keep-alive connection per client."""
    stop = time.monotonic() + args.seconds
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    errors = [0]

    def client(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            _, path = rng.choice(urls)
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                status = str(response.status)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with lock:
                    errors[0] += 1
                continue
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    non_200 = sum(n for status, n in statuses.items() if status != "200")
    return {
        "client": "python",
        "requests": len(latencies) + errors[0],
        "seconds": time.monotonic() - started,
        "errors": errors[0] + non_200,
        "socket_errors": errors[0],
        "statuses": statuses,
        "p50_ms": cuts[49] * 1000,
        "p95_ms": cuts[94] * 1000,
        "p99_ms": cuts[98] * 1000,
        "max_ms": max(latencies, default=0) * 1000,
        "mean_ms": statistics.fmean(latencies) * 1000 if latencies else 0,
    }


# What the attackers of issue 16 ask for: the expensive unauthenticated resources.
EXPORT_PATHS = [
    "/articles/export.csv",
    "/articles/export.json",
    "/articles/export.csv?sort=oldest",
    "/sitemap-articles.xml",
]


class Attackers:
    """``--export-clients`` clients fetching exports and the article sitemap (following
    each export's ``Link: rel=next`` cursor), and with ``--cache-buster`` one client asking
    for pages with a fresh ``utm_source`` and a garbage ``sessionid`` each time. Their
    answers are counted apart: a 429 (rate limited) is an expected answer, not an error."""

    def __init__(self, port: int, urls: list[tuple[str, str]], args) -> None:
        self.port, self.urls, self.args = port, urls, args
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.statuses: dict[str, dict[str, int]] = {"export": {}, "buster": {}}
        self.threads = [
            threading.Thread(target=self._exports, args=(i,)) for i in range(args.export_clients)
        ]
        if args.cache_buster:
            self.threads.append(threading.Thread(target=self._buster))

    def __enter__(self) -> Attackers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def _get(self, conn, path: str, kind: str, headers=None) -> tuple[object, str]:
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            response.read()
            status = str(response.status)
        except (OSError, http.client.HTTPException):
            conn.close()
            response, status = None, "socket error"
        with self.lock:
            counts = self.statuses[kind]
            counts[status] = counts.get(status, 0) + 1
        return response, status

    def _exports(self, seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        path = rng.choice(EXPORT_PATHS)
        while not self.stop.is_set():
            response, status = self._get(conn, path, "export")
            link = response.getheader("Link", "") if response is not None else ""
            match = re.match(r"<https?://[^/]+([^>]+)>", link)
            path = match.group(1) if match and status == "200" else rng.choice(EXPORT_PATHS)
            if status == "429":
                self.stop.wait(1)

    def _buster(self) -> None:
        rng = random.Random(99)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while not self.stop.is_set():
            _, path = rng.choice(self.urls)
            token = secrets.token_hex(8)
            path += ("&" if "?" in path else "?") + f"utm_source={token}"
            self._get(conn, path, "buster", {"Cookie": f"sessionid={token}"})


def time_each_kind(port: int, urls: list[tuple[str, str]]) -> dict[str, float]:
    """Median milliseconds per URL kind with one client (every distinct URL once, after the
    warm-up): what a page costs without queueing, beside the loaded figures."""
    times: dict[str, list[float]] = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for kind, path in dict.fromkeys(urls):
        started = time.perf_counter()
        conn.request("GET", path)
        conn.getresponse().read()
        times.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    conn.close()
    return {kind: round(statistics.median(times[kind]), 1) for kind in MIX if kind in times}


# --- the report --------------------------------------------------------------------------------


def markdown(result: dict) -> str:
    r = result
    rows = [
        "| clients | seconds | requests | req/s | errors | p50 | p95 | p99 | max |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {r['clients']} | {r['seconds']:.0f} | {r['requests']:,} | "
        f"{r['requests'] / r['seconds']:,.0f} | {r['errors']} | {r['p50_ms']:.0f} ms | "
        f"{r['p95_ms']:.0f} ms | {r['p99_ms']:.0f} ms | {r['max_ms']:.0f} ms |",
    ]
    mix = ", ".join(f"{kind} {share}%" for kind, share in MIX.items())
    single = ", ".join(f"{kind} {ms:.0f} ms" for kind, ms in r["single_client_ms"].items())
    return "\n".join(
        [
            *rows,
            "",
            f"One client, no queueing (median per kind of page, each distinct URL once): {single}.",
            "",
            f"- Run {r['date']} on {r['machine']}; load average {r['load_before']} before, "
            f"{r['load_after']} after (the machine is shared).",
            f"- Server: gunicorn {r['workers']} workers × {r['threads']} threads (gthread), "
            "`newsarchive.production` settings (DEBUG off, hashed static files via whitenoise), "
            "`DJANGO_SECURE_SSL_REDIRECT=0`, plain HTTP on 127.0.0.1.",
            f"- Database: PostgreSQL `{r['database']}`, {r['articles']:,} articles (the sample "
            f"archive plus {r['generated']:,} generated by bench/generate_corpus.py).",
            f"- Client: {r['client']}, {r['clients']} keep-alive connections, no think time; "
            f"statuses {json.dumps(r['statuses'])}; an error is a non-200 answer, a socket error "
            "or a timeout (30 s).",
            f"- URL mix ({len(r['urls'])} distinct URLs drawn from the data): {mix}.",
            *(
                [
                    f"- Beside them: {r['export_clients']} export clients (answers "
                    f"{json.dumps(r['attackers']['export'])}) and "
                    f"{'one cache-busting client' if r['cache_buster'] else 'no cache buster'} "
                    f"(answers {json.dumps(r['attackers']['buster'])}); not in the figures above."
                ]
                if r.get("export_clients") or r.get("cache_buster")
                else []
            ),
        ]
    )


def write_docs(text: str) -> None:
    content = DOCS.read_text(encoding="utf-8")
    if DOCS_START not in content or DOCS_END not in content:
        raise SystemExit(f"{DOCS} has no {DOCS_START} ... {DOCS_END} block")
    head, rest = content.split(DOCS_START, 1)
    _, tail = rest.split(DOCS_END, 1)
    DOCS.write_text(f"{head}{DOCS_START}\n{text}\n{DOCS_END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="newsarchive_load", help="PostgreSQL database")
    parser.add_argument("--generated", type=int, default=3000, help="generated articles")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--client-threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--write-docs", action="store_true", help="update docs/reliability.md")
    parser.add_argument(
        "--export-clients", type=int, default=0, help="extra clients fetching exports"
    )
    parser.add_argument(
        "--cache-buster", action="store_true", help="an extra client defeating the page cache"
    )
    args = parser.parse_args(argv)

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    articles = prepare_database(args, env)
    database_url = f"{server_url()}/{args.database}"
    urls = build_urls(database_url, random.Random(args.seed))
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"

    with (
        tempfile.TemporaryDirectory(prefix="bench_load_") as tmp,
        Gunicorn(args, database_url, Path(tmp)) as server,
    ):
        # Warm up every worker and URL once, so the run measures a running site.
        for _, path in dict.fromkeys(urls):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            conn.request("GET", path)
            status = conn.getresponse().status
            if status != 200:
                raise SystemExit(f"warm-up: {path} answered {status}")
            conn.close()
        single = time_each_kind(server.port, urls)
        load_before = f"{os.getloadavg()[0]:.1f}"
        print(f"{args.clients} clients for {args.seconds}s ({client}) ...", file=sys.stderr)
        with Attackers(server.port, urls, args) as attackers:
            if client == "wrk":
                result = run_wrk(server.port, urls, args, Path(tmp))
            else:
                result = run_python(server.port, urls, args)
        result["attackers"] = attackers.statuses
        load_after = f"{os.getloadavg()[0]:.1f}"

    result.update(
        single_client_ms=single,
        clients=args.clients,
        export_clients=args.export_clients,
        cache_buster=args.cache_buster,
        workers=args.workers,
        threads=args.threads,
        database=args.database,
        articles=articles,
        generated=args.generated,
        urls=sorted({path for _, path in urls}),
        load_before=load_before,
        load_after=load_after,
        date=time.strftime("%Y-%m-%d"),
        machine=f"{platform.machine()}, {os.cpu_count()} CPUs",
    )
    out = REPO / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "load.json").write_text(json.dumps(result, indent=1))
    text = markdown(result)
    print(text)
    if args.write_docs:
        write_docs(text)
        print(f"written to {DOCS.relative_to(REPO)}", file=sys.stderr)
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
