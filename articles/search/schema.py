"""The SQLite full-text index's triggers, re-created after any migration that drops them."""

from __future__ import annotations

from .query import FTS_TABLE

# --- Keeping the SQLite index in place --------------------------------------------------

_SQLITE_TRIGGERS = {
    "articles_article_fts_ai": f"""
        CREATE TRIGGER articles_article_fts_ai AFTER INSERT ON articles_article BEGIN
            INSERT INTO {FTS_TABLE}(rowid, headline, caption, subheadings_text, body_text)
            VALUES (new.id, new.headline, new.caption, new.subheadings_text, new.body_text);
        END""",
    "articles_article_fts_ad": f"""
        CREATE TRIGGER articles_article_fts_ad AFTER DELETE ON articles_article BEGIN
            INSERT INTO {FTS_TABLE}(
                {FTS_TABLE}, rowid, headline, caption, subheadings_text, body_text
            )
            VALUES ('delete', old.id, old.headline, old.caption, old.subheadings_text,
                    old.body_text);
        END""",
    "articles_article_fts_au": f"""
        CREATE TRIGGER articles_article_fts_au
        AFTER UPDATE OF headline, caption, subheadings_text, body_text ON articles_article BEGIN
            INSERT INTO {FTS_TABLE}(
                {FTS_TABLE}, rowid, headline, caption, subheadings_text, body_text
            )
            VALUES ('delete', old.id, old.headline, old.caption, old.subheadings_text,
                    old.body_text);
            INSERT INTO {FTS_TABLE}(rowid, headline, caption, subheadings_text, body_text)
            VALUES (new.id, new.headline, new.caption, new.subheadings_text, new.body_text);
        END""",
}


def ensure_search_schema(using: str = "default") -> list[str]:
    """Re-create missing SQLite search triggers and re-index; returns what was repaired.

    A later migration that alters the article table on SQLite rebuilds it (create, copy, drop,
    rename), and dropping a table drops its triggers: without this, new articles would silently
    stop being searchable. Run after every ``migrate`` (``post_migrate``); a no-op on
    PostgreSQL, whose generated column survives table changes.
    """
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return []
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            (f"{FTS_TABLE[:-4]}%",),
        )
        present = {row[0] for row in cursor.fetchall()}
        if FTS_TABLE not in present:
            return []  # migration 0002 not applied yet
        missing = [name for name in _SQLITE_TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(_SQLITE_TRIGGERS[name])
        if missing:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return missing


def repair_search_schema(sender=None, using: str = "default", **kwargs) -> None:
    """``post_migrate`` receiver: see ``ensure_search_schema``."""
    ensure_search_schema(using)
