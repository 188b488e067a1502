"""Extraction on labelled text nobody here wrote (../shared/corpora): the suite fails when the
figures drop below the level reached (docs/extraction.md). Skipped when the corpora are absent."""

import filecmp
import io

import pytest
from django.core.management import call_command

from articles.ingest import corpus_eval
from articles.ingest.tagger import MODEL_FILE
from articles.management.commands.score_extraction import CORPORA, parse_and_extract

CONLL = CORPORA / corpus_eval.CONLL_TARBALL
needs_conll = pytest.mark.skipif(
    not CONLL.exists(), reason=f"CoNLL-2003 corpus not found at {CONLL}: corpus scores skipped"
)

CONLL_DEV_F1 = 0.92
CONLL_DEV_PRECISION = 0.95


@needs_conll
def test_conll_dev_people_counted_as_people_stay_at_the_level_reached():
    tally = corpus_eval.score_conll(CORPORA, "dev", parse_and_extract)
    assert tally.tp + tally.fn > 1000  # the whole dev part was read
    assert tally.precision >= CONLL_DEV_PRECISION, tally.errors[:20]
    assert tally.f1 >= CONLL_DEV_F1, tally.errors[:20]


@needs_conll
def test_the_committed_person_model_is_what_the_command_builds(tmp_path):
    out = tmp_path / "person_tagger.json.gz"
    call_command("build_person_model", output=str(out), stdout=io.StringIO())
    assert filecmp.cmp(out, MODEL_FILE, shallow=False)


def test_gold_strings_are_grouped_into_people():
    clusters = corpus_eval.person_clusters(["Salem Bitar", "Bitar", "A. Dale", "Dale", "Hussain"])
    assert sorted(map(sorted, clusters)) == [
        ["a. dale", "dale"],
        ["bitar", "salem bitar"],
        ["hussain"],
    ]


def test_a_person_found_under_any_form_counts_once():
    from articles.ingest.types import ParsedArticle, PersonMention

    parsed = ParsedArticle(file="t.txt", text="")
    parsed.people = [
        PersonMention(name="Salem Bitar", mentions=2, aliases=["Bitar"]),
        PersonMention(name="Omar Khalil", mentions=1),
    ]
    tally = corpus_eval.Tally()
    corpus_eval.score_people(parsed, ["Salem Bitar", "Bitar", "Nadia Farah"], tally, "doc")
    assert (tally.tp, tally.fp, tally.fn) == (1, 1, 1)
