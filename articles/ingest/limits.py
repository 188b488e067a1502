"""What the reader accepts: file kinds by name, size and archive limits, and its error texts."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
                getattr(settings, "IMPORT_MAX_FILE_BYTES", default.max_file_bytes),
            ),
            max_entries=getattr(settings, "IMPORT_MAX_FILES", default.max_entries),
            max_uncompressed_bytes=getattr(
                settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", default.max_uncompressed_bytes
            ),
            max_ratio=getattr(settings, "IMPORT_MAX_RATIO", default.max_ratio),
        )


# --------------------------------------------------------------------------- helpers


def size_text(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def lower_suffix(name: str) -> str:
    """The suffix that decides how a name is treated (``.tar.gz`` counts as one)."""
    lower = name.lower()
    if lower.endswith(".tar.gz"):
        return ".tar.gz"
    return os.path.splitext(lower)[1]


def is_archive_name(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def is_nested_archive_name(name: str) -> bool:
    return name.lower().endswith(NESTED_ARCHIVE_SUFFIXES)


def is_ignored(base: str) -> bool:
    return base.startswith(".") or base.lower() in IGNORED_NAMES


def size_error(size: int, limits: ReaderLimits) -> str | None:
    if size > limits.max_file_bytes:
        return f"file too large: {size_text(size)} (limit {size_text(limits.max_file_bytes)})"
    return None


def os_error(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return ERR_PERMISSION
    if isinstance(exc, FileNotFoundError):
        return ERR_NOT_FOUND
    return f"cannot read: {exc.strerror or exc}"


def display_name(path: Path) -> str:
    """The argument's own name, the root of every name below it."""
    name = Path(os.path.abspath(path)).name
    return name or str(path)


def unsupported(base: str) -> str:
    if is_nested_archive_name(base):
        return f"unsupported archive type '{lower_suffix(base)}': use .zip or .tar.gz"
    return (
        f"unsupported file type '{lower_suffix(base)}': only .txt files and "
        ".zip / .tar.gz archives are read"
    )
