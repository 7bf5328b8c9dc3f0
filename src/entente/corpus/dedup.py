"""Near-duplicate articles and the similarity of texts.

A wire story re-run with a new headline, or trimmed by a second outlet, is one source,
not two: ``near_duplicates`` finds such copies with MinHash over word shingles
(datasketch), so that the corpus steps count them once. ``TfIdf`` gives the cosine
similarity of word TF-IDF vectors, used to cluster stories and to compare the
evidence of two reports of an event.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

#: Word shingles compared by MinHash: five words keep boilerplate-sized overlaps apart.
SHINGLE_WORDS = 5
MINHASH_PERMUTATIONS = 128
#: Estimated Jaccard similarity of shingles above which two articles are one text
#: (a wire story re-run with a new headline or a trimmed last paragraph).
NEAR_DUPLICATE = 0.8
STOPWORDS = frozenset(
    "the a an of to in on and or for with by at from as that this was were is are be been has have had "
    "will would its it their his her they he she we our you both two between after before during also "
    "which who said says not but than into over under more most other such there these those can could "
    "may might about while when where what all any each one new".split())


def shingles(text: str, n: int = SHINGLE_WORDS) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    if len(words) <= n:
        return {" ".join(words)} if words else set()
    return {" ".join(words[k: k + n]) for k in range(len(words) - n + 1)}


def near_duplicates(texts: dict[str, str], threshold: float = NEAR_DUPLICATE) -> dict[str, tuple[str, float]]:
    """Documents whose text is nearly another's: doc -> (the doc kept, estimated Jaccard).

    The kept document of a group is the first by id; every other member points at it.
    """
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=MINHASH_PERMUTATIONS)
    hashes: dict[str, Any] = {}
    for doc in sorted(texts):
        mh = MinHash(num_perm=MINHASH_PERMUTATIONS)
        for s in shingles(texts[doc]):
            mh.update(s.encode("utf-8"))
        hashes[doc] = mh
        lsh.insert(doc, mh)
    groups = UnionFind(hashes)
    for doc, mh in hashes.items():
        for other in lsh.query(mh):
            if other != doc and mh.jaccard(hashes[other]) >= threshold:
                groups.union(doc, other)
    out = {}
    for doc in hashes:
        root = groups.find(doc)
        if root != doc:
            out[doc] = (root, round(float(hashes[doc].jaccard(hashes[root])), 3))
    return out


class UnionFind:
    """Disjoint sets of ids; the root of a set is its smallest id."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.parent = {d: d for d in ids}

    def find(self, d: str) -> str:
        while self.parent[d] != d:
            self.parent[d] = self.parent[self.parent[d]]
            d = self.parent[d]
        return d

    def union(self, a: str, b: str) -> None:
        ra, rb = sorted((self.find(a), self.find(b)))
        self.parent[rb] = ra


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if w not in STOPWORDS and len(w) > 2]


class TfIdf:
    """Cosine similarity of word TF-IDF vectors over a fixed collection of texts."""

    def __init__(self, texts: dict[str, str]) -> None:
        counts = {k: Counter(_words(t)) for k, t in texts.items()}
        df: Counter[str] = Counter()
        for c in counts.values():
            df.update(c.keys())
        n = len(counts)
        self.vectors: dict[str, dict[str, float]] = {}
        for k, c in counts.items():
            v = {w: (1 + math.log(x)) * (math.log((n + 1) / (df[w] + 1)) + 1) for w, x in c.items()}
            norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
            self.vectors[k] = {w: x / norm for w, x in v.items()}

    def cosine(self, a: str, b: str) -> float:
        va, vb = self.vectors.get(a, {}), self.vectors.get(b, {})
        if len(va) > len(vb):
            va, vb = vb, va
        return sum(x * vb.get(w, 0.0) for w, x in va.items())
