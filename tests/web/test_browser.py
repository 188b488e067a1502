"""Real-browser tests: headless Chromium (Debian's package) driven by Playwright, against the
sample archive imported with the real importer.

A reader's journey (home, search, filter by person then by country, open an article, follow a
person link, page through results), the same without JavaScript, keyboard access, and
screenshots of the main pages in test-artifacts/screenshots/ (gitignored).

Skipped with a reason when /usr/bin/chromium is missing, unless REQUIRE_BROWSER is set, in
which case they fail instead.
"""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count

from articles.models import Article, ArticlePerson, ArticlePlace, Person, Place
from tests.browser_support import requires_chromium
from tests.conftest import REPO

SAMPLE = REPO / "fixtures" / "sample"
SAMPLE_EXPECTED = REPO / "fixtures" / "sample_expected.json"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
pytestmark = [pytest.mark.browser, requires_chromium, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sample():
    """The sample archive, imported by the real importer (``manage.py ingest``)."""
    assert SAMPLE.is_dir(), "fixtures/sample is missing"
    call_command("ingest", str(SAMPLE), "--source", "The Meridian Herald", "--no-progress")
    assert Article.objects.count() >= 40


@pytest.fixture
def page(browser, live_server, sample):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    # CSP violations and script errors show up as console errors: there must be none.
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.base = live_server.url
    yield page
    context.close()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def listed_ids(page) -> set[int]:
    hrefs = page.locator(".stories .story__headline a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return {int(re.match(r"/articles/(\d+)/", h).group(1)) for h in hrefs}


def a_person_and_country_to_combine() -> tuple[Person, Place]:
    """The most covered person, and the country that narrows their stories most (in some of
    their stories but not all)."""
    person = Person.objects.entities().order_by("-article_count", "name").first()
    their = ArticlePerson.objects.filter(person=person).values("article_id")
    country_counts = (
        ArticlePlace.objects.filter(article_id__in=their, place__kind=Place.Kind.COUNTRY)
        .values("place_id")
        .annotate(n=Count("article_id"))
        .filter(n__lt=person.article_count)
        .order_by("-n", "place_id")
    )
    return person, Place.objects.get(pk=country_counts[0]["place_id"])


def test_reader_journey(page):
    base = page.base
    page.goto(base + "/")
    assert page.title() == "News archive: latest stories"
    assert page.locator("main h2", has_text="Latest stories").is_visible()
    shot(page, "home")

    # Search for a word: highlighted snippets.
    page.get_by_label("Words or a “quoted phrase”").fill("minister")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/articles/\?q=minister"))
    assert page.locator(".story__snippet mark").first.is_visible()
    assert page.locator(".results-count").inner_text().split()[0].isdigit()
    shot(page, "list-search")

    # Filter by person, then by country, from the facets.
    person, country = a_person_and_country_to_combine()
    page.goto(base + "/articles/")
    page.locator("#facet-person + ul").get_by_role("link", name=person.name, exact=True).click()
    page.wait_for_url(re.compile(rf"person={person.slug}"))
    page.locator("#facet-country + ul").get_by_role("link", name=country.name, exact=True).click()
    page.wait_for_url(re.compile(rf"person={person.slug}.*country={country.iso_code}"))
    both = set(
        Article.objects.filter(person_mentions__person=person)
        .filter(place_mentions__place=country)
        .values_list("id", flat=True)
    )
    assert both and listed_ids(page) == both
    assert page.get_by_role("link", name=f"Remove filter Person: {person.name}").is_visible()
    shot(page, "list-filtered")

    # Open an article, then follow a person link from it.
    page.locator(".story__headline a").first.click()
    page.wait_for_selector("h1.article__headline")
    assert page.locator("nav.breadcrumb").is_visible()
    assert page.get_by_role("link", name="Original text as imported").is_visible()
    shot(page, "article")
    page.locator("#people-title + ul a", has_text=person.name).click()
    page.wait_for_url(re.compile(rf"/people/{person.slug}/$"))
    assert page.locator("h1").inner_text() == person.name
    assert page.locator("svg.chart__svg rect").count() >= 1
    shot(page, "person")

    # Page through all the stories.
    page.goto(base + "/articles/")
    first_page = listed_ids(page)
    page.get_by_role("link", name="Next page").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator(".pagination [aria-current=page]").inner_text().endswith("2")
    second_page = listed_ids(page)
    assert second_page and not (first_page & second_page)
    page.get_by_role("link", name="Previous page").click()
    page.wait_for_url(re.compile(r"page=1"))
    assert listed_ids(page) == first_page
    assert page.errors == []


def test_country_includes_a_story_naming_only_one_of_its_cities(page):
    # "Names only Minsk": linked to Belarus, but Belarus itself named 0 times.
    minsk_only = [
        a
        for a in Article.objects.filter(place_mentions__place__slug="minsk")
        if not a.place_mentions.filter(place__slug="belarus", mentions__gt=0).exists()
    ]
    assert minsk_only, "the sample should have a story that names Minsk but not Belarus"
    page.goto(page.base + "/articles/?country=by")
    assert {a.id for a in minsk_only} <= listed_ids(page)
    page.goto(page.base + "/places/belarus/")
    assert page.locator("h1").inner_text() == "Belarus"
    assert {a.id for a in minsk_only} <= listed_ids(page)
    shot(page, "country")
    assert page.errors == []


def test_sample_filters_agree_with_the_hand_kept_answers(page):
    """/articles/?person=&country= against fixtures/sample_expected.json, not the database."""
    if not SAMPLE_EXPECTED.exists():
        pytest.skip("fixtures/sample_expected.json is missing")
    expected = json.loads(SAMPLE_EXPECTED.read_text())
    by_file = {Path(a.original_filename).name: a.id for a in Article.objects.all()}
    person, country = a_person_and_country_to_combine()
    want = {
        by_file[name]
        for name, facts in expected.items()
        if person.name in facts["people"]
        and (
            country.iso_code in facts["countries"]
            or any(code == country.iso_code for _, code in facts["cities"])
        )
    }
    page.goto(page.base + f"/articles/?person={person.slug}&country={country.iso_code.lower()}")
    assert listed_ids(page) == want


def test_works_without_javascript(browser, live_server, sample):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_label("Words or a “quoted phrase”").fill("talks")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/articles/\?q=talks"))
    assert page.locator(".story").count() > 0
    # The filter form submits too (empty fields and all), and keeps the search.
    page.get_by_label("From").fill("2024-01-01")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"date_from=2024-01-01"))
    assert page.get_by_label("Search", exact=True).input_value() == "talks"
    context.close()


def test_keyboard_skip_link_and_mobile_layout(browser, live_server, sample):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/articles/?q=talks")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "list-mobile")
    context.close()
