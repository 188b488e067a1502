"""Settings for the news archive. Everything that varies between machines comes from the
environment, read here in one place:

- ``DATABASE_URL``: ``sqlite:///path`` or ``postgres://user@host:port/name``; default a SQLite
  file ``db.sqlite3`` in the checkout.
- ``DJANGO_SECRET_KEY``, ``DJANGO_DEBUG``, ``DJANGO_ALLOWED_HOSTS`` (comma separated).
- ``CACHE_URL``: where cached pages and aggregates live: ``locmem://`` (default: each process
  its own), ``redis://host:port/db`` (shared; needs the ``redis`` package, in the ``prod``
  extra), ``file:///path`` or ``dummy://`` (nothing cached). ``PAGE_CACHE_SECONDS`` and
  ``ARCHIVE_CACHE_SECONDS`` (0 turns a layer off); see ``articles.caching``.
- ``DATABASE_REPLICA_URLS``: PostgreSQL streaming replicas of ``DATABASE_URL`` (comma
  separated; unset: one database). Public pages read from them, everything else uses the
  primary; ``REPLICA_MAX_LAG_SECONDS``, ``REPLICA_CHECK_SECONDS``, ``REPLICA_PIN_SECONDS``.
  See ``articles.routers`` and docs/scaling.md.

Production settings live in ``newsarchive.production``, which builds on this module.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(
        ","
    )
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "django_tasks_db",
    # Admin login throttling: failed attempts recorded in the database (its own migrations).
    "axes",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # whitenoise, without the static manifest (newsarchive.static).
    "newsarchive.static.StaticFilesMiddleware",
    # Public reads go to a replica when there is one; placed before the version is read, so
    # the version comes from the database the page's data comes from.
    "articles.replicas.ReplicaMiddleware",
    # Reads the archive version (the key of every cached page and aggregate) once a request.
    "articles.caching.VersionScopeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: answers a locked-out login with 429.
    "axes.middleware.AxesMiddleware",
]

# django-axes: after AXES_FAILURE_LIMIT wrong passwords for one username from one address, that
# pair is locked out for AXES_COOLOFF_TIME hours (the login page answers 429, even to the right
# password); a successful login resets the count. Keyed by the pair, so a stranger cannot lock
# an editor out from elsewhere. Behind a proxy, set AXES_IPWARE_META_PRECEDENCE_ORDER.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", 0.25))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

ROOT_URLCONF = "newsarchive.urls"
WSGI_APPLICATION = "newsarchive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; a busy timeout makes a second writer wait
    # instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            # Python's sqlite3 keeps 128 prepared statements per connection by default; an
            # import's multi-row INSERTs, each of a different size, made them grow the main
            # process from 183 to 246 MB over 30,000 files. A web request opens its own
            # connection and repeats few statements, so a small cache costs nothing.
            "cached_statements": 4,
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0


def replica_databases(urls: str, primary: dict) -> dict[str, dict]:
    """``DATABASES`` entries ``replica_1``, ``replica_2``... for ``DATABASE_REPLICA_URLS``.

    Each is a test mirror of the primary: under test it reads the primary's test database
    through the replica (streaming replication copies it there)."""
    replicas = {}
    for number, url in enumerate((u.strip() for u in urls.split(",") if u.strip()), start=1):
        entry = dj_database_url.parse(url, conn_max_age=primary.get("CONN_MAX_AGE", 0))
        if entry["ENGINE"] != primary["ENGINE"] or "postgresql" not in entry["ENGINE"]:
            raise ValueError(
                f"DATABASE_REPLICA_URLS: {url!r} is not a PostgreSQL URL like DATABASE_URL"
            )
        # A replica that does not answer must not hold up a page for long: the router falls
        # back to the primary.
        entry.setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", int(os.environ.get("REPLICA_CONNECT_SECONDS", "2"))
        )
        entry["TEST"] = {"MIRROR": "default"}
        replicas[f"replica_{number}"] = entry
    return replicas


DATABASES.update(
    replica_databases(os.environ.get("DATABASE_REPLICA_URLS", ""), DATABASES["default"])
)
REPLICA_DATABASES = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["articles.routers.ReplicaRouter"] if REPLICA_DATABASES else []
# A replica further behind than this (seconds without the archive's newest change) is left
# for the primary until it catches up; its state is checked at most this often per process.
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "10"))
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", "5"))
# After a write, that browser reads from the primary for this long (a cookie): its own
# change is there even if the replicas have not replayed it yet.
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "30"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url: str) -> dict:
    """A ``CACHES`` entry from ``CACHE_URL`` (the schemes are listed at the top)."""
    scheme, _, rest = url.partition("://")
    if scheme == "locmem":
        # Whole pages are 20-60 kB: 2,000 of them stay under ~100 MB per process.
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": rest or "newsarchive",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    if scheme in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "file":
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": rest}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ValueError(f"CACHE_URL: unknown scheme {scheme!r} (locmem, redis, file or dummy)")


CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", "locmem://"))}
# Every cached value is keyed by the archive's version (articles.caching), so these are only
# how long an entry may sit unused; a change to the archive makes it stale at once.
# Whole pages are not cached in development (DEBUG): an edited template would not show until
# the archive changed. newsarchive.production turns them on.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 0 if DEBUG else 3600))
ARCHIVE_CACHE_SECONDS = int(os.environ.get("ARCHIVE_CACHE_SECONDS", 24 * 3600))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background work (large admin imports) goes through Django's tasks framework with a
# database-backed queue; `python manage.py db_worker` runs the worker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Content-Security-Policy: Django's built-in middleware. No inline scripts or styles.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "style-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Upload limits for the admin import page (also stated on the page).
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", 100 * 1024 * 1024))
IMPORT_MAX_FILES = int(os.environ.get("IMPORT_MAX_FILES", 20_000))
IMPORT_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("IMPORT_MAX_UNCOMPRESSED_BYTES", 1024 * 1024 * 1024)
)
IMPORT_MAX_RATIO = int(os.environ.get("IMPORT_MAX_RATIO", 100))
# One uploaded file or archive entry. 4 MB is at least 1,000,000 characters in any encoding,
# four times the longest text one article may have (ingest.pipeline.MAX_ARTICLE_CHARS): a
# larger file could never be imported, and is refused before it is read into memory.
IMPORT_MAX_FILE_BYTES = int(os.environ.get("IMPORT_MAX_FILE_BYTES", 4 * 1024 * 1024))
IMPORT_INLINE_MAX_FILES = int(os.environ.get("IMPORT_INLINE_MAX_FILES", 50))
# A long import makes its new articles visible on cached pages after its first chunk, then at
# most this often, and at its end (articles.importing.counts.Touched.refresh).
IMPORT_REFRESH_SECONDS = int(os.environ.get("IMPORT_REFRESH_SECONDS", 60))
# Where upload folders are made (default: the system temp folder). Background workers on other
# machines need this on storage they share with the web servers (docs/admin.md).
IMPORT_UPLOAD_DIR = os.environ.get("IMPORT_UPLOAD_DIR") or None
DATA_UPLOAD_MAX_NUMBER_FILES = IMPORT_MAX_FILES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
