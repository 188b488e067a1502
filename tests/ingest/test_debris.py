"""Web debris rules (articles/data/debris.txt), one example line per rule, in our own words,
plus prose that only looks like debris and must stay."""

from pathlib import Path

import pytest

from articles.ingest.debris import RULES_FILE, debris_kind, load_rules

# One line per rule, in the order of the rules file: (kind, a line it must remove).
EXAMPLES = [
    ("form-field", "Email *"),
    ("form-field", "This field is for validation purposes and should be left unchanged."),
    ("form-field", "Name * Email *"),
    ("permission", "Article posted with permission from The Hillside Observer"),
    (
        "permission",
        "This article originally appeared at Lakeside Review and is republished here with "
        "permission.",
    ),
    ("embed", "The queue goes round the block pic.twitter.com/Ab12Cd34 — Jo Lane (@jolane)"),
    ("embed", "Polls close at eight tonight. — Ward Office (@wardoffice) March 3, 2018"),
    ("embed", "https://t.co/Zx9Yw8"),
    ("subscribe", "Subscribe today!"),
    ("subscribe", "Sign up now"),
    ("subscribe", "Sign up for our morning briefing, delivered to your inbox."),
    ("subscribe", "You can unsubscribe at any time."),
    ("subscribe", "Thank you for signing up!"),
    ("subscribe", "By signing up you accept our terms of use."),
    ("subscribe", "Sign up and never miss a story from the valley."),
    ("newsletter", "Our weekly farming newsletter."),
    ("newsletter", "Get the top five stories of the day in your inbox."),
    ("read-more", "Read more: Council votes to close the old library"),
    ("read-more", "Related stories:"),
    ("read-more", "Click here to see the full gallery"),
    ("read-more", "Take our poll - story continues below"),
    ("share", "Share this story with a friend"),
    ("share", "Share on Facebook Twitter"),
    ("share", "1.2k Shares Facebook Twitter"),
    ("share", "Follow us on Instagram for more"),
    ("advertisement", "Advertisement"),
    ("advertisement", "Story continues below advertisement"),
    ("photo-credit", "[Photo/Harbour Press]"),
    ("photo-credit", "Photo credit: Ana Ruiz"),
    ("advert", "Order now and get the garden kit for $29.99 with free delivery"),
    ("advert", "Only $9.95!"),
]

PROSE = [
    "Read more books, the librarian told the children.",
    "He said the union's newsletter had printed the wrong figures.",
    "She asked voters to sign up to the register before Friday, when it closes.",
    "Shares in the shipping firm fell 4 percent on Tuesday.",
    "Buy-outs of this size cost the fund about $5 million each, its manager said.",
    "The photo showed the mayor at the opening of the bridge, aides said.",
    "Email records obtained by the paper show the deal was agreed in June.",
    "Advertising revenue fell by a fifth last year, the company said.",
]


def test_every_rule_has_an_example():
    assert len(EXAMPLES) == len(load_rules())


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_each_rule_removes_its_example(index):
    kind, line = EXAMPLES[index]
    rule_kind, pattern = load_rules()[index]
    assert rule_kind == kind
    assert pattern.fullmatch(line), f"rule {index} ({kind}) does not match {line!r}"
    assert debris_kind(line) is not None


@pytest.mark.parametrize("line", PROSE)
def test_prose_that_mentions_the_same_words_stays(line):
    assert debris_kind(line) is None


def test_a_malformed_rules_file_says_which_line(tmp_path: Path):
    bad = tmp_path / "debris.txt"
    bad.write_text("# comment\nform-field  email\nno-pattern-here\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 3"):
        load_rules(bad)
    broken = tmp_path / "broken.txt"
    broken.write_text("embed  (unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        load_rules(broken)


def test_the_rules_file_ships_with_the_package():
    assert RULES_FILE.is_file()
    assert all(kind for kind, _ in load_rules())
