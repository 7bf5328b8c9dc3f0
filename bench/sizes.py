"""Size benchmark: time and peak memory of one document against its length, and a run over the fuzz corpus.

    python bench/sizes.py                 # prose of 10 KB, 30 KB, 100 KB, 300 KB and 1 MB
    python bench/sizes.py --kinds prose,repeated,actors --max 1000000
    python bench/sizes.py --quick         # 10 KB and 100 KB of prose
    python bench/sizes.py --fuzz          # `entente run` over the fuzz corpus at the report's sizes
    python bench/sizes.py --repeat 2      # the fastest of two runs per size (a shared machine is noisy)

Each document is processed (``process_document``) in a fresh process with the model
already loaded, so its time and peak resident memory are its own. The kinds:

- ``prose``: paragraphs of the test sentences (``tests/data/sentences.yaml``), shuffled;
- ``repeated``: one short sentence over and over, one paragraph;
- ``actors``: sentences naming a dozen states each.

Growth is near-linear when time grows about as fast as size: the script fits the slope
of log(time) against log(size) between the smallest and the largest size (1.0 is linear)
and checks it against ``MAX_SLOPE``. Memory is reported above the loaded model.

``--fuzz`` writes the fuzz corpus of the tests (``tests/fuzz_corpus.py``) at the sizes of
the report that found the problems (a 920 KB repeated sentence, 60 KB of punctuation,
250 KB of actors, prose up to 950 KB), runs ``entente run`` on it in a subprocess, and
checks that it ends within ``FUZZ_BOUND_SECONDS`` with exit code 1 and no traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = ROOT / "tests" / "data" / "sentences.yaml"
SIZES = (10_000, 30_000, 100_000, 300_000, 1_000_000)
QUICK_SIZES = (10_000, 100_000)
#: The largest slope of log(time) against log(size) that counts as near-linear: parsing and
#: the per-sentence stages are linear, and a little is lost to memory effects on large texts.
MAX_SLOPE = 1.25
#: The bound on a run over the fuzz corpus at the report's sizes, on a shared two-core machine:
#: about 2.7 MB of text, 1.3 MB of it processed; before the fixes it did not finish.
FUZZ_BOUND_SECONDS = 600
#: The report's sizes, as the scale of ``tests/fuzz_corpus.py`` (1 is the unit tests' size).
FUZZ_SCALE = 30
SEED = 11
REPEATED = "India and China held talks on Tuesday. "
ACTORS = ("India, China, Russia, Kazakhstan, Pakistan, Iran, Turkey and Japan met officials from the United "
          "States, France, Germany, Brazil and Egypt in Geneva on Monday. ")


def text_of(kind: str, chars: int) -> str:
    """A document of about ``chars`` characters of one kind (see the module docstring)."""
    if kind == "repeated":
        return "date 2020-01-01\n\n" + REPEATED * (chars // len(REPEATED))
    if kind == "actors":
        return "date 2020-01-01\n\n" + ACTORS * (chars // len(ACTORS))
    import yaml

    sentences = [item["text"] for item in yaml.safe_load(SENTENCES.read_text("utf-8"))]
    rng = random.Random(SEED)
    out, size = [], 0
    while size < chars:
        para = " ".join(rng.sample(sentences, 3))
        out.append(para)
        size += len(para) + 2
    return "date 2020-01-01\n\n" + "\n\n".join(out)


def measure_one(kind: str, chars: int) -> dict[str, float]:
    """In this process: load the model, then time one document. Returns seconds, MB and events."""
    from entente.model import Document
    from entente.options import Options
    from entente.pipeline import process_document

    process_document(Document(id="warm", text="India met China on Monday.", date="2020-01-01"))
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    text = text_of(kind, chars)
    start = time.perf_counter()
    result = process_document(Document(id=kind, text=text), Options(max_chars=0, time_budget=0))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"chars": len(text), "seconds": seconds, "peak_mb": peak, "model_mb": base, "events": len(result.events)}


def measure(kind: str, chars: int, repeat: int = 1) -> dict[str, float]:
    """``measure_one`` in a fresh process, the fastest of ``repeat`` (a shared machine is noisy)."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--one", kind, str(chars)], capture_output=True, text=True,
                             check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return min(runs, key=lambda r: r["seconds"])


