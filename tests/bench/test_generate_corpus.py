"""bench/generate_corpus.py: same seed, same bytes; and the parser reads what it writes."""

from __future__ import annotations

import importlib.util
import random
import re
import sys
import tarfile
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from articles.ingest.gazetteer import get_gazetteer
from articles.ingest.pipeline import parse_raw
from articles.ingest.reader import iter_raw_files
from tests.conftest import REPO


def _load_generator():
    spec = importlib.util.spec_from_file_location(
        "generate_corpus", REPO / "bench" / "generate_corpus.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_corpus"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def _tar_contents(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}


def test_same_seed_gives_the_same_bytes(tmp_path):
    gen.generate(30, tmp_path / "a.tar.gz", seed=7)
    gen.generate(30, tmp_path / "b.tar.gz", seed=7)
    gen.generate(30, tmp_path / "c.tar.gz", seed=8)
    a = (tmp_path / "a.tar.gz").read_bytes()
    assert a == (tmp_path / "b.tar.gz").read_bytes()
    assert a != (tmp_path / "c.tar.gz").read_bytes()


def test_output_does_not_depend_on_the_number_of_workers(tmp_path):
    # 1,001 articles: two shards, so two workers really split the work.
    gen.generate(1001, tmp_path / "one.tar.gz", seed=3, workers=1)
    gen.generate(1001, tmp_path / "two.tar.gz", seed=3, workers=2)
    one = _tar_contents(tmp_path / "one.tar.gz")
    assert len(one) == 1001
    assert one == _tar_contents(tmp_path / "two.tar.gz")
    assert sorted({name.split("/")[0] for name in one}) == ["0000", "0001"]


def test_folder_zip_and_tar_hold_the_same_files(tmp_path):
    gen.generate(12, tmp_path / "t.tar.gz", seed=5)
    gen.generate(12, tmp_path / "z.zip", seed=5)
    gen.generate(12, tmp_path / "folder", seed=5)
    tar = _tar_contents(tmp_path / "t.tar.gz")
    with zipfile.ZipFile(tmp_path / "z.zip") as zf:
        assert {n: zf.read(n) for n in zf.namelist()} == tar
    folder = {
        p.relative_to(tmp_path / "folder").as_posix(): p.read_bytes()
        for p in (tmp_path / "folder").rglob("*.txt")
    }
    assert folder == tar
    for name in tar:
        assert re.fullmatch(r"0000/\d{3}_[0-9a-f]{16}\.txt", name)


def test_parser_reads_generated_articles(tmp_path):
    gen.generate(60, tmp_path / "sample", seed=11)
    parsed = [parse_raw(raw) for raw in iter_raw_files([tmp_path / "sample"])]
    assert len(parsed) == 60
    dated = 0
    sections = set()
    for p in parsed:
        assert p.error is None, (p.file, p.error)
        assert p.section_path and p.headline and p.blocks
        sections.add(" / ".join(p.section_path))
        assert p.people, p.file
        assert any(pl.kind == "country" for pl in p.places), p.file
        words = sum(len(b.text.split()) for b in p.blocks)
        assert gen.MIN_WORDS <= words <= gen.MAX_WORDS + 200, (p.file, words)
        if p.published:
            dated += 1
            assert gen.FIRST_DAY <= p.published <= gen.LAST_DAY
            # The body names the weekday of the stated date ("On Sunday").
            weekday = p.published.strftime("%A")
            assert any(weekday in b.text for b in p.blocks), p.file
    # Most articles state their date; sections come from a tree, not one flat list.
    assert dated >= 45
    assert len(sections) >= 8
    assert any(" / " in s for s in sections)
    assert {p.source for p in parsed} >= {"Press TV", "Northgate Wire"}
    assert any(p.caption_credit for p in parsed)
    assert any(b.kind == "subheading" for p in parsed for b in p.blocks)


def test_people_are_zipf_distributed_and_many():
    world = gen.World(1)
    cast = [p.full for people in world.cast.values() for p in people]
    assert len(cast) >= 5000
    rng = random.Random(0)
    draws = Counter(world.cast_zipf["politics"](rng).full for _ in range(20_000))
    counts = sorted(draws.values(), reverse=True)
    # A few people are in the news all the time, most only now and then.
    assert counts[0] > 50 * counts[len(counts) // 2]
    assert len(draws) > 1000


def test_invented_names_are_not_place_names():
    """Invented surnames and landmark stems must not be gazetteer places, or the extractor
    would count them as places and the benchmark data would not say what it means to."""
    gazetteer = get_gazetteer()
    world = gen.World(1)
    surnames = {p.last for people in world.cast.values() for p in people}
    assert not [s for s in surnames if gazetteer.lookup(s)]
    assert not [f for f in gen.FIRST_NAMES if gazetteer.lookup(f)]
    stems = {name.split()[0] for name in world.landmarks.items}
    assert not [s for s in stems if gazetteer.lookup(s)]


def test_command_line_refuses_bad_sizes(tmp_path, capsys):
    with pytest.raises(SystemExit):
        gen.main(["--n", "0", "--out", str(tmp_path / "x.tar.gz")])
    assert "--n must be between" in capsys.readouterr().err
