"""Library entry points behind the CLI commands; everything the CLI does is callable here."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from . import nlp as nlp_mod
from .actors.kb import load_kb
from .actors.resolve import find_actors
from .documents.reading import read_documents
from .engines.local import process_all, report_error
from .errors import EngineError, EntenteError
from .evaluate import Score, load_gold, score
from .model import DocResult, Event
from .options import Options
from .store import Store

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
    read: int = 0
    stored: int = 0
    skipped: int = 0
    events: int = 0
    pending: str | None = None  # Parquet written to cluster storage, not yet in the store


#: The engines ``run`` can use: a process pool on this machine, or Spark.
ENGINES = ("local", "spark")


def run(paths: Iterable[str], db: str, options: Options = Options(), workers: int = 1,
        on_progress: Callable[[int], None] | None = None,
        on_error: Callable[[EntenteError], None] = report_error,
        engine: str = "local", master: str | None = None, parquet: str | None = None,
        spark_conf: dict[str, str] | None = None) -> RunSummary:
    """Process documents into the store, skipping those already there (by content hash).

    ``engine="spark"`` runs the pipeline on Spark (``master``, default ``local[*]``),
    writes Parquet under ``parquet`` (default: a temporary folder) and ingests it.
    """
    if engine == "spark":
        return _run_spark(paths, db, options, on_progress, on_error, master, parquet, spark_conf)
    if engine != "local":
        raise EngineError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    summary = RunSummary()
    with Store(db) as store:
        known = store.known_hashes()
        docs = list(read_documents(paths, options.encoding))
        batch: list[DocResult] = []
        stored = set(known)

        def flush() -> None:
            summary.stored += store.write_batch(batch)
            for r in batch:  # a text seen twice in one run is stored (and counted) once
                if r.content_hash not in stored:
                    stored.add(r.content_hash)
                    summary.events += len(r.events)
            batch.clear()

        from .model import Document
        from .pipeline import content_hash

        readable = [d for d in docs if isinstance(d, Document)]
        summary.read = len(readable)
        summary.skipped = sum(1 for d in readable if content_hash(d) in known)
        for r in process_all(docs, options, workers=workers, skip_hashes=known, on_progress=on_progress, on_error=on_error):
            batch.append(r)
            if len(batch) >= STORE_BATCH:
                flush()
        flush()
    return summary


def _run_spark(paths: Iterable[str], db: str, options: Options, on_progress: Callable[[int], None] | None,
               on_error: Callable[[EntenteError], None], master: str | None, parquet: str | None,
               spark_conf: dict[str, str] | None) -> RunSummary:
    from .engines.spark import extract_to_parquet, is_uri

    with Store(db) as store:
        out = parquet or tempfile.mkdtemp(prefix="entente-spark-")
        try:
            s = extract_to_parquet(paths, out, options, master=master, skip_hashes=store.known_hashes(),
                                   conf=spark_conf, on_progress=on_progress, on_error=on_error)
            if is_uri(out) and not out.startswith("file://"):  # on cluster storage: ingest a copy later
                return RunSummary(read=s.read, skipped=s.skipped, pending=out)
            stored, events = store.ingest_parquet(out.removeprefix("file://"))
        finally:
            if parquet is None:
                shutil.rmtree(out, ignore_errors=True)
    return RunSummary(read=s.read, stored=stored, skipped=s.skipped, events=events)


def ingest(folder: str, db: str) -> RunSummary:
    """Store the Parquet tables a Spark run wrote under ``folder``; documents already stored are skipped."""
    with Store(db) as store:
        stored, events = store.ingest_parquet(folder)
    return RunSummary(stored=stored, events=events)


def evaluate(gold_path: str, corpus: str, options: Options = Options(), workers: int = 1) -> Score:
    """Score the pipeline on a corpus against a gold file."""
    gold = load_gold(gold_path)
    by_doc: dict[str, list[Event]] = {}
    for r in extract([corpus], options, workers=workers):
        by_doc[r.doc.id] = list(r.events)
    return score(by_doc, gold)


def resolve_actor(text: str, date: str | None = None, context: str | None = None,
                  actors_files: tuple[str, ...] = ()) -> dict[str, Any]:
    """Resolve one actor phrase, optionally inside a context sentence, at a date."""
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
        return {"text": original, "country": None, "igo": None, "sector": None, "name": None, "id": None, "matched_by": None}
    a = best[0]
    out: dict[str, Any] = {"text": original, "country": a.country, "igo": a.igo, "sector": a.sector, "name": a.name,
           "id": a.code, "matched_by": a.matched_by}
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

