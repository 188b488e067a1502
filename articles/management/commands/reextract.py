"""Re-run parsing and people/places extraction over stored articles, from their original text.

When the extractor improves, this brings the whole archive up to date:

    python manage.py reextract --all
    python manage.py reextract --source press-tv --since 2022-01-01
    python manage.py reextract --section news/russia --batch-size 200
    python manage.py reextract --ids 12,15,19

Articles are read in primary-key order with ``iterator()`` and written in batches through
``articles.importing.replace_entities``, so memory stays flat however large the archive.
Each article goes through the one re-parse path, ``articles.importing.reparse_article``.
An article whose text no longer parses keeps its current people and places.
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from articles.importing import reparse_article, replace_entities
from articles.ingest.types import ParsedArticle
from articles.models import Article, Section, Source

ERR_NO_SCOPE = (
    "say which articles: --all, or one or more of --source/--section/--since/--until/--ids"
)
ERR_BAD_IDS = "--ids takes comma-separated article ids, e.g. --ids 1,2,3"
ERR_BAD_DATE = "{option} takes a date as YYYY-MM-DD, not {value!r}"
ERR_NO_SOURCE = "no source with slug {slug!r}"
ERR_NO_SECTION = "no section with path {path!r}"
ERR_BATCH_SIZE = "--batch-size must be a positive number"


def parse_date(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(ERR_BAD_DATE.format(option=option, value=value)) from exc


class Command(BaseCommand):
    help = "Re-run people and places extraction over stored articles from their original text."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Every article in the archive.")
        parser.add_argument("--source", help="Only articles from this source (its slug).")
        parser.add_argument(
            "--section", help="Only this section and its subsections (its path, news/russia)."
        )
        parser.add_argument("--since", help="Only articles published on or after YYYY-MM-DD.")
        parser.add_argument("--until", help="Only articles published on or before YYYY-MM-DD.")
        parser.add_argument("--ids", help="Only these article ids, comma-separated.")
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Articles per write (default 500)."
        )

    def handle(self, *args, **options):
        articles = self.select(options)
        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError(ERR_BATCH_SIZE)
        total = articles.count()
        if total == 0:
            self.stdout.write("No articles match; nothing to do.")
            return
        started = time.monotonic()
        done = failed = people = places = 0
        batch: list[tuple[Article, ParsedArticle]] = []
        progress = self.stdout.isatty()

        def flush() -> None:
            nonlocal people, places
            if batch:
                replace_entities(batch)
                people += sum(len(p.people) for _, p in batch)
                places += sum(len(p.places) for _, p in batch)
                batch.clear()

        for article in articles.iterator(chunk_size=batch_size):
            try:
                parsed = reparse_article(article)
            except Exception as exc:  # noqa: BLE001 - one bad article must not stop the run
                parsed = ParsedArticle(file=article.original_filename, text="")
                parsed.error = f"{type(exc).__name__}: {exc}"
            done += 1
            if parsed.error:
                failed += 1
                self.stderr.write(
                    f"article {article.pk} ({article.original_filename}): {parsed.error}; "
                    "kept its current people and places"
                )
            else:
                batch.append((article, parsed))
            if len(batch) >= batch_size:
                flush()
            if progress and (done % 100 == 0 or done == total):
                rate = done / max(time.monotonic() - started, 1e-9)
                self.stdout.write(f"\r{done}/{total} articles, {rate:,.0f}/s ", ending="")
                self.stdout.flush()
        flush()
        if progress:
            self.stdout.write("")
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Re-extracted {done - failed} of {total} articles in {elapsed:.1f}s "
            f"({people} person links, {places} place links); {failed} could not be parsed."
        )

    def select(self, options):
        """The articles the options name, in primary-key order."""
        qs = Article.objects.select_related("source", "section").order_by("pk")
        qs = qs.only(
            "pk",
            "original_text",
            "original_filename",
            "original_encoding",
            "source__name",
            "section__full_name",
        )
        scoped = options["all"]
        if options["source"]:
            try:
                source = Source.objects.get(slug=options["source"])
            except Source.DoesNotExist as exc:
                raise CommandError(ERR_NO_SOURCE.format(slug=options["source"])) from exc
            qs = qs.filter(source=source)
            scoped = True
        if options["section"]:
            path = options["section"].strip("/")
            try:
                section = Section.objects.get(path=path)
            except Section.DoesNotExist as exc:
                raise CommandError(ERR_NO_SECTION.format(path=path)) from exc
            qs = qs.in_section(section)
            scoped = True
        since = parse_date("--since", options["since"])
        until = parse_date("--until", options["until"])
        if since:
            qs = qs.filter(published__gte=since)
            scoped = True
        if until:
            qs = qs.filter(published__lte=until)
            scoped = True
        if options["ids"]:
            try:
                ids = [int(x) for x in options["ids"].split(",") if x.strip()]
            except ValueError as exc:
                raise CommandError(ERR_BAD_IDS) from exc
            if not ids:
                raise CommandError(ERR_BAD_IDS)
            qs = qs.filter(pk__in=ids)
            scoped = True
        if not scoped:
            raise CommandError(ERR_NO_SCOPE)
        return qs
