"""parse_text and parse_raw over the native, title-line and body-only layouts.

The articles here are written for these tests; the seed and the corpora are only read.
"""

import codecs
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.ingest import extract
from articles.ingest.parser import (
    BODY_ONLY,
    NATIVE,
    TEHRAN_TIMES_NAME_RE,
    TITLE_LINE,
    detect_layout,
    parse_text,
    title_from_slug,
)
from articles.ingest.pipeline import parse_paths, parse_raw
from articles.ingest.reader import iter_raw_files
from articles.ingest.types import RawFile
from tests.conftest import CORPORA, SEED

FOOTER = """Harbour Radio’s website can also be accessed at the following alternate addresses:

www.harbourradio.example

SHARE THIS ARTICLE
Harbour Radio News Roku
"""

NATIVE_ARTICLE = (
    """World   /   Europe   /   Baltic

Ferry operators resume crossings after a week of storms

Passengers board a ferry in Tallinn on March 8, 2024. (Photo by Coastline Images)

Ferry companies restarted crossings between Tallinn and Helsinki on Friday after storms kept ships in port for a week.

The port authority said the first departures were full.

Operators count the cost

Cancelled sailings cost the two largest operators an estimated four million euros, according to their own figures.

Insurers said claims would be settled within a month.

Forecasters expect calmer weather

The national weather service said winds would ease over the weekend.

"""
    + FOOTER
)


def blocks_of(parsed):
    return [(b.kind, b.text) for b in parsed.blocks]


# --------------------------------------------------------------------------- the seed


@pytest.mark.skipif(not SEED.exists(), reason="seed article not available")
def test_the_seed_article():
    parsed = parse_raw(RawFile(name=SEED.name, data=SEED.read_bytes()))

    assert parsed.error is None
    assert parsed.section_path == ["News", "Russia"]
    assert parsed.headline == "Kremlin: Putin ready to send delegation for talks with Ukraine"
    assert parsed.caption.startswith("Russian President Vladimir Putin arrives to chair")
    assert parsed.caption.endswith("in Moscow on February 25, 2022.")
    assert parsed.caption_credit == "Via AFP"
    assert parsed.published == dt.date(2022, 2, 25)
    assert parsed.published_how == "explicit"
    kinds = [b.kind for b in parsed.blocks]
    assert kinds.count("paragraph") == 11
    assert kinds.count("subheading") == 1
    assert parsed.blocks[6].text == "Syria's Assad says Russia, Syria fighting same enemy"
    body = " ".join(b.text for b in parsed.blocks)
    for footer_text in ("website can also be accessed", "presstv.ir", "SHARE THIS", "Roku"):
        assert footer_text not in body
    assert parsed.footer.startswith("Press TV’s website can also be accessed")
    assert parsed.source == "Press TV"
    assert parsed.text == SEED.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- native layout


def test_native_article_with_three_level_breadcrumb_caption_and_two_subheadings():
    parsed = parse_text(NATIVE_ARTICLE, "001_0123456789abcdef.txt")

    assert parsed.error is None
    assert parsed.section_path == ["World", "Europe", "Baltic"]
    assert parsed.headline == "Ferry operators resume crossings after a week of storms"
    assert parsed.caption == "Passengers board a ferry in Tallinn on March 8, 2024."
    assert parsed.caption_credit == "Photo by Coastline Images"
    assert [b.kind for b in parsed.blocks] == [
        "paragraph",
        "paragraph",
        "subheading",
        "paragraph",
        "paragraph",
        "subheading",
        "paragraph",
    ]
    assert parsed.blocks[2].text == "Operators count the cost"
    assert parsed.blocks[5].text == "Forecasters expect calmer weather"
    assert parsed.source == "Harbour Radio"
    assert parsed.footer == FOOTER.strip()
    assert parsed.published == dt.date(2024, 3, 8)


def test_native_article_without_caption_or_footer():
    text = """Business   /   Markets

Apple growers count the cost of a late frost

Farmers in the valley say the frost of last week destroyed half of the blossom.

Prices for the new season are expected to rise sharply, traders said.
"""
    parsed = parse_text(text, "002_0123456789abcdef.txt")

    assert parsed.error is None
    assert detect_layout(text, "002_0123456789abcdef.txt") == NATIVE
    assert parsed.section_path == ["Business", "Markets"]
    assert parsed.headline == "Apple growers count the cost of a late frost"
    assert (parsed.caption, parsed.caption_credit) == ("", "")
    assert [b.kind for b in parsed.blocks] == ["paragraph", "paragraph"]
    assert parsed.footer == ""
    assert parsed.source == "Unknown"


