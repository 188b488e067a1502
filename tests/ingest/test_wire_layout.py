"""Wire copy (hard-wrapped, indented paragraph starts, tables, tickers, sign-offs), on texts
written for these tests in the shape of agency copy."""

import pytest

from articles.ingest.layout_wire import is_wire
from articles.ingest.parser import parse_text
from articles.ingest.text import raw_blocks

FREIGHT = """HARBOUR FREIGHT LINES <HFL> SEES HIGHER VOLUMES

BRISTOL, March 2 - Harbour Freight Lines Inc said its
container volumes rose in February and it expects the rise to
continue through the spring.
    The company said bookings from <Westmoor Trading Co> had
doubled since the start of the year, helped by a new weekly
service to the Baltic ports.
    Harbour Freight said in a statement it would hire forty more
dock staff at its two terminals, a spokesman told Reuters.
 REUTER
"""

EARNINGS = """NORTHGATE MILLS INC <NGM> 1ST QTR NET

Shr 21 cts vs 17 cts
    Net 1,204,000 vs 968,000
    Revs 18.3 mln vs 15.9 mln
    Six mths
    Shr 40 cts vs 31 cts
    Net 2,311,000 vs 1,775,000
    NOTE: Prior year restated for the sale of the
paper division in the third quarter.
 Reuter
"""

STOCKS = """GRAIN STOCKS IN PORT WAREHOUSES

The port authority gave the following stocks, in
thousands of tonnes, as of the end of the week -
          This   Prior
          Week   Week
 Wheat    412.5  398.0
 Barley    88.1   90.4
    Stocks of maize were not reported this week because
the survey of the eastern silos was delayed by the weather.
"""


def test_indented_lines_start_paragraphs_and_wrapped_lines_join():
    parsed = parse_text(FREIGHT, "wire/1.txt")
    assert parsed.error is None
    assert parsed.layout == "wire"
    texts = [b.text for b in parsed.blocks]
    assert len(texts) == 3
    assert texts[0].startswith("BRISTOL, March 2 - Harbour Freight Lines Inc said its container")
    assert texts[1].startswith("The company said bookings from Westmoor Trading Co had doubled")
    assert texts[2].endswith("a spokesman told Reuters.")


def test_ticker_tags_become_tickers_and_company_tags_lose_their_brackets():
    parsed = parse_text(FREIGHT, "wire/1.txt")
    assert parsed.headline == "HARBOUR FREIGHT LINES SEES HIGHER VOLUMES"
    assert parsed.tickers == ["HFL"]
    assert not any("<" in b.text or ">" in b.text for b in parsed.blocks)
    kinds = [(r.kind, r.text) for r in parsed.removed]
    assert ("ticker", "<HFL>") in kinds
    assert ("markup", "<>") in kinds


def test_the_sign_off_is_removed_but_told_reuters_stays():
    parsed = parse_text(FREIGHT, "wire/1.txt")
    assert ("sign-off", "REUTER") in [(r.kind, r.text) for r in parsed.removed]
    assert parsed.blocks[-1].text.endswith("told Reuters.")


@pytest.mark.parametrize(
    "ending, left",
    [
        ("the plant will close in May.  Reuter", "the plant will close in May."),
        ("the plant will close in May.\n REUTER...", "the plant will close in May."),
        ("the plant will close in May.\n Reuters", "the plant will close in May."),
    ],
)
def test_sign_off_variants(ending, left):
    text = (
        "PLANT TO CLOSE\n\nThe owners of the Eastfield glass works said\n"
        "they had found no buyer, and\n    the company said " + ending + "\n"
    )
    parsed = parse_text(text, "wire/2.txt")
    assert parsed.blocks[-1].text.endswith(left)
    assert [r.kind for r in parsed.removed] == ["sign-off"]


def test_earnings_figures_are_kept_as_a_table():
    parsed = parse_text(EARNINGS, "wire/3.txt")
    kinds = [b.kind for b in parsed.blocks]
    assert kinds == ["table", "paragraph"]
    table = parsed.blocks[0].text.split("\n")
    assert table[0] == "Shr 21 cts vs 17 cts"
    assert "Six mths" in [row.strip() for row in table]
    assert parsed.blocks[1].text.startswith("NOTE: Prior year restated")
    assert parsed.tickers == ["NGM"]


def test_columns_keep_their_alignment():
    parsed = parse_text(STOCKS, "wire/4.txt")
    tables = [b for b in parsed.blocks if b.kind == "table"]
    assert len(tables) == 1
    rows = tables[0].text.split("\n")
    # The first row is indented further than the others: the indent is kept aside.
    assert tables[0].indent == 9
    assert rows[0] == "This   Prior"
    assert rows[2:] == ["Wheat    412.5  398.0", "Barley    88.1   90.4"]
    prose = [b.text for b in parsed.blocks if b.kind == "paragraph"]
    assert prose[0].startswith("The port authority gave the following stocks")
    assert prose[1].startswith("Stocks of maize were not reported")


def test_a_story_of_figures_only_is_read_as_text():
    text = "RATES AT THE NOON FIXING\n\nOne month   4.10   4.05\n    Three months   4.25   4.20\n"
    parsed = parse_text(text, "wire/5.txt")
    assert parsed.error is None
    assert [b.kind for b in parsed.blocks] == ["paragraph"]


def test_plain_paragraphs_are_not_wire():
    text = "A title\n\nOne paragraph on one line.\n\nAnother paragraph, also on one line.\n"
    assert not is_wire(raw_blocks(text)[1:])
    assert parse_text(text, "a.txt").layout == "plain"
