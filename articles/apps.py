from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "News archive"

    def ready(self):
        from .search import repair_search_schema

        # A later migration can rebuild the article table on SQLite, dropping the search
        # triggers; put them back after every migrate.
        post_migrate.connect(repair_search_schema, sender=self)
