"""The embedded store: DuckDB tables for documents, events, mentions and learned actors.

Identity is the content hash of a document's text: a document already stored is
skipped, so re-running on the same input stores nothing twice. Each batch is
written in one transaction; a crash mid-batch leaves the store as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import duckdb

from .errors import StoreError
from .model import DocResult, Event

DEFAULT_DB = "entente.duckdb"

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    content_hash VARCHAR PRIMARY KEY, doc_id VARCHAR, path VARCHAR, title VARCHAR,
    pub_date VARCHAR, pub_date_origin VARCHAR, url VARCHAR, outlet VARCHAR,
    text VARCHAR, n_events INTEGER, processed_at TIMESTAMP DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR PRIMARY KEY, content_hash VARCHAR, doc VARCHAR,
    source_text VARCHAR, source_name VARCHAR, source_country VARCHAR, source_igo VARCHAR,
    source_sector VARCHAR, source_code VARCHAR, source_parent VARCHAR,
    target_text VARCHAR, target_name VARCHAR, target_country VARCHAR, target_igo VARCHAR,
    target_sector VARCHAR, target_code VARCHAR, target_parent VARCHAR,
    cameo VARCHAR, root VARCHAR, goldstein DOUBLE, quad_class INTEGER, plover VARCHAR,
    date VARCHAR, date_precision VARCHAR, date_source VARCHAR, modality VARCHAR,
    evidence_sentence VARCHAR, evidence_start INTEGER, evidence_end INTEGER,
    rule VARCHAR, mentions VARCHAR
);
CREATE TABLE IF NOT EXISTS mentions (
    content_hash VARCHAR, doc VARCHAR, start INTEGER, "end" INTEGER, text VARCHAR,
    name VARCHAR, country VARCHAR, igo VARCHAR, sector VARCHAR, code VARCHAR,
    matched_by VARCHAR, sentence INTEGER
);
CREATE TABLE IF NOT EXISTS learned_actors (
    content_hash VARCHAR, name VARCHAR, country VARCHAR, igo VARCHAR, sector VARCHAR,
    doc VARCHAR, evidence VARCHAR, matched_by VARCHAR
);
"""

#: Columns of the tables as the pipeline fills them (``processed_at`` is set on insert).
DOCUMENT_COLUMNS = ["content_hash", "doc_id", "path", "title", "pub_date", "pub_date_origin", "url", "outlet",
                    "text", "n_events"]
MENTION_COLUMNS = ["content_hash", "doc", "start", "end", "text", "name", "country", "igo", "sector", "code",
                   "matched_by", "sentence"]
LEARNED_COLUMNS = ["content_hash", "name", "country", "igo", "sector", "doc", "evidence", "matched_by"]
EVENT_COLUMNS = [
    "event_id", "content_hash", "doc",
    "source_text", "source_name", "source_country", "source_igo", "source_sector", "source_code", "source_parent",
    "target_text", "target_name", "target_country", "target_igo", "target_sector", "target_code", "target_parent",
    "cameo", "root", "goldstein", "quad_class", "plover", "date", "date_precision", "date_source",
    "modality", "evidence_sentence", "evidence_start", "evidence_end", "rule", "mentions",
]
#: The tables the Spark engine writes as Parquet, one folder each, with these columns.
PARQUET_TABLES = {"documents": DOCUMENT_COLUMNS, "events": EVENT_COLUMNS, "mentions": MENTION_COLUMNS,
                  "learned_actors": LEARNED_COLUMNS}


