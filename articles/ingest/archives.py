"""Reading .zip and .tar(.gz) archives entry by entry, in memory, refusing unsafe entries."""

from __future__ import annotations

import stat
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .limits import (
    ERR_ABSOLUTE,
    ERR_DEVICE_ENTRY,
    ERR_DOTDOT,
    ERR_ENCRYPTED,
    ERR_HARDLINK_ENTRY,
    ERR_NESTED,
    ERR_SYMLINK_ENTRY,
    RATIO_CHECK_MIN_BYTES,
    TEXT_SUFFIXES,
    ReaderLimits,
    is_ignored,
    is_nested_archive_name,
    lower_suffix,
    os_error,
    size_error,
    size_text,
    unsupported,
)
from .types import RawFile

# --------------------------------------------------------------------------- archives


def iter_archive_path(path: Path, name: str, limits: ReaderLimits) -> Iterator[RawFile]:
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed by `with fh` below
    except OSError as exc:
        yield RawFile(name=name, error=os_error(exc))
        return
    with fh:
        yield from iter_archive_fileobj(fh, name, limits)


def iter_archive_fileobj(fh: IO[bytes], name: str, limits: ReaderLimits) -> Iterator[RawFile]:
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
    if any(is_ignored(p) for p in parts):
        return "skip"
    base = parts[-1]
    if is_nested_archive_name(base):
        return ERR_NESTED
    if lower_suffix(base) not in TEXT_SUFFIXES:
        return unsupported(base)
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
                error=f"archive would uncompress to {size_text(total)} "
                f"(limit {size_text(limits.max_uncompressed_bytes)}); nothing read",
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
    too_large = size_error(info.file_size, limits)
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
                            f"{size_text(limits.max_uncompressed_bytes)}; the rest were not read",
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
    too_large = size_error(member.size, limits)
    if too_large:
        # Skipping it would mean decompressing it all in a stream: stop here instead.
        yield RawFile(name=child, error=too_large + "; the rest of the archive was not read")
        return True
    yield RawFile(name=child, data=_member_bytes(tar, member))
    return False


def _member_bytes(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    """A member's bytes. A plain (not sparse) file's are the next ``size`` bytes of the
    stream: read straight from it, without the file object ``extractfile`` builds for each
    member (a fifth of reading a 100,000-file .tar.gz)."""
    stream = tar.fileobj
    plain = member.type in (tarfile.REGTYPE, tarfile.AREGTYPE) and not member.issparse()
    if plain and stream.tell() == member.offset_data:
        data = stream.read(member.size)
        if len(data) != member.size:
            raise tarfile.ReadError("unexpected end of data")
        return data
    extracted = tar.extractfile(member)
    return extracted.read() if extracted else b""
