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


def natural_snapshot() -> dict[str, list]:
    """Every row of the archive's tables, ids replaced by natural keys, sorted."""
    keys: dict[type, dict[int, object]] = {
        Source: dict(Source.objects.values_list("pk", "slug")),
        Section: dict(Section.objects.values_list("pk", "path")),
        Person: dict(Person.objects.values_list("pk", "slug")),
        Place: dict(Place.objects.values_list("pk", "slug")),
    }
    keys[Article] = {
        pk: (keys[Source][source], name)
        for pk, source, name in Article.objects.values_list("pk", "source_id", "original_filename")
    }
    snapshot = {}
    for model in ARCHIVE_MODELS:
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in AUDIT_FIELDS | {"replaced_at", "batch"} and not f.primary_key
        ]
        rows = []
        for values in model.objects.values_list(*(f.attname for f in fields)):
            row = []
            for f, value in zip(fields, values, strict=True):
                if f.is_relation and value is not None:
                    value = keys[f.related_model][value]
                row.append(repr(value))
            rows.append(tuple(row))
        snapshot[model.__name__] = sorted(rows)
    return snapshot
