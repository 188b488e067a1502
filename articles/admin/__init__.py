"""The Django admin for the archive: every model, the import page and history, and the
curation actions (merge people or places, mark not an entity, re-run extraction).

Registering happens on import of the modules below (Django imports ``articles.admin``).
"""

from . import archive, articles, entities
from .common import MERGE_NEED_TWO, REEXTRACT_MAX, REEXTRACT_TOO_MANY, public_link

__all__ = [
    "MERGE_NEED_TWO",
    "REEXTRACT_MAX",
    "REEXTRACT_TOO_MANY",
    "archive",
    "articles",
    "entities",
    "public_link",
]
