"""The filters of ``entente events`` and ``entente.open(db).events()``, as one SQL builder.

Both the per-article ``events`` table and ``corpus_events`` (one row per real-world
event) take the same filters, so the CLI, the Python API and a web app ask the same
question the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..errors import StoreError

MODALITIES = ("asserted", "intended", "hypothetical", "negated")
#: What a query returns unless asked otherwise: negated events appear only on request.
DEFAULT_MODALITIES = ("asserted", "intended", "hypothetical")
#: Rows shown when a limit is not a positive number.
MIN_LIMIT = 1


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What to select. Every field is optional; given fields must all hold.

    - ``dyad`` "IND-KAZ" (or "IGO:UN-KAZ"): the two actors, either direction.
    - ``actor``: an actor in either role, by key (KAZ, IGO:UN), code (KAZGOV),
      organisation (UN) or person name (case-insensitive).
    - ``root`` "04", ``code`` "04" or "042" (a prefix of the CAMEO code), ``quad`` 1-4,
      ``plover`` "CONSULT".
    - ``modality``: one or more of asserted, intended, hypothetical, negated, or "all";
      by default every modality but negated.
    - ``since``/``until`` YYYY[-MM[-DD]]: the event's date interval overlaps the range
      (``until 2015`` keeps 2015-07-10; an event of 2015 matches ``since 2015-07``).
      Undated events never match a date bound.
    - ``doc``: one document id; ``limit``: at most this many rows.
    """

    dyad: str | None = None
    actor: str | None = None
    root: str | None = None
    code: str | None = None
    quad: int | None = None
    plover: str | None = None
    modality: str | Iterable[str] | None = None
    since: str | None = None
    until: str | None = None
    doc: str | None = None
    limit: int | None = None


def modalities(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """The modalities a filter asks for: "all", a comma list, or several names."""
    if value is None:
        return DEFAULT_MODALITIES
    names = value.split(",") if isinstance(value, str) else [n for v in value for n in v.split(",")]
    names = [n.strip().lower() for n in names if n.strip()]
    if "all" in names:
        return MODALITIES
    bad = [n for n in names if n not in MODALITIES]
    if bad or not names:
        raise StoreError(f"unknown modality {', '.join(bad) or repr(value)}: use {', '.join(MODALITIES)} or all")
    return tuple(dict.fromkeys(names))


def _bound(value: str, end: bool) -> str:
    from .db import date_interval

    start, stop, _ = date_interval(value)
    return (stop if end else start) or ""


def where(f: EventFilter, table: str = "events") -> tuple[str, list[Any]]:
    """The WHERE clause (with leading " WHERE ", or "") and its parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    if f.dyad:
        a, _, b = f.dyad.upper().partition("-")
        if not a or not b:
            raise StoreError(f"bad dyad {f.dyad!r}: give two actors, e.g. IND-KAZ or IGO:UN-KAZ")
        clauses.append("((source_key = ? AND target_key = ?) OR (source_key = ? AND target_key = ?))")
        params += [a, b, b, a]
    if f.actor:
        x = f.actor.upper()
        clauses.append("(? IN (source_key, target_key, source_code, target_code, source_igo, target_igo) "
                       "OR lower(source_person) = lower(?) OR lower(target_person) = lower(?))")
        params += [x, f.actor, f.actor]
    if f.root:
        clauses.append("root = ?")
        params.append(f.root.zfill(2))
    if f.code:
        clauses.append("starts_with(cameo, ?)")
        params.append(f.code.zfill(2) if len(f.code) < 2 else f.code)
    if f.quad is not None:
        if f.quad not in (1, 2, 3, 4):
            raise StoreError(f"bad QuadClass {f.quad}: use 1, 2, 3 or 4")
        clauses.append("quad_class = ?")
        params.append(f.quad)
    if f.plover:
        clauses.append("plover = ?")
        params.append(f.plover.upper())
    wanted = modalities(f.modality)
    if set(wanted) != set(MODALITIES):
        clauses.append(f"modality IN ({', '.join('?' * len(wanted))})")
        params += list(wanted)
    if f.since:
        clauses.append("date_end >= CAST(? AS DATE)")
        params.append(_bound(f.since, end=False))
    if f.until:
        clauses.append("date_start <= CAST(? AS DATE)")
        params.append(_bound(f.until, end=True))
    if f.doc:
        clauses.append("doc_id = ?" if table == "events" else "list_contains(doc_ids, ?)")
        params.append(f.doc)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


#: The order of each table's rows: dated first, in date order.
ORDER = {
    "events": "date_start NULLS LAST, date_end, doc_id, evidence_start, event_id",
    "corpus_events": "date_start NULLS LAST, date_end, doc_ids[1], corpus_event_id",
}


def event_query(table: str, f: EventFilter, columns: str = "*") -> tuple[str, list[Any]]:
    """``SELECT`` of ``table`` (events or corpus_events) under filter ``f``, in date order."""
    clause, params = where(f, table)
    sql = f"SELECT {columns} FROM {table}{clause} ORDER BY {ORDER[table]}"
    if f.limit is not None:
        sql += " LIMIT ?"
        params.append(max(MIN_LIMIT, int(f.limit)))
    return sql, params
