"""The documented store: its docs against a real store, typed columns, views, read-only reads, migration, `sql`."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from corpus_stores import copy_of, store_of

from entente import api
from entente.corpus.build import build_corpus
from entente.events.codebook import lookup
from entente.model import DocResult, Document, Event
from entente.pipeline import content_hash
from entente.store import Store
from entente.store.schema import SCHEMA_VERSION, TABLES, VIEWS, column_types, render_markdown

ROOT = Path(__file__).parents[1]
ARTICLES = ROOT / "examples" / "articles"
STORE_DOC = ROOT / "docs" / "store.md"
V1_SCHEMA = Path(__file__).parent / "data" / "store_v1.sql"
#: DuckDB's names of the types declared with a shorthand.
TYPE_NAMES = {"TIMESTAMPTZ": "TIMESTAMP WITH TIME ZONE"}


@pytest.fixture(scope="module")
def examples_db(nlp) -> str:
    return store_of(str(ARTICLES))


# -- the documentation -----------------------------------------------------------------------------
def test_docs_store_md_is_what_entente_schema_prints(run_cli) -> None:
    printed = run_cli("schema").stdout
    assert STORE_DOC.read_text("utf-8") == printed == api.schema_markdown(), \
        "docs/store.md is stale: regenerate it with `entente schema > docs/store.md`"


@pytest.mark.slow
def test_every_table_view_and_column_of_a_real_store_is_documented_with_its_type(examples_db: str) -> None:
    with Store(examples_db, read_only=True) as s:
        live = column_types(s.con)
    doc = STORE_DOC.read_text("utf-8")
    assert set(live) == {t.name for t in TABLES} | {v.name for v in VIEWS}, "schema.py and the store disagree"

    def section(name: str) -> str:
        assert f"### `{name}`" in doc, name
        return doc.split(f"### `{name}`", 1)[1].split("\n### ", 1)[0]

    for t in TABLES:
        assert live[t.name] == {c.name: TYPE_NAMES.get(c.type, c.type) for c in t.columns}, t.name
        text = section(t.name)
        assert all(f"| `{c.name}`" in text and f"| `{c.type}` |" in text for c in t.columns), t.name
    for v in VIEWS:
        assert list(live[v.name]) == [name for name, _ in v.columns], v.name
        text = section(v.name)
        assert all(f"| `{name}` | `{kind}` |" in text for name, kind in live[v.name].items()), v.name


@pytest.mark.slow
def test_columns_are_typed_not_json_in_strings(examples_db: str) -> None:
    with Store(examples_db, read_only=True) as s:
        types = column_types(s.con)
        for rel, cols in types.items():
            for col, kind in cols.items():
                if kind != "VARCHAR" or col in ("text", "evidence", "evidence_sentence", "value", "rule"):
                    continue
                rows = s.con.execute(f'SELECT "{col}" FROM {rel} WHERE "{col}" SIMILAR TO \'\\s*[\\[{{].*\'').fetchall()
                assert not rows, f"{rel}.{col} holds JSON text: {rows[:2]}"
    assert types["events"]["date_start"] == types["corpus_events"]["date_end"] == "DATE"
    assert types["events"]["mentions"].startswith("STRUCT(") and types["events"]["mentions"].endswith("[]")
    assert types["corpus_events"]["event_ids"] == types["claims"]["actors"] == "VARCHAR[]"
    assert types["documents"]["options"] == types["name_merges"]["evidence"] == "JSON"


def test_one_name_per_key() -> None:
    columns = {t.name: t.column_names for t in TABLES}
    assert not any("doc" in cols for cols in columns.values()), "the document id is doc_id everywhere"
    per_article = ("documents", "events", "actor_mentions", "learned_actors", "claims", "claim_docs")
    assert all("content_hash" in columns[t] for t in per_article)
    assert all("doc_id" in columns[t] for t in per_article if t != "claim_docs")
    assert columns["events"][:3] == ["event_id", "content_hash", "doc_id"]
    dates = [c for cols in columns.values() for c in cols if "date" in c and not c.startswith("pub_date")]
    assert set(dates) == {"date_start", "date_end", "date_precision", "date_source", "report_date_start",
                          "report_date_end", "report_date_precision",  # a report's date beside its event's
                          "undated_in"}  # articles, not a date
    assert [c for c in columns["dyad_reports"] if c.startswith("report_date")] == \
        ["report_" + c for c in columns["events"] if c.startswith("date_") and c != "date_source"]


# -- views -----------------------------------------------------------------------------------------
@pytest.fixture
def hand_db(tmp_path: Path, make_event: Callable[..., Event]) -> str:
    """A store of hand-made events (no model): known answers for the views."""
    rows = [("IND", "KAZ", "057", "2015-07-08", "asserted"), ("KAZ", "IND", "042", "2015-07-10", "asserted"),
            ("IND", "KAZ", "112", "2015-07", "asserted"), ("IND", "KAZ", "0331", "2015-07-20", "intended"),
            ("IND", "KAZ", "190", "2015-07-21", "negated"), ("IND", "KAZ", "040", "2016", "asserted"),
            ("IND", "CHN", "112", "2020-06-16", "asserted"), ("IND", "KAZ", "046", None, "asserted")]
    results = []
    for n, (a, b, code, date, modality) in enumerate(rows):
        e = make_event(a, b, code, doc=f"d{n}", date=date, modality=modality, sentence=f"Sentence {n} about {a} and {b}.")
        results.append(DocResult(doc=Document(id=e.doc, text=e.evidence.sentence, path=f"{e.doc}.txt"),
                                 content_hash=f"h{n}", pub_date=None, pub_date_origin=None,
                                 text=e.evidence.sentence, events=(e,)))
    db = str(tmp_path / "hand.duckdb")
    with Store(db) as s:
        s.write_batch(results)
        build_corpus(s)
    return db


def test_views_answer_their_questions(hand_db: str) -> None:
    with Store(hand_db, read_only=True) as s:
        months = s.query("SELECT * FROM events_by_dyad_month ORDER BY actor_a, actor_b, month")
        years = {(r["actor_key"], r["year"]): r for r in s.query("SELECT * FROM events_by_actor_year")}
        dyads = {(r["actor_a"], r["actor_b"]): r for r in s.query("SELECT * FROM dyads")}
        sources = s.query("SELECT * FROM event_sources")
    july = [r for r in months if (r["actor_a"], r["actor_b"], str(r["month"])) == ("IND", "KAZ", "2015-07-01")]
    assert len(july) == 1
    m = july[0]  # 057, 042 (either direction), 112 (month precision), 0331 intended; the negated 190 left out
    assert (m["events"], m["asserted"], m["verbal_cooperation"], m["verbal_conflict"], m["material_conflict"]) == (4, 3, 3, 1, 0)
    weights = sum(lookup(c).goldstein for c in ("057", "042", "112"))  # asserted only
    assert m["goldstein_total"] == pytest.approx(weights, abs=0.01)
    assert not [r for r in months if str(r["month"]).startswith("2016")]  # a year-only date has no month
    assert years[("IND", 2015)]["events"] == 4 and years[("IND", 2015)]["as_target"] == 1
    assert years[("IND", 2016)]["events"] == 1 and years[("CHN", 2020)]["as_target"] == 1
    ik = dyads[("IND", "KAZ")]
    assert ik["events"] == 6 and str(ik["first_date"]) == "2015-07-01" and str(ik["last_date"]) == "2016-12-31"
    assert len(sources) == 8 and {r["doc_id"] for r in sources} == {f"d{n}" for n in range(8)}


# -- read commands only read -----------------------------------------------------------------------
def file_digest(path: str | Path) -> str:
    return hashlib.sha1(Path(path).read_bytes()).hexdigest()


@pytest.mark.slow
def test_run_builds_the_corpus_tables_and_read_commands_leave_the_file_untouched(examples_db: str, tmp_path: Path,
                                                                                  run_cli) -> None:
    db = copy_of(examples_db, tmp_path)
    with Store(db, read_only=True) as s:
        assert s.meta("corpus_state") == "fresh"
        counts = {t: s.query(f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in ("corpus_events", "stories", "claims")}
    assert all(counts.values()), counts  # built by run, before any brief or export
    before = file_digest(db)
    Path(db).chmod(0o444)  # read-only on disk too: every read command still works
    try:
        run_cli("brief", "IND", "KAZ", "--db", db)
        run_cli("export", "--format", "plover", "--out", tmp_path / "x.jsonl", "--db", db)
        run_cli("claims", "--db", db, "--format", "json")
        run_cli("events", "--db", db, "--format", "json")
        run_cli("sql", "SELECT count(*) FROM events", "--db", db)
    finally:
        Path(db).chmod(0o644)
    assert file_digest(db) == before


def test_a_stale_corpus_is_read_with_a_warning_and_rebuilt_by_migrate(hand_db: str, run_cli) -> None:
    with Store(hand_db) as s:
        s.set_meta("corpus_state", "stale")
    r = run_cli("export", "--format", "parquet", "--out", Path(hand_db).with_suffix(".parquet"), "--db", hand_db)
    assert "older than its articles" in r.stderr and "entente migrate" in r.stderr
    run_cli("migrate", "--db", hand_db)
    with Store(hand_db, read_only=True) as s:
        assert not s.corpus_stale()


# -- schema versions -------------------------------------------------------------------------------
ORIGINAL = "date 2015-07-08\n\nIndia and Kazakhstan signed five agreements in Astana on Wednesday.\n"
CLEANED = "India and Kazakhstan signed five agreements in Astana on Wednesday."


@pytest.fixture
def v1_db(tmp_path: Path) -> tuple[str, Path]:
    """A store as entente wrote it before schema versions: cleaned text, VARCHAR dates, JSON in strings."""
    source = tmp_path / "a.txt"
    source.write_text(ORIGINAL, "utf-8")
    h = content_hash(Document(id="a", text=ORIGINAL))
    db = str(tmp_path / "old.duckdb")
    start = ORIGINAL.index("India")
    mentions = json.dumps([{"sentence": CLEANED, "start": start, "end": start + len(CLEANED)}])
    with duckdb.connect(db) as con:
        con.execute(V1_SCHEMA.read_text("utf-8"))
        con.execute("INSERT INTO documents VALUES (?, 'a', ?, NULL, '2015-07-08', 'date-line', NULL, NULL, ?, 2, "
                    "current_timestamp)", [h, str(source), CLEANED])
        for eid, code, date in (("e1", "057", "2015-07-08"), ("e2", "040", "2015-07")):
            con.execute("INSERT INTO events VALUES (?, ?, 'a', 'India', 'India', 'IND', NULL, NULL, 'IND', "
                        "'Kazakhstan', 'Kazakhstan', 'KAZ', NULL, NULL, 'KAZ', ?, ?, 1.0, 1, 'SUPPORT', ?, 'x', "
                        "'On Wednesday', 'asserted', ?, ?, ?, 'sign:subj>obj', ?)",
                        [eid, h, code, code[:2], date, CLEANED, start, start + len(CLEANED), mentions])
        con.execute("INSERT INTO mentions VALUES (?, 'a', ?, ?, 'India', 'India', 'IND', NULL, NULL, 'IND', 'kb', 0)",
                    [h, start, start + 5])
    return db, source


def test_read_commands_refuse_an_older_store_and_say_how_to_upgrade(v1_db: tuple[str, Path], run_cli) -> None:
    db, _ = v1_db
    r = run_cli("events", "--db", db, expect=2)
    assert "schema version 1" in r.stderr and f"entente migrate --db {db}" in r.stderr
    with duckdb.connect(db, read_only=True) as con:
        assert "meta" not in {t for (t,) in con.execute("SHOW TABLES").fetchall()}  # refused, not changed


def test_migrate_upgrades_a_version_1_store(v1_db: tuple[str, Path], run_cli) -> None:
    db, source = v1_db
    r = run_cli("migrate", "--db", db)
    assert f"from schema version 1 to {SCHEMA_VERSION}" in r.stderr
    with Store(db, read_only=True) as s:
        assert s.meta("schema_version") == str(SCHEMA_VERSION)
        [doc] = s.query("SELECT * FROM documents")
        events = {e["event_id"]: e for e in s.query("SELECT * FROM events")}
        [mention] = s.query("SELECT * FROM actor_mentions")
        corpus = s.query("SELECT * FROM corpus_events")
    assert doc["text"] == ORIGINAL  # the original text, read again from the file: offsets point into it
    assert str(doc["pub_date"]) == "2015-07-08" and doc["entente_version"] is None  # unknown: reprocessed by the next run
    e1, e2 = events["e1"], events["e2"]
    assert doc["text"][e1["evidence_start"]:e1["evidence_end"]] == e1["evidence_sentence"]
    assert (str(e2["date_start"]), str(e2["date_end"]), e2["date_precision"]) == ("2015-07-01", "2015-07-31", "month")
    assert e1["doc_id"] == "a" and e1["source_key"] == "IND" and e1["mentions"][0]["start"] == e1["evidence_start"]
    assert mention["sentence_no"] == 0 and mention["doc_id"] == "a"
    assert len(corpus) == 2  # the corpus tables, built
    assert "up to date" in run_cli("migrate", "--db", db).stderr


def test_migrate_upgrades_a_version_3_store_without_loss(hand_db: str, run_cli) -> None:
    """Version 3 had no sketches, buckets or links and no ``corpus_events.cell``: nothing is lost, the corpus is rebuilt."""
    kept = ("documents", "events", "actor_mentions", "claims", "claim_docs", "near_duplicates", "stories", "name_merges")

    def rows(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
        out = {"documents": con.execute("SELECT * EXCLUDE (processed_at) FROM documents ORDER BY ALL").fetchall()}
        out |= {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in kept[1:]}
        out["corpus_events"] = con.execute("SELECT * EXCLUDE (cell) FROM corpus_events ORDER BY ALL").fetchall()
        return out

    with duckdb.connect(hand_db) as con:
        before = rows(con)
        for t in ("doc_sketches", "lsh_buckets", "doc_links"):
            con.execute(f"DROP TABLE {t}")
        con.execute("ALTER TABLE corpus_events DROP COLUMN cell")
        con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    r = run_cli("migrate", "--db", hand_db)
    assert f"from schema version 3 to {SCHEMA_VERSION}" in r.stderr
    with duckdb.connect(hand_db, read_only=True) as con:
        assert rows(con) == before
        assert con.execute("SELECT count(*) FROM doc_sketches").fetchone() == (len(before["documents"]),)
        assert con.execute("SELECT count(*) FROM corpus_events WHERE cell IS NULL").fetchone() == (0,)
        assert con.execute("SELECT value FROM meta WHERE key = 'corpus_state'").fetchone() == ("fresh",)


def test_migrate_upgrades_a_version_4_store_and_merges_its_reports_again(hand_db: str, run_cli) -> None:
    """Version 4 had no ``corpus_events.component``: the table is made again and the corpus rebuilt, the sketches kept."""
    with duckdb.connect(hand_db) as con:
        before = con.execute("SELECT * FROM corpus_events ORDER BY ALL").fetchall()
        sketches = con.execute("SELECT * FROM doc_sketches ORDER BY ALL").fetchall()
        con.execute("ALTER TABLE corpus_events DROP COLUMN component")
        con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    r = run_cli("migrate", "--db", hand_db)
    assert f"from schema version 4 to {SCHEMA_VERSION}" in r.stderr
    with duckdb.connect(hand_db, read_only=True) as con:
        assert before and con.execute("SELECT * FROM corpus_events ORDER BY ALL").fetchall() == before
        assert con.execute("SELECT * FROM doc_sketches ORDER BY ALL").fetchall() == sketches
        assert con.execute("SELECT value FROM meta WHERE key = 'corpus_state'").fetchone() == ("fresh",)


def test_migrate_upgrades_a_version_5_store_and_writes_its_dyad_tables(hand_db: str, run_cli) -> None:
    """Version 5 had no dyad tables: they are written from the corpus tables, which are kept."""
    with duckdb.connect(hand_db) as con:
        want = {t: con.execute(f"SELECT * FROM {t}").fetchall() for t in ("dyad_reports", "dyad_events", "dyad_figures")}
        corpus = con.execute("SELECT * FROM corpus_events ORDER BY ALL").fetchall()
        for t in want:
            con.execute(f"DROP TABLE {t}")
        con.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    r = run_cli("migrate", "--db", hand_db)
    assert f"from schema version 5 to {SCHEMA_VERSION}" in r.stderr
    with duckdb.connect(hand_db, read_only=True) as con:
        assert want["dyad_reports"] and want["dyad_events"]
        assert {t: con.execute(f"SELECT * FROM {t}").fetchall() for t in want} == want  # rows and their order
        assert con.execute("SELECT * FROM corpus_events ORDER BY ALL").fetchall() == corpus
        assert con.execute("SELECT value FROM meta WHERE key = 'corpus_state'").fetchone() == ("fresh",)


@pytest.mark.slow
def test_run_upgrades_a_version_1_store_and_reprocesses_its_documents(v1_db: tuple[str, Path], run_cli) -> None:
    db, source = v1_db
    r = run_cli("run", source, "--db", db, "--quiet")
    assert f"upgraded {db} from schema version 1" in r.stderr
    assert "1 reprocessed (unknown provenance)" in r.stderr
    with Store(db, read_only=True) as s:
        [doc] = s.query("SELECT * FROM documents")
    assert doc["entente_version"] and doc["text"] == ORIGINAL


def test_a_newer_store_is_refused_by_readers_and_writers(tmp_path: Path, run_cli) -> None:
    db = tmp_path / "future.duckdb"
    with Store(db) as s:
        s.set_meta("schema_version", str(SCHEMA_VERSION + 1))
    for args in (["events", "--db", db], ["migrate", "--db", db], ["run", ARTICLES / "missing.txt", "--db", db]):
        r = run_cli(*args, expect=2)
        assert "newer entente" in r.stderr and "upgrade entente" in r.stderr


def test_schema_docs_render_every_declaration() -> None:
    md = render_markdown()
    assert md.count("\n### `") == len(TABLES) + len(VIEWS)
    assert all(f"| `{c.name}`" in md for t in TABLES for c in t.columns)


# -- entente sql -----------------------------------------------------------------------------------
def test_sql_runs_read_only_queries_in_every_format(hand_db: str, run_cli) -> None:
    q = "SELECT cameo, date_label(date_start, date_precision) AS date, mentions FROM events ORDER BY cameo LIMIT 3"
    rows = json.loads(run_cli("sql", q, "--db", hand_db, "--format", "json").stdout)
    assert [r["cameo"] for r in rows] == ["0331", "040", "042"]
    assert rows[0]["date"] == "2015-07-20" and rows[0]["mentions"][0]["sentence"].startswith("Sentence")
    as_csv = list(csv.DictReader(io.StringIO(run_cli("sql", q, "--db", hand_db, "--format", "csv").stdout)))
    assert [r["cameo"] for r in as_csv] == ["0331", "040", "042"]
    lines = run_cli("sql", "SELECT * FROM dyads", "--db", hand_db, "--format", "jsonl").stdout.splitlines()
    assert {json.loads(line)["actor_b"] for line in lines} == {"KAZ", "IND"}
    assert "actor_a" in run_cli("sql", "SELECT * FROM dyads", "--db", hand_db).stdout


@pytest.mark.parametrize("statement", [
    "DELETE FROM events", "DROP TABLE documents", "CREATE TABLE x (y INT)", "UPDATE meta SET value = '9'",
    "COPY events TO '/tmp/entente-sql-test.csv'", "SELECT * FROM read_csv('/etc/hostname')", "ATTACH '/tmp/x.duckdb'",
])
def test_sql_cannot_change_the_store_or_touch_other_files(hand_db: str, run_cli, statement: str) -> None:
    before = file_digest(hand_db)
    r = run_cli("sql", statement, "--db", hand_db, expect=2)
    assert r.stderr.startswith("entente: query failed") and len(r.stderr.strip().splitlines()) == 1
    assert file_digest(hand_db) == before
    assert not Path("/tmp/entente-sql-test.csv").exists()


def test_sql_on_a_missing_store_says_how_to_make_one(tmp_path: Path, run_cli) -> None:
    r = run_cli("sql", "SELECT 1", "--db", tmp_path / "none.duckdb", expect=2)
    assert "no store here yet" in r.stderr and not (tmp_path / "none.duckdb").exists()

