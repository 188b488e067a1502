"""The ingest bad-input matrix: every kind of bad file, imported through the real reader,
parser and importer into the database.

For every case: each input file gets one report row with its own one-line message; the
database holds exactly the good files, each one whole (headline, body, original text, links
and stored counts agree); nothing is written anywhere on disk (archives are read in memory,
never extracted). docs/reliability.md lists the cases and their messages.

Unreadable files: the tests run as root, and permissions do not stop root, so an unreadable
file is simulated three ways: ``open`` in the reader patched to raise ``PermissionError`` for
one file, a FIFO (a special file the reader must not block on), and a folder named ``*.txt``.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import tarfile
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db.models import Count, Sum

from articles.importing import ERR_NAME_TOO_LONG, ImportOptions, run_import
from articles.ingest import parser, pipeline, reader
from articles.ingest.reader import iter_raw_files
from articles.models import (
    Article,
    ArticlePerson,
    ArticlePlace,
    ArticleRevision,
    ImportBatch,
    Person,
    Place,
    Section,
    Source,
)
from tests.conftest import REPO

pytestmark = pytest.mark.django_db

CREATED, UPDATED, UNCHANGED, DUPLICATE, FAILED = (
    "created",
    "updated",
    "unchanged",
    "duplicate",
    "failed",
)
MB = 1024 * 1024


def article(n: int, headline: str = "", extra: str = "") -> str:
    """A good native-layout article; ``n`` makes its text unique."""
    headline = headline or f"Ferry crossings resume on route {n} after the storms"
    return (
        "News   /   Europe\n\n"
        f"{headline}\n\n"
        f"Passengers board a ferry in Tallinn on March 8, 2024. (Photo by Coastline Images)\n\n"
        f"Ferry companies restarted crossings on route {n} on Friday after storms kept ships "
        "in port for a week, Transport Minister Kadri Vello said.\n\n"
        f"The port authority said the first departures were full.{extra}\n"
    )


def good_bytes(n: int) -> bytes:
    return article(n).encode("utf-8")


# --- the import and the checks ------------------------------------------------------------------


def ingest(*paths: Path | str) -> ImportBatch:
    """One import, as ``manage.py ingest`` runs it (same reader limits, one process)."""
    return run_import(
        iter_raw_files(paths), options=ImportOptions(workers=1), description="bad-input matrix"
    )


def report(batch: ImportBatch) -> dict[str, tuple[str, str]]:
    rows = list(batch.files.values_list("filename", "status", "reason"))
    names = [name for name, _, _ in rows]
    assert len(names) == len(set(names)), "one report row per file"
    return {name: (status, reason) for name, status, reason in rows}


def assert_report(batch: ImportBatch, expected: dict[str, tuple[str, str | None]]) -> None:
    """Each file has its row with the expected status and a clear one-line message."""
    rows = report(batch)
    assert set(rows) == set(expected), rows
    for name, (status, message) in expected.items():
        got_status, reason = rows[name]
        assert got_status == status, (name, rows[name])
        if status == FAILED:
            assert reason and "\n" not in reason and len(reason) < 300, (name, reason)
            assert "Traceback" not in reason and "Error:" not in reason, (name, reason)
        if message:
            assert message in reason, (name, reason)
    assert batch.status == ImportBatch.Status.DONE
    assert batch.processed_files == len(rows)
    counts = {s: sum(1 for st, _ in rows.values() if st == s) for s in (CREATED, FAILED)}
    assert (batch.created_count, batch.failed_count) == (counts[CREATED], counts[FAILED])


def assert_archive_is_whole(expected_files: set[str]) -> None:
    """The database holds exactly these files' articles, each complete, with true counts."""
    assert set(Article.objects.values_list("original_filename", flat=True)) == expected_files
    for a in Article.objects.all():
        assert a.headline.strip() and a.slug
        assert a.original_text.strip() and "\x00" not in a.original_text
        assert a.content_hash == hashlib.sha256(a.original_text.encode()).hexdigest()
        assert any(b["kind"] == "paragraph" and b["text"] for b in a.body)
        assert a.body_text and a.word_count > 0
    # No link, person or count left behind by a rolled-back or refused file.
    assert not ArticlePerson.objects.exclude(article__in=Article.objects.all()).exists()
    for model, mentions, fk in (
        (Person, ArticlePerson, "person"),
        (Place, ArticlePlace, "place"),
    ):
        actual = dict(
            mentions.objects.values_list(fk).annotate(n=Count("article_id")).values_list(fk, "n")
        )
        stored = dict(model.objects.values_list("pk", "article_count"))
        assert {pk: n for pk, n in stored.items() if n} == actual, model.__name__
        sums = dict(
            mentions.objects.values_list(fk).annotate(n=Sum("mentions")).values_list(fk, "n")
        )
        stored_sums = dict(model.objects.values_list("pk", "mention_count"))
        assert {pk: n for pk, n in stored_sums.items() if pk in sums} == sums
    for model in (Source, Section):
        fk = model.__name__.lower()
        actual = dict(Article.objects.values_list(fk).annotate(n=Count("id")).values_list(fk, "n"))
        stored = {pk: n for pk, n in model.objects.values_list("pk", "article_count") if n}
        assert stored == {pk: n for pk, n in actual.items() if pk}


