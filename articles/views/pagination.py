"""Pagination from a number the read layer already has (stored counts, a capped count)."""

from __future__ import annotations

from django.core.paginator import Paginator


class KnownCountPaginator(Paginator):
    """A ``Paginator`` told its count instead of running COUNT(*) over every match."""

    def __init__(self, object_list, per_page, *, count: int, capped: bool = False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        # ``Paginator.count`` is a cached_property: the instance value takes its place.
        self.count = count
        self.capped = capped


class KnownCountMixin:
    """For a ListView: ``known_count()`` returns (count, capped), or None to count rows."""

    def known_count(self) -> tuple[int, bool] | None:
        raise NotImplementedError

    def get_paginator(self, queryset, per_page, **kwargs):
        known = self.known_count()
        if known is None:
            return super().get_paginator(queryset, per_page, **kwargs)
        count, capped = known
        return KnownCountPaginator(queryset, per_page, count=count, capped=capped, **kwargs)
