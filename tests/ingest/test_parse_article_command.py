"""``manage.py parse_article``: JSON lines or a summary, overrides, failures, no database.

No test here is marked django_db: pytest-django fails any test that touches the database.
"""

import io
import json
import subprocess
import sys
import zipfile

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import REPO, SEED

ARTICLE = """Business   /   Energy

Wind farm output sets a winter record

Turbines off the coast on January 12, 2024. (Photo by Harbour Images)

Offshore wind farms produced a record share of the country's electricity on Friday, the grid operator said.

Output peaked in the early evening as demand rose.
"""


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("parse_article", *map(str, args), stdout=out, stderr=err)
        failure = None
    except CommandError as exc:
        failure = str(exc)
    return out.getvalue(), failure


def json_lines(output):
    return [json.loads(line) for line in output.splitlines() if line.strip()]


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "017_00112233aabbccdd.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_json_output_has_one_object_per_article(article):
    output, failure = run(article, "--json")

    assert failure is None
    [obj] = json_lines(output)
    assert obj["file"] == "017_00112233aabbccdd.txt"
    assert obj["section_path"] == ["Business", "Energy"]
    assert obj["headline"] == "Wind farm output sets a winter record"
    assert obj["caption"] == "Turbines off the coast on January 12, 2024."
    assert obj["caption_credit"] == "Photo by Harbour Images"
    assert obj["published"] == "2024-01-12"
    assert obj["published_how"] == "explicit"
    assert obj["source"] == "Unknown"
    assert [b["kind"] for b in obj["blocks"]] == ["paragraph", "paragraph"]
    assert isinstance(obj["people"], list)
    assert isinstance(obj["places"], list)
    assert "error" not in obj


def test_source_and_section_options_override_the_file(article):
    output, _ = run(article, "--json", "--source", "Harbour Post", "--section", "News / Iran")

    [obj] = json_lines(output)
    assert obj["source"] == "Harbour Post"
    assert obj["section_path"] == ["News", "Iran"]


def test_failures_are_printed_as_objects_and_the_command_fails(tmp_path, article):
    (tmp_path / "empty.txt").write_text("\n")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x00\x00\x01\x02")

    output, failure = run(tmp_path, "--json")

    objs = {obj["file"].rsplit("/", 1)[-1]: obj for obj in json_lines(output)}
    assert objs["empty.txt"]["error"] == "empty file"
    assert objs["binary.txt"]["error"] == "binary file: contains NUL bytes"
    assert "error" not in objs["017_00112233aabbccdd.txt"]
    assert failure == "2 of 3 file(s) could not be parsed"


def test_archives_are_read_like_folders(tmp_path):
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("energy/017.txt", ARTICLE)
        zf.writestr("../evil.txt", ARTICLE)

    output, failure = run(archive, "--json")

    objs = json_lines(output)
    assert [o["file"] for o in objs] == ["batch.zip/energy/017.txt", "batch.zip/../evil.txt"]
    assert objs[0]["headline"] == "Wind farm output sets a winter record"
    assert objs[1]["error"] == "unsafe archive entry: '..' in path"
    assert failure == "1 of 2 file(s) could not be parsed"


def test_readable_summary_without_json(article, tmp_path):
    output, failure = run(article, tmp_path / "missing.txt")

    assert "017_00112233aabbccdd.txt" in output
    assert "headline:  Wind farm output sets a winter record" in output
    assert "section:   Business / Energy" in output
    assert "published: 2024-01-12 (explicit)" in output
    assert "body:      2 paragraph(s), 0 subheading(s)" in output
    assert "FAILED: no such file or directory" in output
    assert output.rstrip().endswith("2 file(s), 1 parsed, 1 failed")
    assert failure == "1 of 2 file(s) could not be parsed"


@pytest.mark.skipif(not SEED.exists(), reason="seed article not available")
def test_the_seed_through_the_command():
    output, failure = run(SEED, "--json")

    assert failure is None
    [obj] = json_lines(output)
    assert obj["source"] == "Press TV"
    assert obj["section_path"] == ["News", "Russia"]
    assert obj["caption_credit"] == "Via AFP"
    assert obj["published"] == "2022-02-25"
    assert [b["kind"] for b in obj["blocks"]].count("paragraph") == 11


def test_exit_status_from_the_command_line(article, tmp_path):
    good = subprocess.run(
        [sys.executable, "manage.py", "parse_article", "--json", str(article)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    bad = subprocess.run(
        [sys.executable, "manage.py", "parse_article", str(tmp_path / "nope.txt")],
        cwd=REPO,
        capture_output=True,
        text=True,
    )

    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["headline"] == "Wind farm output sets a winter record"
    assert bad.returncode != 0
    assert "could not be parsed" in bad.stderr


WIRE_STORY = """PORT OF LEITH <PLH> RAISES FEES

EDINBURGH, March 3 - The Port of Leith said it would raise
its berthing fees by four pct from next month to pay for the
new lock gates.
    The port said traffic had grown for a third year.
          1986   1985
 Ships    2,410  2,205
 REUTER
"""


def test_period_option_and_the_new_fields(tmp_path):
    story = tmp_path / "leith.txt"
    story.write_text(WIRE_STORY, encoding="utf-8")
    out, failure = run(story, "--period", "1987")
    assert failure is None
    assert "published: 1987-03-03 (inferred)" in out
    assert "dateline:  EDINBURGH, March 3 (Edinburgh)" in out
    assert "tickers:   PLH" in out
    assert "1 table(s)" in out
    assert "removed:   2 (sign-off, ticker)" in out
    out, failure = run(story, "--json")
    data = json_lines(out)[0]
    assert data["tickers"] == ["PLH"]
    assert data["layout"] == "wire"
    assert [b["kind"] for b in data["blocks"]] == ["paragraph", "paragraph", "table"]
    assert data["published"] is None


def test_a_bad_period_is_an_error(tmp_path):
    story = tmp_path / "leith.txt"
    story.write_text(WIRE_STORY, encoding="utf-8")
    out, failure = run(story, "--period", "1987:1986")
    assert failure is not None and failure.startswith("--period:")
    assert out == ""
