"""The embedded store: a DuckDB file holding every article, event and actor mention.

A document is keyed by its source (its file, or its file and record: ``source_key``) and
has a readable id unique in the store (``doc_id``); its content hash is the version of its
text. A source already stored with the same text and provenance (entente version, data,
patterns, options) is skipped, so re-running on the same input stores nothing twice; a
source whose text or provenance changed has its rows replaced (``identity.py``). Each
batch is written in one transaction; a crash mid-batch leaves the store as it was.

The pipeline's rows go in through one path for both engines: flat "staged" rows (the
Parquet interchange columns of ``schema.STAGING_COLUMNS``) are converted to the tables'
types by SQL (``schema.select_staged``), whether they come from this process or from
the Parquet files a Spark run wrote.

Opening a store checks it before anything is read or written: that the file is a DuckDB
database (not SQLite, not something else), that it is as long as its own header says (not
truncated), that its schema version is one this entente reads, and that every table has
the columns this version declares. DuckDB never installs or loads an extension on its
own. A store held by another process is waited for (``LOCK_WAIT_SECONDS``), then refused
with a message naming the process: writers hold it only while they write a batch, so
readers open it between batches.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import duckdb

from ..errors import StoreBusyError, StoreError
from ..model import Actor, DocResult, Event
from . import migrate
from .identity import Decision, Planner, StoredDoc, id_candidates
from .provenance import Provenance
from .queries import EventFilter, event_query
from .schema import (
    DOCUMENT_TABLES,
    STAGING_COLUMNS,
    TABLES,
    select_staged,
    staging_kind,
    write_dyad_tables,
)

DEFAULT_DB = "entente.duckdb"

#: The per-article tables the Spark engine writes as Parquet, one folder each, with these columns.
PARQUET_TABLES = STAGING_COLUMNS
#: Every connection: DuckDB may neither download nor load an extension by itself (a SQLite
#: file given as a store would otherwise fetch the sqlite extension from the network).
BASE_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False, "autoload_known_extensions": False}
#: A read-only store: no file is read or written but the store itself.
READ_ONLY_CONFIG: dict[str, str | bool | int | float | list[str]] = {**BASE_CONFIG, "enable_external_access": False}
#: Dates as written in events: the length of each precision.
PRECISION_LENGTH = {4: "year", 7: "month", 10: "day"}
#: Seconds to wait for a store another process holds (a writer holds it while it writes a
#: batch or rebuilds the corpus tables; a reader while it reads). Env: ENTENTE_LOCK_WAIT.
LOCK_WAIT_SECONDS = 60.0
#: Seconds between tries to open a store another process holds.
LOCK_RETRY_SECONDS = 0.05
LOCK_RETRY_MAX_SECONDS = 1.0
#: The first bytes of a SQLite database, and the bytes 8-11 of a DuckDB one.
SQLITE_MAGIC = b"SQLite format 3\x00"
DUCKDB_MAGIC = b"DUCK"
#: A DuckDB file starts with three 4 KiB headers before its blocks.
DUCKDB_HEADER_BYTES = 3 * 4096
#: DuckDB's message when another process holds the file, and the process it names.
LOCK_CONFLICT = "Could not set lock on file"
LOCK_HOLDER = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")


def lock_wait() -> float:
    """Seconds to wait for a busy store: ``ENTENTE_LOCK_WAIT`` or ``LOCK_WAIT_SECONDS``."""
    try:
        return max(0.0, float(os.environ.get("ENTENTE_LOCK_WAIT", LOCK_WAIT_SECONDS)))
    except ValueError:
        return LOCK_WAIT_SECONDS


class Store:
    """A DuckDB file holding everything entente has extracted.

    Opened for writing (``run``, ``ingest``), an older store is upgraded first
    (``upgraded_from`` says from which version). Opened ``read_only``, the file must
    exist and have the current schema, and the connection cannot touch other files.
    Open a store for as short a time as you can: while one process holds it for
    writing, no other can open it (see the module docstring).
    """

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False, wait: float | None = None) -> None:
        self.path = str(path)
        self.read_only = read_only
        self.upgraded_from: int | None = None
        if self.path != ":memory:":
            _check_file(self.path, read_only)
        self.con = _connect(self.path, read_only, lock_wait() if wait is None else wait)
        try:
            if read_only:
                migrate.check_readable(self.con, self.path)
            else:
                self.upgraded_from = migrate.upgrade(self.con, self.path)
            if self.path != ":memory:":
                _check_integrity(self.con, self.path)
        except duckdb.Error as exc:
            self.con.close()
            raise StoreError(f"{self.path}: the store is damaged or unreadable ({_first_line(exc)}): "
                             "restore it from a copy, or delete it and run again") from exc
        except StoreError:
            self.con.close()  # a refused store is not left open (a later open with other settings would fail)
            raise

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- meta ---------------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        rows = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()  # no result left open
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    def corpus_stale(self) -> bool:
        """True when articles changed since the corpus tables were last built."""
        return self.meta("corpus_state") == "stale"

    # -- what is stored ---------------------------------------------------------------------------
    def index(self, keys: Iterable[str] | None = None, hashes: Iterable[str] = ()) -> dict[str, StoredDoc]:
        """Source key -> what is stored for it: every document, or those with one of ``keys`` or ``hashes``."""
        sql = ("SELECT source_key, doc_id, content_hash, path, entente_version, kb_hash, patterns_hash, "
               "CAST(options AS VARCHAR) FROM documents")
        params: list[Any] = []
        if keys is not None:
            sql += " WHERE list_contains(?, source_key) OR list_contains(?, content_hash)"
            params = [list(keys), list(hashes)]
        out = {}
        for key, doc_id, h, path, v, kb, pat, opts in self.con.execute(sql, params).fetchall():
            prov = Provenance(v, kb, pat, _canonical_json(opts)) if v else None
            out[key] = StoredDoc(doc_id, h, prov, path)
        return out

    def taken_ids(self, candidates: Iterable[str] | None = None) -> set[str]:
        """The stored doc_ids (of ``candidates`` only, when given)."""
        if candidates is None:
            return {r[0] for r in self.con.execute("SELECT doc_id FROM documents").fetchall()}
        return {r[0] for r in self.con.execute("SELECT doc_id FROM documents WHERE list_contains(?, doc_id)",
                                               [list(candidates)]).fetchall()}

    def provenances(self) -> dict[str, Provenance | None]:
        """doc_id -> the provenance its rows were produced with (None: unknown, a migrated store)."""
        return {s.doc_id: s.provenance for s in self.index().values()}

    def planner(self, results: list[DocResult], prov: Provenance, force: bool) -> Planner:
        """A planner that knows the stored documents a batch can meet: same sources, same texts, same ids."""
        keys = [r.doc.source_key for r in results]
        stored = self.index(keys, [r.content_hash for r in results])
        taken = self.taken_ids({c for r in results for c in id_candidates(r.doc)})
        return Planner(stored, prov, force, taken=taken)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One transaction; a database error (a full disk) becomes a ``StoreError`` after the rollback."""
        try:
            self.con.execute("BEGIN TRANSACTION")
            try:
                yield
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot write the store: {_first_line(exc)}") from exc

    @contextmanager
    def corpus_rewrite(self) -> Iterator[Any]:
        """One transaction that rewrites corpus tables and leaves them marked fresh, with the dyad tables
        (``schema.write_dyad_tables``) written again from them; on any error it is rolled back, and the old tables stay, marked stale
        for the next run to bring up to date."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
            write_dyad_tables(self.con)
            self.set_meta("corpus_state", "fresh")
            self.set_meta("corpus_built_at", datetime.now(UTC).isoformat(timespec="seconds"))
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # -- writing -------------------------------------------------------------------------------
    def write_batch(self, results: Iterable[DocResult], prov: Provenance | None = None, force: bool = False,
                    moves: Iterable[tuple[str, str, str]] = ()) -> WriteSummary:
        """Store a batch of results atomically (see ``identity.py`` for which are written).

        A source stored with the same text and provenance is skipped (unless ``force``); one
        stored with another text or provenance has its rows replaced in every per-article
        table, in the same transaction. A source given twice is stored once. A result whose
        id another source took meanwhile is stored under another id (``identity.DocIds``).
        ``moves`` (doc_id, new source key, new path) records documents whose file moved.
        """
        if prov is None:
            from ..options import Options
            from .provenance import provenance

            prov = provenance(Options())
        results = list(results)
        moves = list(moves)
        planner = self.planner(results, prov, force)
        fresh: list[DocResult] = []
        replaced: list[tuple[str, tuple[str, ...]]] = []
        already = 0
        for r in results:
            d = planner.decide(r.doc, r.content_hash)
            if d is None or not d.write:
                already += 1
                if d is not None and d.moved_from is not None:
                    moves.append((d.doc_id, r.doc.source_key, r.doc.path))
                continue
            fresh.append(rename(r, d.doc_id) if d.doc_id != r.doc.id else r)
            if d.replaces is not None:
                replaced.append((d.doc_id, d.reasons))
        if not fresh and not moves:
            return WriteSummary(0, already, ())
        staged: dict[str, list[tuple[Any, ...]]] = {t: [] for t in STAGING_COLUMNS}
        for r in fresh:
            rows = result_rows(r, prov)
            staged["documents"].append(rows.document)
            staged["events"] += rows.events
            staged["actor_mentions"] += rows.mentions
            staged["learned_actors"] += rows.learned
        with self._transaction():
            for doc_id, key, path in moves:
                self.con.execute("UPDATE documents SET source_key = ?, path = ? WHERE doc_id = ?", [key, path, doc_id])
            if fresh:
                for name, table_rows in staged.items():
                    self.con.register(f"_stage_{name}", _arrow(name, table_rows))
                self._insert_staged({name: f"_stage_{name}" for name in staged})
        if fresh:
            for name in staged:
                self.con.unregister(f"_stage_{name}")
        return WriteSummary(len(fresh), already, tuple(replaced), sum(len(r.events) for r in fresh))

    def _insert_staged(self, sources: dict[str, str | None]) -> None:
        """Replace the rows of the staged documents in every per-article table, then insert the staged rows."""
        docs = sources["documents"]
        for t in DOCUMENT_TABLES:
            self.con.execute(f"DELETE FROM {t} WHERE doc_id IN (SELECT doc_id FROM {docs})")
        for name, source in sources.items():
            if source is None:
                continue
            cols = ", ".join(f'"{c}"' for c in STAGING_COLUMNS[name])
            ignore = "OR IGNORE " if name == "events" else ""
            self.con.execute(f"INSERT {ignore}INTO {name} ({cols}) {select_staged(name, source)}")
        self.set_meta("corpus_state", "stale")

    def ingest_parquet(self, folder: str | Path, force: bool = False) -> IngestSummary:
        """Store the Parquet tables the Spark engine wrote under ``folder``, in one transaction.

        Sources already stored with the same text and provenance are skipped, so ingesting
        the same folder twice stores nothing twice; sources stored with another text or
        provenance are replaced. Where the folder holds one source more than once, the copy
        with the first path and id is kept. A document whose id another source has is
        stored under another id (its events' ids follow).
        """
        globs = {t: _parquet_glob(folder, t) for t in PARQUET_TABLES}
        if globs["documents"] is None:
            raise StoreError(f"{folder}: no documents/*.parquet here: is it the output folder of `entente run --engine spark`?")
        cols = ", ".join(f'"{c}"' for c in STAGING_COLUMNS["documents"])
        with self._transaction():
            self.con.execute(
                f"CREATE OR REPLACE TEMP TABLE _ingest AS SELECT {cols}, row_number() OVER (ORDER BY path, doc_id) AS _n "
                "FROM read_parquet(?) QUALIFY row_number() OVER (PARTITION BY source_key ORDER BY path, doc_id) = 1",
                [globs["documents"]])
            decisions, already = self._plan_ingest(force)
            sources: dict[str, str | None] = {"documents": "_ingest"}
            for t in ("events", "actor_mentions", "learned_actors"):
                if globs[t] is None:
                    sources[t] = None
                    continue
                self.con.execute(
                    f"CREATE OR REPLACE TEMP TABLE _ingest_{t} AS SELECT t.* FROM read_parquet(?) t "
                    "SEMI JOIN _ingest n ON t.content_hash = n.content_hash AND t.doc_id = n.doc_id", [globs[t]])
                sources[t] = f"_ingest_{t}"
            self._rename_ingested(decisions, sources)
            self.con.execute("ALTER TABLE _ingest DROP COLUMN _n")
            rows = self.con.execute("SELECT doc_id, n_events FROM _ingest").fetchall()
            if rows:
                self._insert_staged(sources)
            for source in sources.values():
                if source:
                    self.con.execute(f"DROP TABLE {source}")
        replaced = tuple((d.doc_id, d.reasons) for d in decisions.values() if d.write and d.replaces)
        return IngestSummary(stored=len(rows), events=sum(n or 0 for _, n in rows), replaced=replaced,
                             already=already)

    def _plan_ingest(self, force: bool) -> tuple[dict[int, Decision], int]:
        """Decide for each staged document (``_ingest._n``); drop those already stored (and count them)."""
        from ..model import Document

        staged = self.con.execute(
            "SELECT _n, source_key, doc_id, content_hash, path, entente_version, kb_hash, patterns_hash, "
            "CAST(CAST(options AS JSON) AS VARCHAR) FROM _ingest ORDER BY _n").fetchall()
        docs = {n: Document(id=doc_id, text="", path=path or "", key=key) for n, key, doc_id, _, path, *_ in staged}
        keys = [d.source_key for d in docs.values()]
        stored = self.index(keys, [row[3] for row in staged])
        taken = self.taken_ids({c for d in docs.values() for c in id_candidates(d)})
        first = staged[0] if staged else None
        prov = Provenance(first[5], first[6], first[7], _canonical_json(first[8])) if first else Provenance("", "", "", "")
        planner = Planner(stored, prov, force, taken=taken)
        decisions: dict[int, Decision] = {}
        drop, moves = [], []
        for n, _key, _doc_id, h, _path, v, kb, pat, opts in staged:
            d = planner.decide(docs[n], h, Provenance(v, kb, pat, _canonical_json(opts)))
            if d is None or not d.write:
                drop.append(n)
                if d is not None and d.moved_from is not None:
                    moves.append((d.doc_id, docs[n].source_key, docs[n].path))
                continue
            decisions[n] = d
        for doc_id, key, path in moves:
            self.con.execute("UPDATE documents SET source_key = ?, path = ? WHERE doc_id = ?", [key, path, doc_id])
        if drop:
            self.con.execute("DELETE FROM _ingest WHERE list_contains(?, _n)", [drop])
        return decisions, len(drop)

    def _rename_ingested(self, decisions: dict[int, Decision], sources: dict[str, str | None]) -> None:
        """Give staged documents the ids their decisions chose, in every staged table; a renamed
        document's events get new ids (the old id hashed with the new doc_id)."""
        for n, d in decisions.items():
            old = self.con.execute("SELECT doc_id, content_hash FROM _ingest WHERE _n = ?", [n]).fetchall()
            if not old or old[0][0] == d.doc_id:
                continue
            old_id, h = old[0]
            self.con.execute("UPDATE _ingest SET doc_id = ? WHERE _n = ?", [d.doc_id, n])
            for t in ("events", "actor_mentions", "learned_actors"):
                if sources.get(t) is None:
                    continue
                extra = ", event_id = substr(sha1(event_id || '|' || ?), 1, 16)" if t == "events" else ""
                params = [d.doc_id, d.doc_id] if t == "events" else [d.doc_id]
                self.con.execute(f"UPDATE _ingest_{t} SET doc_id = ?{extra} WHERE doc_id = ? AND content_hash = ?",
                                 [*params, old_id, h])

    # -- reading -------------------------------------------------------------------------------
    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Rows as dicts; a block that cannot be read (a store damaged inside) is a ``StoreError``."""
        try:
            cur = self.con.execute(sql, params or [])
            cols = [c[0] for c in cur.description]
            return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
        except duckdb.Error as exc:
            if not damaged(exc):
                raise
            raise StoreError(f"{self.path}: the store is damaged or unreadable ({_first_line(exc)}): "
                             "restore it from a copy, or delete it and run again") from exc

    def events(self, dyad: str | None = None, root: str | None = None, since: str | None = None,
               until: str | None = None, doc: str | None = None, *, actor: str | None = None,
               code: str | None = None, quad: int | None = None, plover: str | None = None,
               modality: str | Iterable[str] | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Stored events, filtered (see ``EventFilter``); ``dyad`` "IND-KAZ" matches either direction."""
        f = EventFilter(dyad=dyad, actor=actor, root=root, code=code, quad=quad, plover=plover, modality=modality,
                        since=since, until=until, doc=doc, limit=limit)
        sql, params = event_query("events", f)
        return self.query(sql, params)

    def learned(self) -> list[dict[str, Any]]:
        return self.query("SELECT name, country, igo, sector, count(*) AS docs, min(evidence) AS evidence "
                          "FROM learned_actors GROUP BY name, country, igo, sector ORDER BY country, name")

    def counts(self) -> dict[str, int]:
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                for t in ("documents", "events", "actor_mentions", "learned_actors")}


