"""Home, the filtered article list, the article page and its original text."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.generic import DetailView, ListView, TemplateView

from .. import selectors
from ..caching import remember
from ..filters import SORT_CHOICES, ArticleFilter
from ..models import Article, Place
from ..search import find_people, find_places, snippets

LIST_PAGE_SIZE = 20


def most_mentioned_between(request, start, end) -> tuple[list, list]:
    """The people and the countries most mentioned between two dates, once per version."""
    return (
        remember(
            request,
            "top-people",
            start,
            end,
            compute=lambda: selectors.top_people_between(start, end),
        ),
        remember(
            request,
            "top-countries",
            start,
            end,
            compute=lambda: selectors.top_countries_between(start, end),
        ),
    )


class HomeView(TemplateView):
    """Latest stories, who and where the latest month was about, and the sections."""

    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = list(selectors.article_rows().order_by(*Article._meta.ordering)[:12])
        context["latest"] = latest
        # The newest article's month: no extra query, the list above is newest first.
        newest = next((a.published for a in latest if a.published), None)
        if newest:
            start, end = selectors.month_bounds(newest)
            context["month"] = start
            context["month_people_title"] = f"People in the news, {start:%B %Y}"
            context["month_countries_title"] = f"Countries in the news, {start:%B %Y}"
            people, countries = most_mentioned_between(self.request, start, end)
            context["month_people"], context["month_countries"] = people, countries
        context["sections"] = selectors.section_tree()
        return context


class ArticleListView(ListView):
    """``/articles/``: every filter of ``ArticleFilter``, facets, pagination, snippets.

    Invalid filter values are shown as messages beside the form, with status 400 and no
    results, never a 500.
    """

    template_name = "articles/article_list.html"
    paginate_by = LIST_PAGE_SIZE
    context_object_name = "articles"

    def get(self, request, *args, **kwargs):
        self.filterset = ArticleFilter(request.GET or None, queryset=selectors.article_rows())
        self.invalid = self.filterset.is_bound and not self.filterset.is_valid()
        response = super().get(request, *args, **kwargs)
        if self.invalid:
            response.status_code = 400
        return response

    def get_queryset(self):
        if self.invalid:
            return Article.objects.none()
        return self.filterset.results(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fs = self.filterset
        query = fs.search_query
        context.update(
            filter=fs,
            search_query=query,
            sort=fs.current_sort,
            sort_choices=SORT_CHOICES,
            active_filters=fs.active,
        )
        if self.invalid:
            return context
        articles = context["articles"]
        if query.has_positive:
            found = snippets([a.id for a in articles], query)
            for article in articles:
                article.snippet = found.get(article.id)
            if not context["page_obj"] or context["page_obj"].number == 1:
                context["people_matches"] = find_people(query.raw, 3)
                context["place_matches"] = find_places(query.raw, 3)
        key = fs.cache_key
        context["facets"] = remember(
            self.request,
            "facets",
            key,
            compute=lambda: selectors.facets(fs.qs, filtered=fs.is_filtered),
        )
        context["facets"]["years"] = remember(
            self.request,
            "years",
            key,
            compute=lambda: selectors.facet_years(fs.qs, filtered=fs.is_filtered),
        )
        paginator = context["paginator"]
        context["result_count"] = paginator.count if paginator else len(articles)
        context["count_capped"] = bool(paginator and getattr(paginator, "capped", False))
        context["facet_sample"] = (
            selectors.FACET_SAMPLE
            if fs.is_filtered and context["result_count"] > selectors.FACET_SAMPLE
            else None
        )
        return context

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if not self.invalid:
            known = self.filterset.known_count(self.request)
            if known is not None:
                # Paginator.count is a cached_property: give it the number we already have.
                paginator.count, paginator.capped = known
        return paginator


class ArticleDetailView(DetailView):
    """The article: section path, date and how it was found, caption, body, people and places,
    related stories. A wrong slug redirects to the right one."""

    queryset = Article.objects.select_related("section", "source")
    template_name = "articles/article_detail.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if kwargs.get("slug") != (self.object.slug or "-"):
            return HttpResponsePermanentRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        people = list(
            article.person_mentions.filter(person__is_entity=True)
            .select_related("person")
            .order_by("-mentions", "person__name")
        )
        places = list(
            article.place_mentions.filter(place__is_entity=True)
            .select_related("place")
            .order_by("via_city", "-mentions", "place__name")
        )
        countries = [m for m in places if m.place.kind == Place.Kind.COUNTRY]
        others = [m for m in places if m.place.kind != Place.Kind.COUNTRY]
        # "Belarus, through Minsk": a country linked only because a city of it is named.
        for m in countries:
            named = m.mentions > 0 and not m.via_city
            m.through = (
                [] if named else [o.place.name for o in others if o.place.country_id == m.place_id]
            )
        context.update(
            people=people,
            countries=countries,
            places=others,
            related=selectors.related_articles(
                article,
                person_ids=[m.person_id for m in people],
                place_ids=[m.place_id for m in places if m.mentions > 0],
            ),
            section_trail=section_trail(article.section),
        )
        return context


def section_trail(section) -> list[tuple[str, str]]:
    """(name, path) for each level of a section, from the stored path and display name."""
    if section is None:
        return []
    paths = section.path.split("/")
    names = section.names()
    if len(paths) != len(names):  # a name that contained " / ": show the section alone
        return [(section.full_name, section.path)]
    return [(name, "/".join(paths[: i + 1])) for i, name in enumerate(names)]


def article_original(request, pk: int, slug: str):
    """The article's text exactly as imported, as text/plain."""
    article = get_object_or_404(
        Article.objects.only("id", "slug", "original_text", "original_filename"), pk=pk
    )
    if slug != (article.slug or "-"):
        return HttpResponsePermanentRedirect(article.get_absolute_url() + "original.txt")
    response = HttpResponse(article.original_text, content_type="text/plain; charset=utf-8")
    filename = article.original_filename.replace("\\", "/").rsplit("/", 1)[-1] or "article.txt"
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response
