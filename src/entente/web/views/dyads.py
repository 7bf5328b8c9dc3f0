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
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...corpus.build import CorpusEvent
from ...corpus.tables import load_dyad
from ...outputs.brief import Brief, Line, actor_codes, actor_line, excerpt, make_brief, safe_url
from ...outputs.labels import actor_name, code_name
from ..render import ACTOR_KEY, StoreReader, page
from ..snapshot import Snapshot

router = APIRouter()

#: Timeline lines per page of a dyad.
LINES_PER_PAGE = 100
#: Briefs kept in memory, each for the copy of the store it was made from. A first view reads
#: the dyad's events and groups them (about 0.2 s for 900 events); the next views, and each
#: year and page of it, only render.
CACHED_BRIEFS = 32

Key = Annotated[str, Path(pattern=ACTOR_KEY, description="An actor key as in the output: IND, IGO:UN.")]
Year = Annotated[int | None, Query(ge=1, le=9999, description="Only the timeline of this year.")]
PageNo = Annotated[int, Query(alias="page", ge=1, le=100_000)]


@dataclass(frozen=True, slots=True)
class DyadBrief:
    """A dyad's brief as the page shows it: everything but the timeline as JSON, the timeline's lines
    turned into JSON a page at a time (a page shows ``LINES_PER_PAGE`` of them)."""

    brief: Brief
    head: dict[str, Any]  # brief_json without the timeline
    years: list[str]  # the years of the dated lines
    _whole: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)  # the whole brief_json, once asked

    def whole(self) -> dict[str, Any]:
        """The whole brief as JSON (the API's), made on the first call."""
        if "json" not in self._whole:
            self._whole["json"] = brief_json(self.brief)
        return self._whole["json"]

    def lines(self, year: int | None = None) -> list[Line]:
        return [x for x in self.brief.lines if year is None or (x.date or "").startswith(f"{year:04d}")]

    def line_json(self, lines: list[Line]) -> list[dict[str, Any]]:
        return [_line_json(self.brief, line) for line in lines]

    def sources_json(self, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The sources cited by these lines (as ``line_json`` made them) and by the figures, in citation order."""
        cited = {n for line in lines for n in line["citations"]}
        cited |= {c["citation"] for f in self.head["figures"] for c in f["claims"]}
        return [source_json(self.brief, n) for n in sorted(cited)]


class Briefs:
    """The briefs of the dyads asked for lately, per copy of the store (least recently used out)."""

    def __init__(self, snapshot: Snapshot, size: int = CACHED_BRIEFS) -> None:
        self.snapshot, self.size = snapshot, size
        self._items: OrderedDict[tuple[int, str, str], DyadBrief] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, a: str, b: str) -> DyadBrief:
        a, b = sorted((a, b))  # one brief for both orders: the pages name the pair as asked
        key = (self.snapshot.status().generation, a, b)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        with self.snapshot.connection() as con:
            corpus = load_dyad(StoreReader(con, str(self.snapshot.source)), a, b)
        brief = make_brief(corpus, a, b)
        item = DyadBrief(brief, brief_json(brief, whole=False),
                         sorted({line.date[:4] for line in brief.lines if line.date}))
        with self._lock:
            self._items[key] = item
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return item


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


def series_json(brief: Brief) -> dict[str, Any]:
    """Cooperation and conflict over time, as the chart draws them."""
    s = brief.series
    return {"period": s.period, "labels": [p for p, _, _ in s.points],
            "cooperation": [c for _, c, _ in s.points], "conflict": [k for _, _, k in s.points],
            "undated": dict(zip(("cooperation", "conflict"), s.undated, strict=True)),
            "year_only": dict(zip(("cooperation", "conflict"), s.year_only, strict=True))}


def source_json(brief: Brief, n: int) -> dict[str, Any]:
    """The article cited as [n]."""
    a = brief.sources[n - 1]
    return {"n": n, "doc": a.doc, "content_hash": a.content_hash, "citation": a.citation, "url": safe_url(a.url),
            "duplicate_of": brief.duplicates.get(a.doc, (None,))[0]}


def brief_json(brief: Brief, whole: bool = True) -> dict[str, Any]:
    """The brief as JSON: what the dyad page shows, and what its chart draws. Without ``whole``,
    neither the timeline's lines nor the sources: the page makes those of the lines it shows."""
    return {
        "a": brief.a, "b": brief.b, "a_name": brief.a_name, "b_name": brief.b_name,
        "counts": {str(q): n for q, n in brief.counts.items()},
        "series": series_json(brief), "n_lines": len(brief.lines), "n_articles": len(brief.sources),
        **({"timeline": [_line_json(brief, line) for line in brief.lines]} if whole else {}),
        "people": [{"name": p.name, "actor": p.actor, "actor_name": actor_name(p.actor), "role": p.role,
                    "events": p.events, "also_spelled": [{"variant": v.variant, "method": v.method, "score": v.score}
                                                         for v in p.variants]} for p in brief.people],
        "figures": [{"item": f.item, "unit": f.unit, "actor": f.actor, "actor_name": actor_name(f.actor),
                     "status": f.status, "claims": [{"text": " ".join(c.claim.text.split()), "doc": c.claim.doc,
                                                     "event_id": c.claim.event_id, "citation": brief.cite(c.claim.doc),
                                                     "evidence": c.claim.evidence.sentence}
                                                    for c in f.claims]} for f in brief.figures],
        "uncertain": brief.uncertain,
        **({"sources": [source_json(brief, n) for n in range(1, len(brief.sources) + 1)]} if whole else {}),
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
    dyad = _briefs(request).get(a, b)
    data = dict(dyad.head, a=a, b=b, a_name=actor_name(a), b_name=actor_name(b))  # the order asked for
    lines = dyad.lines(year)
    pages = max(1, -(-len(lines) // LINES_PER_PAGE))
    shown = dyad.line_json(lines[(page_no - 1) * LINES_PER_PAGE: page_no * LINES_PER_PAGE])
    return page(request, "dyad.html", brief=data, lines=shown, n_lines=len(lines), year=year, years=dyad.years,
                page_no=page_no, pages=pages, sources=dyad.sources_json(shown))


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
    data = dict(_briefs(request).get(a, b).whole(), a=a, b=b, a_name=actor_name(a), b_name=actor_name(b))
    return Response(json.dumps(data, ensure_ascii=False, default=str), media_type="application/json")


@router.get("/api/dyads/{a}/{b}/series", summary="Cooperation and conflict between two actors over time (the chart)")
def dyad_series_api(request: Request, a: Key, b: Key) -> Response:
    a, b = _canonical(a, b)
    if (bad := _pair_or_400(a, b)) is not None:
        return bad
    dyad = _briefs(request).get(a, b)
    return Response(json.dumps({"a": a, "b": b, "counts": dyad.head["counts"], "series": dyad.head["series"]}),
                    media_type="application/json")