class IngestSummary(NamedTuple):
    """What ``ingest_parquet`` stored: documents, their events, the documents it replaced (with
    why), and the documents already stored."""

    stored: int
    events: int
    replaced: tuple[tuple[str, tuple[str, ...]], ...]
    already: int = 0


class WriteSummary(NamedTuple):
    """What ``write_batch`` did: documents written, already stored, replaced (doc_id, why), events written."""

    stored: int
    already: int
    replaced: tuple[tuple[str, tuple[str, ...]], ...]
    events: int = 0


def rename(r: DocResult, doc_id: str) -> DocResult:
    """A result stored under another id: its document, events (with new event ids), mentions,
    claims and learned names follow."""
    def eid(e: Event) -> str:
        return hashlib.sha1(f"{e.event_id}|{doc_id}".encode("utf-8", "surrogatepass")).hexdigest()[:16]

    ids = {e.event_id: eid(e) for e in r.events}
    return replace(
        r, doc=replace(r.doc, id=doc_id),
        events=tuple(replace(e, doc=doc_id, event_id=ids[e.event_id]) for e in r.events),
        mentions=tuple(replace(m, doc=doc_id) for m in r.mentions),
        claims=tuple(replace(c, doc=doc_id, event_id=ids.get(c.event_id or "", c.event_id)) for c in r.claims),
        learned=tuple(dict(x, doc=doc_id) for x in r.learned),
    )


