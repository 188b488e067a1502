"""The one slug function, and the slugs the importer gives new rows with it."""

from articles.slugs import slug_for


def test_a_slug_is_the_text_slugified_and_cut():
    assert (
        slug_for("Harbour workers end strike", fallback="article") == "harbour-workers-end-strike"
    )
    assert slug_for("a" * 300, fallback="article") == "a" * 200
    assert slug_for("Wörld news", fallback="x") == "world-news"


def test_nothing_left_gives_the_fallback():
    assert slug_for("", fallback="person") == "person"
    assert slug_for("…!?", fallback="place") == "place"


def test_a_cut_never_ends_in_a_hyphen():
    assert slug_for("ab cd", fallback="x", max_length=3) == "ab"


def test_a_taken_slug_gets_the_first_free_number():
    taken = {"marta-lind", "marta-lind-2"}
    assert slug_for("Marta Lind", fallback="person", taken=taken) == "marta-lind-3"


def test_a_qualifier_is_tried_before_numbers():
    assert slug_for("Georgia", fallback="place", taken={"georgia"}, qualifier="US") == "georgia-us"
    taken = {"georgia", "georgia-us"}
    assert slug_for("Georgia", fallback="place", taken=taken, qualifier="US") == "georgia-us-2"
