"""Faults during an import run as a process: a killed process, two processes at once. (The
in-process faults, a database error mid-chunk and a deadlock: tests/importer/test_chunk_faults.py.)

The subprocess tests run ``manage.py ingest`` for real, against a database of their own that
the subprocess can see (pytest-django's test database lives inside a transaction it never
commits): a SQLite file in a temporary folder, or, when the suite runs on PostgreSQL
(``DATABASE_URL=postgres://...``), a database created on that server for the test and dropped
after it. Migrations run once per session; each test starts from the empty, migrated database.

Comparing databases: ``natural_snapshot`` is ``tests.snapshots.archive_snapshot`` with every
id replaced by the row's natural key (a source's and a person's slug, a section's path, an
article's source and file name). Ids are left out on purpose: PostgreSQL never gives back the
sequence numbers a killed transaction used, so after a kill and a re-run the same articles
have other ids than after one clean run. Everything a reader sees apart from the number in an
article's URL (texts, names, links, dates, stored counts) must be equal.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import pytest

from tests.conftest import REPO

PYTHON = sys.executable
CORPUS_SIZE = 300
CHUNK = 10
RUN_TIMEOUT = 240  # seconds for one subprocess; generous for a loaded CI machine

SNAPSHOT_SCRIPT = """
import json, os, sys
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
import django
django.setup()
from tests.snapshots import natural_snapshot
print(json.dumps(natural_snapshot()))
"""


# --- databases the subprocesses can see ---------------------------------------------------------


def _suite_database() -> dict:
    return dj_database_url.parse(os.environ.get("DATABASE_URL", f"sqlite:///{REPO / 'db.sqlite3'}"))


def _on_postgres() -> bool:
    return _suite_database()["ENGINE"].endswith("postgresql")


class FaultDatabase:
    """A migrated database of its own: a SQLite file, or a PostgreSQL database."""

    def __init__(self, url: str, path: Path | None = None, name: str | None = None):
        self.url, self.path, self.name = url, path, name
        self.template: Path | None = None

    def reset(self) -> None:
        """Back to just migrated: a fresh copy of the SQLite file, or every archive and import
        table of the PostgreSQL database emptied (with its sequences restarted)."""
        if self.path is not None:
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            shutil.copy(self.template, self.path)
            return
        db, _ = _pg_admin(self.name)
        with db.cursor() as cursor:
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename LIKE 'articles%%'"
            )
            tables = ", ".join(f'"{name}"' for (name,) in cursor.fetchall())
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        db.close()

    def env(self) -> dict[str, str]:
        return {**os.environ, "DATABASE_URL": self.url, "DJANGO_LOG_LEVEL": "ERROR"}

    def scalar(self, sql: str):
        """One value, read straight from the database (no Django in this process)."""
        if self.path is not None:
            with sqlite3.connect(self.path, timeout=30) as db:
                return db.execute(sql).fetchone()[0]
        import psycopg2

        params = dj_database_url.parse(self.url)
        db = psycopg2.connect(
            host=params["HOST"], port=params["PORT"] or 5432, user=params["USER"], dbname=self.name
        )
        try:
            with db.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchone()[0]
        finally:
            db.close()

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=REPO,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def ingest(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [PYTHON, "manage.py", "ingest", *args, "--workers", "1", "--no-progress"],
            cwd=REPO,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def snapshot(self) -> dict:
        result = subprocess.run(
            [PYTHON, "-c", SNAPSHOT_SCRIPT],
            cwd=REPO,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


def _pg_admin(dbname: str = "postgres"):
    import psycopg2

    params = _suite_database()
    db = psycopg2.connect(
        host=params["HOST"], port=params["PORT"] or 5432, user=params["USER"], dbname=dbname
    )
    db.autocommit = True
    return db, params


def _pg_url(params: dict, name: str) -> str:
    user = params["USER"] or "postgres"
    return f"postgres://{user}@{params['HOST']}:{params['PORT'] or 5432}/{name}"


@pytest.fixture(scope="session")
def _fault_database(tmp_path_factory) -> Iterator[FaultDatabase]:
    """Migrated once per session; on PostgreSQL a database named after the suite's own and
    this process, dropped at the end."""
    if _on_postgres():
        admin, params = _pg_admin()
        name = f"{params['NAME']}_faults_{os.getpid()}"
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        database = FaultDatabase(_pg_url(params, name), name=name)
        database.manage("migrate", "--no-input", "-v", "0")
        yield database
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    else:
        folder = tmp_path_factory.mktemp("faults")
        database = FaultDatabase(
            f"sqlite:///{folder / 'faults.sqlite3'}", folder / "faults.sqlite3"
        )
        database.template = folder / "migrated.sqlite3"
        FaultDatabase(f"sqlite:///{database.template}", database.template).manage(
            "migrate", "--no-input", "-v", "0"
        )
        yield database


@pytest.fixture
def fault_db(_fault_database) -> FaultDatabase:
    """The session's fault database, just migrated and empty."""
    _fault_database.reset()
    return _fault_database


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    """A few hundred small generated articles (bench/generate_corpus.py, seeded) split into
    three folders x, y, z, plus a bad file in y."""
    out = tmp_path_factory.mktemp("fault_corpus")
    generated = out / "generated"
    subprocess.run(
        [
            PYTHON,
            str(REPO / "bench" / "generate_corpus.py"),
            "--n",
            str(CORPUS_SIZE),
            "--out",
            str(generated),
            "--seed",
            "7",
            "--workers",
            "1",
        ],
        check=True,
        capture_output=True,
        timeout=RUN_TIMEOUT,
    )
    files = sorted(generated.rglob("*.txt"))
    assert len(files) == CORPUS_SIZE
    third = CORPUS_SIZE // 3
    for i, path in enumerate(files):
        folder = out / "xyz"[min(i // third, 2)]
        folder.mkdir(exist_ok=True)
        path.rename(folder / path.name)
    (out / "y" / "zz_broken.txt").write_bytes(b"\x00\x00\x00 not an article \x00\x00")
    shutil.rmtree(generated)
    return out


def _processed(db: FaultDatabase) -> int:
    try:
        return db.scalar("SELECT COALESCE(MAX(processed_files), 0) FROM articles_importbatch")
    except Exception:  # noqa: BLE001 - the table may be locked for a moment; ask again
        return 0


# --- subprocess tests ---------------------------------------------------------------------------


@pytest.mark.slow
def test_kill_9_mid_run_then_run_again_equals_one_clean_run(fault_db, corpus):
    inputs = [str(corpus / name) for name in "xyz"]
    run = fault_db.ingest(*inputs, "--chunk-size", str(CHUNK))
    out, _ = run.communicate(timeout=RUN_TIMEOUT)
    assert run.returncode == 1, out  # the one broken file fails the run's exit status
    assert f"{CORPUS_SIZE} created" in out and "1 failed" in out
    clean = fault_db.snapshot()
    fault_db.reset()

    killed = fault_db
    run = killed.ingest(*inputs, "--chunk-size", str(CHUNK))
    deadline = time.monotonic() + RUN_TIMEOUT
    while _processed(killed) < 3 * CHUNK and run.poll() is None:
        assert time.monotonic() < deadline, "the import never committed a chunk"
        time.sleep(0.02)
    os.kill(run.pid, signal.SIGSTOP)  # freeze it, to look at a run that is truly mid-way
    processed = _processed(killed)
    os.kill(run.pid, signal.SIGKILL)
    run.communicate(timeout=RUN_TIMEOUT)
    assert run.returncode == -signal.SIGKILL

    # Killed mid-run: whole chunks only, and the batch's counters (written in each chunk's
    # transaction) agree with the rows.
    assert 3 * CHUNK <= processed < CORPUS_SIZE + 1  # + 1: the broken file
    assert processed % CHUNK == 0
    articles = killed.scalar("SELECT COUNT(*) FROM articles_article")
    assert articles == killed.scalar("SELECT created_count FROM articles_importbatch")
    assert articles + killed.scalar("SELECT failed_count FROM articles_importbatch") == processed
    assert killed.scalar("SELECT status FROM articles_importbatch") == "running"

    again = killed.ingest(*inputs, "--chunk-size", str(CHUNK))
    out, _ = again.communicate(timeout=RUN_TIMEOUT)
    assert again.returncode == 1, out
    assert f"{CORPUS_SIZE - articles} created" in out
    assert f"{articles} unchanged" in out

    assert killed.snapshot() == clean


@pytest.mark.slow
def test_two_imports_of_overlapping_inputs_at_once_make_no_duplicates(fault_db, corpus):
    x, y, z = (str(corpus / name) for name in "xyz")
    run = fault_db.ingest(x, y, z)
    out, _ = run.communicate(timeout=RUN_TIMEOUT)
    assert run.returncode == 1 and f"{CORPUS_SIZE} created" in out, out
    expected = fault_db.snapshot()
    fault_db.reset()

    both = fault_db
    # Both start with y, in small chunks, so they write the same articles at the same time.
    first = both.ingest(y, x, "--chunk-size", "5")
    second = both.ingest(y, z, "--chunk-size", "7")
    out1, _ = first.communicate(timeout=RUN_TIMEOUT)
    out2, _ = second.communicate(timeout=RUN_TIMEOUT)
    assert first.returncode == 1 and "Traceback" not in out1, out1  # 1: the broken file
    assert second.returncode == 1 and "Traceback" not in out2, out2

    result = both.snapshot()
    # Every article once, with the same text, section and source as one sequential run.
    assert result["Article"] == expected["Article"]
    assert result["Source"] == expected["Source"]
    assert result["Section"] == expected["Section"]
    # No person, place or link twice. (Which later surname-only mention joins which person
    # may depend on who got there first, so entity rows are checked for duplicates and for
    # true stored counts, not against the sequential run.)
    names = [row[0].lower() for row in result["Person"]]
    assert len(names) == len(set(names))
    place_keys = [(row[2], row[4], row[0].lower()) for row in result["Place"]]  # kind, ISO, name
    assert len(place_keys) == len(set(place_keys))
    for table in ("ArticlePerson", "ArticlePlace"):
        pairs = [tuple(row[:2]) for row in result[table]]
        assert len(pairs) == len(set(pairs))
    assert both.scalar("SELECT COUNT(*) FROM articles_importbatch WHERE status = 'done'") == 2
    created = both.scalar("SELECT SUM(created_count) FROM articles_importbatch")
    assert created == CORPUS_SIZE
    assert _stored_counts_are_true(both)


def _stored_counts_are_true(db: FaultDatabase) -> bool:
    wrong = (
        db.scalar(
            """
        SELECT COUNT(*) FROM articles_person p
        WHERE p.article_count <> (SELECT COUNT(*) FROM articles_articleperson m
                                  WHERE m.person_id = p.id)
        """
        )
        + db.scalar(
            """
        SELECT COUNT(*) FROM articles_place p
        WHERE p.article_count <> (SELECT COUNT(*) FROM articles_articleplace m
                                  WHERE m.place_id = p.id)
        """
        )
        + db.scalar(
            """
        SELECT COUNT(*) FROM articles_source s
        WHERE s.article_count <> (SELECT COUNT(*) FROM articles_article a
                                  WHERE a.source_id = s.id)
        """
        )
    )
    return wrong == 0
