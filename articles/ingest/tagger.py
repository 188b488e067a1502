"""The person tagger: an averaged perceptron that marks which words of a capitalised run are part
of a person's name, from the words themselves, their shape and the words around the run.

It is trained on CoNLL-2003's training part by ``manage.py build_person_model`` and shipped as
``articles/data/person_tagger.json.gz``; the runtime needs only this module.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "person_tagger.json.gz"
SENTENCE_END = frozenset('.!?:;"“”')
_SHAPE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "XXXXXXXXXXXXXXXXXXXXXXXXXXxxxxxxxxxxxxxxxxxxxxxxxxxxdddddddddd",
)
_REPEAT = re.compile(r"(.)\1+")
_EDGE_PUNCT = ",;:()\"“”'’"


def shape(word: str) -> str:
    """Word shape with repeats collapsed: Peskov -> Xx, U.S. -> X.X., O'Brien -> X'Xx."""
    return _REPEAT.sub(r"\1", word.translate(_SHAPE))


def context_words(before: str, after: str) -> tuple[str, str, str, bool]:
    """(word before, two words before, word after, sentence start) around a run."""
    toks = before[-40:].split()
    p1 = toks[-1] if toks else ""
    p2 = toks[-2] if len(toks) > 1 else ""
    start = not p1 or p1[-1] in SENTENCE_END
    if p1 and p1[-1] in _EDGE_PUNCT:
        p1 = p1[-1]
    nxt = after[:30].split(maxsplit=1)
    n1 = nxt[0] if nxt else ""
    if n1[:1] in _EDGE_PUNCT or n1[:1] in ".!?":
        n1 = n1[:1]
    return p1.lower(), p2.lower().strip(_EDGE_PUNCT), n1.lower().rstrip(_EDGE_PUNCT + "."), start


def run_features(
    words: list[str],
    before: str,
    after: str,
    caps_line: bool,
    given: Callable[[str], bool],
    place: Callable[[str], bool],
    title: Callable[[str], bool],
    org: Callable[[str], bool],
) -> list[list[str]]:
    """The static features of each word of a run (the previous tag is added while tagging)."""
    p1, p2, n1, start = context_words(before, after)
    n = len(words)
    bare = [w[:-2] if w.endswith(("'s", "’s")) else w for w in words]
    flags = [(given(w), place(w), title(w), org(w)) for w in bare]
    out = []
    for i, w in enumerate(bare):
        low = w.lower()
        prev = bare[i - 1].lower() if i else "<" + p1
        nxt = bare[i + 1].lower() if i + 1 < n else ">" + n1
        g, pl, ti, og = flags[i]
        feats = [
            "b",
            "w=" + w,
            "l=" + low,
            "s3=" + low[-3:],
            "sh=" + shape(w),
            "p=" + prev,
            "n=" + nxt,
            "pp=" + (bare[i - 2].lower() if i > 1 else ("<" + p1 if i else "<<" + p2)),
            f"pos={min(i, 2)}/{min(n, 4)}",
            "last" if i == n - 1 else "notlast",
        ]
        if i == 0 and start:
            feats.append("start")
        if caps_line:
            feats.append("caps")
        if w != words[i]:
            feats.append("poss")
        if g:
            feats.append("given")
        if pl:
            feats.append("place")
        if ti:
            feats.append("title")
        if og:
            feats.append("org")
        if i and flags[i - 1][0]:
            feats.append("prev_given")
        if i and flags[i - 1][2]:
            feats.append("prev_title")
        if i + 1 < n and flags[i + 1][3]:
            feats.append("next_org")
        if i + 1 < n and flags[i + 1][1]:
            feats.append("next_place")
        if not i and ("<" + p1) and p1 in ("said", "says", "by", "told", "and", ","):
            feats.append("after_" + p1)
        out.append(feats)
    return out


def tag(weights: dict[str, float], feats: list[list[str]]) -> list[bool]:
    """Greedy left-to-right: is each word part of a person's name."""
    tags = []
    prev = "S"
    get = weights.get
    for f in feats:
        score = get("t=" + prev, 0.0) + get(f"t={prev}|{f[4]}", 0.0)
        for x in f:
            score += get(x, 0.0)
        is_per = score > 0.0
        tags.append(is_per)
        prev = "P" if is_per else "O"
    return tags


@cache
def load_weights(path: Path = MODEL_FILE) -> dict[str, float]:
    """The committed model's weights ({} when the file is absent: the rules alone then)."""
    if not path.exists():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)["weights"]