def test_straight_apostrophe_and_other_addresses_in_the_footer():
    text = """News / Iran

Officials open a new metro line in the capital

Commuters tried the new line on its first morning.

The line links the northern suburbs with the city centre.

Valley Post's website can also be accessed at the following alternate addresses:

www.valleypost.example

valleypost.example.net

SHARE THIS ARTICLE
Valley Post News Roku
"""
    parsed = parse_text(text, "003_0123456789abcdef.txt")

    assert parsed.source == "Valley Post"
    assert parsed.footer.startswith("Valley Post's website")
    assert parsed.footer.endswith("Valley Post News Roku")
    assert all("valleypost" not in b.text for b in parsed.blocks)
    assert len(parsed.blocks) == 2


def test_footer_without_the_alternate_addresses_line_is_still_removed():
    text = """News

Rail strike called off after late talks

Unions called off the strike after talks that ran past midnight.

Trains will run normally.

www.northstar.example

SHARE THIS ARTICLE
Northstar News Roku
"""
    parsed = parse_text(text, "004_0123456789abcdef.txt")

    assert parsed.section_path == ["News"]
    assert parsed.source == "Northstar"
    assert [b.text for b in parsed.blocks] == [
        "Unions called off the strike after talks that ran past midnight.",
        "Trains will run normally.",
    ]
    assert parsed.footer == "www.northstar.example\n\nSHARE THIS ARTICLE\nNorthstar News Roku"


@pytest.mark.parametrize(
    "caption_line,caption,credit",
    [
        ("A file picture of the dam. (File photo)", "A file picture of the dam.", "File photo"),
        ("Smoke over the port. (Photo by Reuters)", "Smoke over the port.", "Photo by Reuters"),
        ("(Via AFP)", "", "Via AFP"),
    ],
)
def test_caption_credits(caption_line, caption, credit):
    text = f"News / Asia\n\nA headline here\n\n{caption_line}\n\nThe body paragraph.\n"
    parsed = parse_text(text, "005_0123456789abcdef.txt")
    assert (parsed.caption, parsed.caption_credit) == (caption, credit)
    assert blocks_of(parsed) == [("paragraph", "The body paragraph.")]


def test_crlf_bom_and_wrapped_lines_through_parse_raw():
    text = NATIVE_ARTICLE.replace(
        "The port authority said the first departures were full.",
        "The port authority said\nthe first departures were full.",
    )
    data = codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8")

    parsed = parse_raw(RawFile(name="006_0123456789abcdef.txt", data=data))

    assert parsed.error is None
    assert parsed.encoding == "utf-8-sig"
    assert parsed.section_path == ["World", "Europe", "Baltic"]
    assert parsed.blocks[1].text == "The port authority said the first departures were full."
    assert parsed.source == "Harbour Radio"
    assert "\r" not in parsed.text


def test_latin1_pound_sign_survives_parsing():
    data = "Sport\n\nClub fined\n\nThe club was fined £15,000 on Monday.\n".encode("latin-1")

    parsed = parse_raw(RawFile(name="007.txt", data=data))

    assert parsed.encoding == "cp1252"
    assert parsed.blocks[0].text == "The club was fined £15,000 on Monday."


def test_no_break_spaces_and_controls_collapse_in_blocks_but_the_text_is_verbatim():
    text = "News \xa0/\xa0 Europe\n\nA headline\n\nReady\xa0 to go\x1a now.\n"
    parsed = parse_text(text, "008.txt")
    assert parsed.section_path == ["News", "Europe"]
    assert parsed.blocks[0].text == "Ready to go now."
    assert parsed.text == text


@pytest.mark.parametrize(
    "text",
    [
        "News / Russia\n",
        "News / Russia\n\nA headline with nothing under it\n",
        "News / Russia\n\nA headline\n\nA caption. (Via AFP)\n",
        "News / Russia\n\n" + FOOTER,
    ],
)
def test_a_file_without_body_is_a_failure(text):
    parsed = parse_text(text, "009_0123456789abcdef.txt")
    assert parsed.error == "no article body found"


def test_given_source_and_section_override_the_file():
    parsed = parse_text(
        NATIVE_ARTICLE, "010.txt", source="Given Source", section_path=[" News ", "Iran"]
    )
    assert parsed.source == "Given Source"
    assert parsed.section_path == ["News", "Iran"]


def test_a_short_unpunctuated_line_at_the_end_is_a_paragraph_not_a_subheading():
    text = (
        "News\n\nHeadline here\n\nFirst paragraph.\n\nSecond paragraph.\n\nReporting by Sam Lee\n"
    )
    parsed = parse_text(text, "011.txt")
    assert [b.kind for b in parsed.blocks] == ["paragraph", "paragraph", "paragraph"]


