"""The Python API for notebooks: entente.__version__, extract_text, entente.open and its DataFrames, the docs notebook."""

from __future__ import annotations

import json
import re
import tomllib
from importlib import metadata
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from corpus_stores import store_of

import entente
from entente.dataset import Dataset, Frame
from entente.errors import EntenteError, StoreError
from entente.model import Event

ROOT = Path(__file__).parents[1]
ARTICLES = ROOT / "examples" / "articles"
NOTEBOOK = ROOT / "docs" / "notebook.ipynb"
#: Seconds the docs notebook may take (it loads the model and processes the sample articles).
NOTEBOOK_TIMEOUT = 600


@pytest.fixture(scope="module")
def examples_db(nlp) -> str:
    return store_of(str(ARTICLES))


def test_version_is_the_installed_packages() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert entente.__version__ == metadata.version("entente") == declared


def test_importing_entente_loads_no_model_and_exposes_the_api() -> None:
    import subprocess
    import sys

    code = ("import sys, entente; assert callable(entente.extract_text) and callable(entente.open); "
            "print(sorted(m for m in ('spacy', 'duckdb', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"  # nothing heavy until it is used


@pytest.mark.slow
def test_extract_text_returns_events_with_offsets_into_the_text(nlp) -> None:
    text = ("Indian Prime Minister Narendra Modi met Kazakh President Nursultan Nazarbayev in Astana on Wednesday. "
            "Kazakhstan will sell uranium to India.")
    events = entente.extract_text(text, date="2015-07-10")
    assert events and all(isinstance(e, Event) for e in events)
    meet = next(e for e in events if e.root == "04")
    assert meet.date == "2015-07-08" and meet.modality == "asserted"  # "on Wednesday" before a Friday
    assert {meet.source.key, meet.target.key if meet.target else None} == {"IND", "KAZ"}
    assert any(e.modality == "intended" for e in events)
    for e in events:
        assert text[e.evidence.start:e.evidence.end] == e.evidence.sentence
    undated = entente.extract_text(text)
    assert next(e for e in undated if e.root == "04").date is None  # no publication date: "Wednesday" unresolved
    with pytest.raises(EntenteError):
        entente.extract_text("   ")


@pytest.mark.slow
def test_open_returns_frames_that_agree_with_the_events_command(examples_db: str, run_cli) -> None:
    with entente.open(examples_db) as db:
        assert isinstance(db, Dataset)
        for filters, args in (
            ({"dyad": "IND-KAZ", "root": "04", "since": "2015"}, ["--dyad", "IND-KAZ", "--root", "04", "--since", "2015"]),
            ({"actor": "KAZ", "modality": "intended"}, ["--actor", "KAZ", "--modality", "intended"]),
            ({"quad": 4, "until": "2020"}, ["--quad", "4", "--until", "2020"]),
            ({"plover": "CONSULT", "limit": 3}, ["--plover", "CONSULT", "--limit", "3"]),
        ):
            df = db.events(**filters)
            cli = json.loads(run_cli("events", "--db", examples_db, *args, "--format", "json").stdout)
            assert isinstance(df, pd.DataFrame) and isinstance(df, Frame)
            assert list(df.event_id) == [e["event_id"] for e in cli], filters
            assert list(df.date.fillna("-")) == [e["date"] or "-" for e in cli]
        df = db.events(dyad="IND-KAZ")
        assert str(df.date_start.dtype).startswith("datetime64") and df.mentions.map(len).min() >= 1
        table = df.to_arrow()
        assert isinstance(table, pa.Table) and table.num_rows == len(df) and "modality" in table.column_names
        sliced = df[df.cameo.str.startswith("04")]
        assert isinstance(sliced, Frame) and sliced.to_arrow().num_rows == len(sliced)
        corpus = db.corpus_events(actor="KAZ")
        assert len(corpus) and set(corpus.modality) <= {"asserted", "intended", "hypothetical"}
        assert corpus.n_sources.min() >= 1 and corpus.to_arrow().num_rows == len(corpus)
        docs = db.documents()
        assert len(docs) == 11 and "text" not in docs.columns and docs.kb_hash.notna().all()
        assert "text" in db.documents(text=True).columns
        claims = db.claims(dyad="IND-TUR")
        assert {"consistent"} <= set(claims.status) and "evidence.sentence" in claims.columns
        assert set(db.views()) >= {"events_by_dyad_month", "dyads"} and len(db.view("dyads"))
        with pytest.raises(StoreError):
            db.view("documents; DROP TABLE events")
        with pytest.raises(Exception, match="read-only"):
            db.sql("DELETE FROM events")


def test_open_refuses_a_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here yet"):
        entente.open(tmp_path / "none.duckdb")
    assert not (tmp_path / "none.duckdb").exists()


# -- the docs notebook ---------------------------------------------------------------------------
@pytest.mark.slow
def test_the_docs_notebook_runs(nlp) -> None:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=NOTEBOOK_TIMEOUT, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()  # raises on any cell's error
    outputs = ["".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in c.outputs)
               for c in nb.cells if c.cell_type == "code"]
    assert outputs[0].strip("'") == entente.__version__
    assert "INDGOV" in outputs[1] and "KAZGOV" in outputs[1]
    assert re.search(r"\(11, \d+\)", outputs[2])
    assert "evidence_sentence" in outputs[3] and "IND" in outputs[3]


def test_the_readme_shows_the_notebook_example() -> None:
    import nbformat

    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert blocks, "README has no Python example"
    cells = "\n".join(c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code")
    for line in blocks[0].splitlines():
        code = line.split("#", 1)[0].strip()
        if code and not code.startswith(("import", "from")):
            assert code in cells, f"README line not in docs/notebook.ipynb: {code}"
    assert "docs/store.md" in readme and "docs/notebook.ipynb" in readme
