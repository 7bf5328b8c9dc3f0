"""The Spark engine: the same events as the local engine, Parquet the store ingests once.

The tests that run Spark share one local[2] session (Spark's start-up is most of
their time) and are skipped when pyspark or Java is missing.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from entente import api
from entente.documents.reading import read_documents
from entente.errors import EngineError
from entente.store import Store, row_to_json

ARTICLES = Path(__file__).parents[1] / "examples" / "articles"
#: Small and quiet: two cores, few shuffle partitions, no web UI.
TEST_CONF = {"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2", "spark.ui.enabled": "false",
             "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1"}  # short runs: skip the slow JIT tier


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark", reason="pyspark is not installed: pip install 'entente[spark]'")
    if not (shutil.which("java") or __import__("os").environ.get("JAVA_HOME")):
        pytest.skip("Spark needs Java")
    from entente.engines.spark import session

    s, started = session("local[2]", TEST_CONF)
    yield s
    if started:
        s.stop()


def tables(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the per-article and corpus tables, in a stable order (processed_at aside)."""
    with Store(db, read_only=True) as s:
        out = {"documents": s.con.execute("SELECT * EXCLUDE (processed_at) FROM documents ORDER BY ALL").fetchall()}
        for t in ("events", "actor_mentions", "learned_actors", "claims", "corpus_events", "name_merges", "stories"):
            out[t] = s.con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
        return out


def event_json(db: Path) -> dict[str, dict[str, Any]]:
    with Store(db, read_only=True) as s:
        return {r["event_id"]: row_to_json(r) for r in s.events()}


def assert_same_as_local(corpus: Path, tmp_path: Path, run_cli) -> Path:
    """Run the corpus through both engines; every table must agree. Returns the kept Parquet folder."""
    local_db, spark_db, parquet = tmp_path / "local.duckdb", tmp_path / "spark.duckdb", tmp_path / "parquet"
    run_cli("run", corpus, "--db", local_db, "--quiet")
    r = run_cli("run", corpus, "--db", spark_db, "--engine", "spark", "--master", "local[2]",
                "--parquet", parquet, "--quiet")
    local, spark = event_json(local_db), event_json(spark_db)
    assert local, f"no events from {corpus}"
    assert set(spark) == set(local)
    assert spark == local
    assert tables(spark_db) == tables(local_db)
    extracted = {e["event_id"]: e for e in map(json.loads, run_cli("extract", corpus, "--quiet").stdout.splitlines())}
    assert extracted == local
    n_docs = len(tables(local_db)["documents"])
    assert f"{n_docs} inputs: {n_docs} stored, 0 already" in r.stderr
    assert f"{len(local)} events added" in r.stderr
    return parquet


@pytest.mark.slow
@pytest.mark.spark
def test_spark_codes_the_seeds_as_the_local_engine_does(spark, seeds_dir: Path, tmp_path: Path, run_cli) -> None:
    assert_same_as_local(seeds_dir, tmp_path, run_cli)


@pytest.mark.slow
@pytest.mark.spark
def test_spark_codes_the_examples_as_the_local_engine_does_and_ingests_once(spark, tmp_path: Path, run_cli) -> None:
    parquet = assert_same_as_local(ARTICLES, tmp_path, run_cli)
    db = tmp_path / "ingested.duckdb"
    first = run_cli("ingest", parquet, "--db", db)
    after_first = tables(db)
    second = run_cli("ingest", parquet, "--db", db)
    assert tables(db) == after_first == tables(tmp_path / "local.duckdb")
    assert "11 documents stored" in first.stderr and "0 documents stored" in second.stderr
    # a second Spark run over the same input skips every document before Spark sees it
    again = run_cli("run", ARTICLES, "--db", tmp_path / "spark.duckdb", "--engine", "spark", "--quiet")
    assert "0 stored, 11 already" in again.stderr and "0 events added" in again.stderr