class Store:
    """A DuckDB file holding everything entente has extracted."""

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False) -> None:
        self.path = str(path)
        if read_only and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no store here yet: run `entente run PATH --db {self.path}` first")
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
            if not read_only:
                self.con.execute(SCHEMA)
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def known_hashes(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT content_hash FROM documents").fetchall()}

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")

    def write_batch(self, results: Iterable[DocResult]) -> int:
        """Store a batch of results atomically; documents already stored are skipped."""
        known = self.known_hashes()
        fresh: dict[str, DocResult] = {}
        for r in results:
            if r.content_hash not in known:
                fresh.setdefault(r.content_hash, r)
        if not fresh:
            return 0
        docs, events, mentions, learned = [], [], [], []
        for r in fresh.values():
            rows = result_rows(r)
            docs.append(rows.document)
            events += rows.events
            mentions += rows.mentions
            learned += rows.learned
        with self._transaction():
            self.con.executemany(f"INSERT INTO documents ({', '.join(DOCUMENT_COLUMNS)}) VALUES (?,?,?,?,?,?,?,?,?,?)", docs)
            if events:
                marks = ",".join("?" * len(EVENT_COLUMNS))
                self.con.executemany(f"INSERT OR IGNORE INTO events VALUES ({marks})", events)
            if mentions:
                self.con.executemany("INSERT INTO mentions VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", mentions)
            if learned:
                self.con.executemany("INSERT INTO learned_actors VALUES (?,?,?,?,?,?,?,?)", learned)
        return len(fresh)

    def ingest_parquet(self, folder: str | Path) -> tuple[int, int]:
        """Store the Parquet tables the Spark engine wrote under ``folder``, in one transaction.

        Documents already stored (by content hash) are skipped, so ingesting the same
        folder twice stores nothing twice. Where the folder holds one text more than
        once, the copy with the first path and id is kept, with its own rows only.
        Returns (documents stored, events of those documents).
        """
        tables = {t: _parquet_glob(folder, t) for t in PARQUET_TABLES}
        if tables["documents"] is None:
            raise StoreError(f"{folder}: no documents/*.parquet here: is it the output folder of `entente run --engine spark`?")
        cols = ", ".join(DOCUMENT_COLUMNS)
        with self._transaction():
            self.con.execute(
                f"CREATE OR REPLACE TEMP TABLE _ingest AS SELECT {cols} FROM read_parquet(?) "
                "WHERE content_hash NOT IN (SELECT content_hash FROM documents) "
                "QUALIFY row_number() OVER (PARTITION BY content_hash ORDER BY path, doc_id) = 1",
                [tables["documents"]])
            self.con.execute(f"INSERT INTO documents ({cols}) SELECT {cols} FROM _ingest")
            for table, key in (("events", "doc"), ("mentions", "doc"), ("learned_actors", "doc")):
                if tables[table] is None:
                    continue
                ignore = "OR IGNORE " if table == "events" else ""
                self.con.execute(
                    f"INSERT {ignore}INTO {table} BY NAME SELECT t.* FROM read_parquet(?) t "
                    f"SEMI JOIN _ingest n ON t.content_hash = n.content_hash AND t.{key} = n.doc_id",
                    [tables[table]])
            stored, events = self.con.execute("SELECT count(*), coalesce(sum(n_events), 0) FROM _ingest").fetchone()  # type: ignore[misc]
            self.con.execute("DROP TABLE _ingest")
        return int(stored), int(events)

    # -- queries -----------------------------------------------------------------------
    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params or [])
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def events(self, dyad: str | None = None, root: str | None = None, since: str | None = None,
               until: str | None = None, doc: str | None = None) -> list[dict[str, Any]]:
        """Stored events, filtered; ``dyad`` "IND-KAZ" matches either direction."""
        where: list[str] = []
        params: list[Any] = []
        if dyad:
            a, _, b = dyad.upper().partition("-")
            where.append("((coalesce(source_country, 'IGO:'||coalesce(source_parent, source_igo)) = ? AND coalesce(target_country, 'IGO:'||coalesce(target_parent, target_igo)) = ?) OR "
                         "(coalesce(source_country, 'IGO:'||coalesce(source_parent, source_igo)) = ? AND coalesce(target_country, 'IGO:'||coalesce(target_parent, target_igo)) = ?))")
            params += [a, b, b, a]
        if root:
            where.append("root = ?")
            params.append(root.zfill(2))
        if since:
            where.append("date >= ?")
            params.append(since)
        if until:  # compared at the precision given: --until 2015 keeps 2015-07-10
            where.append("substr(date, 1, ?) <= ?")
            params += [len(until), until]
        if doc:
            where.append("doc = ?")
            params.append(doc)
        sql = "SELECT * FROM events" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY date NULLS LAST, doc, evidence_start"
        return self.query(sql, params)

    def learned(self) -> list[dict[str, Any]]:
        return self.query("SELECT name, country, igo, sector, count(*) AS docs, min(evidence) AS evidence "
                          "FROM learned_actors GROUP BY name, country, igo, sector ORDER BY country, name")

    def counts(self) -> dict[str, int]:
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
                for t in ("documents", "events", "mentions", "learned_actors")}