def damaged(exc: BaseException) -> bool:
    """Is a DuckDB error a damaged file (a block that cannot be read, a checksum that does not match)?"""
    return isinstance(exc, duckdb.IOException) or "corrupt database file" in str(exc).lower()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _check_file(path: str, read_only: bool) -> None:
    """Refuse, before DuckDB sees it, a store that is missing (for reading), a folder, or not a DuckDB file."""
    p = Path(path)
    if not p.exists():
        if read_only:
            raise StoreError(f"{path}: no store here yet: run `entente run PATH --db {path}` first")
        if not p.parent.exists():
            raise StoreError(f"{path}: folder {p.parent} does not exist: create it or choose another --db")
        return
    if p.is_dir():
        raise StoreError(f"{path}: is a folder, not a store file: choose a file, e.g. --db {p / DEFAULT_DB}")
    try:
        with p.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the store: {exc.strerror or exc}") from exc
    if head.startswith(SQLITE_MAGIC):
        raise StoreError(f"{path}: is a SQLite database, not an entente store (a DuckDB file): choose another --db")
    if len(head) < 12 or head[8:12] != DUCKDB_MAGIC:
        what = "an empty file" if not head else "not a DuckDB database"
        raise StoreError(f"{path}: {what}, not an entente store: choose another --db (or delete it to start a new store)")


