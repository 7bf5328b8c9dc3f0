"""Provenance is never crossed: documents keyed by their source, unique ids, a changed file replacing
its old version in one transaction, the migration of stores keyed by text, and stores that are not
entente's (SQLite, truncated, foreign) refused in one line."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import duckdb
import pytest

from entente import api
from entente.errors import StoreError
from entente.model import DocResult, Document, Event
from entente.outputs.brief import write_brief
from entente.store import Store, provenance
from entente.store.identity import LEGACY_KEY_PREFIX, DocIds, Planner, StoredDoc, id_candidates
from entente.store.migrate import V2_TABLES
from entente.store.schema import SCHEMA_VERSION, ddl

ARTICLES = Path(__file__).parents[1] / "examples" / "articles"
IND_CHN = "India and China held border talks in Beijing on Monday. Chinese officials praised India."
KAZ_IND = "Kazakhstan and India signed a trade pact in Astana on Monday. India praised Kazakhstan."


def doc(key: str, doc_id: str = "story", path: str = "/x/a/story.txt") -> Document:
    return Document(id=doc_id, text="t", path=path, key=key)


# -- ids and decisions, without a store ------------------------------------------------------------
def test_ids_take_folders_only_when_a_name_is_taken() -> None:
    ids = DocIds()
    assert ids.assign(doc("/x/a/story.txt")) == "story"
    assert ids.assign(doc("/x/b/story.txt", path="/x/b/story.txt")) == "b/story"
    assert ids.assign(doc("/y/b/story.txt", path="/y/b/story.txt")) == "y/b/story"
    rec = Document(id="r1", text="t", path="/x/feed.jsonl", key="/x/feed.jsonl#id=r1")
    assert id_candidates(rec)[:3] == ["r1", "feed/r1", "x/feed/r1"] and id_candidates(rec)[-1].startswith("r1~")


def test_the_planner_keys_by_source_and_versions_by_text() -> None:
    prov = provenance(api.Options())
    stored = {"/x/a.txt": StoredDoc("a", "h1", prov, "/x/a.txt"),
              f"{LEGACY_KEY_PREFIX}old/b.txt#b": StoredDoc("b", "h2", prov, "old/b.txt")}
    p = Planner(stored, prov, gone=lambda k: k.startswith(LEGACY_KEY_PREFIX))
    same = p.decide(Document(id="a", text="t", path="/x/a.txt", key="/x/a.txt"), "h1")
    assert same is not None and not same.write
    assert p.decide(Document(id="a", text="t", path="/x/a.txt", key="/x/a.txt"), "h1") is None  # given twice
    q = Planner(stored, prov, gone=lambda k: False)
    changed = q.decide(Document(id="a", text="u", path="/x/a.txt", key="/x/a.txt"), "h9")
    assert changed is not None and (changed.write, changed.replaces, changed.reasons) == (True, "a", ("changed text",))
    moved = p.decide(Document(id="b", text="t", path="/new/b.txt", key="/new/b.txt"), "h2")
    assert moved is not None and (moved.write, moved.doc_id, moved.moved_from) == (False, "b", f"{LEGACY_KEY_PREFIX}old/b.txt#b")
    other = p.decide(Document(id="a", text="t", path="/y/a.txt", key="/y/a.txt"), "h1")
    assert other is not None and other.write and other.doc_id == "y/a"  # same text, another source: its own


# -- runs ---------------------------------------------------------------------------------------
@pytest.mark.slow
def test_two_files_of_one_name_never_cross_in_the_store_or_the_brief(tmp_path: Path) -> None:
    for folder, text in (("a", IND_CHN), ("b", KAZ_IND)):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "story.txt").write_text(text, encoding="utf-8")
    db = str(tmp_path / "s.duckdb")
    s = api.run([str(tmp_path / "in")], db)
    assert (s.stored, s.n_skipped) == (2, 0)
    with Store(db, read_only=True) as store:
        docs = {r["doc_id"]: r for r in store.query("SELECT * FROM documents")}
        events = store.query("SELECT doc_id, source_key, target_key FROM events")
    assert set(docs) == {"story", "b/story"}
    assert docs["b/story"]["source_key"].endswith("/in/b/story.txt") and docs["story"]["text"] == IND_CHN
    assert {e["doc_id"] for e in events if {e["source_key"], e["target_key"]} == {"KAZ", "IND"}} == {"b/story"}
    brief = write_brief(db, "KAZ", "IND")
    sources = brief.split("## Sources", 1)[1]
    assert "b/story" in sources and "/in/a/story.txt" not in sources  # the India-China article is not cited


@pytest.mark.slow
def test_an_edited_file_replaces_its_old_version_in_one_transaction(tmp_path: Path, monkeypatch) -> None:
    f = tmp_path / "in" / "story.txt"
    f.parent.mkdir()
    f.write_text(KAZ_IND, encoding="utf-8")
    db = str(tmp_path / "s.duckdb")
    api.run([str(f.parent)], db)
    with Store(db, read_only=True) as s:
        before = s.query("SELECT event_id, cameo FROM events ORDER BY event_id")
    f.write_text(IND_CHN, encoding="utf-8")

    def crash(self: Store, sources: Any) -> None:  # the new version's rows fail to go in
        raise duckdb.IOException("simulated: disk full")

    with monkeypatch.context() as m:
        m.setattr(Store, "_insert_staged", crash)
        with pytest.raises(StoreError, match="disk full"):
            api.run([str(f.parent)], db)
    with Store(db, read_only=True) as s:
        assert s.query("SELECT event_id, cameo FROM events ORDER BY event_id") == before  # the old version, whole
    summary = api.run([str(f.parent)], db)
    assert (summary.stored, summary.reprocessed, summary.reasons) == (1, 1, ["changed text"])
    with Store(db, read_only=True) as s:
        [d] = s.query("SELECT doc_id, text FROM documents")
        keys = {(r["source_key"], r["target_key"]) for r in s.query("SELECT * FROM events")}
        corpus = s.query("SELECT doc_ids FROM corpus_events")
    assert d == {"doc_id": "story", "text": IND_CHN}
    assert not any("KAZ" in k for k in keys) and keys  # none of the old version's events
    assert all(ids == ["story"] for ids in (r["doc_ids"] for r in corpus))


# -- the migration from schema version 2 -------------------------------------------------------
def v2_store(path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    """A version-2 store (documents keyed by text) holding (content_hash, doc_id, path, processed_at) rows,
    each with one event."""
    with duckdb.connect(str(path)) as con:
        con.execute(V2_TABLES)
        con.execute(ddl())
        con.execute("INSERT INTO meta VALUES ('schema_version', '2'), ('corpus_state', 'fresh')")
        for h, doc_id, p, at in rows:
            con.execute("INSERT INTO documents (content_hash, doc_id, path, text, n_events, processed_at) "
                        "VALUES (?, ?, ?, ?, 1, ?)", [h, doc_id, p, f"text {h}", at])
            con.execute("INSERT INTO events (event_id, content_hash, doc_id, cameo, root, modality) "
                        "VALUES (?, ?, ?, '042', '04', 'asserted')", [f"e-{h}", h, doc_id])
            con.execute("INSERT INTO claim_docs VALUES (?, 0)", [h])


def test_migrating_version_2_makes_ids_unique_and_drops_versions_a_rerun_left_behind(tmp_path: Path) -> None:
    db = tmp_path / "v2.duckdb"
    v2_store(db, [("h1", "story", "a/story.txt", "2024-01-01"), ("h2", "story", "b/story.txt", "2024-01-01"),
                  ("h3", "news", "news.txt", "2024-01-01"), ("h4", "news", "news.txt", "2024-02-01")])
    with Store(db) as s:
        assert s.upgraded_from == 2 and s.meta("schema_version") == str(SCHEMA_VERSION)
        docs = {r["doc_id"]: r for r in s.query("SELECT * FROM documents")}
        events = {r["doc_id"]: r["content_hash"] for r in s.query("SELECT * FROM events")}
        assert s.corpus_stale() and s.query("SELECT * FROM claim_docs") == []
    assert set(docs) == {"story", "b/story", "news"}
    assert docs["news"]["content_hash"] == "h4"  # the version of news.txt processed last; h3 is gone
    assert events == {"story": "h1", "b/story": "h2", "news": "h4"}
    assert all(d["source_key"].startswith(LEGACY_KEY_PREFIX) for d in docs.values())


@pytest.mark.slow
def test_a_run_after_the_migration_finds_its_documents_by_text(tmp_path: Path) -> None:
    src = ARTICLES / "01_ind_kaz_uranium_2015.txt"
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(src, folder / src.name)
    db = str(tmp_path / "s.duckdb")
    api.run([str(folder)], db)
    with Store(db) as s:  # back to version 2: no source keys
        s.con.execute("UPDATE documents SET source_key = ? || path || '#' || doc_id", [LEGACY_KEY_PREFIX])
    summary = api.run([str(folder)], db)
    assert (summary.stored, summary.already) == (0, 1)  # adopted: same text, same provenance
    with Store(db, read_only=True) as s:
        [d] = s.query("SELECT doc_id, source_key FROM documents")
    assert d["doc_id"] == src.stem and d["source_key"] == str((folder / src.name).resolve())


# -- stores that are not entente's -------------------------------------------------------------
def _one_line_refusal(run_cli, db: Path, words: str) -> None:
    for args in (["run", ARTICLES / "01_ind_kaz_uranium_2015.txt", "--db", db, "--quiet"], ["events", "--db", db],
                 ["sql", "SELECT 1", "--db", db], ["brief", "KAZ", "IND", "--db", db]):
        r = run_cli(*args, expect=2)
        assert words in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, r.stderr


def test_a_sqlite_file_is_refused_without_touching_the_network(tmp_path: Path, run_cli) -> None:
    db = tmp_path / "s.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE documents (x)")
    _one_line_refusal(run_cli, db, "is a SQLite database, not an entente store")
    from entente.store.db import BASE_CONFIG

    with pytest.raises(duckdb.Error) as exc:  # even past entente's own check, DuckDB would not fetch an extension
        duckdb.connect(str(db), config=BASE_CONFIG)
    assert "download" not in str(exc.value).lower()
    with Store(tmp_path / "new.duckdb") as s:
        settings = dict(s.con.execute("SELECT name, value FROM duckdb_settings() WHERE name IN "
                                      "('autoinstall_known_extensions', 'autoload_known_extensions')").fetchall())
    assert settings == {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}


def _examples_store(tmp_path: Path) -> Path:
    db = tmp_path / "ok.duckdb"
    res = DocResult(doc=Document(id="d", text="India met Kazakhstan.", path="d.txt"), content_hash="h",
                    pub_date=None, pub_date_origin=None, text="India met Kazakhstan.", events=())
    with Store(db) as s:
        s.write_batch([res])
        s.con.execute("CREATE TABLE padding AS SELECT range AS i, repeat('x', 200) AS s FROM range(100000)")
    return db


def test_a_truncated_store_is_refused_on_open(tmp_path: Path, run_cli) -> None:
    db = _examples_store(tmp_path)
    with db.open("r+b") as f:
        f.truncate(db.stat().st_size // 2)
    _one_line_refusal(run_cli, db, "damaged")


def test_empty_garbage_and_foreign_files_are_refused(tmp_path: Path, run_cli) -> None:
    empty = tmp_path / "empty.duckdb"
    empty.write_bytes(b"")
    _one_line_refusal(run_cli, empty, "empty file")
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"hello " * 1000)
    _one_line_refusal(run_cli, junk, "not a DuckDB database")
    foreign = tmp_path / "foreign.duckdb"
    with duckdb.connect(str(foreign)) as con:  # a DuckDB file with its own "documents" table
        con.execute("CREATE TABLE documents (id INTEGER, body VARCHAR)")
    r = run_cli("run", ARTICLES / "01_ind_kaz_uranium_2015.txt", "--db", foreign, "--quiet", expect=2)
    assert "cannot upgrade the store" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    with duckdb.connect(str(foreign), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchall() == [(0,)]  # left as it was
    newer = tmp_path / "lacking.duckdb"
    with Store(newer) as s:
        s.con.execute("ALTER TABLE events DROP COLUMN rule")
    r = run_cli("events", "--db", newer, expect=2)
    assert "table events lacks rule" in r.stderr


def test_a_folder_or_a_missing_folder_as_store_is_a_usage_error(tmp_path: Path, run_cli) -> None:
    r = run_cli("run", ARTICLES / "01_ind_kaz_uranium_2015.txt", "--db", tmp_path, "--quiet", expect=2)
    assert "is a folder" in r.stderr
    r = run_cli("run", ARTICLES / "01_ind_kaz_uranium_2015.txt", "--db", tmp_path / "no" / "x.duckdb", expect=2)
    assert "does not exist" in r.stderr


def test_event_ids_differ_for_one_text_in_two_documents(make_event) -> None:
    from entente.store.db import rename

    e: Event = make_event("IND", "KAZ", "042", doc="a")
    r = DocResult(doc=Document(id="a", text="x", path="a.txt"), content_hash="h", pub_date=None, pub_date_origin=None,
                  text="x", events=(e,))
    moved = rename(r, "b/a")
    assert moved.doc.id == moved.events[0].doc == "b/a" and moved.events[0].event_id != e.event_id


def test_a_store_damaged_inside_gives_one_line_whatever_block_is_hit(tmp_path: Path, run_cli) -> None:
    good = _examples_store(tmp_path)
    with Store(good) as s:
        s.con.execute("INSERT INTO documents (content_hash, doc_id, source_key, text) "
                      "SELECT 'h' || range, 'pad' || range, 'pad#' || range, repeat(md5(range::VARCHAR), 400) FROM range(200)")
    blocks = (good.stat().st_size - 12288) // 262144
    codes = set()
    for k in range(blocks):
        bad = tmp_path / f"bad{k}.duckdb"
        shutil.copy(good, bad)
        with bad.open("r+b") as f:
            f.seek(12288 + k * 262144 + 4096)
            f.write(b"\x5a" * 100_000)
        for args in (["sql", "SELECT sum(length(text)) AS n FROM documents", "--db", bad], ["events", "--db", bad]):
            r = run_cli(*args, expect=None)
            codes.add(r.exit_code)
            assert r.exit_code in (0, 2) and "Traceback" not in r.stderr, r.stderr
            if r.exit_code == 2:
                assert len(r.stderr.strip().splitlines()) == 1 and ("damaged" in r.stderr or "Corrupt" in r.stderr)
    assert 2 in codes  # some block the queries read was hit