@pytest.mark.slow
@pytest.mark.spark
def test_executors_read_uris_of_files_and_parquet_records(spark, tmp_path: Path, run_cli) -> None:
    """A file:// folder of JSON Lines and Parquet is read on the executors; repeated texts count once."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    docs = [d for d in read_documents([str(ARTICLES)]) if not isinstance(d, Exception)]
    folder = tmp_path / "in"
    (folder / "nested").mkdir(parents=True)
    fields = ("id", "text", "title", "date", "url", "source")
    half = len(docs) // 2
    with open(folder / "nested" / "a.jsonl", "w", encoding="utf-8") as f:
        for d in docs[:half]:
            f.write(json.dumps({k: getattr(d, k) for k in fields}) + "\n")
    pq.write_table(pa.Table.from_pylist([{k: getattr(d, k) for k in fields} for d in docs[half:] + docs[:1]]),
                   folder / "b.parquet")  # the first article twice: the same record (id and text) in two files
    (folder / "notes.bin").write_bytes(b"\x00\x01 not an article")
    db = tmp_path / "uri.duckdb"
    ticks: list[int] = []
    summary = api.run([folder.as_uri()], str(db), engine="spark", on_progress=ticks.append)
    assert (summary.read, summary.stored, summary.already, summary.n_skipped) == (len(docs) + 1, len(docs), 1, 0)
    assert sum(ticks) == len(docs)  # progress counts the documents processed, the repeat only once
    want = {e.event_id: e.to_json() for res in api.extract([str(ARTICLES)]) for e in res.events}
    assert event_json(db) == want


def test_a_missing_pyspark_is_a_one_line_error(tmp_path: Path, run_cli, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(EngineError, match=r"pip install 'entente\[spark\]'"):
        api.run([str(ARTICLES)], str(tmp_path / "x.duckdb"), engine="spark")
    r = run_cli("run", ARTICLES, "--db", tmp_path / "x.duckdb", "--engine", "spark", "--quiet", expect=2)
    assert "pyspark is not installed: pip install 'entente[spark]'" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_ingesting_a_folder_without_parquet_says_what_it_expects(tmp_path: Path, run_cli) -> None:
    r = run_cli("ingest", tmp_path, "--db", tmp_path / "x.duckdb", expect=2)
    assert "entente run --engine spark" in r.stderr


# -- the corpus step ---------------------------------------------------------------------------------
CORPUS = ("near_duplicates", "stories", "name_merges", "corpus_events", "doc_links", "lsh_buckets", "doc_sketches",
          "claims", "claim_docs")


def corpus_tables(db: str) -> dict[str, list[tuple[Any, ...]]]:
    with Store(db, read_only=True) as s:
        assert not s.corpus_stale()
        return {t: s.con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in CORPUS}


@pytest.mark.slow
@pytest.mark.spark
def test_the_corpus_step_on_spark_gives_the_local_tables(spark, seeds_dir: Path, tmp_path: Path, nlp) -> None:
    """Seeds and sample articles: every corpus table Spark computes equals the local step's, row for row."""
    from corpus_stores import copy_of, store_of

    src = store_of(str(seeds_dir), str(ARTICLES))
    (tmp_path / "local").mkdir()
    (tmp_path / "spark").mkdir()
    local, on_spark = copy_of(src, tmp_path / "local"), copy_of(src, tmp_path / "spark")
    with Store(on_spark) as s:  # nothing left of the local step: Spark computes every table
        for t in CORPUS:
            s.con.execute(f"DELETE FROM {t}")
    api.corpus(local, rebuild=True)
    u = api.corpus(on_spark, engine="spark")
    assert u.rebuilt and u.new_docs == len(corpus_tables(local)["doc_sketches"])
    want, got = corpus_tables(local), corpus_tables(on_spark)
    assert all(want[t] for t in ("stories", "name_merges", "corpus_events", "doc_links", "claims")), \
        {t: len(v) for t, v in want.items()}
    for t in CORPUS:
        assert got[t] == want[t], t


def test_corpus_parquet_needs_the_spark_engine(tmp_path: Path, run_cli) -> None:
    r = run_cli("corpus", "--parquet", tmp_path, "--db", tmp_path / "x.duckdb", expect=2)
    assert "--engine spark" in r.stderr
