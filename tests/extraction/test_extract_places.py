"""Places extraction: longest whole-word matches, cities resolved to countries, adjectives, and
the classic traps. Every text here is our own writing."""

import subprocess
import sys

import pytest

from articles.ingest.extract import extract_entities
from articles.ingest.types import Block, ParsedArticle
from tests.conftest import REPO, SEED


def extract(*paragraphs: str, headline: str = "") -> ParsedArticle:
    parsed = ParsedArticle(
        file="t.txt", text="", headline=headline, blocks=[Block("paragraph", p) for p in paragraphs]
    )
    extract_entities(parsed)
    return parsed


def countries(*paragraphs: str, headline: str = "") -> set[str]:
    return {p.country_code for p in extract(*paragraphs, headline=headline).places}


def cities(*paragraphs: str, headline: str = "") -> set[tuple[str, str]]:
    return {
        (p.name, p.country_code)
        for p in extract(*paragraphs, headline=headline).places
        if p.kind == "city"
    }


def test_a_city_links_its_country_with_no_mentions_of_its_own():
    parsed = extract("Delegates gathered in Minsk on Tuesday. Minsk was cold.")
    places = {(p.name, p.kind): p for p in parsed.places}
    minsk = places[("Minsk", "city")]
    assert (minsk.country_code, minsk.mentions) == ("BY", 2)
    assert minsk.geonames_id and minsk.latitude and minsk.population
    belarus = places[("Belarus", "country")]
    assert (belarus.country_code, belarus.mentions) == ("BY", 0)


def test_a_country_counts_its_names_and_adjectives():
    parsed = extract("Peru said Peruvian farmers and Peru's miners would meet.")
    (peru,) = [p for p in parsed.places if p.country_code == "PE"]
    assert (peru.kind, peru.mentions) == ("country", 3)


def test_longest_match_wins():
    assert countries("Ships sailed from Guinea-Bissau to Equatorial Guinea.") == {"GW", "GQ"}
    assert countries("Niger and Nigeria signed a water deal.") == {"NE", "NG"}
    assert countries("Voters in New Mexico went to the polls.") == {"US"}


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Turkish officials met on Monday.", "TR"),
        ("The Saudi-led coalition paused.", "SA"),
        ("Many Iranians travelled north.", "IR"),
        ("A Belarusian firm won the contract.", "BY"),
        ("The U.S. embassy was closed.", "US"),
        ("Trade with the UAE grew.", "AE"),
        ("He was born in Burma.", "MM"),
        ("The dissolution of the Soviet Union changed the map.", "SU"),
    ],
)
def test_adjectives_aliases_and_historic_names(text, iso):
    assert countries(text) == {iso}


def test_regions_and_seas_are_not_countries():
    assert (
        countries("Storms crossed the Persian Gulf and the Indian Ocean into Latin America.")
        == set()
    )


def test_a_person_named_like_a_city_is_masked():
    parsed = extract("President Vladimir Kostin of the club said the season was over.")
    assert [p.name for p in parsed.people] == ["Vladimir Kostin"]
    assert parsed.places == []


def test_georgia_the_us_state_in_an_american_story():
    text = (
        "Election officials in Georgia finished a recount. Voters in Atlanta and Savannah "
        "waited. Georgians were told the result on Friday."
    )
    assert countries(text) == {"US"}


def test_georgia_the_country_when_the_story_is_georgian():
    text = "Georgia said Russian troops had crossed the border near Tbilisi."
    assert countries(text) == {"GE", "RU"}


def test_jordan_and_chad_as_given_names_are_not_countries():
    text = "Striker Jordan Pell scored twice and Chad Moreno said he was delighted."
    assert countries(text) == set()


def test_jordan_and_chad_the_countries():
    assert countries("Jordan and Chad signed a trade agreement in Amman.") == {"JO", "TD"}


def test_nice_and_reading_need_running_text_capitals():
    assert cities("Nice words were spoken. Reading the report took hours.") == set()
    assert cities("French and English fans saw the festival move from Nice to Reading.") == {
        ("Nice", "FR"),
        ("Reading", "GB"),
    }


def test_all_caps_datelines():
    assert cities("TEHRAN – The talks resumed.") == {("Tehran", "IR")}


def test_a_major_city_beats_an_obscure_namesake_in_the_countrys_story():
    assert cities("American tourists flocked to Paris for the summer.") == {("Paris", "FR")}
    assert cities("In Paris, Texas, the council met.") == {("Paris", "US")}


def test_a_country_named_in_the_story_settles_comparable_cities():
    assert cities("Lebanon said shelling hit Tripoli overnight.") == {("Tripoli", "LB")}
    assert cities("Libya said shelling hit Tripoli overnight.") == {("Tripoli", "LY")}


def test_alternate_spellings_resolve_to_the_geonames_name():
    assert cities("Talks were held in Kiev.") == {("Kyiv", "UA")}


def test_a_city_inside_a_longer_proper_name_is_not_a_place():
    assert cities("The film starred Paris Hilton and a statue.") == set()
    assert cities("She studied at the University of Sussex.") == set()


def test_months_are_not_places():
    assert cities("The album comes out in March.") == set()


def test_the_default_path_never_imports_spacy():
    code = (
        "import sys; from articles.ingest.extract import extract_entities; "
        "from articles.ingest.types import ParsedArticle, Block; "
        "p = ParsedArticle(file='x', text='', blocks=[Block('paragraph', 'Putin said so.')]); "
        "extract_entities(p); print('spacy' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed article is not here")
def test_the_seed_article_places():
    from articles.management.commands.eval_extraction import parse_for_extraction

    parsed = parse_for_extraction(SEED.read_text(encoding="utf-8"), SEED.name)
    extract_entities(parsed)
    assert {p.country_code for p in parsed.places} == {"RU", "UA", "BY", "CN", "SY", "US", "SU"}
    assert {(p.name, p.country_code) for p in parsed.places if p.kind == "city"} == {
        ("Moscow", "RU"),
        ("Minsk", "BY"),
        ("Damascus", "SY"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "The English-language daily said so.",
        "The book was translated into English.",
        "She speaks French.",
    ],
)
def test_a_language_is_not_a_country(text):
    assert countries(text) == set()


def test_a_demonym_before_people_still_counts():
    assert countries("English fans sang all night.") == {"GB"}
