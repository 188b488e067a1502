"""Issue 15 in a real browser: every page kind at 1280 and 390 px, checked by axe-core (no
serious or critical violation) and saved as screenshots; combining filters, the type-ahead
combobox, chart bars by keyboard, the phone layout, missing pages, the form without JavaScript.

Screenshots: test-artifacts/screenshots/<page>-<width>.png (gitignored).
"""

import re

import pytest

from articles.models import ArticlePerson, Person
from tests.browser_support import axe_script, axe_violations, requires_chromium
from tests.web.test_browser import SCREENSHOTS, a_person_and_country_to_combine, listed_ids

pytestmark = [pytest.mark.browser, requires_chromium, pytest.mark.django_db(transaction=True)]
WIDTHS = {1280: 900, 390: 844}


@pytest.fixture(scope="module")
def axe():
    return axe_script()


@pytest.fixture
def sample(db):
    from django.core.management import call_command

    from tests.web.test_browser import SAMPLE

    call_command("ingest", str(SAMPLE), "--source", "The Meridian Herald", "--no-progress")


def open_page(browser, width: int, **options):
    context = browser.new_context(viewport={"width": width, "height": WIDTHS[width]}, **options)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return context, page


def ids_of(person) -> set[int]:
    return set(ArticlePerson.objects.filter(person=person).values_list("article_id", flat=True))


def page_kinds() -> list[tuple[str, str]]:
    person, country = a_person_and_country_to_combine()
    return [
        ("home", "/"),
        ("list", "/articles/"),
        ("list-filtered", f"/articles/?person={person.slug}&country={country.iso_code}"),
        ("list-searched", "/articles/?q=minister"),
        ("list-zero", "/articles/?q=Marwik"),
        ("list-missing-page", "/articles/?page=99999"),
        ("article", ArticlePerson.objects.filter(person=person).first().article.get_absolute_url()),
        ("person", person.get_absolute_url()),
        ("country", "/places/belarus/"),
        ("section", "/sections/news/"),
        ("sections", "/sections/"),
        ("people", "/people/"),
        ("archive", "/archive/"),
        ("archive-year", "/archive/2024/"),
        ("archive-month", "/archive/2024/05/"),
        ("archive-day-empty", "/archive/2024/01/01/"),
    ]


def test_every_page_kind_at_both_widths_passes_axe(browser, live_server, sample, axe):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = {}
    for width in WIDTHS:
        context, page = open_page(browser, width)
        for name, url in page_kinds():
            page.goto(live_server.url + url)
            found = axe_violations(page, axe)
            if found:
                problems[f"{name}@{width}"] = found
            if width == 390:
                assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        # The missing page answers 404 on purpose; nothing else may fail (CSP, scripts).
        assert [e for e in page.errors if "status of 404" not in e] == []
        context.close()
    assert problems == {}


def test_dark_mode_passes_axe_too(browser, live_server, sample, axe):
    context, page = open_page(browser, 1280, color_scheme="dark")
    for name, url in page_kinds()[:8]:
        page.goto(live_server.url + url)
        assert (
            page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
        )
        assert axe_violations(page, axe) == [], name
    page.screenshot(path=str(SCREENSHOTS / "list-filtered-dark-1280.png"), full_page=True)
    context.close()


def test_two_people_combine_with_and_then_or(browser, live_server, sample):
    context, page = open_page(browser, 1280)
    page.goto(live_server.url + "/articles/")
    people = page.locator("#facet-person + ul a")
    first = people.nth(0).inner_text()
    people.nth(0).click()
    page.wait_for_url(re.compile(r"person="))
    other = page.locator("#facet-person + ul a:not([aria-current])").first
    second = other.inner_text()
    other.click()
    page.wait_for_url(re.compile(r"person=.*person="))
    a, b = (Person.objects.get(name=n) for n in (first, second))
    both = ids_of(a) & ids_of(b)
    assert listed_ids(page) == both
    assert page.title() == f"{first} and {second} — stories — News archive"
    page.get_by_role("link", name="Show stories with any of them").click()
    either = ids_of(a) | ids_of(b)
    page.wait_for_url(re.compile(r"match=any"))
    assert int(page.locator(".results-count").inner_text().split()[0]) == len(either)
    page.get_by_role("link", name=f"Remove filter Person: {second}").click()
    page.wait_for_url(lambda url: url.count("person=") == 1)
    assert page.locator("h1").inner_text() == first
    page.screenshot(path=str(SCREENSHOTS / "list-combined-1280.png"), full_page=True)
    context.close()


