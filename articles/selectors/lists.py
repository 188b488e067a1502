"""The one read behind every list of articles: the list page, its feeds and its exports.

A list URL's parameters become an ``ArticleFilter`` (``article_filter``); ``article_list``
gives its articles in the chosen order, ``list_count`` how many there are and ``list_facets``
what they are about. Counts, facets and the best-ranked ids of a search are cached per
archive version (``articles.caching``).
"""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.db.models.functions import Substr

from ..caching import Key, remember
from ..filters import SORT_RELEVANCE, ArticleFilter
from ..models import Article, Section, Source
from ..search import RankedArticles, count_matches, ranked_ids, suggest_names
from ..search.names import correct_words, fold
from ..search.query import _WORD_RE, STOP_WORDS
from . import aggregates

# A search counts its matches up to here and then says "more than 10,000": counting all
# 100,000 articles that contain a common word costs seconds at a million articles.
SEARCH_COUNT_CAP = 10_000
# Ranking every match of a common word costs the same for 20 ids as for 200: the first ten
# pages of a search are ranked once per archive version.
RANKED_CACHE = 200


# Did-you-mean corrects words against the words of the newest VOCABULARY_SAMPLE stories'
# headlines and first paragraphs: the archive's own words, at a fixed cost.
VOCABULARY_SAMPLE = 2000
# How much of the body a list reads for a story's summary (its first paragraph, shortened).
TEASER_CHARS = 400


def with_teaser(queryset: QuerySet) -> QuerySet:
    """Articles as lists show them, with ``teaser``: the start of the body, whose first
    paragraph is the story's summary (a caption describes a photo, not the story)."""
    return queryset.for_lists().annotate(teaser=Substr("body_text", 1, TEASER_CHARS))


def article_filter(params) -> ArticleFilter:
    """The filters of a list URL (``request.GET``) over the articles as lists show them."""
    return ArticleFilter(params or None, queryset=with_teaser(Article.objects.all()))


def article_list(filterset: ArticleFilter, *, ranked: bool = True) -> QuerySet | RankedArticles:
    """The filtered articles in the chosen order, ready to paginate or stream.

    A search sorted by relevance is ranked (``ranked``: the list page); feeds and exports ask
    for the plain queryset, newest (or oldest) first.
    """
    if not (ranked and filterset.current_sort == SORT_RELEVANCE):
        return filterset.qs
    queryset, query = filterset.qs, filterset.search_query
    only_search = not filterset.active

    def rank(start: int, stop: int) -> list[int]:
        if stop > RANKED_CACHE:
            return ranked_ids(queryset, query, start, stop, only_search=only_search)
        top = remember(
            Key.RANKED,
            filterset.signature,
            compute=lambda: ranked_ids(queryset, query, 0, RANKED_CACHE, only_search=only_search),
        )
        return top[start:stop]

    return RankedArticles(queryset, query, rank=rank)


def list_count(filterset: ArticleFilter) -> tuple[int, bool] | None:
    """(number of matching articles, whether it is capped): from stored counts where one
    filter alone is in use, else counted once per archive version; a search counts up to
    SEARCH_COUNT_CAP + 1. None for an invalid form."""
    if filterset.is_bound and not filterset.is_valid():
        return None
    if not filterset.search_query.is_empty:
        capped_count = remember(
            Key.SEARCH_COUNT,
            filterset.signature,
            compute=lambda: count_matches(
                filterset.qs,
                filterset.search_query,
                only_search=not filterset.active,
                cap=SEARCH_COUNT_CAP + 1,
            ),
        )
        return min(capped_count, SEARCH_COUNT_CAP), capped_count > SEARCH_COUNT_CAP
    active = [(name, value) for name, _, value in filterset.active]
    if not active:
        return Source.objects.total_articles(), False
    if len(active) == 1:
        ((name, value),) = active
        if name in ("person", "country", "place"):
            return value.kept().article_count, False
        if name == "source":
            return value.article_count, False
        if name == "section":
            return Section.objects.subtree_total(value), False
    return remember(Key.COUNT, filterset.signature, compute=filterset.qs.count), False


def list_facets(filterset: ArticleFilter) -> dict[str, list[aggregates.FacetItem]]:
    """Sections, people, countries (over the newest FACET_SAMPLE matches) and years (exact)
    of a list, once per archive version."""
    key, filtered = filterset.signature, filterset.is_filtered
    facets = remember(
        Key.FACETS, key, compute=lambda: aggregates.facets(filterset.qs, filtered=filtered)
    )
    facets["years"] = remember(
        Key.YEARS, key, compute=lambda: aggregates.facet_years(filterset.qs, filtered=filtered)
    )
    return facets


def facet_sample_note(filterset: ArticleFilter, count: int) -> int | None:
    """The sample size the facets were counted over, when there are more matches than that."""
    sample = aggregates.FACET_SAMPLE
    return sample if filterset.is_filtered and count > sample else None


def archive_vocabulary() -> dict[str, tuple[int, str]]:
    """Words of the newest VOCABULARY_SAMPLE headlines and summaries: folded word ->
    (how often, as first written). One query."""
    rows = (
        with_teaser(Article.objects.all())
        .newest_first()
        .values_list("headline", "teaser")[:VOCABULARY_SAMPLE]
    )
    words: dict[str, tuple[int, str]] = {}
    for headline, teaser in rows:
        for written in _WORD_RE.findall(f"{headline} {teaser or ''}"):
            if len(written) < 3 or written.isdigit():
                continue
            key = fold(written)
            count, first = words.get(key, (0, written))
            words[key] = (count + 1, first)
    return words


def did_you_mean(filterset: ArticleFilter) -> dict:
    """For a search with no results: names like what was typed (people, places, sections) and
    the search with its unknown words corrected from the archive's own words ("" if none).
    Four queries."""
    query = filterset.search_query
    names = suggest_names(query.display, 3)
    typed = [w for w in _WORD_RE.findall(query.display) if w.lower() not in STOP_WORDS]
    corrections = correct_words(typed, archive_vocabulary()) if typed else {}
    corrected = query.display
    for wrong, right in corrections.items():
        corrected = re.sub(rf"(?<!\w){re.escape(wrong)}(?!\w)", right, corrected)
    return {"names": names, "query": corrected if corrections else ""}
