"""Helpers shared by the admin tests: users with given permissions, archives built in memory,
and a few short articles written for these tests."""

from __future__ import annotations

import io
import tarfile
import zipfile

from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile

PASSWORD = "correct horse battery staple"

ARTICLES = {
    "101_aaaaaaaaaaaaaaaa.txt": """News   /   Europe

Ferry operators add winter sailings across the Baltic

Passengers board a ferry in the port of Tallinn on January 12, 2024. (Photo by Sample Wire)

Two ferry operators will add extra winter sailings between Tallinn and Helsinki after a rise in commuters, transport minister Kaja Lindqvist said on Friday.

Lindqvist said the new timetable would start next month.
""",
    "102_bbbbbbbbbbbbbbbb.txt": """News   /   Asia

Rice farmers welcome an early monsoon

Farmers in the delta began planting two weeks earlier than usual after heavy rain arrived in late May.

Agriculture officials said the harvest could be the largest in a decade if the weather holds.
""",
    "103_cccccccccccccccc.txt": """Sport   /   Football

Coastal club wins its first cup in forty years

The small coastal club beat the league leaders two goals to one in the final on Saturday.

Thousands of supporters filled the harbour square to welcome the team home.
""",
}


def make_user(username: str, *, staff: bool = True, perms: tuple[str, ...] = ()) -> User:
    """A user with the given ``app_label.codename`` permissions."""
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
    user.is_staff = staff
    user.save()
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def make_editor(username: str = "editor") -> User:
    """Staff who may import (add articles) and curate people and places."""
    return make_user(
        username,
        perms=(
            "articles.add_article",
            "articles.change_article",
            "articles.view_article",
            "articles.change_person",
            "articles.view_person",
            "articles.change_place",
            "articles.view_place",
        ),
    )


def zip_bytes(entries: dict[str, bytes | str], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data.encode() if isinstance(data, str) else data)
    return buffer.getvalue()


def zip_with_symlink(name: str, target: str) -> bytes:
    """A zip whose entry ``name`` is a symbolic link to ``target`` (Unix mode in the entry)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        info = zipfile.ZipInfo(name)
        info.create_system = 3
        info.external_attr = 0o120777 << 16
        zf.writestr(info, target)
    return buffer.getvalue()


def tar_gz_bytes(entries: list[tarfile.TarInfo | tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tf:
        for entry in entries:
            if isinstance(entry, tarfile.TarInfo):
                tf.addfile(entry)
            else:
                name, data = entry
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def upload(name: str, data: bytes | str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data.encode() if isinstance(data, str) else data)
