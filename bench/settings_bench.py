"""Settings for the page benchmark: production settings plus a hello-world route.

``DJANGO_SETTINGS_MODULE=bench.settings_bench``. Everything is as in ``newsarchive.production``
(DEBUG off, the same middleware, hashed static files) except: a bench-only secret key and no
HTTPS redirect when none are given (the benchmark talks plain HTTP on loopback), static files
collected into ``BENCH_STATIC_ROOT``, and the URLconf ``bench.urls_bench``, which adds
``/hello/`` for the benchmark only. The site's public URLs never include it.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret-" + "0123456789abcdef" * 3)
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

from newsarchive.production import *  # noqa: E402, F403
from newsarchive.settings import BASE_DIR  # noqa: E402

ROOT_URLCONF = "bench.urls_bench"
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", str(BASE_DIR / "bench" / "out" / "static"))
