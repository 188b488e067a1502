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


# axe-core, the accessibility checker, from the npm registry: installed once per machine into
# AXE_DIR by the test set-up (and by .ci/run), then injected into each page a test checks.
AXE_VERSION = "4.10.3"
AXE_DIR = Path(os.environ.get("AXE_DIR", Path.home() / ".cache" / "newsarchive-axe"))
AXE_FILE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


def axe_script() -> str:
    """The text of axe.min.js, installed with npm if it is not there yet."""
    import subprocess

    if not AXE_FILE.exists():
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(AXE_DIR),
                f"axe-core@{AXE_VERSION}",
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return AXE_FILE.read_text()


def axe_violations(page, script: str) -> list[str]:
    """Serious and critical WCAG A/AA violations axe-core finds on ``page``."""
    # Evaluated through the DevTools protocol, which the page's CSP does not govern (a
    # <script> tag with the same text would be refused, rightly).
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(script + "\n;undefined")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']});
            return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '));
        }"""
    )
    return result
