"""Places in wire copy (issue 13): prominence and context, companies and tickers, abbreviations
and first-level regions. Every text here is our own writing."""

import pytest

from tests.extraction.test_extract_places import cities, countries, extract


def test_venice_is_the_italian_city_in_a_story_that_names_the_us():
    found = cities("U.S. officials flew to Venice for the economic summit of seven nations.")
    assert ("Venice", "IT") in found
    assert ("Venice", "US") not in found


def test_venice_in_florida_when_florida_is_named():
    assert ("Venice", "US") in cities("The storm hit Venice, a town in Florida, on Sunday.")


def test_geneva_is_the_swiss_city_even_when_only_the_us_is_named():
    found = cities("U.S. and European negotiators met in Geneva on Tuesday for trade talks.")
    assert found == {("Geneva", "CH")}


@pytest.mark.parametrize(
    "text",
    [
        "Brent crude rose 30 cents a barrel on Monday, dealers said.",
        "The Brent blend for June delivery fell in early trade.",
    ],
)
def test_brent_crude_is_oil_not_a_borough(text):
    assert not cities(text)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Shares of Mentor Systems rose after the American software maker's results.", "Mentor"),
        ("Christiania Bank said its operating profit fell eight pct.", "Oslo"),
        ("MOSSGIEL INDUSTRIES <MENTOR> SETS PAYOUT", "Mentor"),
        ("XICO INC <XICO> SETS QUARTERLY DIVIDEND", "Xico"),
    ],
)
def test_companies_and_tickers_are_not_cities(text, absent):
    assert absent not in {name for name, _ in cities(text)}


def test_a_fund_named_after_a_country_is_not_the_country():
    assert "FR" not in countries("The France Fund Inc said its net asset value rose.")


def test_a_company_of_a_country_keeps_the_country():
    assert "CA" in countries("Ford Motor Co of Canada Ltd said its sales rose.")


def test_another_spelling_of_a_mexican_city_is_not_taken_in_a_spanish_story():
    found = extract("The steel plant at Reinosa, in northern Spain, closed after the strike.")
    assert {p.country_code for p in found.places} == {"ES"}


@pytest.mark.parametrize(
    ("text", "region", "country"),
    [
        ("Herders in Inner Mongolia lost thousands of sheep to the snow.", "Inner Mongolia", "CN"),
        ("Drilling in Alberta rose for a third month, the province said.", "Alberta", "CA"),
        ("Farmers in Bavaria protested against milk quotas.", "Bavaria", "DE"),
        ("Floods in Sichuan cut the railway line.", "Sichuan", "CN"),
        ("The Queensland government cut its sugar forecast.", "Queensland", "AU"),
    ],
)
def test_first_level_regions_resolve_to_their_country(text, region, country):
    places = {(p.name, p.kind, p.country_code) for p in extract(text).places}
    assert (region, "region", country) in places
    assert country in {p.country_code for p in extract(text).places if p.kind == "country"}


def test_inner_mongolia_is_not_mongolia():
    assert countries("Herders in Inner Mongolia lost thousands of sheep.") == {"CN"}


def test_nz_abbreviation_and_the_city_it_decides():
    found = extract("The N.Z. dollar rose, dealers in Wellington said.")
    assert {p.country_code for p in found.places} == {"NZ"}
    assert ("Wellington", "NZ") in {(p.name, p.country_code) for p in found.places}


@pytest.mark.parametrize("abbr", ["U.K.", "U.S.", "N.Z."])
def test_country_abbreviations_are_found(abbr):
    assert countries(f"The {abbr} government said it would reply.")


def test_a_wire_state_abbreviation_after_a_town_gives_the_state():
    found = extract("Orbitel Inc of Fremont, Calif., said it would hire 40 engineers.")
    places = {(p.name, p.kind, p.country_code) for p in found.places}
    assert ("California", "region", "US") in places
    assert ("Fremont", "city", "US") in places


def test_a_state_abbreviation_alone_is_not_a_place():
    assert not countries("Ms. Ind. said the Mass. was held at noon.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Talks in Paris ended, French and U.S. officials said.", ("Paris", "FR")),
        ("The fair in Paris, Texas, drew a record crowd.", ("Paris", "US")),
        ("Jordan Mills of Chicago scored twice in the final.", ("Chicago", "US")),
    ],
)
def test_context_still_decides_the_classic_traps(text, expected):
    assert expected in cities(text)


def test_a_hotel_named_after_a_city_is_not_the_city():
    assert "MM" not in countries("Guests fled the Mandalay Bay hotel in Las Vegas.")
