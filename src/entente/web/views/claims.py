"""The claims (``/claims``): every figure the articles state, compared across sources, the
conflicting ones first (``claims.reconcile``, as ``entente claims``)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from ...claims.reconcile import STATUSES, Figure, reconcile
from ...corpus.tables import load_claims
from ...outputs.labels import actor_name
from ..render import StoreReader, cursor, page

router = APIRouter()

Status = Annotated[str | None, Query(pattern=r"^$|^(" + "|".join(STATUSES) + ")$", description="Only this status.")]
Actor = Annotated[str | None, Query(pattern=r"^$|^[A-Za-z]{3}$|^[Ii][Gg][Oo]:[A-Za-z0-9+&._]{1,24}$",
                                    description="Only figures of this actor.")]


def figures(request: Request, status: str | None = None, actor: str | None = None) -> dict[str, Any]:
    with cursor(request) as con:
        claims = load_claims(StoreReader(con, request.app.state.snapshot.status().source))
    found = reconcile(claims)
    counts = {s: sum(1 for f in found if f.status == s) for s in STATUSES}
    chosen = [f for f in found if (not status or f.status == status) and (not actor or f.actor == actor.upper())]
    return {"counts": counts, "figures": [_figure(f) for f in chosen], "status": status or None,
            "actor": actor.upper() if actor else None}


def _figure(f: Figure) -> dict[str, Any]:
    return {"id": f.id, "item": f.item, "unit": f.unit, "actor": f.actor, "actor_name": actor_name(f.actor),
            "status": f.status, "sources": f.sources,
            "claims": [{"text": " ".join(c.claim.text.split()), "value": c.claim.value, "low": c.claim.low,
                        "high": c.claim.high, "qualifier": c.claim.qualifier, "doc": c.claim.doc,
                        "citation": c.citation, "event_id": c.claim.event_id, "when": c.when,
                        "evidence": c.claim.evidence.sentence} for c in f.claims]}


@router.get("/claims", response_class=HTMLResponse, include_in_schema=False)
def claims_page(request: Request, status: Status = None, actor: Actor = None) -> HTMLResponse:
    return page(request, "claims.html", statuses=STATUSES, **figures(request, status or None, actor or None))


@router.get("/api/claims", summary="Figures stated across sources, each with its status, the conflicting first")
def claims_api(request: Request, status: Status = None, actor: Actor = None) -> Response:
    return Response(json.dumps(figures(request, status or None, actor or None), ensure_ascii=False, default=str),
                    media_type="application/json")
