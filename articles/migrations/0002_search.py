"""Full-text search structures, one per database vendor.

The two databases need different structures, so none of this is in the model state (the model
has no search field and ``makemigrations`` sees nothing): ``articles.search`` hides the
difference.

PostgreSQL
    ``articles_article.search_vector``: a stored generated ``tsvector`` (headline weight A,
    caption and subheadings B, body C, explicit ``english`` config, so the expression is
    immutable), a GIN index on it, and ``pg_trgm`` with trigram GIN indexes on person and place
    names for fuzzy name look-ups. A generated column needs no trigger and no signal: bulk
    inserts are indexed by the database itself.

SQLite
    ``articles_article_fts``: an FTS5 external-content table over the article's text columns
    (the text is stored once, in ``articles_article``), kept in sync by triggers, which fire per
    row, so ``bulk_create`` is indexed too. The Porter stemmer matches PostgreSQL's English
    stemming closely enough for the same queries to find the same articles.

The SQL is frozen here on purpose (a migration must not change when the app code does);
``articles.search.ensure_search_schema`` holds the same SQLite statements to re-create the
triggers after a later migration rebuilds the article table (SQLite's ALTER TABLE emulation
drops a table's triggers).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

PG_FORWARDS = [
    """
    ALTER TABLE articles_article ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(headline, '')), 'A')
        || setweight(
            to_tsvector(
                'english'::regconfig,
                coalesce(caption, '') || ' ' || coalesce(subheadings_text, '')
            ),
            'B'
        )
        || setweight(to_tsvector('english'::regconfig, coalesce(body_text, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX article_search_vector_idx ON articles_article USING gin (search_vector)",
    "CREATE INDEX person_name_trgm_idx ON articles_person USING gin (name gin_trgm_ops)",
    "CREATE INDEX place_name_trgm_idx ON articles_place USING gin (name gin_trgm_ops)",
]

PG_BACKWARDS = [
    "DROP INDEX IF EXISTS place_name_trgm_idx",
    "DROP INDEX IF EXISTS person_name_trgm_idx",
    "DROP INDEX IF EXISTS article_search_vector_idx",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector",
]

SQLITE_FORWARDS = [
    """
    CREATE VIRTUAL TABLE articles_article_fts USING fts5(
        headline, caption, subheadings_text, body_text,
        content='articles_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER articles_article_fts_ai AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_article_fts(rowid, headline, caption, subheadings_text, body_text)
        VALUES (new.id, new.headline, new.caption, new.subheadings_text, new.body_text);
    END
    """,
    """
    CREATE TRIGGER articles_article_fts_ad AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_article_fts(
            articles_article_fts, rowid, headline, caption, subheadings_text, body_text
        )
        VALUES ('delete', old.id, old.headline, old.caption, old.subheadings_text, old.body_text);
    END
    """,
    # Only a change to an indexed column needs re-indexing (not a new section or a count).
    """
    CREATE TRIGGER articles_article_fts_au
    AFTER UPDATE OF headline, caption, subheadings_text, body_text ON articles_article BEGIN
        INSERT INTO articles_article_fts(
            articles_article_fts, rowid, headline, caption, subheadings_text, body_text
        )
        VALUES ('delete', old.id, old.headline, old.caption, old.subheadings_text, old.body_text);
        INSERT INTO articles_article_fts(rowid, headline, caption, subheadings_text, body_text)
        VALUES (new.id, new.headline, new.caption, new.subheadings_text, new.body_text);
    END
    """,
    # Index whatever is already there.
    "INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')",
]

SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS articles_article_fts_au",
    "DROP TRIGGER IF EXISTS articles_article_fts_ad",
    "DROP TRIGGER IF EXISTS articles_article_fts_ai",
    "DROP TABLE IF EXISTS articles_article_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        # A no-op on databases other than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(
            _run({"postgresql": PG_FORWARDS, "sqlite": SQLITE_FORWARDS}),
            _run({"postgresql": PG_BACKWARDS, "sqlite": SQLITE_BACKWARDS}),
            elidable=False,
        ),
    ]
