"""The DuckDB store: idempotent runs, incremental runs, atomic batches, and the `events` query."""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import entente
from entente import api
from entente.engines import local as engine
from entente.model import Actor, DocResult, Document, Event, Evidence
from entente.store import Store, row_to_json

ARTICLES = Path(__file__).parents[1] / "examples" / "articles"


def result(doc_id: str, events: list[Event], text: str | None = None) -> DocResult:
    text = text or f"Text of {doc_id}."
    return DocResult(doc=Document(id=doc_id, text=text, path=f"{doc_id}.txt"), content_hash=f"h-{text}",
                     pub_date=None, pub_date_origin=None, text=text, events=tuple(events))


def counts(db: Path | str) -> dict[str, int]:
    with Store(db) as s:
        return s.counts()


class FailOnEventsInsert:
    """A connection that fails on the events insert: a crash mid-batch, after the documents went in."""

    def __init__(self, con: Any) -> None:
        self._con = con

    def execute(self, sql: str, *args: Any) -> Any:
        if "INTO events" in sql:
            raise RuntimeError("simulated crash while inserting events")
        return self._con.execute(sql, *args)

    def executemany(self, sql: str, rows: Any) -> Any:
        if "INTO events" in sql:
            raise RuntimeError("simulated crash while inserting events")
        return self._con.executemany(sql, rows)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


