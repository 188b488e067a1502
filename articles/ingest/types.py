"""Plain data passed between the reader, parser, extractor and importer. No Django here."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field


@dataclass(slots=True)
class RawFile:
    """One input file as the reader found it: its name and bytes, or why it can't be read.

    ``name`` is the path shown to users and stored on the article: relative to the folder or
    archive given on the command line, including that folder's or archive's own name
    (``bbc/sport/199.txt``, ``upload.zip/a/001.txt``).
    """

    name: str
    data: bytes | None = None
    error: str | None = None
    # Set instead of ``data`` by a caller that has decoded the bytes already (the importer,
    # to hash them), so the parser does not decode them a second time.
    text: str | None = None
    encoding: str = ""


@dataclass(slots=True)
class Block:
    kind: str  # "paragraph" | "subheading" | "table"
    text: str  # a table keeps its lines ("\n") and the spaces that align its columns
    indent: int = 0  # a table's first line: spaces before it, lost to the strip of ``text``


@dataclass(slots=True)
class Removed:
    """Text the parser took out of the headline or body, verbatim, and why: ``sign-off``,
    ``ticker``, ``markup`` (brackets of a company tag), ``headline-repeat`` or a debris kind
    (articles/data/debris.txt). The stored original keeps it."""

    kind: str
    text: str


def block_dict(block: Block) -> dict:
    """A block as stored in ``Article.body``: the indent only where there is one."""
    out = {"kind": block.kind, "text": block.text}
    if block.indent:
        out["indent"] = block.indent
    return out


@dataclass(slots=True)
class PersonMention:
    name: str
    mentions: int
    role: str = ""
    aliases: list[str] = field(default_factory=list)  # surname-only forms seen in the text


@dataclass(slots=True)
class PlaceMention:
    name: str
    kind: str  # "country" | "city" | "region"
    country_code: str  # ISO 3166-1 alpha-2 ("" if unknown)
    mentions: int
    geonames_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None


@dataclass(slots=True)
class ParsedArticle:
    file: str
    text: str  # the decoded original text, kept verbatim
    encoding: str = "utf-8"
    source: str = ""
    section_path: list[str] = field(default_factory=list)
    headline: str = ""
    caption: str = ""
    caption_credit: str = ""
    blocks: list[Block] = field(default_factory=list)
    footer: str = ""  # removed site footer, verbatim
    layout: str = ""  # native | body-only | plain | wire | web
    removed: list[Removed] = field(default_factory=list)
    tickers: list[str] = field(default_factory=list)  # "SRD", "RTRS.L", in order of mention
    dateline: str = ""  # "WASHINGTON, March 2", as written (it stays in its paragraph)
    dateline_place: str = ""  # "Washington": counts among the story's places
    published: dt.date | None = None
    published_how: str = "unknown"  # explicit | inferred | given | unknown
    published_evidence: str = ""  # the words the date rests on (and the period, if used)
    people: list[PersonMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    error: str | None = None

    def to_json_dict(self) -> dict:
        """The shape printed by ``parse_article --json``."""
        return {
            "file": self.file,
            "source": self.source,
            "section_path": list(self.section_path),
            "headline": self.headline,
            "caption": self.caption,
            "caption_credit": self.caption_credit,
            "published": self.published.isoformat() if self.published else None,
            "published_how": self.published_how,
            "published_evidence": self.published_evidence,
            "layout": self.layout,
            "dateline": self.dateline,
            "dateline_place": self.dateline_place,
            "tickers": list(self.tickers),
            "blocks": [block_dict(b) for b in self.blocks],
            "removed": [{"kind": r.kind, "text": r.text} for r in self.removed],
            "people": [
                {"name": p.name, "mentions": p.mentions, "role": p.role} for p in self.people
            ],
            "places": [
                {
                    "name": p.name,
                    "kind": p.kind,
                    "country_code": p.country_code,
                    "mentions": p.mentions,
                }
                for p in self.places
            ],
            **({"error": self.error} if self.error else {}),
        }

    def as_dict(self) -> dict:
        return asdict(self)
