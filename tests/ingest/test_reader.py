"""iter_raw_files: files, folders, .zip and .tar.gz archives; names, order, limits and safety."""

import io
import os
import stat
import tarfile
import zipfile
from types import SimpleNamespace

import pytest

from articles.ingest import reader
from articles.ingest.reader import ReaderLimits, iter_raw_files, iter_uploaded_file

ARTICLE = b"Headline\n\nA paragraph of text.\n"


def names_and_errors(raws):
    return [(r.name, r.error) for r in raws]


def write(path, data=ARTICLE):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def all_files(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


# --------------------------------------------------------------------------- files and folders


def test_a_single_file_is_named_by_its_base_name(tmp_path):
    path = write(tmp_path / "deep" / "001_abc.txt")

    [raw] = iter_raw_files([path])

    assert (raw.name, raw.data, raw.error) == ("001_abc.txt", ARTICLE, None)


def test_a_folder_is_read_recursively_in_sorted_order_named_from_its_parent(tmp_path):
    root = tmp_path / "bbc"
    write(root / "sport" / "199.txt")
    write(root / "business" / "010.txt")
    write(root / "business" / "002.txt")
    write(root / "README")  # no extension: read as text

    names = [r.name for r in iter_raw_files([str(root)])]

    assert names == [
        "bbc/README",
        "bbc/business/002.txt",
        "bbc/business/010.txt",
        "bbc/sport/199.txt",
    ]


def test_hidden_files_are_skipped_and_other_types_reported(tmp_path):
    root = tmp_path / "in"
    write(root / "a.txt")
    write(root / ".DS_Store", b"\x00\x01")
    write(root / ".git" / "config")
    write(root / "__MACOSX" / "._a.txt")
    write(root / "photo.jpg", b"\xff\xd8\xff")
    write(root / "notes.md")

    result = names_and_errors(iter_raw_files([root]))

    assert result[0] == ("in/a.txt", None)
    assert [name for name, _ in result] == ["in/a.txt", "in/notes.md", "in/photo.jpg"]
    assert all("unsupported file type" in error for _, error in result[1:])
    assert "'.jpg'" in result[2][1]


def test_a_missing_path_is_reported(tmp_path):
    [raw] = iter_raw_files([tmp_path / "nope.txt"])
    assert raw.error == "no such file or directory"
    assert raw.data is None


def test_a_broken_symlink_in_a_folder_is_reported(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    (root / "gone.txt").symlink_to(tmp_path / "missing.txt")

    assert names_and_errors(iter_raw_files([root])) == [("in/gone.txt", "broken symbolic link")]


def test_a_folder_loop_is_reported_and_not_followed(tmp_path):
    root = tmp_path / "in"
    write(root / "sub" / "a.txt")
    (root / "sub" / "back").symlink_to(root, target_is_directory=True)

    result = names_and_errors(iter_raw_files([root]))

    assert result[0] == ("in/sub/a.txt", None)
    assert result[1][0] == "in/sub/back/"
    assert result[1][1].startswith("folder loop:")
    assert len(result) == 2


def test_a_symlinked_folder_that_is_not_a_loop_is_followed(tmp_path):
    write(tmp_path / "elsewhere" / "x.txt")
    root = tmp_path / "in"
    root.mkdir()
    (root / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)

    assert names_and_errors(iter_raw_files([root])) == [("in/linked/x.txt", None)]


def test_an_unreadable_file_is_reported(tmp_path, monkeypatch):
    path = write(tmp_path / "locked.txt")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    # Tests may run as root, which ignores file modes: simulate the refusal.
    monkeypatch.setattr(reader, "open", refuse, raising=False)

    [raw] = iter_raw_files([path])
    assert raw.error == "cannot read: permission denied"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_an_unreadable_file_is_reported_for_real(tmp_path):
    path = write(tmp_path / "locked.txt")
    path.chmod(0)
    try:
        [raw] = iter_raw_files([path])
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert raw.error == "cannot read: permission denied"


def test_a_file_over_the_size_limit_is_reported(tmp_path):
    path = write(tmp_path / "big.txt", b"x" * 2000)

    [raw] = iter_raw_files([path], limits=ReaderLimits(max_file_bytes=1000))

    assert raw.error == "file too large: 2.0 KB (limit 1000 bytes)"
    assert raw.data is None


def test_a_fifo_is_reported_not_read(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    os.mkfifo(root / "pipe.txt")

    assert names_and_errors(iter_raw_files([root])) == [
        ("in/pipe.txt", "not a regular file (device, socket or pipe)")
    ]


# --------------------------------------------------------------------------- zip archives


def make_zip(path, entries):
    """entries: (name, data) or (ZipInfo, data)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return path


def test_zip_entries_are_named_inside_the_archive_and_read_in_memory(tmp_path):
    archive = make_zip(
        tmp_path / "upload.zip",
        [("a/001.txt", ARTICLE), ("a/", b""), ("b/002.txt", b"Other\n\nText.\n")],
    )
    before = all_files(tmp_path)

    result = list(iter_raw_files([archive]))

    assert [(r.name, r.data) for r in result] == [
        ("upload.zip/a/001.txt", ARTICLE),
        ("upload.zip/b/002.txt", b"Other\n\nText.\n"),
    ]
    assert all_files(tmp_path) == before  # nothing extracted to disk


def test_unsafe_zip_entries_are_refused_one_by_one(tmp_path):
    link = zipfile.ZipInfo("a/link.txt")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    device = zipfile.ZipInfo("a/dev.txt")
    device.external_attr = (stat.S_IFCHR | 0o644) << 16
    archive = make_zip(
        tmp_path / "bad.zip",
        [
            ("../escape.txt", ARTICLE),
            ("/etc/passwd.txt", ARTICLE),
            ("C:/windows.txt", ARTICLE),
            (link, b"/etc/passwd"),
            (device, b""),
            ("inner.zip", b"PK\x03\x04"),
            ("inner.tar.gz", b"\x1f\x8b"),
            ("good.txt", ARTICLE),
        ],
    )

    result = names_and_errors(iter_raw_files([archive]))

    assert result == [
        ("bad.zip/../escape.txt", "unsafe archive entry: '..' in path"),
        ("bad.zip//etc/passwd.txt", "unsafe archive entry: absolute path"),
        ("bad.zip/C:/windows.txt", "unsafe archive entry: absolute path"),
        ("bad.zip/a/link.txt", "unsafe archive entry: symbolic link"),
        ("bad.zip/a/dev.txt", "unsafe archive entry: device or special file"),
        ("bad.zip/inner.zip", "nested archive: archives inside archives are not opened"),
        ("bad.zip/inner.tar.gz", "nested archive: archives inside archives are not opened"),
        ("bad.zip/good.txt", None),
    ]


def test_a_zip_bomb_entry_is_refused_by_its_compression_ratio(tmp_path):
    archive = make_zip(tmp_path / "bomb.zip", [("bomb.txt", b"0" * (3 * 1024 * 1024))])

    [raw] = iter_raw_files([archive])

    assert raw.name == "bomb.zip/bomb.txt"
    assert raw.data is None
    assert "suspicious compression ratio" in raw.error
    assert "zip bomb" in raw.error


def test_a_zip_entry_over_the_size_limit_is_refused(tmp_path):
    archive = make_zip(tmp_path / "big.zip", [("big.txt", b"y" * 5000), ("ok.txt", ARTICLE)])

    result = names_and_errors(iter_raw_files([archive], limits=ReaderLimits(max_file_bytes=4000)))

    assert result[0] == ("big.zip/big.txt", "file too large: 4.9 KB (limit 3.9 KB)")
    assert result[1] == ("big.zip/ok.txt", None)


def test_a_zip_with_too_many_entries_is_refused_whole(tmp_path):
    archive = make_zip(tmp_path / "many.zip", [(f"{i}.txt", ARTICLE) for i in range(3)])

    result = names_and_errors(iter_raw_files([archive], limits=ReaderLimits(max_entries=2)))

    assert result == [("many.zip", "archive has 3 entries (limit 2); nothing read")]


def test_a_zip_too_big_uncompressed_is_refused_whole(tmp_path):
    archive = make_zip(tmp_path / "huge.zip", [(f"{i}.txt", b"z" * 600) for i in range(3)])

    [raw] = iter_raw_files([archive], limits=ReaderLimits(max_uncompressed_bytes=1000))

    assert raw.name == "huge.zip"
    assert raw.error.startswith("archive would uncompress to 1.8 KB")


def test_a_broken_zip_is_reported(tmp_path):
    path = write(tmp_path / "broken.zip", b"this is not a zip archive at all")

    [raw] = iter_raw_files([path])

    assert raw.name == "broken.zip"
    assert raw.error.startswith("not a readable zip archive")


def test_archives_inside_a_folder_are_opened(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    make_zip(root / "sub.zip", [("x.txt", ARTICLE)])

    assert names_and_errors(iter_raw_files([root])) == [("in/sub.zip/x.txt", None)]


def test_an_uploaded_zip_is_read_from_a_file_object():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("a.txt", ARTICLE)
        zf.writestr("../b.txt", ARTICLE)
    buffer.seek(0)

    result = names_and_errors(iter_uploaded_file("C:\\Users\\me\\upload.zip", buffer))

    assert result == [
        ("upload.zip/a.txt", None),
        ("upload.zip/../b.txt", "unsafe archive entry: '..' in path"),
    ]


def test_an_uploaded_text_file_over_the_limit_is_refused():
    result = list(
        iter_uploaded_file("a.txt", io.BytesIO(b"x" * 50), limits=ReaderLimits(max_file_bytes=10))
    )
    assert names_and_errors(result) == [("a.txt", "file too large (limit 10 bytes)")]


# --------------------------------------------------------------------------- tar archives


def add_member(tf, name, data=b"", kind=tarfile.REGTYPE, linkname=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    tf.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)


@pytest.mark.parametrize("suffix,mode", [(".tar.gz", "w:gz"), (".tgz", "w:gz"), (".tar", "w")])
def test_tar_entries_are_named_inside_the_archive(tmp_path, suffix, mode):
    archive = tmp_path / f"corpus{suffix}"
    with tarfile.open(archive, mode) as tf:
        add_member(tf, "bbc/", kind=tarfile.DIRTYPE)
        add_member(tf, "bbc/sport/199.txt", ARTICLE)
        add_member(tf, "./bbc/tech/001.txt", b"T\n\nx.\n")
    before = all_files(tmp_path)

    result = [(r.name, r.data) for r in iter_raw_files([archive])]

    assert result == [
        (f"corpus{suffix}/bbc/sport/199.txt", ARTICLE),
        (f"corpus{suffix}/bbc/tech/001.txt", b"T\n\nx.\n"),
    ]
    assert all_files(tmp_path) == before


def test_unsafe_tar_entries_are_refused_one_by_one(tmp_path):
    archive = tmp_path / "bad.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        add_member(tf, "../escape.txt", ARTICLE)
        add_member(tf, "/abs.txt", ARTICLE)
        add_member(tf, "link.txt", kind=tarfile.SYMTYPE, linkname="/etc/passwd")
        add_member(tf, "hard.txt", kind=tarfile.LNKTYPE, linkname="good.txt")
        add_member(tf, "dev.txt", kind=tarfile.CHRTYPE)
        add_member(tf, "fifo.txt", kind=tarfile.FIFOTYPE)
        add_member(tf, "nested.zip", b"PK\x03\x04")
        add_member(tf, ".hidden.txt", ARTICLE)
        add_member(tf, "good.txt", ARTICLE)

    result = names_and_errors(iter_raw_files([archive]))

    assert result == [
        ("bad.tar.gz/../escape.txt", "unsafe archive entry: '..' in path"),
        ("bad.tar.gz//abs.txt", "unsafe archive entry: absolute path"),
        ("bad.tar.gz/link.txt", "unsafe archive entry: symbolic link"),
        ("bad.tar.gz/hard.txt", "unsafe archive entry: hard link"),
        ("bad.tar.gz/dev.txt", "unsafe archive entry: device or special file"),
        ("bad.tar.gz/fifo.txt", "unsafe archive entry: device or special file"),
        ("bad.tar.gz/nested.zip", "nested archive: archives inside archives are not opened"),
        ("bad.tar.gz/good.txt", None),
    ]


def test_a_tar_gz_bomb_stops_the_archive(tmp_path):
    archive = tmp_path / "bomb.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        add_member(tf, "zeros.txt", b"\n" * (3 * 1024 * 1024))
        add_member(tf, "after.txt", ARTICLE)

    result = names_and_errors(iter_raw_files([archive]))

    assert result[-1][0] == "bomb.tar.gz"
    assert "suspicious compression ratio" in result[-1][1]
    assert "bomb.tar.gz/after.txt" not in [name for name, _ in result]


def test_a_too_large_tar_entry_stops_the_archive(tmp_path):
    archive = tmp_path / "big.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        add_member(tf, "a.txt", ARTICLE)
        add_member(tf, "big.txt", b"q" * 5000)
        add_member(tf, "c.txt", ARTICLE)

    result = names_and_errors(iter_raw_files([archive], limits=ReaderLimits(max_file_bytes=4000)))

    assert result == [
        ("big.tar.gz/a.txt", None),
        (
            "big.tar.gz/big.txt",
            "file too large: 4.9 KB (limit 3.9 KB); the rest of the archive was not read",
        ),
    ]


def test_a_tar_with_too_many_entries_stops_with_an_error(tmp_path):
    archive = tmp_path / "many.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        for i in range(4):
            add_member(tf, f"{i}.txt", ARTICLE)

    result = names_and_errors(iter_raw_files([archive], limits=ReaderLimits(max_entries=2)))

    assert result == [
        ("many.tar.gz/0.txt", None),
        ("many.tar.gz/1.txt", None),
        ("many.tar.gz", "archive has more than 2 entries; the rest were not read"),
    ]


def test_a_truncated_tar_gz_reports_what_it_could_read(tmp_path):
    archive = tmp_path / "cut.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        add_member(tf, "a.txt", ARTICLE)
        add_member(tf, "b.txt", os.urandom(200_000))
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])

    result = names_and_errors(iter_raw_files([archive]))

    assert result[0] == ("cut.tar.gz/a.txt", None)
    assert result[-1][0] == "cut.tar.gz"
    assert result[-1][1].startswith("corrupt archive:")


def test_a_file_that_is_not_a_tar_is_reported(tmp_path):
    path = write(tmp_path / "fake.tar.gz", b"plain text, not gzip")

    [raw] = iter_raw_files([path])

    assert raw.name == "fake.tar.gz"
    assert raw.error.startswith("not a readable tar archive")


# --------------------------------------------------------------------------- limits


def test_limits_for_uploads_come_from_settings():
    settings = SimpleNamespace(
        IMPORT_MAX_UPLOAD_BYTES=1_000,
        IMPORT_MAX_FILES=20,
        IMPORT_MAX_UNCOMPRESSED_BYTES=5_000,
        IMPORT_MAX_RATIO=50,
    )

    limits = ReaderLimits.from_settings(settings)

    assert limits == ReaderLimits(
        max_file_bytes=1_000, max_entries=20, max_uncompressed_bytes=5_000, max_ratio=50
    )
