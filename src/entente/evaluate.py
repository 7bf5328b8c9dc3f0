"""Evaluation against gold events, by the rules of the annotation guide.

Per article, system events with both actors resolved are matched one-to-one to
gold events: same root (or one in ``also``), same source and target (either
direction when symmetric). Optional gold events (``required: false``) absorb
matching system events without earning or costing anything. Hypothetical and negated events
are not events by the guide and are left out. Date accuracy is
the share of matched gold events with a date whose system date agrees at the
gold date's precision.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError
from .model import Event, state_key


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    dated: int = 0
    dated_right: int = 0
    per_root: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    misses: list[dict[str, Any]] = field(default_factory=list)
    extras: list[dict[str, Any]] = field(default_factory=list)
    wrong_dates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def date_accuracy(self) -> float:
        return self.dated_right / self.dated if self.dated else 0.0

    def summary(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3),
                "tp": self.tp, "fp": self.fp, "fn": self.fn, "date_accuracy": round(self.date_accuracy, 3),
                "dated": self.dated}


#: What the guide calls an event: reported as having happened, happening, scheduled, intended or agreed.
#: Hypothetical ("if X attacks", "X should withdraw") and negated events are output, not scored.
SCORED_MODALITIES = frozenset({"asserted", "intended"})


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """The gold events of a JSON Lines file; a file that cannot be read is a usage error."""
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the gold file: {getattr(exc, 'strerror', None) or exc}") from None
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise UsageError(f"{path}: broken JSON on line {n} of the gold file: {exc.msg}") from None
    return out


def _matches(e: Event, g: dict[str, Any]) -> bool:
    roots = {g["root"], *g.get("also", [])}
    if e.root not in roots:
        return False
    s, t = state_key(e.source), state_key(e.target)
    if (s, t) == (g["source"], g["target"]):
        return True
    return bool(g.get("symmetric")) and (t, s) == (g["source"], g["target"])


def _norm_text(s: str) -> str:
    return " ".join("".join(c.lower() if c.isalnum() else " " for c in s).split())


def _weight(e: Event, g: dict[str, Any]) -> float:
    """Preference among legal matches: same sentence, then agreeing date, then same code."""
    w = 10.0
    ev = _norm_text(g.get("evidence", ""))
    sents = [_norm_text(m.sentence) for m in (e.mentions or (e.evidence,))]
    if ev and any(ev in s or s in ev for s in sents):
        w += 4
    if g.get("date") and date_agrees(e.date, g["date"]):
        w += 2
    if g.get("code") == e.cameo:
        w += 1
    return w


def _max_match(sys_events: list[Event], gold: list[dict[str, Any]]) -> dict[int, int]:
    """Maximum-weight one-to-one matching gold index -> system index (Hungarian algorithm).

    Every legal pair weighs at least 10 and bonuses total under 10, so the
    matching is always of maximum size; among those, it pairs gold and system
    events read from the same sentence, with agreeing dates.
    """
    n, m = len(gold), len(sys_events)
    if not n or not m:
        return {}
    size = max(n, m)
    weights = [[(_weight(sys_events[j], gold[i]) if _matches(sys_events[j], gold[i]) else 0.0)
                if i < n and j < m else 0.0 for j in range(size)] for i in range(size)]
    assign = _hungarian([[-w for w in row] for row in weights])
    return {i: j for i, j in enumerate(assign) if i < n and j < m and weights[i][j] > 0}


def _hungarian(cost: list[list[float]]) -> list[int]:
    """Column assigned to each row minimising total cost (square matrix; Kuhn-Munkres)."""
    n = len(cost)
    inf = float("inf")
    u, v, p, way = [0.0] * (n + 1), [0.0] * (n + 1), [0] * (n + 1), [0] * (n + 1)
    for i in range(1, n + 1):
        p[0], j0 = i, 0
        minv, used = [inf] * (n + 1), [False] * (n + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, n + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(n + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    out = [0] * n
    for j in range(1, n + 1):
        if p[j]:
            out[p[j] - 1] = j - 1
    return out


def half_of(doc_id: str) -> str:
    """The half ("A" or "B") a document belongs to, by a stable hash of its id: tune on one, check the other."""
    return "AB"[int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % 2]


def date_agrees(system: str | None, gold: str) -> bool:
    return system is not None and len(system) >= len(gold) and system[: len(gold)] == gold


def score(events_by_doc: dict[str, list[Event]], gold: list[dict[str, Any]]) -> Score:
    sc = Score()
    gold_by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for g in gold:
        gold_by_doc[g["doc"]].append(g)
    for doc in sorted(gold_by_doc):
        sys_events = [e for e in events_by_doc.get(doc, []) if state_key(e.source) and state_key(e.target)
                      and e.modality in SCORED_MODALITIES]
        required = [g for g in gold_by_doc[doc] if g.get("required", True)]
        optional = [g for g in gold_by_doc[doc] if not g.get("required", True)]
        matched = _max_match(sys_events, required)
        used = set(matched.values())
        rest = [e for i, e in enumerate(sys_events) if i not in used]
        absorbed = set(_max_match(rest, optional).values())
        for gi, g in enumerate(required):
            root = sc.per_root[g["root"]]
            if gi in matched:
                sc.tp += 1
                root[0] += 1
                e = sys_events[matched[gi]]
                if g.get("date"):
                    sc.dated += 1
                    if date_agrees(e.date, g["date"]):
                        sc.dated_right += 1
                    else:
                        sc.wrong_dates.append({"doc": doc, "gold": g["date"], "system": e.date,
                                               "date_source": e.date_source, "rule": e.rule,
                                               "evidence": g["evidence"], "sentence": e.evidence.sentence})
            else:
                sc.fn += 1
                root[2] += 1
                sc.misses.append(g)
        for i, e in enumerate(rest):
            if i not in absorbed:
                sc.fp += 1
                sc.per_root[e.root][1] += 1
                sc.extras.append({"doc": doc, "source": state_key(e.source), "target": state_key(e.target), "root": e.root,
                                  "cameo": e.cameo, "rule": e.rule, "evidence": e.evidence.sentence[:160]})
    return sc


def score_sentences(cases: list[dict[str, Any]], events_for: Any) -> dict[str, Any]:
    """Score single sentences: expected (source, target, root, modality) against the system's.

    ``events_for(text)`` returns the system's events for one sentence (negated
    ones included and flagged). An event is right when root, actors (either
    order when symmetric) and modality agree; a sentence with no expected
    events is right when the system returns none.
    """
    tp = fp = fn = 0
    per_root: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    wrong: list[dict[str, Any]] = []
    for case in cases:
        got = [e for e in events_for(case["text"]) if state_key(e.source)]
        want = list(case.get("events") or [])
        used: set[int] = set()
        for w in want:
            hit = None
            for i, e in enumerate(got):
                if i in used or e.root != w["root"] or e.modality != w.get("modality", "asserted"):
                    continue
                pair = (state_key(e.source), state_key(e.target))
                if pair == (w["source"], w["target"]) or (w.get("symmetric") and pair == (w["target"], w["source"])):
                    hit = i
                    break
            if hit is None:
                fn += 1
                per_root[w["root"]][2] += 1
            else:
                used.add(hit)
                tp += 1
                per_root[w["root"]][0] += 1
        for i, e in enumerate(got):
            if i not in used:
                fp += 1
                per_root[e.root][1] += 1
        if len(used) != len(want) or len(used) != len(got):
            wrong.append({"text": case["text"], "want": want,
                          "got": [(state_key(e.source), state_key(e.target), e.cameo, e.modality, e.rule) for e in got]})
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "per_root": dict(per_root), "wrong": wrong}
