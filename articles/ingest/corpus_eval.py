"""Scoring the extractor on the labelled corpora in ../shared/corpora (CoNLL-2003, Reuters-21578).

People are counted as people, not strings: the gold strings of one document are grouped into
people ("Bitar" and "Salem Bitar" are one), and a person found under any of its forms counts
once. Pure Python; the corpora are read straight from their tarballs.
"""

from __future__ import annotations

import json
import tarfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .types import ParsedArticle

CONLL_TARBALL = "conll2003-train-dev.tar.gz"
REUTERS_TARBALL = "reuters21578-train.tar.gz"
# Reuters place labels whose spelling the gazetteer does not know.
REUTERS_COUNTRY = {
    "usa": "US",
    "uk": "GB",
    "ussr": "SU",
    "west-germany": "DE",
    "east-germany": "DD",
    "yemen-arab-republic": "YE",
    "yemen-demo-republic": "YE",
    "kampuchea": "KH",
    "trinidad-tobago": "TT",
    "us-virgin-islands": "VI",
    "zaire": "CD",
    "burma": "MM",
    "ivory-coast": "CI",
    "czechoslovakia": "CS",
    "yugoslavia": "YU",
    "congo": "CG",
    "uae": "AE",
}

Parse = Callable[[str, str], ParsedArticle]


def fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _short_of(short: list[str], full: list[str]) -> bool:
    """Is one gold string a shorter form of another: "Bitar" / "Salem Bitar", "Dale" / "A. Dale"."""
    return len(short) < len(full) and (
        full[-len(short) :] == short or (len(short) == 1 and short[0] in full)
    )


def person_clusters(strings: list[str]) -> list[set[str]]:
    """The gold person strings of one document grouped into people (folded forms)."""
    names = sorted({fold(s) for s in strings}, key=lambda s: -len(s.split()))
    clusters: list[set[str]] = []
    heads: list[list[str]] = []
    for name in names:
        words = name.split()
        owners = [i for i, head in enumerate(heads) if _short_of(words, head)]
        if len(owners) == 1:
            clusters[owners[0]].add(name)
        else:  # a new person, or a short form two people share: counted on its own
            clusters.append({name})
            heads.append(words)
    return clusters


def _forms(parsed: ParsedArticle) -> list[set[str]]:
    return [{fold(p.name), *(fold(a) for a in p.aliases)} for p in parsed.people]


def score_people(parsed: ParsedArticle, gold: list[str], tally: Tally, label: str) -> None:
    """Add one document's people to the tally: each gold person found once is a hit."""
    clusters = person_clusters(gold)
    found = [False] * len(clusters)
    for forms in _forms(parsed):
        hits = [i for i, c in enumerate(clusters) if forms & c]
        if not hits:
            tally.fp += 1
            tally.errors.append(f"{label}: spurious {sorted(forms)[0]}")
        for i in hits:
            found[i] = True
    for cluster, hit in zip(clusters, found, strict=True):
        if hit:
            tally.tp += 1
        else:
            tally.fn += 1
            tally.errors.append(f"{label}: missed {max(cluster, key=len)}")


def _members(tarball: Path, prefix: str) -> Iterator[tuple[str, bytes]]:
    with tarfile.open(tarball, "r:*") as tar:
        for member in tar:
            if member.isfile() and member.name.startswith(prefix):
                fh = tar.extractfile(member)
                if fh is not None:
                    yield member.name[len(prefix) :], fh.read()


def conll_documents(corpora: Path, split: str) -> Iterator[tuple[str, str, list[str]]]:
    """(file name, text, gold person strings) of the CoNLL-2003 ``split`` (train or dev)."""
    files = dict(_members(corpora / CONLL_TARBALL, f"conll2003/{split}/"))
    for doc in json.loads(files["gold.json"]):
        yield doc["file"], files[doc["file"]].decode("utf-8"), doc["people"]


def score_conll(corpora: Path, split: str, parse: Parse, limit: int | None = None) -> Tally:
    tally = Tally()
    for n, (name, text, gold) in enumerate(conll_documents(corpora, split)):
        if limit is not None and n >= limit:
            break
        score_people(parse(text, name), gold, tally, name)
    return tally


def reuters_stories(corpora: Path) -> Iterator[tuple[str, str, list[str], list[str]]]:
    """(file name, text, place labels, person labels) of each Reuters training story."""
    files = dict(_members(corpora / REUTERS_TARBALL, "reuters21578-train/"))
    rows = files.pop("index.tsv").decode("utf-8").splitlines()
    header = rows[0].split("\t")
    for row in rows[1:]:
        rec = dict(zip(header, row.split("\t"), strict=False))
        data = files.get(f"articles/{rec['file']}")
        if data is None:
            continue
        places = [p for p in rec.get("places", "").split(";") if p]
        people = [p for p in rec.get("people", "").split(";") if p]
        yield rec["file"], data.decode("utf-8", errors="replace"), places, people


def reuters_country(label: str, lookup: Callable[[str], str | None]) -> str | None:
    """ISO code of a Reuters place label ("west-germany" -> DE), None if not a country."""
    return REUTERS_COUNTRY.get(label) or lookup(label.replace("-", " ").title())


@dataclass
class ReutersScore:
    people: Tally
    countries: Tally
    unmapped: set[str]


def score_reuters(
    corpora: Path,
    parse: Parse,
    lookup: Callable[[str], str | None],
    *,
    people_only: bool = False,
    limit: int | None = None,
) -> ReutersScore:
    """Person-label recall by surname, country-label recall (precision is checked by hand)."""
    result = ReutersScore(Tally(), Tally(), set())
    n = 0
    for name, text, places, people in reuters_stories(corpora):
        if people_only and not people:
            continue
        if not places and not people:
            continue
        n += 1
        if limit is not None and n > limit:
            break
        parsed = parse(text, name)
        found_words = {w for forms in _forms(parsed) for f in forms for w in f.split()}
        for label in people:
            if label.rsplit("-", 1)[-1] in found_words:
                result.people.tp += 1
            else:
                result.people.fn += 1
                result.people.errors.append(f"{name}: missed {label}")
        codes = {p.country_code for p in parsed.places if p.country_code}
        for label in places:
            code = reuters_country(label, lookup)
            if code is None:
                result.unmapped.add(label)
            elif code in codes:
                result.countries.tp += 1
            else:
                result.countries.fn += 1
                result.countries.errors.append(f"{name}: missed {label}")
    return result
