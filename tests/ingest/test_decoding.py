"""decode_bytes: UTF-8 with or without BOM, UTF-16, legacy 8-bit text, newlines, binary, empty."""

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.ingest.reader import DecodeError, decode_bytes


def test_plain_utf8():
    assert decode_bytes("Kyiv – Zürich “quoted”\n".encode()) == (
        "Kyiv – Zürich “quoted”\n",
        "utf-8",
    )


def test_utf8_bom_is_removed():
    text, encoding = decode_bytes(codecs.BOM_UTF8 + b"Minsk talks\n")
    assert (text, encoding) == ("Minsk talks\n", "utf-8-sig")


def test_crlf_and_lone_cr_become_lf():
    text, _ = decode_bytes(b"Headline\r\n\r\nFirst paragraph.\rSecond line.\r\n")
    assert text == "Headline\n\nFirst paragraph.\nSecond line.\n"


def test_latin1_pound_sign_survives():
    text, encoding = decode_bytes(b"A \xa315.8m signing from Parma.\n")
    assert text == "A £15.8m signing from Parma.\n"
    assert encoding == "cp1252"


def test_cp1252_punctuation_is_decoded_as_cp1252():
    text, _ = decode_bytes(b"He said \x93no\x94 \x96 twice\x85\n")
    assert text == "He said “no” – twice…\n"


def test_every_legacy_byte_maps_to_exactly_one_character():
    # cp1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined: they must not be lost.
    data = b"Text " + bytes(range(0x80, 0x100))
    text, encoding = decode_bytes(data)
    assert encoding == "cp1252"
    assert len(text) == len(data)
    assert "\ufffd" not in text
    assert text[5 + 1] == "\x81"
    assert text[5 + 0x23] == "£"


def test_utf8_with_a_stray_legacy_byte_keeps_both():
    data = "Café in Zürich".encode() + b" \x93quoted\x94\n"
    text, encoding = decode_bytes(data)
    assert text == "Café in Zürich “quoted”\n"
    assert encoding == "utf-8+cp1252"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec):
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    text, encoding = decode_bytes(bom + "Tehran – Ankara\r\nÇ\n".encode(codec))
    assert text == "Tehran – Ankara\nÇ\n"
    assert encoding == "utf-16"


def test_utf16_without_bom_is_recognised():
    text, encoding = decode_bytes("Plain ASCII article text.\n".encode("utf-16-le"))
    assert text == "Plain ASCII article text.\n"
    assert encoding == "utf-16-le"


def test_binary_with_nul_runs_is_refused():
    png_like = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + b"x" * 200
    with pytest.raises(DecodeError, match=r"^binary file: contains NUL bytes$"):
        decode_bytes(png_like)


def test_binary_with_many_control_characters_is_refused():
    with pytest.raises(DecodeError, match=r"binary file: \d+% control characters"):
        decode_bytes(bytes(range(1, 32)) * 20 + b"some text")


def test_stray_nul_bytes_in_text_are_dropped_not_refused():
    # Real scrapes carry the odd NUL (and DOS EOF) byte; PostgreSQL text cannot hold NUL.
    data = b"A long enough article paragraph. " * 20 + b"\x00 \x1a\r\n"
    text, encoding = decode_bytes(data)
    assert "\x00" not in text
    assert text.startswith("A long enough article paragraph.")
    assert encoding == "utf-8"


@pytest.mark.parametrize("data", [b"", b"  \r\n\t\n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n"])
def test_empty_or_blank_files_are_refused(data):
    with pytest.raises(DecodeError, match=r"^empty file$"):
        decode_bytes(data)


@given(st.binary(max_size=300))
def test_any_bytes_decode_or_raise_decode_error(data):
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        assert str(exc)
        return
    assert text.strip()
    assert "\r" not in text
    assert "\x00" not in text
    assert encoding


@given(
    st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1).filter(
        lambda s: s.removeprefix("\ufeff").strip()
    )
)
def test_utf8_text_round_trips(text):
    decoded, encoding = decode_bytes(text.encode("utf-8"))
    assert decoded == text.removeprefix("\ufeff")
    assert encoding in ("utf-8", "utf-8-sig")
