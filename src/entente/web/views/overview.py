"""The overview (``/``): counts, cooperation and conflict per month, top dyads and actors, latest events."""

from __future__ import annotations

import json
from typing import Any

import duckdb
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ...outputs.brief import month_range
from ...outputs.labels import CONFLICT, COOPERATION, actor_name
from ..render import corpus_event_json, cursor, page, rows

router = APIRouter()

#: Dyads, actors and latest events listed on the overview.
TOP = 10
LATEST = 10
#: The events counted in the charts: real-world events reported as done.
COUNTED = "modality = 'asserted'"


def overview(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """What the overview shows, from the corpus tables (each real-world event once)."""
    counts = rows(con, "SELECT (SELECT count(*) FROM documents) AS documents, (SELECT count(*) FROM events) AS events, "
                       "(SELECT count(*) FROM corpus_events) AS corpus_events, (SELECT count(*) FROM claims) AS claims, "
                       "(SELECT count(DISTINCT k) FROM (SELECT source_key AS k FROM corpus_events UNION ALL "
                       "SELECT target_key FROM corpus_events) WHERE k IS NOT NULL) AS actors")[0]
    dyads = rows(con, "SELECT actor_a, actor_b, events, first_date, last_date, goldstein_mean FROM dyads "
                      "ORDER BY events DESC, actor_a, actor_b LIMIT ?", [TOP])
    actors = rows(con, "SELECT k AS key, count(*) AS events FROM (SELECT source_key AS k FROM corpus_events "
                       "WHERE modality <> 'negated' UNION ALL SELECT target_key FROM corpus_events WHERE modality <> 'negated') "
                       "WHERE k IS NOT NULL GROUP BY k ORDER BY events DESC, k LIMIT ?", [TOP])
    latest = rows(con, "SELECT * FROM corpus_events WHERE date_start IS NOT NULL AND modality <> 'negated' "
                       "ORDER BY date_end DESC, date_start DESC, corpus_event_id LIMIT ?", [LATEST])
    for d in dyads:
        d["name_a"], d["name_b"] = actor_name(d["actor_a"]), actor_name(d["actor_b"])
    for a in actors:
        a["name"] = actor_name(a["key"])
    return {"counts": counts, "series": monthly_series(con), "dyads": dyads, "actors": actors,
            "latest": [corpus_event_json(r) for r in latest]}


def monthly_series(con: duckdb.DuckDBPyConnection, where: str = "TRUE", params: list[Any] | None = None) -> dict[str, Any]:
    """Asserted real-world events per month, cooperation (QuadClass 1-2) and conflict (3-4) as two
    series; events without a date, or dated only to the year, counted apart (``where`` narrows)."""
    coop, conf = ", ".join(map(str, COOPERATION)), ", ".join(map(str, CONFLICT))
    found = rows(con, f"SELECT strftime(date_start, '%Y-%m') AS month, "
                      f"count(*) FILTER (WHERE quad_class IN ({coop})) AS cooperation, "
                      f"count(*) FILTER (WHERE quad_class IN ({conf})) AS conflict FROM corpus_events "
                      f"WHERE {COUNTED} AND date_precision IN ('month', 'day') AND ({where}) GROUP BY month ORDER BY month",
                 params)
    apart = rows(con, f"SELECT date_precision IS NULL AS undated, count(*) FILTER (WHERE quad_class IN ({coop})) AS cooperation, "
                      f"count(*) FILTER (WHERE quad_class IN ({conf})) AS conflict FROM corpus_events "
                      f"WHERE {COUNTED} AND (date_precision IS NULL OR date_precision = 'year') AND ({where}) GROUP BY ALL",
                 params)
    by = {r["undated"]: r for r in apart}
    counts = {r["month"]: r for r in found}
    months = month_range(found[0]["month"], found[-1]["month"]) if found else []  # every month, the empty ones too
    return {"months": months, "cooperation": [counts.get(m, {}).get("cooperation", 0) for m in months],
            "conflict": [counts.get(m, {}).get("conflict", 0) for m in months],
            "undated": {k: by.get(True, {}).get(k, 0) for k in ("cooperation", "conflict")},
            "year_only": {k: by.get(False, {}).get(k, 0) for k in ("cooperation", "conflict")}}


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def overview_page(request: Request) -> HTMLResponse:
    with cursor(request) as con:
        data = overview(con)
    return page(request, "overview.html", **data)


@router.get("/api/overview", summary="Counts, cooperation and conflict per month, top dyads and actors, latest events")
def overview_api(request: Request) -> Response:
    with cursor(request) as con:
        data = overview(con)
    return Response(json.dumps(data, ensure_ascii=False, default=str), media_type="application/json")
