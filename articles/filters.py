"""The article list's filters, shared by the list page, its feeds and its exports
(``selectors.article_filter``): declarations only; each filter calls a queryset method.

Every filter combines with every other. Each entity filter looks its row up once (one query),
so the page can name it ("Person: Vladimir Putin") and an unknown value is a form error shown
on the page, not an empty list that looks like a real answer.
"""

from __future__ import annotations

import re
from functools import cached_property

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from .models import Article, Person, Place, Section, Source
from .search import MAX_QUERY_LENGTH, ParsedQuery, parse_query, search_articles

SORT_NEWEST, SORT_OLDEST, SORT_RELEVANCE = "newest", "oldest", "relevance"
SORT_CHOICES = [
    (SORT_NEWEST, "Newest first"),
    (SORT_OLDEST, "Oldest first"),
    (SORT_RELEVANCE, "Best match"),
]
DATE_FORMATS = ["%Y-%m-%d"]

ERROR_SECTION = "There is no section “%(value)s”."
ERROR_PERSON = "There is no person “%(value)s”."
ERROR_COUNTRY_FORMAT = "A country is a two-letter ISO code, such as BY or IR."
ERROR_COUNTRY = "No article is linked to a country with the code “%(value)s”."
ERROR_PLACE = "There is no place “%(value)s”."
ERROR_SOURCE = "There is no source “%(value)s”."
ERROR_DATE = "Enter a date as YYYY-MM-DD."
ERROR_DATE_ORDER = "The start date is after the end date."


class SlugChoiceField(forms.ModelChoiceField):
    """A row chosen by slug (or another unique field), with a readable error."""

    def __init__(self, *args, error: str, **kwargs):
        kwargs.setdefault("error_messages", {})["invalid_choice"] = error
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        # Keep only what a slug or path can hold before it reaches the database.
        if isinstance(value, str) and len(value) > 600:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value[:40] + "…"},
            )
        return super().to_python(value)


class CountryField(SlugChoiceField):
    """A country by ISO 3166-1 alpha-2 code, in any case."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", value):
            raise ValidationError(ERROR_COUNTRY_FORMAT, code="invalid")
        return super().to_python(value)


class SlugFilter(django_filters.ModelChoiceFilter):
    field_class = SlugChoiceField


class CountryFilter(django_filters.ModelChoiceFilter):
    field_class = CountryField


class ArticleFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", ERROR_DATE_ORDER)
        return cleaned


class ArticleFilter(django_filters.FilterSet):
    """Filters of ``/articles/`` (and of its feeds and exports); see docs/browse.md."""

    q = django_filters.CharFilter(
        label="Search",
        method="filter_q",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": 'Words, "a phrase", -not'}),
    )
    section = SlugFilter(
        label="Section",
        queryset=Section.objects.all(),
        to_field_name="path",
        method="filter_section",
        error=ERROR_SECTION,
        widget=forms.HiddenInput,
    )
    person = SlugFilter(
        label="Person",
        queryset=Person.objects.select_related("merged_into"),
        to_field_name="slug",
        method="filter_person",
        error=ERROR_PERSON,
        widget=forms.HiddenInput,
    )
    country = CountryFilter(
        label="Country",
        queryset=Place.objects.filter(kind=Place.Kind.COUNTRY),
        to_field_name="iso_code",
        method="filter_place",
        error=ERROR_COUNTRY,
        widget=forms.HiddenInput,
    )
    place = SlugFilter(
        label="Place",
        queryset=Place.objects.select_related("merged_into"),
        to_field_name="slug",
        method="filter_place",
        error=ERROR_PLACE,
        widget=forms.HiddenInput,
    )
    source = SlugFilter(
        label="Source",
        queryset=Source.objects.all(),
        to_field_name="slug",
        method="filter_source",
        error=ERROR_SOURCE,
        widget=forms.HiddenInput,
    )
    date_from = django_filters.DateFilter(
        label="From",
        field_name="published",
        lookup_expr="gte",
        input_formats=DATE_FORMATS,
        error_messages={"invalid": ERROR_DATE},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = django_filters.DateFilter(
        label="To",
        field_name="published",
        lookup_expr="lte",
        input_formats=DATE_FORMATS,
        error_messages={"invalid": ERROR_DATE},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sort = django_filters.ChoiceFilter(
        label="Sort",
        choices=SORT_CHOICES,
        method="filter_nothing",
        empty_label=None,
        null_label=None,
    )

    class Meta:
        model = Article
        fields: list[str] = []
        form = ArticleFilterForm

    @cached_property
    def search_query(self) -> ParsedQuery:
        """The parsed ``q`` (empty when there is none or the form is invalid)."""
        valid = self.is_bound and self.is_valid()
        return parse_query(self.form.cleaned_data.get("q") if valid else "")

    # --- filters --------------------------------------------------------------------

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if self.search_query.is_empty:
            return queryset  # blank or only stop words: the page says so, nothing is hidden
        return search_articles(queryset, self.search_query)

    def filter_section(self, queryset: QuerySet, name: str, value: Section) -> QuerySet:
        return queryset.in_section(value)

    def filter_person(self, queryset: QuerySet, name: str, value: Person) -> QuerySet:
        return queryset.linked_to(value.kept())

    def filter_place(self, queryset: QuerySet, name: str, value: Place) -> QuerySet:
        # A city's country is linked to the article too (via_city), so one row covers both.
        return queryset.linked_to(value.kept())

    def filter_source(self, queryset: QuerySet, name: str, value: Source) -> QuerySet:
        return queryset.filter(source=value)

    def filter_nothing(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset  # ``sort`` is applied last, in ``filter_queryset``

    # --- the whole set --------------------------------------------------------------

    @property
    def is_searching(self) -> bool:
        return self.search_query.has_positive

    @property
    def current_sort(self) -> str:
        chosen = self.form.cleaned_data.get("sort") if self.is_bound and self.is_valid() else ""
        if chosen == SORT_RELEVANCE and not self.is_searching:
            return SORT_NEWEST
        return chosen or (SORT_RELEVANCE if self.is_searching else SORT_NEWEST)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        # Relevance order is the ranked read's (``selectors.article_list``); as a plain
        # queryset (feeds, exports, facets) a search is newest first.
        if self.current_sort == SORT_OLDEST:
            return queryset.oldest_first()
        return queryset.newest_first()

    @property
    def active(self) -> list[tuple[str, str, object]]:
        """The filters in use, as (parameter, label, value) for the page's "remove" links."""
        if not (self.is_bound and self.is_valid()):
            return []
        out = []
        for name in ("section", "person", "country", "place", "source", "date_from", "date_to"):
            value = self.form.cleaned_data.get(name)
            if value:
                out.append((name, self.filters[name].label, value))
        return out

    @cached_property
    def signature(self) -> tuple:
        """What the matching articles depend on (not their order), e.g. to key cached facets
        and counts: entities by primary key, the search as typed."""
        if not (self.is_bound and self.is_valid()):
            return ()
        data = self.form.cleaned_data
        return (
            (data.get("q") or "").strip(),
            *((name, getattr(value, "pk", value)) for name, _, value in self.active),
        )

    @property
    def is_filtered(self) -> bool:
        """True when any filter or search narrows the list (the unfiltered list can use stored
        counts for its facets)."""
        return bool(self.active) or not self.search_query.is_empty
