"""The overview (``/``): counts, cooperation and conflict over time, top dyads and actors, latest events."""

from __future__ import annotations

import json
from typing import Any

import duckdb
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ...outputs.brief import MONTHLY_SPAN_MONTHS, month_range
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
    series; events without a date, or dated only to the year, counted apart (``where`` narrows).
    Per year instead, those dated only to the year placed too, when the months would span more than
    the brief's ``MONTHLY_SPAN_MONTHS`` (a month's bar over decades is a hairline)."""
    coop, conf = ", ".join(map(str, COOPERATION)), ", ".join(map(str, CONFLICT))
    counted = f"count(*) FILTER (WHERE quad_class IN ({coop})) AS cooperation, " \
              f"count(*) FILTER (WHERE quad_class IN ({conf})) AS conflict FROM corpus_events WHERE {COUNTED}"
    found = rows(con, f"SELECT strftime(date_start, '%Y-%m') AS period, {counted} "
                      f"AND date_precision IN ('month', 'day') AND ({where}) GROUP BY period ORDER BY period", params)
    apart = rows(con, f"SELECT date_precision IS NULL AS undated, {counted} "
                      f"AND (date_precision IS NULL OR date_precision = 'year') AND ({where}) GROUP BY ALL", params)
    by = {r["undated"]: r for r in apart}
    period, labels = "month", month_range(found[0]["period"], found[-1]["period"]) if found else []  # the empty too
    if len(labels) > MONTHLY_SPAN_MONTHS:
        found = rows(con, f"SELECT strftime(date_start, '%Y') AS period, {counted} "
                          f"AND date_precision IS NOT NULL AND ({where}) GROUP BY period ORDER BY period", params)
        period, labels = "year", [str(y) for y in range(int(found[0]["period"]), int(found[-1]["period"]) + 1)]
        by.pop(False, None)  # the years place the events dated only to the year
    counts = {r["period"]: r for r in found}
    return {"period": period, "labels": labels,
            "cooperation": [counts.get(m, {}).get("cooperation", 0) for m in labels],
            "conflict": [counts.get(m, {}).get("conflict", 0) for m in labels],
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