# --------------------------------------------------------------------------- title-line layout


def test_title_line_file_in_a_known_corpus_folder():
    text = "Chelsea sign young winger\n\nThe club confirmed the deal on Tuesday.\n\nMore to come.\n"
    for name in ("bbc/sport/123.txt", "bbc-news.tar.gz/bbc/sport/123.txt"):
        parsed = parse_text(text, name)
        assert detect_layout(text, name) == TITLE_LINE
        assert parsed.headline == "Chelsea sign young winger"
        assert parsed.section_path == ["Sport"]
        assert parsed.source == "BBC News"
        assert blocks_of(parsed) == [
            ("paragraph", "The club confirmed the deal on Tuesday."),
            ("paragraph", "More to come."),
        ]
        assert parsed.published is None
        assert parsed.published_how == "unknown"


def test_title_line_file_elsewhere_takes_its_folder_as_section():
    text = "Budget talks stall\n\nMinisters failed to agree.\n"
    assert parse_text(text, "archive/world-affairs/1.txt").section_path == ["World Affairs"]
    assert parse_text(text, "archive/world-affairs/1.txt").source == "Unknown"
    assert parse_text(text, "1.txt").section_path == []
    assert parse_text(text, "1.txt", source="Daily Example").source == "Daily Example"


def test_title_line_file_has_no_subheadings():
    text = "Seeds announced\n\nThe seeds are:\n\n1 Roger Example (Switzerland)\n\nMore later.\n"
    parsed = parse_text(text, "bbc/sport/2.txt")
    assert {b.kind for b in parsed.blocks} == {"paragraph"}


# --------------------------------------------------------------------------- body-only layout

TT_NAME = "data/_news_123_Iran-s-Envoy-Meets-U-S-Officials-in-Geneva.txt"
LICENCE = (
    "All Content by Mehr News Agency is licensed under a Creative Commons Attribution 4.0 "
    "International License."
)


def test_body_only_file_title_from_its_name_and_repeated_paragraphs_once():
    one = "TEHRAN – The envoy met officials in Geneva on Monday, the ministry said."
    two = "Both sides described the talks as useful."
    three = "A further round is planned for next month."
    text = (
        f"{one} {two} {three}\n"
        f"                  {two} {three}\n"
        f"                  {three}\n"
        f"                 {LICENCE}"
    )

    parsed = parse_text(text, TT_NAME)

    assert detect_layout(text, TT_NAME) == BODY_ONLY
    assert parsed.error is None
    assert parsed.headline == "Iran's Envoy Meets U.S. Officials in Geneva"
    assert parsed.source == "Tehran Times"
    assert [b.text for b in parsed.blocks] == [one, two, three]
    assert parsed.footer == LICENCE
    assert parsed.section_path == []


def test_body_only_licence_glued_to_the_last_line_with_a_sign_off():
    text = (
        "TEHRAN – First paragraph of the story.\r\n\r\r\n"
        "Second paragraph of the story.\xa0 Third paragraph after a flattened break.\r\n"
        f"MH/PA {LICENCE}"
    )

    parsed = parse_text(text, "_news_9_Short-story.txt")

    assert [b.text for b in parsed.blocks] == [
        "TEHRAN – First paragraph of the story.",
        "Second paragraph of the story.",
        "Third paragraph after a flattened break.",
    ]
    assert parsed.footer == f"MH/PA {LICENCE}"
    body = " ".join(b.text for b in parsed.blocks)
    assert "Mehr News Agency" not in body
    assert "MH/PA" not in body


def test_body_only_drops_a_pull_quote_repeating_a_paragraph():
    para = "“We will keep working with our neighbours on water,” the minister said on Sunday."
    text = f"TEHRAN – The minister spoke.\n\n{para}\n\nOther news followed.\n\n{para[1:40]}\n"
    parsed = parse_text(text, "_news_10_Water.txt")
    assert [b.text for b in parsed.blocks] == [
        "TEHRAN – The minister spoke.",
        para,
        "Other news followed.",
    ]


@pytest.mark.parametrize(
    "slug,title",
    [
        (
            "Chinese-Ship-Sinks-After-Collision-Off-Denmark",
            "Chinese Ship Sinks After Collision Off Denmark",
        ),
        ("EU-s-Mora-meets-Iranian-FM-in-Tehran", "EU's Mora meets Iranian FM in Tehran"),
        ("OPEC-to-Keep-June-Output-Ceiling-Mehr-News-Agency", "OPEC to Keep June Output Ceiling"),
        ("Over-143-000-Afghans-return", "Over 143,000 Afghans return"),
        ("COVID-19-test-needed", "COVID-19 test needed"),
        ("seoul-talks", "Seoul talks"),
    ],
)
def test_titles_from_slugs(slug, title):
    assert title_from_slug(slug) == title


