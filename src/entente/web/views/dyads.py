"""A dyad (``/dyads/{A}/{B}``): the brief of two actors, made interactive.

The page shows the brief of ``entente brief A B``: one line per happening with its source
count, key people with the role they held at the time, figures with their reconciliation
status, what remains uncertain, and citations that open the article at its sentence. It is
read a page at a time (``web/outline.py``): what the dyad counts and numbers from narrow rows,
the words of the lines it shows only; the JSON (``/api/dyads/A/B``) is ``make_brief``'s whole
brief over ``corpus.tables.load_dyad``. A test holds the two equal on every dyad.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

import duckdb
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...claims.reconcile import Figure
from ...corpus.build import Article, CorpusEvent
from ...corpus.tables import load_dyad
from ...outputs.brief import (
    Brief,
    Line,
    PersonEntry,
    Series,
    actor_codes,
    actor_line,
    excerpt,
    make_brief,
    safe_url,
)
from ...outputs.labels import actor_name, code_name
from ..outline import Outline, articles, outline, shown
from ..render import ACTOR_KEY, StoreReader, cursor, page
from ..snapshot import Snapshot

router = APIRouter()

#: Timeline lines per page of a dyad.
LINES_PER_PAGE = 100
#: Notes of "what remains uncertain" a page words; the others are counted (the JSON has every one).
#: A busy dyad can have a note per event whose date is inferred: thousands.
NOTES_SHOWN = 25
#: Dyads kept in memory, each for the copy of the store it was made from: a first view reads
#: the dyad's outline (``outline.py``: about 0.1 s for 5,000 events); the next views, and each
#: year and page of it, read only the lines they show.
CACHED_DYADS = 32
T = TypeVar("T")

Key = Annotated[str, Path(pattern=ACTOR_KEY, description="An actor key as in the output: IND, IGO:UN.")]
Year = Annotated[int | None, Query(ge=1, le=9999, description="Only the timeline of this year.")]
PageNo = Annotated[int, Query(alias="page", ge=1, le=100_000)]


class Cache(Generic[T]):
    """What was made of the dyads asked for lately, per copy of the store (least recently used out)."""

    def __init__(self, snapshot: Snapshot, make: Callable[[duckdb.DuckDBPyConnection, str, str, str], T],
                 size: int = CACHED_DYADS) -> None:
        self.snapshot, self.make, self.size = snapshot, make, size
        self._items: OrderedDict[tuple[int, str, str], T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, a: str, b: str) -> T:
        a, b = sorted((a, b))  # one for both orders: the pages name the pair as asked
        key = (self.snapshot.status().generation, a, b)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        with self.snapshot.connection() as con:
            item = self.make(con, a, b, str(self.snapshot.source))
        with self._lock:
            self._items[key] = item
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return item


def whole_brief(con: duckdb.DuckDBPyConnection, a: str, b: str, path: str) -> dict[str, Any]:
    """The whole brief as JSON (the API's): ``make_brief`` over the dyad's part of the store."""
    return brief_json(make_brief(load_dyad(StoreReader(con, path), a, b), a, b))


def _outline(con: duckdb.DuckDBPyConnection, a: str, b: str, path: str) -> Outline:
    return outline(con, a, b)


class Dyads:
    """The dyad pages' outlines and the API's whole briefs, each kept for the copy of the store it was made from."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.outlines: Cache[Outline] = Cache(snapshot, _outline)
        self.briefs: Cache[dict[str, Any]] = Cache(snapshot, whole_brief)


def _line_json(cite: Callable[[str], int], line: Line) -> dict[str, Any]:
    ce = line.event
    quoted = next((e for e in ce.events if e.date == ce.date), ce.events[0])
    return {
        "date": ce.date, "who": actor_line(ce), "codes": actor_codes(ce), "cameo": ce.cameo,
        "cameo_name": code_name(ce.cameo), "quad_class": ce.quad_class, "goldstein": ce.goldstein,
        "modality": ce.modality, "corpus_event_id": ce.id, "event_id": quoted.event_id, "doc": quoted.doc,
        "evidence": excerpt(ce), "n_sources": line.n_sources,
        "citations": sorted({cite(d) for d in line.docs}),
        "repeats": [_repeat(r) for r in line.repeats],
    }


def _repeat(ce: CorpusEvent) -> dict[str, Any]:
    return {"corpus_event_id": ce.id, "event_id": ce.events[0].event_id, "who": actor_line(ce), "cameo": ce.cameo,
            "modality": ce.modality}


def series_json(s: Series) -> dict[str, Any]:
    """Cooperation and conflict over time, as the chart draws them."""
    return {"period": s.period, "labels": [p for p, _, _ in s.points],
            "cooperation": [c for _, c, _ in s.points], "conflict": [k for _, _, k in s.points],
            "undated": dict(zip(("cooperation", "conflict"), s.undated, strict=True)),
            "year_only": dict(zip(("cooperation", "conflict"), s.year_only, strict=True))}


def _source_json(n: int, a: Article, duplicate_of: str | None) -> dict[str, Any]:
    return {"n": n, "doc": a.doc, "content_hash": a.content_hash, "citation": a.citation, "url": safe_url(a.url),
            "duplicate_of": duplicate_of}


def source_json(brief: Brief, n: int) -> dict[str, Any]:
    """The article cited as [n]."""
    a = brief.sources[n - 1]
    return _source_json(n, a, brief.duplicates.get(a.doc, (None,))[0])


def people_json(people: list[PersonEntry]) -> list[dict[str, Any]]:
    return [{"name": p.name, "actor": p.actor, "actor_name": actor_name(p.actor), "role": p.role, "events": p.events,
             "also_spelled": [{"variant": v.variant, "method": v.method, "score": v.score} for v in p.variants]}
            for p in people]


def figures_json(figures: list[Figure], cite: Callable[[str], int]) -> list[dict[str, Any]]:
    return [{"item": f.item, "unit": f.unit, "actor": f.actor, "actor_name": actor_name(f.actor), "status": f.status,
             "claims": [{"text": " ".join(c.claim.text.split()), "doc": c.claim.doc, "event_id": c.claim.event_id,
                         "citation": cite(c.claim.doc), "evidence": c.claim.evidence.sentence} for c in f.claims]}
            for f in figures]


def brief_json(brief: Brief) -> dict[str, Any]:
    """The whole brief as JSON: what the dyad page shows, and what its chart draws."""
    return {
        "a": brief.a, "b": brief.b, "a_name": brief.a_name, "b_name": brief.b_name,
        "counts": {str(q): n for q, n in brief.counts.items()},
        "series": series_json(brief.series), "n_lines": len(brief.lines), "n_articles": len(brief.sources),
        "timeline": [_line_json(brief.cite, line) for line in brief.lines],
        "people": people_json(brief.people), "figures": figures_json(brief.figures, brief.cite),
        "uncertain": brief.uncertain,
        "sources": [source_json(brief, n) for n in range(1, len(brief.sources) + 1)],
    }


def _canonical(a: str, b: str) -> tuple[str, str]:
    return a.upper(), b.upper()


def _dyads(request: Request) -> Dyads:
    return request.app.state.dyads  # type: ignore[no-any-return]


def page_of(request: Request, o: Outline, year: int | None, page_no: int) -> dict[str, Any]:
    """What one page of a dyad shows (its lines worded, the notes, the sources they cite), kept with the outline."""
    key = (year, page_no, LINES_PER_PAGE, NOTES_SHOWN)
    kept = o.pages.get(key)  # one lookup: another request may drop it meanwhile
    if kept is not None:
        return kept
    refs = [x for x in o.lines if year is None or (x.date or "").startswith(f"{year:04d}")]
    page_refs = refs[(page_no - 1) * LINES_PER_PAGE: page_no * LINES_PER_PAGE]
    with cursor(request) as con:
        lines, notes = shown(con, (o.a, o.b), page_refs, o.notes[:NOTES_SHOWN])
        shown_lines = [_line_json(o.cite, line) for line in lines]
        figures = figures_json(o.figures, o.cite)
        cited = sorted({n for line in shown_lines for n in line["citations"]} |
                       {c["citation"] for f in figures for c in f["claims"]})
        found = articles(con, [o.cited[n - 1] for n in cited])
    data = {
        "lines": shown_lines, "n_lines": len(refs), "pages": max(1, -(-len(refs) // LINES_PER_PAGE)),
        "sources": [_source_json(n, *found[o.cited[n - 1]]) for n in cited if o.cited[n - 1] in found],
        "brief": {"counts": {str(q): n for q, n in o.counts.items()}, "series": series_json(o.series),
                  "n_lines": len(o.lines), "n_articles": len(o.cited), "people": people_json(o.people),
                  "figures": figures, "uncertain": notes, "n_uncertain": len(o.notes)},
    }
    o.keep(key, data)
    return data


@router.get("/dyads/{a}/{b}", response_class=HTMLResponse, include_in_schema=False, response_model=None)
def dyad_page(request: Request, a: Key, b: Key, year: Year = None, page_no: PageNo = 1,
              ) -> HTMLResponse | RedirectResponse:
    a, b = _canonical(a, b)
    if a == b:
        return RedirectResponse(f"/actors/{a}", status_code=303)
    o = _dyads(request).outlines.get(a, b)
    data = page_of(request, o, year, page_no)
    brief = dict(data["brief"], a=a, b=b, a_name=actor_name(a), b_name=actor_name(b))  # the order asked for
    return page(request, "dyad.html", brief=brief, lines=data["lines"], n_lines=data["n_lines"], year=year,
                years=o.years, page_no=page_no, pages=data["pages"], sources=data["sources"])


def _pair_or_400(a: str, b: str) -> Response | None:
    if a == b:
        return Response(json.dumps({"detail": "a dyad needs two different actors"}), status_code=400,
                        media_type="application/json")
    return None


@router.get("/api/dyads/{a}/{b}", summary="The brief of two actors: counts, series, timeline, people, figures, sources")
def dyad_api(request: Request, a: Key, b: Key) -> Response:
    a, b = _canonical(a, b)
    if (bad := _pair_or_400(a, b)) is not None:
        return bad
    data = dict(_dyads(request).briefs.get(a, b), a=a, b=b, a_name=actor_name(a), b_name=actor_name(b))
    return Response(json.dumps(data, ensure_ascii=False, default=str), media_type="application/json")


@router.get("/api/dyads/{a}/{b}/series", summary="Cooperation and conflict between two actors over time (the chart)")
def dyad_series_api(request: Request, a: Key, b: Key) -> Response:
    a, b = _canonical(a, b)
    if (bad := _pair_or_400(a, b)) is not None:
        return bad
    o = _dyads(request).outlines.get(a, b)
    return Response(json.dumps({"a": a, "b": b, "counts": {str(q): n for q, n in o.counts.items()},
                                "series": series_json(o.series)}), media_type="application/json")
