"""Library entry points behind the CLI commands; everything the CLI does is callable here."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import nlp as nlp_mod
from .actors.kb import load_kb
from .actors.resolve import find_actors
from .corpus.build import build_corpus
from .documents.reading import read_documents
from .engines.local import process_all, report_error
from .errors import EngineError, EntenteError, StoreError
from .evaluate import Score, load_gold, score
from .model import DocResult, Document, Event
from .options import Options
from .store import Provenance, Store, provenance

#: Documents written per store transaction: a crash loses at most this batch.
STORE_BATCH = 64


def extract(paths: Iterable[str], options: Options = Options(), workers: int = 1,
            on_progress: Callable[[int], None] | None = None,
            on_error: Callable[[EntenteError], None] = report_error) -> Iterator[DocResult]:
    """Process documents and yield their results, without storing anything."""
    docs = read_documents(paths, options.encoding)
    yield from process_all(docs, options, workers=workers, on_progress=on_progress, on_error=on_error)


@dataclass
class RunSummary:
    """What ``run`` or ``ingest`` did."""

    read: int = 0
    stored: int = 0  # documents written, new or reprocessed
    skipped: int = 0  # already stored with the same provenance
    events: int = 0  # events of the documents written
    reprocessed: int = 0  # of the documents written, those that replaced stored rows
    reasons: list[str] = field(default_factory=list)  # what changed for them: knowledge base, patterns…
    upgraded_from: int | None = None  # the store's schema version before this run upgraded it
    pending: str | None = None  # Parquet written to cluster storage, not yet in the store


#: The engines ``run`` can use: a process pool on this machine, or Spark.
ENGINES = ("local", "spark")


def run(paths: Iterable[str], db: str, options: Options = Options(), workers: int = 1,
        on_progress: Callable[[int], None] | None = None,
        on_error: Callable[[EntenteError], None] = report_error,
        engine: str = "local", master: str | None = None, parquet: str | None = None,
        spark_conf: dict[str, str] | None = None, force: bool = False) -> RunSummary:
    """Process documents into the store, then rebuild its corpus tables.

    A document already stored (same content hash) is skipped when it was produced by the
    same entente version, knowledge base, patterns and options; otherwise, or with
    ``force``, it is reprocessed and its rows replaced (``RunSummary.reasons`` says why).
    ``engine="spark"`` runs the pipeline on Spark (``master``, default ``local[*]``),
    writes Parquet under ``parquet`` (default: a temporary folder) and ingests it.
    """
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    prov = provenance(options)
    with Store(db) as store:
        stored = store.provenances()
        current = set() if force else {h for h, p in stored.items() if p == prov}
        if engine == "spark":
            summary = _run_spark(paths, store, options, prov, current, force, on_progress, on_error, master, parquet,
                                 spark_conf)
        else:
            summary = _run_local(paths, store, options, prov, current, force, workers, on_progress, on_error)
        summary.upgraded_from = store.upgraded_from
        if summary.stored or store.corpus_stale():
            build_corpus(store)
    return summary


def _reasons(hashes: Iterable[str], stored: dict[str, Provenance | None], prov: Provenance, force: bool) -> list[str]:
    """Why stored documents are processed again."""
    out: set[str] = set()
    for h in hashes:
        old = stored.get(h, prov)
        out.update(["--force"] if force and old == prov else old.differences(prov) if old else ["unknown provenance"])
    return sorted(out)


def _run_local(paths: Iterable[str], store: Store, options: Options, prov: Provenance, current: set[str],
               force: bool, workers: int, on_progress: Callable[[int], None] | None,
               on_error: Callable[[EntenteError], None]) -> RunSummary:
    from .pipeline import content_hash

    summary = RunSummary()
    stored = store.provenances()
    docs = list(read_documents(paths, options.encoding))
    readable = [d for d in docs if isinstance(d, Document)]
    summary.read = len(readable)
    summary.skipped = sum(1 for d in readable if content_hash(d) in current)
    written: set[str] = set()
    replaced: set[str] = set()
    batch: list[DocResult] = []

    def flush() -> None:
        fresh = [r for r in batch if r.content_hash not in written]  # a text seen twice in one run: stored once
        summary.stored += store.write_batch(fresh, prov, force=force)
        for r in fresh:
            if r.content_hash not in written:
                written.add(r.content_hash)
                summary.events += len(r.events)
                if r.content_hash in stored:
                    replaced.add(r.content_hash)
        batch.clear()

    for r in process_all(docs, options, workers=workers, skip_hashes=current, on_progress=on_progress, on_error=on_error):
        batch.append(r)
        if len(batch) >= STORE_BATCH:
            flush()
    flush()
    summary.reprocessed = len(replaced)
    summary.reasons = _reasons(replaced, stored, prov, force)
    return summary


def _run_spark(paths: Iterable[str], store: Store, options: Options, prov: Provenance, current: set[str],
               force: bool, on_progress: Callable[[int], None] | None, on_error: Callable[[EntenteError], None],
               master: str | None, parquet: str | None, spark_conf: dict[str, str] | None) -> RunSummary:
    from .engines.spark import extract_to_parquet, is_uri

    stored = store.provenances()
    out = parquet or tempfile.mkdtemp(prefix="entente-spark-")
    try:
        s = extract_to_parquet(paths, out, options, master=master, skip_hashes=current, conf=spark_conf,
                               on_progress=on_progress, on_error=on_error, prov=prov)
        if is_uri(out) and not out.startswith("file://"):  # on cluster storage: ingest a copy later
            return RunSummary(read=s.read, skipped=s.skipped, pending=out)
        got = store.ingest_parquet(out.removeprefix("file://"))
    finally:
        if parquet is None:
            shutil.rmtree(out, ignore_errors=True)
    return RunSummary(read=s.read, stored=got.stored, skipped=s.skipped, events=got.events,
                      reprocessed=len(got.replaced), reasons=_reasons(got.replaced, stored, prov, force))


def ingest(folder: str, db: str) -> RunSummary:
    """Store the Parquet tables a Spark run wrote under ``folder``, then rebuild the corpus tables.

    Documents already stored with the same provenance are skipped; others replace their rows.
    """
    with Store(db) as store:
        got = store.ingest_parquet(folder)
        if got.stored or store.corpus_stale():
            build_corpus(store)
        return RunSummary(stored=got.stored, events=got.events, reprocessed=len(got.replaced),
                          upgraded_from=store.upgraded_from)


def migrate(db: str) -> int | None:
    """Upgrade a store to the current schema and rebuild its corpus tables if they are out of date.

    Returns the schema version it had before, or None when it was current.
    """
    if not Path(db).exists():
        raise StoreError(f"{db}: no store here yet: run `entente run PATH --db {db}` first")
    with Store(db) as store:
        if store.corpus_stale():
            build_corpus(store)
        return store.upgraded_from


def evaluate(gold_path: str, corpus: str, options: Options = Options(), workers: int = 1) -> Score:
    """Score the pipeline on a corpus against a gold file."""
    gold = load_gold(gold_path)
    by_doc: dict[str, list[Event]] = {}
    for r in extract([corpus], options, workers=workers):
        by_doc[r.doc.id] = list(r.events)
    return score(by_doc, gold)


def resolve_actor(text: str, date: str | None = None, context: str | None = None,
                  actors_files: tuple[str, ...] = (), dayfirst: bool = False) -> dict[str, Any]:
    """Resolve one actor phrase, optionally inside a context sentence, at a date.

    The date may be written in any common form ("10 May 2015", "May 10, 2015", "2015-05-10",
    "10/05/2015", month first unless ``dayfirst``). The answer says which rule resolved the phrase
    (``matched_by``) and how sure it is (``confidence``, 0 to 1).
    """
    from .actors.resolve import confidence
    from .time.dates import normalise_date

    date = normalise_date(date, dayfirst) if date else None
    kb = load_kb(actors_files)
    nlp = nlp_mod.load()
    original = text
    text, context = _normalise(text), _normalise(context) if context else None
    m = re.search(rf"(?<!\w){re.escape(text)}(?!\w)", context, re.IGNORECASE) if context else None
    if m is not None and context is not None:
        sentence, offset = context, m.start()  # a whole-word match: "he" is not inside "where"
    else:
        sentence, offset = text, 0
    doc = nlp(sentence)
    da = find_actors(doc, kb, nlp, date)
    lo, hi = offset, offset + len(text)
    best = None
    for tok in doc:
        if lo <= tok.idx < hi and da.get(tok.i):
            cand = da.get(tok.i)
            if best is None or (cand[0].sector and not best[0].sector) or cand[0].person:
                best = cand
    if best is None:
        return {"text": original, "country": None, "igo": None, "sector": None, "name": None, "id": None,
                "parent": None, "person": None, "matched_by": None, "confidence": 0.0}
    a = best[0]
    out: dict[str, Any] = {"text": original, "country": a.country, "igo": a.igo, "sector": a.sector, "name": a.name,
                           "id": a.code, "parent": a.parent, "person": a.person, "matched_by": a.matched_by,
                           "confidence": confidence(a)}
    if len(best) > 1:
        out["members"] = [{"country": b.country, "igo": b.igo, "sector": b.sector, "name": b.name} for b in best]
    return out


def _normalise(s: str) -> str:
    """The cleaner's character normalisation (curly quotes, dashes, odd spaces) for a query string."""
    from .documents.cleaning import CHAR_DROP, CHAR_MAP

    return "".join(CHAR_MAP.get(c, c) for c in s if c not in CHAR_DROP)