# --------------------------------------------------------------------------- robustness


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["a.txt", "bbc/tech/1.txt", "_news_1_X.txt"]))
def test_parse_text_never_raises(text, name):
    parsed = parse_text(text, name)
    assert parsed.error or parsed.headline
    assert parsed.text == text


def test_parse_raw_passes_reader_errors_through():
    parsed = parse_raw(RawFile(name="x.zip/../a.txt", error="unsafe archive entry: '..' in path"))
    assert (parsed.file, parsed.error) == ("x.zip/../a.txt", "unsafe archive entry: '..' in path")


def test_parse_raw_reports_binary_and_empty_files():
    assert parse_raw(RawFile(name="b.txt", data=b"\x00\x00\x01")).error == (
        "binary file: contains NUL bytes"
    )
    assert parse_raw(RawFile(name="e.txt", data=b"\n\n")).error == "empty file"


def test_an_extractor_failure_is_reported_not_raised(monkeypatch):
    def broken(parsed):
        parsed.people = ["half-done"]
        raise RuntimeError("gazetteer missing")

    monkeypatch.setattr(extract, "extract_entities", broken)

    parsed = parse_raw(RawFile(name="a.txt", data=NATIVE_ARTICLE.encode()))

    assert parsed.error == "entity extraction failed: RuntimeError: gazetteer missing"
    assert parsed.people == []
    assert parsed.headline  # the parse itself is kept


def test_parse_paths_in_parallel_keeps_the_reading_order(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(150):  # more than two chunks
        body = f"Headline {i}\n\nParagraph number {i}.\n" if i % 7 else ""
        (folder / f"{i:03}.txt").write_text(body)

    serial = [(p.file, p.headline, p.error) for p in parse_paths([folder])]
    parallel = [(p.file, p.headline, p.error) for p in parse_paths([folder], workers=2)]

    assert parallel == serial
    assert len(serial) == 150
    assert serial[0] == ("many/000.txt", "", "empty file")
    assert serial[1] == ("many/001.txt", "Headline 1", None)


# --------------------------------------------------------------------------- real corpora

BBC_TARBALL = CORPORA / "bbc-news.tar.gz"
TT_TARBALL = CORPORA / "tehran-times-news.tar.gz"


@pytest.fixture
def parse_only(monkeypatch):
    """These tests are about reading and parsing: leave entity extraction (tested on its own,
    and the slow part) out of them."""
    monkeypatch.setattr(extract, "extract_entities", lambda parsed: None)


@pytest.mark.slow
@pytest.mark.skipif(not BBC_TARBALL.exists(), reason="BBC corpus not available")
def test_every_bbc_file_parses(parse_only):
    parsed = list(parse_paths([BBC_TARBALL]))

    assert len(parsed) == 2225
    assert [p.file for p in parsed if p.error] == []
    assert {p.source for p in parsed} == {"BBC News"}
    sections = {p.section_path[0] for p in parsed}
    assert sections == {"Business", "Entertainment", "Politics", "Sport", "Tech"}
    [mutu] = [p for p in parsed if p.file.endswith("bbc/sport/199.txt")]
    assert mutu.encoding == "cp1252"
    assert "£15.8m" in " ".join(b.text for b in mutu.blocks)


@pytest.mark.slow
@pytest.mark.skipif(not TT_TARBALL.exists(), reason="Tehran Times corpus not available")
def test_every_tehran_times_file_parses_with_its_title_and_without_the_licence(parse_only):
    count = 0
    for parsed in parse_paths([TT_TARBALL]):
        count += 1
        assert parsed.error is None, parsed.file
        assert parsed.source == "Tehran Times"
        slug = TEHRAN_TIMES_NAME_RE.match(parsed.file.rsplit("/", 1)[-1]).group("slug")
        assert parsed.headline == title_from_slug(slug) != "", parsed.file
        assert parsed.blocks, parsed.file
        body = " ".join(b.text for b in parsed.blocks)
        assert "All Content by Mehr News Agency" not in body, parsed.file
        assert "Creative Commons" not in body, parsed.file
        assert "Creative Commons" in parsed.footer, parsed.file
    assert count == 33724


@pytest.mark.slow
@pytest.mark.skipif(not BBC_TARBALL.exists(), reason="BBC corpus not available")
def test_the_bbc_tarball_is_read_without_errors():
    raws = list(iter_raw_files([BBC_TARBALL]))
    assert len(raws) == 2225
    assert all(r.error is None for r in raws)
