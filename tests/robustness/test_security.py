"""Security settings and checks: the admin is behind a login, every state-changing request
needs a CSRF token, the public site is read-only, pages carry a Content-Security-Policy, and
production settings pass ``check --deploy`` with HSTS, secure cookies and hashed, long-cached
static files served by whitenoise.

The production checks run in subprocesses with ``DJANGO_SETTINGS_MODULE=newsarchive.production``
(and a settings module of this test's own that only moves STATIC_ROOT into a temporary
folder), a long random secret key and ``DJANGO_ALLOWED_HOSTS`` set, as a deployment would.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from articles.models import Article, ImportBatch, Person
from tests.admin_support import ARTICLES, make_editor, make_user, upload
from tests.conftest import REPO
from tests.factories import make_world

PYTHON = sys.executable
UPLOAD_URL = reverse("admin:articles_importbatch_upload")
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
CSP_DIRECTIVES = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
}


def admin_urls() -> list[str]:
    """Every admin page: the index, each model's list and add page, and the import page."""
    urls = [reverse("admin:index"), UPLOAD_URL]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    return urls


@pytest.fixture
def upload_dir(settings, tmp_path) -> Path:
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")
    settings.TASKS = IMMEDIATE
    return tmp_path / "uploads"


# --- the admin needs a login -------------------------------------------------------------------


@pytest.mark.django_db
def test_every_admin_page_sends_anonymous_users_to_the_login(client):
    urls = admin_urls()
    assert len(urls) > 10
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/?next="), url


@pytest.mark.django_db
def test_logged_in_users_who_are_not_staff_are_sent_to_the_login_too(client):
    client.force_login(make_user("reader", staff=False, perms=("articles.add_article",)))
    for url in admin_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


@pytest.mark.django_db
def test_staff_without_permissions_see_no_model(client):
    client.force_login(make_user("intern"))
    for model in admin.site._registry:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(url).status_code == 403, url
    assert client.get(UPLOAD_URL).status_code == 403


# --- CSRF --------------------------------------------------------------------------------------


def csrf_token(client: Client, url: str) -> str:
    client.get(url)
    return client.cookies["csrftoken"].value


@pytest.mark.django_db
def test_the_import_post_needs_a_valid_csrf_token(upload_dir):
    """The upload view is exempt from the middleware (its upload handler must be installed
    before the body is read) and checks the token itself: without one, or with a wrong one,
    nothing is imported; with the page's token the same post imports."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_editor())
    name, text = next(iter(ARTICLES.items()))

    missing = client.post(UPLOAD_URL, {"files": [upload(name, text)]})
    wrong = client.post(
        UPLOAD_URL, {"files": [upload(name, text)], "csrfmiddlewaretoken": "x" * 64}
    )
    assert (missing.status_code, wrong.status_code) == (403, 403)
    assert ImportBatch.objects.count() == 0 and Article.objects.count() == 0

    token = csrf_token(client, UPLOAD_URL)
    ok = client.post(UPLOAD_URL, {"files": [upload(name, text)], "csrfmiddlewaretoken": token})
    assert ok.status_code == 302
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_other_admin_posts_need_the_token_too():
    client = Client(enforce_csrf_checks=True)
    superuser = make_user("root", perms=())
    superuser.is_superuser = True
    superuser.save()
    person = Person.objects.create(name="Marta Lind", slug="marta-lind")

    login = client.post(reverse("admin:login"), {"username": "root", "password": "x"})
    assert login.status_code == 403

    client.force_login(superuser)
    changelist = reverse("admin:articles_person_changelist")
    delete = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [person.pk], "post": "yes"}
    )
    edit = client.post(
        reverse("admin:articles_person_change", args=[person.pk]),
        {"name": "Changed", "slug": "changed", "aliases": "[]", "is_entity": "on"},
    )
    logout = client.post(reverse("admin:logout"))
    assert (delete.status_code, edit.status_code, logout.status_code) == (403, 403, 403)
    assert Person.objects.get().name == "Marta Lind"


@pytest.mark.django_db
def test_the_public_site_accepts_no_writes():
    world = make_world()
    pages = [
        "/",
        "/articles/",
        world.putin_by.get_absolute_url(),
        "/people/vladimir-putin/",
        "/articles/feed.atom",
        "/articles/export.csv",
    ]
    browser = Client(enforce_csrf_checks=True)
    plain = Client()
    for page in pages:
        for method in ("post", "put", "patch", "delete"):
            # Refused by the CSRF middleware before any view runs.
            assert getattr(browser, method)(page).status_code == 403, (method, page)
    # And the page views themselves answer only GET and HEAD. (Feeds and exports answer a
    # POST like a GET: they write nothing either.)
    for page in pages[:4]:
        assert plain.post(page).status_code == 405, page
    before = (Article.objects.count(), Person.objects.count(), ImportBatch.objects.count())
    for page in pages:
        plain.post(page)
    assert (Article.objects.count(), Person.objects.count(), ImportBatch.objects.count()) == before


# --- Content-Security-Policy -------------------------------------------------------------------


def csp_directives(response) -> set[str]:
    return {d.strip() for d in response["Content-Security-Policy"].split(";") if d.strip()}


@pytest.mark.django_db
def test_every_page_carries_the_content_security_policy(client):
    world = make_world()
    pages = [
        "/",
        "/articles/",
        "/articles/?q=gas",
        world.putin_by.get_absolute_url(),
        "/people/",
        "/people/vladimir-putin/",
        "/places/belarus/",
        "/sections/news/",
        "/archive/2022/",
        "/no/such/page/",
        reverse("admin:login"),
    ]
    for page in pages:
        response = client.get(page)
        assert csp_directives(response) == CSP_DIRECTIVES, page
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_public_pages_need_no_inline_script_or_style(client):
    """The policy forbids inline code, so the pages must not rely on any."""
    world = make_world()
    for page in ["/", "/articles/", world.putin_by.get_absolute_url(), "/people/vladimir-putin/"]:
        html = client.get(page).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), page
        assert "<style" not in html and " style=" not in html, page
        assert not re.search(r"\son[a-z]+=", html), page  # onclick= and friends


# --- production settings -----------------------------------------------------------------------


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsarchive.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "archive.example.org,testserver",
            **extra,
        }
    )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, timeout=180)


def test_production_settings_pass_check_deploy_without_warnings():
    result = run(
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_development_settings_do_not_pass_check_deploy():
    """The check above can fail: the development settings give the warnings it looks for."""
    env = production_env(DJANGO_SETTINGS_MODULE="newsarchive.settings")
    result = run([PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr + result.stdout


PROBE = """
import json, os, sys
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.conf import settings
from django.templatetags.static import static
from django.test import Client

