"""The events table (``/events``) and one event (``/events/{event_id}``), with their JSON twins.

Both read the per-article ``events`` table with the filters of ``entente events``
(``store.queries.EventFilter``), plus a text search in the evidence, a sort and pages. Every
filter sits in the URL; ``/api/events?…&format=csv|jsonl|parquet`` downloads the whole
selection.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from ...outputs.formats import flatten
from ...store.queries import EventFilter, where
from ..render import EVENT_ID, clean_text, cursor, event_json, not_found, one, page, rows

router = APIRouter()

#: The sort orders of the table; each ends on the event id so pages never overlap.
SORTS = {
    "date": "date_start NULLS LAST, date_end, doc_id, evidence_start, event_id",
    "-date": "date_start DESC NULLS LAST, date_end DESC, doc_id, evidence_start, event_id",
    "source": "source_key NULLS LAST, source_code, date_start NULLS LAST, event_id",
    "target": "target_key NULLS LAST, target_code, date_start NULLS LAST, event_id",
    "code": "cameo, date_start NULLS LAST, event_id",
    "goldstein": "goldstein, date_start NULLS LAST, event_id",
    "-goldstein": "goldstein DESC, date_start NULLS LAST, event_id",
    "doc": "doc_id, evidence_start, event_id",
}
PER_PAGE = 50
MAX_PER_PAGE = 500
#: What the downloads are called, and their media types.
DOWNLOADS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8",
             "parquet": "application/vnd.apache.parquet"}
#: Cells a spreadsheet would run as a formula; a CSV download prefixes them with an apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Rows read at a time while a download streams.
DOWNLOAD_BATCH = 2000

Blank = r"^$|"  # an empty form field means "no filter"


@dataclass(frozen=True)
class EventQuery:
    """The filters, sort and page of an events request, as given in its URL."""

    filter: EventFilter
    text: str | None
    sort: str
    page: int
    per_page: int

    def params(self) -> dict[str, Any]:
        """The URL parameters that give this selection back (the defaults left out)."""
        f = self.filter
        out = {"actor": f.actor, "dyad": f.dyad, "root": f.root, "code": f.code, "quad": f.quad, "plover": f.plover,
               "modality": f.modality, "since": f.since, "until": f.until, "q": self.text, "doc": f.doc,
               "sort": None if self.sort == "date" else self.sort,
               "per_page": None if self.per_page == PER_PAGE else self.per_page}
        return {k: v for k, v in out.items() if v not in (None, "")}

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def event_query(
    actor: Annotated[str | None, Query(max_length=100, description="An actor in either role: KAZ, IGO:UN, KAZGOV or a person.")] = None,
    dyad: Annotated[str | None, Query(pattern=Blank + r"^[A-Za-z0-9:+&._]{3,28}-[A-Za-z0-9:+&._]{3,28}$",
                                      description="Two actors, either direction: RUS-UKR.")] = None,
    root: Annotated[str | None, Query(pattern=Blank + r"^\d{1,2}$", description="CAMEO root code, 01-20.")] = None,
    code: Annotated[str | None, Query(pattern=Blank + r"^\d{2,4}$", description="CAMEO code or its prefix: 04, 042.")] = None,
    quad: Annotated[str | None, Query(pattern=Blank + r"^[1-4]$", description="QuadClass 1-4.")] = None,
    plover: Annotated[str | None, Query(pattern=Blank + r"^[A-Za-z_-]{2,30}$", description="PLOVER category.")] = None,
    modality: Annotated[str | None, Query(pattern=Blank + r"^[a-z,]{3,60}$",
                                          description="asserted, intended, hypothetical, negated or all; default all but negated.")] = None,
    since: Annotated[str | None, Query(pattern=Blank + r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY[-MM[-DD]].")] = None,
    until: Annotated[str | None, Query(pattern=Blank + r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY[-MM[-DD]].")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Words in the evidence sentence.")] = None,
    doc: Annotated[str | None, Query(max_length=300, description="One document id.")] = None,
    sort: Annotated[str, Query(pattern="^(" + "|".join(SORTS) + ")$", description="Sort order.")] = "date",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = PER_PAGE,
) -> EventQuery:
    """The events request's parameters (each validated; an empty one means no filter)."""
    f = EventFilter(actor=clean_text(actor), dyad=clean_text(dyad), root=clean_text(root), code=clean_text(code),
                    quad=int(quad) if quad else None, plover=clean_text(plover), modality=clean_text(modality),
                    since=clean_text(since), until=clean_text(until), doc=clean_text(doc))
    return EventQuery(filter=f, text=clean_text(q), sort=sort, page=page, per_page=per_page)


