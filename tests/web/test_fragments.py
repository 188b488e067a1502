"""``{% fragment %}``: a piece of a page cached per version of the page's scope, so it goes
stale exactly when the page would; never shared with logged-in editors."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.template import Context, Template
from django.test import RequestFactory

from articles import caching
from tests.factories import HARBOUR, MATCH, import_texts

pytestmark = pytest.mark.django_db

TEMPLATE = Template(
    "{% load archive_tags %}"
    "{% fragment 'probe' page scope=scope %}<b>{{ text }}</b>{% endfragment %}"
)


def render(text, *, scope="person:arvid-tallen", page=1, user=None, path="/people/x/"):
    """One request's render (versions read once, as VersionScopeMiddleware does)."""
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    with caching.version_scope():
        context = Context({"request": request, "text": text, "scope": scope, "page": page})
        return TEMPLATE.render(context)


def test_a_fragment_is_renewed_by_a_bump_of_its_scope_only():
    assert render("one") == "<b>one</b>"
    assert render("two") == "<b>one</b>"  # cached: nothing changed
    caching.bump_scopes(["person:marten-ulvaeus", "section:sport"])
    assert render("three") == "<b>one</b>"  # an import elsewhere leaves it valid
    caching.bump_scopes(["person:arvid-tallen"])
    assert render("four") == "<b>four</b>"
    caching.bump_version()  # "*": a curation action or an admin edit
    assert render("five") == "<b>five</b>"


def test_a_fragment_without_a_scope_follows_the_archive_version():
    assert render("one", scope=None) == "<b>one</b>"
    assert render("two", scope=None) == "<b>one</b>"
    caching.bump_scopes(["person:marten-ulvaeus"])  # any import bumps the archive version
    assert render("three", scope=None) == "<b>three</b>"


def test_a_deploy_that_changes_the_templates_renders_fragments_anew(monkeypatch):
    assert render("before") == render("after") == "<b>before</b>"
    monkeypatch.setattr(caching, "templates_digest", lambda: "another-deploy")
    assert render("after") == "<b>after</b>"


def test_the_templates_digest_follows_their_text(tmp_path, settings):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.html").write_text("<p>one</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [folder]}]
    caching.templates_digest.cache_clear()
    first = caching.templates_digest()
    (folder / "page.html").write_text("<p>two</p>")
    caching.templates_digest.cache_clear()
    assert caching.templates_digest() != first
    caching.templates_digest.cache_clear()


def test_vary_on_values_and_the_path_make_separate_fragments():
    assert render("one") == "<b>one</b>"
    assert render("two", page=2) == "<b>two</b>"
    assert render("three", path="/people/y/") == "<b>three</b>"
    assert render("four", page=2) == "<b>two</b>"


def test_markup_is_escaped_once_cached_or_not():
    assert render("<i>") == "<b>&lt;i&gt;</b>"
    assert render("other") == "<b>&lt;i&gt;</b>"


def test_staff_get_a_fresh_render_and_leave_nothing_for_anonymous_readers():
    editor = User.objects.create_user("editor", is_staff=True)
    assert render("staff", user=editor) == "<b>staff</b>"
    assert render("anonymous") == "<b>anonymous</b>"  # the editor's copy was not stored
    assert render("staff again", user=editor) == "<b>staff again</b>"


def test_off_with_the_aggregate_cache(settings):
    settings.ARCHIVE_CACHE_SECONDS = 0
    assert render("one") == "<b>one</b>"
    assert render("two") == "<b>two</b>"


def test_an_entity_page_shows_an_import_into_its_scope_at_once(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    import_texts({"a/harbour.txt": HARBOUR}, published=dt.date(2023, 3, 6))
    assert b"Harbour workers end their strike" in client.get("/places/minsk/").content
    assert b"Harbour workers" in client.get("/").content
    import_texts({"b/match.txt": MATCH}, published=dt.date(2023, 3, 7))
    assert b"A late goal decides the cup final" in client.get("/").content
    assert b"A late goal" in client.get("/sections/sport/").content
    assert b"A late goal" not in client.get("/places/minsk/").content


def test_the_public_pages_show_nothing_only_staff_may_see(client, settings):
    """Fragments are shared between anonymous readers and safe to share only because public
    pages render the same for staff: this pins that."""
    settings.PAGE_CACHE_SECONDS = 0
    import_texts({"a/harbour.txt": HARBOUR}, published=dt.date(2023, 3, 6))
    urls = ["/", "/articles/", "/places/minsk/", "/people/arvid-tallen/", "/sections/news/"]
    anonymous = {url: client.get(url).content for url in urls}
    client.force_login(User.objects.create_user("editor", is_staff=True, is_superuser=True))
    for url in urls:
        assert client.get(url).content == anonymous[url], url
