"""Properties of ``parse_text`` over any text (hypothesis): it never raises, and no character
of the input goes missing or appears from nowhere.

"Accounted for", precisely. Let ``chars(s)`` be the multiset of the characters of ``s`` that
are not whitespace (``str.isspace``) and not invisible (the C0 controls, DEL, zero-width space
and stray BOMs the parser replaces; see ``parser._INVISIBLE_RE``). For a file the parser
accepts (``error is None``):

    chars(input) = chars(section path) + chars(headline) + chars(caption) + chars(credit)
                   + chars(blocks) + chars(footer) + chars(removed)
                   + the separators the parser consumes: one "/" between breadcrumb segments,
                     the "(" and ")" around a credit
                   + dropped decoration

where ``removed`` is what a layout took out of the headline or body (sign-offs, ticker tags,
web debris, a repeated headline: ``ParsedArticle.removed``), and "dropped decoration" may only take characters from lines with no letter or digit
(``***``, ``—``, ``...``): the parser drops blocks made only of such lines. Nothing else may
be missing, and nothing may be added. Whitespace is not accounted for: the parser collapses
it by design (the original text is stored verbatim anyway).

That exact accounting holds for the native and title-line layouts. The body-only layout
(Tehran Times names) removes repeated paragraphs by design, so there the property is weaker
but still strict about loss: every line of the input (its non-space characters, in order) is
found inside the kept paragraphs or the removed licence footer, and every kept paragraph
comes from the input.

A file the parser refuses (``error`` set) must be refused with one of the parser's own
messages, never with the "parser error: ..." of an exception it caught.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from articles.ingest import layout_native, parser
from articles.ingest.parser import parse_text

# Deterministic in CI (derandomize), no example database written into the checkout.
PROPERTY_SETTINGS = settings(
    max_examples=300,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

KNOWN_ERRORS = (
    parser.ERR_NO_BODY,
    parser.ERR_NO_HEADLINE,
    parser.ERR_HEADLINE_TOO_LONG.split("{")[0],
    parser.ERR_HTML,
)
_INVISIBLE = parser._INVISIBLE_RE
_ALNUM = re.compile(r"[^\W_]")


def chars(text: str) -> Counter:
    """The multiset of visible, non-whitespace characters of ``text``."""
    return Counter(c for c in text if not c.isspace() and not _INVISIBLE.fullmatch(c))


def squeeze(text: str) -> str:
    """``text`` without whitespace and invisible characters (order kept)."""
    return "".join(c for c in text if not c.isspace() and not _INVISIBLE.fullmatch(c))


def decoration(text: str) -> Counter:
    """chars() of the lines that hold no letter or digit: all the parser may drop."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: Counter = Counter()
    for line in lines:
        if not _ALNUM.search(parser._visible(line)):
            out += chars(line)
    return out


def assert_refused_cleanly(parsed) -> None:
    assert parsed.error.startswith(KNOWN_ERRORS), parsed.error
    assert not parsed.error.startswith("parser error")


def accounting(text: str, name: str) -> tuple[Counter, Counter]:
    """(missing, added): characters of the input the outputs lack, and the reverse."""
    parsed = parse_text(text, name)
    outputs = [
        *parsed.section_path,
        parsed.headline,
        parsed.caption,
        parsed.caption_credit,
        *(b.text for b in parsed.blocks),
        parsed.footer,
        *(r.text for r in parsed.removed),
    ]
    produced = Counter()
    for piece in outputs:
        produced += chars(piece)
    if len(parsed.section_path) > 1:
        produced["/"] += len(parsed.section_path) - 1
    if parsed.caption_credit:
        produced["("] += 1
        produced[")"] += 1
    given = chars(text)
    return given - produced, produced - given


# --- strategies ---------------------------------------------------------------------------------

# Characters the parser treats specially, mixed into ordinary text.
TRICKY = list("/()[]\"'’“”.,;:!?…*-—_#<>&") + [
    "\xa0",
    "\u200b",
    "\ufeff",
    "\t",
    "\r",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x85",
    "\u2028",
    "\x07",
    "\x7f",
]
WORD = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N"]), min_size=1, max_size=9
) | st.sampled_from(["Iran", "Moscow", "said", "Press", "TV", "News", "On", "Friday", "2022"])
PIECE = WORD | st.sampled_from(TRICKY)


@st.composite
def phrase(draw, min_words: int = 1, max_words: int = 14) -> str:
    parts = draw(st.lists(PIECE, min_size=min_words, max_size=max_words))
    seps = draw(st.lists(st.sampled_from([" ", " ", "  ", "\xa0", "\t"]), min_size=len(parts)))
    return "".join(p + s for p, s in zip(parts, seps, strict=False)).strip(" ")


@st.composite
def native_article(draw) -> str:
    """Something shaped like the archive's native layout, with noise in every part."""
    blocks = []
    if draw(st.booleans()):
        segments = draw(st.lists(phrase(1, 3), min_size=1, max_size=4))
        blocks.append(draw(st.sampled_from(["   /   ", " / ", "/", " /  "])).join(segments))
    blocks.append(draw(phrase(1, 12)))
    if draw(st.booleans()):
        credit = draw(st.sampled_from(["Via AFP", "File photo", " ", "", "Photo by (Reuters)"]))
        blocks.append(draw(phrase(2, 20)) + f" ({credit})")
    for _ in range(draw(st.integers(0, 5))):
        blocks.append(draw(phrase(1, 30)))
    if draw(st.booleans()):
        blocks.append(draw(st.sampled_from(["***", "—", "* * *", "...", "#"])))
    if draw(st.booleans()):
        name = draw(st.sampled_from(["Press TV", "Harbour Radio", "X"]))
        apostrophe = draw(st.sampled_from(["’s", "'s", ""]))
        blocks.append(
            f"{name}{apostrophe} website can also be accessed at the following alternate "
            f"addresses:\n\nwww.example.com\n\nSHARE THIS ARTICLE\n{name} News Roku"
        )
    separators = draw(
        st.lists(
            st.sampled_from(["\n\n", "\n\n\n", "\r\n\r\n", "\n \n", "\n"]),
            min_size=len(blocks),
            max_size=len(blocks),
        )
    )
    return "".join(b + s for b, s in zip(blocks, separators, strict=True))


