"""Bytes to text without losing a character.

``decode_bytes``: UTF-8 with or without BOM, UTF-16/32 with a BOM (and UTF-16
without one when its byte pattern is unmistakable), else legacy 8-bit text as cp1252 with
the five bytes cp1252 leaves undefined taken as Latin-1, so no byte is lost. Stray
UTF-8-invalid bytes inside otherwise UTF-8 text are decoded as cp1252 too ("utf-8+cp1252").
Line endings are normalised to ``\\n``. Isolated NUL bytes (padding seen in real scrapes)
are dropped because PostgreSQL text cannot store them; anything that looks binary (runs of
NUL bytes, many NULs or a high share of control characters) is refused with
:class:`DecodeError`.
"""

from __future__ import annotations

import codecs


class DecodeError(ValueError):
    """The bytes are not text we can read (binary, empty, or broken beyond repair)."""


# --------------------------------------------------------------------------- decoding

# Bytes cp1252 leaves undefined are taken as Latin-1 (the C1 control of the same number), so
# every byte maps to exactly one character and nothing is lost.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


def _cp1252_latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "".join(chr(b) for b in exc.object[exc.start : exc.end]), exc.end


def _utf8_cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return bad.decode("cp1252", errors="newsarchive-latin1"), exc.end


codecs.register_error("newsarchive-latin1", _cp1252_latin1_fallback)
codecs.register_error("newsarchive-cp1252", _utf8_cp1252_fallback)

# C0 controls other than tab, LF, VT, FF, CR and the DOS end-of-file mark (0x1A), plus DEL.
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 26), *range(27, 32), 127])
BINARY_SAMPLE_BYTES = 64 * 1024
MAX_CONTROL_SHARE = 0.05
MAX_NUL_SHARE = 0.01

ERR_EMPTY = "empty file"
ERR_NUL = "binary file: contains NUL bytes"


def _looks_like_bomless_utf16(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when NULs sit on one parity only, like ASCII in UTF-16."""
    sample = data[:BINARY_SAMPLE_BYTES]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.9 * half and even == 0:
        return "utf-16-le"
    if even > 0.9 * half and odd == 0:
        return "utf-16-be"
    return None


def _check_binary(data: bytes) -> None:
    sample = data[:BINARY_SAMPLE_BYTES]
    nuls = sample.count(0)
    if nuls and (b"\x00\x00" in sample or nuls > MAX_NUL_SHARE * len(sample)):
        raise DecodeError(ERR_NUL)
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > MAX_CONTROL_SHARE * len(sample):
        share = 100 * controls / len(sample)
        raise DecodeError(f"binary file: {share:.0f}% control characters")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; return ``(text, encoding)``. Raises :class:`DecodeError`.

    Newlines come back as ``\\n``; see the module docstring for the encodings tried.
    """
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError:
            text, encoding = data[3:].decode("utf-8", errors="newsarchive-cp1252"), "utf-8+cp1252"
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        text, encoding = _decode_strict(data, "utf-32")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _decode_strict(data, "utf-16")
    elif bomless := _looks_like_bomless_utf16(data):
        text, encoding = _decode_strict(data, bomless)
    else:
        _check_binary(data)
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            legacy = data.decode("cp1252", errors="newsarchive-latin1")
            mixed = data.decode("utf-8", errors="newsarchive-cp1252")
            # Equal unless the bytes also hold valid multi-byte UTF-8 sequences: then the
            # file is UTF-8 with a few stray legacy bytes and the mixed reading is right.
            text, encoding = (legacy, "cp1252") if mixed == legacy else (mixed, "utf-8+cp1252")
    if "\x00" in text:
        text = text.replace("\x00", "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DecodeError(ERR_EMPTY)
    return text, encoding


def decodes_as_is(data: bytes) -> bool:
    """True when :func:`decode_bytes` gives ``data`` back unchanged as its text (or refuses it
    as blank): valid UTF-8 with no BOM, CR or NUL that does not look binary. Such bytes are
    their text's UTF-8, so the text's content hash is the bytes' (the importer hashes the
    files it may know already without decoding them)."""
    if data.startswith(codecs.BOM_UTF8) or b"\r" in data or b"\x00" in data:
        return False
    try:
        _check_binary(data)
        if not data.isascii():
            data.decode("utf-8")  # only to check it: the parser decodes what is new
    except (DecodeError, UnicodeDecodeError):
        return False
    return True


def _decode_strict(data: bytes, encoding: str) -> tuple[str, str]:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"invalid {encoding.upper()} text: {exc.reason}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    controls = sum(1 for ch in text[:BINARY_SAMPLE_BYTES] if ch < " " and ch not in "\t\n\r\f\v")
    if controls > MAX_CONTROL_SHARE * max(len(text[:BINARY_SAMPLE_BYTES]), 1):
        raise DecodeError(f"binary file: {encoding.upper()} text with control characters")
    return text, encoding
