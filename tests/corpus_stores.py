"""Stores built once per test session for the cross-article tests (claims, corpus, brief, export).

Running the pipeline over a corpus takes seconds; the stores are cached here so that
``test_claims``, ``test_corpus`` and ``test_brief_export`` share them.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path


@cache
def store_of(*paths: str) -> str:
    """A DuckDB store holding the documents under ``paths`` (built on first use)."""
    from entente import api

    folder = Path(tempfile.mkdtemp(prefix="entente-corpus-test-"))
    atexit.register(shutil.rmtree, folder, True)
    db = folder / "corpus.duckdb"
    api.run(list(paths), str(db))
    return str(db)


def copy_of(db: str, dest: Path) -> str:
    """A private copy of a cached store, for tests that write to it."""
    target = dest / Path(db).name
    shutil.copy(db, target)
    return str(target)
