"""Fixtures for the page tests in a real headless Chromium."""

import os

import pytest

from tests.browser_support import launch_chromium


@pytest.fixture(scope="module")
def browser():
    """One Chromium for a module's browser tests."""
    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from
    # a thread with a running loop unless told it is safe (it is: the loop is Playwright's).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()
