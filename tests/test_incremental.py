"""The corpus tables kept up to date batch by batch equal those of one full build.

A store of the seeds and the sample articles (plus two near-duplicate copies, one that
sorts first and so takes over its group) is parsed once; its per-article rows are then
copied into fresh stores in random batches, the corpus step updating the tables after
each batch, and every corpus table must equal that of one build over all the articles.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from corpus_stores import store_of

from entente.corpus.maintain import update_corpus
from entente.store import Store

ARTICLES = Path(__file__).parents[1] / "examples" / "articles"
#: The tables the corpus step writes, compared row for row.
COMPARED = ("near_duplicates", "stories", "name_merges", "corpus_events", "doc_links", "claims", "claim_docs",
            "dyad_reports", "dyad_events", "dyad_figures")
#: What is left out of the comparison: the order the events were written in, which follows the batches.
UNCOMPARED = {"dyad_reports": "corpus_rank", "dyad_events": "corpus_rank"}
PER_ARTICLE = ("documents", "events", "actor_mentions", "learned_actors")


@pytest.fixture(scope="module")
def parsed(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory, nlp) -> Path:
    """The parsed articles, with two edited copies of one seed (near-duplicates of it)."""
    src = store_of(str(seeds_dir), str(ARTICLES))
    db = tmp_path_factory.mktemp("parsed") / "parsed.duckdb"
    with Store(db) as store:
        store.con.execute(f"ATTACH '{src}' AS src (READ_ONLY)")
        for t in PER_ARTICLE:
            store.con.execute(f"INSERT INTO {t} SELECT * FROM src.{t}")
        [(doc,)] = store.con.execute("SELECT doc_id FROM documents WHERE doc_id LIKE '003%'").fetchall()
        for new_id, edit in (("zz-copy-of-003", "(Reuters) "), ("0-copy-of-003", "(AP) ")):
            _copy(store, doc, new_id, edit)
        store.con.execute("DETACH src")
    return db


def _copy(store: Store, doc: str, new_id: str, prefix: str) -> None:
    """Store a copy of an article whose text starts with ``prefix`` (offsets moved along)."""
    con, n = store.con, len(prefix)
    con.execute("CREATE OR REPLACE TEMP TABLE _d AS SELECT * FROM documents WHERE doc_id = ?", [doc])
    con.execute("UPDATE _d SET doc_id = ?, content_hash = content_hash || ?, source_key = source_key || ?, "
                "text = ? || text", [new_id, new_id, new_id, prefix])
    con.execute("INSERT INTO documents SELECT * FROM _d")
    con.execute(
        "INSERT INTO events SELECT * REPLACE (event_id || ? AS event_id, ? AS doc_id, content_hash || ? AS content_hash, "
        "evidence_start + ? AS evidence_start, evidence_end + ? AS evidence_end, "
        "list_transform(mentions, lambda m: struct_pack(sentence := m.sentence, \"start\" := m.\"start\" + ?, "
        "\"end\" := m.\"end\" + ?)) AS mentions) FROM events WHERE doc_id = ?",
        [new_id, new_id, new_id, n, n, n, n, doc])
    con.execute('INSERT INTO actor_mentions SELECT * REPLACE (? AS doc_id, content_hash || ? AS content_hash, '
                'start + ? AS start, "end" + ? AS "end") FROM actor_mentions WHERE doc_id = ?', [new_id, new_id, n, n, doc])


def _load(db: Path, target: Path, batches: list[list[str]], rebuild_at_end: bool = False) -> dict[str, list[Any]]:
    """Copy the articles of ``db`` into ``target`` batch by batch, updating the corpus after each."""
    with Store(target) as store:
        store.con.execute(f"ATTACH '{db}' AS src (READ_ONLY)")
        for batch in batches:
            for t in PER_ARTICLE:
                store.con.execute(f"INSERT INTO {t} SELECT * FROM src.{t} WHERE list_contains(?, doc_id)", [batch])
            store.set_meta("corpus_state", "stale")
            update_corpus(store, rebuild=rebuild_at_end and batch is batches[-1])
        store.con.execute("DETACH src")
        return tables(store)


def tables(store: Store) -> dict[str, list[Any]]:
    """Every row of the corpus tables, in a stable order."""
    return {t: store.con.execute(f"SELECT * {f'EXCLUDE ({UNCOMPARED[t]})' if t in UNCOMPARED else ''} FROM {t} "
                                 "ORDER BY ALL").fetchall() for t in COMPARED}


@pytest.fixture(scope="module")
def full(parsed: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], dict[str, list[Any]]]:
    with Store(parsed, read_only=True) as store:
        docs = [r[0] for r in store.con.execute("SELECT doc_id FROM documents ORDER BY doc_id").fetchall()]
    return docs, _load(parsed, tmp_path_factory.mktemp("full") / "full.duckdb", [docs], rebuild_at_end=True)


def test_the_full_build_finds_the_copies_stories_and_merges(full) -> None:
    _, got = full
    assert {(d, k) for d, k, _ in got["near_duplicates"]} == {
        ("003_c6b2359eec64a5e8", "0-copy-of-003"), ("zz-copy-of-003", "0-copy-of-003")}
    stories = {d: s for s, d in got["stories"]}
    assert stories["000_0cc741426baef8e7"] == stories["003_c6b2359eec64a5e8"] == stories["zz-copy-of-003"]
    assert stories["06a_quake_aid_2023"] == stories["06b_quake_aid_2023"] != stories["000_0cc741426baef8e7"]
    assert any(len(row[-2]) >= 3 for row in got["corpus_events"])  # an event reported by an article and its copies
    assert got["name_merges"] and got["claims"]


def test_the_dyad_tables_hold_every_report_of_the_corpus_events_of_two_actors_in_the_order_of_the_pair(
        full, parsed: Path, tmp_path: Path) -> None:
    docs, want = full
    db = tmp_path / "halves.duckdb"
    _load(parsed, db, [docs[::2], docs[1::2]])  # the second batch rewrites them
    with Store(db, read_only=True) as store:
        con = store.con
        reports = con.execute("SELECT actor_a, actor_b, corpus_rank, report_no, corpus_event_id, event_id, doc_id "
                              "FROM dyad_reports").fetchall()
        assert reports and reports == sorted(reports)  # stored in the order of the pair, then of corpus_events
        merged = con.execute("SELECT least(source_key, target_key), greatest(source_key, target_key), "
                             "corpus_event_id, event_ids FROM corpus_events WHERE source_key <> target_key "
                             "ORDER BY rowid").fetchall()
        assert [(a, b, cid, e) for a, b, _, _, cid, e, _ in reports] == sorted(
            ((a, b, cid, e) for a, b, cid, ids in merged for e in ids), key=lambda r: (r[0], r[1]))
        events = con.execute("SELECT actor_a, actor_b, corpus_rank, corpus_event_id, report_docs, n_reports "
                             "FROM dyad_events").fetchall()
        assert events == sorted(events)
        assert [(a, b, cid, docs, n) for a, b, _, cid, docs, n in events] == [
            (a, b, cid, [d for *_, c, _, d in reports if c == cid], len([r for r in reports if r[4] == cid]))
            for a, b, cid, *_ in dict.fromkeys((a, b, cid) for a, b, _, _, cid, _, _ in reports)]
        figures = con.execute("SELECT actor_a, actor_b, figure_rank, member_no FROM dyad_figures").fetchall()
        assert figures and figures == sorted(figures)  # (their content: test_web, the outline against the brief)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(6))
def test_adding_articles_in_batches_equals_one_full_build(full, parsed: Path, tmp_path: Path, seed: int) -> None:
    docs, want = full
    _check_batches(docs, want, parsed, tmp_path, seed)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4))
def test_story_buckets_that_fill_up_close_as_in_one_full_build(parsed: Path, tmp_path: Path, seed: int,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """With room for two articles per story bucket, buckets close as batches arrive and their links go."""
    from entente.corpus import dedup, maintain

    monkeypatch.setattr(dedup, "MAX_STORY_BUCKET", 2)
    monkeypatch.setattr(maintain, "MAX_STORY_BUCKET", 2)
    with Store(parsed, read_only=True) as store:
        docs = [r[0] for r in store.con.execute("SELECT doc_id FROM documents ORDER BY doc_id").fetchall()]
    want = _load(parsed, tmp_path / "full.duckdb", [docs], rebuild_at_end=True)
    with Store(tmp_path / "full.duckdb", read_only=True) as store:
        closed = store.con.execute("SELECT count(*) FROM (SELECT band, bucket FROM lsh_buckets WHERE kind = 'story' "
                                   "GROUP BY ALL HAVING count(*) > 2)").fetchone()[0]
    assert closed > 0
    _check_batches(docs, want, parsed, tmp_path, seed)


def _check_batches(docs: list[str], want: dict[str, list[Any]], parsed: Path, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    order = docs[:]
    rng.shuffle(order)
    cuts = sorted(rng.sample(range(1, len(order)), rng.randint(1, 4)))
    batches = [order[a:b] for a, b in zip([0, *cuts], [*cuts, len(order)], strict=True)]
    got = _load(parsed, tmp_path / "incremental.duckdb", batches)
    for t in COMPARED:
        assert got[t] == want[t], (t, [len(b) for b in batches])


def test_one_article_at_a_time_equals_one_full_build(full, parsed: Path, tmp_path: Path) -> None:
    docs, want = full
    got = _load(parsed, tmp_path / "one-by-one.duckdb", [[d] for d in reversed(docs)])
    assert got == want


def test_an_update_after_the_last_batch_changes_nothing(full, parsed: Path, tmp_path: Path) -> None:
    docs, want = full
    db = tmp_path / "again.duckdb"
    _load(parsed, db, [docs[:5], docs[5:]])
    with Store(db) as store:
        store.set_meta("corpus_state", "stale")
        update = update_corpus(store)
        assert update.new_docs == 0 and not update.rebuilt and update.cells == 0
        assert tables(store) == want


def test_a_crash_during_the_update_leaves_the_tables_as_they_were(full, parsed: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from entente.corpus import maintain

    docs, want = full
    db = tmp_path / "crash.duckdb"
    before = _load(parsed, db, [docs[:8]])

    def crash(*args: Any, **kwargs: Any) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(maintain, "_remerge_events", crash)
    with pytest.raises(KeyboardInterrupt):
        _load(parsed, db, [docs[8:]])
    with Store(db, read_only=True) as store:
        assert store.corpus_stale()
        assert tables(store) == before
    monkeypatch.undo()
    with Store(db) as store:
        update_corpus(store)
        assert tables(store) == want


# -- reports merged again by link component -----------------------------------------------------------
VISIT = "President Tokayev arrived in Delhi for talks with Prime Minister Modi on trade and energy."
DRILL = "Troops of both countries began a joint exercise in the mountains near the border."


def _report(store: Store, doc: str, date: str | None, sentence: str, n: int = 0) -> None:
    """Store an article of one report, KAZ visiting IND (042), dated or not."""
    con = store.con
    if not con.execute("SELECT 1 FROM documents WHERE doc_id = ?", [doc]).fetchall():
        con.execute("INSERT INTO documents (content_hash, doc_id, source_key, path, text, n_events) "
                    "VALUES (?, ?, ?, ?, ?, 1)", [f"h-{doc}", doc, doc, f"{doc}.txt", sentence])
    con.execute(
        "INSERT INTO events (event_id, content_hash, doc_id, source_key, source_code, source_text, source_country, "
        "target_key, target_code, target_text, target_country, cameo, root, goldstein, quad_class, date_start, "
        "date_end, date_precision, date_source, modality, evidence_sentence, evidence_start, evidence_end, rule) "
        "VALUES (?, ?, ?, 'KAZ', 'KAZ', 'Kazakhstan', 'KAZ', 'IND', 'IND', 'India', 'IND', '042', '04', 1.9, 1, "
        "?::DATE, ?::DATE, ?, ?, 'asserted', ?, 0, ?, 'visit:subj>obj')",
        [f"{doc}-{n}", f"h-{doc}", doc, date, date, "day" if date else None, "text" if date else None, sentence,
         len(sentence)])
    store.set_meta("corpus_state", "stale")


def _merged(store: Store) -> list[list[str]]:
    return sorted(sorted(d) for (d,) in store.con.execute("SELECT doc_ids FROM corpus_events").fetchall())


def _same_as_one_build(tmp_path: Path, batches: list[list[tuple[str, str | None, str]]]) -> list[list[str]]:
    """Store the batches one update each, and check the tables against one build of them all."""
    with Store(tmp_path / "batches.duckdb") as store, Store(tmp_path / "once.duckdb") as once:
        for batch in batches:
            for doc, date, sentence in batch:
                _report(store, doc, date, sentence)
                _report(once, doc, date, sentence)
            update_corpus(store)
        update_corpus(once, rebuild=True)
        assert tables(store) == tables(once)
        return _merged(store)


def test_an_undated_report_joins_a_dated_one_of_its_cell_in_a_later_batch(tmp_path: Path) -> None:
    merged = _same_as_one_build(tmp_path, [
        [("a", "2021-05-04", VISIT), ("b", "2019-03-01", DRILL)],
        [("c", None, VISIT)],
    ])
    assert merged == [["a", "c"], ["b"]]


def test_a_batch_that_links_two_old_components_merges_them_again(tmp_path: Path) -> None:
    # a (undated, the visit) and b (dated, the drill) share nothing; c, dated as b and worded as
    # a, links both, and the three are one event
    merged = _same_as_one_build(tmp_path, [
        [("a", None, VISIT), ("b", "2021-05-04", DRILL)],
        [("c", "2021-05-04", VISIT)],
    ])
    assert merged == [["a", "b", "c"]]


def test_an_update_merges_again_only_the_components_new_reports_link_to(tmp_path: Path) -> None:
    with Store(tmp_path / "store.duckdb") as store:
        for k in range(6):  # six visits of six years: six components of one cell
            _report(store, f"old{k}", f"201{k}-05-04", VISIT.replace("trade", f"trade {k}"))
        update_corpus(store)
        _report(store, "new", "2013-05-04", VISIT)
        update = update_corpus(store)
        assert update.cells == 1 and update.reports == 2  # the new report and the visit of 2013
        assert ["new", "old3"] in _merged(store) and len(_merged(store)) == 6
