"""Shared fixtures: one spaCy model per session, the shared corpus, a scratch store, the CLI.

Tests marked ``slow`` load the model or run the whole pipeline; the rest are
plain unit tests. ``pytest -m "not slow"`` runs only the fast ones.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from entente.cli.main import app
from entente.model import Actor, Event, Evidence

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples"
ARTICLES = EXAMPLES / "articles"
SHARED = ROOT / ".." / "shared"


@pytest.fixture(scope="session")
def nlp():
    """The English pipeline, loaded once (``entente.nlp.load`` caches it for the pipeline too)."""
    from entente import nlp as nlp_mod

    return nlp_mod.load()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    path = (SHARED / "corpus" / "seeds").resolve()
    if not path.is_dir():
        pytest.skip(f"shared seed corpus not found at {path}")
    return path


@pytest.fixture(scope="session")
def gold_path() -> Path:
    path = (SHARED / "gold" / "seeds.gold.jsonl").resolve()
    if not path.is_file():
        pytest.skip(f"shared seed gold not found at {path}")
    return path


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


RunCli = Callable[..., Result]


@pytest.fixture(scope="session")
def run_cli() -> RunCli:
    """``run_cli("extract", path, "--format", "jsonl")``: invoke the CLI in-process.

    ``result.stdout`` and ``result.stderr`` are kept apart (typer's CliRunner does
    so by default). Unless ``expect`` is None the exit code is checked.
    """
    runner = CliRunner()

    def run(*args: Any, input: str | None = None, expect: int | None = 0) -> Result:
        result = runner.invoke(app, [str(a) for a in args], input=input)
        if expect is not None and result.exit_code != expect:
            raise AssertionError(
                f"entente {' '.join(map(str, args))} exited {result.exit_code}, expected {expect}\n"
                f"stdout: {result.stdout[-2000:]}\nstderr: {result.stderr[-2000:]}\n"
                f"exception: {result.exception!r}"
            )
        return result

    return run


@pytest.fixture(scope="session")
def example_events(run_cli: RunCli, nlp) -> list[dict[str, Any]]:
    """``entente extract examples/articles --format jsonl``, run once, parsed."""
    result = run_cli("extract", ARTICLES, "--format", "jsonl", "--quiet")
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def _actor(key: str | None, text: str | None = None) -> Actor:
    """An actor from an evaluation key: "IND" or "IGO:UN" (None: unresolved)."""
    if key is None:
        return Actor(text=text or "someone")
    if key.startswith("IGO:"):
        return Actor(text=text or key, name=key[4:], igo=key[4:])
    return Actor(text=text or key, name=key, country=key)


def _make_event(source: str | None, target: str | None, code: str = "040", *, doc: str = "d1",
               date: str | None = None, n: int = 0, modality: str = "asserted",
               sentence: str = "A met B.") -> Event:
    """A hand-made event; the codebook fills in root, weight, QuadClass and PLOVER."""
    from entente.events.codebook import lookup

    c = lookup(code)
    precision = {4: "year", 7: "month", 10: "day"}.get(len(date or ""))
    return Event(
        event_id=f"{doc}-{n}", doc=doc, source=_actor(source), target=_actor(target) if target else None,
        cameo=c.code, root=c.root, goldstein=c.goldstein, quad_class=c.quad_class, plover=c.plover,
        date=date, date_precision=precision, date_source=date, modality=modality,
        evidence=Evidence(sentence, 0, len(sentence)), rule="test",
    )


@pytest.fixture(scope="session")
def make_event() -> Callable[..., Event]:
    """``make_event("IND", "KAZ", "046", date="2015-07")``: an Event built by hand."""
    return _make_event


@pytest.fixture(scope="session")
def make_actor() -> Callable[..., Actor]:
    """``make_actor("IGO:UN")``: an Actor from an evaluation key."""
    return _actor
