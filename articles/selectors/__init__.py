"""The read layer: every query behind a page, feed or export, and the only caller of caching.

- ``lists``: the list page, its feeds and exports (filters, order, counts, facets);
- ``pages``: the home page, the article page, entity pages, the date archive;
- ``aggregates``: the uncached queries they are built from (facets, coverage, co-mentions,
  related stories).

Row filters themselves are queryset methods (``articles.models``); views call these
functions and never build queries.
"""

from .aggregates import (
    FACET_SAMPLE,
    RELATED_CANDIDATES,
    FacetItem,
    MonthCount,
    SectionNode,
    co_mentioned_people,
    co_mentioned_places,
    countries_with_cities,
    coverage_series,
    facet_years,
    facets,
    month_bounds,
    person_roles,
    related_articles,
    section_tree,
    top_countries_between,
    top_people_between,
)
from .lists import (
    SEARCH_COUNT_CAP,
    archive_vocabulary,
    article_filter,
    article_list,
    did_you_mean,
    facet_sample_note,
    list_count,
    list_facets,
    rank_sample_note,
)
from .pages import (
    ArticleEntities,
    archive_articles,
    archive_years,
    article_entities,
    entity_articles,
    entity_size,
    entity_summary,
    home_page,
    most_mentioned_between,
    people_index,
    subsections,
    year_coverage,
)

__all__ = [
    "FACET_SAMPLE",
    "RELATED_CANDIDATES",
    "SEARCH_COUNT_CAP",
    "ArticleEntities",
    "FacetItem",
    "MonthCount",
    "SectionNode",
    "archive_articles",
    "archive_vocabulary",
    "archive_years",
    "article_entities",
    "article_filter",
    "article_list",
    "co_mentioned_people",
    "co_mentioned_places",
    "countries_with_cities",
    "coverage_series",
    "did_you_mean",
    "entity_articles",
    "entity_size",
    "entity_summary",
    "facet_sample_note",
    "facet_years",
    "facets",
    "home_page",
    "list_count",
    "list_facets",
    "month_bounds",
    "most_mentioned_between",
    "people_index",
    "person_roles",
    "rank_sample_note",
    "related_articles",
    "section_tree",
    "subsections",
    "top_countries_between",
    "top_people_between",
    "year_coverage",
]