def _connect(path: str, read_only: bool, wait: float) -> Any:
    """A connection, waiting up to ``wait`` seconds for a store another process holds."""
    config = READ_ONLY_CONFIG if read_only else BASE_CONFIG
    deadline = time.monotonic() + wait
    pause = LOCK_RETRY_SECONDS
    while True:
        try:
            return duckdb.connect(path, read_only=read_only, config=config)
        except duckdb.Error as exc:
            message = str(exc)
            if LOCK_CONFLICT not in message:
                raise StoreError(f"{path}: cannot open the store: {_first_line(exc)}") from exc
            if time.monotonic() >= deadline:
                holder = LOCK_HOLDER.search(message)
                who = f"process {holder.group(2)} ({Path(holder.group(1)).name})" if holder else "another process"
                raise StoreBusyError(
                    f"{path}: the store is in use by {who} and stayed busy for {wait:g} s: try again when it "
                    "finishes (set ENTENTE_LOCK_WAIT to wait longer)") from exc
        time.sleep(pause)
        pause = min(pause * 2, LOCK_RETRY_MAX_SECONDS)


#: Stores whose blocks this process has checked, with the size and time of the file it checked:
#: a reader that opens the store for every question (a web page) checks it once per change.
_CHECKED: dict[str, tuple[int, int]] = {}


