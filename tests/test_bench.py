"""The throughput benchmark's smoke run: it builds its corpus and prints the three ratios."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).parents[1] / "bench" / "throughput.py"


def test_the_corpus_is_reproducible_and_as_large_as_asked() -> None:
    sys.path.insert(0, str(BENCH.parent))
    try:
        import throughput
    finally:
        sys.path.remove(str(BENCH.parent))
    a, b = throughput.build_corpus(40), throughput.build_corpus(40)
    assert a == b and len(a) == 40
    synthetic = [r for r in a if r["id"].startswith("synthetic-")]
    assert len(synthetic) == 40 - 11  # the eleven sample articles come first
    for r in synthetic:
        assert re.match(r"date \d{4}-\d{2}-\d{2}\n\n", r["text"])
    assert throughput.build_corpus(40, seed=1) != a


@pytest.mark.slow
def test_a_quick_benchmark_prints_the_three_ratios() -> None:
    out = subprocess.run([sys.executable, str(BENCH), "--quick"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "20 articles" in out.stdout
    vs_bare = re.search(r"ratio entente/bare \(1 worker each\): +(\d+\.\d+)x", out.stdout)
    scaling = re.search(r"ratio 2 workers/1 worker: +(\d+\.\d+)x", out.stdout)
    rss = re.search(r"peak RSS per worker: +(\d+) MB", out.stdout)
    assert vs_bare and scaling and rss, out.stdout
    assert float(vs_bare.group(1)) > 0 and float(scaling.group(1)) > 0 and 0 < int(rss.group(1)) < 100_000


# -- the corpus-step benchmark ------------------------------------------------------------------------
CORPUS_BENCH = BENCH.parent / "corpus.py"


def corpus_bench() -> ModuleType:
    sys.path.insert(0, str(BENCH.parent))
    try:
        import corpus
    finally:
        sys.path.remove(str(BENCH.parent))
    return corpus


def test_the_corpus_benchmark_generates_reproducible_articles() -> None:
    bench = corpus_bench()
    a = bench.articles(300)
    assert a == bench.articles(300) and a != bench.articles(300, seed=1)
    assert len(a["documents"]) == 30 and len(a["events"]) == 300 and len(a["actor_mentions"]) == 60


def test_the_corpus_benchmark_builds_then_updates_a_tiny_store(tmp_path: Path) -> None:
    bench = corpus_bench()
    db = tmp_path / "bench.duckdb"
    n = bench.generate(db, 600)
    full = bench._measure(db, rebuild=True)
    assert full["new_docs"] == n == 60 and full["cells"] > 0 and full["rss_mb"] > 0
    bench.generate(db, 30, seed=1, start=n)
    update = bench._measure(db, rebuild=False)
    assert update["new_docs"] == 3 and 0 < update["cells"] < full["cells"]
    assert 30 <= update["reports"] < full["reports"] == 600  # the new reports and the components they link to


@pytest.mark.slow
def test_a_tiny_corpus_benchmark_prints_its_table_and_ratios() -> None:
    out = subprocess.run([sys.executable, str(CORPUS_BENCH), "--sizes", "500,1000", "--articles", "40"],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert re.search(r"^\s+1,000\s+100\s", out.stdout, re.M), out.stdout
    assert re.search(r"growth 500 -> 1,000 events \(2x\): time \d+\.\d+x", out.stdout), out.stdout
    assert "1% added vs full build" in out.stdout
    assert re.search(r"entente claims on 40 articles: \d+\.\d+ s", out.stdout)
    assert re.search(r"entente brief on 40 articles: \d+\.\d+ s", out.stdout)
