"""ImportOptions: one object per run, stored on its batch in one shape and read back."""

import datetime as dt

import pytest

from articles.importing import ImportOptions, run_import
from articles.ingest.types import RawFile
from articles.models import ImportBatch

TEXT = "Valley news\n\nThe valley road reopened on Tuesday after the floods.\n"


@pytest.mark.parametrize(
    "options",
    [
        ImportOptions(),
        ImportOptions(dry_run=True),
        ImportOptions(
            source_name="Valley Gazette",
            section_path=("Business", "Farming"),
            published=dt.date(2024, 4, 2),
        ),
    ],
)
def test_options_survive_the_round_trip_through_a_batch(options):
    assert ImportOptions.from_json(options.to_json()) == options


def test_how_a_run_is_done_is_given_again_not_stored():
    options = ImportOptions(source_name="Valley Gazette", workers=4, chunk_size=20)
    stored = options.to_json()
    assert "workers" not in stored and "chunk_size" not in stored
    again = ImportOptions.from_json(stored, workers=4, chunk_size=20)
    assert again == options


def test_blank_overrides_mean_none_whoever_builds_the_options():
    options = ImportOptions(source_name="", section_path=[])
    assert (options.source_name, options.section_path) == (None, None)
    assert ImportOptions(section_path=["News", "Iran"]).section_path == ("News", "Iran")
    assert ImportOptions.from_json(None) == ImportOptions()


@pytest.mark.django_db
def test_the_batch_stores_the_options_and_the_process_running_it():
    options = ImportOptions(section_path=("News", "Valley"), published=dt.date(2024, 4, 2))
    batch = run_import([RawFile(name="valley.txt", data=TEXT.encode())], options=options)

    stored = ImportBatch.objects.get(pk=batch.pk).options
    assert stored["section"] == "News / Valley"
    assert stored["published"] == "2024-04-02"
    assert {"host", "pid"} <= set(stored)
    assert ImportOptions.from_json(stored) == options
