"""Static files through whitenoise, without the manifest.

``collectstatic`` with the hashed storage writes ``staticfiles.json`` (every file's name and
its hashed name) into STATIC_ROOT. The storage reads it from disk; nobody needs it over HTTP,
and it lists every file the site has. This middleware serves everything else as whitenoise's
does.
"""

from __future__ import annotations

from whitenoise.middleware import WhiteNoiseMiddleware

HIDDEN_NAMES = ("staticfiles.json",)


def _hidden(url: str) -> bool:
    return url.rsplit("/", 1)[-1].split("?", 1)[0] in HIDDEN_NAMES


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise's middleware, minus the manifest (a 404 like any unknown file)."""

    def add_file_to_dictionary(self, url, path, stat_cache=None):
        if not _hidden(url):
            super().add_file_to_dictionary(url, path, stat_cache=stat_cache)

    def find_file(self, url):
        return None if _hidden(url) else super().find_file(url)
