"""Finding places in an article: a whole-word, longest-match scan of capitalised words against
the gazetteer, then each ambiguous name resolved with what the rest of the article says.

See docs/extraction.md for the rules and the traps.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from .gazetteer import City, Country, Gazetteer, Ref, Region
from .names import words

# A capitalised word: where a place name can start.
CAP_WORD = re.compile(r"(?<![\w.'’-])[A-ZÀ-ÖØ-Þ][\w]*")
WORD_CHAR = re.compile(r"\w")
SENTENCE_END = set(".!?:;\"“”‘'(—–-•*\n")
# Countries that are also given names: "Jordan Henderson", "Chad Smith", "Georgia May".
NAME_LIKE_COUNTRIES = words(
    """
    Jordan Chad Georgia Israel Kenya India Niger
    """
)
# Capitalised words that may follow a city without making it part of another name.
PLACE_FOLLOWERS = words(
    """
    United City Rovers Athletic Wanderers Albion Villa Hotspur FC Athletico Atletico
    Stock Exchange University Province Airport Municipality International Olympics Marathon
    Conference Summit Declaration Metro Police Mayor City Council Court Governor Chamber
    Festival Fair Exhibition Book Film Games Process Talks Agreement Accord Accords Protocol
    Convention Format Group Regional Area Port Bay Harbour Harbor Zoo
    Museum Stadium Arena Opera Philharmonic Symphony Orchestra Motor Show Expo Grand Prix Open
    Masters Cup Peace Security Dialogue Forum Institute Centre Center Hospital Prison Station
    Square Street Road Bridge Gate Mosque Cathedral Palace Embassy Office Branch Bureau
    Headquarters Government Authority Administration Regime Army Forces Military Communique
    Statement Treaty Pact Deal  Initiative Memorandum
    """
)
# Capitalised words that may precede a place without making it part of another name.
PLACE_PRECEDERS = words(
    """
    In At From To Of On The And But Or Near Outside Inside Across Around Via For With By Against
    Between Both Neither Nor Like Unlike Into Beyond Despite Meanwhile Also Visit Capital
    Central Northern Southern Eastern Western North South East West Greater Downtown Old New
    Upper Lower Post Pre Off Over Under After Before Since While When Where Says Said Leaves
    Reaches Hosts Host Visits Arrives Arrive Flee Flees Hit Hits Backs Slams Urges Calls Ties
    Trip
    """
)
LANGUAGE_AFTER = re.compile(
    r"[- ](?:language|speaking|speakers?|translation|version|subtitles|words?|daily|dailies"
    r"|newspaper|edition|teachers?|courses?|literature|classes|lessons|dubbed)\b"
)
LANGUAGE_BEFORE = re.compile(r"\b(?:in|into|from|speak|speaks|spoke|learn|learning)\s+$")
_COMPANY = (
    r"(?:Inc|Corp|Corporation|Co|Cos|Ltd|Plc|PLC|LLC|Bancorp|Bancshares|Bank|Banks|Fund|Funds"
    r"|Systems|Holdings|Industries|Savings|Financial|Securities|Investors|Airlines|Airways"
    r"|Instruments|Electric|Telecom|Telecommunications|Insurance|Realty|Properties)\b"
)
# A company named after a place: the place word, at most one other capitalised word, a suffix.
COMPANY_AFTER = re.compile(rf"(?:[ \u00a0]+[A-Z][\w&'.-]*)?[ \u00a0]+{_COMPANY}")
COMPANY_AFTER_UPPER = re.compile(rf"(?:[ \u00a0]+[A-Z][\w&'.-]*)?[ \u00a0]+{_COMPANY}", re.I)
AFTER_PLACE_COMMA = re.compile(r"[A-ZÀ-ÖØ-Þ][\w.'’-]*,$")
OF_NAME = re.compile(r"\s+of\s+(?:the\s+)?[A-ZÀ-ÖØ-Þ]")
BIG_CITY = 1_000_000
SMALL_TOWN = 100_000


@dataclass(slots=True)
class Hit:
    pos: int
    end: int
    surface: str
    refs: tuple[Ref, ...]


@dataclass(slots=True)
class PlaceFound:
    kind: str  # country | region | city
    target: Country | Region | City
    mentions: int = 0
    first_pos: int = 0
    names: set[str] = field(default_factory=set)

    @property
    def country_code(self) -> str:
        t = self.target
        return t.iso if isinstance(t, Country) else t.country


def is_title_case_line(text: str) -> bool:
    """A headline in Title Case (every word capitalised): capitals carry no information.

    Only short lines count: a long all-capitals paragraph is a list of names (a squad)."""
    return len(text) <= 200 and _title_case_short_line(text)


@lru_cache(maxsize=4096)
def _title_case_short_line(text: str) -> bool:
    """(Cached: people and places both ask of every short segment.)"""
    words = caps = 0
    for w in text.split():
        if w[0].isalpha():
            words += 1
            caps += w[0].isupper()
    return words >= 3 and caps / words > 0.8


class PlaceFinder:
    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer

    def scan(self, text: str, offset: int, masked: list[tuple[int, int]]) -> list[Hit]:
        """Longest whole-word gazetteer matches in one segment, skipping masked spans."""
        gaz = self.gaz
        hits: list[Hit] = []
        title_case = is_title_case_line(text)
        starts = [s for s, _ in masked]
        pos = 0
        for m in CAP_WORD.finditer(text):
            p = m.start()
            if p < pos:
                continue
            word = m.group()
            if masked:
                i = bisect_right(starts, offset + p) - 1
                if i >= 0 and masked[i][0] <= offset + p < masked[i][1]:
                    continue
            surfaces = gaz.by_first.get(word)
            upper = False
            if surfaces is None:
                if word.isupper() and len(word) >= 3:
                    surfaces = gaz.by_first_upper.get(word)
                    upper = True
                if surfaces is None:
                    continue
            hit = None
            for s in surfaces:
                n = len(s.text)
                chunk = text[p : p + n]
                if (chunk.lower() == s.folded) if upper else (chunk == s.text):
                    nxt = text[p + n : p + n + 1]
                    if nxt and WORD_CHAR.match(nxt):
                        continue
                    hit = Hit(p, p + n, s.text, s.refs)
                    break
            if hit is None:
                continue
            pos = hit.end
            if self.rejected(text, hit, title_case, upper):
                continue
            hit.pos += offset
            hit.end += offset
            hits.append(hit)
        return hits

    def rejected(self, text: str, hit: Hit, title_case: bool, upper: bool) -> bool:
        """Context rules: ambiguous words, names that are part of a longer proper name."""
        refs = hit.refs
        if any(r.kind == "blocked" for r in refs):
            return False  # consumed, dropped later
        surface = hit.surface
        if text[hit.pos - 1 : hit.pos] == "<":
            return True  # a ticker: <XICO>
        # A company named after a place (Mentor Systems, France Fund Inc); a demonym still
        # says where it is (Royal Dutch Airlines), and so does "Ford Motor Co of Canada Ltd".
        if (
            not any(r.kind == "adjective" for r in refs)
            and self.company_after(text, hit.end, upper)
            and not re.search(r"\bof\s+$", text[max(0, hit.pos - 4) : hit.pos], re.I)
        ):
            return True
        before = text[: hit.pos].rstrip()
        if surface in self.gaz.state_abbreviations:
            return AFTER_PLACE_COMMA.search(before[-40:]) is None
        sentence_start = not before or before[-1] in SENTENCE_END
        if surface in self.gaz.ambiguous and (sentence_start or title_case or upper):
            return True
        if any(r.kind == "adjective" for r in refs) and self.is_language_use(text, hit):
            return True
        has_country = any(r.kind in ("country", "adjective", "region") for r in refs)
        if has_country and surface not in NAME_LIKE_COUNTRIES:
            return False
        if title_case or upper:
            return False
        # Part of a longer capitalised name? (Paris Hilton, Michael Jordan, Golden Lion,
        # University of Sussex)
        after = text[hit.end : hit.end + 40]
        if OF_NAME.match(after):
            return True
        if surface in self.gaz.ambiguous and re.search(
            r"[A-ZÀ-ÖØ-Þ]\w*\s+of\s+(?:the\s+)?$", text[max(0, hit.pos - 40) : hit.pos]
        ):
            return True  # "Statue of Liberty", "Bank of Reading"
        nm = re.match(r"[ \u00a0]([A-ZÀ-ÖØ-Þ][\w’'-]*)", after)
        if nm and nm.group(1) not in PLACE_FOLLOWERS and not self.is_country_word(nm.group(1)):
            return True
        pm = re.search(r"([A-ZÀ-ÖØ-Þ][\w’'-]*)[ \u00a0]$", text[max(0, hit.pos - 40) : hit.pos])
        if pm and not sentence_start:
            word = pm.group(1)
            if word not in PLACE_PRECEDERS and not self.is_country_word(word):
                prev = text[: hit.pos - len(word) - 1].rstrip()
                # "In Moscow" at a sentence start: the preceding word is itself sentence-initial.
                if prev and prev[-1] not in SENTENCE_END:
                    return True
        return False

    @staticmethod
    def company_after(text: str, end: int, upper: bool) -> bool:
        """Is the place followed by a company word: "Christiania Bank", "France Fund Inc"?"""
        after = text[end : end + 48]
        if upper:
            return COMPANY_AFTER_UPPER.match(after) is not None
        return COMPANY_AFTER.match(after) is not None

    @staticmethod
    def is_language_use(text: str, hit: Hit) -> bool:
        """ "English-language daily", "translated into French": a language, not a country."""
        after = text[hit.end : hit.end + 24]
        if LANGUAGE_AFTER.match(after):
            return True
        return bool(
            LANGUAGE_BEFORE.search(text[max(0, hit.pos - 8) : hit.pos])
            and (not after or after[0] in ".,;:)" or after.startswith((" and ", " or ")))
        )

    def is_country_word(self, word: str) -> bool:
        """A country, region or demonym word: "Syrian Damascus", "Russia Ukraine"."""
        base = word[:-2] if word.endswith(("'s", "’s")) else word
        return any(r.kind in ("country", "adjective", "region") for r in self.gaz.lookup(base))

    def evidence(self, hits: list[Hit]):
        """What the article names unambiguously: (countries named by their own name, country
        evidence by name, adjective or region, regions named, regions and cities per country)."""
        gaz = self.gaz
        named: dict[str, int] = {}  # country -> times named by its own name
        country_evidence: dict[str, int] = {}  # ... by name, adjective or region
        region_evidence: set[int] = set()
        subnational: dict[str, int] = {}  # country -> regions and cities named
        for h in hits:
            # A country name shared with towns (Lebanon, Tennessee) is still the country.
            top = [r for r in h.refs if r.kind in ("country", "adjective", "region")]
            if len(top) == 1 or len(h.refs) == 1:
                r = top[0] if top else h.refs[0]
                t = r.target
                if isinstance(t, Country):
                    country_evidence[t.iso] = country_evidence.get(t.iso, 0) + 1
                    if r.kind == "country":
                        named[t.iso] = named.get(t.iso, 0) + 1
                elif isinstance(t, Region):
                    country_evidence[t.country] = country_evidence.get(t.country, 0) + 1
                    if r.kind == "region":
                        region_evidence.add(t.index)
                    subnational[t.country] = subnational.get(t.country, 0) + 1
                elif (
                    isinstance(t, City)
                    and t.population >= (BIG_CITY if r.kind == "city_alt" else SMALL_TOWN)
                    and h.surface not in gaz.ambiguous
                ):
                    # A city with one meaning says which country the story is in (Derby).
                    subnational[t.country] = subnational.get(t.country, 0) + 1
                    country_evidence[t.country] = country_evidence.get(t.country, 0) + 1
            elif all(r.kind in ("city", "city_alt") for r in h.refs):
                pops = sorted((r.target.population for r in h.refs), reverse=True)
                big = max(h.refs, key=lambda r: r.target.population).target
                if big.population >= BIG_CITY:
                    subnational[big.country] = subnational.get(big.country, 0) + 1
                # A name one city dominates (Derby, England, over Derby, Kansas) counts too.
                if (
                    pops[0] >= SMALL_TOWN
                    and pops[0] >= 10 * pops[1]
                    and h.surface not in gaz.ambiguous
                ):
                    country_evidence[big.country] = country_evidence.get(big.country, 0) + 1
        return named, country_evidence, region_evidence, subnational

    def resolve(self, hits: list[Hit]) -> list[PlaceFound]:
        """Decide what each hit means and count mentions per place."""
        gaz = self.gaz
        hits = [h for h in hits if not any(r.kind == "blocked" for r in h.refs)]
        named, country_evidence, region_evidence, subnational = self.evidence(hits)
        # Georgia: the US state in a story about the US that names nothing else Georgian
        # (Tbilisi, "Georgia" elsewhere unambiguous); then "Georgians" are the state's people.
        state_for: dict[str, Ref] = {}
        for h in hits:
            countries = [r for r in h.refs if r.kind == "country"]
            regions = [r for r in h.refs if r.kind == "region"]
            if countries and regions:
                region, country = regions[0].target, countries[0].target
                if subnational.get(region.country) and not (
                    named.get(country.iso) or subnational.get(country.iso)
                ):
                    state_for[country.iso] = regions[0]
                    region_evidence.add(region.index)
        admin1 = {(gaz.regions[i].country, gaz.regions[i].admin1) for i in region_evidence}
        for iso in state_for:
            country_evidence.pop(iso, None)

        found: dict[tuple[str, object], PlaceFound] = {}

        def record(kind: str, target, h: Hit, mention: int = 1) -> None:
            key = (kind, target.iso if isinstance(target, Country) else target.index)
            pf = found.get(key)
            if pf is None:
                pf = found[key] = PlaceFound(kind, target, 0, h.pos)
            pf.mentions += mention
            pf.first_pos = min(pf.first_pos, h.pos)
            pf.names.add(h.surface)

        for h in hits:
            ref = self.choose(h, country_evidence, admin1, state_for)
            if ref is None:
                continue
            t = ref.target
            if isinstance(t, Country):
                record("country", t, h)
            elif isinstance(t, Region):
                record("region", t, h)
            else:
                record("city", t, h)
        # A city or region also links its country (mentions counted from its own names only).
        for pf in list(found.values()):
            if pf.kind != "country":
                iso = pf.country_code
                country = gaz.countries.get(iso)
                if country is not None:
                    key = ("country", iso)
                    if key not in found:
                        found[key] = PlaceFound("country", country, 0, pf.first_pos)
                    else:
                        found[key].first_pos = min(found[key].first_pos, pf.first_pos)
        return sorted(found.values(), key=lambda p: (-p.mentions, p.first_pos))

    def choose(
        self,
        h: Hit,
        country_evidence: dict[str, int],
        admin1: set[tuple[str, str]],
        state_for: dict[str, Ref],
    ) -> Ref | None:
        refs = h.refs
        countries = [r for r in refs if r.kind in ("country", "adjective")]
        regions = [r for r in refs if r.kind == "region"]
        cities = [r for r in refs if r.kind in ("city", "city_alt")]
        if countries and isinstance(countries[0].target, Country):
            iso = countries[0].target.iso
            if iso in state_for:
                return state_for[iso]
        if countries:
            return countries[0]
        if regions:
            return regions[0]
        if not cities:
            return None
        best, best_score = None, -math.inf
        biggest = max(r.target.population for r in cities)
        for r in cities:
            c: City = r.target
            score = math.log10(c.population + 1)
            if c.is_capital:
                score += 1
            # The article's countries break ties between comparable cities (Tripoli in a
            # Lebanon story), never an obscure town over a major city (Liverpool, Paris).
            if country_evidence.get(c.country) and c.population * 10 >= biggest:
                score += 2
            if c.admin1 and (c.country, c.admin1) in admin1:
                score += 5
            if r.kind == "city_alt":
                score -= 1
            if c.index in self.gaz.prominent:
                score += 3  # Venice, Geneva: over Venice, Florida unless Florida is named
            if score > best_score:
                best, best_score = r, score
        c = best.target
        if country_evidence.get(c.country):
            return best
        # A small town, a city named like a common word (Batman, Sterling), or another
        # spelling of a city that is not a metropolis (Reinosa, Spain, is not Reynosa, Mexico)
        # needs its country named somewhere in the article.
        if c.index in self.gaz.prominent and h.surface not in self.gaz.ambiguous:
            return best
        if c.population < SMALL_TOWN or h.surface in self.gaz.ambiguous:
            return None
        if best.kind == "city_alt" and c.population < BIG_CITY:
            return None
        return best
