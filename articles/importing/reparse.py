"""The one re-parse path for a stored article: its original text parsed and extracted again,
with the checks an import makes (the size limit) and its stored source and section given as
the overrides. Used by ``manage.py reextract``, curation and the extraction evaluation."""

from __future__ import annotations

from ..ingest.pipeline import parse_decoded
from ..ingest.types import ParsedArticle
from ..models import Article

# A text that is not stored (a labelled file of the evaluation) takes the same path, with the
# overrides it is given.
reparse_text = parse_decoded


def reparse_article(article: Article) -> ParsedArticle:
    """``article``'s stored original text parsed and extracted again. The text is stored
    decoded, so it is not decoded again; the article's source and section override what the
    text says, as the overrides of its import did."""
    return parse_decoded(
        article.original_text,
        article.original_filename,
        encoding=article.original_encoding or "utf-8",
        source=article.source.name if article.source_id else None,
        section_path=article.section.names() if article.section_id else None,
    )
