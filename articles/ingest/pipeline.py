"""Bytes -> ParsedArticle (stub; the ingest helper replaces this module).

Contract:
    parse_raw(raw: RawFile, *, source: str | None = None,
              section_path: list[str] | None = None) -> ParsedArticle
decodes, parses and extracts entities; never raises: on failure the returned ParsedArticle
has ``error`` set to a clear one-line message.
"""
