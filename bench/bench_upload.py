"""Admin upload attacks, measured in one process (the web worker's view of them).

- ``memory``: a zip of ``--entries`` text entries of ``--entry-mb`` MB each, compressible
  enough to stay under the upload limit (about 90:1, under the 100:1 ratio limit), posted to
  the import page; prints the worker's resident memory before and its peak during the
  request (``ru_maxrss``), and the report's counts.
- ``names``: ``--parts`` files all named ``a.txt`` through the upload handler; prints the
  time it takes to store them.

Run against a throw-away SQLite database::

    .venv/bin/python bench/bench_upload.py memory --entries 20 --entry-mb 50
    .venv/bin/python bench/bench_upload.py names --parts 20000
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    """The peak resident memory since :func:`reset_peak` (VmHWM), else since the start."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Start measuring the peak afresh (Linux: writing 5 to clear_refs resets VmHWM)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def setup(db: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def write_entry(zf: zipfile.ZipFile, name: str, size: int, rng: random.Random) -> None:
    """``size`` bytes of article-shaped text compressing ~90:1 (repeated sentences with a
    random word every few lines), written 1 MB at a time."""
    line = b"The ferry left the harbour on time and the passengers waved from the deck. "
    with zf.open(name, "w", force_zip64=True) as out:
        buffer = bytearray(b"News / Europe\n\nA ferry timetable that never ends\n\n")
        written = 0
        while written < size:
            while len(buffer) < MB:
                buffer += line * 11 + rng.randbytes(4).hex().encode() + b"\n\n"
            piece = bytes(buffer[: min(MB, size - written)])
            out.write(piece)
            written += len(piece)
            del buffer[: len(piece)]


def bench_memory(args) -> None:
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from articles.models import ImportBatch
    from tests.admin_support import make_editor

    settings.ALLOWED_HOSTS = ["testserver"]
    work = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    settings.IMPORT_UPLOAD_DIR = str(work / "uploads")
    rng = random.Random(7)
    archive = work / "big.zip"
    size = args.entry_mb * MB - 1024
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(args.entries):
            write_entry(zf, f"story{i:02d}.txt", size, rng)
    client = Client()
    client.force_login(make_editor("bench"))
    client.get("/admin/articles/importbatch/upload/")  # warm up
    data = archive.read_bytes()
    idle = rss_mb()
    reset_peak()
    started = time.monotonic()
    response = client.post(
        "/admin/articles/importbatch/upload/",
        {"files": [SimpleUploadedFile("big.zip", data, "application/zip")]},
    )
    elapsed = time.monotonic() - started
    batch = ImportBatch.objects.order_by("-pk").first()
    print(
        f"zip {len(data) / MB:.1f} MB, {args.entries} entries x {args.entry_mb} MB; "
        f"status {response.status_code}; {elapsed:.1f} s; "
        f"RSS idle {idle:.0f} MB (upload body {len(data) / MB:.0f} MB in the test client), "
        f"peak {peak_mb():.0f} MB, above idle {peak_mb() - idle:.0f} MB; "
        f"batch {batch.status}: {batch.processed_files} files, {batch.failed_count} failed"
    )
    for reason in sorted(set(batch.files.values_list("reason", flat=True)))[:3]:
        print("  reason:", reason[:150])


def bench_names(args) -> None:
    from articles.admin_import import ImportUploadHandler
    from articles.tasks import remove_upload_dir

    handler = ImportUploadHandler(None, max_bytes=10**12)
    started = time.monotonic()
    for _ in range(args.parts):
        handler.new_file("files", "a.txt", "text/plain", 5)
        handler.receive_data_chunk(b"hello", 0)
        handler.file_complete(5)
    elapsed = time.monotonic() - started
    remove_upload_dir(handler.folder)
    print(f"{args.parts:,} parts named a.txt stored in {elapsed:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    memory = sub.add_parser("memory")
    memory.add_argument("--entries", type=int, default=20)
    memory.add_argument("--entry-mb", type=int, default=50)
    names = sub.add_parser("names")
    names.add_argument("--parts", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-upload-db-") as tmp:
        setup(Path(tmp) / "db.sqlite3")
        {"memory": bench_memory, "names": bench_names}[args.what](args)


if __name__ == "__main__":
    main()
