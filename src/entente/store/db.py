"""The embedded store: a DuckDB file holding every article, event and actor mention.

Identity is the content hash of a document's text: a document already stored with the
same provenance (entente version, data, patterns, options) is skipped, so re-running on
the same input stores nothing twice; one stored with another provenance is replaced.
Each batch is written in one transaction; a crash mid-batch leaves the store as it was.

The pipeline's rows go in through one path for both engines: flat "staged" rows (the
Parquet interchange columns of ``schema.STAGING_COLUMNS``) are converted to the tables'
types by SQL (``schema.select_staged``), whether they come from this process or from
the Parquet files a Spark run wrote.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import duckdb

from ..errors import StoreError
from ..model import Actor, DocResult, Event
from . import migrate
from .provenance import Provenance
from .queries import EventFilter, event_query
from .schema import DOCUMENT_TABLES, STAGING_COLUMNS, select_staged, staging_kind

DEFAULT_DB = "entente.duckdb"

#: The per-article tables the Spark engine writes as Parquet, one folder each, with these columns.
PARQUET_TABLES = STAGING_COLUMNS
#: Connection settings of a read-only store: no file is read or written but the store itself.
READ_ONLY_CONFIG: dict[str, str | bool | int | float | list[str]] = {"enable_external_access": False}
#: Dates as written in events: the length of each precision.
PRECISION_LENGTH = {4: "year", 7: "month", 10: "day"}


class Store:
    """A DuckDB file holding everything entente has extracted.

    Opened for writing (``run``, ``ingest``), an older store is upgraded first
    (``upgraded_from`` says from which version). Opened ``read_only``, the file must
    exist and have the current schema, and the connection cannot touch other files.
    """

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        self.upgraded_from: int | None = None
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no store here yet: run `entente run PATH --db {self.path}` first")
        try:
            if read_only:
                self.con = duckdb.connect(self.path, read_only=True, config=READ_ONLY_CONFIG)
            else:
                self.con = duckdb.connect(self.path)
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc
        try:
            if read_only:
                migrate.check_readable(self.con, self.path)
            else:
                self.upgraded_from = migrate.upgrade(self.con, self.path)
        except duckdb.Error as exc:
            self.con.close()
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc
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

    # -- writing -------------------------------------------------------------------------------
    def known_hashes(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT content_hash FROM documents").fetchall()}

    def provenances(self) -> dict[str, Provenance | None]:
        """Content hash -> the provenance its rows were produced with (None: unknown, a migrated store)."""
        out: dict[str, Provenance | None] = {}
        for h, v, kb, pat, opts in self.con.execute(
                "SELECT content_hash, entente_version, kb_hash, patterns_hash, CAST(options AS VARCHAR) FROM documents").fetchall():
            out[h] = Provenance(v, kb, pat, _canonical_json(opts)) if v else None
        return out

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

    def write_batch(self, results: Iterable[DocResult], prov: Provenance | None = None, force: bool = False) -> int:
        """Store a batch of results atomically; returns how many documents were written.

        A document stored with the same provenance is skipped (unless ``force``); one stored
        with another provenance has its rows replaced in every per-article table. A text
        given twice is stored once.
        """
        if prov is None:
            from ..options import Options
            from .provenance import provenance

            prov = provenance(Options())
        stored = self.provenances()
        fresh: dict[str, DocResult] = {}
        for r in results:
            if r.content_hash in stored and stored[r.content_hash] == prov and not force:
                continue
            fresh.setdefault(r.content_hash, r)
        if not fresh:
            return 0
        staged: dict[str, list[tuple[Any, ...]]] = {t: [] for t in STAGING_COLUMNS}
        for r in fresh.values():
            rows = result_rows(r, prov)
            staged["documents"].append(rows.document)
            staged["events"] += rows.events
            staged["actor_mentions"] += rows.mentions
            staged["learned_actors"] += rows.learned
        with self._transaction():
            for name, table_rows in staged.items():
                self.con.register(f"_stage_{name}", _arrow(name, table_rows))
            self._insert_staged({name: f"_stage_{name}" for name in staged})
        for name in staged:
            self.con.unregister(f"_stage_{name}")
        return len(fresh)

    def _insert_staged(self, sources: dict[str, str | None]) -> None:
        """Replace the rows of the staged documents in every per-article table, then insert the staged rows."""
        docs = sources["documents"]
        for t in DOCUMENT_TABLES:
            self.con.execute(f"DELETE FROM {t} WHERE content_hash IN (SELECT content_hash FROM {docs})")
        for name, source in sources.items():
            if source is None:
                continue
            cols = ", ".join(f'"{c}"' for c in STAGING_COLUMNS[name])
            ignore = "OR IGNORE " if name == "events" else ""
            self.con.execute(f"INSERT {ignore}INTO {name} ({cols}) {select_staged(name, source)}")
        self.set_meta("corpus_state", "stale")

    def ingest_parquet(self, folder: str | Path) -> IngestSummary:
        """Store the Parquet tables the Spark engine wrote under ``folder``, in one transaction.

        Documents already stored with the same provenance are skipped, so ingesting the
        same folder twice stores nothing twice; documents stored with another provenance
        are replaced. Where the folder holds one text more than once, the copy with the
        first path and id is kept, with its own rows only.
        """
        globs = {t: _parquet_glob(folder, t) for t in PARQUET_TABLES}
        if globs["documents"] is None:
            raise StoreError(f"{folder}: no documents/*.parquet here: is it the output folder of `entente run --engine spark`?")
        cols = ", ".join(f'"{c}"' for c in STAGING_COLUMNS["documents"])
        with self._transaction():
            before = self.known_hashes()
            self.con.execute(
                f"CREATE OR REPLACE TEMP TABLE _ingest AS SELECT {cols} FROM read_parquet(?) n "
                "WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.content_hash = n.content_hash "
                "AND d.entente_version IS NOT DISTINCT FROM n.entente_version AND d.kb_hash IS NOT DISTINCT FROM n.kb_hash "
                "AND d.patterns_hash IS NOT DISTINCT FROM n.patterns_hash "
                "AND CAST(d.options AS VARCHAR) IS NOT DISTINCT FROM CAST(CAST(n.options AS JSON) AS VARCHAR)) "
                "QUALIFY row_number() OVER (PARTITION BY content_hash ORDER BY path, doc_id) = 1",
                [globs["documents"]])
            sources: dict[str, str | None] = {"documents": "_ingest"}
            for t in ("events", "actor_mentions", "learned_actors"):
                if globs[t] is None:
                    sources[t] = None
                    continue
                self.con.execute(
                    f"CREATE OR REPLACE TEMP TABLE _ingest_{t} AS SELECT t.* FROM read_parquet(?) t "
                    "SEMI JOIN _ingest n ON t.content_hash = n.content_hash AND t.doc_id = n.doc_id", [globs[t]])
                sources[t] = f"_ingest_{t}"
            rows = self.con.execute("SELECT content_hash, n_events FROM _ingest").fetchall()
            if rows:
                self._insert_staged(sources)
            for source in sources.values():
                if source:
                    self.con.execute(f"DROP TABLE {source}")
        return IngestSummary(stored=len(rows), events=sum(n or 0 for _, n in rows),
                             replaced=tuple(sorted(h for h, _ in rows if h in before)))

    # -- reading -------------------------------------------------------------------------------
    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params or [])
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

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
    """What ``ingest_parquet`` stored: documents, their events, and the hashes whose rows it replaced."""

    stored: int
    events: int
    replaced: tuple[str, ...]


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
        document=(h, d.id, d.path, d.title, d.url, d.source, pub_date, pub_precision, r.pub_date_origin, d.text,
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
