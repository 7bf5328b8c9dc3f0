"""No input stops a batch and no document hangs it: reading, per-document guards, worker deaths,
exit codes, and one run over a fuzz corpus of every kind of bad input (``fuzz_corpus.py``)."""

from __future__ import annotations

import io
import json
import os
import signal
import time
import warnings
from pathlib import Path

import pytest
from fuzz_corpus import ARTICLES, GOOD, build
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entente import api, pipeline
from entente import nlp as nlp_mod
from entente.documents.reading import read_documents, read_file
from entente.engines import local, pool
from entente.errors import (
    DocumentError,
    DocumentTimeout,
    InputError,
    NotProseError,
    TooLongError,
    WorkerDiedError,
)
from entente.model import Document
from entente.options import Options
from entente.store import Store

ARTICLE = (ARTICLES / GOOD[0]).read_text("utf-8")


def names(errors: list[InputError], root: Path) -> list[str]:
    return [os.path.relpath(e.path, root) if e.path.startswith(str(root)) else e.path for e in errors]


# -- reading: nothing raises, every bad entry is named once -----------------------------------------
def test_the_fuzz_corpus_is_read_without_raising_and_each_bad_entry_is_named_once(tmp_path: Path) -> None:
    f = build(tmp_path / "fuzz")
    items = list(read_documents([str(f.folder)]))
    errors = [x for x in items if isinstance(x, InputError)]
    docs = {Path(d.path).name: d for d in items if isinstance(d, Document)}
    named = names(errors, f.folder)
    for name, why in f.bad.items():
        assert named.count(name) == 1, (name, named)
        err = errors[named.index(name)]
        assert why.lower() in err.reason.lower(), (name, err.reason)
        assert str(err).startswith(err.path + ": ") and "\n" not in str(err)
    assert len(errors) == len(f.bad)  # nothing else is named
    assert set(f.refused) <= set(docs)  # read: the per-document checks refuse them
    for name in [*f.good, *f.odd]:
        assert Path(name).name in docs or name.startswith("name_"), name
    assert docs["utf16.txt"].text == "India and China held talks on Monday."
    assert docs["utf32.txt"].text.startswith("Japan and Brazil") and docs["utf16_be.txt"].text.startswith("Russia")
    assert "\ufffd" in docs["lone_surrogate.json"].text  # one character for one: offsets hold
    assert "Kazakhstan and India signed a trade pact" in docs["deep.html"].text  # nested 10,000 deep, kept
    odd_name = next(d for d in items if isinstance(d, Document) and "name_" in d.path)
    assert "\\xff\\xfe" in odd_name.path and odd_name.path.encode("utf-8")  # printable, storable


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".txt", ".json", ".jsonl", ".csv", ".html", ".md"]))
def test_any_bytes_in_any_format_give_documents_or_one_line_errors(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"x{suffix}"
    path.write_bytes(data)
    for item in read_file(path):
        if isinstance(item, InputError):
            assert str(item).startswith(f"{path}: ") and "\n" not in str(item)
        else:
            assert item.text.strip() and item.text.encode("utf-8")  # storable: no lone surrogate


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(
                        ["id", "text", "title", "date", "url", "source", "x"]), inner, max_size=5), max_leaves=20)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=JSON)
def test_any_json_value_gives_documents_or_one_line_errors(tmp_path: Path, value: object) -> None:
    for suffix, data in ((".json", json.dumps(value)), (".jsonl", json.dumps(value) + "\n" + json.dumps(value))):
        path = tmp_path / f"v{suffix}"
        path.write_text(data, encoding="utf-8")
        items = list(read_file(path))
        assert items
        for item in items:
            assert isinstance(item, InputError | Document)
            if isinstance(item, Document):
                assert isinstance(item.text, str) and item.text.strip() and item.key.startswith(str(path.resolve()))


