"""Near-duplicate articles, stories and the similarity of texts, as sketches and LSH buckets.

A wire story re-run with a new headline, or trimmed by a second outlet, is one source,
not two; articles telling one happening are one story. Each article gets a ``Sketch``
once, when it is stored: a MinHash of its five-word shingles (near-duplicates) and its
set of content words (stories). Banding turns every sketch into rows ``(kind, band,
bucket)``; two articles are compared only when they share a row (the LSH candidates),
so no step compares all pairs. The store keeps these rows (``lsh_buckets``) and finds
the candidates of new articles with a self-join on ``(kind, band, bucket)``; the
functions below do the same in memory, for tests and small collections.

``word_vector`` and ``cosine`` compare the evidence of two reports of an event, from
their two texts alone.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

#: Word shingles compared by MinHash: five words keep boilerplate-sized overlaps apart.
SHINGLE_WORDS = 5
MINHASH_PERMUTATIONS = 128
#: Estimated Jaccard similarity of shingles above which two articles are one text
#: (a wire story re-run with a new headline or a trimmed last paragraph).
NEAR_DUPLICATE = 0.8
#: Bands x rows of the shingle MinHash: 32 x 4 finds a pair at Jaccard 0.8 with probability
#: 1.0 (0.87 at 0.5), and candidates are checked against ``NEAR_DUPLICATE`` anyway.
DUPLICATE_BANDS, DUPLICATE_ROWS = 32, 4
#: Jaccard similarity of the content-word sets above which two articles tell one story: the
#: aid stories of the seeds (000/003) score 0.18 and the quake stories (06a/06b) 0.21, while
#: other articles about the same two countries (000/002, 001/002) stay at 0.10-0.11.
STORY_SIMILARITY = 0.15
#: Bands x rows of the word MinHash for story candidates: 64 bands of one value, so two
#: articles are candidates when they share the first word of a random order of their words
#: (a pair at Jaccard 0.15 shares one of 64 with probability 1 - 0.85^64 = 0.99997) ...
STORY_BANDS, STORY_ROWS = 64, 1
#: ... in a bucket of at most this many articles. A bucket is one (order, word): a word most
#: articles use fills its buckets as the store grows, and they close (no pair is compared
#: through them: the LSH counterpart of a low IDF), while the words of one story (places,
#: people, the happening) keep small buckets. This bounds an article's candidates at
#: STORY_BANDS x MAX_STORY_BUCKET whatever the store's size; on the benchmark's text, 20
#: keeps 98% of the story pairs as candidates at 10,000 articles (10 keeps 83%).
MAX_STORY_BUCKET = 20
#: Seeds of the two MinHash families (fixed, so that every machine and executor agrees).
DUPLICATE_SEED, STORY_SEED = 1, 2
STOPWORDS = frozenset(
    "the a an of to in on and or for with by at from as that this was were is are be been has have had "
    "will would its it their his her they he she we our you both two between after before during also "
    "which who said says not but than into over under more most other such there these those can could "
    "may might about while when where what all any each one new".split())

DUPLICATE, STORY = "duplicate", "story"


def shingles(text: str, n: int = SHINGLE_WORDS) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    if len(words) <= n:
        return {" ".join(words)} if words else set()
    return {" ".join(words[k: k + n]) for k in range(len(words) - n + 1)}


def words(text: str) -> list[str]:
    """The content words of a text: lower case, three letters or more, stopwords left out."""
    return [w for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if w not in STOPWORDS and len(w) > 2]


@dataclass(frozen=True, slots=True)
class Sketch:
    """What the corpus steps keep of an article's text to compare it with others."""

    doc: str
    minhash: tuple[int, ...]  # MinHash of the shingles, MINHASH_PERMUTATIONS values
    words: tuple[str, ...]  # the distinct content words, sorted
    buckets: tuple[tuple[str, int, int], ...]  # (kind, band, bucket): the LSH rows of the article


def _minhash(items: Iterable[str], seed: int, n: int = MINHASH_PERMUTATIONS) -> list[int]:
    from datasketch import MinHash

    mh = MinHash(num_perm=n, seed=seed)
    mh.update_batch([s.encode("utf-8") for s in sorted(items)])
    return [int(x) for x in mh.hashvalues]