client = Client()
out = {"settings": {name: getattr(settings, name) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT")}}
http = client.get("/admin/login/")
out["http"] = {"status": http.status_code, "location": http.get("Location", "")}
https = client.get("/admin/login/", secure=True)
out["https"] = {"status": https.status_code, "headers": dict(https.headers)}
out["cookies"] = {name: {"secure": bool(c["secure"]), "samesite": c["samesite"]}
                  for name, c in https.cookies.items()}
css = static("css/site.css")
out["static_url"] = css
hashed = client.get(css, secure=True, HTTP_ACCEPT_ENCODING="gzip")
out["hashed"] = {"status": hashed.status_code, "headers": dict(hashed.headers),
                 "body": b"".join(hashed.streaming_content)[:2].hex()}
plain = client.get("/static/css/site.css", secure=True)
out["plain"] = {"status": plain.status_code, "headers": dict(plain.headers)}
out["manifest_status"] = [
    client.get(url, secure=True, HTTP_ACCEPT_ENCODING="gzip").status_code
    for url in ("/static/staticfiles.json", "/static/staticfiles.json.gz")
]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    """collectstatic into a temporary STATIC_ROOT with the production storage, then one
    process with production settings answers a few requests (none needs the database)."""
    folder = tmp_path_factory.mktemp("production")
    (folder / "rel_production_settings.py").write_text(
        "from newsarchive.production import *  # noqa: F403\n"
        f"STATIC_ROOT = {str(folder / 'static')!r}\n"
    )
    env = production_env(
        DJANGO_SETTINGS_MODULE="rel_production_settings",
        PYTHONPATH=os.pathsep.join([str(folder), str(REPO)]),
    )
    collect = run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)
    assert collect.returncode == 0, collect.stderr
    manifest = json.loads((folder / "static" / "staticfiles.json").read_text())
    probe = run([PYTHON, "-c", PROBE], env)
    assert probe.returncode == 0, probe.stderr
    return {"manifest": manifest, **json.loads(probe.stdout)}


def test_production_forces_https_with_hsts(production):
    assert production["settings"]["DEBUG"] is False
    assert production["http"]["status"] == 301
    assert production["http"]["location"] == "https://testserver/admin/login/"
    headers = production["https"]["headers"]
    assert production["https"]["status"] == 200
    assert headers["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert {d.strip() for d in headers["Content-Security-Policy"].split(";")} == CSP_DIRECTIVES
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_production_cookies_are_secure(production):
    settings = production["settings"]
    assert settings["SESSION_COOKIE_SECURE"] and settings["CSRF_COOKIE_SECURE"]
    assert settings["SESSION_COOKIE_HTTPONLY"]
    assert production["cookies"]["csrftoken"] == {"secure": True, "samesite": "Lax"}


def test_whitenoise_serves_hashed_static_files_for_a_year(production):
    hashed_name = production["manifest"]["paths"]["css/site.css"]
    assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", hashed_name)
    assert production["static_url"] == f"/static/{hashed_name}"
    response = production["hashed"]
    assert response["status"] == 200
    cache = response["headers"]["Cache-Control"]
    assert "max-age=315360000" in cache and "immutable" in cache
    assert response["headers"]["Content-Encoding"] == "gzip"
    assert response["body"] == "1f8b"  # the gzip file itself
    # The unhashed name is still served, but only cached briefly: it can change.
    plain = production["plain"]
    assert plain["status"] == 200
    assert "immutable" not in plain["headers"]["Cache-Control"]


def test_the_static_manifest_is_not_served(production):
    """staticfiles.json lists every static file: the storage reads it from disk, and nobody
    needs it over HTTP (issue 16)."""
    assert production["manifest"]["paths"]  # collectstatic wrote it
    assert production["manifest_status"] == [404, 404]