def _where(eq: EventQuery) -> tuple[str, list[Any]]:
    clause, params = where(eq.filter, "events")
    if eq.text:
        like = eq.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clause += (" AND " if clause else " WHERE ") + "evidence_sentence ILIKE ? ESCAPE '\\'"
        params.append(f"%{like}%")
    return clause, params


def select_events(con: duckdb.DuckDBPyConnection, eq: EventQuery) -> tuple[list[dict[str, Any]], int]:
    """One page of the selected events (the output contract, with their real-world event), and how many in all.

    The page is found by sorting only the ids and the sort keys (a deep page sorts every selected
    event), then its rows are read, each with the corpus event it was merged in.
    """
    clause, params = _where(eq)
    total = con.execute(f"SELECT count(*) FROM events{clause}", params).fetchall()[0][0]
    order = SORTS[eq.sort]
    ids = [r[0] for r in con.execute(f"SELECT event_id FROM events{clause} ORDER BY {order} LIMIT ? OFFSET ?",
                                     [*params, eq.per_page, eq.offset]).fetchall()]
    if not ids:
        return [], total
    found = rows(con, "WITH merged AS (SELECT * FROM (SELECT corpus_event_id, n_sources, unnest(event_ids) AS event_id "
                      "FROM corpus_events) WHERE event_id IN (SELECT unnest($1))) "
                      "SELECT events.*, merged.corpus_event_id, merged.n_sources FROM events "
                      f"LEFT JOIN merged USING (event_id) WHERE events.event_id IN (SELECT unnest($1)) ORDER BY {order}",
                 [ids])
    return [event_json(r) for r in found], total


