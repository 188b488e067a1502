"""What the importer refuses or clips before a value reaches a column."""

from __future__ import annotations

# A name is an article's identity, so it is refused, never clipped: two long names clipped
# alike collided and failed the whole chunk.
MAX_NAME_CHARS = 1000  # Article.original_filename max_length
ERR_NAME_TOO_LONG = "file name too long: {n:,} characters (limit {limit:,})"


def clip(value: str, limit: int) -> str:
    """``value`` cut to ``limit`` characters, an ellipsis marking the cut."""
    value = value or ""
    return value if len(value) <= limit else value[: limit - 1] + "…"
