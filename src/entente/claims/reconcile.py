"""Reconciliation: the claims about one quantity compared across sources.

Claims are about one quantity when they count the same item (same head noun and
unit) for the same actor, and either come from one story or are dated to the same
month. Each such figure gets a status:

- **corroborated**: two or more sources give the same value the same way (105 and 105);
- **consistent**: the values differ but one amount fits every wording ("over five
  million" and "6 million"; "about 250" and "more than 240");
- **conflicting**: no amount fits them all ("thousands" and 400,000);
- **single-source**: only one source states it (near-duplicate articles count once).

Every claim keeps its source, so a figure can always be traced to its articles.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Claim
from .extract import head

CORROBORATED = "corroborated"
CONSISTENT = "consistent"
CONFLICTING = "conflicting"
SINGLE_SOURCE = "single-source"
#: The statuses, the most pressing for an analyst first.
STATUSES = (CONFLICTING, CONSISTENT, CORROBORATED, SINGLE_SOURCE)


@dataclass(frozen=True, slots=True)
class SourcedClaim:
    """A claim placed in the corpus: where it comes from and whom it is about."""

    claim: Claim
    source: str  # the article it counts as (near-duplicates count as the article they copy)
    actor: str | None = None  # the actor the quantity belongs to (its event's source)
    actors: frozenset[str] = frozenset()  # every actor around it, for filtering by dyad
    story: str | None = None
    citation: str = ""  # how to cite the article
    when: str | None = None  # when the quantity held: its event's date, else a known publication date


@dataclass(frozen=True, slots=True)
class Figure:
    """One quantity, every claim about it, and whether the claims agree."""

    item: str | None
    unit: str | None
    actor: str | None
    claims: tuple[SourcedClaim, ...]
    status: str

    @property
    def sources(self) -> list[str]:
        return sorted({c.source for c in self.claims})

    @property
    def actors(self) -> frozenset[str]:
        return frozenset().union(*(c.actors for c in self.claims))

    @property
    def id(self) -> str:
        return f"{self.actor or '-'}:{head(self.item) or '-'}:{self.unit or '-'}:{self.claims[0].claim.doc}"


def interval(c: Claim) -> tuple[float, float]:
    """The amounts a claim's wording allows (unbounded sides as infinities)."""
    return (-math.inf if c.low is None else c.low, math.inf if c.high is None else c.high)


def status(claims: Iterable[SourcedClaim]) -> str:
    """How the claims about one quantity relate (see the module docstring)."""
    claims = list(claims)
    if len({c.source for c in claims}) < 2:
        return SINGLE_SOURCE
    if len({(c.claim.value, c.claim.qualifier) for c in claims}) == 1:
        return CORROBORATED
    lows, highs = zip(*(interval(c.claim) for c in claims), strict=True)
    return CONSISTENT if max(lows) < min(highs) else CONFLICTING


def figure_key(c: SourcedClaim) -> tuple[str | None, ...]:
    """Claims about one quantity share this key (and a story or a month, see ``about_same``)."""
    return (c.actor, c.claim.unit, head(c.claim.item))


#: Dates of two claims must agree to this many characters (YYYY-MM, the month) to tie them
#: without a shared story: a year is too coarse (aid in May, aid again in December), a day
#: too fine (the event on the 6th, a report of it dated the 10th).
SAME_TIME_PRECISION = 7


def about_same(a: SourcedClaim, b: SourcedClaim) -> bool:
    """Whether two claims with one key are about one quantity: one story, or one month."""
    if (a.story or a.claim.doc) == (b.story or b.claim.doc):
        return True
    if a.when and b.when:
        n = SAME_TIME_PRECISION
        return len(a.when) >= n and len(b.when) >= n and a.when[:n] == b.when[:n]
    return False


def reconcile(claims: Iterable[SourcedClaim]) -> list[Figure]:
    """Group claims into figures and classify each, conflicting first, then by number of sources."""
    buckets: dict[tuple[str | None, ...], list[SourcedClaim]] = defaultdict(list)
    for c in claims:
        if c.claim.item or c.claim.unit:
            buckets[figure_key(c)].append(c)
    figures = []
    for bucket in buckets.values():
        for members in _components(bucket):
            first = members[0].claim
            item = max((m.claim.item for m in members if m.claim.item), key=len, default=None)
            figures.append(Figure(item=item, unit=first.unit, actor=members[0].actor, claims=tuple(members),
                                  status=status(members)))
    return sorted(figures, key=lambda f: (STATUSES.index(f.status), -len(f.sources), f.claims[0].claim.doc,
                                          f.claims[0].claim.evidence.start))


def _components(claims: list[SourcedClaim]) -> list[list[SourcedClaim]]:
    """The claims linked, directly or through others, by ``about_same``, in their first order."""
    parent = list(range(len(claims)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    # ``about_same`` links two claims when they share a story (or article) or a month: joining each
    # claim to the first one with its story and the first one with its month gives the same groups
    # in one pass, without comparing every pair
    first: dict[tuple[str, str], int] = {}
    for k, c in enumerate(claims):
        keys = [("story", c.story or c.claim.doc)]
        if c.when and len(c.when) >= SAME_TIME_PRECISION:
            keys.append(("month", c.when[:SAME_TIME_PRECISION]))
        for key in keys:
            if key in first:
                parent[find(k)] = find(first[key])
            else:
                first[key] = k
    groups: dict[int, list[SourcedClaim]] = defaultdict(list)
    for k, c in enumerate(claims):
        groups[find(k)].append(c)
    return list(groups.values())


def for_dyad(figures: Iterable[Figure], dyad: str | None) -> list[Figure]:
    """The figures about both actors of a dyad ("KAZ-IND"), or all of them."""
    figures = list(figures)
    if not dyad:
        return figures
    a, _, b = dyad.upper().partition("-")
    return [f for f in figures if {a, b} <= f.actors]


def describe(c: Claim) -> str:
    """A claim in words: "over 5,000,000 medical masks"."""
    return " ".join(c.text.split())


def claim_rows(figures: Iterable[Figure], status_filter: str | None = None) -> list[dict[str, object]]:
    """One row per claim, with its figure's status and every source of the figure."""
    rows: list[dict[str, object]] = []
    for f in figures:
        if status_filter and f.status != status_filter:
            continue
        for c in f.claims:
            rows.append({
                "figure": f.id, "status": f.status, "item": f.item, "unit": f.unit, "actor": f.actor,
                "claim": describe(c.claim), "value": c.claim.value, "low": c.claim.low, "high": c.claim.high,
                "qualifier": c.claim.qualifier, "doc": c.claim.doc, "source": c.citation or c.source,
                "sources": f.sources, "event_id": c.claim.event_id,
                "evidence": {"sentence": c.claim.evidence.sentence, "start": c.claim.evidence.start,
                             "end": c.claim.evidence.end},
            })
    return rows
