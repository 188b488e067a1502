"""The admin import page: who may use it, what it accepts and refuses, inline and background
runs, the report, and the history after importing the sample archive twice."""

from __future__ import annotations

import datetime as dt
import io
import tarfile
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles import tasks
from articles.forms import BAD_SUFFIX, NO_FILES, SAME_NAME
from articles.models import Article, ImportBatch
from tests.admin_support import (
    ARTICLES,
    make_editor,
    make_user,
    tar_gz_bytes,
    upload,
    zip_bytes,
    zip_with_symlink,
)
from tests.conftest import SAMPLE_DIR

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/admin/articles/importbatch/upload/"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def upload_dir(settings, tmp_path) -> Path:
    """Upload folders go under a folder of this test's own, so we can see what is left."""
    base = tmp_path / "uploads"
    settings.IMPORT_UPLOAD_DIR = str(base)
    settings.TASKS = IMMEDIATE
    return base


@pytest.fixture
def editor_client(upload_dir) -> Client:
    client = Client()
    client.force_login(make_editor())
    return client


def leftovers(base: Path) -> list[Path]:
    return list(base.iterdir()) if base.exists() else []


def post_files(client: Client, *files, **fields):
    return client.post(UPLOAD_URL, {"files": list(files), **fields})


def report_batch(response) -> ImportBatch:
    assert response.status_code == 302, getattr(response, "content", b"")[:2000]
    batch_id = int(response["Location"].rstrip("/").split("/")[-2])
    assert response["Location"] == reverse("admin:articles_importbatch_change", args=[batch_id])
    return ImportBatch.objects.get(pk=batch_id)


def statuses(batch: ImportBatch) -> dict[str, str]:
    return dict(batch.files.values_list("filename", "status"))


# --- who may import ----------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_the_login_page(upload_dir):
    response = Client().get(UPLOAD_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_without_the_add_article_permission_get_403(upload_dir):
    client = Client()
    client.force_login(make_user("viewer", perms=("articles.view_article",)))

    assert client.get(UPLOAD_URL).status_code == 403
    response = post_files(client, upload("101.txt", ARTICLES["101_aaaaaaaaaaaaaaaa.txt"]))

    assert response.status_code == 403
    assert ImportBatch.objects.count() == 0
    assert leftovers(upload_dir) == []  # refused before the body was stored


def test_active_users_who_are_not_staff_cannot_import_even_with_the_permission(upload_dir):
    client = Client()
    client.force_login(make_user("outsider", staff=False, perms=("articles.add_article",)))

    response = post_files(client, upload("101.txt", ARTICLES["101_aaaaaaaaaaaaaaaa.txt"]))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert ImportBatch.objects.count() == 0


def test_the_upload_must_carry_a_csrf_token(upload_dir):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_editor())

    response = post_files(client, upload("101.txt", ARTICLES["101_aaaaaaaaaaaaaaaa.txt"]))

    assert response.status_code == 403
    assert ImportBatch.objects.count() == 0
    assert leftovers(upload_dir) == []


