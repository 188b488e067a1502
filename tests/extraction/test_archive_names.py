"""A surname-only mention joins the archive's person of that surname when that is unambiguous."""

import pytest

from articles.importing import run_import
from articles.ingest.archive_names import resolve_surname
from articles.ingest.types import RawFile
from articles.models import ArticlePerson, Person


def test_the_one_full_name_with_that_surname():
    assert resolve_surname("Reagan", [(3, "Ronald Reagan"), (9, "George Shultz")]) == 3


def test_a_possessive_and_an_al_prefix_still_find_the_person():
    people = [(4, "Bashar al-Assad"), (5, "Walid Muallem")]
    assert resolve_surname("Assad's", people) == 4


def test_two_people_sharing_the_surname_is_ambiguous():
    assert resolve_surname("Reagan", [(3, "Ronald Reagan"), (8, "Nancy Reagan")]) is None


def test_two_rows_of_one_person_go_to_the_first_row():
    rows = [(12, "Ronald W. Reagan"), (3, "Ronald Reagan")]
    assert resolve_surname("Reagan", rows) == 3


def test_one_word_rows_and_unknown_surnames_are_not_candidates():
    assert resolve_surname("Reagan", [(1, "Reagan")]) is None
    assert resolve_surname("Mueller", [(3, "Ronald Reagan")]) is None


@pytest.mark.parametrize("word", ["President", "One", "Athough Reagan", ""])
def test_titles_sentence_starts_and_longer_names_are_not_surnames(word):
    assert resolve_surname(word, [(1, "Ronald President"), (2, "Ronald Reagan")]) is None


STORY = """News   /   World

{headline}

{body}
"""


def story(name: str, headline: str, body: str) -> RawFile:
    return RawFile(name=name, data=STORY.format(headline=headline, body=body).encode())


@pytest.mark.django_db
def test_a_titled_surname_in_a_later_story_joins_the_full_name_and_becomes_an_alias():
    run_import(
        [story("a/001.txt", "Summit opens", "President Ronald Reagan said the summit was useful.")]
    )
    run_import([story("a/002.txt", "Summit ends", "President Reagan said the talks had ended.")])

    assert list(Person.objects.values_list("name", flat=True)) == ["Ronald Reagan"]
    person = Person.objects.get()
    assert "Reagan" in person.aliases
    assert ArticlePerson.objects.filter(person=person).count() == 2


@pytest.mark.django_db
def test_an_ambiguous_surname_stays_its_own_row():
    run_import(
        [
            story("a/001.txt", "Visit", "President Ronald Reagan met the press."),
            story(
                "a/002.txt", "Gala", "First Lady Nancy Reagan told guests the gala raised funds."
            ),
        ]
    )
    run_import([story("a/003.txt", "Speech", "Mr Reagan said the speech was his last.")])

    names = set(Person.objects.values_list("name", flat=True))
    assert {"Ronald Reagan", "Nancy Reagan"} <= names
    assert all("Reagan" not in p.aliases for p in Person.objects.all())


def test_a_surname_with_a_role_row_and_a_plain_row_goes_to_the_full_name():
    # The archive once split one lawyer into "Counsel Robert Mueller", "Robert Mueller" and
    # "Mueller"; role words are no longer names, and the surname joins the full name.
    rows = [(21, "Robert Mueller"), (22, "Mueller"), (23, "Nigel Lawson")]
    assert resolve_surname("Mueller", rows) == 21
