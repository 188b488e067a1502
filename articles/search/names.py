"""Looking people and places up by name (trigram similarity on PostgreSQL)."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

from ..models import Person, Place
from .query import _WORD_RE

# --- Name look-ups ----------------------------------------------------------------------


def _name_lookup(queryset: QuerySet, text: str, limit: int) -> list:
    text = " ".join(_WORD_RE.findall(text or ""))[:100]
    if len(text) < 2:
        return []
    queryset = queryset.entities()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramWordSimilarity

        # ``%>`` (trigram_word_similar) uses the trigram GIN index; icontains catches names
        # shorter than a trigram's worth of letters.
        return list(
            queryset.filter(Q(name__trigram_word_similar=text) | Q(name__icontains=text))
            .annotate(similarity=TrigramWordSimilarity(text, "name"))
            .order_by("-similarity", "-article_count", "name")[:limit]
        )
    condition = Q()
    for word in text.split():
        condition &= Q(name__icontains=word)
    return list(queryset.filter(condition).order_by("-article_count", "name")[:limit])


def find_people(text: str, limit: int = 10) -> list[Person]:
    """People whose name looks like ``text`` (trigram similarity on PostgreSQL, so "Zelensky"
    finds "Zelenskyy"; every word contained in the name on SQLite), most covered first."""
    return _name_lookup(Person.objects.all(), text, limit)


def find_places(text: str, limit: int = 10) -> list[Place]:
    """Places whose name looks like ``text``; see ``find_people``."""
    return _name_lookup(Place.objects.select_related("country"), text, limit)
