"""Training the person tagger on CoNLL-2003's token-per-line training file (eng.train).

Each sentence is re-joined into text, cut into capitalised runs exactly as the extractor cuts
them, and every word of a run is labelled by whether the gold tag there is a person.
"""

from __future__ import annotations

import gzip
import json
import random
import tarfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from .names import NAME_CHUNK
from .places import is_title_case_line
from .tagger import run_features

NO_SPACE_BEFORE = frozenset(",.:;)?!%'s'") | {"'s", "n't", "'"}
Lexicon = tuple[Callable[[str], bool], ...]


def conll_sentences(tarball: Path, member: str = "conll2003/eng.train") -> Iterator[list]:
    """Sentences as lists of (token, is_person) from a CoNLL file inside the tarball."""
    with tarfile.open(tarball, "r:*") as tar:
        fh = tar.extractfile(member)
        if fh is None:
            raise FileNotFoundError(member)
        sent: list[tuple[str, bool]] = []
        for raw in fh.read().decode("utf-8").splitlines():
            parts = raw.split()
            if not parts or parts[0] == "-DOCSTART-":
                if sent:
                    yield sent
                sent = []
                continue
            sent.append((parts[0], parts[-1].endswith("PER")))
        if sent:
            yield sent


def detokenize(sent: list[tuple[str, bool]]) -> tuple[str, list[bool]]:
    """(text, is_person for every character) of a tokenised sentence."""
    text, labels = "", []
    for i, (tok, per) in enumerate(sent):
        if text and tok not in NO_SPACE_BEFORE and sent[i - 1][0] != "(":
            text += " "
            labels.append(per and sent[i - 1][1])
        text += tok
        labels.extend([per] * len(tok))
    return text, labels


def examples(sentences, lexicon: Lexicon, skip: Callable[[str], bool]):
    """(features per word, labels per word) for every capitalised run of every sentence."""
    for sent in sentences:
        text, labels = detokenize(sent)
        caps = is_title_case_line(text)
        for m in NAME_CHUNK.finditer(text):
            run = m.group()
            if skip(run):
                continue
            words, gold, pos = run.split(), [], m.start()
            for w in words:
                pos = text.index(w, pos)
                gold.append(labels[pos])
                pos += len(w)
            feats = run_features(words, text[: m.start()], text[m.end() :], caps, *lexicon)
            yield feats, gold


def train(data: list, epochs: int = 8, seed: int = 13) -> dict[str, float]:
    """Averaged perceptron over runs, greedy with the previous tag as a feature."""
    w: dict[str, float] = defaultdict(float)
    total: dict[str, float] = defaultdict(float)
    stamp: dict[str, int] = defaultdict(int)
    step = 0
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(data)
        for feats, gold in data:
            prev = "S"
            for f, y in zip(feats, gold, strict=True):
                step += 1
                full = [*f, "t=" + prev, f"t={prev}|{f[4]}"]
                guess = sum(w.get(x, 0.0) for x in full) > 0.0
                if guess != y:
                    delta = 1.0 if y else -1.0
                    for x in full:
                        total[x] += (step - stamp[x]) * w[x]
                        stamp[x] = step
                        w[x] += delta
                prev = "P" if guess else "O"
    for x in w:
        total[x] += (step - stamp[x]) * w[x]
    return {x: round(v / step, 4) for x, v in total.items() if abs(v / step) >= 1e-4}


def save(weights: dict[str, float], path: Path, meta: dict) -> None:
    payload = {"meta": meta, "weights": dict(sorted(weights.items()))}
    data = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(data)
