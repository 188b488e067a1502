"""``/articles/suggest.json?q=``: names for the filter form's type-ahead (people, places and
sections, typos allowed), as JSON. Three queries, whatever the archive's size."""

from __future__ import annotations

from dataclasses import asdict

from django.http import JsonResponse

from ..search import suggest_names

SUGGESTIONS = 8


def suggest(request):
    """``{"q": ..., "results": [{"param", "value", "label", "kind", "url"}, ...]}``; each
    result's ``param=value`` is what to add to a list URL."""
    typed = request.GET.get("q", "").strip()[:100]
    results = [asdict(m) for m in suggest_names(typed, SUGGESTIONS)] if typed else []
    response = JsonResponse({"q": typed, "results": results})
    response["Cache-Control"] = "public, max-age=300"
    return response
