"""Two ``db_worker`` processes taking queued admin uploads at once.

The uploads overlap on purpose: the same files (same names, same texts) in two uploads, and
the same texts under other names in a third, so both workers may import the same text at the
same moment. Each upload must come out as one finished batch with one report row per file,
each text as one article, each task run once.

Like tests/robustness/test_faults.py, the workers run against a database of their own that
they can see (pytest-django's test database is inside a transaction): a SQLite file, or a
PostgreSQL database made for the test and dropped after it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import dj_database_url
import pytest

from tests.conftest import REPO

PYTHON = sys.executable
TIMEOUT = 300

# Run inside the workers' database: make the uploads and queue them as the upload page does.
ENQUEUE = """
import json, os, sys
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
import django
django.setup()
from articles.importing import ImportOptions
from articles.models import ImportBatch
from articles.tasks import import_upload, new_upload_dir
uploads = json.loads(sys.stdin.read())
for files in uploads:
    folder = new_upload_dir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    batch = ImportBatch.objects.create(
        origin=ImportBatch.Origin.ADMIN, status=ImportBatch.Status.QUEUED,
        options=ImportOptions(source_name="Workers Test").to_json(),
    )
    import_upload.enqueue(batch.pk, str(folder), sorted(files))
"""

REPORT = """
import json, os, sys
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
import django
django.setup()
from django_tasks_db.models import DBTaskResult
from articles.models import Article, ImportBatch, ImportFile
print(json.dumps({
    "articles": list(Article.objects.values_list("original_filename", "content_hash")),
    "batches": list(ImportBatch.objects.order_by("pk").values(
        "pk", "status", "total_files", "processed_files", "created_count", "unchanged_count",
        "duplicate_count", "failed_count")),
    "files": list(ImportFile.objects.values_list("batch_id", "filename", "status")),
    "tasks": list(DBTaskResult.objects.values_list("status", "worker_ids")),
}))
"""


def article_text(number: int) -> str:
    """A small article in the native layout, in our own words; each number its own text."""
    return (
        f"News   /   Regional\n\nHarbour board approves berth number {number}\n\n"
        f"The harbour board approved plans for berth number {number} on Tuesday, "
        f"after a meeting that ran late into the evening.\n\n"
        f"Members said work on berth {number} would begin in the spring and take two years.\n"
    )


def _suite_database() -> dict:
    return dj_database_url.parse(os.environ.get("DATABASE_URL", f"sqlite:///{REPO / 'db.sqlite3'}"))


@pytest.fixture
def worker_db(tmp_path):
    """The URL of a migrated, empty database the worker processes can see."""
    params = _suite_database()
    if not params["ENGINE"].endswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'workers.sqlite3'}"
        return
    import psycopg2

    name = f"{params['NAME']}_workers_{os.getpid()}"
    server = f"postgres://{params['USER'] or 'postgres'}@{params['HOST']}:{params['PORT'] or 5432}"
    admin = psycopg2.connect(f"{server}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def run(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [PYTHON, *args],
        cwd=REPO,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_two_workers_take_overlapping_uploads_without_duplicates(worker_db, tmp_path):
    uploads_dir = tmp_path / "uploads"
    env = {
        **os.environ,
        "DATABASE_URL": worker_db,
        "IMPORT_UPLOAD_DIR": str(uploads_dir),
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    env.pop("DATABASE_REPLICA_URLS", None)
    texts = {f"berth-{n:02d}.txt": article_text(n) for n in range(24)}
    names = sorted(texts)
    uploads = [
        {name: texts[name] for name in names[:12]},
        {name: texts[name] for name in names[6:18]},  # half of it is in the first upload too
        {name: texts[name] for name in names[18:]},
        {f"again-{name}": texts[name] for name in names[:6]},  # the same texts, other names
    ]
    run(env, "manage.py", "migrate", "--no-input", "-v", "0")
    run(env, "-c", ENQUEUE, stdin=json.dumps(uploads))

    worker = [PYTHON, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"]
    workers = [
        subprocess.Popen(
            worker, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for _ in range(2)
    ]
    outputs = [w.communicate(timeout=TIMEOUT)[0].decode(errors="replace") for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    report = json.loads(run(env, "-c", REPORT))

    # Every text once, whichever worker got to it first.
    hashes = [content_hash for _, content_hash in report["articles"]]
    assert len(hashes) == len(set(hashes)) == len(texts)
    # Every upload one finished batch with one report row per file it held.
    assert [b["status"] for b in report["batches"]] == ["done"] * len(uploads)
    for batch, files in zip(report["batches"], uploads, strict=True):
        rows = [(name, status) for pk, name, status in report["files"] if pk == batch["pk"]]
        assert sorted(name.rsplit("/", 1)[-1] for name, _ in rows) == sorted(files)
        assert batch["total_files"] == batch["processed_files"] == len(files)
        assert batch["failed_count"] == 0
        assert batch["created_count"] + batch["unchanged_count"] + batch["duplicate_count"] == len(
            files
        )
    assert sum(b["created_count"] for b in report["batches"]) == len(texts)
    # Each task ran once, on one worker.
    assert len(report["tasks"]) == len(uploads)
    assert all(status == "SUCCESSFUL" and len(ids) == 1 for status, ids in report["tasks"])
    assert not list(uploads_dir.glob("newsarchive-upload-*"))
