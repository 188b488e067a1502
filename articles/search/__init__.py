"""Full-text search over articles: one interface, a PostgreSQL and a SQLite implementation.

The user's query is parsed once, in Python, into a small tree (``ParsedQuery``): words,
"quoted phrases", ``OR`` between alternatives and ``-`` for exclusion, like a web search box.
Each database then gets the same tree in its own language, so both find the same articles:

- PostgreSQL: a combination of ``phraseto_tsquery('english', ...)`` per term (each one safe
  for any text), matched against the stored generated ``search_vector`` column (headline A,
  caption and subheadings B, body C; see migration 0002_search), ranked with ``ts_rank`` and
  highlighted with ``ts_headline``.
- SQLite: an FTS5 query over ``articles_article_fts`` built only from double-quoted strings,
  so no user input can make an FTS5 syntax error; ranked with ``bm25`` (column weights in the
  same proportion as PostgreSQL's A/B/C) and highlighted with ``snippet()``.

We build the PostgreSQL query from the tree instead of passing the text to
``websearch_to_tsquery`` because that function gives ``OR`` a lower precedence than ``AND``
(``iran oil OR gas`` would match any article about gas); here ``OR`` binds tighter, as readers
expect from web search.

Snippets are computed for one page of results at a time (one query), never for every match.
The article text is untrusted: snippets are HTML-escaped, and only our own ``<mark>`` tags are
live markup.
"""

from .backends import (
    RANK_CANDIDATES,
    RankedArticles,
    count_matches,
    ranked_ids,
    search_articles,
)
from .names import NameMatch, find_people, find_places, find_sections, suggest_names
from .query import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    MESSAGE_ONLY_STOP_WORDS,
    MESSAGE_TRUNCATED,
    STOP_WORDS,
    ParsedQuery,
    Term,
    parse_query,
)
from .schema import ensure_search_schema, repair_search_schema
from .snippets import Snippet, markup, snippets

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "MESSAGE_ONLY_STOP_WORDS",
    "MESSAGE_TRUNCATED",
    "RANK_CANDIDATES",
    "STOP_WORDS",
    "NameMatch",
    "ParsedQuery",
    "RankedArticles",
    "Snippet",
    "Term",
    "count_matches",
    "ensure_search_schema",
    "find_people",
    "find_places",
    "find_sections",
    "markup",
    "parse_query",
    "ranked_ids",
    "repair_search_schema",
    "search_articles",
    "snippets",
    "suggest_names",
]
