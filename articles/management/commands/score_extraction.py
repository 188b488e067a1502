"""Score people and places extraction on the labelled corpora in ../shared/corpora, and on our
own dev set and demo sample (see docs/extraction.md for what is counted)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.ingest import corpus_eval
from articles.ingest.extract import extract_entities
from articles.ingest.gazetteer import Country, get_gazetteer
from articles.management.commands.eval_extraction import (
    evaluate,
    evaluate_sample,
    parse_for_extraction,
)

CORPORA = Path(settings.BASE_DIR).parent / "shared" / "corpora"
PARTS = ("conll-dev", "conll-train", "reuters", "devset", "sample")


def parse_and_extract(text: str, name: str):
    parsed = parse_for_extraction(text, name)
    extract_entities(parsed)
    return parsed


def country_code(name: str) -> str | None:
    refs = get_gazetteer().lookup(name)
    return next((r.target.iso for r in refs if isinstance(r.target, Country)), None)


class Command(BaseCommand):
    help = "Precision/recall of people and countries on CoNLL-2003, Reuters-21578 and our sets."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--corpora", default=str(CORPORA), help="The corpora folder.")
        parser.add_argument(
            "--only", default=",".join(PARTS), help=f"Comma-separated parts of {PARTS}."
        )
        parser.add_argument("--limit", type=int, default=None, help="Documents per corpus.")
        parser.add_argument("--errors", type=int, default=0, help="Print this many errors.")

    def handle(self, *args, **options):
        corpora = Path(options["corpora"])
        parts = [p for p in options["only"].split(",") if p]
        unknown = set(parts) - set(PARTS)
        if unknown:
            raise CommandError(f"unknown parts: {', '.join(sorted(unknown))}")
        needs_corpora = {"conll-dev", "conll-train", "reuters"} & set(parts)
        if needs_corpora and not corpora.is_dir():
            raise CommandError(f"no corpora folder at {corpora}")
        limit = options["limit"]
        for part in parts:
            if part.startswith("conll"):
                split = part.removeprefix("conll-")
                tally = corpus_eval.score_conll(corpora, split, parse_and_extract, limit)
                self.line(f"CoNLL {split} people", tally, options["errors"])
            elif part == "reuters":
                res = corpus_eval.score_reuters(
                    corpora, parse_and_extract, country_code, limit=limit
                )
                self.line("Reuters person labels (recall)", res.people, options["errors"])
                self.line("Reuters country labels (recall)", res.countries, options["errors"])
                if res.unmapped:
                    self.stdout.write(f"  labels not countries: {', '.join(sorted(res.unmapped))}")
            else:
                scores = evaluate() if part == "devset" else evaluate_sample()
                for cat, score in scores.items():
                    self.line(f"{part} {cat}", score, options["errors"])

    def line(self, label: str, tally, errors: int) -> None:
        self.stdout.write(
            f"{label:34} P {tally.precision:.3f} R {tally.recall:.3f} F1 {tally.f1:.3f}"
            f"  tp {tally.tp} fp {tally.fp} fn {tally.fn}"
        )
        for err in tally.errors[:errors]:
            self.stdout.write(f"    {err}")
