"""The ``entente`` command line: each command parses options and calls one library function."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .. import api
from ..errors import EntenteError, UsageError
from ..events.codebook import lookup
from ..options import DEFAULT_MAX_CHARS, DEFAULT_TIME_BUDGET, Options
from ..outputs.formats import EVENT_TABLE, Format, emit, jsonable
from ..outputs.safety import one_line
from ..store import DEFAULT_DB, row_to_json

app = typer.Typer(
    help="entente: news articles about international relations in, sourced CAMEO events out.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)
actors_app = typer.Typer(help="The actor knowledge base and the actors learned from text.\n\nExample: entente actors list --country KAZ",
                         no_args_is_help=True)
app.add_typer(actors_app, name="actors")
err = Console(stderr=True, soft_wrap=True)  # messages stay one line each, however long the path

Paths = Annotated[list[str], typer.Argument(help="Files, folders (recursive) or - for stdin.")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
DbOpt = Annotated[str, typer.Option("--db", help="The DuckDB store.")]
Workers = Annotated[int, typer.Option("--workers", "-w", min=1, help="Worker processes.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
DateOpt = Annotated[str | None, typer.Option("--date", help="Publication date for every document (YYYY-MM-DD).")]
ActorsOpt = Annotated[list[str] | None, typer.Option("--actors", help="Extra knowledge-base YAML (repeatable).")]
PatternsOpt = Annotated[list[str] | None, typer.Option("--patterns", help="Extra event-pattern YAML (repeatable).")]
NegOpt = Annotated[bool, typer.Option("--include-negated", help="Keep negated events, flagged as such.")]
EncOpt = Annotated[str, typer.Option("--encoding", help="Encoding of files and stdin without a byte-order mark.")]
RawOpt = Annotated[bool, typer.Option(
    "--raw", help="CSV: cells as they are, without the ' that stops a spreadsheet running =, +, -, @ as a formula.")]
MaxCharsOpt = Annotated[int, typer.Option(
    "--max-chars", min=0, help="Refuse documents longer than this many characters (0: no limit).")]
BudgetOpt = Annotated[float, typer.Option(
    "--time-budget", min=0, help="Seconds one document may take before it is skipped (0: no limit).")]


def _fail(exc: EntenteError) -> None:
    err.print(f"[red]entente:[/red] {escape(one_line(str(exc)))}", highlight=False)  # "[spark]" is not markup
    raise typer.Exit(exc.exit_code)


def _report(exc: EntenteError) -> None:
    """One line on stderr for an input skipped: the file and why (no terminal escapes from a file name)."""
    err.print(f"entente: skipped {escape(one_line(str(exc)))}", highlight=False)


@contextmanager
def _errors():
    try:
        yield
    except EntenteError as exc:
        _fail(exc)


@contextmanager
def _progress(quiet: bool, label: str):
    if quiet or not sys.stderr.isatty():
        yield None
        return
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), console=err, transient=True) as prog:
        task = prog.add_task(label, total=None, rate="")

        def tick(n: int) -> None:
            prog.advance(task, n)
            t = prog.tasks[0]
            if t.elapsed:
                prog.update(task, rate=f"{t.completed / t.elapsed:.1f} articles/s")

        yield tick


def _options(date: str | None, actors: list[str] | None, patterns: list[str] | None, negated: bool, encoding: str,
             max_chars: int = DEFAULT_MAX_CHARS, time_budget: float = DEFAULT_TIME_BUDGET) -> Options:
    return Options(actors_files=tuple(actors or ()), pattern_files=tuple(patterns or ()),
                   include_negated=negated, pub_date=date, encoding=encoding, max_chars=max_chars,
                   time_budget=time_budget)


def _inputs(s: api.RunSummary) -> str:
    """"14 inputs": every input ends stored (or processed), already stored, or skipped."""
    n = s.stored + s.already + s.n_skipped
    return f"{n} input{'' if n == 1 else 's'}"


def _with_name(row: dict[str, Any]) -> dict[str, Any]:
    try:
        row = dict(row, cameo_name=lookup(row["cameo"]).name)
    except EntenteError:
        pass
    return row


@app.command()
def extract(paths: Paths, fmt: FormatOpt = Format.jsonl, date: DateOpt = None, actors: ActorsOpt = None,
            patterns: PatternsOpt = None, include_negated: NegOpt = False, workers: Workers = 1,
            quiet: Quiet = False, encoding: EncOpt = "utf-8", max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS,
            time_budget: BudgetOpt = DEFAULT_TIME_BUDGET, raw: RawOpt = False) -> None:
    """Print the events of documents, without storing them.

    An input that cannot be read or processed gets one line on stderr and the others go
    on; then a summary, and exit code 1. Exit code 2: a usage or configuration error.

    Example: entente extract examples/articles --format table
    """
    opts = _options(date, actors, patterns, include_negated, encoding, max_chars, time_budget)
    summary = api.RunSummary()
    with _errors(), _progress(quiet, "extract") as tick:
        results = api.extract(paths, opts, workers=workers, on_progress=tick, on_error=_report, summary=summary)
        rows = (e.to_json() for r in results for e in r.events)
        if fmt is Format.table:
            emit((_with_name(r) for r in rows), fmt, EVENT_TABLE)
        else:
            emit(rows, fmt, raw=raw)
    if summary.n_skipped:
        err.print(f"{_inputs(summary)}: {summary.stored} processed, {summary.skipped_text()}", highlight=False)
    raise typer.Exit(summary.exit_code)


class Engine(StrEnum):
    local = "local"
    spark = "spark"


@app.command()
def run(paths: Paths, db: DbOpt = DEFAULT_DB, date: DateOpt = None, actors: ActorsOpt = None,
        patterns: PatternsOpt = None, include_negated: NegOpt = False, workers: Workers = 1,
        quiet: Quiet = False, encoding: EncOpt = "utf-8",
        engine: Annotated[Engine, typer.Option("--engine", help="local: worker processes here; spark: pyspark.")] = Engine.local,
        master: Annotated[str | None, typer.Option("--master", help="Spark master: local[2], spark://host:7077, yarn.")] = None,
        parquet: Annotated[str | None, typer.Option("--parquet", help="Keep the Spark engine's Parquet output in this folder.")] = None,
        force: Annotated[bool, typer.Option("--force", help="Reprocess documents already stored.")] = False,
        max_chars: MaxCharsOpt = DEFAULT_MAX_CHARS, time_budget: BudgetOpt = DEFAULT_TIME_BUDGET) -> None:
    """Process documents into the store, then rebuild its corpus tables.

    A document (a file, or a record of a file) already stored with the same text is skipped
    if the same entente version, knowledge base, patterns and options produced it, and
    reprocessed otherwise (or with --force); a file whose text changed replaces its old
    version. An input that cannot be read or processed gets one line on stderr and the
    others go on. The summary counts inputs stored, already stored and skipped (by
    reason). Exit code 0: all processed; 1: some skipped; 2: a usage or configuration error.
    Paths with a scheme (s3a://, hdfs://, file://) are read by the Spark executors.

    Example: entente run examples/articles --db entente.duckdb --engine local --workers 2
    """
    opts = _options(date, actors, patterns, include_negated, encoding, max_chars, time_budget)
    with _errors(), _progress(quiet, "run") as tick:
        s = api.run(paths, db, opts, workers=workers, on_progress=tick, on_error=_report, engine=engine.value,
                    master=master, parquet=parquet, force=force)
    _say_upgraded(s.upgraded_from, db)
    if s.pending:
        err.print(f"{s.read} documents read, {s.already} already in {db}, {s.skipped_text()}; results written to "
                  f"{s.pending}: copy them here and run `entente ingest DIR --db {db}`", highlight=False)
        raise typer.Exit(s.exit_code)
    err.print(f"{_inputs(s)}: {s.stored} stored, {s.already} already in {db}, {s.skipped_text()}; "
              f"{s.events} events added" + _reprocessed(s), highlight=False)
    raise typer.Exit(s.exit_code)


def _reprocessed(s: api.RunSummary) -> str:
    if not s.reprocessed:
        return ""
    return f"; {s.reprocessed} reprocessed ({', '.join(s.reasons) or 'changed'})"


def _say_upgraded(version: int | None, db: str) -> None:
    if version is not None:
        from ..store.schema import SCHEMA_VERSION

        err.print(f"upgraded {db} from schema version {version} to {SCHEMA_VERSION}", highlight=False)


@app.command()
def ingest(folder: Annotated[str, typer.Argument(help="Output folder of `entente run --engine spark --parquet`.")],
           db: DbOpt = DEFAULT_DB) -> None:
    """Store the Parquet tables written by a Spark run; documents already stored are skipped.

    Example: entente ingest out/parquet --db entente.duckdb
    """
    with _errors():
        s = api.ingest(folder, db)
    _say_upgraded(s.upgraded_from, db)
    err.print(f"{s.stored} documents stored in {db}, {s.already} already there; {s.events} events added"
              + _reprocessed(s), highlight=False)


@app.command()
def events(db: DbOpt = DEFAULT_DB,
           dyad: Annotated[str | None, typer.Option(help="Two actors, either direction: IND-KAZ.")] = None,
           actor: Annotated[str | None, typer.Option(help="One actor in either role: KAZ, IGO:UN, KAZGOV or a person.")] = None,
           root: Annotated[str | None, typer.Option(help="CAMEO root code, 01-20.")] = None,
           code: Annotated[str | None, typer.Option(help="CAMEO code or its prefix: 04, 042.")] = None,
           quad: Annotated[int | None, typer.Option(min=1, max=4, help="QuadClass 1-4.")] = None,
           plover: Annotated[str | None, typer.Option(help="PLOVER category: CONSULT, ACCUSE …")] = None,
           modality: Annotated[list[str] | None, typer.Option(
               help="asserted, intended, hypothetical, negated or all (repeatable or a comma list); default: all but negated.")] = None,
           since: Annotated[str | None, typer.Option(help="Earliest date, YYYY[-MM[-DD]].")] = None,
           until: Annotated[str | None, typer.Option(help="Latest date, YYYY[-MM[-DD]].")] = None,
           doc: Annotated[str | None, typer.Option(help="One document id.")] = None,
           limit: Annotated[int | None, typer.Option(min=1, help="At most this many events.")] = None,
           fmt: FormatOpt = Format.table, raw: RawOpt = False) -> None:
    """Query the events in the store (each as read in one article), in date order.

    Dates match when the event's date interval overlaps --since/--until.

    Example: entente events --dyad IND-KAZ --root 04 --since 2015 --modality asserted --limit 20 --format table
    """
    with _errors():
        rows = [row_to_json(r) for r in api.stored_events(
            db, dyad=dyad, actor=actor, root=root, code=code, quad=quad, plover=plover, modality=modality,
            since=since, until=until, doc=doc, limit=limit)]
    if fmt is Format.table:
        emit((_with_name(r) for r in rows), fmt, EVENT_TABLE)
    else:
        emit(rows, fmt, raw=raw)


@app.command()
def sql(query: Annotated[str, typer.Argument(help="One SQL query: SELECT, WITH, DESCRIBE, SUMMARIZE …")],
        db: DbOpt = DEFAULT_DB, fmt: FormatOpt = Format.table, raw: RawOpt = False) -> None:
    """Run a read-only SQL query on the store (tables and views: see `entente schema`).

    The store is opened read-only, without access to other files: a statement that
    would change it fails with exit code 1.

    Example: entente sql "SELECT actor_a, actor_b, month, events FROM events_by_dyad_month ORDER BY month" --format csv
    """
    with _errors():
        columns, rows = api.sql(db, query)
        emit((dict(zip(columns, (jsonable(v) for v in row), strict=True)) for row in rows), fmt, raw=raw)


@app.command()
def schema() -> None:
    """Print the store's documentation: every table, column, view and macro (docs/store.md).

    Example: entente schema
    """
    with _errors():
        print(api.schema_markdown(), end="")


@app.command()
def migrate(db: DbOpt = DEFAULT_DB) -> None:
    """Upgrade a store written by an older entente to this one's schema, and rebuild its corpus tables.

    `run` and `ingest` upgrade a store by themselves; read commands refuse an old one.

    Example: entente migrate --db entente.duckdb
    """
    with _errors():
        before = api.migrate(db)
    if before is None:
        err.print(f"{db} is up to date", highlight=False)
    else:
        _say_upgraded(before, db)


@app.command("eval")
def eval_cmd(gold: Annotated[str, typer.Argument(help="Gold events, JSON Lines.")],
             corpus: Annotated[str, typer.Option("--corpus", help="Folder of the articles the gold annotates.")],
             fmt: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
             workers: Workers = 1) -> None:
    """Score extraction against gold events (precision, recall, F1, dates, misses, extras).

    Example: entente eval ../shared/gold/seeds.gold.jsonl --corpus ../shared/corpus/seeds
    """
    with _errors():
        sc = api.evaluate(gold, corpus, workers=workers)
    if fmt == "json":
        print(json.dumps({**sc.summary(), "per_root": {k: dict(zip(("tp", "fp", "fn"), v, strict=True)) for k, v in sorted(sc.per_root.items())},
                          "misses": sc.misses, "extras": sc.extras, "wrong_dates": sc.wrong_dates}, indent=2, ensure_ascii=False))
        return
    out = Console()
    for m in sc.misses:
        out.print(f"[yellow]miss[/yellow]  {m['doc'][:12]} {m['source']}->{m['target']} {m['root']} {m['evidence'][:90]!r}", highlight=False)
    for x in sc.extras:
        out.print(f"[red]extra[/red] {x['doc'][:12]} {x['source']}->{x['target']} {x['cameo']} {x['rule']} {x['evidence'][:80]!r}", highlight=False)
    for w in sc.wrong_dates:
        out.print(f"[magenta]date[/magenta]  {w['doc'][:12]} gold {w['gold']} system {w['system']} "
                  f"(from {w['date_source']!r}) {w['sentence'][:90]!r}", highlight=False)
    rows = [{"root": k, "tp": v[0], "fp": v[1], "fn": v[2]} for k, v in sorted(sc.per_root.items())]
    emit(rows, Format.table, title="per root")
    s = sc.summary()
    print(f"events: tp={s['tp']} fp={s['fp']} fn={s['fn']}")
    print(f"dates: {sc.dated_right}/{sc.dated} correct, accuracy {s['date_accuracy']:.3f}")
    print(f"precision {s['precision']:.3f}  recall {s['recall']:.3f}  F1 {s['f1']:.3f}")


@app.command()
def explain(path: Annotated[str, typer.Argument(help="One article file.")], date: DateOpt = None) -> None:
    """Show the cleaning, the parse, the actors and the coding decisions for one article.

    Example: entente explain examples/articles/01_ind_kaz_uranium_2015.txt
    """
    from ..outputs.explain import explain_document

    with _errors():
        explain_document(path, Options(pub_date=date), Console())


@app.command()
def actor(text: Annotated[str | None, typer.Argument(help="An actor phrase, e.g. 'the Indian Prime Minister'.")] = None,
          date: Annotated[str | None, typer.Option(help="Resolve people as of this date: 2015-05-10, 10 May 2015, May 10, 2015, 10/05/2015.")] = None,
          context: Annotated[str | None, typer.Option(help="A sentence containing TEXT.")] = None,
          input: Annotated[Path | None, typer.Option("--input", help="JSON Lines of {text, date, context}.")] = None,
          day_first: Annotated[bool, typer.Option("--day-first", help="Read 10/05/2015 as 10 May, not October 5.")] = False,
          actors: ActorsOpt = None,
          fmt: Annotated[Format | None, typer.Option("--format", "-f", help="table, csv, json or jsonl (default: one JSON object per query).")] = None) -> None:
    """Resolve an actor phrase to a country, organisation, sector and person, saying why and how sure.

    Example: entente actor "Nazarbayev" --date "8 July 2015" --format table
    """
    files = tuple(actors or ())
    with _errors():
        if input is None and not text:
            raise typer.BadParameter("give TEXT or --input FILE")
        rows = _actor_rows(input, text, date, context, files, day_first)
        if fmt is None:
            for row in rows:
                print(json.dumps(row, ensure_ascii=False))
        else:
            emit(rows, fmt, title="actors")


def _actor_rows(path: Path | None, text: str | None, date: str | None, context: str | None,
                files: tuple[str, ...], day_first: bool) -> Iterator[dict[str, Any]]:
    """One resolution per query: TEXT, or every line of a JSON Lines file (a broken line is named)."""
    if path is None:
        yield api.resolve_actor(text or "", date, context, files, day_first)
        return
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read --input: {getattr(exc, 'strerror', None) or exc}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except json.JSONDecodeError as exc:
            err.print(f"entente: {path}:{n}: broken JSON line skipped: {exc.msg}")
            yield {"text": None, "country": None, "igo": None, "sector": None, "name": None, "id": None,
                   "matched_by": None, "confidence": 0.0}
            continue
        yield api.resolve_actor(q.get("text", ""), q.get("date"), q.get("context"), files, day_first)


@actors_app.command("list")
def actors_list(country: Annotated[str | None, typer.Option(help="ISO alpha-3 code.")] = None,
                actors: ActorsOpt = None, fmt: FormatOpt = Format.table, raw: RawOpt = False) -> None:
    """List the knowledge base: countries, organisations, people with tenures.

    Example: entente actors list --country KAZ
    """
    with _errors():
        emit(api.list_actors(country, tuple(actors or ())), fmt, raw=raw)


@actors_app.command("learned")
def actors_learned(db: DbOpt = DEFAULT_DB, fmt: FormatOpt = Format.table, raw: RawOpt = False) -> None:
    """List the actors learned from the text of stored articles, with their evidence.

    Example: entente actors learned --db entente.duckdb
    """
    with _errors():
        emit(api.learned_actors(db), fmt, raw=raw)


def main() -> None:  # pragma: no cover
    app()


from .corpus import register  # noqa: E402  (the cross-article commands: claims, brief, export)
from .serve import register as register_serve  # noqa: E402  (the web app)

register(app)
register_serve(app)
