"""Throughput benchmark: entente against a bare spaCy pass, peak memory, and 1 vs 2 processes.

    python bench/throughput.py            # 2,000 articles (a few minutes)
    python bench/throughput.py --n 5000   # a larger corpus
    python bench/throughput.py --quick    # 20 articles: a smoke run
    python bench/throughput.py --repeat 3 # fastest of three interleaved rounds, on a noisy machine
    python bench/throughput.py --src ../main/src  # also another source tree (before/after), side by side

The corpus is built reproducibly from the sample articles in ``examples/articles``
and the sentences of ``tests/data/sentences.yaml``: sentences shuffled with a fixed
seed into synthetic articles of 8 to 15 sentences, each with a ``date`` line. In one
run it measures, each in a fresh process with the model already loaded:

1. a bare ``nlp.pipe`` over the articles' texts with the same model, every component on;
2. entente end to end (``api.extract``: read, clean, parse, actors, events, dates) with 1 worker;
3. the same with 2 worker processes.

It prints the ratios (which cancel out the speed of the machine) and the absolute
numbers. Peak RSS is the largest resident set of any process that ran the pipeline.
Beside the wall-clock seconds it gives the CPU seconds of each measurement (all its
processes), which other work on a shared machine disturbs less. With ``--src`` the two
entente measurements are also made with the package imported from another source tree
(``PYTHONPATH``), interleaved with the rest, so a change is compared with what it changed
in one run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
SENTENCES = ROOT / "tests" / "data" / "sentences.yaml"

DEFAULT_N = 2000
QUICK_N = 20
SEED = 7
#: Sentences per synthetic article, as in a short news story.
MIN_SENTENCES, MAX_SENTENCES = 8, 15
#: Sentences per paragraph of a synthetic article.
PARAGRAPH_SENTENCES = 3
#: Publication dates of synthetic articles fall in the ten years from this day.
FIRST_DATE = date(2014, 1, 1)

#: The targets printed beside the ratios (issue 11: entente at least 1.4x the bare spaCy pass).
TARGET_VS_BARE = 1.4
TARGET_SCALING = 1.7
TARGET_RSS_MB = 1536


# -- the corpus ------------------------------------------------------------------------------


def build_corpus(n: int, seed: int = SEED) -> list[dict[str, Any]]:
    """``n`` article records: the sample articles, then synthetic ones from the test sentences."""
    from entente.documents.reading import read_documents
    from entente.model import Document

    records = [{"id": d.id, "text": d.text, "title": d.title, "date": d.date, "url": d.url, "source": d.source}
               for d in read_documents([str(EXAMPLES)]) if isinstance(d, Document)][:n]
    sentences = [item["text"] for item in yaml.safe_load(SENTENCES.read_text("utf-8"))]
    rng = random.Random(seed)
    for i in range(n - len(records)):
        picked = rng.sample(sentences, rng.randint(MIN_SENTENCES, MAX_SENTENCES))
        paragraphs = [" ".join(picked[j:j + PARAGRAPH_SENTENCES]) for j in range(0, len(picked), PARAGRAPH_SENTENCES)]
        day = FIRST_DATE + timedelta(days=rng.randrange(3650))
        records.append({"id": f"synthetic-{i:05d}", "text": f"date {day.isoformat()}\n\n" + "\n\n".join(paragraphs)})
    return records


def write_corpus(records: list[dict[str, Any]], folder: Path) -> Path:
    path = folder / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps({k: v for k, v in rec.items() if v is not None}, ensure_ascii=False) + "\n")
    return path


# -- the measurements, each run in its own process -------------------------------------------


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports kilobytes


def bare_model() -> Any:
    """The model entente uses, as spaCy ships it (without entente's own component)."""
    from entente.nlp import MODEL_PACKAGES

    for name in MODEL_PACKAGES:
        try:
            return importlib.import_module(name).load()
        except ImportError:
            continue
    raise SystemExit("no English spaCy model installed")


def phase_bare(corpus: Path) -> dict[str, Any]:
    from entente.documents.reading import read_documents
    from entente.model import Document

    texts = [d.text for d in read_documents([str(corpus)]) if isinstance(d, Document)]
    nlp = bare_model()
    list(nlp.pipe(texts[:2]))  # warm up
    start, cpu = time.perf_counter(), cpu_seconds()
    tokens = sum(len(doc) for doc in nlp.pipe(texts))
    seconds = time.perf_counter() - start
    return {"articles": len(texts), "seconds": seconds, "cpu": cpu_seconds() - cpu, "peak_rss_mb": peak_rss_mb(),
            "tokens": tokens,
            "components": nlp.pipe_names, "model": f"{nlp.meta['lang']}_{nlp.meta['name']}-{nlp.meta['version']}"}


def phase_entente(corpus: Path, workers: int) -> dict[str, Any]:
    from entente import api
    from entente.model import Document
    from entente.pipeline import process_document

    process_document(Document(id="warm-up", text="India and Kazakhstan signed an agreement."))  # model, KB, patterns
    start, cpu = time.perf_counter(), cpu_seconds()
    articles = events = 0
    for r in api.extract([str(corpus)], workers=workers):
        articles += 1
        events += len(r.events)
    seconds = time.perf_counter() - start
    # with workers, the pipeline ran in child processes (forked after the warm-up); all have exited
    rss = peak_rss_mb(resource.RUSAGE_CHILDREN if workers > 1 else resource.RUSAGE_SELF)
    return {"articles": articles, "events": events, "seconds": seconds, "cpu": cpu_seconds() - cpu,
            "peak_rss_mb": rss, "workers": workers, "package": str(Path(api.__file__).parents[1])}


def cpu_seconds() -> float:
    """CPU seconds (user and system) of this process and of its children that have exited."""
    return sum(t for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for t in (resource.getrusage(who).ru_utime, resource.getrusage(who).ru_stime))


def run_phase(name: str, corpus: Path, workers: int = 1, src: Path | None = None) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter, so that none inherits another's memory or caches
    (with ``src``, importing entente from that source tree)."""
    cmd = [sys.executable, __file__, "--phase", name, "--corpus", str(corpus), "--workers", str(workers)]
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(src.resolve()), *filter(None, [env.get("PYTHONPATH")])])
    out = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if out.returncode != 0:
        raise SystemExit(f"benchmark phase {name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


#: The measurements of one round: (key, label, phase, workers).
PHASES = [("bare", "bare nlp.pipe", "bare", 1), ("one", "entente, 1 worker", "entente", 1),
          ("two", "entente, 2 workers", "entente", 2)]
#: The same for the source tree given with ``--src``.
SRC_PHASES = [("one_src", "entente --src, 1 worker", "entente", 1), ("two_src", "entente --src, 2 workers", "entente", 2)]


# -- the report ------------------------------------------------------------------------------


def rate(m: dict[str, Any]) -> float:
    return m["articles"] / m["seconds"] if m["seconds"] else float("inf")


def report(n: int, bare: dict[str, Any], one: dict[str, Any], two: dict[str, Any],
           src: tuple[dict[str, Any], dict[str, Any]] | None = None) -> str:
    vs_bare, scaling = rate(one) / rate(bare), rate(two) / rate(one)
    rss = max(one["peak_rss_mb"], two["peak_rss_mb"])

    def ok(good: bool) -> str:
        return "meets" if good else "MISSES"

    rows = [("bare nlp.pipe, 1 process", bare), ("entente, 1 worker", one), ("entente, 2 workers", two)]
    if src is not None:
        rows += [("entente --src, 1 worker", src[0]), ("entente --src, 2 workers", src[1])]
    lines = [
        f"entente throughput: {n} articles ({bare['tokens']:,} tokens), "
        f"model {bare['model']}, bare components {','.join(bare['components'])}, {os.cpu_count()} CPUs",
        f"entente from {one['package']}" + (f"; --src from {src[0]['package']}" if src else ""),
        "",
        f"{'':28} {'articles/s':>10} {'seconds':>9} {'CPU s':>7} {'peak RSS':>10}",
        *(f"{label:28} {rate(m):10.1f} {m['seconds']:9.1f} {m['cpu']:7.1f} {m['peak_rss_mb']:7.0f} MB"
          for label, m in rows),
        f"events found: {one['events']} (1 worker), {two['events']} (2 workers)"
        + (f"; --src {src[0]['events']}, {src[1]['events']}" if src else ""),
        "",
        f"ratio entente/bare (1 worker each): {vs_bare:.2f}x   target >= {TARGET_VS_BARE}x: {ok(vs_bare >= TARGET_VS_BARE)}",
        f"  by CPU seconds:                   {bare['cpu'] / one['cpu']:.2f}x",
        f"ratio 2 workers/1 worker:           {scaling:.2f}x   target >= {TARGET_SCALING}x: {ok(scaling >= TARGET_SCALING)}",
        f"peak RSS per worker:                {rss:.0f} MB   target < {TARGET_RSS_MB} MB: {ok(rss < TARGET_RSS_MB)}",
    ]
    if src is not None:
        lines += [
            f"--src: ratio entente/bare {rate(src[0]) / rate(bare):.2f}x (by CPU seconds {bare['cpu'] / src[0]['cpu']:.2f}x), "
            f"2 workers/1 worker {rate(src[1]) / rate(src[0]):.2f}x, "
            f"peak RSS {max(src[0]['peak_rss_mb'], src[1]['peak_rss_mb']):.0f} MB",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=None, help=f"articles in the corpus (default {DEFAULT_N})")
    parser.add_argument("--quick", action="store_true", help=f"a smoke run on {QUICK_N} articles")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the synthetic corpus")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run every measurement this many times, interleaved, and keep the fastest "
                             "(on a shared or noisy machine, 3)")
    parser.add_argument("--src", type=Path, default=None,
                        help="also measure entente imported from this source tree (a 'src' folder, e.g. "
                             "of a checkout of main), in the same run")
    parser.add_argument("--phase", choices=["bare", "entente"], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.phase:  # one measurement, as a child of the run below
        result = phase_bare(args.corpus) if args.phase == "bare" else phase_entente(args.corpus, args.workers)
        print(json.dumps(result))
        return 0

    n = args.n or (QUICK_N if args.quick else DEFAULT_N)
    records = build_corpus(n, args.seed)
    with tempfile.TemporaryDirectory(prefix="entente-bench-") as tmp:
        corpus = write_corpus(records, Path(tmp))
        print(f"corpus: {len(records)} articles in {corpus}; measuring (each phase in a fresh process)…", file=sys.stderr)
        phases = [(*p, None) for p in PHASES] + [(*p, args.src) for p in SRC_PHASES if args.src]
        runs: dict[str, list[dict[str, Any]]] = {key: [] for key, *_ in phases}
        for n_run in range(1, args.repeat + 1):
            for key, label, phase, workers, src in phases:
                m = run_phase(phase, corpus, workers, src)
                runs[key].append(m)
                print(f"  run {n_run}: {label}: {rate(m):.1f} articles/s", file=sys.stderr)
    best = {key: min(ms, key=lambda m: m["seconds"]) for key, ms in runs.items()}
    print(report(len(records), best["bare"], best["one"], best["two"],
                 (best["one_src"], best["two_src"]) if args.src else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
