from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete, pre_save


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "News archive"

    def ready(self):
        from django.contrib.admin.models import LogEntry

        from .caching import bump_version_on_commit
        from .search import repair_search_schema

        # A later migration can rebuild the article table on SQLite, dropping the search
        # triggers; put them back after every migrate.
        post_migrate.connect(repair_search_schema, sender=self)

        # Any saved or deleted row that a page shows makes cached pages stale. The importer and
        # the curation actions write in bulk (no signals) and bump the version themselves; an
        # admin edit of anything (mention rows in an inline included) is logged as a LogEntry.
        # No receiver on the mention tables: it would stop Django deleting them in bulk.
        for name in ("Article", "Person", "Place", "Section", "Source"):
            model = self.get_model(name)
            post_save.connect(bump_version_on_commit, sender=model, dispatch_uid=f"bump-{name}")
            post_delete.connect(bump_version_on_commit, sender=model, dispatch_uid=f"del-{name}")
        post_save.connect(bump_version_on_commit, sender=LogEntry, dispatch_uid="bump-logentry")

        # An article saved or deleted one at a time (the admin, the shell) keeps the monthly
        # counts right; the importer and curation write in bulk and keep them themselves.
        from .importing import rollups

        article = self.get_model("Article")
        pre_save.connect(rollups.article_pre_save, sender=article, dispatch_uid="rollup-pre")
        post_save.connect(rollups.article_post_save, sender=article, dispatch_uid="rollup-post")
        pre_delete.connect(rollups.article_pre_delete, sender=article, dispatch_uid="rollup-pd")
        post_delete.connect(rollups.article_post_delete, sender=article, dispatch_uid="rollup-d")
        post_save.connect(rollups.article_logged, sender=LogEntry, dispatch_uid="rollup-log")
