"""The one read behind every list of articles: the list page, its feeds and its exports.

A list URL's parameters become an ``ArticleFilter`` (``article_filter``); ``article_list``
gives its articles in the chosen order, ``list_count`` how many there are and ``list_facets``
what they are about. Counts, facets and the best-ranked ids of a search are cached per
archive version (``articles.caching``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import Substr

from ..caching import Key, lasting, remember
from ..filters import SORT_RELEVANCE, ArticleFilter
from ..models import Article, Person, Place, Section, Source
from ..models.articles import linked_to_all
from ..search import (
    RankedArticles,
    backends,
    count_matches,
    find_people,
    find_places,
    ranked_ids,
    snippets,
    suggest_names,
)
from ..search.names import correct_words, fold
from ..search.query import _WORD_RE, STOP_WORDS
from . import aggregates, rollups

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

    def ranked(start: int, stop: int) -> list[int]:
        few = _few_matches(filterset)
        candidates = None if few is None else [pk for pk, _ in few]
        return ranked_ids(
            queryset, query, start, stop, only_search=only_search, candidates=candidates
        )

    def rank(start: int, stop: int) -> list[int]:
        if stop > RANKED_CACHE:
            return ranked(start, stop)
        top = remember(Key.RANKED, filterset.signature, compute=lambda: ranked(0, RANKED_CACHE))
        return top[start:stop]

    return RankedArticles(queryset, query, rank=rank)


def _few_matches(filterset: ArticleFilter) -> list[tuple[int, object]] | None:
    """A search with no other filter and at most FACET_SAMPLE matches (by its count, which
    the page has asked for already): every match's (id, date), newest first, read once per
    request in one statement. Its facet sample, its year facet and its rank candidates are
    then these, instead of each being looked for among the newest stories (PostgreSQL: the id
    span, the planner's estimate and a window for each: 8 statements; SQLite: 3 for the
    sample). Most searches are for a name or a rare word. None otherwise."""
    if filterset.active or not filterset.search_query.has_positive:
        return None
    memo = filterset.__dict__
    if "_few_matches" not in memo:
        counted = list_count(filterset)
        few = None
        if counted is not None and not counted[1] and counted[0] <= aggregates.FACET_SAMPLE:
            few = list(filterset.qs.newest_first().values_list("id", "published"))
        memo["_few_matches"] = few
    return memo["_few_matches"]


def list_count(filterset: ArticleFilter) -> tuple[int, bool] | None:
    """(number of matching articles, whether it is capped): from stored counts where one
    filter alone is in use, else counted once per archive version; a search counts up to
    SEARCH_COUNT_CAP + 1. None for an invalid form."""
    if filterset.is_bound and not filterset.is_valid():
        return None
    if not filterset.search_query.is_empty:
        capped_count = _capped(
            Key.SEARCH_COUNT,
            filterset,
            lambda: count_matches(
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
    # Several filters: counted up to the cap as a search is (the intersection of a person
    # with Iran's 68,000 articles is not worth counting exactly on every import).
    capped_count = _capped(
        Key.COUNT, filterset, lambda: _counted(filterset)[: SEARCH_COUNT_CAP + 1].count()
    )
    return min(capped_count, SEARCH_COUNT_CAP), capped_count > SEARCH_COUNT_CAP


def _capped(name: Key, filterset: ArticleFilter, count: Callable[[], int]) -> int:
    """A list's count up to SEARCH_COUNT_CAP + 1, counted once per archive version; once over
    the cap, kept so across imports that only add stories (``caching.lasting``): new stories
    can add matches, never remove one, so "more than 10,000" stays true until stored articles
    are replaced or edited. The first search for a common word after an import then counts
    nothing ("prime" at 1M: 31 ms)."""
    return remember(
        name,
        filterset.signature,
        compute=lambda: lasting(
            Key.CAPPED,
            name.value,
            SEARCH_COUNT_CAP,
            filterset.signature,
            compute=count,
            keep=lambda found: found > SEARCH_COUNT_CAP,
        ),
    )


def _counted(filterset: ArticleFilter) -> QuerySet:
    """The filtered articles, unordered, to count. Only the ids are selected: the list's
    teaser (SUBSTR of the body) would be read for every row counted (97 -> 52 ms for a person
    and Iran on SQLite).

    People and places alone (no other filter, all of them required) are counted from their
    mention rows (``linked_to_all``): no article row is read. Otherwise, on SQLite, a person or
    place in 1% of the archive or more is an EXISTS probe per article (``Article.linked_to``:
    right for a page newest first, which stops after 20 rows), which a count would make for
    every article; all filters must hold, so the set is the same with the rarest entity also
    given as ``id IN (its mention rows)``: SQLite then walks that entity's articles only."""
    queryset = filterset.qs.order_by().values("pk")
    active = filterset.active
    entities = [v.kept() for n, _, v in active if n in ("person", "country", "place")]
    if not entities or (filterset.match_any and filterset.combines):
        return queryset
    if len(entities) == len(active) and filterset.search_query.is_empty:
        return linked_to_all(entities)
    if connection.vendor != "sqlite":
        return queryset
    return queryset.among_linked(min(entities, key=lambda e: e.article_count))


