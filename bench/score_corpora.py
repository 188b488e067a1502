#!/usr/bin/env python
"""Score the parser on the labelled shared corpora (docs/ingest.md "Measured on real text").

Usage (from the repository root; archives are read in memory, never unpacked):

    .venv/bin/python bench/score_corpora.py [--corpora ../shared/corpora] [--period 1987]
        [--only reuters,ptc,bbc,tehran,seed] [--limit N] [--dump out.json] [--show KIND]

Reuters: wrong dates (against the true timestamps of index.tsv), dates found, indented
paragraph starts that begin a block, sign-offs and ticker tags left, tables found. PTC: bodies
with debris (patterns written here, independently of the parser's own list), dates outside
2016-2019, headline repeated as the first body line, the longest paragraph. BBC, Tehran Times
and the seed: files parsed, dated, blocks. ``--dump`` writes a per-file fingerprint so two
versions of the parser can be compared (``--compare a.json b.json`` lists the files whose
output differs). ``--show`` prints the files behind one count, for reading by hand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import inspect
import json
import re
import sys
import tarfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from articles.ingest.parser import parse_text  # noqa: E402
from articles.ingest.reader import decode_bytes  # noqa: E402

TICKER_RE = re.compile(r"<[A-Z0-9][A-Z0-9.&/-]{0,11}>")
# A sign-off ends the body on its own or after a sentence: not "..., they told Reuters."
SIGN_OFF_RE = re.compile(r"(?:^|[.!?\"'”)]\s*)(?:REUTERS?|[Rr]euters?)\W{0,4}$")
REUTERS_DATE_RE = re.compile(r"(\d{1,2})-([A-Z]{3})-(\d{4})")
MONTHS = {
    m: i
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}

# Web debris, written for the scorer (the parser's rules live in articles/data/debris.txt).
# "^" is a block start or a sentence start: a block may hold several source lines.
START = r"(?:^|(?<=[.!?:] )|(?<=[.!?”\"] ))"
DEBRIS_PATTERNS = [
    (
        "form field",
        re.compile(
            r"This field is for validation purposes|" + START + r"(?:Email|Name)\s*\*", re.I
        ),
    ),
    ("permission", re.compile(r"\b(?:Reprinted|posted|republished) with permission\b", re.I)),
    ("tweet embed", re.compile(r"pic\.twitter\.com/|\(@\w+\) \w+ \d{1,2}, \d{4}$")),
    ("subscribe", re.compile(START + r"(?:Subscribe|Sign Up)\b|unsubscribe at any time", re.I)),
    ("newsletter", re.compile(START + r"[^.!?]{0,60}\bnewsletters?\b[^.!?]{0,60}[.!?]?$", re.I)),
    ("read more", re.compile(START + r"(?:Read more|READ MORE)\b", re.I)),
    ("share", re.compile(START + r"Share this (?:story|article)\b", re.I)),
    ("advertisement", re.compile(START + r"Advertisement(?=$| [A-Z])", re.I)),
    ("photo credit", re.compile(r"\[(?:Photo|Image|Video)s?/[^\]]{1,40}\]", re.I)),
]


def parse(text: str, name: str, period: str | None):
    if period and "period" in inspect.signature(parse_text).parameters:
        from articles.ingest.dates import parse_period

        return parse_text(text, name, period=parse_period(period))
    return parse_text(text, name)


def tar_texts(path: Path, prefix: str = "", limit: int | None = None):
    """(name, decoded text) of the text files in a .tar.gz, in archive order (one pass)."""
    with tarfile.open(path, mode="r|gz") as tar:
        count = 0
        for member in tar:
            if not (member.isfile() and member.name.endswith(".txt")):
                continue
            if not member.name.startswith(prefix):
                continue
            if limit is not None and count >= limit:
                break
            count += 1
            text, _enc = decode_bytes(tar.extractfile(member).read())
            yield member.name, text


def reuters_truth(path: Path) -> dict[str, dt.date]:
    with tarfile.open(path, mode="r|gz") as tar:
        member = next(m for m in tar if m.name.endswith("index.tsv"))
        lines = tar.extractfile(member).read().decode().splitlines()[1:]
    truth = {}
    for line in lines:
        _newid, file, stamp, *_ = line.split("\t")
        d, mon, y = REUTERS_DATE_RE.match(stamp.strip()).groups()
        truth[file] = dt.date(int(y), MONTHS[mon], int(d))
    return truth


def indented_starts(text: str) -> list[str]:
    """Prose lines of a Reuters body that start indented: the paragraph starts (without
    their tags, which the parser takes out)."""
    out = []
    for line in text.split("\n")[2:]:
        if re.match(r"^ {2,}\S", line) and not re.search(r"\S {3,}\S", line.strip()):
            words = line.split()
            figures = sum(1 for w in words if re.search(r"\d", w))
            if " vs " in line or figures * 3 >= len(words):
                continue  # a row of figures ("Net 1.6 mln vs 2.6 mln"), not prose
            if len(words) >= 4 and re.match(r"[\"'A-Za-z(]", words[0]):
                out.append(TICKER_RE.sub("", line).replace("<", "").replace(">", ""))
    return out


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


class Score:
    def __init__(self, show: str | None):
        self.counts: dict[str, int] = {}
        self.show = show
        self.shown: list[str] = []

    def add(self, key: str, n: int = 1, file: str = "") -> None:
        self.counts[key] = self.counts.get(key, 0) + n
        if self.show == key and file and n:
            self.shown.append(file)


def score_reuters(corpora: Path, period, limit, score: Score, dump: dict) -> None:
    archive = corpora / "reuters21578-train.tar.gz"
    truth = reuters_truth(archive)
    for name, text in tar_texts(archive, limit=limit):
        parsed = parse(text, name, period)
        fingerprint(dump, name, parsed)
        score.add("reuters files")
        if parsed.error:
            score.add("reuters failed", file=name)
            continue
        true = truth[name.rsplit("/", 1)[-1]]
        if parsed.published:
            score.add("reuters dated", file=name)
            off = abs((parsed.published - true).days)
            score.add("reuters wrong dates", int(off != 0), file=name)
            score.add("reuters wrong by more than 1 day", int(off > 1), file=name)
        blocks = [squeeze(b.text) for b in parsed.blocks]
        starts = indented_starts(text)
        score.add("reuters indented starts", len(starts))
        found = sum(1 for s in starts if any(b.startswith(squeeze(s)) for b in blocks))
        score.add("reuters starts beginning a block", found)
        score.add("reuters starts missed", len(starts) - found, file=name)
        multi = len(starts) >= 1
        score.add("reuters multi-paragraph stories", int(multi))
        paragraphs = [b for b in parsed.blocks if b.kind == "paragraph"]
        score.add(
            "reuters multi-paragraph stories as one paragraph",
            int(multi and len(paragraphs) == 1),
            file=name,
        )
        last = parsed.blocks[-1].text if parsed.blocks else ""
        score.add("reuters sign-offs left", int(bool(SIGN_OFF_RE.search(last))), file=name)
        score.add(
            "reuters tickers left in headline",
            int(bool(TICKER_RE.search(parsed.headline))),
            file=name,
        )
        body_tags = any(TICKER_RE.search(b.text) for b in parsed.blocks)
        score.add("reuters tickers left in body", int(body_tags), file=name)
        tables = sum(1 for b in parsed.blocks if b.kind == "table")
        if re.search(r"^\s*Shr\b", text, re.M):  # an earnings story
            score.add("reuters earnings stories")
            score.add("reuters earnings stories with a table", int(tables > 0), file=name)
            figures_only = len(parsed.blocks) == 1 and " vs " in parsed.blocks[0].text
            score.add("reuters earnings stories all figures (read as text)", int(figures_only))
        score.add("reuters stories with a table", int(tables > 0), file=name)
        score.add("reuters tables", tables)
        if getattr(parsed, "dateline_place", ""):
            score.add("reuters datelines", file=name)


def score_ptc(corpora: Path, period, limit, score: Score, dump: dict) -> None:
    for name, text in tar_texts(corpora / "ptc-train.tar.gz", limit=limit):
        parsed = parse(text, name, period)
        fingerprint(dump, name, parsed)
        score.add("ptc files")
        if parsed.error:
            score.add("ptc failed", file=name)
            continue
        kinds = {k for b in parsed.blocks for k, rx in DEBRIS_PATTERNS if rx.search(b.text)}
        score.add("ptc bodies with debris", int(bool(kinds)), file=name)
        for kind in kinds:
            score.add(f"ptc debris: {kind}", file=name)
        if parsed.published:
            score.add("ptc dated", file=name)
            outside = not dt.date(2016, 1, 1) <= parsed.published <= dt.date(2019, 12, 31)
            score.add("ptc dates outside 2016-2019", int(outside), file=name)
        first = parsed.blocks[0].text.lower() if parsed.blocks else ""
        head = parsed.headline.lower()
        repeated = bool(head) and (first == head or first.startswith(head))
        score.add("ptc headline repeated", int(repeated), file=name)
        paragraphs = [b for b in parsed.blocks if b.kind == "paragraph"]
        score.add("ptc bodies as one block", int(len(parsed.blocks) == 1), file=name)
        longest = max((len(b.text) for b in paragraphs), default=0)
        score.counts["ptc longest paragraph"] = max(
            score.counts.get("ptc longest paragraph", 0), longest
        )
        score.add("ptc paragraphs over 5,000 characters", int(longest > 5000), file=name)
        if getattr(parsed, "dateline_place", ""):
            score.add("ptc datelines", file=name)


def score_plain(label: str, items, period, score: Score, dump: dict) -> None:
    for name, text in items:
        parsed = parse(text, name, period)
        fingerprint(dump, name, parsed)
        score.add(f"{label} files")
        if parsed.error:
            score.add(f"{label} failed", file=name)
            continue
        score.add(f"{label} dated", int(parsed.published is not None), file=name)
        score.add(f"{label} blocks", len(parsed.blocks))
        if getattr(parsed, "removed", None):
            score.add(f"{label} files with text removed", file=name)


def fingerprint(dump: dict, name: str, parsed) -> None:
    shape = [parsed.headline, [(b.kind, b.text) for b in parsed.blocks], parsed.error]
    shape.append(parsed.published.isoformat() if parsed.published else None)
    dump[name] = hashlib.sha1(json.dumps(shape).encode()).hexdigest()[:12]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=REPO.parent / "shared" / "corpora")
    ap.add_argument("--period")
    ap.add_argument("--only", default="reuters,ptc,bbc,tehran,seed")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--dump", type=Path)
    ap.add_argument("--show")
    ap.add_argument("--compare", nargs=2, type=Path)
    args = ap.parse_args()
    if args.compare:
        a, b = (json.loads(p.read_text()) for p in args.compare)
        changed = sorted(k for k in a if k in b and a[k] != b[k])
        print(f"{len(changed)} of {len(a)} files parse differently")
        print("\n".join(changed[:50]))
        return
    only = set(args.only.split(","))
    score, dump = Score(args.show), {}
    started = time.perf_counter()
    if "reuters" in only:
        score_reuters(args.corpora, args.period, args.limit, score, dump)
    if "ptc" in only:
        score_ptc(args.corpora, args.period, args.limit, score, dump)
    if "bbc" in only:
        items = tar_texts(args.corpora / "bbc-news.tar.gz", limit=args.limit)
        score_plain("bbc", items, args.period, score, dump)
    if "tehran" in only:
        items = tar_texts(args.corpora / "tehran-times-news.tar.gz", limit=args.limit)
        score_plain(
            "tehran", ((n.rsplit("/", 1)[-1], t) for n, t in items), args.period, score, dump
        )
    if "seed" in only:
        seed = args.corpora.parent / "seeds" / "000_2231687eb4e8da66.txt"
        score_plain(
            "seed", [(seed.name, decode_bytes(seed.read_bytes())[0])], args.period, score, dump
        )
    for key, value in score.counts.items():
        print(f"{key:55} {value:>8,}")
    print(f"{'seconds':55} {time.perf_counter() - started:>8.1f}")
    if args.dump:
        args.dump.write_text(json.dumps(dump))
    if score.shown:
        print(f"\n{args.show}:", *score.shown, sep="\n  ")


if __name__ == "__main__":
    main()
