"""The import page in a real headless Chromium: log in, upload a zip of articles, read the
report; then upload it again and read the history."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect, sync_playwright

from tests.admin_support import ARTICLES, PASSWORD, zip_bytes
from tests.browser_support import launch_chromium, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself between browser steps are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_page()
        page.csp_errors = []
        page.on(
            "console",
            lambda msg: (
                page.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None
            ),
        )
        yield page
        browser.close()


def test_an_editor_uploads_a_zip_and_reads_the_report(
    live_server, browser_page, settings, tmp_path, transactional_db
):
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")
    User.objects.create_superuser("chief", "chief@example.org", PASSWORD)
    archive = tmp_path / "week.zip"
    archive.write_bytes(zip_bytes({f"week/{name}": text for name, text in ARTICLES.items()}))
    page = browser_page

    page.goto(f"{live_server.url}/admin/articles/importbatch/upload/")
    assert "/admin/login/" in page.url
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.wait_for_url(re.compile(r"/admin/articles/importbatch/upload/$"))
    assert page.get_by_role("heading", name="Import articles").is_visible()
    limits = page.locator("#import-limits").inner_text()
    assert "Upload size" in limits and "Uncompressed size" in limits

    page.get_by_label("Files").set_input_files(str(archive))
    page.get_by_label("Section").fill("News / Regions")
    page.get_by_role("button", name="Import").click()

    page.wait_for_url(re.compile(r"/admin/articles/importbatch/\d+/change/$"))
    assert page.locator("#import-status").get_attribute("data-status") == "done"
    assert page.locator("#import-counts .count-created").inner_text() == "3"
    rows = page.locator("#import-file-table tbody tr")
    assert rows.count() == 3
    assert sorted(rows.locator("td:first-child").all_inner_texts()) == sorted(
        f"week.zip/week/{name}" for name in ARTICLES
    )
    assert set(rows.locator("td:nth-child(2)").all_inner_texts()) == {"created"}
    assert "Ferry operators add winter sailings" in page.locator("#import-file-table").inner_text()

    # The same archive again: nothing new, every file unchanged.
    page.get_by_role("link", name="Import more articles").click()
    page.wait_for_url(re.compile(r"/admin/articles/importbatch/upload/$"))
    page.get_by_label("Files").set_input_files(str(archive))
    page.get_by_label("Section").fill("News / Regions")
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r"/admin/articles/importbatch/\d+/change/$"))
    assert page.locator("#import-counts .count-unchanged").inner_text() == "3"
    assert page.locator("#import-counts .count-created").inner_text() == "0"

    page.get_by_role("link", name="Import batches").first.click()
    page.wait_for_url(re.compile(r"/admin/articles/importbatch/$"))
    history = page.locator("#result_list tbody tr")
    expect(history).to_have_count(2)
    expect(history.first.locator(".field-unchanged_count")).to_have_text("3")
    expect(history.first.locator(".field-user")).to_have_text("chief")

    assert page.csp_errors == []
