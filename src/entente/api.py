"""Library entry points behind the CLI commands; everything the CLI does is callable here."""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .actors.kb import load_kb
from .corpus.maintain import Update, update_corpus
from .documents.reading import read_documents
from .errors import (
    EXIT_OK,
    EXIT_SKIPPED,
    DataFileError,
    DocumentError,
    EntenteError,
    InputError,
    StoreError,
    UsageError,
)
from .evaluate import Score, load_gold, score
from .model import DocResult, Document, Event
from .options import Options
from .store import Provenance, Store, provenance
from .store.identity import Decision, Planner, planned


def report_error(err: EntenteError) -> None:
    """Print why an input was skipped, on one line (``engines.local.report_error``, imported when needed:
    the per-document pipeline imports spaCy, which the commands that only read do without)."""
    from .engines.local import report_error as report

    report(err)

#: Documents written per store transaction: a crash loses at most this batch.
STORE_BATCH = 64
#: Seconds after which the results processed so far are written even if the batch is not
#: full (long documents): a crash loses at most this much work.
FLUSH_SECONDS = 30.0


@dataclass
class RunSummary:
    """What ``run``, ``extract`` or ``ingest`` did with their inputs.

    Every input ends in one of three counts: stored (written, new or reprocessed), already
    stored (same source, text and provenance), or skipped, by reason (``skipped``).
    """

    read: int = 0  # documents read (a file of records counts each record)
    stored: int = 0  # documents written, new or reprocessed
    already: int = 0  # already stored with the same text and provenance (or given twice)
    skipped: Counter[str] = field(default_factory=Counter)  # inputs skipped, by reason (errors.InputError.kind)
    events: int = 0  # events of the documents written
    reprocessed: int = 0  # of the documents written, those that replaced stored rows
    reasons: list[str] = field(default_factory=list)  # what changed for them: changed text, knowledge base…
    upgraded_from: int | None = None  # the store's schema version before this run upgraded it
    pending: str | None = None  # Parquet written to cluster storage, not yet in the store

    @property
    def n_skipped(self) -> int:
        return sum(self.skipped.values())

    @property
    def exit_code(self) -> int:
        """0 when every input was processed, 1 when some were skipped."""
        return EXIT_SKIPPED if self.n_skipped else EXIT_OK

    def skip(self, err: EntenteError) -> None:
        """Count one input skipped, by its reason."""
        self.skipped[err.kind if isinstance(err, InputError) else DocumentError.kind] += 1

    def skipped_text(self) -> str:
        """"3 skipped (2 unreadable, 1 too long)", or "0 skipped"."""
        if not self.n_skipped:
            return "0 skipped"
        return f"{self.n_skipped} skipped ({', '.join(f'{n} {k}' for k, n in sorted(self.skipped.items()))})"


#: The engines ``run`` can use: a process pool on this machine, or Spark.
ENGINES = ("local", "spark")


def check_options(options: Options) -> None:
    """Refuse, before any document is read, options that cannot work: an unknown encoding, limits
    below zero, a knowledge-base or pattern file that is missing or malformed."""
    import codecs

    from .events.patterns import load_patterns

    try:
        codecs.lookup(options.encoding)
    except LookupError:
        raise UsageError(f"unknown encoding {options.encoding!r} (--encoding): use e.g. utf-8, latin-1, cp1252, utf-16") from None
    if options.max_chars < 0 or options.time_budget < 0:
        raise UsageError("--max-chars and --time-budget take 0 (no limit) or a positive number")
    for kind, files, load in (("knowledge-base", options.actors_files, load_kb),
                              ("pattern", options.pattern_files, load_patterns)):
        for f in files:
            if not Path(f).is_file():
                raise DataFileError(f"{f}: no such {kind} file")
            try:
                load((f,))
            except DataFileError as exc:
                if f in str(exc):
                    raise
                raise DataFileError(f"{f}: {exc}") from exc
            except (AttributeError, TypeError, KeyError, ValueError, IndexError, OSError) as exc:
                raise DataFileError(f"{f}: not a valid {kind} file ({type(exc).__name__}: {exc}): "
                                    "see the format in the header of the shipped data files") from exc
        if len(files) > 1:
            try:
                load(tuple(files))
            except (AttributeError, TypeError, KeyError, ValueError, IndexError, OSError) as exc:
                raise DataFileError(f"{', '.join(files)}: these {kind} files do not go together "
                                    f"({type(exc).__name__}: {exc})") from exc


def _tally(summary: RunSummary, on_error: Callable[[EntenteError], None]) -> Callable[[EntenteError], None]:
    def report(err: EntenteError) -> None:
        summary.skip(err)
        on_error(err)
    return report


