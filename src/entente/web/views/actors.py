"""An actor (``/actors/{key}``): its events as source and as target, its partners, its people and
their roles; and the actor network (``/network``), weighted by events and coloured by mean Goldstein."""

from __future__ import annotations

import json
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from ...actors.names import roles_text
from ...outputs.labels import actor_name, sector_name
from ..render import ACTOR_KEY, corpus_event_json, cursor, not_found, page, rows
from .overview import monthly_series

router = APIRouter()

#: Recent events listed on an actor's page (the events table has them all).
RECENT = 25
#: Edges drawn by default on the network page: the busiest dyads (a dense graph is unreadable).
NETWORK_EDGES = 150
MAX_NETWORK_EDGES = 2000

Key = Annotated[str, Path(pattern=ACTOR_KEY, description="An actor key as in the output: IND, IGO:UN.")]


def actor(con: duckdb.DuckDBPyConnection, key: str) -> dict[str, Any]:
    """An actor's real-world events by role and QuadClass, partners, people (with their role at the
    time of their latest event) and latest events."""
    sides = rows(con, "SELECT CASE WHEN source_key = ? THEN 'source' ELSE 'target' END AS side, quad_class, count(*) AS n "
                      "FROM corpus_events WHERE (source_key = ? OR target_key = ?) AND modality <> 'negated' GROUP BY ALL",
                 [key, key, key])
    if not sides:
        raise not_found(f"no events of {key} in this store")
    partners = rows(con, "SELECT CASE WHEN actor_a = ? THEN actor_b ELSE actor_a END AS key, events, first_date, last_date, "
                         "goldstein_mean FROM dyads WHERE ? IN (actor_a, actor_b) ORDER BY events DESC, key", [key, key])
    people = rows(con, "SELECT person, sector, count(*) AS events, max(date_end) AS last_date FROM ("
                       "SELECT source_person AS person, source_sector AS sector, date_end FROM corpus_events WHERE source_key = ? "
                       "UNION ALL SELECT target_person, target_sector, date_end FROM corpus_events WHERE target_key = ?) "
                       "WHERE person IS NOT NULL GROUP BY person, sector ORDER BY events DESC, person", [key, key])
    recent = rows(con, "SELECT * FROM corpus_events WHERE (source_key = ? OR target_key = ?) AND modality <> 'negated' "
                       "ORDER BY date_end DESC NULLS LAST, corpus_event_id LIMIT ?", [key, key, RECENT])
    for p in partners:
        p["name"] = actor_name(p["key"])
    for p in people:
        last = p["last_date"].isoformat() if p["last_date"] else None
        p["role"] = roles_text(p["person"], last) or sector_name(p["sector"])
        p["last_date"] = last
    by_side = {s: {q: 0 for q in (1, 2, 3, 4)} for s in ("source", "target")}
    for r in sides:
        by_side[r["side"]][r["quad_class"]] = r["n"]
    return {"key": key, "name": actor_name(key), "by_side": by_side, "partners": partners, "people": people,
            "recent": [corpus_event_json(r) for r in recent],
            "series": monthly_series(con, "? IN (source_key, target_key)", [key])}


@router.get("/actors/{key}", response_class=HTMLResponse, include_in_schema=False)
def actor_page(request: Request, key: Key) -> HTMLResponse:
    with cursor(request) as con:
        data = actor(con, key.upper())
    return page(request, "actor.html", **data)


@router.get("/api/actors/{key}", summary="One actor: events by role and QuadClass, partners, people, latest events")
def actor_api(request: Request, key: Key) -> Response:
    with cursor(request) as con:
        data = actor(con, key.upper())
    return Response(json.dumps(data, ensure_ascii=False, default=str), media_type="application/json")


# -- the network ------------------------------------------------------------------------------------
def _label(key: str) -> str:
    """A node's label: an organisation's abbreviation (NATO, not North Atlantic Treaty Organization,
    whose full name covers its neighbours), a state's name."""
    return key[4:] if key.startswith("IGO:") else actor_name(key)


def network(con: duckdb.DuckDBPyConnection, edges: int = NETWORK_EDGES) -> dict[str, Any]:
    """The busiest dyads as a graph: an edge per dyad (its real-world events and mean Goldstein), a node
    per actor (its events within the drawn edges)."""
    found = rows(con, "SELECT actor_a, actor_b, events, goldstein_mean FROM dyads "
                      "ORDER BY events DESC, actor_a, actor_b LIMIT ?", [edges])
    total = rows(con, "SELECT count(*) AS n FROM dyads")[0]["n"]
    weight: dict[str, int] = {}
    for e in found:
        for k in (e["actor_a"], e["actor_b"]):
            weight[k] = weight.get(k, 0) + e["events"]
    return {
        "nodes": [{"id": k, "name": actor_name(k), "label": _label(k), "events": n} for k, n in sorted(weight.items())],
        "edges": [{"source": e["actor_a"], "target": e["actor_b"], "events": e["events"],
                   "goldstein_mean": e["goldstein_mean"], "href": f"/dyads/{e['actor_a']}/{e['actor_b']}"}
                  for e in found],
        "dyads_total": total,
    }


Edges = Annotated[int, Query(ge=1, le=MAX_NETWORK_EDGES, description="The busiest dyads drawn.")]


@router.get("/network", response_class=HTMLResponse, include_in_schema=False)
def network_page(request: Request, edges: Edges = NETWORK_EDGES) -> HTMLResponse:
    with cursor(request) as con:
        data = network(con, edges)
    return page(request, "network.html", edges_shown=edges, **data)


@router.get("/api/network", summary="The actor network: actors, and dyads weighted by events with their mean Goldstein")
def network_api(request: Request, edges: Edges = NETWORK_EDGES) -> Response:
    with cursor(request) as con:
        data = network(con, edges)
    return Response(json.dumps(data, ensure_ascii=False, default=str), media_type="application/json")
