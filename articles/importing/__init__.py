"""ParsedArticle -> database: classify files, the name registry, write rows, stored counts
(idempotent, bulk, audited). The names callers use are exported here; ``service`` holds
``run_import`` and its module docstring says what a run does to each file."""

from .batches import ERR_INTERRUPTED, ImportStopped, close_interrupted_batches
from .classify import content_hash
from .counts import recount_containers, recount_entities
from .limits import ERR_NAME_TOO_LONG, MAX_NAME_CHARS
from .options import FILES_PER_TRANSACTION, ImportOptions, default_workers
from .reparse import reparse_article, reparse_text
from .service import run_import
from .writer import replace_entities

__all__ = [
    "ERR_INTERRUPTED",
    "ERR_NAME_TOO_LONG",
    "FILES_PER_TRANSACTION",
    "MAX_NAME_CHARS",
    "ImportOptions",
    "ImportStopped",
    "close_interrupted_batches",
    "content_hash",
    "default_workers",
    "recount_containers",
    "recount_entities",
    "replace_entities",
    "reparse_article",
    "reparse_text",
    "run_import",
]
