"""Reading input files: plain files, folders and .zip / .tar.gz archives, then decoding bytes.

``iter_raw_files(paths)`` yields one :class:`RawFile` per input file, in a deterministic order
(arguments in the order given, folder entries sorted by name, archive entries in archive
order). It never raises for bad input: anything that cannot be read becomes a ``RawFile``
whose ``error`` is a one-line reason, so the importer can report it and carry on.

Names: ``RawFile.name`` is the path relative to the parent of the argument, with ``/``
separators, so ``/x/bbc`` yields ``bbc/sport/199.txt``, an archive yields
``upload.zip/inner/path.txt`` and a single file is just its base name.

What is read, what is skipped, what fails (decided here, tested in tests/test_reader.py):

- A path given explicitly is always read (whatever its extension), or opened as an archive
  when its name ends in ``.zip``, ``.tar.gz``, ``.tgz`` or ``.tar``.
- Inside folders and archives, ``.txt`` / ``.text`` files and files without an extension
  are read; archives found inside a *folder* are opened.
- Silently skipped (obvious non-articles): hidden files and folders (``.DS_Store``,
  ``.git/``), ``__MACOSX/`` resource forks, ``Thumbs.db``, ``desktop.ini`` and directory
  entries of archives.
- Everything else is reported, never skipped in silence: other file types ("unsupported
  file type"), archives inside archives ("nested archive"), unreadable files, special files,
  broken symbolic links and folder loops.

``iter_uploaded_file(name, fileobj)`` does the same for one uploaded file object (a .txt
file or an archive) without needing a path.

Archive safety (the admin upload uses the same code with stricter :class:`ReaderLimits`):
entries are read in memory and never extracted to disk; entries with absolute paths or
``..`` components, symbolic / hard links, devices, encrypted entries, entries larger than
``max_file_bytes``, and entries with a compression ratio above ``max_ratio`` (zip bombs) are
refused one by one. An archive with more than ``max_entries`` entries, or whose entries add
up to more than ``max_uncompressed_bytes``, is refused as a whole (a .zip up front; a
streamed .tar.gz from the point where the limit is crossed, with a clear error row).

Decoding (``decode_bytes``): UTF-8 with or without BOM, UTF-16/32 with a BOM (and UTF-16
without one when its byte pattern is unmistakable), else legacy 8-bit text as cp1252 with
the five bytes cp1252 leaves undefined taken as Latin-1, so no byte is lost. Stray
UTF-8-invalid bytes inside otherwise UTF-8 text are decoded as cp1252 too ("utf-8+cp1252").
Line endings are normalised to ``\\n``. Isolated NUL bytes (padding seen in real scrapes)
are dropped because PostgreSQL text cannot store them; anything that looks binary (runs of
NUL bytes, many NULs or a high share of control characters) is refused with
:class:`DecodeError`.
"""

from __future__ import annotations

import codecs
import os
import stat
import tarfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from .types import RawFile

__all__ = [
    "DecodeError",
    "ReaderLimits",
    "decode_bytes",
    "iter_raw_files",
    "iter_uploaded_file",
]

MB = 1024 * 1024

# Only check the compression ratio of entries at least this big: small, repetitive files
# (a line of dashes) compress very well and are harmless.
RATIO_CHECK_MIN_BYTES = 1 * MB

TEXT_SUFFIXES = frozenset({".txt", ".text", ""})
ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar")
# Archives we refuse to open when found inside another archive, plus other compressed
# containers we never read.
NESTED_ARCHIVE_SUFFIXES = (*ARCHIVE_SUFFIXES, ".gz", ".bz2", ".xz", ".7z", ".rar", ".tbz2")
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", "__macosx"})

ERR_NOT_FOUND = "no such file or directory"
ERR_PERMISSION = "cannot read: permission denied"
ERR_BROKEN_LINK = "broken symbolic link"
ERR_SPECIAL = "not a regular file (device, socket or pipe)"
ERR_NESTED = "nested archive: archives inside archives are not opened"
ERR_ABSOLUTE = "unsafe archive entry: absolute path"
ERR_DOTDOT = "unsafe archive entry: '..' in path"
ERR_SYMLINK_ENTRY = "unsafe archive entry: symbolic link"
ERR_HARDLINK_ENTRY = "unsafe archive entry: hard link"
ERR_DEVICE_ENTRY = "unsafe archive entry: device or special file"
ERR_ENCRYPTED = "encrypted archive entry: cannot be read"


class DecodeError(ValueError):
    """The bytes are not text we can read (binary, empty, or broken beyond repair)."""