class ResultRows(NamedTuple):
    """One document's rows for the four tables, in the tables' column order."""

    document: tuple[Any, ...]
    events: list[tuple[Any, ...]]
    mentions: list[tuple[Any, ...]]
    learned: list[tuple[Any, ...]]


def result_rows(r: DocResult) -> ResultRows:
    """The rows a document's result adds to each table (the process pool and Spark share this)."""
    h, d = r.content_hash, r.doc
    return ResultRows(
        document=(h, d.id, d.path, d.title, r.pub_date, r.pub_date_origin, d.url, d.source, r.text, len(r.events)),
        events=[event_row(e, h) for e in r.events],
        mentions=[(h, m.doc, m.start, m.end, m.actor.text, m.actor.name, m.actor.country, m.actor.igo,
                   m.actor.sector, m.actor.code, m.actor.matched_by, m.sentence) for m in r.mentions],
        learned=[(h, x["name"], x["country"], x["igo"], x["sector"], x["doc"], x["evidence"], x["matched_by"])
                 for x in r.learned],
    )


def _parquet_glob(folder: str | Path, table: str) -> str | None:
    """The glob of a table's Parquet files under ``folder``, or None when it has none."""
    path = Path(folder) / table
    return str(path / "*.parquet") if any(path.glob("*.parquet")) else None


def event_row(e: Event, content_hash: str) -> tuple[Any, ...]:
    s, t = e.source, e.target
    return (
        e.event_id, content_hash, e.doc,
        s.text, s.name, s.country, s.igo, s.sector, s.code, s.parent,
        t.text if t else None, t.name if t else None, t.country if t else None, t.igo if t else None,
        t.sector if t else None, t.code if t else None, t.parent if t else None,
        e.cameo, e.root, e.goldstein, e.quad_class, e.plover, e.date, e.date_precision, e.date_source,
        e.modality, e.evidence.sentence, e.evidence.start, e.evidence.end, e.rule,
        json.dumps([{"sentence": m.sentence, "start": m.start, "end": m.end} for m in e.mentions]),
    )


def row_to_json(row: dict[str, Any]) -> dict[str, Any]:
    """A stored event row in the output contract's nested shape."""
    def side(p: str) -> dict[str, Any] | None:
        if row.get(f"{p}_code") is None and row.get(f"{p}_text") is None:
            return None
        return {k: row.get(f"{p}_{k}") for k in ("text", "name", "country", "igo", "sector", "code", "parent")}

    return {
        "event_id": row["event_id"], "doc": row["doc"], "source": side("source"), "target": side("target"),
        "cameo": row["cameo"], "root": row["root"], "goldstein": row["goldstein"], "quad_class": row["quad_class"],
        "plover": row["plover"], "date": row["date"], "date_precision": row["date_precision"],
        "date_source": row["date_source"], "modality": row["modality"],
        "evidence": {"sentence": row["evidence_sentence"], "start": row["evidence_start"], "end": row["evidence_end"]},
        "mentions": json.loads(row["mentions"] or "[]"), "rule": row["rule"],
    }
