"""A dyad (``/dyads/{A}/{B}``): the brief of two actors, made interactive.

The same ``Brief`` as ``entente brief A B`` (``outputs.brief.make_brief`` over
``corpus.tables.load_dyad``): one line per happening with its source count, key people
with the role they held at the time, figures with their reconciliation status, what
remains uncertain, and citations that open the article at its sentence.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...corpus.build import CorpusEvent
from ...corpus.tables import load_dyad
from ...errors import EntenteError
from ...outputs.brief import Brief, Line, actor_codes, actor_line, excerpt, make_brief, safe_url
from ...outputs.labels import actor_name, code_name
from ..render import ACTOR_KEY, StoreReader, page
from ..snapshot import Snapshot

router = APIRouter()

#: Timeline lines per page of a dyad.
LINES_PER_PAGE = 200
#: Briefs kept in memory, each for the copy of the store it was made from. The first view of a
#: dyad of thousands of events takes a second or more (every event of the dyad is read and
#: grouped); the next views, and each year and page of it, take milliseconds.
CACHED_BRIEFS = 32
#: The busiest dyads, whose briefs are made as soon as a copy of the store is served (the
#: overview links to them), so that even their first view is quick.
PREPARED_DYADS = 10

Key = Annotated[str, Path(pattern=ACTOR_KEY, description="An actor key as in the output: IND, IGO:UN.")]
Year = Annotated[int | None, Query(ge=1, le=9999, description="Only the timeline of this year.")]
PageNo = Annotated[int, Query(alias="page", ge=1, le=100_000)]


class Briefs:
    """The briefs of the dyads asked for lately, as JSON, per copy of the store (least recently used out)."""

    def __init__(self, snapshot: Snapshot, size: int = CACHED_BRIEFS) -> None:
        self.snapshot, self.size = snapshot, size
        self._items: OrderedDict[tuple[int, str, str], dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, a: str, b: str) -> dict[str, Any]:
        a, b = sorted((a, b))  # one brief for both orders: the pages name the pair as asked
        key = (self.snapshot.status().generation, a, b)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        with self.snapshot.connection() as con:
            corpus = load_dyad(StoreReader(con, str(self.snapshot.source)), a, b)
        data = brief_json(make_brief(corpus, a, b))
        with self._lock:
            self._items[key] = data
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return data

    def prepare(self) -> None:
        """Make the briefs of the busiest dyads now (in the caller's thread)."""
        try:
            with self.snapshot.connection() as con:
                top = con.execute("SELECT actor_a, actor_b FROM dyads ORDER BY events DESC, actor_a, actor_b LIMIT ?",
                                  [PREPARED_DYADS]).fetchall()
            for a, b in top:
                self.get(a, b)
        except (EntenteError, duckdb.Error):  # no copy yet, or it was replaced meanwhile: the next one will do
            return

    def prepare_in_background(self) -> None:
        threading.Thread(target=self.prepare, name="entente-briefs", daemon=True).start()


def _line_json(brief: Brief, line: Line) -> dict[str, Any]:
    ce = line.event
    quoted = next((e for e in ce.events if e.date == ce.date), ce.events[0])
    return {
        "date": ce.date, "who": actor_line(ce), "codes": actor_codes(ce), "cameo": ce.cameo,
        "cameo_name": code_name(ce.cameo), "quad_class": ce.quad_class, "goldstein": ce.goldstein,
        "modality": ce.modality, "corpus_event_id": ce.id, "event_id": quoted.event_id, "doc": quoted.doc,
        "evidence": excerpt(ce), "n_sources": line.n_sources,
        "citations": sorted({brief.cite(d) for d in line.docs}),
        "repeats": [_repeat(r) for r in line.repeats],
    }


def _repeat(ce: CorpusEvent) -> dict[str, Any]:
    return {"corpus_event_id": ce.id, "event_id": ce.events[0].event_id, "who": actor_line(ce), "cameo": ce.cameo,
            "modality": ce.modality}


def brief_json(brief: Brief) -> dict[str, Any]:
    """The brief as JSON: what the dyad page shows, and what its chart draws."""
    s = brief.series
    return {
        "a": brief.a, "b": brief.b, "a_name": brief.a_name, "b_name": brief.b_name,
        "counts": {str(q): n for q, n in brief.counts.items()},
        "series": {"period": s.period, "labels": [p for p, _, _ in s.points],
                   "cooperation": [c for _, c, _ in s.points], "conflict": [k for _, _, k in s.points],
                   "undated": dict(zip(("cooperation", "conflict"), s.undated, strict=True)),
                   "year_only": dict(zip(("cooperation", "conflict"), s.year_only, strict=True))},
        "timeline": [_line_json(brief, line) for line in brief.lines],
        "people": [{"name": p.name, "actor": p.actor, "actor_name": actor_name(p.actor), "role": p.role,
                    "events": p.events, "also_spelled": [{"variant": v.variant, "method": v.method, "score": v.score}
                                                         for v in p.variants]} for p in brief.people],
        "figures": [{"item": f.item, "unit": f.unit, "actor": f.actor, "actor_name": actor_name(f.actor),
                     "status": f.status, "claims": [{"text": " ".join(c.claim.text.split()), "doc": c.claim.doc,
                                                     "event_id": c.claim.event_id, "citation": brief.cite(c.claim.doc),
                                                     "evidence": c.claim.evidence.sentence}
                                                    for c in f.claims]} for f in brief.figures],
        "uncertain": brief.uncertain,
        "sources": [{"n": k, "doc": a.doc, "content_hash": a.content_hash, "citation": a.citation,
                     "url": safe_url(a.url), "duplicate_of": brief.duplicates.get(a.doc, (None,))[0]}
                    for k, a in enumerate(brief.sources, 1)],
    }


def _canonical(a: str, b: str) -> tuple[str, str]:
    return a.upper(), b.upper()


def _briefs(request: Request) -> Briefs:
    return request.app.state.briefs  # type: ignore[no-any-return]


@router.get("/dyads/{a}/{b}", response_class=HTMLResponse, include_in_schema=False, response_model=None)
def dyad_page(request: Request, a: Key, b: Key, year: Year = None, page_no: PageNo = 1,
              ) -> HTMLResponse | RedirectResponse:
    a, b = _canonical(a, b)
    if a == b:
        return RedirectResponse(f"/actors/{a}", status_code=303)
    data = dict(_briefs(request).get(a, b))
    data.update(a=a, b=b, a_name=actor_name(a), b_name=actor_name(b))  # the order asked for
    lines = [x for x in data["timeline"] if year is None or (x["date"] or "").startswith(f"{year:04d}")]
    years = sorted({x["date"][:4] for x in data["timeline"] if x["date"]})
    pages = max(1, -(-len(lines) // LINES_PER_PAGE))
    shown = lines[(page_no - 1) * LINES_PER_PAGE: page_no * LINES_PER_PAGE]
    return page(request, "dyad.html", brief=data, lines=shown, n_lines=len(lines), year=year, years=years,
                page_no=page_no, pages=pages)


@router.get("/api/dyads/{a}/{b}", summary="The brief of two actors: counts, series, timeline, people, figures, sources")
def dyad_api(request: Request, a: Key, b: Key) -> Response:
    a, b = _canonical(a, b)
    if a == b:
        return Response(json.dumps({"detail": "a dyad needs two different actors"}), status_code=400,
                        media_type="application/json")
    data = dict(_briefs(request).get(a, b), a=a, b=b, a_name=actor_name(a), b_name=actor_name(b))
    return Response(json.dumps(data, ensure_ascii=False, default=str), media_type="application/json")