@dataclass(frozen=True, slots=True)
class ReaderLimits:
    """Size limits for files and archives. The defaults suit the command line.

    ``max_file_bytes``: one file or archive entry; ``max_entries``: entries in one archive;
    ``max_uncompressed_bytes``: all entries of one archive together; ``max_ratio``:
    uncompressed / compressed size of an entry (or a whole .tar.gz stream).
    """

    max_file_bytes: int = 50 * MB
    max_entries: int = 1_000_000
    max_uncompressed_bytes: int = 8 * 1024 * MB
    max_ratio: int = 200

    @classmethod
    def from_settings(cls, settings: Any) -> ReaderLimits:
        """Stricter limits for uploads, from ``IMPORT_MAX_*`` in Django settings."""
        default = cls()
        return cls(
            max_file_bytes=min(
                default.max_file_bytes,
                getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", default.max_file_bytes),
            ),
            max_entries=getattr(settings, "IMPORT_MAX_FILES", default.max_entries),
            max_uncompressed_bytes=getattr(
                settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", default.max_uncompressed_bytes
            ),
            max_ratio=getattr(settings, "IMPORT_MAX_RATIO", default.max_ratio),
        )


# --------------------------------------------------------------------------- helpers


def _size(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def _lower_suffix(name: str) -> str:
    """The suffix that decides how a name is treated (``.tar.gz`` counts as one)."""
    lower = name.lower()
    if lower.endswith(".tar.gz"):
        return ".tar.gz"
    return os.path.splitext(lower)[1]


def _is_archive_name(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def _is_nested_archive_name(name: str) -> bool:
    return name.lower().endswith(NESTED_ARCHIVE_SUFFIXES)


def _is_ignored(base: str) -> bool:
    return base.startswith(".") or base.lower() in IGNORED_NAMES


def _too_large(size: int, limits: ReaderLimits) -> str | None:
    if size > limits.max_file_bytes:
        return f"file too large: {_size(size)} (limit {_size(limits.max_file_bytes)})"
    return None


def _os_error(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return ERR_PERMISSION
    if isinstance(exc, FileNotFoundError):
        return ERR_NOT_FOUND
    return f"cannot read: {exc.strerror or exc}"


def _display_name(path: Path) -> str:
    """The argument's own name, the root of every name below it."""
    name = Path(os.path.abspath(path)).name
    return name or str(path)


# --------------------------------------------------------------------------- public API


def iter_raw_files(
    paths: Iterable[str | Path], *, limits: ReaderLimits | None = None
) -> Iterator[RawFile]:
    """Yield a :class:`RawFile` for every input file under ``paths``; never raises."""
    limits = limits or ReaderLimits()
    for arg in paths:
        path = Path(arg)
        name = _display_name(path)
        try:
            st = path.stat()
        except FileNotFoundError:
            broken = path.is_symlink()
            yield RawFile(name=str(arg), error=ERR_BROKEN_LINK if broken else ERR_NOT_FOUND)
            continue
        except OSError as exc:
            yield RawFile(name=str(arg), error=_os_error(exc))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_folder(path, name, limits, ancestors=((st.st_dev, st.st_ino),))
        elif _is_archive_name(name) and stat.S_ISREG(st.st_mode):
            yield from _iter_archive_path(path, name, limits)
        else:
            yield _read_file(path, name, st, limits)


def iter_uploaded_file(
    name: str, fileobj: IO[bytes], *, limits: ReaderLimits | None = None
) -> Iterator[RawFile]:
    """Yield the files of one uploaded file object: a .zip / .tar.gz archive or a text file.

    For the admin upload, which holds files in memory or in Django's temporary files.
    """
    limits = limits or ReaderLimits()
    base = PurePosixPath(name.replace("\\", "/")).name or "upload"
    if _is_archive_name(base):
        yield from _iter_archive_fileobj(fileobj, base, limits)
        return
    try:
        data = fileobj.read(limits.max_file_bytes + 1)
    except OSError as exc:
        yield RawFile(name=base, error=_os_error(exc))
        return
    if len(data) > limits.max_file_bytes:
        yield RawFile(name=base, error=f"file too large (limit {_size(limits.max_file_bytes)})")
        return
    yield RawFile(name=base, data=data)


# --------------------------------------------------------------------------- files & folders


def _read_file(path: Path, name: str, st: os.stat_result, limits: ReaderLimits) -> RawFile:
    if not stat.S_ISREG(st.st_mode):
        return RawFile(name=name, error=ERR_SPECIAL)
    too_large = _too_large(st.st_size, limits)
    if too_large:
        return RawFile(name=name, error=too_large)
    try:
        with open(path, "rb") as fh:
            # Read at most one byte past the limit: the file may have grown since stat().
            data = fh.read(limits.max_file_bytes + 1)
    except OSError as exc:
        return RawFile(name=name, error=_os_error(exc))
    if len(data) > limits.max_file_bytes:
        return RawFile(name=name, error=_too_large(len(data), limits))
    return RawFile(name=name, data=data)


def _walk_folder(
    folder: Path, name: str, limits: ReaderLimits, ancestors: tuple[tuple[int, int], ...]
) -> Iterator[RawFile]:
    """Depth-first, entries sorted by name. ``ancestors`` holds (device, inode) of the
    folders on the current path, so a symlink back to one of them is a loop we report."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield RawFile(name=name + "/", error=_os_error(exc))
        return
    for entry in entries:
        if _is_ignored(entry.name):
            continue
        child = f"{name}/{entry.name}"
        try:
            st = entry.stat()  # follows symlinks
        except FileNotFoundError:
            yield RawFile(
                name=child, error=ERR_BROKEN_LINK if entry.is_symlink() else ERR_NOT_FOUND
            )
            continue
        except OSError as exc:
            yield RawFile(name=child, error=_os_error(exc))
            continue
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in ancestors:
                target = os.readlink(entry.path) if entry.is_symlink() else "?"
                yield RawFile(
                    name=child + "/",
                    error=f"folder loop: symbolic link to {target} leads back to an "
                    "enclosing folder; not followed",
                )
                continue
            yield from _walk_folder(Path(entry.path), child, limits, (*ancestors, key))
        elif not stat.S_ISREG(st.st_mode):
            yield RawFile(name=child, error=ERR_SPECIAL)
        elif _is_archive_name(entry.name):
            yield from _iter_archive_path(Path(entry.path), child, limits)
        elif _lower_suffix(entry.name) in TEXT_SUFFIXES:
            yield _read_file(Path(entry.path), child, st, limits)
        else:
            yield RawFile(name=child, error=_unsupported(entry.name))


def _unsupported(base: str) -> str:
    if _is_nested_archive_name(base):
        return f"unsupported archive type '{_lower_suffix(base)}': use .zip or .tar.gz"
    return (
        f"unsupported file type '{_lower_suffix(base)}': only .txt files and "
        ".zip / .tar.gz archives are read"
    )


# --------------------------------------------------------------------------- archives


def _iter_archive_path(path: Path, name: str, limits: ReaderLimits) -> Iterator[RawFile]:
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed by `with fh` below
    except OSError as exc:
        yield RawFile(name=name, error=_os_error(exc))
        return
    with fh:
        yield from _iter_archive_fileobj(fh, name, limits)


def _iter_archive_fileobj(fh: IO[bytes], name: str, limits: ReaderLimits) -> Iterator[RawFile]:
    if name.lower().endswith(".zip"):
        yield from _iter_zip(fh, name, limits)
    else:
        yield from _iter_tar(fh, name, limits)


def _check_entry_name(raw_name: str) -> tuple[str | None, str | None]:
    """(clean relative name, None) or (None, reason) for an archive member name."""
    entry = raw_name.replace("\\", "/")
    if entry.startswith("/") or (len(entry) > 1 and entry[1] == ":"):
        return None, ERR_ABSOLUTE
    parts = [p for p in entry.split("/") if p not in ("", ".")]
    if ".." in parts:
        return None, ERR_DOTDOT
    return "/".join(parts), None


def _entry_disposition(entry: str) -> str | None:
    """None when an entry should be read; "skip" for obvious non-articles; else an error."""
    parts = entry.split("/")
    if any(_is_ignored(p) for p in parts):
        return "skip"
    base = parts[-1]
    if _is_nested_archive_name(base):
        return ERR_NESTED
    if _lower_suffix(base) not in TEXT_SUFFIXES:
        return _unsupported(base)
    return None


def _iter_zip(fh: IO[bytes], name: str, limits: ReaderLimits) -> Iterator[RawFile]:
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield RawFile(name=name, error=f"not a readable zip archive: {exc}")
        return
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_entries:
            yield RawFile(
                name=name,
                error=f"archive has {len(infos):,} entries (limit {limits.max_entries:,}); "
                "nothing read",
            )
            return
        total = sum(i.file_size for i in infos)
        if total > limits.max_uncompressed_bytes:
            yield RawFile(
                name=name,
                error=f"archive would uncompress to {_size(total)} "
                f"(limit {_size(limits.max_uncompressed_bytes)}); nothing read",
            )
            return
        for info in infos:
            if info.is_dir():
                continue
            yield from _zip_entry(zf, info, name, limits)


def _zip_entry(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: ReaderLimits
) -> Iterator[RawFile]:
    entry, bad = _check_entry_name(info.filename)
    if bad:
        yield RawFile(name=f"{name}/{info.filename}", error=bad)
        return
    child = f"{name}/{entry}"
    mode = info.external_attr >> 16
    if mode and stat.S_ISLNK(mode):
        yield RawFile(name=child, error=ERR_SYMLINK_ENTRY)
        return
    if mode and stat.S_IFMT(mode) and not stat.S_ISREG(mode):
        yield RawFile(name=child, error=ERR_DEVICE_ENTRY)
        return
    disposition = _entry_disposition(entry)
    if disposition == "skip":
        return
    if disposition:
        yield RawFile(name=child, error=disposition)
        return
    if info.flag_bits & 0x1:
        yield RawFile(name=child, error=ERR_ENCRYPTED)
        return
    too_large = _too_large(info.file_size, limits)
    if too_large:
        yield RawFile(name=child, error=too_large)
        return
    if info.file_size >= RATIO_CHECK_MIN_BYTES:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_ratio:
            yield RawFile(
                name=child,
                error=f"suspicious compression ratio {ratio:,.0f}:1 (limit "
                f"{limits.max_ratio}:1), possible zip bomb; not read",
            )
            return
    try:
        with zf.open(info) as member:
            # Never trust the header: read at most what it claims plus one byte.
            data = member.read(min(info.file_size, limits.max_file_bytes) + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        yield RawFile(name=child, error=f"corrupt archive entry: {exc}")
        return
    except RuntimeError as exc:  # zipfile raises it for encrypted entries
        yield RawFile(name=child, error=f"cannot read archive entry: {exc}")
        return
    if len(data) > info.file_size:
        yield RawFile(name=child, error="corrupt archive entry: larger than its header says")
        return
    yield RawFile(name=child, data=data)


class _CountingReader:
    """Wraps a binary file and counts the (compressed) bytes tarfile pulls from it."""

    def __init__(self, fh: IO[bytes]):
        self._fh = fh
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self.count += len(data)
        return data


def _iter_tar(fh: IO[bytes], name: str, limits: ReaderLimits) -> Iterator[RawFile]:
    """Stream a (compressed) tar archive: one pass, entries read in memory in order."""
    counter = _CountingReader(fh)
    try:
        tar = tarfile.open(fileobj=counter, mode="r|*")  # noqa: SIM115 - closed by `with tar` below
    except (tarfile.TarError, OSError, EOFError) as exc:
        yield RawFile(name=name, error=f"not a readable tar archive: {exc}")
        return
    entries = 0
    total = 0
    try:
        with tar:
            # tar.next() rather than iterating: TarFile keeps every member it has read in
            # ``members``, which grows with the archive; a one-pass stream needs none of them.
            while (member := tar.next()) is not None:
                tar.members.clear()
                entries += 1
                if entries > limits.max_entries:
                    yield RawFile(
                        name=name,
                        error=f"archive has more than {limits.max_entries:,} entries; "
                        "the rest were not read",
                    )
                    return
                stop = yield from _tar_entry(tar, member, name, limits)
                if member.isfile():
                    total += member.size
                    if total > limits.max_uncompressed_bytes:
                        yield RawFile(
                            name=name,
                            error="archive uncompresses to more than "
                            f"{_size(limits.max_uncompressed_bytes)}; the rest were not read",
                        )
                        return
                    # Whole-stream ratio: a tar of many small files compresses entry by
                    # entry, so only the stream as a whole tells a bomb apart.
                    if total >= RATIO_CHECK_MIN_BYTES and counter.count:
                        ratio = tar.offset / counter.count
                        if ratio > limits.max_ratio:
                            yield RawFile(
                                name=name,
                                error=f"suspicious compression ratio {ratio:,.0f}:1 (limit "
                                f"{limits.max_ratio}:1), possible archive bomb; "
                                "the rest were not read",
                            )
                            return
                if stop:
                    return
    except (tarfile.TarError, OSError, EOFError, zipfile.BadZipFile) as exc:
        yield RawFile(name=name, error=f"corrupt archive: {exc}; the rest were not read")


def _tar_entry(
    tar: tarfile.TarFile, member: tarfile.TarInfo, name: str, limits: ReaderLimits
) -> Iterator[RawFile]:
    """Yield the RawFile for one tar member; return True when the stream must stop."""
    if member.isdir():
        return False
    entry, bad = _check_entry_name(member.name)
    if bad:
        yield RawFile(name=f"{name}/{member.name}", error=bad)
        return False
    child = f"{name}/{entry}"
    if member.issym():
        yield RawFile(name=child, error=ERR_SYMLINK_ENTRY)
        return False
    if member.islnk():
        yield RawFile(name=child, error=ERR_HARDLINK_ENTRY)
        return False
    if not member.isfile():
        yield RawFile(name=child, error=ERR_DEVICE_ENTRY)
        return False
    disposition = _entry_disposition(entry)
    if disposition == "skip":
        return False
    if disposition:
        yield RawFile(name=child, error=disposition)
        return False
    too_large = _too_large(member.size, limits)
    if too_large:
        # Skipping it would mean decompressing it all in a stream: stop here instead.
        yield RawFile(name=child, error=too_large + "; the rest of the archive was not read")
        return True
    extracted = tar.extractfile(member)
    data = extracted.read() if extracted else b""
    yield RawFile(name=child, data=data)
    return False


# --------------------------------------------------------------------------- decoding

# Bytes cp1252 leaves undefined are taken as Latin-1 (the C1 control of the same number), so
# every byte maps to exactly one character and nothing is lost.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


def _cp1252_latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "".join(chr(b) for b in exc.object[exc.start : exc.end]), exc.end


def _utf8_cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return bad.decode("cp1252", errors="newsarchive-latin1"), exc.end


codecs.register_error("newsarchive-latin1", _cp1252_latin1_fallback)
codecs.register_error("newsarchive-cp1252", _utf8_cp1252_fallback)

# C0 controls other than tab, LF, VT, FF, CR and the DOS end-of-file mark (0x1A), plus DEL.
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 26), *range(27, 32), 127])
BINARY_SAMPLE_BYTES = 64 * 1024
MAX_CONTROL_SHARE = 0.05
MAX_NUL_SHARE = 0.01

ERR_EMPTY = "empty file"
ERR_NUL = "binary file: contains NUL bytes"


def _looks_like_bomless_utf16(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when NULs sit on one parity only, like ASCII in UTF-16."""
    sample = data[:BINARY_SAMPLE_BYTES]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.9 * half and even == 0:
        return "utf-16-le"
    if even > 0.9 * half and odd == 0:
        return "utf-16-be"
    return None


def _check_binary(data: bytes) -> None:
    sample = data[:BINARY_SAMPLE_BYTES]
    nuls = sample.count(0)
    if nuls and (b"\x00\x00" in sample or nuls > MAX_NUL_SHARE * len(sample)):
        raise DecodeError(ERR_NUL)
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > MAX_CONTROL_SHARE * len(sample):
        share = 100 * controls / len(sample)
        raise DecodeError(f"binary file: {share:.0f}% control characters")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; return ``(text, encoding)``. Raises :class:`DecodeError`.

    Newlines come back as ``\\n``; see the module docstring for the encodings tried.
    """
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError:
            text, encoding = data[3:].decode("utf-8", errors="newsarchive-cp1252"), "utf-8+cp1252"
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        text, encoding = _decode_strict(data, "utf-32")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _decode_strict(data, "utf-16")
    elif bomless := _looks_like_bomless_utf16(data):
        text, encoding = _decode_strict(data, bomless)
    else:
        _check_binary(data)
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            legacy = data.decode("cp1252", errors="newsarchive-latin1")
            mixed = data.decode("utf-8", errors="newsarchive-cp1252")
            # Equal unless the bytes also hold valid multi-byte UTF-8 sequences: then the
            # file is UTF-8 with a few stray legacy bytes and the mixed reading is right.
            text, encoding = (legacy, "cp1252") if mixed == legacy else (mixed, "utf-8+cp1252")
    if "\x00" in text:
        text = text.replace("\x00", "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DecodeError(ERR_EMPTY)
    return text, encoding


def _decode_strict(data: bytes, encoding: str) -> tuple[str, str]:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"invalid {encoding.upper()} text: {exc.reason}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    controls = sum(1 for ch in text[:BINARY_SAMPLE_BYTES] if ch < " " and ch not in "\t\n\r\f\v")
    if controls > MAX_CONTROL_SHARE * max(len(text[:BINARY_SAMPLE_BYTES]), 1):
        raise DecodeError(f"binary file: {encoding.upper()} text with control characters")
    return text, encoding