def slope(rows: list[dict[str, float]]) -> float:
    """log(time) against log(size), from the smallest to the largest document."""
    a, b = rows[0], rows[-1]
    return math.log(b["seconds"] / a["seconds"]) / math.log(b["chars"] / a["chars"])


def sizes(kinds: list[str], chars: tuple[int, ...], repeat: int = 1) -> bool:
    ok = True
    for kind in kinds:
        print(f"\n{kind}: time and peak RSS against size (fresh process per size, model loaded first)")
        print(f"{'chars':>10} {'seconds':>9} {'s/100 KB':>9} {'peak RSS':>9} {'above model':>12} {'events':>7}")
        rows = []
        for n in chars:
            r = measure(kind, n, repeat)
            rows.append(r)
            per = r["seconds"] / (r["chars"] / 100_000)
            print(f"{r['chars']:>10,.0f} {r['seconds']:>9.1f} {per:>9.2f} {r['peak_mb']:>6.0f} MB "
                  f"{r['peak_mb'] - r['model_mb']:>9.0f} MB {r['events']:>7.0f}", flush=True)
        s = slope(rows)
        verdict = "near-linear" if s <= MAX_SLOPE else "SUPER-LINEAR"
        ok &= s <= MAX_SLOPE
        print(f"growth: time ~ size^{s:.2f} ({verdict}; bound {MAX_SLOPE}); memory above the model "
              f"{rows[0]['peak_mb'] - rows[0]['model_mb']:.0f} -> {rows[-1]['peak_mb'] - rows[-1]['model_mb']:.0f} MB")
    return ok


def fuzz() -> bool:
    """``entente run`` over the fuzz corpus at the report's sizes, in a subprocess; see the module docstring."""
    sys.path.insert(0, str(ROOT / "tests"))
    import fuzz_corpus

    with tempfile.TemporaryDirectory(prefix="entente-fuzz-") as tmp:
        corpus = fuzz_corpus.build(Path(tmp) / "corpus", scale=FUZZ_SCALE)
        total = sum(p.stat().st_size for p in corpus.folder.rglob("*") if p.is_file())
        print(f"fuzz corpus: {len(corpus.bad)} bad entries, {len(corpus.odd)} odd ones, {len(corpus.good)} good "
              f"articles, {total / 1e6:.1f} MB")
        cmd = [sys.executable, "-c", "from entente.cli.main import app; app()", "run", str(corpus.folder),
               "--db", str(Path(tmp) / "f.duckdb"), "--quiet"]
        start = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=FUZZ_BOUND_SECONDS * 3,
                             env={**os.environ, "PYTHONUNBUFFERED": "1"})
        seconds = time.perf_counter() - start
        peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    summary = out.stderr.strip().splitlines()[-1] if out.stderr.strip() else ""
    ok = out.returncode == 1 and "Traceback" not in out.stderr and seconds <= FUZZ_BOUND_SECONDS
    print(f"entente run: exit code {out.returncode}, {seconds:.0f} s (bound {FUZZ_BOUND_SECONDS} s), "
          f"peak RSS {peak:.0f} MB, traceback: {'yes' if 'Traceback' in out.stderr else 'no'}")
    print(f"summary: {summary}")
    print("fuzz run: " + ("meets the bound" if ok else "FAILS"))
    return ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kinds", default="prose", help="comma list of prose, repeated, actors")
    ap.add_argument("--max", type=int, default=SIZES[-1], help="the largest size, in characters")
    ap.add_argument("--quick", action="store_true", help="10 KB and 100 KB of prose only")
    ap.add_argument("--fuzz", action="store_true", help="run over the fuzz corpus at the report's sizes")
    ap.add_argument("--repeat", type=int, default=1, help="keep the fastest of this many runs per size")
    ap.add_argument("--one", nargs=2, metavar=("KIND", "CHARS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one[0], int(args.one[1]))))
        return
    if args.fuzz:
        sys.exit(0 if fuzz() else 1)
    chars = QUICK_SIZES if args.quick else tuple(n for n in SIZES if n <= args.max)
    ok = sizes(args.kinds.split(","), chars, args.repeat)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
