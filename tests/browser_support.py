"""What every real-browser test shares: Debian's Chromium, launched headless by Playwright.

Browsers can't be downloaded here, so Playwright drives /usr/bin/chromium. Without it the
tests are skipped with a reason, unless REQUIRE_BROWSER is set (as in CI): then they fail.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying to reach Google's hosts, and
# this machine's closed network refuses every attempt.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

requires_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("REQUIRE_BROWSER"),
    reason="no /usr/bin/chromium (install Debian's chromium package, or set REQUIRE_BROWSER=1 "
    "to make this a failure)",
)


def launch_chromium(playwright):
    """A headless Chromium browser from a running ``sync_playwright()``."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