def _check_integrity(con: Any, path: str) -> None:
    """Refuse a store shorter than the blocks its tables use (a truncated file: DuckDB opens it and
    fails on the first read of a missing block), or whose tables lack columns this version declares."""
    _check_columns(con, path)
    st = os.stat(path)
    stamp = (st.st_size, st.st_mtime_ns)
    if _CHECKED.get(path) == stamp:
        return
    _check_blocks(con, path)
    _CHECKED[path] = stamp


def _check_blocks(con: Any, path: str) -> None:
    block_size = con.execute("SELECT block_size FROM pragma_database_size()").fetchall()[0][0]
    last = -1
    for (table,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall():
        row = con.execute("SELECT max(block_id) FROM pragma_storage_info(?) WHERE block_id >= 0", [table]).fetchall()
        if row and row[0][0] is not None:
            last = max(last, int(row[0][0]))
    expected = DUCKDB_HEADER_BYTES + (last + 1) * int(block_size or 0)
    actual = os.path.getsize(path)
    if last >= 0 and actual < expected:
        raise StoreError(f"{path}: the store is damaged: the file has {actual:,} bytes, its tables use {expected:,} "
                         "(truncated?): restore it from a copy, or delete it and run again")


def _check_columns(con: Any, path: str) -> None:
    live: dict[str, set[str]] = {}
    for table, column in con.execute("SELECT table_name, column_name FROM information_schema.columns "
                                     "WHERE table_schema = 'main'").fetchall():
        live.setdefault(table, set()).add(column)
    for t in TABLES:
        missing = [c for c in t.column_names if c not in live.get(t.name, set())]
        if missing:
            raise StoreError(f"{path}: not a store this entente can read: table {t.name} lacks "
                             f"{', '.join(missing[:3])}: choose another --db")


def _canonical_json(text: str | None) -> str:
    return json.dumps(json.loads(text), sort_keys=True) if text else ""


def _arrow(name: str, rows: list[tuple[Any, ...]]) -> Any:
    """Staged rows of one table as a pyarrow table with the staging types."""
    import pyarrow as pa

    kinds = {"str": pa.string(), "int": pa.int64(), "float": pa.float64()}
    cols = STAGING_COLUMNS[name]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in cols]
    return pa.table({c: pa.array(list(v), type=kinds[staging_kind(c)]) for c, v in zip(cols, columns, strict=True)})