def test_stdin_is_decoded_with_the_encoding_and_binary_stdin_is_one_error() -> None:
    [err] = list(read_documents(["-"], stdin=io.BytesIO(bytes(range(256)))))
    assert isinstance(err, InputError) and err.path == "<stdin>" and "binary" in err.reason
    [err] = list(read_documents(["-"], stdin=io.BytesIO("Caf\xe9 talks.".encode("latin-1"))))
    assert "--encoding latin-1" in err.reason
    [doc] = list(read_documents(["-"], "latin-1", stdin=io.BytesIO("Caf\xe9 talks.".encode("latin-1"))))
    assert isinstance(doc, Document) and doc.text == "Café talks."
    [doc] = list(read_documents(["-"], stdin=io.BytesIO("Café talks.".encode("utf-16"))))  # a BOM decides
    assert doc.text == "Café talks." and doc.key.startswith("<stdin>#sha=")


def test_encoding_option_reads_utf16_without_a_bom(tmp_path: Path) -> None:
    f = tmp_path / "u.txt"
    f.write_bytes("India and China held talks.".encode("utf-16-le"))
    [err] = read_file(f)
    assert isinstance(err, InputError) and "--encoding utf-16-le" in err.reason
    [doc] = read_file(f, "utf-16-le")
    assert isinstance(doc, Document) and doc.text == "India and China held talks."


# -- per-document guards --------------------------------------------------------------------------
def test_a_text_over_max_chars_and_a_text_without_letters_are_refused_before_any_work() -> None:
    with pytest.raises(TooLongError, match=r"over --max-chars 1,000"):
        pipeline.check_document(Document(id="x", text="India met China. " * 100), Options(max_chars=1000))
    with pytest.raises(NotProseError, match="letters"):
        pipeline.check_document(Document(id="x", text=".,;:!?" * 1000))
    pipeline.check_document(Document(id="x", text=ARTICLE))  # news copy passes
    pipeline.check_document(Document(id="x", text="x" * 2_000_000), Options(max_chars=0))  # 0: no limit


@pytest.mark.slow
def test_a_text_longer_than_spacys_limit_is_parsed_in_pieces_with_offsets_intact(nlp, monkeypatch) -> None:
    """spaCy refuses a text over nlp.max_length with E088; entente parses it in pieces. The limit is
    lowered here so that the test is fast; the pieces are cut at paragraph breaks."""
    monkeypatch.setattr(nlp, "max_length", 2_000)
    monkeypatch.setattr(nlp_mod, "PIECE_CHARS", 1_500)
    monkeypatch.setattr(nlp_mod, "BATCH_CHARS", 1_500)
    text = "\n\n".join([ARTICLE] * 3)
    assert len(text) > 3 * nlp.max_length
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # joining the pieces warns of nothing (spaCy's W102 on stale caches)
        r = pipeline.process_document(Document(id="long", text=text))
    assert r.events and all(text[e.evidence.start:e.evidence.end] == e.evidence.sentence for e in r.events)
    alone = pipeline.process_document(Document(id="long", text=ARTICLE))
    assert {(e.cameo, e.evidence.sentence) for e in alone.events} <= {(e.cameo, e.evidence.sentence) for e in r.events}


def _slow_on(marker: str, seconds: float, monkeypatch: pytest.MonkeyPatch, block_signal: bool = False) -> None:
    """From now on, processing a document whose text holds ``marker`` takes ``seconds`` (in Python, where
    the timer signal interrupts it; or, with ``block_signal``, deaf to it as native code would be)."""
    real = pipeline._finish

    def finish(cd, parsed, options):  # type: ignore[no-untyped-def]
        if marker in cd.text:
            if block_signal:
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(seconds)
        return real(cd, parsed, options)

    monkeypatch.setattr(pipeline, "_finish", finish)


def _docs(*texts: str) -> list[Document]:
    return [Document(id=f"d{n}", text=t, path=f"d{n}.txt") for n, t in enumerate(texts)]


@pytest.mark.slow
def test_a_document_over_its_time_budget_costs_only_itself(nlp, monkeypatch) -> None:
    _slow_on("SLOWLY", 30, monkeypatch)
    docs = _docs("India and China held talks on Monday.", "India met China SLOWLY on Tuesday.",
                 "Russia and Turkey met on Friday.")
    errors: list[InputError] = []
    got = list(local.process_all(docs, Options(time_budget=1.5), on_error=errors.append))  # not 30 s: cut at 1.5
    assert [r.doc.id for r in got] == ["d0", "d2"]
    [err] = errors
    assert isinstance(err, DocumentTimeout) and err.path == "d1.txt" and "time budget of 1.5 s" in err.reason