def crash_on_events_insert(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on every Store fails when it inserts events."""
    original = Store.__init__

    def init(self: Store, *args: Any, **kw: Any) -> None:
        original(self, *args, **kw)
        self.con = FailOnEventsInsert(self.con)

    monkeypatch.setattr(Store, "__init__", init)


# -- writing, without the model -------------------------------------------------------------


def test_write_batch_skips_known_and_repeated_sources_and_keeps_copies_from_other_sources(tmp_db: Path, make_event) -> None:
    a = result("a", [make_event("IND", "KAZ", "046", doc="a")])
    b = result("b", [make_event("KAZ", "IND", "042", doc="b")])
    copy_of_a = result("a-copy", [make_event("IND", "KAZ", "046", doc="a-copy", n=1)], text=a.text)
    with Store(tmp_db) as s:
        w = s.write_batch([a, b, copy_of_a, a])  # the same text from another file is another document
        assert (w.stored, w.already, w.events) == (3, 1, 3)
        first = s.counts()
        assert s.write_batch([a, b]).stored == 0
        assert s.counts() == first
    assert first["documents"] == 3 and first["events"] == 3


def test_a_changed_source_replaces_its_old_version_in_one_write(tmp_db: Path, make_event) -> None:
    old = result("a", [make_event("IND", "KAZ", "046", doc="a"), make_event("IND", "KAZ", "042", doc="a", n=1)])
    new = result("a", [make_event("IND", "KAZ", "036", doc="a", n=2)], text="A new text of a.")
    with Store(tmp_db) as s:
        s.write_batch([old])
        w = s.write_batch([new])
        assert (w.stored, w.replaced) == (1, (("a", ("changed text",)),))
        assert s.counts()["documents"] == 1
        assert [r["cameo"] for r in s.query("SELECT cameo FROM events")] == ["036"]  # nothing of the old version


def test_a_crash_mid_batch_rolls_the_whole_batch_back(tmp_db: Path, make_event, monkeypatch) -> None:
    with Store(tmp_db) as s:
        s.write_batch([result("old", [make_event("IND", "KAZ", "046", doc="old")])])
        before = s.counts()
    crash_on_events_insert(monkeypatch)
    with Store(tmp_db) as s:
        with pytest.raises(RuntimeError, match="simulated crash"):
            s.write_batch([result("new", [make_event("IND", "KAZ", "046", doc="new")])])
        assert s.counts() == before
        assert {d.content_hash for d in s.index().values()} == {"h-Text of old."}


def test_reading_a_missing_store_says_how_to_make_one(tmp_db: Path, run_cli) -> None:
    r = run_cli("events", "--db", tmp_db, expect=2)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr  # one line, however long the path
    assert str(tmp_db) in lines[0] and "entente run" in lines[0]
    assert not tmp_db.exists()


ACTOR = st.builds(Actor, text=st.text(max_size=20), name=st.none() | st.text(max_size=20),
                  country=st.none() | st.sampled_from(["IND", "KAZ", "RUS"]),
                  igo=st.none() | st.sampled_from(["UN", "SCO"]), sector=st.none() | st.sampled_from(["GOV", "MIL"]))


PRECISION = {4: "year", 7: "month", 10: "day"}


@st.composite
def events(draw: st.DrawFn) -> list[Event]:
    from entente.events.codebook import codebook

    codes = sorted(codebook())
    out = []
    for n in range(draw(st.integers(0, 4))):
        c = codebook()[draw(st.sampled_from(codes))]
        sentence = draw(st.text(min_size=1, max_size=60))
        start = draw(st.integers(0, 10_000))
        ev = Evidence(sentence, start, start + len(sentence))
        out.append(Event(
            event_id=f"e{n}", doc="d", source=draw(ACTOR), target=draw(st.none() | ACTOR), cameo=c.code, root=c.root,
            goldstein=c.goldstein, quad_class=c.quad_class, plover=c.plover,
            date=(date := draw(st.none() | st.sampled_from(["2015", "2015-07", "2015-07-08", "2016-02", "2000-12-31"]))),
            date_precision=PRECISION.get(len(date or "")),  # the contract: the precision is the date's
            date_source=draw(st.none() | st.text(max_size=20)),
            modality=draw(st.sampled_from(["asserted", "intended", "negated", "hypothetical"])),
            evidence=ev, rule=draw(st.text(max_size=20)), mentions=(ev,),
        ))
    return out


@settings(max_examples=40, deadline=None)
@given(events())
def test_stored_events_read_back_as_their_json(evs: list[Event]) -> None:
    """Event -> store -> row_to_json gives Event.to_json(), for any event with both or one actor."""
    with Store(":memory:") as s:
        s.write_batch([result("d", evs)])
        rows = s.query("SELECT * FROM events ORDER BY event_id")
    want = sorted((e.to_json() for e in evs), key=lambda j: j["event_id"])
    got = [row_to_json(r) for r in rows]
    assert got == want


# -- the events query ------------------------------------------------------------------------


@pytest.fixture
def query_db(tmp_db: Path, make_event) -> Path:
    """A store with hand-made events, so every filter has a known answer."""
    evs = {
        "ik-talks": make_event("IND", "KAZ", "046", date="2015-07-08", n=1),
        "ki-visit": make_event("KAZ", "IND", "042", date="2016-03", n=2),
        "ik-sign": make_event("IND", "KAZ", "057", date="2015-07-08", n=3),
        "ik-early": make_event("IND", "KAZ", "040", date="2014-05-05", n=4),
        "ic-meet": make_event("IND", "CHN", "040", date="2020-06-17", n=5),
        "un-kaz": make_event("IGO:UN", "KAZ", "040", date="2019-01-01", n=6),
        "ind-only": make_event("IND", None, "010", date="2013", n=7),
        "ki-undated": make_event("KAZ", "IND", "043", date=None, n=8),
        "ik-threat-neg": make_event("IND", "KAZ", "138", date="2017-02", n=9, modality="negated"),
        "ki-plan": make_event("KAZ", "IND", "036", date="2018", n=10, modality="intended"),
    }
    evs = {k: replace(e, event_id=k) for k, e in evs.items()}
    modi = Actor(text="Modi", name="Narendra Modi", country="IND", sector="GOV", person="Narendra Modi")
    evs["ic-meet"] = replace(evs["ic-meet"], source=modi)
    with Store(tmp_db) as s:
        s.write_batch([result("d1", list(evs.values()))])
    return tmp_db


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [r["event_id"] for r in rows]


@pytest.mark.parametrize(("args", "expected"), [
    (["--dyad", "IND-KAZ", "--root", "04", "--since", "2015"], ["ik-talks", "ki-visit"]),
    (["--dyad", "kaz-ind", "--root", "4"], ["ik-early", "ik-talks", "ki-visit", "ki-undated"]),
    (["--root", "05"], ["ik-sign"]),
    (["--dyad", "IGO:UN-KAZ"], ["un-kaz"]),
    (["--since", "2016", "--until", "2019"], ["ki-visit", "un-kaz", "ki-plan"]),  # not the negated threat of 2017
    (["--until", "2015"], ["ind-only", "ik-early", "ik-sign", "ik-talks"]),  # --until 2015 keeps 2015-07-08
    (["--until", "2015-07"], ["ind-only", "ik-early", "ik-sign", "ik-talks"]),
    (["--until", "2015-07-07"], ["ind-only", "ik-early"]),
    (["--doc", "nope"], []),
    (["--since", "2015-07-09", "--until", "2015-12"], []),
    (["--since", "2018-06"], ["ic-meet", "un-kaz", "ki-plan"]),  # an event of 2018 overlaps June 2018 on
    (["--actor", "IGO:UN"], ["un-kaz"]),
    (["--actor", "un"], ["un-kaz"]),
    (["--actor", "CHN"], ["ic-meet"]),
    (["--actor", "narendra modi"], ["ic-meet"]),
    (["--actor", "KAZ", "--root", "04"], ["ik-talks", "ki-visit", "ik-early", "un-kaz", "ki-undated"]),
    (["--code", "04"], ["ik-talks", "ki-visit", "ik-early", "ic-meet", "un-kaz", "ki-undated"]),
    (["--code", "046"], ["ik-talks"]),
    (["--quad", "1", "--until", "2014"], ["ind-only", "ik-early"]),
    (["--quad", "3"], []),
    (["--quad", "3", "--modality", "all"], ["ik-threat-neg"]),
    (["--plover", "agree"], ["ki-plan"]),
    (["--plover", "CONSULT", "--dyad", "IND-CHN"], ["ic-meet"]),
    (["--modality", "negated"], ["ik-threat-neg"]),
    (["--modality", "intended,negated"], ["ik-threat-neg", "ki-plan"]),
    (["--modality", "intended", "--modality", "asserted", "--root", "03"], ["ki-plan"]),
    (["--limit", "2"], ["ind-only", "ik-early"]),
    (["--actor", "KAZ", "--limit", "1"], ["ik-early"]),
])
def test_events_filters(query_db: Path, run_cli, args: list[str], expected: list[str]) -> None:
    r = run_cli("events", "--db", query_db, *args, "--format", "json")
    assert sorted(ids(json.loads(r.stdout))) == sorted(expected)


def test_events_are_ordered_by_date_with_undated_last(query_db: Path, run_cli) -> None:
    rows = json.loads(run_cli("events", "--db", query_db, "--format", "json").stdout)
    dates = [r["date"] for r in rows]
    assert dates[-1] is None and None not in dates[:-1]
    assert dates[:-1] == sorted(dates[:-1])


def test_events_in_every_format(query_db: Path, run_cli) -> None:
    base = ["events", "--db", query_db, "--dyad", "IND-KAZ", "--root", "04", "--since", "2015"]
    as_json = json.loads(run_cli(*base, "--format", "json").stdout)
    as_jsonl = [json.loads(line) for line in run_cli(*base, "--format", "jsonl").stdout.splitlines()]
    as_csv = list(csv.DictReader(io.StringIO(run_cli(*base, "--format", "csv").stdout)))
    table = run_cli(*base, "--format", "table").stdout
    assert ids(as_json) == ids(as_jsonl) == ids(as_csv) == ["ik-talks", "ki-visit"]
    assert as_json[0]["source"]["country"] == "IND" and as_json[0]["target"]["country"] == "KAZ"
    assert [(r["source_country"], r["target_country"], r["root"]) for r in as_csv] == [("IND", "KAZ", "04"), ("KAZ", "IND", "04")]
    assert "2015-07-08" in table and "2016-03" in table and "046" in table and "042" in table
    assert "2014-05-05" not in table and "2020-06-17" not in table and "057" not in table


def test_csv_keeps_target_columns_when_the_first_row_has_no_target(query_db: Path, run_cli) -> None:
    rows = list(csv.DictReader(io.StringIO(run_cli("events", "--db", query_db, "--format", "csv").stdout)))
    assert rows[0]["event_id"] == "ind-only" and rows[0]["target_country"] == ""
    assert {r["target_country"] for r in rows[1:]} >= {"KAZ", "IND", "CHN"}


# -- whole runs -----------------------------------------------------------------------------


@pytest.mark.slow
def test_running_twice_stores_nothing_twice(tmp_db: Path, run_cli) -> None:
    first = run_cli("run", ARTICLES, "--db", tmp_db, "--quiet")
    after_first = counts(tmp_db)
    second = run_cli("run", ARTICLES, "--db", tmp_db, "--quiet")
    assert counts(tmp_db) == after_first
    n_docs = after_first["documents"]
    assert n_docs == 11  # ten files, one of them JSON Lines with two records
    assert f"{n_docs} stored, 0 already" in first.stderr
    assert f"{after_first['events']} events added" in first.stderr
    assert f"0 stored, {n_docs} already" in second.stderr and "0 events added" in second.stderr


@pytest.mark.slow
def test_one_text_in_two_files_is_two_documents_one_source_given_twice_is_one(tmp_path: Path, tmp_db: Path) -> None:
    src = ARTICLES / "01_ind_kaz_uranium_2015.txt"
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(src, folder / "a.txt")
    shutil.copy(src, folder / "b.txt")
    summary = api.run([str(folder), str(folder / "a.txt")], str(tmp_db))
    c = counts(tmp_db)
    assert (summary.read, summary.stored, summary.already, c["documents"]) == (3, 2, 1, 2)
    assert summary.events == c["events"]
    with Store(tmp_db, read_only=True) as s:
        per_doc = dict(s.con.execute("SELECT doc_id, count(DISTINCT event_id) FROM events GROUP BY 1").fetchall())
        copies = s.query("SELECT * FROM near_duplicates")
        merged = s.con.execute("SELECT max(n_articles), max(n_sources) FROM corpus_events").fetchall()[0]
    assert set(per_doc) == {"a", "b"} and per_doc["a"] == per_doc["b"] == c["events"] // 2  # own event ids
    assert [(r["doc_id"], r["duplicate_of"]) for r in copies] == [("b", "a")]
    assert merged == (2, 1)  # both articles report each event, as one source


@pytest.mark.slow
def test_a_grown_folder_processes_only_the_new_file(tmp_path: Path, tmp_db: Path, run_cli, monkeypatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["01_ind_kaz_uranium_2015.txt", "03_sau_irn_beijing_2023.txt", "09_gbr_rus_skripal_2018.txt"]
    for name in names[:2]:
        shutil.copy(ARTICLES / name, folder / name)
    run_cli("run", folder, "--db", tmp_db, "--quiet")
    before = counts(tmp_db)

    processed: list[str] = []
    real = engine.process_batch

    def spy(docs, options):
        processed.extend(doc.id for doc in docs)
        return real(docs, options)

    monkeypatch.setattr(engine, "process_batch", spy)
    shutil.copy(ARTICLES / names[2], folder / names[2])
    r = run_cli("run", folder, "--db", tmp_db, "--quiet")
    assert processed == [Path(names[2]).stem]
    assert "3 inputs: 1 stored, 2 already" in r.stderr
    after = counts(tmp_db)
    assert after["documents"] == before["documents"] + 1
    assert after["events"] >= before["events"]


@pytest.mark.slow
def test_a_crashed_run_leaves_the_store_as_it_was(tmp_path: Path, tmp_db: Path, monkeypatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ARTICLES / "01_ind_kaz_uranium_2015.txt", folder)
    api.run([str(folder)], str(tmp_db))
    before = counts(tmp_db)
    assert before["documents"] == 1 and before["events"] > 0
    for name in ["03_sau_irn_beijing_2023.txt", "09_gbr_rus_skripal_2018.txt"]:
        shutil.copy(ARTICLES / name, folder)
    with monkeypatch.context() as m:
        crash_on_events_insert(m)
        with pytest.raises(RuntimeError, match="simulated crash"):
            api.run([str(folder)], str(tmp_db))
        assert counts(tmp_db) == before
    summary = api.run([str(folder)], str(tmp_db))  # and the next run stores what the crash lost
    assert (summary.stored, summary.already, summary.n_skipped) == (2, 1, 0)
    assert counts(tmp_db)["documents"] == 3


# -- the events query on real output ---------------------------------------------------------


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory: pytest.TempPathFactory, nlp) -> Path:
    db = tmp_path_factory.mktemp("store") / "examples.duckdb"
    api.run([str(ARTICLES)], str(db))
    return db


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "table"])
def test_events_query_on_the_examples_agrees_with_filtering_by_hand(examples_db: Path, run_cli, fmt: str) -> None:
    every = json.loads(run_cli("events", "--db", examples_db, "--format", "json").stdout)
    assert every, "the examples give some events"

    def keep(e: dict[str, Any]) -> bool:
        pair = {(e["source"] or {}).get("country"), (e["target"] or {}).get("country")}
        return pair == {"IND", "KAZ"} and e["root"] == "04" and e["date"] is not None and e["date"] >= "2015"

    want = [e for e in every if keep(e)]
    out = run_cli("events", "--db", examples_db, "--dyad", "IND-KAZ", "--root", "04", "--since", "2015",
                  "--format", fmt).stdout
    if fmt == "json":
        assert json.loads(out) == want
    elif fmt == "jsonl":
        assert [json.loads(line) for line in out.splitlines()] == want
    elif fmt == "csv":
        assert [r["event_id"] for r in csv.DictReader(io.StringIO(out))] == ids(want)
    else:
        for e in want:
            assert e["cameo"] in out and (e["date"] or "-") in out
        shown = {e["date"] for e in want}
        for e in every:
            if e["date"] and not keep(e) and not any(e["date"] in d or d in e["date"] for d in shown):
                assert e["date"] not in out


# -- reprocessing -----------------------------------------------------------------------------


def provenance_row(db: Path) -> dict[str, Any]:
    with Store(db, read_only=True) as s:
        [row] = s.query("SELECT entente_version, kb_hash, patterns_hash, CAST(options AS VARCHAR) AS options, "
                        "n_events FROM documents")
    return row


@pytest.mark.slow
def test_run_reprocesses_a_document_when_what_produced_it_changes(tmp_path: Path, tmp_db: Path, run_cli,
                                                                  monkeypatch) -> None:
    src = tmp_path / "a.txt"
    shutil.copy(ARTICLES / "07_arm_aze_ceasefire_2020.txt", src)
    patterns, actors = tmp_path / "mine.yaml", tmp_path / "actors.yaml"
    patterns.write_text("[]  # no extra patterns, but another file\n", "utf-8")
    actors.write_text("people: []\n", "utf-8")
    first = run_cli("run", src, "--db", tmp_db, "--quiet")
    assert "1 stored, 0 already" in first.stderr and "reprocessed" not in first.stderr
    rec = provenance_row(tmp_db)
    assert rec["entente_version"] == entente.__version__ and len(rec["kb_hash"]) == len(rec["patterns_hash"]) == 16
    assert json.loads(rec["options"]) == {"include_negated": False, "pub_date": None}
    assert "0 stored, 1 already" in run_cli("run", src, "--db", tmp_db, "--quiet").stderr

    def rerun(*args: Any) -> str:
        r = run_cli("run", src, "--db", tmp_db, "--quiet", *args)
        assert "1 input: 1 stored, 0 already" in r.stderr
        c = counts(tmp_db)
        assert c["documents"] == 1 and c["events"] == provenance_row(tmp_db)["n_events"]  # replaced, not added
        return r.stderr

    assert "1 reprocessed (patterns)" in rerun("--patterns", patterns)
    assert provenance_row(tmp_db)["patterns_hash"] != rec["patterns_hash"]
    assert "1 reprocessed (knowledge base, patterns)" in rerun("--actors", actors)  # and the patterns are back
    assert "1 reprocessed (knowledge base, options)" in rerun("--include-negated")
    assert json.loads(provenance_row(tmp_db)["options"])["include_negated"] is True
    assert "1 reprocessed (--force)" in rerun("--include-negated", "--force")
    monkeypatch.setattr(entente, "__version__", "99.0")
    assert "1 reprocessed (entente version)" in rerun("--include-negated")
    assert provenance_row(tmp_db)["entente_version"] == "99.0"