def list_facets(filterset: ArticleFilter) -> dict:
    """Sections, people, countries (over the newest FACET_SAMPLE matches) and years of a
    list, once per archive version. Years are exact (from the monthly counts where one
    person, place or section alone is the filter), except for a search or several filters
    with more than FACET_SAMPLE matches: then they are counted over the same sample, and
    ``years_sample`` says so."""
    key, filtered = filterset.signature, filterset.is_filtered
    found: list[list[int]] = []

    def sample() -> list[int]:  # the newest FACET_SAMPLE matches' ids, read once
        few = _few_matches(filterset)
        if not found and few is not None:
            found.append([pk for pk, _ in few][: aggregates.FACET_SAMPLE])
        if not found:
            only_search = not filterset.active and not filterset.search_query.is_empty
            found.append(
                aggregates.sample_ids(
                    filterset.qs, only_search=only_search, query=filterset.search_query
                )
            )
        return found[0]

    facets = remember(
        Key.FACETS,
        key,
        compute=lambda: aggregates.facets(
            sample() if filtered else filterset.qs, filtered=filtered
        ),
    )
    one = _one_entity(filterset)
    facets["years_sample"] = None
    if one is not False:  # the whole archive, or one person, place or section: stored counts
        years = lambda: rollups.years(one)  # noqa: E731
    elif _searched_or_crossed(filterset) and (
        (list_count(filterset) or (0, False))[0] > aggregates.FACET_SAMPLE
    ):
        facets["years_sample"] = aggregates.FACET_SAMPLE
        years = lambda: aggregates.facet_years(aggregates.sample_of(sample()))  # noqa: E731
    else:

        def years() -> list:
            few = _few_matches(filterset)
            if few is not None:  # every match's date is at hand
                return aggregates.years_of([day for _, day in few])
            return aggregates.facet_years(filterset.qs, filtered=filtered)

    facets["years"] = remember(Key.YEARS, key, facets["years_sample"], compute=years)
    return facets


def _searched_or_crossed(filterset: ArticleFilter) -> bool:
    """A search, or several filters at once: lists whose exact years cost a pass over every
    match (one filter alone has an index or the monthly counts)."""
    return not filterset.search_query.is_empty or len(filterset.active) > 1


def _one_entity(filterset: ArticleFilter) -> Person | Place | Section | None | bool:
    """The one person, place or section a list is filtered by (None: not filtered at all;
    False: anything else), whose monthly counts answer its year facet."""
    if not filterset.is_filtered:
        return None
    active = filterset.active
    if len(active) != 1 or not filterset.search_query.is_empty:
        return False
    ((name, _, value),) = active
    if name in ("person", "country", "place", "section") and isinstance(
        value, Person | Place | Section
    ):
        return value.kept() if hasattr(value, "kept") else value
    return False


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


def rank_sample_note(filterset: ArticleFilter, count: int) -> int | None:
    """How many of the newest matches a search sorted by relevance ranks, when it has more
    matches than that (older ones follow newest first: the page says so)."""
    ranked = filterset.current_sort == SORT_RELEVANCE and filterset.search_query.has_positive
    bound = backends.RANK_CANDIDATES
    return bound if ranked and count > bound else None


def page_snippets(article_ids: list[int], query) -> dict:
    """The excerpts of one page of search results (``search.snippets``: ts_headline re-reads
    each article's text), once per archive version, page and search."""
    ids = list(article_ids)
    return remember(Key.SNIPPETS, ids, query.raw, compute=lambda: snippets(ids, query))


def name_matches(query, limit: int = 3) -> tuple[list, list]:
    """People and places named like a search (page one's "Looking for ...?"), once per
    archive version and search."""
    return remember(
        Key.NAME_MATCHES,
        query.raw,
        limit,
        compute=lambda: (find_people(query.raw, limit), find_places(query.raw, limit)),
    )
