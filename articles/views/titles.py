"""What a filtered list is called, in its title and heading: "Elena Marwick in Germany"."""

from __future__ import annotations

from ..filters import ArticleFilter

SITE_NAME = "News archive"


def _join(names: list[str], word: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {word} " + names[-1]


def list_subject(filterset: ArticleFilter) -> str:
    """The filters in words ("Elena Marwick and Pavel Dronov in Germany, News, 2024"), or ""
    when there are none."""
    values: dict[str, list] = {}
    for name, _, value in filterset.active:
        values.setdefault(name, []).append(value)
    word = "or" if filterset.match_any else "and"
    who = _join([p.name for p in values.get("person", [])], word)
    places = [p.name for p in values.get("country", []) + values.get("place", [])]
    where = _join(places, word)
    subject = f"{who} in {where}" if who and where else who or (f"In {where}" if where else "")
    parts = [subject] if subject else []
    parts += [_join([s.full_name for s in values.get("section", [])], "or")]
    parts += [_join([s.name for s in values.get("source", [])], "or")]
    start, end = values.get("date_from", [None])[0], values.get("date_to", [None])[0]
    whole_year = start and end and start.year == end.year
    if whole_year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        parts.append(str(start.year))
    else:
        if start:
            parts.append(f"from {start:%-d %B %Y}")
        if end:
            parts.append(f"to {end:%-d %B %Y}")
    return ", ".join(p for p in parts if p)


def list_heading(filterset: ArticleFilter) -> str:
    """The list page's h1."""
    subject = list_subject(filterset)
    query = filterset.search_query
    if query.has_positive:
        return f"Stories matching {query.heading}" + (f": {subject}" if subject else "")
    return subject or "Stories"


def list_title(filterset: ArticleFilter) -> str:
    """The list page's <title>: "Elena Marwick in Germany — stories — News archive"."""
    subject = list_subject(filterset)
    query = filterset.search_query
    if query.has_positive:
        head = f"{query.heading} — " + (f"{subject} — " if subject else "") + "search"
    else:
        head = f"{subject} — stories" if subject else "All stories"
    return f"{head} — {SITE_NAME}"
