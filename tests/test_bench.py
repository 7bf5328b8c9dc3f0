"""The throughput benchmark's smoke run: it builds its corpus and prints the three ratios."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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