@router.get("/events", response_class=HTMLResponse, include_in_schema=False)
def events_page(request: Request, eq: Annotated[EventQuery, Depends(event_query)]) -> HTMLResponse:
    with cursor(request) as con:
        events, total = select_events(con, eq)
        choices = {
            "roots": rows(con, "SELECT root, count(*) AS n FROM events GROUP BY root ORDER BY root"),
            "plovers": rows(con, "SELECT plover, count(*) AS n FROM events WHERE plover IS NOT NULL "
                                 "GROUP BY plover ORDER BY plover"),
        }
    pages = max(1, -(-total // eq.per_page))
    return page(request, "events.html", events=events, total=total, eq=eq, params=eq.params(), pages=pages,
                choices=choices, sorts=list(SORTS))


@router.get("/api/events", summary="Events, filtered, sorted and paged, or the whole selection as a file")
def events_api(request: Request, eq: Annotated[EventQuery, Depends(event_query)],
               format: Annotated[str, Query(pattern="^(json|csv|jsonl|parquet)$",
                                            description="json: one page; csv, jsonl, parquet: every selected event.")] = "json",
               ) -> Response:
    """``{"events": [...], "total": N}``: each event in the output contract's fields, plus its real-world
    event (``corpus_event_id``, ``n_sources``). ``format=csv|jsonl|parquet`` downloads every event of
    the selection instead of one page."""
    if format == "json":
        with cursor(request) as con:
            events, total = select_events(con, eq)
        return Response(json.dumps({"events": events, "total": total, "page": eq.page, "per_page": eq.per_page},
                                   ensure_ascii=False, default=str), media_type="application/json")
    if format == "parquet":
        return Response(_parquet(request, eq), media_type=DOWNLOADS[format], headers=_attachment("parquet"))
    return StreamingResponse(_stream(request, eq, format), media_type=DOWNLOADS[format], headers=_attachment(format))


def _attachment(ext: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="entente-events.{ext}"'}


def _selection(con: duckdb.DuckDBPyConnection, eq: EventQuery) -> duckdb.DuckDBPyConnection:
    clause, params = _where(eq)
    return con.execute(f"SELECT * FROM events{clause} ORDER BY {SORTS[eq.sort]}", params)


def _stream(request: Request, eq: EventQuery, fmt: str) -> Iterator[str]:
    with cursor(request) as con:
        cur = _selection(con, eq)
        cols = [c[0] for c in cur.description]
        header = True
        while batch := cur.fetchmany(DOWNLOAD_BATCH):
            events = [event_json(dict(zip(cols, r, strict=True))) for r in batch]
            if fmt == "jsonl":
                yield "".join(json.dumps(e, ensure_ascii=False, default=str) + "\n" for e in events)
                continue
            buf = io.StringIO()
            writer = csv.writer(buf)
            flat = [flatten(e) for e in events]
            if header:
                writer.writerow(list(flat[0]))
                header = False
            writer.writerows([[_cell(v) for v in f.values()] for f in flat])
            yield buf.getvalue()


def _cell(v: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text: one starting like a formula gets an apostrophe."""
    if isinstance(v, str) and v.startswith(FORMULA_START):
        return "'" + v
    return v


def _parquet(request: Request, eq: EventQuery) -> bytes:
    import pyarrow.parquet as pq

    clause, params = _where(eq)
    with cursor(request) as con:
        table = con.sql(f"SELECT * FROM events{clause} ORDER BY {SORTS[eq.sort]}", params=params or None).to_arrow_table()
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


# -- one event -------------------------------------------------------------------------------------
def event_detail(con: duckdb.DuckDBPyConnection, event_id: str) -> dict[str, Any]:
    """An event, its real-world event, every report of that in every article (with the article), and
    the claims tied to any of those reports."""
    row = one(con, "SELECT * FROM events WHERE event_id = ?", [event_id])
    if row is None:
        raise not_found(f"no event {event_id} in this store")
    merged = one(con, "SELECT * FROM corpus_events WHERE list_contains(event_ids, ?)", [event_id])
    ids = list(merged["event_ids"]) if merged else [event_id]
    reports = rows(con, "SELECT e.*, d.title, d.url, d.outlet, d.pub_date, d.pub_date_precision FROM events e "
                        "JOIN documents d ON d.doc_id = e.doc_id WHERE list_contains(?, e.event_id) "
                        "ORDER BY d.pub_date NULLS LAST, e.doc_id, e.evidence_start", [ids])
    claims = rows(con, "SELECT c.doc_id, c.text, c.value, c.unit, c.item, c.qualifier, c.event_id, c.evidence_sentence, "
                       "c.evidence_start, c.evidence_end FROM claims c WHERE list_contains(?, c.event_id) "
                       "ORDER BY c.doc_id, c.claim_no", [ids])
    event = event_json(row)
    if merged:
        event["corpus_event_id"], event["n_sources"] = merged["corpus_event_id"], merged["n_sources"]
    return {
        "event": event,
        "corpus_event": _corpus(merged) if merged else None,
        "reports": [dict(event_json(r), article={"title": r["title"], "url": r["url"], "outlet": r["outlet"],
                                                 "pub_date": r["pub_date"].isoformat() if r["pub_date"] else None})
                    for r in reports],
        "claims": claims,
    }


def _corpus(merged: dict[str, Any]) -> dict[str, Any]:
    from ..render import corpus_event_json

    return corpus_event_json(merged)


EventId = Annotated[str, Path(pattern=EVENT_ID, description="The event's id (events.event_id).")]


@router.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
def event_page(request: Request, event_id: EventId) -> HTMLResponse:
    with cursor(request) as con:
        detail = event_detail(con, event_id)
    return page(request, "event.html", **detail)


@router.get("/api/events/{event_id}", summary="One event, every report of it across sources, and its claims")
def event_api(request: Request, event_id: EventId) -> Response:
    with cursor(request) as con:
        detail = event_detail(con, event_id)
    return Response(json.dumps(detail, ensure_ascii=False, default=str), media_type="application/json")