@pytest.mark.slow
def test_an_internal_error_on_one_document_costs_only_itself(nlp, monkeypatch) -> None:
    real = pipeline._finish

    def finish(cd, parsed, options):  # type: ignore[no-untyped-def]
        if "BROKEN" in cd.text:
            raise IndexError("a bug on odd input")
        return real(cd, parsed, options)

    monkeypatch.setattr(pipeline, "_finish", finish)
    errors: list[InputError] = []
    got = list(local.process_all(_docs("India met China.", "BROKEN India met China.", "Iran met Iraq."),
                                 on_error=errors.append))
    assert [r.doc.id for r in got] == ["d0", "d2"]
    [err] = errors
    assert isinstance(err, DocumentError) and "internal error" in err.reason and "IndexError" in err.reason


def _die_on(marker: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, a worker process that processes a document holding ``marker`` is killed, as the
    kernel kills a process that runs out of memory (the workers are forked, so they see this)."""
    real = pipeline._finish

    def finish(cd, parsed, options):  # type: ignore[no-untyped-def]
        if marker in cd.text:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(cd, parsed, options)

    monkeypatch.setattr(pipeline, "_finish", finish)


@pytest.mark.slow
def test_a_worker_that_dies_costs_only_its_document_after_a_retry_alone(nlp, monkeypatch) -> None:
    _die_on("KILLME", monkeypatch)
    texts = [f"India and China held talks on day {n}." for n in range(6)]
    texts[2] = "Russia met Iran. KILLME"
    errors: list[InputError] = []
    got = list(local.process_all(_docs(*texts), Options(), workers=2, on_error=errors.append))
    assert [r.doc.id for r in got] == ["d0", "d1", "d3", "d4", "d5"]  # in order, the rest of its chunk retried
    [err] = errors
    assert isinstance(err, WorkerDiedError) and err.path == "d2.txt" and "SIGKILL" in err.reason


@pytest.mark.slow
def test_a_worker_deaf_to_its_timer_is_killed_by_the_supervisor(nlp, monkeypatch) -> None:
    _slow_on("STUCK", 120, monkeypatch, block_signal=True)
    monkeypatch.setattr(pool, "GRACE_SECONDS", 2.0)
    errors: list[InputError] = []
    got = list(local.process_all(_docs("India met China.", "STUCK India met China.", "Iran met Iraq."),
                                 Options(time_budget=1.0), workers=2, on_error=errors.append))
    assert [r.doc.id for r in got] == ["d0", "d2"]
    [err] = errors
    assert isinstance(err, DocumentTimeout) and err.path == "d1.txt" and "stopped answering" in err.reason


# -- exit codes and the summary --------------------------------------------------------------------
def test_bad_knowledge_base_and_pattern_files_are_usage_errors(tmp_path: Path, run_cli) -> None:
    actors = tmp_path / "actors.yaml"
    actors.write_text("countries: 5\n", encoding="utf-8")
    patterns = tmp_path / "patterns.yaml"
    patterns.write_text("patterns: [\n", encoding="utf-8")
    db = tmp_path / "x.duckdb"
    for args, words in ((["--actors", actors], "not a valid knowledge-base file"),
                        (["--actors", tmp_path / "missing.yaml"], "no such knowledge-base file"),
                        (["--patterns", patterns], "not valid YAML"),
                        (["--encoding", "no-such-codec"], "unknown encoding")):
        for cmd in ("run", "extract"):
            r = run_cli(cmd, ARTICLES / GOOD[0], "--db", db, *args, expect=2) if cmd == "run" else \
                run_cli(cmd, ARTICLES / GOOD[0], *args, expect=2)
            assert words in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
            assert "Traceback" not in r.stderr
    assert not db.exists() or Store(db, read_only=True).index() == {}  # nothing was processed


@pytest.mark.slow
def test_exit_codes_and_summary_of_run(tmp_path: Path, run_cli) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "x.duckdb"
    r = run_cli("run", folder, "--db", db, "--quiet", expect=0)
    assert r.stderr.strip().splitlines()[-1].startswith("1 input: 1 stored, 0 already in")
    (folder / "bad.json").write_text("[", encoding="utf-8")
    (folder / "long.txt").write_text("India met China on Monday. " * 100, encoding="utf-8")
    r = run_cli("run", folder, "--db", db, "--quiet", "--max-chars", "2000", expect=1)
    *lines, summary = r.stderr.strip().splitlines()
    assert sorted(Path(line.split(": ")[1]).name for line in lines) == ["bad.json", "long.txt"]
    assert summary.startswith("3 inputs: 0 stored, 1 already in") and "2 skipped (1 malformed, 1 too long)" in summary
    r = run_cli("run", "-", "--db", db, "--quiet", input="Caf\xe9 talks between France and Germany.", expect=0)
    assert "1 input: 1 stored" in r.stderr


# -- one run over the fuzz corpus -------------------------------------------------------------------
def _event_keys(db: Path, docs: set[str]) -> set[tuple[str, ...]]:
    with Store(db, read_only=True) as s:
        rows = s.query("SELECT doc_id, cameo, source_key, target_key, evidence_start, evidence_sentence FROM events")
    return {tuple(str(v) for v in r.values()) for r in rows if r["doc_id"] in docs}


@pytest.mark.slow
def test_one_run_over_the_fuzz_corpus(tmp_path: Path, run_cli) -> None:
    """No traceback, every bad entry named once, every event of the good articles stored, the odd
    files read; the time bound of this run, at the report's sizes, is in bench/sizes.py --fuzz."""
    f = build(tmp_path / "fuzz")
    db = tmp_path / "fuzz.duckdb"
    r = run_cli("run", f.folder, "--db", db, "--quiet", expect=1)
    assert "Traceback" not in r.stderr
    *lines, summary = r.stderr.strip().splitlines()
    assert all(line.startswith(f"entente: skipped {f.folder}/") for line in lines), lines
    named = [os.path.relpath(line.removeprefix("entente: skipped ").split(": ")[0], f.folder) for line in lines]
    assert sorted(named) == sorted([*f.bad, *f.refused])  # each bad entry once, and nothing else
    for line, name in zip(lines, named, strict=True):
        assert {**f.bad, **f.refused}[name].lower() in line.lower(), line
    n_docs = len(f.good) + len(f.odd) + 1  # the first record of repeated_ids.jsonl too
    skipped = len(f.bad) + len(f.refused)
    assert summary.startswith(f"{n_docs + skipped} inputs: {n_docs} stored, 0 already in"), summary
    assert f"{skipped} skipped (" in summary and "2 not prose" in summary
    alone = tmp_path / "good.duckdb"
    api.run([str(ARTICLES / name) for name in GOOD], str(alone))
    stems = {Path(name).stem for name in GOOD}
    assert _event_keys(db, stems) == _event_keys(alone, stems) != set()
    with Store(db, read_only=True) as s:
        ids = {r["doc_id"] for r in s.query("SELECT doc_id FROM documents")}
    assert {"story", "b/story", "surrogate", "rec-ok", "x", "utf16", "deep", "copy_of_01"} <= ids
    again = run_cli("run", f.folder, "--db", db, "--quiet", expect=1)
    assert f"0 stored, {n_docs} already in" in again.stderr  # nothing twice


def test_the_fuzz_corpus_of_the_benchmark_is_the_tests_one_scaled() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
    try:
        import sizes
    finally:
        sys.path.pop(0)
    assert sizes.FUZZ_SCALE >= 25 and sizes.FUZZ_BOUND_SECONDS > 0  # the report's sizes: ~920 KB repeated
    assert len(sizes.text_of("repeated", 50_000)) == pytest.approx(50_000, rel=0.01)
    assert sizes.slope([{"chars": 1e4, "seconds": 1.0}, {"chars": 1e6, "seconds": 100.0}]) == pytest.approx(1.0)
