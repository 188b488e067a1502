"""People in wire copy (issue 13): names with no cue, companies that look like names, role and
stray words glued to names. Every text here is our own writing."""

import pytest

from tests.extraction.test_extract_people import people_in


def test_a_name_with_no_role_word_or_speech_verb_is_found():
    found = people_in("Karim Haddad had given Lebanon the lead before the break in Beirut.")
    assert set(found) == {"Karim Haddad"}


def test_two_people_joined_by_and_with_no_cue():
    found = people_in("Ingrid Solberg and Pavel Novak initialled the accord on Tuesday.")
    assert set(found) == {"Ingrid Solberg", "Pavel Novak"}


def test_a_line_up_with_no_verb_gives_every_player():
    found = people_in(
        "Line-up: Marco Bellini, Tomas Hruby, Dieter Vogt, Kenji Sato, Luis Ortega (captain)."
    )
    assert {"Marco Bellini", "Tomas Hruby", "Dieter Vogt", "Kenji Sato", "Luis Ortega"} <= set(
        found
    )


@pytest.mark.parametrize(
    "text",
    [
        "General Electric said on Monday its orders rose four pct.",
        "Shares in General Acquisition fell after General Acquisition said it had no bidder.",
        "King World said its syndication revenue rose, King World told analysts.",
        "First Interstate Bancorp said it would close eight branches.",
        "British Telecommunications Plc said it would raise its line rental.",
        "Pacific Coffee Roasters said its quarterly sales were flat.",
        "Southern Bottlers said it would raise prices in June.",
        "The witness pleaded the Fifth Amendment, his lawyer said.",
        "Operation Stack was brought in again, a police spokesman said.",
        "The Common Law Representatives said the ruling would be appealed.",
    ],
)
def test_companies_and_things_named_like_people_are_not_people(text):
    assert people_in(text) == {}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The Chancellor of the Exchequer Nigel Lawson said sterling was steady.", "Nigel Lawson"),
        ("The White House Chief of Staff Howard Baker said the talks went well.", "Howard Baker"),
        ("Special Counsel Robert Mueller said the inquiry had not ended.", "Robert Mueller"),
        (
            "Hezbollah's leader Sayyed Hassan Nasrallah said the group would respond.",
            "Hassan Nasrallah",
        ),
        ("The speech was written for Patrick Henry Recently the society said so.", "Patrick Henry"),
        (
            "Farm Secretary Clayton Yeutter Speaking to growers, he said exports rose.",
            "Clayton Yeutter",
        ),
    ],
)
def test_roles_titles_and_stray_words_are_never_part_of_a_name(text, name):
    assert set(people_in(text)) == {name}


def test_a_us_role_keeps_its_initials():
    found = people_in("U.S. Treasury Secretary James Baker said the dollar had fallen enough.")
    assert found["James Baker"].role == "U.S. Treasury Secretary"


def test_a_surname_after_one_or_a_misspelt_although_is_the_same_person():
    found = people_in(
        "President Ronald Reagan said the summit was useful.",
        "One Reagan adviser said the mood was good. Athough Reagan said little, he smiled.",
    )
    assert set(found) == {"Ronald Reagan"}
    assert found["Ronald Reagan"].mentions == 3


def test_an_organisation_context_overrides_the_tagger():
    found = people_in("Analysts at the broker Morgan Grenfell said the bid was too low.")
    assert "Morgan Grenfell" not in found


def test_a_german_bank_name_is_not_a_person():
    found = people_in("The loan was led by DG Bank Deutsche Genossenschaftsbank, it said.")
    assert found == {}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Christian Laurent said no aircraft would leave before noon.", "Christian Laurent"),
        ("Oscar Lindgren, recalled to the side, kicked four penalties.", "Oscar Lindgren"),
    ],
)
def test_a_given_name_that_also_starts_sentences_or_names_a_faith(text, name):
    assert set(people_in(text)) == {name}


def test_a_name_the_article_also_gives_as_a_company_is_not_a_person():
    found = people_in(
        "Halvorsen Optics Inc said it bought a stake.",
        "It may buy more Halvorsen Optics shares, the filing said.",
    )
    assert found == {}


@pytest.mark.parametrize("firm", ["Goldman Sachs", "Kidder Peabody", "Keefe Bruyette"])
def test_firms_named_like_people_are_not_people(firm):
    assert people_in(f"Analysts said the offer was fair, {firm} said in a note.") == {}


def test_initials_of_a_country_do_not_start_a_name():
    assert people_in("It formed the first Sino-U.S. Joint venture to make rings.") == {}


def test_a_particle_inside_a_tagged_name_stays():
    found = people_in("Brazilian President Joana Ribeiro da Costa is expected in Lisbon.")
    assert "Joana Ribeiro da Costa" in found


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ex-Speaker Dale Whitcombe said the caucus would split.", "Dale Whitcombe"),
        ("See Maren Holt, who wrote in the weekly, for the other side.", "Maren Holt"),
        ("The professor Corinne Ashby Ford said she was sure of it.", "Corinne Ashby Ford"),
    ],
)
def test_web_copy_titles_and_surnames(text, name):
    assert set(people_in(text)) == {name}


@pytest.mark.parametrize(
    "text",
    [
        "Read our Privacy Policy before you subscribe.",
        "Story Continued Below",
        "Officers from Customs Enforcement said the raid was legal.",
        "He wrote for Jihad Watch until last year.",
        "The Cold War ended, historians said.",
    ],
)
def test_web_debris_and_institutions_are_not_people(text):
    assert people_in(text) == {}


def test_a_hyphenated_title_is_not_part_of_the_name():
    found = people_in(
        "The agency's Director-General Amara Okonjo told reporters the risk was high."
    )
    assert set(found) == {"Amara Okonjo"}
