"""People extraction: role words, speech verbs, particles, short forms, and what is not a person.

Every text here is our own writing.
"""

import pytest

from articles.ingest.extract import extract_entities
from articles.ingest.types import Block, ParsedArticle
from tests.conftest import SEED


def people_in(*paragraphs: str, headline: str = "", caption: str = "") -> dict:
    parsed = ParsedArticle(
        file="t.txt",
        text="",
        headline=headline,
        caption=caption,
        blocks=[Block("paragraph", p) for p in paragraphs],
    )
    extract_entities(parsed)
    return {p.name: p for p in parsed.people}


def test_a_title_before_a_name_makes_a_person_and_keeps_the_role():
    people = people_in("Finnish President Aino Virtanen opened the harbour on Monday.")
    assert list(people) == ["Aino Virtanen"]
    assert people["Aino Virtanen"].role == "Finnish President"


def test_a_lower_case_role_word_before_a_name():
    people = people_in("The ministry's spokesman Tomas Berglund declined to comment.")
    assert people["Tomas Berglund"].role == "ministry spokesman"


def test_a_country_possessive_becomes_its_adjective_in_the_role():
    people = people_in("Chile's President Ramona Ibarra arrived late.")
    assert people["Ramona Ibarra"].role == "Chilean President"


def test_a_counterpart_after_a_comma():
    people = people_in("He called his Kenyan counterpart, Wanjiru Kamau, on Friday.")
    assert people["Wanjiru Kamau"].role == "Kenyan counterpart"


@pytest.mark.parametrize("verb", ["said", "told reporters", "added", "stressed"])
def test_a_name_before_a_speech_verb(verb):
    assert "Lotte Brink" in people_in(f"Lotte Brink {verb} that the bridge would open.")


def test_a_name_after_said():
    assert "Osvaldo Pereira" in people_in('"We are ready," said Osvaldo Pereira.')


@pytest.mark.parametrize(
    "name",
    [
        "Bashar al-Assad",
        "Mohammed bin Salman",
        "Ursula von der Leyen",
        "Hossein Amir-Abdollahian",
        "Sonia O'Sullivan",
        "Luiz Inacio Lula da Silva",
    ],
)
def test_particles_apostrophes_and_hyphens_stay_in_the_name(name):
    assert name in people_in(f"Minister {name} said the talks were useful.")


def test_later_surname_and_possessive_mentions_count_for_the_full_name():
    people = people_in(
        "Deputy Mayor Ingrid Solberg unveiled the plan.",
        "Solberg said it would cost little. Solberg's critics disagreed.",
    )
    assert list(people) == ["Ingrid Solberg"]
    assert people["Ingrid Solberg"].mentions == 3
    assert people["Ingrid Solberg"].aliases == ["Solberg"]


def test_al_prefixed_surnames_are_found_without_the_prefix():
    people = people_in("Prime Minister Khalid al-Rashed spoke first.", "Rashed then left.")
    assert people["Khalid al-Rashed"].mentions == 2
    assert people["Khalid al-Rashed"].aliases == ["Rashed"]


def test_a_family_name_first_name_is_shortened_to_its_first_word():
    people = people_in("Chinese President Xi Jinping met the envoy.", "Xi urged calm.")
    assert people["Xi Jinping"].aliases == ["Xi"]


def test_a_fuller_form_in_the_body_wins_over_the_caption():
    people = people_in(
        "Agency head Rafael Mariano Grossi said inspectors would return.",
        caption="Rafael Grossi speaks to reporters.",
    )
    assert list(people) == ["Rafael Mariano Grossi"]


def test_an_honorific_alone_is_enough():
    people = people_in("Mr Hollins said the vote was close.")
    assert list(people) == ["Hollins"]


def test_titles_and_peerages_are_not_part_of_the_name():
    people = people_in("Baroness Hartley said the bill would pass.")
    assert list(people) == ["Hartley"]


@pytest.mark.parametrize(
    "text",
    [
        "NATO said the exercise would go ahead.",
        "The Kremlin said nothing.",
        "The White House said the visit was off.",
        "China's Foreign Ministry said it was concerned.",
        "Officials said the road was closed.",
        "Analysts at Harwood Lambert said profits would fall.",
        "Computer maker Penfold Brandt said it had no plans.",
        "He told Radio Orbis television that he would stay.",
        "Meanwhile, Monday's meeting was cancelled.",
    ],
)
def test_organisations_and_sentence_words_are_not_people(text):
    assert people_in(text) == {}


def test_a_title_case_headline_alone_proves_nothing():
    people = people_in("The talks ended.", headline="Harbour Pilots Strike Over Pay")
    assert people == {}


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed article is not here")
def test_the_seed_article_people():
    from articles.management.commands.eval_extraction import parse_for_extraction

    parsed = parse_for_extraction(SEED.read_text(encoding="utf-8"), SEED.name)
    extract_entities(parsed)
    people = {p.name: p for p in parsed.people}
    assert set(people) == {
        "Vladimir Putin",
        "Dmitry Peskov",
        "Volodymyr Zelensky",
        "Xi Jinping",
        "Bashar al-Assad",
    }
    assert people["Dmitry Peskov"].role == "Kremlin spokesman"
    assert people["Vladimir Putin"].role == "Russian President"
    assert "Assad" in people["Bashar al-Assad"].aliases


def test_persian_honorifics_are_titles_not_names():
    people = people_in("Supreme Leader Seyed Ali Khamenei said the talks had failed.")
    assert list(people) == ["Ali Khamenei"]


def test_an_organisation_after_a_ministry_word_is_not_a_person():
    text = "The Organization of the Petroleum Exporting Countries said output would rise."
    assert people_in(text) == {}
