"""Web scrapes with one sentence a line and web debris, on texts written for these tests."""

from articles.ingest.parser import parse_text

FLOOD = """Flood barriers go up along the river front

Flood barriers go up along the river front
LINDEN — Crews worked through the night on Tuesday to raise the steel barriers along the river.
Email *
The river is expected to peak on Thursday, officials said.
Residents were told to move their cars away from
the embankment road before noon.
Article posted with permission from The Valley Courier
Advertisement
The town last saw a flood of this size in 2011.
[Photo/Valley Courier]
"""


def test_each_sentence_line_is_a_paragraph_and_a_broken_line_is_joined():
    parsed = parse_text(FLOOD, "web/1.txt")
    assert parsed.error is None
    assert parsed.layout == "web"
    assert [b.text for b in parsed.blocks] == [
        "LINDEN — Crews worked through the night on Tuesday to raise the steel barriers "
        "along the river.",
        "The river is expected to peak on Thursday, officials said.",
        "Residents were told to move their cars away from the embankment road before noon.",
        "The town last saw a flood of this size in 2011.",
    ]


def test_debris_and_the_repeated_headline_go_to_removed():
    parsed = parse_text(FLOOD, "web/1.txt")
    removed = [(r.kind, r.text) for r in parsed.removed]
    assert removed == [
        ("headline-repeat", "Flood barriers go up along the river front"),
        ("form-field", "Email *"),
        ("permission", "Article posted with permission from The Valley Courier"),
        ("advertisement", "Advertisement"),
        ("photo-credit", "[Photo/Valley Courier]"),
    ]


def test_the_dateline_is_recorded_and_stays_in_the_text():
    parsed = parse_text(FLOOD, "web/1.txt")
    assert (parsed.dateline, parsed.dateline_place) == ("LINDEN", "Linden")
    assert parsed.blocks[0].text.startswith("LINDEN — ")


def test_a_title_broken_over_two_lines_is_joined():
    text = (
        "Lakeside council\nvotes to keep the ferry running\n\n"
        "The council voted on Monday to keep the ferry.\nThe vote was close.\n"
        "Nine members backed it.\nSeven were against.\n"
    )
    parsed = parse_text(text, "web/2.txt")
    assert parsed.headline == "Lakeside council votes to keep the ferry running"
    assert len(parsed.blocks) == 4


def test_a_long_scrape_never_becomes_one_block():
    sentences = [f"Sentence number {i} of the long report said something new." for i in range(900)]
    text = "A very long report\n\n" + "\n".join(sentences) + "\n"
    parsed = parse_text(text, "web/3.txt")
    assert len(parsed.blocks) == 900
    assert max(len(b.text) for b in parsed.blocks) < 100


def test_a_body_of_nothing_but_debris_is_kept_rather_than_emptied():
    text = "Newsletter\n\nSubscribe today!\nSign up now\nAdvertisement\nEmail *\n"
    parsed = parse_text(text, "web/4.txt")
    assert parsed.error is None
    assert parsed.removed == []
    assert [b.text for b in parsed.blocks] == ["Subscribe today! Sign up now Advertisement Email *"]
