"""A comparable picture of everything an import writes, except the audit rows of the run."""

from articles.models import (
    Article,
    ArticlePerson,
    ArticlePlace,
    ArticleRevision,
    Person,
    Place,
    Section,
    Source,
)

AUDIT_FIELDS = {"updated_at", "created_at"}
# Everything an import writes, except the audit rows of the run itself.
ARCHIVE_MODELS = (
    Source,
    Section,
    Article,
    ArticleRevision,
    Person,
    Place,
    ArticlePerson,
    ArticlePlace,
)


def archive_snapshot() -> dict[str, list[tuple]]:
    """Every row of the archive's tables as sorted tuples (timestamps left out)."""
    snapshot = {}
    for model in ARCHIVE_MODELS:
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.name not in AUDIT_FIELDS and f.name != "replaced_at"
        ]
        rows = model.objects.order_by("pk").values_list(*fields)
        snapshot[model.__name__] = [tuple(map(repr, row)) for row in rows]
    return snapshot
