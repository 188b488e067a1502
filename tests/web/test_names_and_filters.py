"""Issue 15: names found despite typos (the same method on SQLite and PostgreSQL), several
values per facet, prefix search and a country's adjective, what a list is called."""

import pytest

from articles.search import find_people, find_places, parse_query, suggest_names
from articles.search.names import correct_words, edit_distance, name_distance
from tests.factories import link_person, make_article, make_person, make_world, recount

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = make_world()
    recount()
    return w


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Putn", "Vladimir Putin"),
        ("vladmir putin", "Vladimir Putin"),
        ("Lukashenka", "Alexander Lukashenko"),
    ],
)
def test_a_misspelt_name_finds_the_person(world, typed, name):
    assert [p.name for p in find_people(typed, 3)][:1] == [name]


def test_a_name_too_far_finds_nobody(world):
    assert find_people("Qwxyz", 5) == []
    assert name_distance(["putin"], "Vladimir Putin") == 0
    assert edit_distance("dronow", "dronov", 2) == 1


def test_places_and_the_combined_suggestions(world):
    assert [p.name for p in find_places("Minsc", 3)][:1] == ["Minsk"]
    kinds = {(m.param, m.label) for m in suggest_names("Belarus", 5)}
    assert ("country", "Belarus") in kinds


def test_prefix_search_and_country_adjective(client, world):
    query = parse_query("belar*")
    assert query.groups[0][0].prefix and query.fts5() == '"belar"*'
    adjectives = [t.text for t in parse_query("Ukraine").searched_groups[0]]
    assert adjectives[0] == "Ukraine" and "ukrainian" in adjectives
    story = make_article("Talks in Kyiv", body=["The Ukrainian delegation arrived on Monday."])
    found = client.get("/articles/?q=Ukraine").context["articles"]
    assert story.pk in [a.pk for a in found]


def test_two_people_and_or_and_the_title(client, world):
    extra = make_article("Lukashenko alone", body=["Alexander Lukashenko spoke."])
    link_person(extra, world.lukashenko)
    recount()
    url = "/articles/?person=vladimir-putin&person=alexander-lukashenko"
    both = client.get(url)
    either = client.get(url + "&match=any")
    both_ids = {a.pk for a in both.context["articles"]}
    either_ids = {a.pk for a in either.context["articles"]}
    assert both_ids < either_ids and extra.pk in either_ids - both_ids
    assert both.context["page_title"] == (
        "Vladimir Putin and Alexander Lukashenko — stories — News archive"
    )
    assert len([f for f in both.context["active_filters"] if f[0] == "person"]) == 2


def test_search_heading_quotes_and_bidi_and_empty_queries(client, world):
    assert parse_query('"prime minister"').heading == "“prime minister”"
    assert "\u202e" not in parse_query("gas\u202e").heading
    response = client.get("/articles/?q=%F0%9F%98%80")
    assert response.context["heading"] == "Stories"
    assert "no letters or digits" in response.content.decode()


def test_zero_results_offer_names_and_no_feeds(client, world):
    response = client.get("/articles/?q=Putn")
    body = response.content.decode()
    assert response.context["result_count"] == 0
    assert [s.label for s in response.context["suggestions"]][:1] == ["Vladimir Putin"]
    assert "export.csv" not in body and "Remove the filters" not in body


def test_did_you_mean_corrects_words_from_the_archive(client, world):
    response = client.get("/articles/?q=%22gass+prises%22")
    assert response.context["result_count"] == 0
    assert response.context["corrected_query"] == '"gas prices"'
    assert 'href="?q=%22gas+prices%22"' in response.content.decode()
    # A word the archive has is never "corrected"; a swap of two letters is one typo.
    assert correct_words(["gas"], {"gas": (3, "gas")}) == {}
    assert correct_words(["tlaks"], {"talks": (1, "talks")}) == {"tlaks": "talks"}


def test_a_sections_count_is_the_same_everywhere(client, world):
    """The facet, the list it leads to, the Sections page and the section page agree (each
    includes the subsections), on the unfiltered and on a filtered list."""
    news_total = client.get("/sections/news/").context["paginator"].count
    tree = {n.section.path: n.total for n in client.get("/sections/").context["sections"]}
    for url in ["/articles/", "/articles/?date_from=2000-01-01"]:
        facet = {f.value: f.count for f in client.get(url).context["facets"]["sections"]}
        sep = "&" if "?" in url else "?"
        listed = client.get(url + sep + "section=news").context["result_count"]
        assert facet["news"] == listed == news_total == tree["news"]
    europe = client.get("/sections/news/").context["subsections"]
    assert [(s.path, s.total) for s in europe] == [("news/europe", tree["news/europe"])]


def test_facets_show_ten_and_the_rest_under_more(client, world):
    for i in range(12):
        article = make_article(f"Crowded story {i}", body=[f"Person number {i} spoke."])
        link_person(article, make_person(f"Speaker Number{chr(65 + i)}"))
    recount()
    response = client.get("/articles/?q=crowded")
    people = response.context["facets"]["people"]
    assert len(people) == 12
    body = response.content.decode()
    facet = body[body.index('id="facet-person"') :]
    facet = facet[: facet.index("</section>")]
    assert facet.count("<li>") == 12 and facet.index("More people") > facet.index("<li>")


def test_pages_have_canonical_and_open_graph_tags(client, world):
    article = client.get(world.putin_by.get_absolute_url()).content.decode()
    assert (
        f'<link rel="canonical" href="http://testserver{world.putin_by.get_absolute_url()}">'
        in article
    )
    assert '<meta property="og:type" content="article">' in article
    assert f'<meta property="og:title" content="{world.putin_by.headline}">' in article
    listing = client.get("/articles/?person=vladimir-putin").content.decode()
    assert '<meta property="og:title" content="Vladimir Putin — stories — News archive">' in listing


def test_the_article_page_hides_internals_and_lists_show_the_first_paragraph(client, world):
    article = world.putin_by
    html = client.get(article.get_absolute_url()).content.decode()
    assert article.original_filename not in html
    assert "Date stated in the article" not in html and "Imported from" not in html
    home = client.get("/").content.decode()
    first_paragraph = article.body_text.split("\n\n")[0]
    assert f'<p class="story__summary">{first_paragraph}</p>' in home


def test_a_lists_canonical_address_keeps_its_filters_not_its_page(client, world):
    html = client.get("/articles/?person=vladimir-putin&page=1&sort=oldest").content.decode()
    assert '<link rel="canonical" href="http://testserver/articles/?person=vladimir-putin">' in html
