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
    kind: str  # "paragraph" | "subheading"
    text: str


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
    published: dt.date | None = None
    published_how: str = "unknown"  # explicit | inferred | given | unknown
    published_evidence: str = ""
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
            "blocks": [{"kind": b.kind, "text": b.text} for b in self.blocks],
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
