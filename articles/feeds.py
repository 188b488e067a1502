"""Atom and RSS feeds: the latest stories, or the latest of any list URL's filters
(``/articles/feed.atom?person=vladimir-putin&country=by``)."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from . import selectors

FEED_SIZE = 30


class ArticleFeed(Feed):
    """RSS 2.0 of the newest articles matching the request's list filters."""

    feed_type = Rss201rev2Feed

    def get_object(self, request, *args, **kwargs):
        filterset = selectors.article_filter(request.GET)
        if filterset.is_bound and not filterset.is_valid():
            raise Http404("Invalid filter")
        filterset.request_query = request.GET.urlencode()
        return filterset

    def title(self, filterset):
        parts = [str(value) for _, _, value in filterset.active]
        if filterset.search_query.raw:
            parts.insert(0, f"“{filterset.search_query.raw}”")
        return "News archive" + (": " + ", ".join(parts) if parts else ": latest stories")

    def link(self, filterset):
        query = filterset.request_query
        return reverse("articles:list") + (f"?{query}" if query else "")

    def description(self, filterset):
        return "Stories from the news archive, newest first."

    def items(self, filterset):
        # A feed is always newest first, even for a search.
        return selectors.article_list(filterset, ranked=False).newest_first()[:FEED_SIZE]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.caption or ""

    def item_pubdate(self, item):
        if item.published is None:
            return None
        return dt.datetime.combine(item.published, dt.time(), tzinfo=dt.UTC)

    def item_categories(self, item):
        return [item.section.full_name] if item.section_id else []

    def item_author_name(self, item):
        return item.source.name


class AtomArticleFeed(ArticleFeed):
    feed_type = Atom1Feed
    subtitle = ArticleFeed.description
