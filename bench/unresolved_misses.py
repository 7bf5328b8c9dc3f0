"""Dev-corpus misses that are missed only because an actor went unresolved (issue: actors beyond heads
of state): a gold event is counted when the system coded the same root from the same sentence with every
side it resolved agreeing with the gold, and at least one side left unresolved (no actor, or an actor
with no country or organisation).

    python bench/unresolved_misses.py          # the count and the cases
"""

from __future__ import annotations

from pathlib import Path

from entente.api import extract
from entente.evaluate import _norm_text, load_gold, score
from entente.model import Event, state_key

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _same_sentence(e: Event, evidence: str) -> bool:
    ev = _norm_text(evidence)
    return any(ev in _norm_text(m.sentence) or _norm_text(m.sentence) in ev for m in e.mentions or (e.evidence,))


def only_actor_missing(e: Event, g: dict) -> bool:
    if e.root not in {g["root"], *g.get("also", [])}:
        return False
    sides = [(state_key(e.source), g["source"]), (state_key(e.target), g["target"])]
    if g.get("symmetric") and sides[0][0] == g["target"]:
        sides = [(state_key(e.source), g["target"]), (state_key(e.target), g["source"])]
    unresolved = [got for got, _ in sides if got is None]
    return bool(unresolved) and all(got is None or got == want for got, want in sides)


def main() -> None:
    gold = load_gold(SHARED / "gold" / "dev.gold.jsonl")
    events = {r.doc.id: list(r.events) for r in extract([str(SHARED / "corpus" / "dev")], on_error=lambda e: None)}
    sc = score(events, gold)
    found = [(g, e) for g in sc.misses for e in events.get(g["doc"], [])
             if _same_sentence(e, g["evidence"]) and only_actor_missing(e, g)]
    cases = {id(g): (g, e) for g, e in found}
    mentions = {r.doc.id: r.mentions for r in extract([str(SHARED / "corpus" / "dev")], on_error=lambda e: None)}
    kinds = {"named in the sentence but not attached to the event": 0, "not resolved in the sentence": 0}
    for g, e in cases.values():
        sentence = e.evidence
        present = {m.actor.key for m in mentions.get(g["doc"], ()) if sentence.start <= m.start < sentence.end}
        missing = {g["source"], g["target"]} - {state_key(e.source), state_key(e.target)}
        kind = ("named in the sentence but not attached to the event" if missing <= present
                else "not resolved in the sentence")
        kinds[kind] += 1
        print(f"[{kind[:12]}] {g['doc']} {g['source']}->{g['target']} {g['root']}: system {state_key(e.source)}->"
              f"{state_key(e.target)} ({e.rule}) | {g['evidence'][:90]}")
    print(f"{len(cases)} of {len(sc.misses)} misses have every coded side right and one side unresolved:")
    for kind, n in kinds.items():
        print(f"  {n:3d} {kind}")


if __name__ == "__main__":
    main()
