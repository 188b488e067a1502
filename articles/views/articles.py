"""Home, the filtered article list, the article page and its original text."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header
from django.views.generic import DetailView, ListView, TemplateView

from .. import selectors
from ..filters import SORT_CHOICES
from ..models import Article
from ..search import suggest_names
from ..search.backends import LazyRows
from .pagination import KnownCountMixin, MissingPageMixin
from .titles import list_heading, list_title

LIST_PAGE_SIZE = 20


class HomeView(TemplateView):
    """Latest stories, who and where the latest month was about, and the sections."""

    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.home_page())
        if since := context.get("since"):
            period = f"{since:%B %Y}"
            if (newest := context["month"]) != since:
                period = f"{since:%B %Y} to {newest:%B %Y}"
            context["month_people_title"] = f"People in the news, {period}"
            context["month_countries_title"] = f"Countries in the news, {period}"
        return context


class ArticleListView(MissingPageMixin, KnownCountMixin, ListView):
    """``/articles/``: every filter of ``ArticleFilter``, facets, pagination, snippets.

    Invalid filter values are shown as messages beside the form, with status 400 and no
    results, never a 500.
    """

    template_name = "articles/article_list.html"
    paginate_by = LIST_PAGE_SIZE
    context_object_name = "articles"

    def get(self, request, *args, **kwargs):
        if request.GET.get("add", "").strip():
            return self.add_name(request)
        self.filterset = selectors.article_filter(request.GET)
        self.invalid = self.filterset.is_bound and not self.filterset.is_valid()
        response = super().get(request, *args, **kwargs)
        if self.invalid:
            response.status_code = 400
        return response

    def add_name(self, request):
        """The filter form's "add a person, place or section" box without JavaScript: the
        closest name joins the filters (the type-ahead offers the same names as you type)."""
        params = request.GET.copy()
        typed = params.pop("add", [""])[-1].strip()[:100]
        params.pop("page", None)
        found = suggest_names(typed, 1) if typed else []
        if found:
            match = found[0]
            if match.value.lower() not in {v.lower() for v in params.getlist(match.param)}:
                params.appendlist(match.param, match.value)
        elif typed:
            params["not_found"] = typed
        return HttpResponseRedirect(request.path + ("?" + params.urlencode() if params else ""))

    def get_queryset(self):
        if self.invalid:
            return Article.objects.none()
        return selectors.article_list(self.filterset)

    def known_count(self):
        return None if self.invalid else selectors.list_count(self.filterset)

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
            chosen=fs.chosen,
            combines=fs.combines,
            match_any=fs.match_any,
            page_title=list_title(fs),
            heading=list_heading(fs),
            not_found=self.request.GET.get("not_found", "")[:100],
            canonical_query=canonical_query(self.request.GET),
        )
        if self.invalid:
            return context
        articles = context["articles"]
        if query.has_positive:
            # Read with the rows, when the list of stories is rendered: not at all when it
            # comes from the fragment cache.
            context["articles"] = LazyRows(lambda: with_snippets(articles, query))
            if context["page_obj"] is None or context["page_obj"].number == 1:
                people, places = selectors.name_matches(query, 3)
                context["people_matches"], context["place_matches"] = people, places
        # Read when the facets are rendered: not at all when their fragment is cached.
        context["facets"] = SimpleLazyObject(lambda: selectors.list_facets(fs))
        paginator = context["paginator"]
        context["result_count"] = paginator.count if paginator else len(articles)
        context["count_capped"] = bool(paginator and getattr(paginator, "capped", False))
        context["facet_sample"] = selectors.facet_sample_note(fs, context["result_count"])
        if not context["result_count"] and query.has_positive:
            # Did you mean: the archive's own names closest to what was typed.
            found = selectors.did_you_mean(fs)
            context["suggestions"], context["corrected_query"] = found["names"], found["query"]
        context["rank_sample"] = selectors.rank_sample_note(fs, context["result_count"])
        return context


class ArticleDetailView(DetailView):
    """The article: section path, date and how it was found, caption, body, people and places,
    related stories. A wrong slug redirects to the right one."""

    # Everything the page shows; the original text is its own page (``article_original``).
    queryset = Article.objects.select_related("section", "source").defer("original_text")
    template_name = "articles/article_detail.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if kwargs.get("slug") != (self.object.slug or "-"):
            return HttpResponsePermanentRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entities = selectors.article_entities(self.object)
        context.update(
            people=entities.people,
            countries=entities.countries,
            places=entities.places,
            related=entities.related,
            section_trail=self.object.section.trail() if self.object.section else [],
        )
        return context


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


def with_snippets(articles, query) -> list[Article]:
    """The page's articles, each with ``snippet``: its excerpt around the words searched."""
    listed = list(articles)
    found = selectors.page_snippets([a.id for a in listed], query)
    for article in listed:
        article.snippet = found.get(article.id)
    return listed


def canonical_query(params) -> str:
    """The list URL's query as its canonical address keeps it: the filters and the search, not
    the page, the order or the form's helpers."""
    kept = params.copy()
    for name in ("page", "sort", "add", "not_found"):
        kept.pop(name, None)
    return "?" + kept.urlencode() if kept else ""
