"""The one slug function: URL names for sources, sections, articles, people and places."""

from __future__ import annotations

from collections.abc import Container

from django.utils.text import slugify


def slug_for(
    text: str,
    *,
    fallback: str,
    max_length: int = 200,
    taken: Container[str] = (),
    qualifier: str = "",
) -> str:
    """``text`` slugified and cut to ``max_length`` (``fallback`` when nothing is left).

    When that slug is in ``taken``, ``<slug>-<qualifier>`` is tried (a place's country code),
    then ``-2``, ``-3``... after the last one tried. Callers that keep the slug unique pass a
    ``max_length`` that leaves room for the suffix.
    """
    base = slugify(text)[:max_length].strip("-") or fallback
    candidates = [base, f"{base}-{qualifier.lower()}"] if qualifier else [base]
    for slug in candidates:
        if slug not in taken:
            return slug
    n = 2
    while f"{candidates[-1]}-{n}" in taken:
        n += 1
    return f"{candidates[-1]}-{n}"
