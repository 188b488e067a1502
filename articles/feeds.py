"""Atom and RSS feeds: the latest stories, or the latest of any list URL's filters
(``/articles/feed.atom?person=vladimir-putin&country=by``).

Everything in them is plain text. Feed readers render an RSS ``<description>`` (and often an
RSS ``<title>`` or ``<category>``) as HTML once the XML is parsed, so our text goes into RSS
HTML-escaped: a caption that says ``<img src=x onerror=...>`` shows as those characters, never
as markup. Atom says what it carries: its summaries are ``type="text"``.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from . import selectors
from .models import LIST_FIELDS

FEED_SIZE = 30


class PlainTextRssFeed(Rss201rev2Feed):
    """RSS 2.0 whose title, description and categories are text, entity-encoded once more so
    that a reader's HTML rendering shows them as written."""

    def add_item_elements(self, handler, item):
        item = {
            **item,
            "title": escape(item["title"]),
            "description": escape(item["description"] or ""),
            "categories": [escape(c) for c in item.get("categories") or ()],
        }
        super().add_item_elements(handler, item)


class PlainTextAtomFeed(Atom1Feed):
    """Atom 1.0 with ``<summary type="text">`` (Django writes ``type="html"``)."""

    def add_item_elements(self, handler, item):
        summary = item["description"]
        super().add_item_elements(handler, {**item, "description": None})
        if summary:
            handler.addQuickElement("summary", summary, {"type": "text"})


class ArticleFeed(Feed):
    """RSS 2.0 of the newest articles matching the request's list filters."""

    feed_type = PlainTextRssFeed

    def get_object(self, request, *args, **kwargs):
        filterset = selectors.article_filter(request.GET)
        if filterset.is_bound and not filterset.is_valid():
            raise Http404("Invalid filter")
        filterset.request_query = request.GET.urlencode()
        filterset.request_path = request.path
        return filterset

    def title(self, filterset):
        parts = [str(value) for _, _, value in filterset.active]
        if filterset.search_query.raw:
            parts.insert(0, f"“{filterset.search_query.raw}”")
        return "News archive" + (": " + ", ".join(parts) if parts else ": latest stories")

    def link(self, filterset):
        query = filterset.request_query
        return reverse("articles:list") + (f"?{query}" if query else "")

    def feed_url(self, filterset):
        # The feed's self link is this feed, filters included.
        query = filterset.request_query
        return filterset.request_path + (f"?{query}" if query else "")

    def description(self, filterset):
        return "Stories from the news archive, newest first."

    def items(self, filterset):
        # A feed is always newest first, even for a search.
        articles = selectors.article_list(filterset, ranked=False).newest_first()
        # The body too, for the first paragraph of a story without a caption.
        return articles.only(*LIST_FIELDS, "body")[:FEED_SIZE]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        """The caption, else the first paragraph."""
        if item.caption:
            return item.caption
        first = next((b for b in item.body or () if b.get("kind") == "paragraph"), None)
        return first["text"] if first else ""

    def item_pubdate(self, item):
        if item.published is None:
            return None
        return dt.datetime.combine(item.published, dt.time(), tzinfo=dt.UTC)

    def item_categories(self, item):
        return [item.section.full_name] if item.section_id else []

    def item_author_name(self, item):
        return item.source.name


class AtomArticleFeed(ArticleFeed):
    feed_type = PlainTextAtomFeed
    subtitle = ArticleFeed.description
