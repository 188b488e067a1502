"""Datelines opening a story, in the forms wire and web copy print them."""

import pytest

from articles.ingest.datelines import find_dateline, headline_day
from articles.ingest.parser import parse_text


@pytest.mark.parametrize(
    "opening, text, place, month, day",
    [
        ("WASHINGTON, March 2 - The panel met.", "WASHINGTON, March 2", "Washington", 3, 2),
        ("YUMA, Ariz. – Troops laid wire.", "YUMA, Ariz.", "Yuma, Ariz.", None, None),
        ("TEHRAN – Iran said on Monday.", "TEHRAN", "Tehran", None, None),
        ("NEW YORK (Reuters) - Stocks rose.", "NEW YORK (Reuters)", "New York", None, None),
        ("ST. LOUIS, Mo. — A storm hit.", "ST. LOUIS, Mo.", "St. Louis, Mo.", None, None),
        ("Lisbon - The mayor spoke.", "Lisbon", "Lisbon", None, None),
        ("OSLO, Sept. 14 -- Ships sailed.", "OSLO, Sept. 14", "Oslo", 9, 14),
    ],
)
def test_dateline_forms(opening, text, place, month, day):
    found = find_dateline([opening])
    assert found is not None
    assert (found.text, found.place, found.month, found.day) == (text, place, month, day)


@pytest.mark.parametrize(
    "opening",
    [
        "But - he said - the plan is dead.",
        "The company said - again - no.",
        "UPDATE - Prices rose.",
        "In the end, the vote - close as it was - passed.",
        "ZINC HIGH GRADE SPECIAL - Cash 400",
    ],
)
def test_sentences_that_only_look_like_datelines(opening):
    assert find_dateline([opening]) is None


def test_a_title_case_place_counts_only_at_the_start_of_the_body():
    assert find_dateline(["A first paragraph.", "Lisbon - The mayor spoke."]) is None
    assert find_dateline(["Lisbon - The mayor spoke."], allow_title_case=False) is None


def test_an_upper_case_dateline_with_a_day_may_open_the_second_paragraph():
    found = find_dateline(["A summary line.", "LONDON, March 26 - The bank said."])
    assert found is not None and found.day == 26


def test_headline_day():
    found = headline_day("MONEY MARKET RATES 1000 - APR 8")
    assert (found.month, found.day, found.where) == (4, 8, "headline")
    assert headline_day("MILLS INC 2ND QTR JAN 31 NET") is None


def test_the_parser_records_the_dateline_and_keeps_it_in_the_text():
    text = "Storm closes port\n\nPORTLAND, Maine – A storm closed the port on Monday.\n"
    parsed = parse_text(text, "a.txt")
    assert (parsed.dateline, parsed.dateline_place) == ("PORTLAND, Maine", "Portland, Maine")
    assert parsed.blocks[0].text.startswith("PORTLAND, Maine – ")