def test_typeahead_combobox_finds_a_misspelt_name(browser, live_server, sample):
    context, page = open_page(browser, 1280)
    page.goto(live_server.url + "/articles/?q=talks")
    box = page.get_by_role("combobox", name="Add a person, place or section")
    box.fill("Marwik")
    option = page.get_by_role("option", name=re.compile("Elena Marwick"))
    option.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    page.screenshot(path=str(SCREENSHOTS / "typeahead-1280.png"))
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.press("Enter")
    page.wait_for_url(re.compile(r"q=talks.*person=elena-marwick"))
    assert page.errors == []
    context.close()


def test_the_add_box_works_without_javascript(browser, live_server, sample):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/articles/")
    page.get_by_label("Add a person, place or section").fill("Dronow")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"person=pavel-dronov"))
    assert page.locator("h1").inner_text() == "Pavel Dronov"
    context.close()


def test_chart_bars_are_reached_by_keyboard_and_lead_to_the_month(browser, live_server, sample):
    context, page = open_page(browser, 1280)
    page.goto(live_server.url + "/people/elena-marwick/")
    bar = page.locator("a.chart__link").first
    bar.focus()
    assert page.evaluate("document.activeElement.classList.contains('chart__link')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"person=elena-marwick&date_from=\d{4}-\d\d-01&date_to="))
    assert page.locator(".story").count() >= 1
    context.close()


def test_on_a_phone_filters_come_before_results_and_entities_before_the_story(
    browser, live_server, sample
):
    context, page = open_page(browser, 390)
    page.goto(live_server.url + "/articles/")
    panel = page.locator("details.panel")
    assert panel.get_attribute("open") is None  # folded on a phone
    toggle = page.locator(".panel__toggle").bounding_box()
    first_story = page.locator(".story").first.bounding_box()
    assert toggle["y"] < first_story["y"]
    page.locator(".panel__toggle").click()
    assert page.locator("#facet-person").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "list-panel-open-390.png"), full_page=True)
    page.goto(live_server.url + "/people/elena-marwick/")
    # The chart's ticks are drawn large enough to read on a phone (11 px or more on screen).
    sizes = page.locator("text.chart__tick").evaluate_all(
        "ts => ts.filter(t => getComputedStyle(t).display !== 'none')"
        ".map(t => t.getBoundingClientRect().height)"
    )
    assert sizes and min(sizes) >= 11
    page.locator(".story__headline a").first.click()
    jump = page.get_by_role("link", name="People and places in this story")
    assert jump.bounding_box()["y"] < page.locator(".article__body").bounding_box()["y"]
    jump.click()
    assert page.evaluate("document.activeElement.id") == "about-story"
    context.close()


def test_a_missing_page_links_to_the_last_one(browser, live_server, sample):
    context, page = open_page(browser, 1280)
    response = page.goto(live_server.url + "/articles/?q=minister&page=99999")
    assert response.status == 404
    page.get_by_role("link", name=re.compile("Go to the last page")).click()
    page.wait_for_url(re.compile(r"page=\d+$"))
    assert page.locator(".story").count() >= 1
    context.close()


def test_admin_is_branded_and_its_batch_report_fits_a_phone(browser, live_server, sample):
    from django.contrib.auth.models import User

    from articles.models import ImportBatch
    from tests.admin_support import PASSWORD

    User.objects.create_superuser("chief", "chief@example.org", PASSWORD)
    batch = ImportBatch.objects.order_by("-pk").first()
    for width in (390, 1280):
        context, page = open_page(browser, width)
        page.goto(f"{live_server.url}/admin/articles/importbatch/{batch.pk}/change/")
        assert "News archive editors" in page.locator("#site-name").inner_text()
        page.get_by_label("Username").fill("chief")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_selector("#import-file-table")
        assert "Django administration" not in page.content()
        assert page.locator("#site-name").inner_text().startswith("News archive")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(SCREENSHOTS / f"admin-report-{width}.png"), full_page=True)
        context.close()


def test_print_shows_the_site_name_and_the_address(browser, live_server, sample):
    context, page = open_page(browser, 1280)
    page.goto(live_server.url + "/people/elena-marwick/")
    assert not page.locator(".print-source").is_visible()
    page.emulate_media(media="print")
    source = page.locator(".print-source")
    assert source.is_visible()
    assert source.inner_text() == f"News archive · {live_server.url}/people/elena-marwick/"
    assert not page.locator(".site-header").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "person-print-1280.png"), full_page=True)
    context.close()
