"""The cross-article commands: ``corpus``, ``claims``, ``brief`` and ``export``, each calling one library function."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import EntenteError
from ..outputs.formats import Format, emit
from ..outputs.safety import one_line
from ..store import DEFAULT_DB

err = Console(stderr=True, soft_wrap=True)
DbOpt = Annotated[str, typer.Option("--db", help="The DuckDB store.")]
ModalityOpt = Annotated[list[str] | None, typer.Option(
    "--modality", help="asserted, intended, hypothetical, negated or all (repeatable or a comma list); default: the command's own.")]

CLAIM_TABLE = [("status", "status"), ("actor", "actor"), ("item", "item"), ("claim", "claim"), ("doc", "doc"),
               ("evidence", "evidence.sentence")]


class Status(StrEnum):
    corroborated = "corroborated"
    consistent = "consistent"
    conflicting = "conflicting"
    single_source = "single-source"


class BriefFormat(StrEnum):
    md = "md"
    html = "html"


class ExportFormat(StrEnum):
    gdelt = "gdelt"
    plover = "plover"
    parquet = "parquet"
    graphml = "graphml"


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except EntenteError as exc:
        err.print(f"[red]entente:[/red] {escape(one_line(str(exc)))}", highlight=False)
        raise typer.Exit(exc.exit_code) from None


class Engine(StrEnum):
    local = "local"
    spark = "spark"


def corpus(db: DbOpt = DEFAULT_DB,
           rebuild: Annotated[bool, typer.Option("--rebuild", help="Recompute every corpus table (recovery), not only what new articles change.")] = False,
           engine: Annotated[Engine, typer.Option(help="local, or spark: every corpus table rebuilt by Spark executors.")] = Engine.local,
           parquet: Annotated[str | None, typer.Option(help="spark: first store the Parquet a Spark run wrote here (as `entente ingest`).")] = None,
           master: Annotated[str | None, typer.Option(help="spark: the master URL (default local[*]).")] = None) -> None:
    """Bring the corpus tables up to date: near-duplicates, stories, names, events across articles, claims.

    `run` and `ingest` do this themselves, recomputing only what their new articles can
    change; this command does it on demand, with --rebuild recomputes everything, and with
    --engine spark computes the same tables on Spark (--parquet: after storing what a Spark
    run wrote, as `entente ingest` does).

    Example: entente corpus --engine spark --parquet out/parquet --db entente.duckdb
    """
    from .. import api

    if parquet is not None and engine is not Engine.spark:
        err.print("[red]entente:[/red] --parquet goes with --engine spark (or use `entente ingest`)", highlight=False)
        raise typer.Exit(2)
    with _errors():
        u = api.corpus(db, rebuild=rebuild, engine=engine.value, parquet=parquet, master=master)
    how = "rebuilt" if u.rebuilt else "updated"
    err.print(f"corpus tables of {db} {how}: {u.new_docs} new articles, {u.links} similar pairs, "
              f"{u.cells} event cells, {u.countries} name groups", highlight=False)


def claims(db: DbOpt = DEFAULT_DB,
           dyad: Annotated[str | None, typer.Option(help="Two actors, either order: KAZ-IND.")] = None,
           status: Annotated[Status | None, typer.Option(help="Only figures with this status.")] = None,
           fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
           raw: Annotated[bool, typer.Option("--raw", help="CSV: cells as they are (no ' before =, +, -, @).")] = False) -> None:
    """List the quantities the stored articles state, compared across sources.

    Each claim shows its figure's status (corroborated, consistent, conflicting,
    single-source), its article and its evidence sentence.

    Example: entente claims --db entente.duckdb --dyad KAZ-IND --status conflicting
    """
    from ..claims.reconcile import claim_rows
    from ..corpus.build import figures_of

    with _errors():
        rows = claim_rows(figures_of(db, dyad), status.value if status else None)
    emit(rows, fmt, CLAIM_TABLE if fmt is Format.table else None, raw=raw)


def brief(a: Annotated[str, typer.Argument(help="One actor: ISO alpha-3 (KAZ) or IGO:XX.")],
          b: Annotated[str, typer.Argument(help="The other actor.")],
          db: DbOpt = DEFAULT_DB,
          fmt: Annotated[BriefFormat, typer.Option("--format", "-f", help="md or html.")] = BriefFormat.md,
          out: Annotated[str | None, typer.Option("--out", "-o", help="Write to this file (else stdout).")] = None,
          modality: ModalityOpt = None) -> None:
    """Write a dossier of the relationship between two actors, every statement cited.

    Counts by QuadClass, a cooperation/conflict index over time, a dated timeline,
    key people, key figures with their reconciliation status, what remains uncertain.
    Intended and hypothetical events are listed, marked, and not counted; negated
    events appear only when --modality asks for them.

    Example: entente brief KAZ IND --db entente.duckdb --format html --out kaz-ind.html
    """
    from ..outputs.brief import write_brief

    with _errors():
        text = write_brief(db, a, b, fmt.value, out, tuple(modality) if modality else None)
    if out:
        err.print(f"brief of {a.upper()}–{b.upper()} written to {out}")
    else:
        sys.stdout.write(text)


def export(fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="gdelt, plover, parquet or graphml.")],
           out: Annotated[str, typer.Option("--out", "-o", help="The file to write.")],
           db: DbOpt = DEFAULT_DB,
           dyad: Annotated[str | None, typer.Option(help="Only events of two actors: KAZ-IND.")] = None,
           modality: ModalityOpt = None,
           header: Annotated[bool, typer.Option("--header", help="gdelt: a header row of the column names.")] = False,
           extra: Annotated[bool, typer.Option("--extra", help="gdelt: entente's modality, date precision and id after the 61 columns.")] = False,
           statements: Annotated[bool, typer.Option("--statements", help="plover: keep CAMEO 01 statements (has_event false).")] = False,
           raw: Annotated[bool, typer.Option("--raw", help="gdelt: cells as they are, without the ' before a cell starting with =, +, -, @ (spreadsheet formulas).")] = False) -> None:
    """Export the corpus events (one per real-world event, every source listed) for other tools.

    gdelt: the 61-column GDELT 2.0 event table, headerless, asserted events only by
    default. plover: PLOVER JSON Lines (schema: data/plover.schema.json), CAMEO 01 left
    out. parquet and graphml: every field. Negated events only with --modality.
    Exit code 1 when the store cannot be read or the file cannot be written.

    Example: entente export --format gdelt --out events.tsv --db entente.duckdb
    """
    from ..outputs.export import ExportOptions
    from ..outputs.export import export as run_export

    opts = ExportOptions(dyad=dyad, modality=tuple(modality) if modality else None, header=header, extra=extra,
                         statements=statements, raw=raw)
    with _errors():
        s = run_export(db, fmt.value, out, opts)
    left = "; left out: " + ", ".join(f"{n} {why}" for why, n in sorted(s.left_out.items())) if s.left_out else ""
    err.print(f"{s.written} events written to {out} ({fmt.value}){left}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the cross-article commands to the ``entente`` app."""
    app.command("corpus")(corpus)
    app.command("claims")(claims)
    app.command("brief")(brief)
    app.command("export")(export)