def test_the_page_states_its_limits(editor_client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 3 * 1024 * 1024
    settings.IMPORT_MAX_FILES = 1234
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
    settings.IMPORT_MAX_RATIO = 77

    page = editor_client.get(UPLOAD_URL).content.decode()

    assert 'enctype="multipart/form-data"' in page
    for text in ("3.0\xa0MB", "1,234", "20.0\xa0MB", "77×", "absolute paths", "links"):
        assert text in page


# --- small uploads run in the request ----------------------------------------------------------


def test_txt_files_are_imported_inline_and_the_report_lists_each_file(editor_client, upload_dir):
    files = [upload(name, text) for name, text in list(ARTICLES.items())[:2]]

    batch = report_batch(post_files(editor_client, *files))

    assert batch.status == ImportBatch.Status.DONE
    assert batch.origin == ImportBatch.Origin.ADMIN
    assert batch.user.username == "editor"
    assert (batch.total_files, batch.processed_files, batch.created_count) == (2, 2, 2)
    assert set(statuses(batch).values()) == {"created"}
    assert Article.objects.count() == 2
    assert leftovers(upload_dir) == []

    report = editor_client.get(reverse("admin:articles_importbatch_change", args=[batch.pk]))
    html = report.content.decode()
    assert report.status_code == 200
    assert "101_aaaaaaaaaaaaaaaa.txt" in html and "102_bbbbbbbbbbbbbbbb.txt" in html
    assert "Ferry operators add winter sailings" in html
    assert 'http-equiv="refresh"' not in html  # finished: no more refreshing


def test_source_section_and_date_apply_to_the_whole_upload(editor_client):
    archive = zip_bytes({f"batch/{name}": text for name, text in ARTICLES.items()})

    batch = report_batch(
        post_files(
            editor_client,
            upload("week.zip", archive),
            source="Harbour Gazette",
            section="News / Regions",
            published="2024-03-01",
        )
    )

    assert batch.created_count == 3
    assert batch.options["source"] == "Harbour Gazette"
    assert batch.options["section"] == "News / Regions"
    articles = Article.objects.select_related("source", "section")
    assert {a.source.name for a in articles} == {"Harbour Gazette"}
    assert {a.section.full_name for a in articles} == {"News / Regions"}
    assert {(a.published, a.published_how) for a in articles} == {(dt.date(2024, 3, 1), "given")}
    assert {a.original_filename for a in articles} == {
        f"week.zip/batch/{name}" for name in ARTICLES
    }


def test_a_dry_run_reports_what_would_happen_and_saves_no_article(editor_client):
    files = [upload(name, text) for name, text in ARTICLES.items()]

    batch = report_batch(post_files(editor_client, *files, dry_run="on"))

    assert batch.dry_run is True
    assert batch.created_count == 3
    assert Article.objects.count() == 0
    page = editor_client.get(reverse("admin:articles_importbatch_change", args=[batch.pk]))
    assert "dry run" in page.content.decode()


def test_importing_the_same_files_again_reports_them_unchanged(editor_client):
    files = lambda: [upload(name, text) for name, text in ARTICLES.items()]  # noqa: E731

    first = report_batch(post_files(editor_client, *files()))
    second = report_batch(post_files(editor_client, *files()))

    assert first.created_count == 3
    assert (second.unchanged_count, second.created_count, second.failed_count) == (3, 0, 0)
    assert Article.objects.count() == 3


def test_two_uploaded_files_with_the_same_name_are_refused(editor_client, upload_dir):
    text = ARTICLES["101_aaaaaaaaaaaaaaaa.txt"]

    response = post_files(
        editor_client, upload("same.txt", text), upload("same.txt", text + "\nMore.")
    )

    assert response.status_code == 200
    assert SAME_NAME.format(name="same.txt") in response.content.decode()
    assert ImportBatch.objects.count() == 0
    assert leftovers(upload_dir) == []


# --- refused input -----------------------------------------------------------------------------


def test_other_file_types_are_refused_before_anything_is_imported(editor_client, upload_dir):
    response = post_files(
        editor_client,
        upload("101.txt", ARTICLES["101_aaaaaaaaaaaaaaaa.txt"]),
        upload("scan.pdf", b"%PDF-1.4"),
    )

    assert response.status_code == 200
    assert BAD_SUFFIX.format(name="scan.pdf") in response.content.decode()
    assert ImportBatch.objects.count() == 0
    assert leftovers(upload_dir) == []


def test_an_empty_form_asks_for_files(editor_client):
    response = editor_client.post(UPLOAD_URL, {})

    assert response.status_code == 200
    assert NO_FILES in response.content.decode()


def test_a_malformed_section_is_refused(editor_client):
    response = post_files(
        editor_client, upload("101.txt", ARTICLES["101_aaaaaaaaaaaaaaaa.txt"]), section="News //"
    )

    assert response.status_code == 200
    assert "names separated by" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_an_upload_over_the_size_limit_is_refused_whole(editor_client, settings, upload_dir):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    small = ARTICLES["102_bbbbbbbbbbbbbbbb.txt"]  # under the limit on its own

    response = post_files(editor_client, upload("a.txt", small), upload("b.txt", "x" * 5000))

    assert response.status_code == 200
    assert "larger than the limit of 1000" in response.content.decode()
    assert ImportBatch.objects.count() == 0
    assert leftovers(upload_dir) == []


def test_an_announced_body_far_over_the_limit_is_refused_unread(
    editor_client, settings, upload_dir
):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000

    response = post_files(editor_client, upload("big.txt", "x" * 400_000))

    assert response.status_code == 413
    assert "larger than the limit" in response.content.decode()
    assert leftovers(upload_dir) == []


def test_unsafe_zip_entries_are_refused_with_their_reason(editor_client, upload_dir):
    good = ARTICLES["101_aaaaaaaaaaaaaaaa.txt"]
    archive = zip_bytes(
        {
            "ok/101.txt": good,
            "../escape.txt": "written outside?",
            "/etc/absolute.txt": "written at the root?",
            "inner.zip": zip_bytes({"x.txt": "nested"}),
        }
    )

    batch = report_batch(post_files(editor_client, upload("mixed.zip", archive)))
    rows = {row.filename: row for row in batch.files.all()}

    assert rows["mixed.zip/ok/101.txt"].status == "created"
    reasons = sorted(r.reason for r in rows.values() if r.status == "failed")
    assert len(reasons) == 3
    assert any("'..'" in r for r in reasons)
    assert any("absolute path" in r for r in reasons)
    assert any("nested archive" in r for r in reasons)
    assert not list(upload_dir.parent.rglob("escape.txt"))
    assert not Path("/etc/absolute.txt").exists()
    assert leftovers(upload_dir) == []


def test_links_inside_archives_are_refused(editor_client):
    zip_link = zip_with_symlink("link.txt", "/etc/passwd")
    sym = tarfile.TarInfo("sym.txt")
    sym.type, sym.linkname = tarfile.SYMTYPE, "/etc/passwd"
    hard = tarfile.TarInfo("hard.txt")
    hard.type, hard.linkname = tarfile.LNKTYPE, "sym.txt"
    tar_link = tar_gz_bytes(
        [sym, hard, ("fine.txt", ARTICLES["103_cccccccccccccccc.txt"].encode())]
    )

    batch = report_batch(
        post_files(editor_client, upload("links.zip", zip_link), upload("links.tar.gz", tar_link))
    )
    rows = {row.filename: (row.status, row.reason) for row in batch.files.all()}

    assert rows["links.zip/link.txt"][0] == "failed"
    assert "symbolic link" in rows["links.zip/link.txt"][1]
    assert rows["links.tar.gz/sym.txt"][0] == "failed"
    assert "symbolic link" in rows["links.tar.gz/sym.txt"][1]
    assert rows["links.tar.gz/hard.txt"][0] == "failed"
    assert "hard link" in rows["links.tar.gz/hard.txt"][1]
    assert rows["links.tar.gz/fine.txt"][0] == "created"
    assert "root:" not in "".join(Article.objects.values_list("original_text", flat=True))


def test_an_entry_that_expands_too_much_is_refused(editor_client, settings):
    settings.IMPORT_MAX_RATIO = 50
    bomb = zip_bytes({"bomb.txt": b"a" * 2_000_000, "ok.txt": ARTICLES["102_bbbbbbbbbbbbbbbb.txt"]})

    batch = report_batch(post_files(editor_client, upload("bomb.zip", bomb)))
    rows = {row.filename: row for row in batch.files.all()}

    assert rows["bomb.zip/bomb.txt"].status == "failed"
    assert "ratio" in rows["bomb.zip/bomb.txt"].reason
    assert rows["bomb.zip/ok.txt"].status == "created"


def test_an_archive_with_more_entries_than_allowed_is_refused_whole(editor_client, settings):
    settings.IMPORT_MAX_FILES = 2
    archive = zip_bytes({name: text for name, text in ARTICLES.items()})

    batch = report_batch(post_files(editor_client, upload("three.zip", archive)))

    assert batch.created_count == 0
    assert batch.failed_count >= 1
    assert Article.objects.count() == 0
    assert "entries" in batch.files.get(status="failed").reason


# --- large uploads run in the background -------------------------------------------------------


def test_a_large_upload_is_queued_and_its_page_refreshes_until_done(
    editor_client, settings, upload_dir
):
    settings.IMPORT_INLINE_MAX_FILES = 2
    settings.TASKS = DUMMY
    from django.tasks import default_task_backend

    archive = zip_bytes({name: text for name, text in ARTICLES.items()})
    batch = report_batch(post_files(editor_client, upload("week.zip", archive)))

    # Queued: nothing imported yet, the files wait in their folder for the worker.
    assert batch.status == ImportBatch.Status.QUEUED
    assert Article.objects.count() == 0
    [folder] = leftovers(upload_dir)
    assert [p.name for p in folder.iterdir()] == ["week.zip"]
    page = editor_client.get(reverse("admin:articles_importbatch_change", args=[batch.pk]))
    html = page.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert "db_worker" in html
    assert "<progress" in html

    # The worker runs the task it was given.
    [result] = default_task_backend.results
    assert result.task.module_path == "articles.tasks.import_upload"
    tasks.import_upload.call(*result.args, **result.kwargs)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert (batch.total_files, batch.processed_files, batch.created_count) == (3, 3, 3)
    assert leftovers(upload_dir) == []
    html = editor_client.get(
        reverse("admin:articles_importbatch_change", args=[batch.pk])
    ).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert html.count('class="file-created"') == 3


def test_the_database_worker_command_runs_a_queued_import(
    editor_client, settings, upload_dir, transactional_db
):
    settings.IMPORT_INLINE_MAX_FILES = 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    files = [upload(name, text) for name, text in ARTICLES.items()]

    batch = report_batch(post_files(editor_client, *files, section="Regional"))
    assert batch.status == ImportBatch.Status.QUEUED

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert batch.created_count == 3
    assert set(Article.objects.values_list("section__full_name", flat=True)) == {"Regional"}
    assert leftovers(upload_dir) == []


def test_a_worker_that_cannot_see_the_upload_folder_fails_the_batch_clearly(upload_dir):
    batch = ImportBatch.objects.create(
        origin=ImportBatch.Origin.ADMIN, status=ImportBatch.Status.QUEUED
    )

    tasks.import_upload.call(batch.pk, str(upload_dir / "newsarchive-upload-gone"), ["a.txt"])

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "IMPORT_UPLOAD_DIR" in batch.error


def test_only_upload_folders_are_ever_removed(upload_dir, tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("keep me")
    made = tasks.new_upload_dir()
    assert oct(made.stat().st_mode)[-3:] == "700"  # private to the server's user

    tasks.remove_upload_dir(precious)
    tasks.remove_upload_dir(upload_dir)
    tasks.remove_upload_dir(made)

    assert (precious / "keep.txt").exists()
    assert upload_dir.exists()
    assert not made.exists()
    assert made.parent == upload_dir.resolve()


# --- the import history ------------------------------------------------------------------------


def sample_zip() -> bytes:
    files = sorted(SAMPLE_DIR.glob("*.txt"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            zf.write(path, f"sample/{path.name}")
    return buffer.getvalue()


@pytest.mark.skipif(not list(SAMPLE_DIR.glob("*.txt")), reason="fixtures/sample not written yet")
def test_the_sample_archive_uploaded_twice_comes_out_all_unchanged_the_second_time(
    editor_client,
):
    archive = sample_zip()
    count = len(list(SAMPLE_DIR.glob("*.txt")))

    # As `make run` does: four sample files have no footer to name their source.
    source = "The Meridian Herald"
    first = report_batch(post_files(editor_client, upload("sample.zip", archive), source=source))
    second = report_batch(post_files(editor_client, upload("sample.zip", archive), source=source))

    assert first.status == second.status == ImportBatch.Status.DONE
    assert (first.processed_files, first.created_count, first.failed_count) == (count, count, 0)
    # The second run: every file unchanged, nothing created, updated, duplicated or failed.
    assert second.processed_files == second.unchanged_count == count
    assert second.created_count + second.updated_count + second.duplicate_count == 0
    assert second.failed_count == 0
    assert set(second.files.values_list("status", flat=True)) == {"unchanged"}
    assert Article.objects.count() == count

    history = editor_client.get(reverse("admin:articles_importbatch_changelist"))
    html = history.content.decode()
    assert history.status_code == 200
    assert html.count("upload: sample.zip") == 2
    assert f'<td class="field-unchanged_count">{count}</td>' in html
    assert f'<td class="field-created_count">{count}</td>' in html


def test_a_running_import_shows_its_progress_and_a_failed_one_its_error(editor_client):
    running = ImportBatch.objects.create(
        origin=ImportBatch.Origin.ADMIN,
        status=ImportBatch.Status.RUNNING,
        total_files=10,
        processed_files=4,
    )
    failed = ImportBatch.objects.create(
        origin=ImportBatch.Origin.ADMIN,
        status=ImportBatch.Status.FAILED,
        error="OperationalError: the database went away",
    )

    running_html = editor_client.get(
        reverse("admin:articles_importbatch_change", args=[running.pk])
    ).content.decode()
    failed_html = editor_client.get(
        reverse("admin:articles_importbatch_change", args=[failed.pk])
    ).content.decode()

    assert 'max="10" value="4"' in running_html
    assert "4 / 10" in running_html
    assert 'http-equiv="refresh"' in running_html
    assert "the database went away" in failed_html
    assert 'http-equiv="refresh"' not in failed_html
