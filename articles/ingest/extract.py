"""People and places extraction (stub; the extraction issue replaces this module).

Contract: ``extract_entities(parsed)`` fills ``parsed.people`` and ``parsed.places`` in place
from the parsed article's headline, caption and blocks. Pure Python, no Django, no model.
"""

from __future__ import annotations

from .types import ParsedArticle


def extract_entities(parsed: ParsedArticle) -> None:
    parsed.people = []
    parsed.places = []