ANY_TEXT = st.text(max_size=600) | native_article()
NAMES = st.sampled_from(["article.txt", "001_0123456789abcdef.txt", "notes"])


# --- properties ---------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(text=ANY_TEXT, name=NAMES | st.sampled_from(["bbc/tech/1.txt", "_news_7_A-Title.txt"]))
@example(text="\u200b\nThe body of it all.", name="a.txt")  # an invisible line is blank
@example(text="<!DOCTYPE html>\n<p>A saved page.</p>", name="a.txt")
def test_parse_text_never_raises_and_keeps_the_original(text, name):
    parsed = parse_text(text, name)
    assert parsed.text == text
    if parsed.error:
        assert_refused_cleanly(parsed)
    else:
        assert parsed.headline
        assert any(b.kind == "paragraph" for b in parsed.blocks)
        assert all(b.text == b.text.strip() and b.text for b in parsed.blocks)


@PROPERTY_SETTINGS
@given(text=ANY_TEXT, name=NAMES)
@example(text="News / World\n\nA headline\n\nPhoto of the day ( )\n\nA paragraph.\n", name="a.txt")
@example(text="Headline\n\n***\n\nBody text here.\n", name="a.txt")
def test_every_character_is_accounted_for(text, name):
    parsed = parse_text(text, name)
    if parsed.error:
        assert_refused_cleanly(parsed)
        return
    missing, added = accounting(text, name)
    assert not added, f"characters not in the input: {added}"
    assert not (missing - decoration(text)), f"lost: {missing - decoration(text)}"


@st.composite
def body_only_text(draw) -> tuple[str, list[str]]:
    """(text, the distinct pieces it is made of) in the Tehran Times way: each paragraph on a
    line, lines that repeat a run of paragraphs, repeats of earlier paragraphs."""
    # Paragraphs as the layout expects them (its documented preconditions): distinct, none
    # inside another, at least CONTAINMENT_MIN characters (shorter lines are kept even when
    # repeated), each with a letter or digit. Line breaks come only from the layout.
    min_len = parser.CONTAINMENT_MIN
    paragraphs = draw(
        st.lists(
            phrase(3, 25)
            .map(lambda p: p.replace("\r", " "))
            .filter(lambda p: len(squeeze(p)) >= min_len and _ALNUM.search(p)),
            min_size=1,
            max_size=5,
            unique_by=squeeze,
        )
    )
    squeezed = [squeeze(p) for p in paragraphs]
    assume(all(a not in b for a in squeezed for b in squeezed if a is not b))
    lines = []
    for i, p in enumerate(paragraphs):
        lines.append(p)
        if draw(st.booleans()):
            lines.append(" ".join(paragraphs[i:]))
        if i and draw(st.booleans()):
            lines.append(draw(st.sampled_from(paragraphs[:i])))
    pieces = list(paragraphs)
    if draw(st.booleans()):
        tail = "MH/PA\n" + parser.LICENCE_TEXT + " under a Creative Commons Attribution licence."
        lines.append(tail)
        pieces.append(tail)
    return "\n".join(lines), pieces


def alnum(text: str) -> Counter:
    return Counter(_ALNUM.findall(text))


@PROPERTY_SETTINGS
@given(case=body_only_text())
def test_body_only_layout_keeps_each_paragraph_once(case):
    text, pieces = case
    parsed = parse_text(text, "_news_12_Ferries-return-after-the-floods.txt")
    assert parsed.error is None
    kept = Counter()
    for piece in [*(b.text for b in parsed.blocks), parsed.footer]:
        kept += alnum(piece)
    written = Counter()
    for piece in pieces:
        written += alnum(piece)
    assert kept == written


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\n",
        "\ufeff",
        "/",
        " / / ",
        "()",
        "News / World\n\n",
        "\x00\x01\x02",
        "Press TV website can also be accessed at the following alternate addresses:",
    ],
)
def test_degenerate_texts_are_refused_with_a_message(text):
    parsed = parse_text(text, "a.txt")
    assert parsed.error
    assert_refused_cleanly(parsed)


# Pieces a footer line is made of, and what sits around one, for the footer search below.
FOOTER_PIECES = st.sampled_from(
    [
        "website can also be accessed",
        "WEBSITE  can\talso be\naccessed",
        "Meridian Herald",
        "'s",
        "’s",
        " ",
        "\n",
        "\t",
        "\xa0",
        "\n  \n",
        " at the following addresses:",
        "website",
        "accessedly",
        "x",
    ]
)


@PROPERTY_SETTINGS
@given(st.lists(FOOTER_PIECES, max_size=14).map("".join))
@example("Herald's\n\n  website can also be accessed at:\nA website can also be accessed")
@example(" \n website can also be accessed")
def test_site_footer_line_finds_what_the_full_pattern_finds(text):
    # The quick search (words first, then the pattern from that line on) must find exactly
    # the match the pattern alone would find by trying every line start.
    full = layout_native.SITE_FOOTER_RE.search(text)
    quick = layout_native.site_footer_line(text)
    assert (quick and quick.span()) == (full and full.span())
