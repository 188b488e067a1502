"""Extraction quality on the labelled development set (tests/extraction/devset): the suite fails when
precision, recall or F1 of people, countries or cities drops below 0.95."""

import pytest

from articles.management.commands.eval_extraction import DEVSET_DIR, evaluate

THRESHOLD = 0.95

pytestmark = pytest.mark.skipif(
    not (DEVSET_DIR / "labels.json").exists(), reason="the labelled dev set is not here"
)


@pytest.fixture(scope="module")
def scores():
    return evaluate(DEVSET_DIR)


@pytest.mark.parametrize("category", ["people", "countries", "cities"])
def test_precision_recall_and_f1_stay_above_the_bar(scores, category):
    s = scores[category]
    assert s.tp > 0
    detail = "; ".join(s.errors[:15])
    assert s.precision >= THRESHOLD, f"{category} precision {s.precision:.3f}: {detail}"
    assert s.recall >= THRESHOLD, f"{category} recall {s.recall:.3f}: {detail}"
    assert s.f1 >= THRESHOLD, f"{category} F1 {s.f1:.3f}: {detail}"


def test_the_eval_command_prints_a_table(capsys):
    from django.core.management import call_command

    call_command("eval_extraction")
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:3] == ["P", "R", "F1"]
    assert {line.split()[0] for line in out.splitlines()[1:4]} == {"people", "countries", "cities"}
