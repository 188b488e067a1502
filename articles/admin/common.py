"""What the admin's pages share: a link to the public page, recounts, the import button."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html

from .. import admin_import

# Re-extraction runs in the request; past this many articles, import them again instead.
REEXTRACT_MAX = 500

MERGE_NEED_TWO = "Select exactly two {name} to merge."
REEXTRACT_TOO_MANY = "Select at most {limit} articles to re-extract at once (you selected {count})."


def public_link(obj) -> str:
    return format_html('<a href="{}">view on site</a>', obj.get_absolute_url())


def _recount(person_ids=(), place_ids=()) -> None:
    from ..importing import recount_entities

    recount_entities(person_ids=set(person_ids), place_ids=set(place_ids))


class ImportButtonMixin:
    """Puts the “Import articles” button on a changelist for editors who may import."""

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": admin_import.can_import(request.user),
            "import_url": reverse("admin:articles_importbatch_upload"),
        }
        return super().changelist_view(request, extra_context=extra_context)
