"""Corpus-step benchmark: the cross-article tables of a store of generated events, at growing sizes.

    python bench/corpus.py                  # 10k, 100k and 1M events; 1% added; claims and brief on 2,000 articles
    python bench/corpus.py --sizes 10000    # one size
    python bench/corpus.py --quick          # 2k and 10k events, 200 articles for the latency check

No parsing: articles, events and actor mentions are generated straight into a store
(``generate``), ``EVENTS_PER_ARTICLE`` events per article, grouped in stories of a few
articles that share a dyad, a date and some words (word Jaccard about 0.25 within a story,
0.05 between unrelated articles, as on the dev corpus), with a few near-duplicate copies,
persons with spelling variants, undated reports and a quantity in every article. Then,
each in a fresh process so that its time and peak resident memory are its own:

1. a full build of the corpus tables (``update_corpus(store, rebuild=True)``), the
   knowledge base, patterns and libraries loaded first (``_warm_up``);
2. 1% more articles added, and the corpus tables updated (``update_corpus(store)``);
3. on a store of ``LATENCY_ARTICLES`` articles, ``entente claims`` and ``entente brief``
   as a user runs them (a new process each, start-up included).

It prints one table and the ratios the issue asks for: growth of time and memory from
100k to 1M events (``MAX_GROWTH``), the update against the full build
(``MAX_INCREMENT_SHARE``), and each command's latency (``MAX_LATENCY_SECONDS``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: Events per generated article (the dev corpus has 13, the seeds 20: news about relations is dense).
EVENTS_PER_ARTICLE = 10
#: Articles per story, and the share of articles that copy another (near-duplicates).
STORY_ARTICLES, COPY_SHARE = 3, 0.02
#: What the issue asks: time and memory grow at most this much from 100k to 1M events ...
MAX_GROWTH = 12.0
#: ... adding 1% of articles costs at most this share of a full build ...
MAX_INCREMENT_SHARE = 0.05
#: ... and ``claims`` and ``brief`` answer on a store of this many articles within this many seconds.
LATENCY_ARTICLES, MAX_LATENCY_SECONDS = 2000, 2.0
COUNTRIES = ("KAZ IND PAK CHN RUS USA GBR FRA DEU TUR SYR IRN SAU ARM AZE UKR PRK KOR JPN BRA "
             "MEX NGA NER EGY ISR JOR IRQ AFG UZB KGZ TJK MNG VNM THA IDN PHL AUS CAN ITA ESP").split()
CODES = ("042", "043", "036", "051", "057", "061", "070", "112", "130", "190", "018", "010")
ROOTS_GOLDSTEIN = {"01": 0.0, "03": 4.0, "04": 1.0, "05": 3.5, "06": 6.0, "07": 7.0, "11": -2.0, "13": -4.4, "19": -10.0}
SYLLABLES = "ka ri to mu se na lo vi de pa zu ne ro ta ki mo la shi ga be".split()


def _word(n: int) -> str:
    out = []
    while True:
        out.append(SYLLABLES[n % len(SYLLABLES)])
        n //= len(SYLLABLES)
        if not n:
            break
    return "".join(out) + "n"


#: The words of the generated articles: a general vocabulary, and each story's own words.
VOCABULARY = [_word(k + 400) for k in range(20000)]


def _hash(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


def _person(country: str, k: int, variant: bool) -> str:
    base = f"{_word(COUNTRIES.index(country) * 7 + k).title()} {_word(900 + COUNTRIES.index(country) * 7 + k).title()}ov"
    return base + "a" if variant else base


def articles(n_events: int, seed: int = 0, start: int = 0) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of ``documents``, ``events`` and ``actor_mentions`` for about ``n_events`` events."""
    rng = random.Random(seed)
    n_docs = max(1, n_events // EVENTS_PER_ARTICLE)
    docs, events, mentions = [], [], []
    story_words: dict[int, list[str]] = {}
    previous = ""
    for k in range(start, start + n_docs):
        story = k // STORY_ARTICLES
        srng = random.Random(story * 7919 + seed)
        a, b = srng.sample(COUNTRIES, 2)
        day = date(2015, 1, 1) + timedelta(days=srng.randrange(3650))
        words = story_words.setdefault(story, srng.sample(VOCABULARY, 40))
        doc = f"synthetic-{k:08d}"
        if previous and rng.random() < COPY_SHARE:
            text = "(Wire) " + previous  # a copy of the previous article
        else:
            body = [rng.choice(words) if rng.random() < 0.5 else VOCABULARY[int(len(VOCABULARY) ** rng.random()) - 1]
                    for _ in range(140)]  # general words drawn log-uniformly (Zipf-like): a few are in every article
            sentences = [" ".join(body[j: j + 14]).capitalize() + "." for j in range(0, len(body), 14)]
            amount = srng.choice((500, 1200, 6000000)) + (rng.randrange(3) * 100 if rng.random() < 0.3 else 0)
            sentences.insert(2, f"The government of {a} sent {amount:,} tonnes of wheat to {b}.")
            text = " ".join(sentences)
        previous = text
        h = _hash(doc, text)
        docs.append((h, doc, f"synthetic:{doc}", f"{doc}.txt", f"Story {story}", None, "Synthetic", day, "day",
                     "metadata", text, EVENTS_PER_ARTICLE, "bench", "bench", "bench", "{}"))
        people = {c: _person(c, srng.randrange(3), rng.random() < 0.1) for c in (a, b)}
        for c, p in people.items():
            at = len(text) - len(p) - 1
            mentions.append((h, doc, at, at + len(p), 0, p, p, p, c, None, "GOV", f"{c}GOV", "bench"))
        for n in range(EVENTS_PER_ARTICLE):
            if rng.random() < 0.7:
                s, t, code, when = a, b, srng.choice(CODES), day
            else:
                s, t = rng.sample(COUNTRIES, 2)
                code, when = rng.choice(CODES), day - timedelta(days=rng.randrange(400))
            undated = rng.random() < 0.1
            person = people.get(s) if rng.random() < 0.3 else None
            sentence = " ".join(rng.choice(words) for _ in range(8)) + f" {s} {t}."
            root = code[:2]
            events.append((_hash(doc, n), h, doc, s, f"{s}GOV", s, s, person, s, None, "GOV", None,
                           t, f"{t}GOV", t, t, None, t, None, "GOV", None, code, root,
                           ROOTS_GOLDSTEIN.get(root, 1.0), 1, None, None if undated else when,
                           None if undated else when, None if undated else "day", None if undated else "text",
                           "asserted", sentence, n * 100, n * 100 + len(sentence), "synthetic:subj>obj"))
    return {"documents": docs, "events": events, "actor_mentions": mentions}


def generate(db: Path, n_events: int, seed: int = 0, start: int = 0, stale: bool = True) -> int:
    """Add generated articles to a store (made if missing); returns how many."""
    import pyarrow as pa

    from entente.store import Store
    from entente.store.schema import table

    rows = articles(n_events, seed, start)
    with Store(db) as store:
        for name, data in rows.items():
            cols = [c.name for c in table(name).columns if c.name not in ("processed_at", "mentions")]
            arrays = {c: pa.array([r[k] for r in data]) for k, c in enumerate(cols)}
            store.con.register("_gen", pa.table(arrays))
            names = ", ".join(f'"{c}"' for c in cols)
            store.con.execute(f"INSERT INTO {name} ({names}) SELECT {names} FROM _gen")
            store.con.unregister("_gen")
        if stale:
            store.set_meta("corpus_state", "stale")
    return len(rows["documents"])


def _measure(db: Path, rebuild: bool) -> dict[str, float]:
    """Update the corpus tables of ``db`` in this process; its time and peak RSS."""
    from entente.actors.kb import load_kb
    from entente.corpus.maintain import update_corpus
    from entente.events.patterns import load_patterns
    from entente.store import Store

    load_kb(()).place_names()  # loaded once per process, as in `run` (whose pipeline has them already)
    load_patterns()
    _warm_up()
    start = _rss_now()
    with Store(db) as store:
        t0 = time.perf_counter()
        u = update_corpus(store, rebuild=rebuild)
        seconds = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "rss_mb": rss, "above_mb": rss - start, "new_docs": u.new_docs, "cells": u.cells,
            "reports": u.reports}