def extract(paths: Iterable[str], options: Options = Options(), workers: int = 1,
            on_progress: Callable[[int], None] | None = None,
            on_error: Callable[[EntenteError], None] = report_error,
            summary: RunSummary | None = None) -> Iterator[DocResult]:
    """Process documents and yield their results, without storing anything.

    Every input skipped goes to ``on_error`` (and is counted in ``summary`` when given). A
    source given twice is processed once, and documents that share an id get their folders
    in it (``store.identity``), as ``run`` would store them.
    """
    from .pipeline import content_hash

    check_options(options)
    summary = summary if summary is not None else RunSummary()
    planner = Planner({}, provenance(options))

    docs = planned(read_documents(paths, options.encoding), planner, content_hash, summary)

    from .engines.local import process_all

    for r in process_all(docs, options, workers=workers, on_progress=on_progress, on_error=_tally(summary, on_error)):
        summary.stored += 1
        summary.events += len(r.events)
        yield r


def run(paths: Iterable[str], db: str, options: Options = Options(), workers: int = 1,
        on_progress: Callable[[int], None] | None = None,
        on_error: Callable[[EntenteError], None] = report_error,
        engine: str = "local", master: str | None = None, parquet: str | None = None,
        spark_conf: dict[str, str] | None = None, force: bool = False) -> RunSummary:
    """Process documents into the store, then rebuild its corpus tables.

    Documents are read, processed and stored batch by batch: an input that cannot be read
    or processed is reported to ``on_error`` and counted in ``RunSummary.skipped``, and the
    others go on. A source already stored (same file or record, same text) is skipped when
    the same entente version, knowledge base, patterns and options produced it; otherwise,
    or with ``force``, it is reprocessed and its rows replaced (``RunSummary.reasons`` says
    why). The store is held only while a batch is written, so readers can open it between.
    ``engine="spark"`` runs the pipeline on Spark (``master``, default ``local[*]``),
    writes Parquet under ``parquet`` (default: a temporary folder) and ingests it.
    """
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    check_options(options)
    prov = provenance(options)
    with Store(db) as store:  # made, upgraded and checked before any document is read
        planner = Planner(store.index(), prov, force)
        summary = RunSummary(upgraded_from=store.upgraded_from)
    report = _tally(summary, on_error)
    if engine == "spark":
        _run_spark(paths, db, options, prov, planner, force, on_progress, report, master, parquet, spark_conf, summary)
    else:
        _run_local(paths, db, options, prov, planner, force, workers, on_progress, report, summary)
    rebuild_corpus(db)
    return summary


def rebuild_corpus(db: str) -> bool:
    """Bring the corpus tables of a store up to date if articles changed since; True if it did.

    Only what the new articles can change is recomputed (``corpus.maintain``). It holds the
    store for the whole update, in one transaction: a crash leaves the old tables, marked
    stale, and the next ``run``, ``ingest``, ``migrate`` or ``corpus`` updates them.
    """
    with Store(db) as store:
        if not store.corpus_stale():
            return False
        _update_corpus(store, rebuild=False)
        return True


def corpus(db: str, rebuild: bool = False, engine: str = "local", parquet: str | None = None,
           master: str | None = None, spark_conf: dict[str, str] | None = None) -> Update:
    """Bring a store's corpus tables up to date now; ``rebuild`` recomputes all of them (for recovery).

    ``engine="spark"`` rebuilds them on Spark (``engines.spark_corpus``), after storing the
    Parquet a Spark run wrote under ``parquet`` if given (as ``ingest`` does).
    """
    if engine not in ("local", "spark"):
        raise UsageError(f"unknown engine {engine!r}: use local or spark")
    if parquet is None and not Path(db).exists():
        raise StoreError(f"{db}: no store here yet: run `entente run PATH --db {db}` first")
    with Store(db) as store:
        if parquet is not None:
            store.ingest_parquet(parquet)
        if engine == "spark":
            from .engines.spark_corpus import corpus_on_spark

            return corpus_on_spark(store, master, spark_conf)
        return _update_corpus(store, rebuild=rebuild)


def _update_corpus(store: Store, rebuild: bool) -> Update:
    import duckdb

    try:
        return update_corpus(store, rebuild=rebuild)
    except duckdb.Error as exc:
        raise StoreError(f"{store.path}: cannot write the corpus tables: {_first_line(exc)}") from exc


