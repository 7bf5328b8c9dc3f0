"""Crashes and company: a run killed (SIGKILL) at several points and resumed ends row for row where an
uninterrupted run ends; two runs writing one store lose nothing; readers during a write wait for
the batch being written, or say clearly who holds the store."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from entente import api
from entente.store import Store
from entente.store.schema import TABLES

ARTICLES = Path(__file__).parents[1] / "examples" / "articles"
#: Columns that say when, not what: left out when two stores are compared.
WHEN = {"processed_at"}
#: A run in a subprocess that writes a batch per document, so that it commits often.
RUN = ("import sys; import entente.api as api; api.STORE_BATCH = 1; "
       "from entente.cli.main import app; sys.argv[0] = 'entente'; app()")


def rows(db: Path | str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but ``meta``, sorted, without timestamps."""
    out = {}
    with Store(db, read_only=True) as s:
        for t in TABLES:
            if t.name == "meta":
                continue
            # corpus_rank: the order the corpus step wrote its events in, which follows the order of the runs
            cols = [c for c in t.column_names if c not in WHEN and c != "corpus_rank"]
            out[t.name] = sorted(s.con.execute(f"SELECT {', '.join(repr(c).replace(chr(39), chr(34)) for c in cols)} "
                                               f"FROM {t.name}").fetchall(), key=repr)
        assert s.meta("corpus_state") == "fresh"
    return out


def start_run(folder: Path, db: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", RUN, "run", str(folder), "--db", str(db), "--quiet", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def changes(db: Path) -> tuple[int, int, bool]:
    try:
        st = db.stat()
        return st.st_mtime_ns, st.st_size, Path(f"{db}.wal").exists()
    except FileNotFoundError:
        return 0, 0, False


def kill_after(proc: subprocess.Popen[bytes], db: Path, n_changes: int, timeout: float = 120) -> bool:
    """SIGKILL ``proc`` once the store file (or its write-ahead log) has changed ``n_changes`` times;
    True if it was killed (False: it ended first)."""
    seen, last = 0, changes(db)
    end = time.monotonic() + timeout
    while seen < n_changes and proc.poll() is None and time.monotonic() < end:
        now = changes(db)
        if now != last:
            seen, last = seen + 1, now
        time.sleep(0.005)
    if proc.poll() is None:
        proc.kill()
    return proc.wait() == -signal.SIGKILL


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, nlp) -> tuple[Path, dict[str, list[tuple[Any, ...]]]]:
    folder = tmp_path_factory.mktemp("kill") / "in"
    shutil.copytree(ARTICLES, folder)
    db = folder.parent / "reference.duckdb"
    api.run([str(folder)], str(db))
    return folder, rows(db)


@pytest.mark.slow
def test_a_run_killed_at_several_points_and_resumed_ends_as_an_uninterrupted_one(reference, tmp_path: Path) -> None:
    folder, want = reference
    db = tmp_path / "killed.duckdb"
    killed = [kill_after(start_run(folder, db), db, n) for n in (1, 3, 6, 10, 16)]  # the store being made, then
    assert killed.count(True) >= 4, killed  # after later and later commits: each resumed run gets further
    done = subprocess.run([sys.executable, "-c", RUN, "run", str(folder), "--db", str(db), "--quiet"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert rows(db) == want


@pytest.mark.slow
def test_two_runs_writing_one_store_at_once_lose_nothing(reference, tmp_path: Path) -> None:
    folder, want = reference
    files = sorted(p.name for p in folder.iterdir())
    halves = [tmp_path / "a", tmp_path / "b"]
    for k, half in enumerate(halves):
        half.mkdir()
        for name in files[k::2]:
            shutil.copy(folder / name, half / name)
    db = tmp_path / "shared.duckdb"
    procs = [start_run(half, db) for half in halves]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err.decode()
        assert b"Traceback" not in err and b"locked" not in err.lower()
    got = rows(db)
    alone = tmp_path / "alone.duckdb"
    api.run([str(h) for h in halves], str(alone))
    assert got == rows(alone)  # every document of both, and the corpus tables built over all of them
    assert len(got["documents"]) == len(want["documents"])


def hold(db: Path, read_only: bool, seconds: float) -> subprocess.Popen[bytes]:
    """Another process holding the store (for writing, or read-only) for ``seconds``."""
    code = (f"import time; from entente.store import Store; s = Store({str(db)!r}, read_only={read_only}); "
            f"print('held', flush=True); time.sleep({seconds})")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline() == b"held\n"
    return proc


@pytest.fixture
def small_db(tmp_path: Path, make_event) -> Path:
    from entente.model import DocResult, Document

    db = tmp_path / "small.duckdb"
    r = DocResult(doc=Document(id="d", text="India met Kazakhstan.", path="d.txt"), content_hash="h", pub_date=None,
                  pub_date_origin=None, text="India met Kazakhstan.", events=(make_event("IND", "KAZ", "042", doc="d"),))
    with Store(db) as s:
        s.write_batch([r])
    return db


def test_a_reader_waits_for_the_writer_or_says_who_holds_the_store(small_db: Path, run_cli, monkeypatch) -> None:
    writer = hold(small_db, read_only=False, seconds=2.5)
    monkeypatch.setenv("ENTENTE_LOCK_WAIT", "20")
    start = time.monotonic()
    r = run_cli("sql", "SELECT count(*) AS n FROM events", "--db", small_db, "--format", "csv")
    assert r.stdout.splitlines() == ["n", "1"] and time.monotonic() - start > 1  # it waited, then read
    writer.wait()
    writer = hold(small_db, read_only=False, seconds=10)
    monkeypatch.setenv("ENTENTE_LOCK_WAIT", "0.5")
    r = run_cli("events", "--db", small_db, expect=2)
    writer.kill()
    writer.wait()
    [line] = r.stderr.strip().splitlines()
    assert f"in use by process {writer.pid}" in line and "try again" in line and "Traceback" not in line


def test_a_writer_waits_for_a_reader(small_db: Path, tmp_path: Path, monkeypatch) -> None:
    reader = hold(small_db, read_only=True, seconds=2.0)
    monkeypatch.setenv("ENTENTE_LOCK_WAIT", "20")
    start = time.monotonic()
    assert api.migrate(str(small_db)) is None  # opens the store for writing: waits for the reader to let go
    assert time.monotonic() - start > 1
    reader.wait()


@pytest.mark.slow
def test_readers_during_a_run_read_between_its_batches(reference, tmp_path: Path, run_cli) -> None:
    folder, want = reference
    db = tmp_path / "busy.duckdb"
    proc = start_run(folder, db)
    seen: list[int] = []
    while proc.poll() is None:
        if db.exists():
            r = run_cli("sql", "SELECT count(*) AS n FROM documents", "--db", db, "--format", "csv", expect=None)
            assert r.exit_code in (0, 2) and "Traceback" not in r.stderr
            if r.exit_code == 0:
                seen.append(int(r.stdout.splitlines()[1]))
            else:  # only before the store exists in full: never "database is locked"
                assert "locked" not in r.stderr.lower()
        time.sleep(0.2)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    assert seen == sorted(seen) and seen and seen[-1] <= len(want["documents"])
    assert len(set(seen)) > 1  # it read while the run was writing, more than once
    assert rows(db) == want
