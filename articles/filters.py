"""The article list's filters, shared by the list page, its feeds and its exports
(``selectors.article_filter``): declarations only; each filter calls a queryset method.

Every filter combines with every other. A facet may take several values (``?person=a&person=b``):
stories with all of them (AND), or with any of them when ``match=any`` (OR); a story has one
section and one source, so several of those always mean any of them. Each entity filter looks
its rows up once (one query), so the page can name them ("Person: Vladimir Putin") and an
unknown value is a form error shown on the page, not an empty list that looks like a real answer.
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

MATCH_ALL, MATCH_ANY = "all", "any"
MATCH_CHOICES = [(MATCH_ALL, "All of them"), (MATCH_ANY, "Any of them")]
# Parameters that name rows, in the order the page lists them; several values each.
ENTITY_PARAMS = ("section", "person", "country", "place", "source")
MAX_VALUES = 10

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
ERROR_TOO_MANY = f"Choose at most {MAX_VALUES} values of one filter."
ERROR_DATE = "Enter a date as YYYY-MM-DD."
ERROR_DATE_ORDER = "The start date is after the end date."


def _short(value) -> str:
    value = str(value)
    return value[:40] + "…" if len(value) > 40 else value


class SlugChoiceField(forms.ModelMultipleChoiceField):
    """Rows chosen by slug (or another unique field), several at most, with a readable error
    naming the value that matched nothing. Order and duplicates of the URL are kept out."""

    def __init__(self, *args, error: str, **kwargs):
        kwargs.setdefault("error_messages", {})["invalid_choice"] = error
        kwargs["required"] = False
        super().__init__(*args, **kwargs)

    def normalise(self, value: str) -> str:
        return str(value).strip()

    def clean(self, value):
        if isinstance(value, str):  # a plain dict of parameters rather than a QueryDict
            value = [value]
        values = [v for v in (value or []) if v not in self.empty_values]
        if not values:
            return []
        if len(values) > MAX_VALUES:
            raise ValidationError(ERROR_TOO_MANY, code="too_many")
        for v in values:
            # Keep only what a slug or path can hold before it reaches the database.
            if len(str(v)) > 600 or "\x00" in str(v):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": _short(v)},
                )
        wanted = list(dict.fromkeys(self.normalise(v) for v in values))
        key = self.to_field_name or "pk"
        found = {
            self.normalise(getattr(row, key)).lower(): row
            for row in self.queryset.filter(**{f"{key}__in": wanted})
        }
        rows = []
        for v in wanted:
            row = found.get(v.lower())
            if row is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": _short(v)},
                )
            if row not in rows:
                rows.append(row)
        return rows


class CountryField(SlugChoiceField):
    """Countries by ISO 3166-1 alpha-2 code, in any case."""

    def normalise(self, value: str) -> str:
        return str(value).strip().upper()

    def clean(self, value):
        if isinstance(value, str):
            value = [value]
        for v in value or []:
            if v not in self.empty_values and not re.fullmatch(r"[A-Z]{2}", self.normalise(v)):
                raise ValidationError(ERROR_COUNTRY_FORMAT, code="invalid")
        return super().clean(value)


class SlugFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = SlugChoiceField


class CountryFilter(django_filters.ModelMultipleChoiceFilter):
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
        widget=forms.MultipleHiddenInput,
    )
    person = SlugFilter(
        label="Person",
        queryset=Person.objects.select_related("merged_into"),
        to_field_name="slug",
        method="filter_person",
        error=ERROR_PERSON,
        widget=forms.MultipleHiddenInput,
    )
    country = CountryFilter(
        label="Country",
        queryset=Place.objects.filter(kind=Place.Kind.COUNTRY),
        to_field_name="iso_code",
        method="filter_place",
        error=ERROR_COUNTRY,
        widget=forms.MultipleHiddenInput,
    )
    place = SlugFilter(
        label="Place",
        queryset=Place.objects.select_related("merged_into"),
        to_field_name="slug",
        method="filter_place",
        error=ERROR_PLACE,
        widget=forms.MultipleHiddenInput,
    )
    source = SlugFilter(
        label="Source",
        queryset=Source.objects.all(),
        to_field_name="slug",
        method="filter_source",
        error=ERROR_SOURCE,
        widget=forms.MultipleHiddenInput,
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
    match = django_filters.ChoiceFilter(
        label="Several values",
        choices=MATCH_CHOICES,
        method="filter_nothing",
        empty_label=None,
        null_label=None,
        widget=forms.HiddenInput,
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

    @property
    def match_any(self) -> bool:
        valid = self.is_bound and self.is_valid()
        return valid and self.form.cleaned_data.get("match") == MATCH_ANY

    def filter_section(self, queryset: QuerySet, name: str, value: list[Section]) -> QuerySet:
        return queryset.in_sections(value) if value else queryset

    def filter_person(self, queryset: QuerySet, name: str, value: list[Person]) -> QuerySet:
        return self._linked(queryset, [person.kept() for person in value])

    def filter_place(self, queryset: QuerySet, name: str, value: list[Place]) -> QuerySet:
        # A city's country is linked to the article too (via_city), so one row covers both.
        return self._linked(queryset, [place.kept() for place in value])

    def _linked(self, queryset: QuerySet, entities: list) -> QuerySet:
        if len(entities) > 1 and self.match_any:
            return queryset.linked_to_any(entities)
        for entity in entities:
            queryset = queryset.linked_to(entity)
        return queryset

    def filter_source(self, queryset: QuerySet, name: str, value: list[Source]) -> QuerySet:
        return queryset.filter(source__in=value) if value else queryset

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
        for name in (*ENTITY_PARAMS, "date_from", "date_to"):
            value = self.form.cleaned_data.get(name)
            for one in value if isinstance(value, list) else [value] if value else []:
                out.append((name, self.filters[name].label, one))
        return out

    @property
    def chosen(self) -> dict[str, set[str]]:
        """The values in the URL per entity parameter, lower-cased, for the facets."""
        getlist = getattr(self.data, "getlist", None) or (lambda n: [self.data.get(n) or ""])
        return {
            name: {v.strip().lower() for v in getlist(name) if v} if self.is_bound else set()
            for name in ENTITY_PARAMS
        }

    @property
    def combines(self) -> bool:
        """True when one person or place parameter has several values (AND / OR matters)."""
        counts = {}
        for name, _, _ in self.active:
            counts[name] = counts.get(name, 0) + 1
        return any(counts.get(n, 0) > 1 for n in ("person", "country", "place"))

    @cached_property
    def signature(self) -> tuple:
        """What the matching articles depend on (not their order), e.g. to key cached facets
        and counts: entities by primary key, the search as typed."""
        if not (self.is_bound and self.is_valid()):
            return ()
        data = self.form.cleaned_data
        return (
            (data.get("q") or "").strip(),
            MATCH_ANY if self.match_any and self.combines else MATCH_ALL,
            *sorted(
                ((name, getattr(value, "pk", value)) for name, _, value in self.active), key=str
            ),
        )

    @property
    def is_filtered(self) -> bool:
        """True when any filter or search narrows the list (the unfiltered list can use stored
        counts for its facets)."""
        return bool(self.active) or not self.search_query.is_empty
