"""``manage.py parse_article PATH... [--json]``: parse files without touching the database."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from articles.ingest.pipeline import parse_paths
from articles.ingest.types import ParsedArticle
from articles.management.options import PERIOD_HELP, period_option


def section_arg(value: str) -> list[str]:
    """``"News / Iran"`` -> ``["News", "Iran"]``."""
    return [part.strip() for part in value.split("/") if part.strip()]


class Command(BaseCommand):
    help = (
        "Parse text files, folders and .zip / .tar.gz archives as ingest would, without "
        "touching the database. With --json, print one JSON object per article, one per line. "
        "Exits non-zero when any file failed."
    )
    # Parsing needs neither the database nor migrations.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--json", action="store_true", help="one JSON object per line")
        parser.add_argument("--source", help="source name for every file (overrides the text)")
        parser.add_argument(
            "--section", type=section_arg, help='section path for every file, e.g. "News / Iran"'
        )
        parser.add_argument(
            "--workers", type=int, default=1, help="parse in this many processes (default 1)"
        )
        parser.add_argument("--period", help=PERIOD_HELP)

    def handle(self, *args, **options):
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1")
        period = period_option(options["period"])
        failed = total = 0
        for parsed in parse_paths(
            options["paths"],
            source=options["source"],
            section_path=options["section"],
            workers=options["workers"],
            period=period,
        ):
            total += 1
            if parsed.error:
                failed += 1
            if options["json"]:
                self.stdout.write(json.dumps(parsed.to_json_dict(), ensure_ascii=False))
            else:
                self.stdout.write(self.summary(parsed))
        if not options["json"]:
            self.stdout.write(f"{total} file(s), {total - failed} parsed, {failed} failed")
        if failed:
            raise CommandError(f"{failed} of {total} file(s) could not be parsed")

    def summary(self, parsed: ParsedArticle) -> str:
        """A readable block of lines for one article."""
        if parsed.error:
            return self.style.ERROR(f"{parsed.file}: FAILED: {parsed.error}")
        paragraphs = sum(1 for b in parsed.blocks if b.kind == "paragraph")
        subheadings = len(parsed.blocks) - paragraphs
        published = parsed.published.isoformat() if parsed.published else "unknown"
        lines = [
            self.style.SUCCESS(parsed.file),
            f"  headline:  {parsed.headline}",
            f"  source:    {parsed.source}",
            f"  section:   {' / '.join(parsed.section_path) or '-'}",
            f"  published: {published} ({parsed.published_how})"
            + (f" - {parsed.published_evidence}" if parsed.published_evidence else ""),
        ]
        if parsed.caption or parsed.caption_credit:
            lines.append(f"  caption:   {parsed.caption} [{parsed.caption_credit or 'no credit'}]")
        tables = sum(1 for b in parsed.blocks if b.kind == "table")
        subheadings -= tables
        lines.append(
            f"  body:      {paragraphs} paragraph(s), {subheadings} subheading(s)"
            + (f", {tables} table(s)" if tables else "")
        )
        if parsed.dateline:
            lines.append(f"  dateline:  {parsed.dateline} ({parsed.dateline_place})")
        if parsed.tickers:
            lines.append(f"  tickers:   {', '.join(parsed.tickers)}")
        if parsed.removed:
            kinds = sorted({r.kind for r in parsed.removed})
            lines.append(f"  removed:   {len(parsed.removed)} ({', '.join(kinds)})")
        if parsed.people:
            lines.append(
                "  people:    " + ", ".join(f"{p.name} ({p.mentions})" for p in parsed.people)
            )
        if parsed.places:
            lines.append(
                "  places:    "
                + ", ".join(
                    f"{p.name} [{p.country_code or '?'}] ({p.mentions})" for p in parsed.places
                )
            )
        return "\n".join(lines)