class ResultRows(NamedTuple):
    """One document's staged rows for the four per-article tables, in ``STAGING_COLUMNS`` order."""

    document: tuple[Any, ...]
    events: list[tuple[Any, ...]]
    mentions: list[tuple[Any, ...]]
    learned: list[tuple[Any, ...]]


def result_rows(r: DocResult, prov: Provenance) -> ResultRows:
    """The staged rows a document's result adds to each table (the process pool and Spark share this).

    ``documents.text`` is the document's own text (``Document.text``), the text every offset
    points into.
    """
    h, d = r.content_hash, r.doc
    pub_date, _, pub_precision = date_interval(r.pub_date)
    return ResultRows(
        document=(h, d.id, d.source_key, d.path, d.title, d.url, d.source, pub_date, pub_precision, r.pub_date_origin, d.text,
                  len(r.events),
                  prov.entente_version, prov.kb_hash, prov.patterns_hash, prov.options),
        events=[event_row(e, h) for e in r.events],
        mentions=[(h, m.doc, m.start, m.end, m.sentence, m.actor.text, m.actor.name, m.actor.person, m.actor.country,
                   m.actor.igo, m.actor.sector, m.actor.code, m.actor.matched_by) for m in r.mentions],
        learned=[(h, x["doc"], x["name"], x["country"], x["igo"], x["sector"], x["evidence"], x["matched_by"])
                 for x in r.learned],
    )


