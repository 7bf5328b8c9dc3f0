"""One article (``/articles/{doc_id}``): its text with each event's evidence in ``<mark>``, each actor
mention labelled in the manner of displaCy, and what the cleaner dropped greyed.

The markup is built from spans over ``documents.text`` (the offsets every table keeps): the
text is cut at every span boundary and each piece escaped, so nothing of the article is
ever taken as HTML.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from ...corpus.build import document_of
from ...corpus.tables import article_of
from ...documents.cleaning import clean
from ..render import CONTENT_HASH, DOC_ID, event_json, not_found, page, rows
from ..render import cursor as store_cursor

router = APIRouter()


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    key: str  # what the span is: an event id, a mention number, "dropped"
    label: str = ""  # the displaCy-style label of a mention
    title: str = ""  # the tooltip


def dropped_spans(text: str, kept: tuple[int, ...]) -> list[tuple[int, int]]:
    """The stretches of ``text`` the cleaner left out (``CleanDoc.offsets`` lists what it kept),
    without those that are only white space."""
    keep = bytearray(len(text))
    for i in kept[:-1]:
        if 0 <= i < len(text):
            keep[i] = 1
    out, start = [], None
    for i in range(len(text) + 1):
        gone = i < len(text) and not keep[i]
        if gone and start is None:
            start = i
        elif not gone and start is not None:
            if text[start:i].strip():
                out.append((start, i))
            start = None
    return out


def markup(text: str, marks: list[Span], ents: list[Span], dropped: list[tuple[int, int]], focus: str | None) -> Markup:
    """The text as HTML: evidence ``<mark>`` outside, actor mentions inside, dropped text innermost.

    The text is cut at every boundary; each piece knows which evidence, mention and dropped
    stretch cover it, and an element closes and opens again where what covers it changes,
    so the tags always nest.
    """
    cuts = sorted({0, len(text)} | {p for s in marks + ents for p in (s.start, s.end)}
                  | {p for span in dropped for p in span})
    cuts = [c for c in cuts if 0 <= c <= len(text)]
    out: list[str] = []
    open_mark: frozenset[str] | None = None
    open_ent: Span | None = None

    def close_ent(at: int) -> None:
        nonlocal open_ent
        if open_ent is not None:
            label = f'<span class="ent-label">{html.escape(open_ent.label)}</span>' if at >= open_ent.end else ""
            out.append(f"{label}</span>")
            open_ent = None

    for a, b in zip(cuts, cuts[1:], strict=False):
        if a == b:
            continue
        here = frozenset(s.key for s in marks if s.start <= a < s.end)
        ent = next((s for s in ents if s.start <= a < s.end), None)
        if here != (open_mark or frozenset()):
            close_ent(a)
            if open_mark:
                out.append("</mark>")
            open_mark = here or None
            if here:
                current = ' class="ev current" id="focus"' if focus in here else ' class="ev"'
                out.append(f'<mark{current} data-events="{html.escape(" ".join(sorted(here)))}">')
        if ent is not open_ent:
            close_ent(a)
            if ent is not None:
                out.append(f'<span class="ent" title="{html.escape(ent.title)}">')
                open_ent = ent
        piece = html.escape(text[a:b])
        if any(s <= a < e for s, e in dropped):
            piece = f'<span class="dropped" title="removed by the cleaner">{piece}</span>'
        out.append(piece)
    close_ent(len(text))
    if open_mark:
        out.append("</mark>")
    return Markup("".join(out))  # every piece of the article was escaped above


def article(con: duckdb.DuckDBPyConnection, doc_id: str, content_hash: str | None, focus: str | None) -> dict[str, Any]:
    """An article, its events, mentions and claims, and its text marked up."""
    found = rows(con, "SELECT * FROM documents WHERE doc_id = ? AND (? IS NULL OR content_hash = ?) "
                      "ORDER BY content_hash", [doc_id, content_hash, content_hash])
    if not found:
        raise not_found(f"no article {doc_id} in this store")
    doc = found[0]
    d = doc["doc_id"]  # an article's rows are its doc_id's (one text may be stored under two ids, one per source)
    events = [event_json(r) for r in rows(con, "SELECT * FROM events WHERE doc_id = ? ORDER BY evidence_start, event_id", [d])]
    mentions = rows(con, 'SELECT * FROM actor_mentions WHERE doc_id = ? ORDER BY start, "end"', [d])
    claims = rows(con, "SELECT claim_no, text, value, unit, item, qualifier, event_id, evidence_start, evidence_end "
                       "FROM claims WHERE doc_id = ? ORDER BY claim_no", [d])
    text = doc["text"] or ""
    cleaned = clean(document_of(article_of(doc)), _places())
    marks = [Span(m["start"], m["end"], e["event_id"]) for e in events for m in (e["mentions"] or [e["evidence"]])]
    ents = [Span(m["start"], m["end"], str(k), label=m["code"] or m["igo"] or "?",
                 title=" · ".join(x for x in (m["name"], m["person"], m["code"], m["matched_by"]) if x))
            for k, m in enumerate(mentions)]
    dropped = dropped_spans(text, cleaned.offsets)
    meta = {k: doc[k] for k in ("doc_id", "content_hash", "title", "url", "outlet", "path", "pub_date_precision",
                                "pub_date_origin")}
    meta["pub_date"] = doc["pub_date"].isoformat() if doc["pub_date"] else None
    return {"article": meta, "others": [r["content_hash"] for r in found[1:]], "events": events,
            "mentions": [{k: m[k] for k in ("start", "end", "text", "name", "person", "code", "matched_by")} for m in mentions],
            "claims": claims, "dropped": dropped, "text": text,
            "html": markup(text, marks, ents, dropped, focus)}


def _places() -> frozenset[str]:
    from ...actors.kb import load_kb

    return load_kb(()).place_names()


DocId = Annotated[str, Path(pattern=DOC_ID, description="The article's id (documents.doc_id).")]
Hash = Annotated[str | None, Query(pattern=CONTENT_HASH, description="Its content hash, when two articles share an id.")]
Focus = Annotated[str | None, Query(pattern=r"^[0-9A-Za-z_-]{1,64}$", description="An event to highlight.")]


@router.get("/articles/{doc_id:path}", response_class=HTMLResponse, include_in_schema=False)
def article_page(request: Request, doc_id: DocId, hash: Hash = None, event: Focus = None) -> HTMLResponse:
    with store_cursor(request) as con:
        data = article(con, doc_id, hash, event)
    return page(request, "article.html", focus=event, **data)


@router.get("/api/articles/{doc_id:path}", summary="One article: its text, events, actor mentions, claims and dropped parts")
def article_api(request: Request, doc_id: DocId, hash: Hash = None) -> Response:
    with store_cursor(request) as con:
        data = article(con, doc_id, hash, None)
    data.pop("html")
    return Response(json.dumps(data, ensure_ascii=False, default=str), media_type="application/json")
