"""What every view shares: the store cursor of a request, the templates and their filters, errors.

Templates are Jinja2 with autoescaping on for every file: article text, titles, names and
URLs are escaped wherever they are printed. A URL becomes a link only through
``safe_url`` (http and https only); data for scripts goes through ``tojson``, which escapes
``<``, ``>``, ``&`` and quotes.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import duckdb
from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from jinja2.bccache import Bucket

from ..outputs.brief import safe_url
from ..outputs.labels import actor_name, code_name, describe_actor, plural, quad_name, sector_name
from ..store import date_label, row_to_json

#: An actor key in a URL: ISO alpha-3 (IND) or IGO:abbrev (IGO:UN, IGO:OPEC+), as the store writes them.
ACTOR_KEY = r"^(?:[A-Za-z]{3}|[Ii][Gg][Oo]:[A-Za-z0-9][A-Za-z0-9+&._]{0,23})$"
#: An event id (16 hex digits today; a little room for other ids).
EVENT_ID = r"^[0-9A-Za-z_-]{1,64}$"
#: A document id: the file name without its suffix, a record id or FILE:N; no control characters.
DOC_ID = r"^[^\x00-\x1f\x7f]{1,300}$"
#: A content hash (documents.content_hash).
CONTENT_HASH = r"^[0-9a-f]{16,64}$"


class CompiledTemplates(FileSystemBytecodeCache):
    """Templates compiled once and kept, as Python keeps ``.pyc`` files: in ``templates/`` of the data cache
    (``$ENTENTE_CACHE``, ``ENTENTE_CACHE=off`` for none). A template whose text changes is compiled
    again; a cache that cannot be written is only not kept."""

    def load_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            Path(self.directory).mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)


def _env() -> Environment:
    from ..actors.kb import _cache_dir

    folder = _cache_dir()
    env = Environment(loader=PackageLoader("entente.web", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True,
                      bytecode_cache=CompiledTemplates(str(folder / "templates")) if folder else None)
    env.filters.update(actor_name=actor_name, describe=describe_actor, code_name=code_name, quad_name=quad_name,
                       plural=plural, safe_url=safe_url, sector_name=sector_name, num=lambda n: f"{n:,}",
                       signed=lambda x: f"{x:+.1f}" if x is not None else "–",
                       urlpart=lambda s: quote(str(s), safe=""))
    env.globals.update(query=query_string)
    return env



def query_string(params: dict[str, Any], **changes: Any) -> str:
    """``?a=1&b=2`` from a request's filters with some changed (None drops one); "" when empty."""
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return "?" + urlencode(merged) if merged else ""


@contextmanager
def cursor(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only cursor on the store's current snapshot for this request."""
    with request.app.state.snapshot.connection() as con:
        yield con


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def one(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> dict[str, Any] | None:
    found = rows(con, sql, params)
    return found[0] if found else None


def event_json(row: dict[str, Any]) -> dict[str, Any]:
    """A stored event as the output contract has it, plus what the pages add: the person on each side,
    the code's name, and the real-world event it belongs to (when the row has it)."""
    out = row_to_json(row)
    for side in ("source", "target"):
        if out[side] is not None:
            out[side]["person"] = row.get(f"{side}_person")
            out[side]["key"] = row.get(f"{side}_key")
    out["cameo_name"] = code_name(row["cameo"])
    if "corpus_event_id" in row:
        out["corpus_event_id"] = row["corpus_event_id"]
        out["n_sources"] = row.get("n_sources")
    return out


def corpus_event_json(row: dict[str, Any]) -> dict[str, Any]:
    """A ``corpus_events`` row (one real-world event) for the JSON API and the pages."""
    def side(p: str) -> dict[str, Any] | None:
        if row.get(f"{p}_code") is None and row.get(f"{p}_text") is None:
            return None
        return {k: row.get(f"{p}_{k}") for k in ("key", "text", "name", "person", "country", "igo", "sector", "code",
                                                 "parent")}

    return {"corpus_event_id": row["corpus_event_id"], "source": side("source"), "target": side("target"),
            "cameo": row["cameo"], "cameo_name": code_name(row["cameo"]), "root": row["root"],
            "goldstein": row["goldstein"], "quad_class": row["quad_class"], "plover": row["plover"],
            "date": date_label(row["date_start"], row["date_precision"]), "date_precision": row["date_precision"],
            "modality": row["modality"], "n_sources": row["n_sources"], "n_articles": row["n_articles"],
            "n_mentions": row["n_mentions"], "doc_ids": list(row["doc_ids"] or []),
            "event_ids": list(row["event_ids"] or [])}


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page with what every page shows: the snapshot's state and the navigation."""
    snap = request.app.state.snapshot.status()
    taken = snap.taken_at.astimezone().strftime("%H:%M:%S") if snap.taken_at else None
    context.setdefault("nav", None)
    html = ENV.get_template(template).render(request=request, snap=snap, taken=taken, now=datetime.now(UTC), **context)
    return HTMLResponse(html, status_code=status_code)


def not_found(what: str) -> HTTPException:
    return HTTPException(status_code=404, detail=what)


def clean_text(value: str | None) -> str | None:
    """A query string's text, trimmed; None when empty."""
    if value is None:
        return None
    value = re.sub(r"\s+", " ", value).strip()
    return value or None


class StoreReader:
    """A request's cursor as the corpus readers of ``corpus.tables`` want a store (``tables.Reader``)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str) -> None:
        self.con, self.path = con, path

    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        return rows(self.con, sql, params)

    def corpus_stale(self) -> bool:
        return False  # every page says so itself, in its banner


#: The templates, with the filters and globals above.
ENV = _env()