def _warm_up() -> None:
    """Load what the corpus step loads once per process, before the clock (as the knowledge base).

    The libraries (``datasketch`` imports scipy, ``pyarrow`` imports pandas: about 1.5 s
    together) and the quantity words of the claims: a fixed cost per process, not per update,
    that ``run`` pays once beside spaCy's start-up, and a long-running process never again.
    """
    import pyarrow as pa

    from entente.claims.extract import vocabulary
    from entente.corpus.dedup import sketch

    sketch("warm-up", "the libraries of the corpus step loaded before the clock")
    pa.array([0])
    vocabulary()


def _rss_now() -> float:
    """Resident memory of this process now, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _child(*args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(f"bench child {args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def size_row(n_events: int, folder: Path) -> dict[str, Any]:
    """Full build and a 1% update of a store of ``n_events`` generated events."""
    db = folder / f"corpus-{n_events}.duckdb"
    n_docs = generate(db, n_events)
    full = _child("--measure", str(db), "--rebuild")
    generate(db, max(EVENTS_PER_ARTICLE, n_events // 100), seed=1, start=n_docs)
    inc = _child("--measure", str(db))
    db.unlink()
    return {"events": n_events, "articles": n_docs, "full_s": full["seconds"], "full_mb": full["rss_mb"],
            "full_above_mb": full["above_mb"],
            "update_s": inc["seconds"], "update_mb": inc["rss_mb"], "update_share": inc["seconds"] / full["seconds"],
            "update_reports": inc["reports"]}


def latency(n_articles: int, folder: Path) -> dict[str, float]:
    """Seconds of ``entente claims`` and ``entente brief`` (new processes) on a store of ``n_articles``."""
    db = folder / "latency.duckdb"
    generate(db, n_articles * EVENTS_PER_ARTICLE)
    _child("--measure", str(db), "--rebuild")
    entente = str(Path(sys.executable).with_name("entente"))
    out = {}
    for name, args in (("claims", ["claims", "--db", str(db), "--format", "json"]),
                       ("brief", ["brief", "KAZ", "IND", "--db", str(db)])):
        best = float("inf")
        for _ in range(2):
            t0 = time.perf_counter()
            r = subprocess.run([entente, *args], capture_output=True, text=True, check=False)
            best = min(best, time.perf_counter() - t0)
            if r.returncode:
                raise SystemExit(f"entente {name} failed: {r.stderr[-2000:]}")
        out[name] = best
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000", help="Event counts, comma-separated.")
    ap.add_argument("--quick", action="store_true", help="2k and 10k events; 200 articles for the latency check.")
    ap.add_argument("--articles", type=int, default=LATENCY_ARTICLES, help="Articles of the latency store.")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    ap.add_argument("--rebuild", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(_measure(Path(args.measure), args.rebuild)))
        return
    sizes = [2000, 10000] if args.quick else [int(s) for s in args.sizes.split(",")]
    n_latency = 200 if args.quick else args.articles
    with tempfile.TemporaryDirectory(prefix="entente-bench-corpus-") as tmp:
        rows = []
        print(f"{'events':>9} {'articles':>9} {'full build':>11} {'peak RSS':>9} {'of which step':>14} "
              f"{'+1% update':>11} {'share':>7} {'reports merged again':>21}")
        for n in sizes:
            r = size_row(n, Path(tmp))
            rows.append(r)
            print(f"{r['events']:>9,} {r['articles']:>9,} {r['full_s']:>10.1f}s {r['full_mb']:>7.0f}MB "
                  f"{r['full_above_mb']:>12.0f}MB {r['update_s']:>10.2f}s {r['update_share']:>6.1%} "
                  f"{r['update_reports']:>21,}", flush=True)
        lat = latency(n_latency, Path(tmp))
    print()
    if len(rows) >= 2:
        a, b = rows[-2], rows[-1]
        grow_t, grow_m = b["full_s"] / a["full_s"], b["full_mb"] / a["full_mb"]
        grow_step = b["full_above_mb"] / max(a["full_above_mb"], 1.0)
        print(f"growth {a['events']:,} -> {b['events']:,} events ({b['events'] / a['events']:.0f}x): "
              f"time {grow_t:.1f}x, peak memory {grow_m:.1f}x, memory of the step alone {grow_step:.1f}x "
              f"(at most {MAX_GROWTH:.0f}x)")
    worst = max(r["update_share"] for r in rows)
    print(f"1% added vs full build: at most {worst:.1%} (at most {MAX_INCREMENT_SHARE:.0%})")
    for name, s in lat.items():
        print(f"entente {name} on {n_latency:,} articles: {s:.2f} s (under {MAX_LATENCY_SECONDS:.0f} s)")


if __name__ == "__main__":
    main()
