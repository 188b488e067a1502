"""Shared pytest fixtures."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "000_2231687eb4e8da66.txt"
CORPORA = SHARED / "corpora"
SAMPLE_DIR = REPO / "fixtures" / "sample"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Each test starts with an empty cache: its database is rolled back afterwards, so the
    archive version numbers repeat from test to test and cached values must not.

    Whole-page caching is off unless a test turns it on (tests/web/test_caching.py does): most
    tests read the template context, which a page served from the cache does not have.
    Cached aggregates stay on everywhere."""
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()
