"""People, places and sections: an index of each, and a page per entity with its stories
(paginated), a coverage-over-time chart and what is most often mentioned with it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from .. import selectors
from ..models import Person, Place, Section
from ..search import find_people, find_places
from .pagination import KnownCountMixin, MissingPageMixin

LETTERS = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
ENTITY_PAGE_SIZE = 20


class EntityPageView(MissingPageMixin, KnownCountMixin, ListView):
    """The stories of one entity, newest first, with its chart and co-mentions.

    Subclasses say how to find the entity (``get_entity``).
    """

    paginate_by = ENTITY_PAGE_SIZE
    entity_name = "entity"

    def get(self, request, *args, **kwargs):
        self.entity = self.get_entity()
        kept = self.entity.kept() if hasattr(self.entity, "kept") else self.entity
        if kept.pk != self.entity.pk:
            # A merged name lives on as an alias of the person (or place) that was kept.
            return HttpResponsePermanentRedirect(kept.get_absolute_url())
        if getattr(self.entity, "is_entity", True) is False:
            raise Http404("Not an entity")
        return super().get(request, *args, **kwargs)

    def get_entity(self):
        raise NotImplementedError

    def get_queryset(self):
        return selectors.entity_articles(self.entity)

    def known_count(self):
        # No COUNT(*) over 680,000 rows per request: the importer's stored counts.
        return selectors.entity_size(self.entity), False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context[self.entity_name] = self.entity
        context["entity"] = self.entity
        context.update(selectors.entity_summary(self.entity))
        context["list_params"] = urlencode([entity_param(self.entity)])
        return context


def entity_param(entity) -> tuple[str, str]:
    """The list URL's parameter for an entity: ``person=slug``, ``country=BY``, ...."""
    if isinstance(entity, Section):
        return "section", entity.path
    if isinstance(entity, Person):
        return "person", entity.slug
    if entity.kind == Place.Kind.COUNTRY and entity.iso_code:
        return "country", entity.iso_code
    return "place", entity.slug


class PersonDetailView(EntityPageView):
    template_name = "articles/person_detail.html"
    entity_name = "person"

    def get_entity(self):
        return get_object_or_404(
            Person.objects.select_related("merged_into"), slug=self.kwargs["slug"]
        )


class PlaceDetailView(EntityPageView):
    template_name = "articles/place_detail.html"
    entity_name = "place"

    def get_entity(self):
        return get_object_or_404(
            Place.objects.select_related("merged_into", "country"), slug=self.kwargs["slug"]
        )


class SectionDetailView(EntityPageView):
    template_name = "articles/section_detail.html"
    entity_name = "section"

    def get_entity(self):
        path = self.kwargs["path"].strip("/")
        if "\x00" in path:  # no section has one, and PostgreSQL refuses NUL in a query
            raise Http404("No such section")
        return get_object_or_404(Section.objects.select_related("parent"), path=path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subsections"] = selectors.subsections(self.entity)
        context["section_trail"] = self.entity.trail()
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
        if self.letter:
            self.sort = "az"
        return selectors.people_index(letter=self.letter, alphabetical=self.sort == "az")

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