def _parquet_glob(folder: str | Path, table: str) -> str | None:
    """The glob of a table's Parquet files under ``folder``, or None when it has none."""
    path = Path(folder) / table
    return str(path / "*.parquet") if any(path.glob("*.parquet")) else None


# -- dates ---------------------------------------------------------------------------------------
def date_interval(value: str | None) -> tuple[str | None, str | None, str | None]:
    """A date as written (2015, 2015-07, 2015-07-08) -> ISO start, ISO end, precision."""
    import calendar

    if not value:
        return None, None, None
    precision = PRECISION_LENGTH.get(len(value))
    try:
        y = int(value[:4])
        if precision == "year":
            return f"{y:04d}-01-01", f"{y:04d}-12-31", precision
        m = int(value[5:7])
        if precision == "month":
            return f"{y:04d}-{m:02d}-01", f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}", precision
        if precision == "day":
            from datetime import date

            date.fromisoformat(value)
            return value, value, precision
    except (ValueError, calendar.IllegalMonthError):
        pass
    raise StoreError(f"bad date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")


def date_label(start: Any, precision: str | None) -> str | None:
    """The date as the articles give it, from the start of its interval and its precision."""
    if start is None:
        return None
    iso = start.isoformat() if hasattr(start, "isoformat") else str(start)
    return iso[: {"year": 4, "month": 7}.get(precision or "", 10)]


# -- events ------------------------------------------------------------------------------------
def actor_cells(a: Actor | None) -> tuple[Any, ...]:
    """The stored columns of one side of an event (``schema._actor_columns`` order)."""
    if a is None:
        return (None,) * 9
    return (a.key, a.code, a.text, a.name, a.person, a.country, a.igo, a.sector, a.parent)


def event_row(e: Event, content_hash: str) -> tuple[Any, ...]:
    """The staged row of one event (``STAGING_COLUMNS["events"]`` order)."""
    start, end, precision = date_interval(e.date)
    return (
        e.event_id, content_hash, e.doc, *actor_cells(e.source), *actor_cells(e.target),
        e.cameo, e.root, e.goldstein, e.quad_class, e.plover, start, end, precision, e.date_source,
        e.modality, e.evidence.sentence, e.evidence.start, e.evidence.end, e.rule,
        json.dumps([{"sentence": m.sentence, "start": m.start, "end": m.end} for m in (e.mentions or (e.evidence,))]),
    )


def row_to_json(row: dict[str, Any]) -> dict[str, Any]:
    """A stored event row in the output contract's nested shape (``Event.to_json``)."""
    def side(p: str) -> dict[str, Any] | None:
        if row.get(f"{p}_code") is None and row.get(f"{p}_text") is None:
            return None
        return {k: row.get(f"{p}_{k}") for k in ("text", "name", "country", "igo", "sector", "code", "parent")}

    return {
        "event_id": row["event_id"], "doc": row["doc_id"], "source": side("source"), "target": side("target"),
        "cameo": row["cameo"], "root": row["root"], "goldstein": row["goldstein"], "quad_class": row["quad_class"],
        "plover": row["plover"], "date": date_label(row["date_start"], row["date_precision"]),
        "date_precision": row["date_precision"], "date_source": row["date_source"], "modality": row["modality"],
        "evidence": {"sentence": row["evidence_sentence"], "start": row["evidence_start"], "end": row["evidence_end"]},
        "mentions": [dict(m) for m in row["mentions"] or []], "rule": row["rule"],
    }
