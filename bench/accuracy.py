"""Every accuracy figure in one run: seeds, sample corpus, sentence set and the dev corpus
(whole and its two halves), so a change can be judged on all of them at once.

    python bench/accuracy.py            # the table
    python bench/accuracy.py --json     # the same figures as JSON (to compare before/after)

The dev corpus is split into halves A and B by a stable hash of the article id
(``half_of``); tune on one half and check that the other moves the same way. The
shared corpora are read from ``../shared`` beside the checkout and skipped when absent.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

from entente.api import extract
from entente.evaluate import half_of, load_gold, score, score_sentences
from entente.model import Document
from entente.options import Options
from entente.pipeline import process_document

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _corpus(gold: Path, corpus: Path) -> dict[str, dict[str, float]]:
    events = {r.doc.id: list(r.events) for r in extract([str(corpus)], on_error=lambda e: None)}
    gold_rows = load_gold(gold)
    out = {"all": score(events, gold_rows).summary()}
    if "dev" in gold.name:
        for half in ("A", "B"):
            rows = [g for g in gold_rows if half_of(g["doc"]) == half]
            out[half] = score(events, rows).summary()
    return out


def measure() -> dict[str, dict[str, dict[str, float]]]:
    figures: dict[str, dict[str, dict[str, float]]] = {}
    sets = {"seeds": (SHARED / "gold" / "seeds.gold.jsonl", SHARED / "corpus" / "seeds"),
            "examples": (ROOT / "examples" / "gold.jsonl", ROOT / "examples" / "articles"),
            "dev": (SHARED / "gold" / "dev.gold.jsonl", SHARED / "corpus" / "dev")}
    for name, (gold, corpus) in sets.items():
        if gold.is_file() and corpus.exists():
            figures[name] = _corpus(gold, corpus)
    cases = yaml.safe_load((ROOT / "tests" / "data" / "sentences.yaml").read_text("utf-8"))
    res = score_sentences(cases, lambda t: process_document(Document(id="t", text=t), Options(include_negated=True)).events)
    figures["sentences"] = {"all": {k: round(res[k], 3) if isinstance(res[k], float) else res[k]
                                    for k in ("precision", "recall", "f1", "tp", "fp", "fn")}}
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    figures = measure()
    if args.json:
        json.dump(figures, sys.stdout, indent=1)
        print()
        return
    print(f"{'set':<14}{'P':>7}{'R':>7}{'F1':>7}{'dates':>8}  tp/fp/fn")
    for name, parts in figures.items():
        for part, s in parts.items():
            label = name if part == "all" else f"{name} {part}"
            dates = f"{s['date_accuracy']:.3f}" if "date_accuracy" in s else "-"
            print(f"{label:<14}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}{dates:>8}  {s['tp']}/{s['fp']}/{s['fn']}")


if __name__ == "__main__":
    main()
