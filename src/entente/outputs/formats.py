"""Output formats shared by every command: table, csv, json, jsonl.

CSV cells that a spreadsheet would run as formulas get a leading ``'`` unless ``raw``;
table cells are shown as plain text, never as Rich markup or terminal escapes
(``safety.py``).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from enum import StrEnum
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .safety import spreadsheet_cell, terminal


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


ACTOR_FIELDS = ("text", "name", "country", "igo", "sector", "code", "parent")
#: Objects that may be null in one row and filled in the next (an event without a target).
#: CSV writes their columns either way, since the header comes from the first row.
NULLABLE_OBJECTS = {"source": ACTOR_FIELDS, "target": ACTOR_FIELDS}

#: Width of a table written to a file or pipe, where no terminal width is known.
TABLE_WIDTH = 160
WIDTHS = {"evidence": 72, "name": 30}
NO_WRAP = {"date", "source", "target", "cameo", "mod", "evidence"}

EVENT_TABLE = [("date", "date"), ("source", "source.code"), ("target", "target.code"), ("cameo", "cameo"),
               ("name", "cameo_name"), ("mod", "modality"), ("evidence", "evidence.sentence")]


def jsonable(v: Any) -> Any:
    """A database value as JSON can hold it: dates and times in ISO 8601, decimals as floats, UUIDs as text."""
    import datetime
    import decimal
    import uuid

    if isinstance(v, datetime.date | datetime.time):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, uuid.UUID | datetime.timedelta):
        return str(v)
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [jsonable(x) for x in v]
    return v


def _get(row: dict[str, Any], path: str) -> Any:
    cur: Any = row
    for part in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def flatten(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in row.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, key + "_"))
        elif v is None and not prefix and k in NULLABLE_OBJECTS:
            out.update({f"{key}_{f}": None for f in NULLABLE_OBJECTS[k]})
        elif isinstance(v, list):
            out[key] = json.dumps(v, ensure_ascii=False)
        else:
            out[key] = v
    return out


def emit(rows: Iterable[dict[str, Any]], fmt: Format, columns: list[tuple[str, str]] | None = None,
         out: TextIO | None = None, title: str | None = None, raw: bool = False) -> int:
    """Write rows in the chosen format; returns how many were written.

    ``raw``: CSV cells as they are, without the ``'`` before a would-be formula."""
    out = out or sys.stdout
    n = 0
    if fmt is Format.jsonl:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    elif fmt is Format.json:
        data = list(rows)
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.write("\n")
        n = len(data)
    elif fmt is Format.csv:
        writer = None
        for row in rows:
            flat = flatten(row)
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(flat), extrasaction="ignore")
                writer.writeheader()
            writer.writerow(flat if raw else {k: spreadsheet_cell(v) for k, v in flat.items()})
            n += 1
    else:
        data = list(rows)
        cols = columns or [(k, k) for k in (data[0].keys() if data else [])]
        table = Table(title=title, show_lines=False, expand=False)
        for name, _ in cols:
            table.add_column(name, overflow="ellipsis", no_wrap=name in NO_WRAP, max_width=WIDTHS.get(name))
        for row in data:
            table.add_row(*[_cell(_get(row, path)) for _, path in cols])
        console = Console(file=out)
        if not console.is_terminal:
            console = Console(file=out, width=TABLE_WIDTH)
        console.print(table)
        n = len(data)
    return n


def _cell(v: Any) -> Text:
    """A table cell: plain text (no Rich markup), on one line, without control characters."""
    if v is None:
        return Text("-")
    s = terminal(" ".join(str(v).split()))
    return Text(s if len(s) <= 160 else s[:157] + "...")
