"""The accounting property (tests/ingest/test_parser_properties.py) on texts shaped like wire
copy and web scrapes: ticker tags, company tags, tables, sign-offs, debris lines and a
repeated headline all come out of the body, and every character is still accounted for."""

from hypothesis import given
from hypothesis import strategies as st

from articles.ingest.parser import parse_text
from tests.ingest.test_parser_properties import (
    PROPERTY_SETTINGS,
    accounting,
    assert_refused_cleanly,
    decoration,
    phrase,
)

DEBRIS = ["Email *", "Advertisement", "Subscribe today!", "[Photo/Harbour Press]", "Read More"]
ROWS = ["Shr 21 cts vs 17 cts", " Wheat    412.5  398.0", "Net 1,204,000 vs 968,000", "Year"]


@st.composite
def wire_article(draw) -> str:
    tag = draw(st.sampled_from(["", " <HFL>", " <RTRS.L>", " <Harbour Lines Inc>"]))
    lines = [draw(phrase(1, 8)) + tag, ""]
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["prose", "prose", "row", "tag"]))
        if kind == "row":
            lines.append(draw(st.sampled_from(ROWS)))
        elif kind == "tag":
            lines.append("    " + draw(phrase(2, 6)) + " <XYZ.T> " + draw(phrase(1, 6)))
        else:
            indent = draw(st.sampled_from(["", "    "]))
            lines.append(indent + draw(phrase(4, 12)))
            lines.append(draw(phrase(4, 12)))
    lines.append(draw(st.sampled_from(["", " REUTER", " Reuter", "REUTERS..."])))
    return "\n".join(lines) + "\n"


@st.composite
def web_article(draw) -> str:
    headline = draw(phrase(1, 10))
    lines = [headline, ""]
    if draw(st.booleans()):
        lines.append(headline)
    for _ in range(draw(st.integers(1, 10))):
        if draw(st.integers(0, 3)) == 0:
            lines.append(draw(st.sampled_from(DEBRIS)))
        else:
            lines.append(draw(phrase(2, 14)) + draw(st.sampled_from([".", "?", "", "!"])))
    return "\n".join(lines) + "\n"


@PROPERTY_SETTINGS
@given(text=wire_article() | web_article())
def test_wire_and_web_texts_lose_nothing(text):
    parsed = parse_text(text, "story.txt")
    if parsed.error:
        assert_refused_cleanly(parsed)
        return
    missing, added = accounting(text, "story.txt")
    assert not added, f"characters not in the input: {added}"
    assert not (missing - decoration(text)), f"lost: {missing - decoration(text)}"
    assert all(b.text == b.text.strip() and b.text for b in parsed.blocks)
