"""Reading input files: plain files, folders and .zip / .tar.gz archives, then decoding bytes.

``iter_raw_files(paths)`` yields one :class:`RawFile` per input file, in a deterministic order
(arguments in the order given, folder entries sorted by name, archive entries in archive
order). It never raises for bad input: anything that cannot be read becomes a ``RawFile``
whose ``error`` is a one-line reason, so the importer can report it and carry on.

Names: ``RawFile.name`` is the path relative to the parent of the argument, with ``/``
separators, so ``/x/bbc`` yields ``bbc/sport/199.txt``, an archive yields
``upload.zip/inner/path.txt`` and a single file is just its base name.

What is read, what is skipped, what fails (decided here, tested in tests/ingest/test_reader.py):

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

Decoding bytes to text is ``decoding.decode_bytes`` (see there).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from .archives import iter_archive_fileobj, iter_archive_path
from .decoding import ERR_EMPTY, ERR_NUL, DecodeError, decode_bytes
from .limits import (
    ARCHIVE_SUFFIXES,
    ERR_ABSOLUTE,
    ERR_BROKEN_LINK,
    ERR_DEVICE_ENTRY,
    ERR_DOTDOT,
    ERR_ENCRYPTED,
    ERR_HARDLINK_ENTRY,
    ERR_NESTED,
    ERR_NOT_FOUND,
    ERR_PERMISSION,
    ERR_SPECIAL,
    ERR_SYMLINK_ENTRY,
    TEXT_SUFFIXES,
    ReaderLimits,
    display_name,
    is_archive_name,
    is_ignored,
    lower_suffix,
    os_error,
    size_error,
    size_text,
    unsupported,
)
from .types import RawFile

__all__ = [
    "ARCHIVE_SUFFIXES",
    "DecodeError",
    "ERR_ABSOLUTE",
    "ERR_BROKEN_LINK",
    "ERR_DEVICE_ENTRY",
    "ERR_DOTDOT",
    "ERR_EMPTY",
    "ERR_ENCRYPTED",
    "ERR_HARDLINK_ENTRY",
    "ERR_NESTED",
    "ERR_NOT_FOUND",
    "ERR_NUL",
    "ERR_PERMISSION",
    "ERR_SPECIAL",
    "ERR_SYMLINK_ENTRY",
    "ReaderLimits",
    "decode_bytes",
    "iter_raw_files",
    "iter_uploaded_file",
]

# --------------------------------------------------------------------------- public API


def iter_raw_files(
    paths: Iterable[str | Path], *, limits: ReaderLimits | None = None
) -> Iterator[RawFile]:
    """Yield a :class:`RawFile` for every input file under ``paths``; never raises."""
    limits = limits or ReaderLimits()
    for arg in paths:
        path = Path(arg)
        name = display_name(path)
        try:
            st = path.stat()
        except FileNotFoundError:
            broken = path.is_symlink()
            yield RawFile(name=str(arg), error=ERR_BROKEN_LINK if broken else ERR_NOT_FOUND)
            continue
        except OSError as exc:
            yield RawFile(name=str(arg), error=os_error(exc))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_folder(path, name, limits, ancestors=((st.st_dev, st.st_ino),))
        elif is_archive_name(name) and stat.S_ISREG(st.st_mode):
            yield from iter_archive_path(path, name, limits)
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
    if is_archive_name(base):
        yield from iter_archive_fileobj(fileobj, base, limits)
        return
    try:
        data = fileobj.read(limits.max_file_bytes + 1)
    except OSError as exc:
        yield RawFile(name=base, error=os_error(exc))
        return
    if len(data) > limits.max_file_bytes:
        yield RawFile(name=base, error=f"file too large (limit {size_text(limits.max_file_bytes)})")
        return
    yield RawFile(name=base, data=data)


# --------------------------------------------------------------------------- files & folders


def _read_file(path: Path, name: str, st: os.stat_result, limits: ReaderLimits) -> RawFile:
    if not stat.S_ISREG(st.st_mode):
        return RawFile(name=name, error=ERR_SPECIAL)
    too_large = size_error(st.st_size, limits)
    if too_large:
        return RawFile(name=name, error=too_large)
    try:
        with open(path, "rb") as fh:
            # Read at most one byte past the limit: the file may have grown since stat().
            data = fh.read(limits.max_file_bytes + 1)
    except OSError as exc:
        return RawFile(name=name, error=os_error(exc))
    if len(data) > limits.max_file_bytes:
        return RawFile(name=name, error=size_error(len(data), limits))
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
        yield RawFile(name=name + "/", error=os_error(exc))
        return
    for entry in entries:
        if is_ignored(entry.name):
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
            yield RawFile(name=child, error=os_error(exc))
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
        elif is_archive_name(entry.name):
            yield from iter_archive_path(Path(entry.path), child, limits)
        elif lower_suffix(entry.name) in TEXT_SUFFIXES:
            yield _read_file(Path(entry.path), child, st, limits)
        else:
            yield RawFile(name=child, error=unsupported(entry.name))