def _run_local(paths: Iterable[str], db: str, options: Options, prov: Provenance, planner: Planner, force: bool,
               workers: int, on_progress: Callable[[int], None] | None, on_error: Callable[[EntenteError], None],
               summary: RunSummary) -> None:
    from .pipeline import content_hash

    batch: list[DocResult] = []
    moves: list[tuple[str, str, str]] = []
    reasons: set[str] = set()
    last = time.monotonic()

    def skipped(item: Document, d: Decision | None) -> None:
        if d is not None and d.moved_from is not None:
            moves.append((d.doc_id, item.source_key, item.path))
        if on_progress:
            on_progress(1)

    def flush() -> None:
        nonlocal last
        last = time.monotonic()
        if not batch and not moves:
            return
        with Store(db) as store:
            w = store.write_batch(batch, prov, force=force, moves=moves)
        summary.stored += w.stored
        summary.already += w.already
        summary.events += w.events
        summary.reprocessed += len(w.replaced)
        reasons.update(r for _, why in w.replaced for r in why)
        batch.clear()
        moves.clear()

    from .engines.local import process_all

    for r in process_all(planned(read_documents(paths, options.encoding), planner, content_hash, summary, skipped),
                          options, workers=workers, on_progress=on_progress, on_error=on_error):
        batch.append(r)
        if len(batch) >= STORE_BATCH or time.monotonic() - last > FLUSH_SECONDS:
            flush()
    flush()
    summary.reasons = sorted(reasons)


def _run_spark(paths: Iterable[str], db: str, options: Options, prov: Provenance, planner: Planner, force: bool,
               on_progress: Callable[[int], None] | None, on_error: Callable[[EntenteError], None],
               master: str | None, parquet: str | None, spark_conf: dict[str, str] | None,
               summary: RunSummary) -> None:
    from .engines.spark import extract_to_parquet, is_uri

    known = set() if force else {(k, s.content_hash) for k, s in planner.stored.items() if s.provenance == prov}
    out = parquet or tempfile.mkdtemp(prefix="entente-spark-")
    try:
        s = extract_to_parquet(paths, out, options, master=master, planner=planner, known=known, conf=spark_conf,
                               on_progress=on_progress, on_error=on_error, prov=prov)
        summary.read, summary.already = s.read, s.already
        if is_uri(out) and not out.startswith("file://"):  # on cluster storage: ingest a copy later
            summary.pending = out
            return
        with Store(db) as store:
            got = store.ingest_parquet(out.removeprefix("file://"), force=force)
    finally:
        if parquet is None:
            shutil.rmtree(out, ignore_errors=True)
    summary.stored, summary.events = got.stored, got.events
    summary.already += got.already
    summary.reprocessed = len(got.replaced)
    summary.reasons = sorted({r for _, why in got.replaced for r in why})


def ingest(folder: str, db: str, force: bool = False) -> RunSummary:
    """Store the Parquet tables a Spark run wrote under ``folder``, then rebuild the corpus tables.

    Sources already stored with the same text and provenance are skipped; others replace their rows.
    """
    with Store(db) as store:
        got = store.ingest_parquet(folder, force=force)
        summary = RunSummary(stored=got.stored, already=got.already, events=got.events,
                             reprocessed=len(got.replaced), upgraded_from=store.upgraded_from,
                             reasons=sorted({r for _, why in got.replaced for r in why}))
    rebuild_corpus(db)
    return summary


def migrate(db: str) -> int | None:
    """Upgrade a store to the current schema and rebuild its corpus tables if they are out of date.

    Returns the schema version it had before, or None when it was current.
    """
    if not Path(db).exists():
        raise StoreError(f"{db}: no store here yet: run `entente run PATH --db {db}` first")
    with Store(db) as store:
        upgraded = store.upgraded_from
    rebuild_corpus(db)
    return upgraded


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
    from . import nlp as nlp_mod  # spaCy takes 1.5 s to import: not for the commands that only read
    from .actors.resolve import confidence, find_actors
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
    from .documents.reading import clean_str
    from .pipeline import process_document

    if not isinstance(text, str) or not text.strip():
        raise UsageError("extract_text needs some text")
    text = clean_str(text)  # a lone surrogate becomes U+FFFD: one character for one, offsets hold
    options = Options(actors_files=tuple(actors_files), pattern_files=tuple(pattern_files),
                      include_negated=include_negated)
    doc = Document(id=doc_id, text=text, title=title, url=url, source=source, date=date,
                   date_origin="meta" if date else None)
    return list(process_document(doc, options).events)


def sql(db: str, query: str) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """Run one read-only SQL query on a store: (column names, rows).

    The store is opened read-only and without access to other files, so a query can
    read every table and view but change nothing. The rows are fetched before the store
    is closed, so a slow reader of the output never holds it.
    """
    import duckdb

    with Store(db, read_only=True) as store:
        try:
            cur = store.con.execute(query)
            if cur.description is None:
                return [], iter(())
            columns = [c[0] for c in cur.description]
            rows = cur.fetchall()
        except duckdb.Error as exc:
            raise UsageError(f"query failed: {_first_line(exc)}") from exc
    return columns, iter(rows)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def schema_markdown() -> str:
    """The store's documentation (``docs/store.md``), generated from the schema with each view's column types."""
    from .store.schema import column_types, render_markdown

    with Store(":memory:") as store:
        return render_markdown(column_types(store.con))
