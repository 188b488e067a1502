"""Consistency checks on the labelled people/places development set.

These tests check the set itself (not the extractor): every article has labels, labels are
well formed and internally consistent, and each labelled person is named in full in the text.
The extractor's precision/recall on the set is measured elsewhere.
"""

import json
import re
from pathlib import Path

import pytest

DEVSET = Path(__file__).resolve().parent
SHARED = DEVSET.parent.parent.parent.parent / "shared"
LICENCE = (
    "All Content by Mehr News Agency is licensed under a Creative Commons "
    "Attribution 4.0 International License."
)
CODE = re.compile(r"^[A-Z]{2}$")


def _labels() -> dict[str, dict]:
    return json.loads((DEVSET / "labels.json").read_text(encoding="utf-8"))


def _articles() -> set[str]:
    return {p.relative_to(DEVSET).as_posix() for p in DEVSET.rglob("*.txt")}


def test_every_article_is_labelled_and_every_label_has_an_article():
    assert _articles() == set(_labels())


def test_set_is_large_enough_in_every_layout():
    paths = list(_labels())
    assert len(paths) >= 36
    assert sum(p.startswith("native/") for p in paths) >= 18
    assert sum(p.startswith("bbc/") for p in paths) >= 10
    assert sum(p.startswith("tehran/") for p in paths) >= 8


def test_file_names_follow_their_layout():
    for path in _labels():
        name = path.rsplit("/", 1)[-1]
        if path.startswith("native/"):
            assert re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", name), path
        elif path.startswith("bbc/"):
            assert re.fullmatch(r"bbc/[a-z]+/\d{3}\.txt", path), path
        else:
            assert re.fullmatch(r"_news_\d+_[A-Za-z0-9-]+\.txt", name), path
            text = (DEVSET / path).read_text(encoding="utf-8")
            assert text.rstrip().endswith(LICENCE), path


@pytest.mark.parametrize("path", sorted(_labels()))
def test_labels_are_well_formed_and_consistent(path):
    label = _labels()[path]
    text = (DEVSET / path).read_text(encoding="utf-8")
    assert set(label) == {"people", "countries", "cities"}
    people, countries, cities = label["people"], label["countries"], label["cities"]
    assert len(set(people)) == len(people)
    assert len(set(countries)) == len(countries)
    assert all(CODE.match(code) for code in countries)
    for person in people:
        # Labels use the fullest form the article gives, so it must occur verbatim.
        assert person in text, person
    assert len({tuple(c) for c in cities}) == len(cities)
    for name, code in cities:
        assert name and CODE.match(code)
        # A city mention implies its country.
        assert code in countries, (name, code)


def test_seed_expectations_match_the_issue():
    seed = json.loads((DEVSET / "seed_expected.json").read_text(encoding="utf-8"))
    ((path, label),) = seed.items()
    assert label["people"] == [
        "Vladimir Putin",
        "Dmitry Peskov",
        "Volodymyr Zelensky",
        "Xi Jinping",
        "Bashar al-Assad",
    ]
    assert set(label["countries"]) == {"RU", "UA", "BY", "CN", "SY", "US", "SU"}
    assert {tuple(c) for c in label["cities"]} == {
        ("Moscow", "RU"),
        ("Minsk", "BY"),
        ("Damascus", "SY"),
    }
    if not SHARED.exists():
        pytest.skip("shared/ with the seed article is not available")
    text = (SHARED / path).read_text(encoding="utf-8")
    assert all(person in text for person in label["people"])
