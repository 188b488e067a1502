"""The date archive: Django's date-based generic views behind one mixin, as on
djangoproject.com's blog. A year page shows its months (with a chart) rather than every
article; month and day pages list the articles, paginated."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.views.generic.dates import (
    ArchiveIndexView,
    DayArchiveView,
    MonthArchiveView,
    YearArchiveView,
)

from .. import selectors
from .pagination import MissingPageMixin


class ArchiveMixin:
    date_field = "published"
    # Dates are publication dates of old news, never scheduled posts: nothing to hide.
    allow_future = True
    month_format = "%m"

    def get_queryset(self):
        return selectors.archive_articles()

    def get(self, request, *args, **kwargs):
        # The day after 9999-12-31 does not exist: Django turns a year or month past the end
        # of the calendar into a 404, but lets a day's OverflowError through (a 500).
        try:
            return super().get(request, *args, **kwargs)
        except OverflowError as exc:
            raise Http404("Date out of range") from exc


class ArchiveIndex(ArchiveMixin, ArchiveIndexView):
    template_name = "articles/archive_index.html"
    paginate_by = 20
    allow_empty = True

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # The years with their counts, in one query that serves as the date list too.
        self.years = selectors.archive_years()
        return [dt.date(int(y.value), 1, 1) for y in self.years]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["years"] = self.years
        return context


class YearArchive(ArchiveMixin, YearArchiveView):
    template_name = "articles/archive_year.html"
    make_object_list = False

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # The months with their counts, in one query that serves as the date list too.
        self.coverage = selectors.year_coverage(self.get_year(), queryset)
        return [m.month for m in self.coverage if m.count]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = context["year"]
        context["coverage"] = self.coverage
        start, end = year.replace(month=1, day=1), year.replace(month=12, day=31)
        people, countries = selectors.most_mentioned_between(start, end)
        context["top_people"], context["top_countries"] = people, countries
        return context


class MonthArchive(MissingPageMixin, ArchiveMixin, MonthArchiveView):
    template_name = "articles/archive_month.html"
    paginate_by = 50


class DayArchive(MissingPageMixin, ArchiveMixin, DayArchiveView):
    """A day's stories; a day without any is a page that says so and links the nearest
    days that have some, not a bare 404."""

    template_name = "articles/archive_day.html"
    paginate_by = 50
    allow_empty = True

    # The neighbours are the nearest days that have stories (Django looks them up only when
    # empty days are not allowed).
    def get_previous_day(self, date):
        return self._neighbour(super().get_previous_day, date)

    def get_next_day(self, date):
        return self._neighbour(super().get_next_day, date)

    def _neighbour(self, find, date):
        self.allow_empty = False
        try:
            return find(date)
        finally:
            self.allow_empty = True