def _bands(kind: str, values: list[int], bands: int, rows: int) -> list[tuple[str, int, int]]:
    out = []
    for b in range(bands):
        chunk = ",".join(map(str, values[b * rows: (b + 1) * rows])).encode()
        out.append((kind, b, int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little", signed=True)))
    return out


def sketch(doc: str, text: str) -> Sketch:
    """The sketch of one article's (cleaned) text; a pure function, so any worker can compute it."""
    dup = _minhash(shingles(text), DUPLICATE_SEED)
    vocab = sorted(set(words(text)))
    buckets = _bands(DUPLICATE, dup, DUPLICATE_BANDS, DUPLICATE_ROWS)
    if vocab:  # an article without content words tells no story with another
        buckets += _bands(STORY, _minhash(vocab, STORY_SEED, STORY_BANDS * STORY_ROWS), STORY_BANDS, STORY_ROWS)
    return Sketch(doc=doc, minhash=tuple(dup), words=tuple(vocab), buckets=tuple(buckets))


def duplicate_similarity(a: Sketch, b: Sketch) -> float:
    """Estimated Jaccard similarity of two articles' shingles (the share of equal MinHash values)."""
    return sum(x == y for x, y in zip(a.minhash, b.minhash, strict=True)) / MINHASH_PERMUTATIONS


def story_similarity(a: Sketch, b: Sketch) -> float:
    """Jaccard similarity of two articles' content words."""
    sa, sb = set(a.words), set(b.words)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def link(kind: str, a: Sketch, b: Sketch) -> float | None:
    """The similarity of two candidate articles if it makes them one text (or one story), else None."""
    if kind == DUPLICATE:
        sim = duplicate_similarity(a, b)
        return sim if sim >= NEAR_DUPLICATE else None
    sim = story_similarity(a, b)
    return sim if sim >= STORY_SIMILARITY else None


def candidates(sketches: Iterable[Sketch]) -> set[tuple[str, str, str]]:
    """(kind, doc, other doc) for every two articles sharing an open LSH bucket, the smaller id first."""
    buckets: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for s in sketches:
        for key in s.buckets:
            buckets[key].append(s.doc)
    return {(key[0], min(a, b), max(a, b)) for key, docs in buckets.items()
            if key[0] == DUPLICATE or len(docs) <= MAX_STORY_BUCKET for a, b in combinations(docs, 2) if a != b}


def links(sketches: Mapping[str, Sketch]) -> list[tuple[str, str, str, float]]:
    """(kind, doc, other doc, similarity) for every candidate pair that is one text or one story."""
    out = []
    for kind, a, b in sorted(candidates(sketches.values())):
        sim = link(kind, sketches[a], sketches[b])
        if sim is not None:
            out.append((kind, a, b, sim))
    return out


def near_duplicates(texts: dict[str, str], threshold: float = NEAR_DUPLICATE) -> dict[str, tuple[str, float]]:
    """Documents whose text is nearly another's: doc -> (the doc kept, estimated Jaccard).

    The kept document of a group is the first by id; every other member points at it.
    """
    sketches = {d: sketch(d, t) for d, t in texts.items()}
    pairs = [(a, b) for kind, a, b, sim in links(sketches) if kind == DUPLICATE and sim >= threshold]
    return duplicates_of(sketches, components(sketches, pairs))


def duplicates_of(sketches: Mapping[str, Sketch], roots: Mapping[str, str]) -> dict[str, tuple[str, float]]:
    """doc -> (kept doc, similarity) for the documents of near-duplicate groups that are not kept."""
    return {d: (r, duplicate_similarity(sketches[d], sketches[r])) for d, r in sorted(roots.items()) if r != d}


def components(docs: Iterable[str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """doc -> the smallest id of its connected component."""
    groups = UnionFind(docs)
    for a, b in pairs:
        if a in groups.parent and b in groups.parent:
            groups.union(a, b)
    return {d: groups.find(d) for d in groups.parent}


def cluster_stories(texts: dict[str, str], duplicates: dict[str, tuple[str, float]]) -> dict[str, str]:
    """Articles telling one story, by word similarity (near-duplicates always together): doc -> story id."""
    sketches = {d: sketch(d, t) for d, t in texts.items()}
    pairs = [(a, b) for kind, a, b, _ in links(sketches) if kind == STORY]
    pairs += [(d, kept) for d, (kept, _) in duplicates.items()]
    return {d: "story:" + r for d, r in sorted(components(sketches, pairs).items())}


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


def word_vector(text: str) -> dict[str, float]:
    """The unit vector of a text's content words, each weighted ``1 + log(count)``.

    It depends on the text alone, so that the similarity of two reports is the same
    whichever other reports are compared with them (what lets the corpus step merge
    again only the reports a new one links to).
    """
    counts = Counter(words(text))
    v = {w: 1 + math.log(x) for w, x in counts.items()}
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {w: x / norm for w, x in v.items()}


def cosine(va: Mapping[str, float], vb: Mapping[str, float]) -> float:
    """Cosine similarity of two unit vectors of ``word_vector``."""
    if len(va) > len(vb):
        va, vb = vb, va
    return sum(x * vb.get(w, 0.0) for w, x in va.items())
