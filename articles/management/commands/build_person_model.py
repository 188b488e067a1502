"""Train the person tagger on CoNLL-2003's training part and write
articles/data/person_tagger.json.gz (see docs/extraction.md)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.ingest import tagger_train
from articles.ingest.gazetteer import get_gazetteer
from articles.ingest.people import PeopleFinder
from articles.ingest.tagger import MODEL_FILE

CORPORA = Path(settings.BASE_DIR).parent / "shared" / "corpora"


class Command(BaseCommand):
    help = "Train the person tagger on CoNLL-2003 train and write the committed model file."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--corpora", default=str(CORPORA), help="The corpora folder.")
        parser.add_argument("--epochs", type=int, default=8)
        parser.add_argument("--output", default=str(MODEL_FILE))

    def handle(self, *args, **options):
        tarball = Path(options["corpora"]) / "conll2003-train-dev.tar.gz"
        if not tarball.exists():
            raise CommandError(f"no CoNLL-2003 tarball at {tarball}")
        finder = PeopleFinder(get_gazetteer())
        data = list(
            tagger_train.examples(
                tagger_train.conll_sentences(tarball), finder.tagger_lexicon(), finder.skip_run
            )
        )
        weights = tagger_train.train(data, epochs=options["epochs"])
        meta = {"trained_on": "conll2003/eng.train", "epochs": options["epochs"], "runs": len(data)}
        out = Path(options["output"])
        tagger_train.save(weights, out, meta)
        size = out.stat().st_size / 1e6
        self.stdout.write(f"{len(data)} runs, {len(weights)} weights, {out} ({size:.1f} MB)")
