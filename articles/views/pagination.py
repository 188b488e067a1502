"""Pagination from a number the read layer already has (stored counts, a capped count)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404


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


class MissingPageMixin:
    """For a ListView: a page number past the end (``?page=99999``) is a 404 page that says
    how many pages there are and links to the last one, not a bare 404."""

    missing_page: tuple[str, int] | None = None

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
            requested = str(self.request.GET.get(self.page_kwarg, ""))[:20]
            self.missing_page = (requested, max(paginator.num_pages, 1))
            return paginator, None, [], False

    def render_to_response(self, context, **kwargs):
        if self.missing_page:
            context["missing_page"], context["last_page"] = self.missing_page
            context["is_paginated"] = False
            response = super().render_to_response(context, **kwargs)
            response.status_code = 404
            return response
        return super().render_to_response(context, **kwargs)