def list_actors(country: str | None = None, actors_files: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The knowledge base's countries, organisations and people, optionally for one country."""
    kb = load_kb(actors_files)
    rows: list[dict[str, Any]] = []
    for iso, c in sorted(kb.countries.items()):
        if country and iso != country.upper():
            continue
        rows.append({"kind": "country", "id": iso, "name": c.get("name"), "country": iso,
                     "detail": ", ".join(c.get("adjectives") or [])})
    if not country:
        for ab, g in sorted(kb.igos.items()):
            rows.append({"kind": "igo", "id": f"IGO:{ab}", "name": g.get("name"), "country": None, "detail": g.get("kind")})
    for p in sorted(kb.people.values(), key=lambda p: (p.country or "", p.name)):
        if country and p.country != country.upper():
            continue
        roles = "; ".join(f"{r.title} {r.start}–{r.end or ''}" for r in p.roles)
        rows.append({"kind": "person", "id": p.name, "name": p.name, "country": p.country or (f"IGO:{p.igo}" if p.igo else None), "detail": roles})
    return rows


def stored_events(db: str, **filters: Any) -> list[dict[str, Any]]:
    with Store(db, read_only=True) as store:
        return store.events(**filters)


def learned_actors(db: str) -> list[dict[str, Any]]:
    with Store(db, read_only=True) as store:
        return store.learned()



def extract_text(text: str, date: str | None = None, *, doc_id: str = "text", title: str | None = None,
                 url: str | None = None, source: str | None = None, actors_files: Iterable[str] = (),
                 pattern_files: Iterable[str] = (), include_negated: bool = False) -> list[Event]:
    """The events of one text, without storing anything: ``entente.extract_text("India and …", date="2015-07-08")``.

    ``date`` is the publication date (YYYY-MM-DD) that relative dates ("on Tuesday",
    "last month") are resolved against. The other options are those of ``entente extract``:
    extra knowledge-base and pattern files, and keeping negated events. Evidence offsets
    point into ``text``.
    """
    from .pipeline import process_document

    if not isinstance(text, str) or not text.strip():
        raise EntenteError("extract_text needs some text")
    options = Options(actors_files=tuple(actors_files), pattern_files=tuple(pattern_files),
                      include_negated=include_negated)
    doc = Document(id=doc_id, text=text, title=title, url=url, source=source, date=date,
                   date_origin="meta" if date else None)
    return list(process_document(doc, options).events)


def sql(db: str, query: str) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """Run one read-only SQL query on a store: (column names, rows).

    The store is opened read-only and without access to other files, so a query can
    read every table and view but change nothing.
    """
    import duckdb

    store = Store(db, read_only=True)
    try:
        cur = store.con.execute(query)
    except duckdb.Error as exc:
        store.close()
        raise StoreError(f"query failed: {_first_line(exc)}") from exc
    if cur.description is None:
        store.close()
        return [], iter(())
    columns = [c[0] for c in cur.description]

    def rows() -> Iterator[tuple[Any, ...]]:
        try:
            while batch := cur.fetchmany(SQL_BATCH):
                yield from batch
        except duckdb.Error as exc:
            raise StoreError(f"query failed: {_first_line(exc)}") from exc
        finally:
            store.close()

    return columns, rows()


#: Rows fetched at a time by ``sql``, so a large result streams.
SQL_BATCH = 1000


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def schema_markdown() -> str:
    """The store's documentation (``docs/store.md``), generated from the schema with each view's column types."""
    from .store.schema import column_types, render_markdown

    with Store(":memory:") as store:
        return render_markdown(column_types(store.con))