# --- building inputs ----------------------------------------------------------------------------


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def make_zip(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return path


def tar_member(tf: tarfile.TarFile, name: str, data: bytes = b"", kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    tf.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)


def zip_symlink(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


@dataclass
class Case:
    """Inputs built under a folder, and what each file's report row must say.

    ``expect`` maps each reported name to (status, a part of its message or None); the
    archive must hold exactly the files reported created afterwards.
    """

    build: Callable[[Path, str], list[Path]]
    expect: dict[str, tuple[str, str | None]]
    escapes: list[str] = field(default_factory=list)  # entry names that must never land


GOOD = {"in/good.txt": (CREATED, None)}


UTF8_TEXT = article(1, "Café owners in Tallinn reopen after the storms", " Prices rose 5 €.")
LATIN1_TEXT = article(2, "Rivière ferries return to Tallinn", " Fares stay at 5 £.")
HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Ferries return</title></head>
<body>
<h1>Ferry crossings resume after the storms</h1>
<p>Ferry companies restarted crossings on Friday.</p>
<script>alert("x")</script>
</body>
</html>
"""
HTML_FRAGMENT = "<p>Ferry crossings resume</p>\n\n<p>Ferry companies restarted crossings.</p>\n"
# Article text may quote markup: it is still an article (the page escapes it).
QUOTES_MARKUP = article(
    3, "Researchers find <script> tags in ferry booking pages", ' A "<b>" tag too.'
)


def ten_mb() -> bytes:
    sentence = "Officials said the ferries would run every day of the week from the landing. "
    paragraph = sentence * 60
    head = "News   /   Europe\n\nA report far too long for one article\n\n"
    return (head + "\n\n".join([paragraph] * (10 * MB // len(paragraph)))).encode()


def varied_words(chars: int, seed: int) -> str:
    """Text of distinct made-up words: the worst case for PostgreSQL's tsvector size."""
    words, size, i = [], 0, seed * 1_000_003
    while size < chars:
        i += 1
        word = hashlib.md5(str(i).encode()).hexdigest()[: 4 + i % 7]  # noqa: S324 - not security
        word = "".join(chr(ord("a") + int(c, 16)) for c in word)
        words.append(word)
        size += len(word) + 1
    sentences = [" ".join(words[j : j + 12]) + "." for j in range(0, len(words), 12)]
    text = "\n\n".join(" ".join(sentences[j : j + 8]) for j in range(0, len(sentences), 8))
    return text[: text.rindex(" ", 0, chars)] + "."


def long_article(chars: int) -> bytes:
    return ("News   /   Europe\n\nA very long report\n\n" + varied_words(chars, chars)).encode()


def zip_case(entries: Callable[[str], list[tuple]], expect_entries: dict, escapes=()) -> Case:
    def build(root: Path, token: str) -> list[Path]:
        path = make_zip(root / "up.zip", [("good.txt", good_bytes(0)), *entries(token)])
        return [path]

    expect = {"up.zip/good.txt": (CREATED, None), **expect_entries}
    return Case(build, expect, escapes=list(escapes))


def tar_case(members: Callable[[tarfile.TarFile, str], None], expect_entries: dict) -> Case:
    def build(root: Path, token: str) -> list[Path]:
        path = root / "up.tar.gz"
        with tarfile.open(path, "w:gz") as tf:
            tar_member(tf, "good.txt", good_bytes(0))
            members(tf, token)
        return [path]

    return Case(build, {"up.tar.gz/good.txt": (CREATED, None), **expect_entries})


def build_nested(root: Path, token: str) -> list[Path]:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("inner.txt", good_bytes(5))
    inner_tar = io.BytesIO()
    with tarfile.open(fileobj=inner_tar, mode="w:gz") as tf:
        tar_member(tf, "inner.txt", good_bytes(6))
    return [
        make_zip(
            root / "up.zip",
            [
                ("good.txt", good_bytes(0)),
                ("inner.zip", inner.getvalue()),
                ("more/inner.tar.gz", inner_tar.getvalue()),
                ("one.txt.gz", b"\x1f\x8b\x08\x00"),
            ],
        )
    ]


def build_zip_bomb(root: Path, token: str) -> list[Path]:
    # 40 MB of one byte: under the 50 MB file limit, so only the ratio (~1000:1) refuses it.
    return [make_zip(root / "up.zip", [("good.txt", good_bytes(0)), ("zeros.txt", b"0" * 40 * MB)])]


def build_tar_bomb(root: Path, token: str) -> list[Path]:
    path = root / "up.tar.gz"
    with tarfile.open(path, "w:gz") as tf:
        tar_member(tf, "good.txt", good_bytes(0))
        tar_member(tf, "zeros.txt", b"\n" * 8 * MB)
        tar_member(tf, "after.txt", good_bytes(7))
    return [path]


def build_truncated_tar(root: Path, token: str) -> list[Path]:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tf:
        tar_member(tf, "good.txt", good_bytes(0))
        # Random bytes do not compress: cutting the archive in half cuts into this entry.
        tar_member(tf, "blob.txt", os.urandom(256 * 1024))
    path = root / "up.tar.gz"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    return [path]


def build_folder_loop(root: Path, token: str) -> list[Path]:
    write(root / "in" / "good.txt", good_bytes(0))
    (root / "in" / "sub").mkdir()
    os.symlink("..", root / "in" / "sub" / "back")
    return [root / "in"]


def build_links_on_disk(root: Path, token: str) -> list[Path]:
    write(root / "in" / "good.txt", good_bytes(0))
    outside = write(root / "elsewhere" / "story.txt", good_bytes(8))
    os.symlink(outside, root / "in" / "linked.txt")
    os.symlink(root / "nowhere.txt", root / "in" / "dangling.txt")
    return [root / "in"]


def build_fifo(root: Path, token: str) -> list[Path]:
    write(root / "in" / "good.txt", good_bytes(0))
    os.mkfifo(root / "in" / "pipe.txt")
    return [root / "in"]


def build_folder_named_txt(root: Path, token: str) -> list[Path]:
    write(root / "in" / "good.txt", good_bytes(0))
    write(root / "in" / "story.txt" / "inside.txt", good_bytes(9))
    (root / "in" / "empty.txt").mkdir()
    return [root / "in"]


def build_same_text_two_encodings(root: Path, token: str) -> list[Path]:
    write(root / "in" / "a.txt", UTF8_TEXT.encode("utf-8"))
    write(root / "in" / "b.txt", UTF8_TEXT.encode("utf-16"))
    return [root / "in"]


def build_identical(root: Path, token: str) -> list[Path]:
    write(root / "in" / "a.txt", good_bytes(1))
    write(root / "in" / "b.txt", good_bytes(1))
    return [root / "in"]


# One bad file beside a good one in a folder ``in``: (file name, bytes or a function making
# them, (status, a part of the message)).
SINGLE_FILE_CASES: dict[str, tuple[str, bytes | str | Callable[[], bytes], tuple[str, str]]] = {
    "empty file": ("empty.txt", b"", (FAILED, reader.ERR_EMPTY)),
    "whitespace only": ("blank.txt", b" \n\t\r\n  \n", (FAILED, reader.ERR_EMPTY)),
    "binary (an image)": (
        "photo.txt",
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64,
        (FAILED, "binary file"),
    ),
    "runs of NUL bytes": ("nul.txt", good_bytes(1) + b"\x00\x00\x00\x00", (FAILED, reader.ERR_NUL)),
    "a stray NUL byte is dropped": (
        "stray.txt",
        good_bytes(1).replace(b"Ferry", b"Fer\x00ry", 1),
        (CREATED, None),
    ),
    "invalid UTF-8 byte in UTF-8 text": (
        "mixed.txt",
        UTF8_TEXT.encode().replace(b"Prices", b"Pr\xefces"),
        (CREATED, None),
    ),
    "Latin-1 / cp1252": ("latin1.txt", LATIN1_TEXT.encode("cp1252"), (CREATED, None)),
    "UTF-16 with BOM": ("utf16.txt", UTF8_TEXT.encode("utf-16"), (CREATED, None)),
    "UTF-16 without BOM": ("utf16le.txt", article(4).encode("utf-16-le"), (CREATED, None)),
    "broken UTF-16": (
        "bad16.txt",
        b"\xff\xfe" + "Ferries".encode("utf-16-le") + b"\x00\xd8\x41\x00",
        (FAILED, "invalid UTF-16 text"),
    ),
    "UTF-8 BOM": ("bom.txt", b"\xef\xbb\xbf" + article(6).encode(), (CREATED, None)),
    "CR and CRLF line endings": (
        "crlf.txt",
        article(5).replace("\n", "\r\n").encode(),
        (CREATED, None),
    ),
    "a 10 MB file": ("huge.txt", ten_mb, (FAILED, "too long for one article")),
    "just over the article limit": (
        "long.txt",
        lambda: long_article(pipeline.MAX_ARTICLE_CHARS + 10_000),
        (FAILED, "too long for one article"),
    ),
    "just under the article limit, varied words": (
        "longish.txt",
        lambda: long_article(pipeline.MAX_ARTICLE_CHARS - 10_000),
        (CREATED, None),
    ),
    "over the reader's 50 MB limit": (
        "giant.txt",
        lambda: b"a" * (50 * MB + 1),
        (FAILED, "file too large: 50.0 MB (limit 50.0 MB)"),
    ),
    "one huge line": (
        "oneline.txt",
        b"word " * 200_000,
        (FAILED, "no headline found: the first line is 999999 characters"),
    ),
    "headline only": (
        "headline.txt",
        "Ferry crossings resume after the storms\n",
        (FAILED, parser.ERR_NO_BODY),
    ),
    "breadcrumb only": ("crumb.txt", "News   /   Europe\n", (FAILED, parser.ERR_NO_BODY)),
    "breadcrumb and headline, no body": (
        "nobody.txt",
        "News   /   Europe\n\nFerry crossings resume\n",
        (FAILED, parser.ERR_NO_BODY),
    ),
    "footer only": (
        "footer.txt",
        "Press TV’s website can also be accessed at the following alternate addresses:\n\n"
        "www.example.com\n\nSHARE THIS ARTICLE\nPress TV News Roku\n",
        (FAILED, parser.ERR_NO_BODY),
    ),
    "decoration only": ("stars.txt", "***\n\n— — —\n\n...\n", (FAILED, parser.ERR_NO_BODY)),
    "HTML page instead of text": ("page.txt", HTML_PAGE, (FAILED, parser.ERR_HTML)),
    "HTML fragment instead of text": ("fragment.txt", HTML_FRAGMENT, (FAILED, parser.ERR_HTML)),
    "text quoting <script> is an article": ("quotes.txt", QUOTES_MARKUP, (CREATED, None)),
    "other file types": ("story.pdf", b"%PDF-1.4", (FAILED, "unsupported file type '.pdf'")),
}


def single_file_case(name: str, data, want: tuple[str, str | None]) -> Case:
    def build(root: Path, token: str) -> list[Path]:
        write(root / "in" / "good.txt", good_bytes(0))
        write(root / "in" / name, data() if callable(data) else data)
        return [root / "in"]

    return Case(build, {**GOOD, f"in/{name}": want})


CASES: dict[str, Case] = {
    **{case_id: single_file_case(*spec) for case_id, spec in SINGLE_FILE_CASES.items()},
    "identical content under two names": Case(
        build_identical,
        {"in/a.txt": (CREATED, None), "in/b.txt": (DUPLICATE, "same text as in/a.txt")},
    ),
    "same text in two encodings": Case(
        build_same_text_two_encodings,
        {"in/a.txt": (CREATED, None), "in/b.txt": (DUPLICATE, "same text as in/a.txt")},
    ),
    "zip entry with ../ path": zip_case(
        lambda t: [(f"../evil_{t}.txt", good_bytes(1)), (f"a/../../evil_{t}.txt", good_bytes(2))],
        {
            "up.zip/../evil_{t}.txt": (FAILED, reader.ERR_DOTDOT),
            "up.zip/a/../../evil_{t}.txt": (FAILED, reader.ERR_DOTDOT),
        },
        escapes=["../evil_{t}.txt"],
    ),
    "zip entry with absolute path": zip_case(
        lambda t: [
            (f"/tmp/evil_{t}.txt", good_bytes(1)),
            (f"C:\\evil_{t}.txt", good_bytes(2)),
        ],
        {
            "up.zip//tmp/evil_{t}.txt": (FAILED, reader.ERR_ABSOLUTE),
            "up.zip/C:\\evil_{t}.txt": (FAILED, reader.ERR_ABSOLUTE),
        },
        escapes=["/tmp/evil_{t}.txt"],
    ),
    "zip symbolic link entry": zip_case(
        lambda t: [zip_symlink("passwd.txt", "/etc/passwd")],
        {"up.zip/passwd.txt": (FAILED, reader.ERR_SYMLINK_ENTRY)},
    ),
    "encrypted zip entry": Case(
        lambda root, t: [encrypted_zip(root / "up.zip")],
        {
            "up.zip/good.txt": (CREATED, None),
            "up.zip/secret.txt": (FAILED, reader.ERR_ENCRYPTED),
        },
    ),
    "tar entries with ../ and absolute paths": tar_case(
        lambda tf, t: (
            tar_member(tf, f"../evil_{t}.txt", good_bytes(1)),
            tar_member(tf, f"/tmp/evil_{t}.txt", good_bytes(2)),
        ),
        {
            "up.tar.gz/../evil_{t}.txt": (FAILED, reader.ERR_DOTDOT),
            "up.tar.gz//tmp/evil_{t}.txt": (FAILED, reader.ERR_ABSOLUTE),
        },
    ),
    "tar links and devices": tar_case(
        lambda tf, t: (
            tar_member(tf, "sym.txt", kind=tarfile.SYMTYPE, link="/etc/passwd"),
            tar_member(tf, "hard.txt", kind=tarfile.LNKTYPE, link="good.txt"),
            tar_member(tf, "dev.txt", kind=tarfile.CHRTYPE),
        ),
        {
            "up.tar.gz/sym.txt": (FAILED, reader.ERR_SYMLINK_ENTRY),
            "up.tar.gz/hard.txt": (FAILED, reader.ERR_HARDLINK_ENTRY),
            "up.tar.gz/dev.txt": (FAILED, reader.ERR_DEVICE_ENTRY),
        },
    ),
    "links on disk": Case(
        build_links_on_disk,
        {
            "in/good.txt": (CREATED, None),
            "in/linked.txt": (CREATED, None),  # the operator's own link is followed
            "in/dangling.txt": (FAILED, reader.ERR_BROKEN_LINK),
        },
    ),
    "zip bomb": Case(
        build_zip_bomb,
        {"up.zip/good.txt": (CREATED, None), "up.zip/zeros.txt": (FAILED, "possible zip bomb")},
    ),
    "tar.gz bomb": Case(
        build_tar_bomb,
        {
            "up.tar.gz/good.txt": (CREATED, None),
            "up.tar.gz/zeros.txt": (FAILED, reader.ERR_EMPTY),  # 8 MB of newlines
            "up.tar.gz": (FAILED, "possible archive bomb; the rest were not read"),
        },
    ),
    "truncated tar.gz": Case(
        build_truncated_tar,
        {"up.tar.gz/good.txt": (CREATED, None), "up.tar.gz": (FAILED, "the rest were not read")},
    ),
    "broken zip": Case(
        lambda root, t: [write(root / "up.zip", b"PK\x03\x04 not really a zip")],
        {"up.zip": (FAILED, "not a readable zip archive")},
    ),
    "nested archives": Case(
        build_nested,
        {
            "up.zip/good.txt": (CREATED, None),
            "up.zip/inner.zip": (FAILED, reader.ERR_NESTED),
            "up.zip/more/inner.tar.gz": (FAILED, reader.ERR_NESTED),
            "up.zip/one.txt.gz": (FAILED, reader.ERR_NESTED),
        },
    ),
    "unreadable: a FIFO": Case(build_fifo, {**GOOD, "in/pipe.txt": (FAILED, reader.ERR_SPECIAL)}),
    "unreadable: a folder named *.txt": Case(
        build_folder_named_txt,
        {**GOOD, "in/story.txt/inside.txt": (CREATED, None)},
    ),
    "folder loop": Case(
        build_folder_loop,
        {**GOOD, "in/sub/back/": (FAILED, "folder loop: symbolic link to .. leads back")},
    ),
}


def encrypted_zip(path: Path) -> Path:
    """A zip whose ``secret.txt`` is flagged encrypted (zipfile cannot write one: the flag is
    set in the local and central headers afterwards)."""
    make_zip(path, [("good.txt", good_bytes(0)), ("secret.txt", good_bytes(3))])
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        local = zf.getinfo("secret.txt").header_offset
    data[local + 6] |= 0x1
    central = data.index(b"PK\x01\x02")
    while not data[central + 46 :].startswith(b"secret.txt"):
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 8] |= 0x1
    path.write_bytes(bytes(data))
    return path


@pytest.fixture
def token() -> str:
    return uuid.uuid4().hex[:12]


def landing_spots(name: str, bases: list[Path]) -> list[Path]:
    """Where an archive entry called ``name`` would land if it were extracted from any of
    ``bases`` (or absolute)."""
    if name.startswith("/"):
        return [Path(name)]
    spots = []
    for base in bases:
        for level in [base, *base.parents]:
            spots.append(level / Path(name).name)
    return spots


@pytest.mark.parametrize("case_id", list(CASES))
def test_bad_input(case_id, tmp_path, token):
    case = CASES[case_id]
    root = tmp_path / "work"
    root.mkdir()
    paths = case.build(root, token)
    before = sorted(p for p in tmp_path.rglob("*"))

    batch = ingest(*paths)

    expected = {name.format(t=token): want for name, want in case.expect.items()}
    assert_report(batch, expected)
    assert_archive_is_whole({n for n, (s, _) in expected.items() if s == CREATED})
    # Nothing was written: the input tree is as it was, no entry landed anywhere.
    assert sorted(p for p in tmp_path.rglob("*")) == before
    bases = [Path.cwd(), root, REPO, Path(tempfile.gettempdir())]
    for escape in case.escapes:
        for spot in landing_spots(escape.format(t=token), bases):
            assert not spot.exists(), spot


def test_encodings_keep_every_character(tmp_path):
    """Decoded text is stored as the characters the file meant, whatever its encoding."""
    root = tmp_path / "in"
    write(root / "utf8.txt", UTF8_TEXT.encode())
    write(root / "latin1.txt", LATIN1_TEXT.encode("cp1252"))
    write(root / "bom.txt", b"\xef\xbb\xbf" + article(11).encode())
    write(root / "utf16.txt", article(12).encode("utf-16"))
    write(root / "mixed.txt", article(13, "Café talks", " Pr\xefces.").encode("utf-8"))
    write(root / "stray.txt", good_bytes(14).replace(b"Ferry", b"Fer\x00ry", 1))

    ingest(root)

    stored = dict(Article.objects.values_list("original_filename", "original_text"))
    encodings = dict(Article.objects.values_list("original_filename", "original_encoding"))
    assert stored["in/utf8.txt"] == UTF8_TEXT
    assert stored["in/latin1.txt"] == LATIN1_TEXT and encodings["in/latin1.txt"] == "cp1252"
    assert stored["in/bom.txt"] == article(11)  # no BOM kept, breadcrumb still recognised
    assert Article.objects.get(original_filename="in/bom.txt").section.full_name == "News / Europe"
    assert stored["in/utf16.txt"] == article(12) and encodings["in/utf16.txt"] == "utf-16"
    assert stored["in/stray.txt"] == article(14)  # the NUL is gone, nothing else
    assert "Pr\xefces" in stored["in/mixed.txt"]


def test_invalid_utf8_bytes_are_read_as_cp1252_not_lost(tmp_path):
    data = UTF8_TEXT.encode().replace(b"Prices", b"Pr\x92ces")  # cp1252 right quote
    write(tmp_path / "in" / "x.txt", data)

    batch = ingest(tmp_path / "in")

    assert_report(batch, {"in/x.txt": (CREATED, None)})
    article_row = Article.objects.get()
    assert article_row.original_encoding == "utf-8+cp1252"
    assert "Pr’ces" in article_row.original_text and "Café" in article_row.original_text


def test_the_same_name_with_new_content_updates_and_keeps_the_old_text(tmp_path):
    path = write(tmp_path / "in" / "story.txt", good_bytes(1))
    ingest(tmp_path / "in")
    first = Article.objects.get()

    path.write_bytes(article(1, "Ferry crossings resume, with a new timetable").encode())
    batch = ingest(tmp_path / "in")

    assert_report(batch, {"in/story.txt": (UPDATED, "previous text kept as a revision")})
    assert_archive_is_whole({"in/story.txt"})
    updated = Article.objects.get()
    assert updated.pk == first.pk
    assert updated.headline == "Ferry crossings resume, with a new timetable"
    [revision] = ArticleRevision.objects.all()
    assert revision.original_text == article(1)


def test_identical_content_under_a_new_name_in_a_later_run_is_a_duplicate(tmp_path):
    write(tmp_path / "one" / "a.txt", good_bytes(1))
    write(tmp_path / "two" / "b.txt", good_bytes(1))
    ingest(tmp_path / "one")

    batch = ingest(tmp_path / "two")

    assert_report(batch, {"two/b.txt": (DUPLICATE, "same text as one/a.txt")})
    assert_archive_is_whole({"one/a.txt"})


def test_an_unreadable_file_is_reported(tmp_path, monkeypatch):
    """Root reads anything, so ``open`` in the reader is made to refuse one file."""
    write(tmp_path / "in" / "good.txt", good_bytes(0))
    locked = write(tmp_path / "in" / "locked.txt", good_bytes(1))
    real_open = open

    def refusing_open(path, *args, **kwargs):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(reader, "open", refusing_open, raising=False)

    batch = ingest(tmp_path / "in")

    assert_report(
        batch, {"in/good.txt": (CREATED, None), "in/locked.txt": (FAILED, reader.ERR_PERMISSION)}
    )
    assert_archive_is_whole({"in/good.txt"})


def test_every_bad_file_at_once_leaves_exactly_the_good_ones(tmp_path):
    """All single-file cases in one folder and one run: a chunk full of failures still
    imports its good files, and the report has one row each."""
    root = tmp_path / "in"
    expected = {}
    for i, (name, data, want) in enumerate(SINGLE_FILE_CASES.values()):
        target = f"{i:02d}_{name}"
        write(root / target, data() if callable(data) else data)
        expected[f"in/{target}"] = want
    write(root / "zz_good.txt", good_bytes(99))
    expected["in/zz_good.txt"] = (CREATED, None)

    batch = ingest(root)

    assert_report(batch, expected)
    assert_archive_is_whole({n for n, (s, _) in expected.items() if s == CREATED})


def test_two_file_names_alike_in_their_first_1000_characters(tmp_path):
    """Clipped alike, they used to collide and stop the whole import; now each is refused."""
    deep = "d" * 1200
    archive = make_zip(
        tmp_path / "up.zip",
        [
            ("good.txt", good_bytes(0)),
            (f"{deep}/one.txt", good_bytes(1)),
            (f"{deep}/two.txt", good_bytes(2)),
        ],
    )

    batch = ingest(archive)

    rows = list(batch.files.values_list("filename", "status", "reason"))
    failed = [reason for _, status, reason in rows if status == FAILED]
    assert failed == [ERR_NAME_TOO_LONG.format(n=1215, limit=1000)] * 2
    assert batch.status == ImportBatch.Status.DONE
    assert_archive_is_whole({"up.zip/good.txt"})


def test_no_archive_entry_is_ever_written_to_disk(tmp_path, token):
    """One archive with every kind of escaping entry; afterwards no file anywhere under the
    temporary folders, the checkout or its parent carries the token in its name."""
    archive = tmp_path / "escape.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        tar_member(tf, "good.txt", good_bytes(0))
        tar_member(tf, f"../../evil_{token}.txt", good_bytes(1))
        tar_member(tf, f"/tmp/evil_{token}_abs.txt", good_bytes(2))
        tar_member(tf, f"sym_{token}.txt", kind=tarfile.SYMTYPE, link=f"/tmp/evil_{token}_t")
        tar_member(tf, f"hard_{token}.txt", kind=tarfile.LNKTYPE, link="/etc/passwd")
    zipped = make_zip(
        tmp_path / "escape.zip",
        [(f"../evil_{token}_z.txt", good_bytes(3)), zip_symlink(f"zl_{token}.txt", "/etc")],
    )

    batch = ingest(archive, zipped)

    assert batch.failed_count == 6 and batch.created_count == 1
    assert_archive_is_whole({"escape.tar.gz/good.txt"})
    roots = {Path(tempfile.gettempdir()), REPO.parent, Path.cwd(), tmp_path.parent.parent}
    for top in roots:
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = [d for d in dirnames if d not in (".venv", "node_modules", ".git")]
            hits = [n for n in filenames + dirnames if token in n]
            assert not hits, (dirpath, hits)
    assert not any(token in p.name for p in Path("/").iterdir())
    assert not any(token in p.name for p in Path.home().iterdir())
