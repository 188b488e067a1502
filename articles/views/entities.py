"""People, places and sections: an index of each, and a page per entity with its stories
(paginated), a coverage-over-time chart and what is most often mentioned with it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from .. import selectors
from ..caching import remember
from ..models import Article, ArticlePerson, ArticlePlace, Person, Place, Section
from ..search import find_people, find_places

LETTERS = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
ENTITY_PAGE_SIZE = 20


class EntityPageView(ListView):
    """The stories of one entity, newest first, with its chart and co-mentions.

    Subclasses say how to find the entity (``get_entity``) and its articles (``articles``).
    """

    paginate_by = ENTITY_PAGE_SIZE
    entity_name = "entity"

    def get(self, request, *args, **kwargs):
        self.entity = self.get_entity()
        kept = (
            selectors.kept_entity(self.entity)
            if hasattr(self.entity, "merged_into_id")
            else self.entity
        )
        if kept.pk != self.entity.pk:
            # A merged name lives on as an alias of the person (or place) that was kept.
            return HttpResponsePermanentRedirect(kept.get_absolute_url())
        if getattr(self.entity, "is_entity", True) is False:
            raise Http404("Not an entity")
        return super().get(request, *args, **kwargs)

    def get_entity(self):
        raise NotImplementedError

    def articles(self) -> QuerySet:
        raise NotImplementedError

    def article_ids(self) -> QuerySet:
        return self.articles().order_by().values("id")

    def get_queryset(self):
        return selectors.article_rows(self.articles()).order_by(*Article._meta.ordering)

    def stored_count(self) -> int:
        """The number of the entity's articles, from the importer's stored counts."""
        return self.entity.article_count

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        # Paginator.count is a cached_property: no COUNT(*) over 680,000 rows per request.
        paginator.count = self.stored_count()
        return paginator

    def remember(self, name: str, compute):
        """An aggregate of this entity's articles, computed once per archive version."""
        key = (type(self.entity).__name__, self.entity.pk)
        return remember(self.request, name, *key, compute=compute)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context[self.entity_name] = self.entity
        context["entity"] = self.entity
        person = self.entity if isinstance(self.entity, Person) else None
        place = self.entity if isinstance(self.entity, Place) else None
        context["coverage"] = self.remember(
            "coverage", lambda: selectors.coverage_series(self.articles())
        )
        context["co_people"] = self.remember(
            "co-people", lambda: selectors.co_mentioned_people(self.article_ids(), exclude=person)
        )
        context["co_places"] = self.remember(
            "co-places", lambda: selectors.co_mentioned_places(self.article_ids(), exclude=place)
        )
        return context


class PersonDetailView(EntityPageView):
    template_name = "articles/person_detail.html"
    entity_name = "person"

    def get_entity(self):
        return get_object_or_404(
            Person.objects.select_related("merged_into"), slug=self.kwargs["slug"]
        )

    def articles(self) -> QuerySet:
        return Article.objects.linked_to(self.entity)

    def article_ids(self) -> QuerySet:
        return ArticlePerson.objects.filter(person=self.entity).values("article_id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["roles"] = self.remember("roles", lambda: selectors.person_roles(self.entity))
        return context


class PlaceDetailView(EntityPageView):
    template_name = "articles/place_detail.html"
    entity_name = "place"

    def get_entity(self):
        return get_object_or_404(
            Place.objects.select_related("merged_into", "country"), slug=self.kwargs["slug"]
        )

    def articles(self) -> QuerySet:
        # A country's rows include the articles that name only one of its cities (via_city).
        return Article.objects.linked_to(self.entity)

    def article_ids(self) -> QuerySet:
        return ArticlePlace.objects.filter(place=self.entity).values("article_id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.entity.kind == Place.Kind.COUNTRY:
            context["cities"] = list(
                Place.objects.entities()
                .filter(country=self.entity, article_count__gt=0)
                .order_by("-article_count", "name")[:24]
            )
        return context


class SectionDetailView(EntityPageView):
    template_name = "articles/section_detail.html"
    entity_name = "section"

    def get_entity(self):
        path = self.kwargs["path"].strip("/")
        if "\x00" in path:  # no section has one, and PostgreSQL refuses NUL in a query
            raise Http404("No such section")
        return get_object_or_404(Section.objects.select_related("parent"), path=path)

    def articles(self) -> QuerySet:
        return Article.objects.in_section(self.entity)

    def stored_count(self) -> int:
        return selectors.section_size(self.entity)

    def get_context_data(self, **kwargs):
        from .articles import section_trail

        context = super().get_context_data(**kwargs)
        context["subsections"] = list(self.entity.children.order_by("name"))
        context["section_trail"] = section_trail(self.entity)
        return context


# --- indexes ----------------------------------------------------------------------------


class PersonListView(ListView):
    """``/people/``: most mentioned (default) or A–Z by first letter, or a name search."""

    template_name = "articles/person_list.html"
    paginate_by = 60
    context_object_name = "people"

    def get_queryset(self):
        self.q = self.request.GET.get("q", "").strip()[:100]
        self.sort = "az" if self.request.GET.get("sort") == "az" else "mentioned"
        letter = self.request.GET.get("letter", "").upper()
        self.letter = letter if letter in LETTERS else ""
        if self.q:
            return find_people(self.q, 50)
        people = Person.objects.entities().filter(article_count__gt=0)
        if self.letter:
            self.sort = "az"
            people = people.filter(name__istartswith=self.letter)
        if self.sort == "az":
            return people.order_by("name", "id")
        return people.order_by("-article_count", "name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(q=self.q, sort=self.sort, letter=self.letter, letters=LETTERS)
        return context


class PlaceListView(ListView):
    """``/places/``: countries by number of articles, each with its most covered cities; or a
    name search."""

    template_name = "articles/place_list.html"
    context_object_name = "countries"

    def get_queryset(self):
        self.q = self.request.GET.get("q", "").strip()[:100]
        if self.q:
            return []
        return selectors.countries_with_cities()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["q"] = self.q
        if self.q:
            context["matches"] = find_places(self.q, 50)
        return context


class SectionListView(ListView):
    """``/sections/``: the section tree with article counts."""

    template_name = "articles/section_list.html"
    context_object_name = "sections"

    def get_queryset(self):
        return selectors.section_tree()
