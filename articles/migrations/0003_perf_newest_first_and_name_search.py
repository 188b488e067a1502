"""Indexes found by the page benchmark (docs/benchmarks.md), PostgreSQL only.

``article_newest_idx``: the archive's order is ``published DESC NULLS LAST, id DESC`` (model
``Meta.ordering``, ``ArticleQuerySet.newest_first``). On PostgreSQL a descending index sorts
NULLs first, so the model's ``article_published_idx`` cannot serve that order and every list
(home, /articles/, person, place and section pages) read and sorted the whole table to show 20
rows: 100 ms at 100k articles, growing with the archive. With this index the newest page is an
index scan that stops after 20 rows (0.3 ms at 100k), and for a frequent person or country
PostgreSQL walks it newest first, probing the mention pair index, instead of sorting all of
their articles. SQLite needs nothing: its descending index already puts NULLs last.

``person_name_upper_trgm_idx`` / ``place_name_upper_trgm_idx``: the name look-ups beside the
search results (``articles.search.find_people`` / ``find_places``) test ``name %> q OR
UPPER(name) LIKE UPPER('%q%')``; the existing trigram indexes cover ``name`` only, so the OR
fell back to a sequential scan (26 ms per search page at 100k articles, 1.2 ms with these).

Kept out of the model state on purpose, like 0002_search: the expressions and NULLS LAST are
PostgreSQL-specific.
"""

from django.db import migrations

PG_FORWARDS = [
    "CREATE INDEX IF NOT EXISTS article_newest_idx "
    "ON articles_article (published DESC NULLS LAST, id DESC)",
    "CREATE INDEX IF NOT EXISTS person_name_upper_trgm_idx "
    "ON articles_person USING gin (UPPER(name) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS place_name_upper_trgm_idx "
    "ON articles_place USING gin (UPPER(name) gin_trgm_ops)",
]

PG_BACKWARDS = [
    "DROP INDEX IF EXISTS place_name_upper_trgm_idx",
    "DROP INDEX IF EXISTS person_name_upper_trgm_idx",
    "DROP INDEX IF EXISTS article_newest_idx",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_search"),
    ]

    operations = [
        migrations.RunPython(_run(PG_FORWARDS), _run(PG_BACKWARDS)),
    ]
