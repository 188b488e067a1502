"""Print a fixed sample of Reuters and PTC stories with the people and places extracted, for a
check by hand (every Nth story, so the sample is the same before and after a change)."""

from __future__ import annotations

import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.ingest.extract import extract_entities
from articles.management.commands.eval_extraction import parse_for_extraction

CORPORA = Path(settings.BASE_DIR).parent / "shared" / "corpora"
TARBALLS = {"reuters": "reuters21578-train.tar.gz", "ptc": "ptc-train.tar.gz"}


def sample_texts(tarball: Path, count: int, step: int) -> list[tuple[str, str]]:
    """Every ``step``-th article of the tarball, ``count`` of them, in name order."""
    with tarfile.open(tarball, "r:*") as tar:
        members = sorted(
            (m for m in tar if m.isfile() and "/articles/" in m.name and m.name.endswith(".txt")),
            key=lambda m: m.name,
        )
        picked = members[::step][:count]
        out = []
        for m in picked:
            fh = tar.extractfile(m)
            out.append((Path(m.name).name, fh.read().decode("utf-8", errors="replace")))
        return out


class Command(BaseCommand):
    help = "Print sampled Reuters/PTC stories with their extracted people and places."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("corpus", choices=sorted(TARBALLS))
        parser.add_argument("--count", type=int, default=50)
        parser.add_argument("--step", type=int, default=97)
        parser.add_argument("--corpora", default=str(CORPORA))
        parser.add_argument("--chars", type=int, default=1500, help="Text shown per story.")

    def handle(self, *args, **options):
        tarball = Path(options["corpora"]) / TARBALLS[options["corpus"]]
        if not tarball.exists():
            raise CommandError(f"no corpus at {tarball}")
        for name, text in sample_texts(tarball, options["count"], options["step"]):
            parsed = parse_for_extraction(text, name)
            extract_entities(parsed)
            body = "\n".join([parsed.headline, *(b.text for b in parsed.blocks)])
            self.stdout.write(f"===== {name}\n{body[: options['chars']]}")
            people = "; ".join(
                f"{p.name} {p.aliases}" if p.aliases else p.name for p in parsed.people
            )
            places = "; ".join(f"{p.name} ({p.kind}, {p.country_code})" for p in parsed.places)
            self.stdout.write(f"--> PEOPLE: {people}\n--> PLACES: {places}\n")
