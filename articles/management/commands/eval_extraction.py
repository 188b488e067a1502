"""Score the extractor on the labelled development set (tests/extraction/devset): precision,
recall and F1 for people, countries and cities.

Countries scored are the article's linked countries, including those implied by a city or
region ("Minsk" links Belarus). Cities are compared by GeoNames id where the label's name is in
the gazetteer (so a label "Kiev" matches the extracted "Kyiv"), else by name and country.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.importing import reparse_text
from articles.ingest.corpus_eval import Tally, fold
from articles.ingest.gazetteer import City, get_gazetteer
from articles.ingest.parser import parse_text
from articles.ingest.types import ParsedArticle

DEVSET_DIR = Path(settings.BASE_DIR) / "tests" / "extraction" / "devset"
SAMPLE_DIR = Path(settings.BASE_DIR) / "fixtures" / "sample"
SAMPLE_EXPECTED = Path(settings.BASE_DIR) / "fixtures" / "sample_expected.json"
SEED_FILE = Path(settings.BASE_DIR).parent / "shared" / "seeds" / "000_2231687eb4e8da66.txt"
CATEGORIES = ("people", "countries", "cities")


def parse_for_extraction(text: str, filename: str, source: str = "") -> ParsedArticle:
    """A labelled file parsed (not yet extracted) by the ingest parser, for timing extraction
    apart (bench/bench_extract.py) or checking it step by step."""
    return parse_text(text, filename, source=source or None)


@dataclass
class Score(Tally):
    """Precision and recall over the dev set, with the errors listed."""

    def add(self, label: str, expected: set, got: set) -> None:
        self.tp += len(expected & got)
        for item in sorted(map(str, got - expected)):
            self.fp += 1
            self.errors.append(f"{label}: spurious {item}")
        for item in sorted(map(str, expected - got)):
            self.fn += 1
            self.errors.append(f"{label}: missed {item}")


def city_key(name: str, country: str) -> str:
    """A comparable key for a city: its GeoNames id when the gazetteer knows the name."""
    gaz = get_gazetteer()
    for ref in gaz.lookup(name) or gaz.lookup(name.title()):
        if isinstance(ref.target, City) and ref.target.country == country:
            return f"{ref.target.name} ({country})"
    return f"{name} ({country})"


def predicted(parsed: ParsedArticle) -> dict[str, set[str]]:
    return {
        "people": {fold(p.name) for p in parsed.people},
        "countries": {p.country_code for p in parsed.places if p.country_code},
        "cities": {city_key(p.name, p.country_code) for p in parsed.places if p.kind == "city"},
    }


def expected(labels: dict) -> dict[str, set[str]]:
    return {
        "people": {fold(n) for n in labels.get("people", [])},
        "countries": {c.upper() for c in labels.get("countries", [])},
        "cities": {city_key(n, cc.upper()) for n, cc in labels.get("cities", [])},
    }


def evaluate(devset: Path = DEVSET_DIR, *, include_seed: bool = True) -> dict[str, Score]:
    """Run the extractor over the labelled files and score it per category."""
    labels_file = devset / "labels.json"
    if not labels_file.exists():
        raise FileNotFoundError(f"no labels at {labels_file}")
    labels = json.loads(labels_file.read_text(encoding="utf-8"))
    items = [(devset / rel, rel, lab) for rel, lab in labels.items()]
    seed_file = devset / "seed_expected.json"
    if include_seed and seed_file.exists() and SEED_FILE.exists():
        for rel, lab in json.loads(seed_file.read_text(encoding="utf-8")).items():
            items.append((SEED_FILE, rel, lab))
    return evaluate_items(items)


def evaluate_sample(
    sample: Path = SAMPLE_DIR, expected_file: Path = SAMPLE_EXPECTED
) -> dict[str, Score]:
    """Score the demo archive (fixtures/sample) against fixtures/sample_expected.json."""
    if not expected_file.exists():
        raise FileNotFoundError(f"no labels at {expected_file}")
    labels = json.loads(expected_file.read_text(encoding="utf-8"))
    return evaluate_items([(sample / rel, rel, lab) for rel, lab in labels.items()])


def evaluate_items(items: list[tuple[Path, str, dict]]) -> dict[str, Score]:
    """Score (file, name, labels) triples per category."""
    scores = {c: Score() for c in CATEGORIES}
    for path, rel, lab in items:
        text = path.read_text(encoding="utf-8-sig")
        parsed = reparse_text(text, rel)  # as ``reextract`` would parse it once stored
        got, want = predicted(parsed), expected(lab)
        for cat in CATEGORIES:
            scores[cat].add(rel, want[cat], got[cat])
    return scores


class Command(BaseCommand):
    help = "Print P/R/F1 of people, countries and cities on tests/extraction/devset."
    # Pure computation: no database, no URLs to check.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--devset", default=str(DEVSET_DIR), help="The dev set folder.")
        parser.add_argument("--verbose", action="store_true", help="List every error.")

    def handle(self, *args, **options):
        try:
            scores = evaluate(Path(options["devset"]))
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{'':10} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn")
        for cat, s in scores.items():
            self.stdout.write(
                f"{cat:10} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}  "
                f"{s.tp:3} {s.fp:3} {s.fn:3}"
            )
        if options["verbose"]:
            for cat, s in scores.items():
                for err in s.errors:
                    self.stdout.write(f"  [{cat}] {err}")
