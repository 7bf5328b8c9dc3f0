"""Export the corpus events (one row per real-world event, every source listed) to other tools.

- ``gdelt``: tab-separated, with a header of GDELT 2.0 event-table column names, for the
  columns entente fills (GLOBALEVENTID … SOURCEURL). GDELT's own files have no header;
  its column names are used so that GDELT tooling maps the columns by name. A date known
  only to the month fills MonthYear and Year and leaves SQLDATE empty, rather than
  inventing a day.
- ``plover``: a JSON array of events in PLOVER's categories (event type, mode and context
  from the CAMEO→PLOVER conversion table), actor and recipient as in POLECAT, the dataset
  coded in PLOVER.
- ``parquet``: one row per corpus event, every field, lists kept as lists (pyarrow).
- ``graphml``: a directed graph: one node per actor (country or organisation) and per
  event, an edge actor→event for the source and event→actor for the target (stdlib XML).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from ..corpus.build import Corpus, CorpusEvent, build
from ..errors import EntenteError
from ..model import Actor

FORMATS = ("gdelt", "plover", "parquet", "graphml")

GDELT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1Type1Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2Type1Code",
    "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "DATEADDED", "SOURCEURL",
]


class ExportError(EntenteError):
    """An export cannot be written."""


def export(db: str, fmt: str, out: str, dyad: str | None = None) -> int:
    """Write the corpus events of a store (optionally of one dyad, "KAZ-IND") to ``out``; returns the count."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    corpus = build(db)
    events = corpus.corpus_events
    if dyad:
        a, _, b = dyad.upper().partition("-")
        events = [ce for ce in events if ce.dyad == {a, b}]
    writer = {"gdelt": write_gdelt, "plover": write_plover, "parquet": write_parquet, "graphml": write_graphml}[fmt]
    try:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        writer(corpus, events, out)
    except OSError as exc:
        raise ExportError(f"{out}: cannot write: {exc.strerror or exc}: choose another --out") from exc
    return len(events)


def _sources(corpus: Corpus, ce: CorpusEvent) -> list[dict[str, Any]]:
    out = []
    for e in ce.events:
        a = corpus.articles.get(e.doc)
        out.append({"doc": e.doc, "title": a.title if a else None, "url": a.url if a else None,
                    "outlet": a.outlet if a else None, "pub_date": a.pub_date if a else None,
                    "path": a.path if a else None, "event_id": e.event_id,
                    "mentions": [{"sentence": m.sentence, "start": m.start, "end": m.end}
                                 for m in (e.mentions or (e.evidence,))]})
    return out


# -- GDELT ---------------------------------------------------------------------------------------
def global_event_id(ce: CorpusEvent) -> int:
    """A stable integer id (GDELT's ids are integers): the corpus event id read as hex, 60 bits."""
    return int(ce.id[:15], 16)


def _fraction(d: str | None) -> str:
    if not d or len(d) != 10:
        return ""
    day = date.fromisoformat(d)
    return f"{day.year + (day.timetuple().tm_yday - 1) / 365:.4f}"


def _gdelt_actor(a: Actor | None) -> list[str]:
    if a is None:
        return [""] * 5
    name = a.person or a.name or a.text
    return [a.code or "", (name or "").upper(), a.country or "", a.igo or "", a.sector or ""]


def gdelt_row(corpus: Corpus, ce: CorpusEvent, added: str) -> list[str]:
    d = ce.date or ""
    first = corpus.articles.get(ce.events[0].doc)
    url = next((corpus.articles[e.doc].url for e in ce.events if e.doc in corpus.articles and corpus.articles[e.doc].url), None)
    return [
        str(global_event_id(ce)), d.replace("-", "") if len(d) == 10 else "",
        d[:7].replace("-", "") if len(d) >= 7 else "", d[:4], _fraction(d),
        *_gdelt_actor(ce.source), *_gdelt_actor(ce.target),
        ce.cameo, ce.cameo[:3], ce.root, str(ce.quad_class), f"{ce.goldstein:g}",
        str(ce.n_mentions), str(ce.n_sources), str(len(ce.events)), added,
        url or (first.path if first else ""),
    ]


def write_gdelt(corpus: Corpus, events: Iterable[CorpusEvent], out: str) -> None:
    added = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(GDELT_COLUMNS)
        for ce in events:
            w.writerow(gdelt_row(corpus, ce, added))


# -- PLOVER --------------------------------------------------------------------------------------
@cache
def plover_modes() -> dict[str, tuple[str, list[str]]]:
    """CAMEO code -> (PLOVER mode, PLOVER contexts), from ``data/cameo_to_plover.txt``."""
    out: dict[str, tuple[str, list[str]]] = {}
    text = resources.files("entente.data").joinpath("cameo_to_plover.txt").read_text("utf-8")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        code, sep, rest = line.partition(":")
        if not sep or not code.strip().isdigit():
            continue
        parts = [p.strip() for p in rest.split(",")]
        mode = parts[1] if len(parts) > 1 else ""
        context = [c.strip() for c in parts[2].split(";") if c.strip()] if len(parts) > 2 else []
        out[code.strip()] = (mode, context)
    return out


def _plover_actor(a: Actor | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"name": a.person or a.name or a.text, "code": a.code, "country": a.country, "igo": a.igo,
            "sector": a.sector, "text": a.text}


def plover_event(corpus: Corpus, ce: CorpusEvent) -> dict[str, Any]:
    mode, context = plover_modes().get(ce.cameo) or plover_modes().get(ce.cameo[:3]) or ("", [])
    return {
        "id": ce.id, "date": ce.date, "date_precision": ce.date_precision,
        "event_type": ce.plover, "mode": mode or None, "context": context,
        "actor": _plover_actor(ce.source), "recipient": _plover_actor(ce.target),
        "cameo": ce.cameo, "goldstein": ce.goldstein, "quad_class": ce.quad_class,
        "num_mentions": ce.n_mentions, "num_sources": ce.n_sources, "num_articles": len(ce.events),
        "text": ce.events[0].evidence.sentence, "sources": _sources(corpus, ce),
    }


def write_plover(corpus: Corpus, events: Iterable[CorpusEvent], out: str) -> None:
    with open(out, "w", encoding="utf-8") as f:
        json.dump([plover_event(corpus, ce) for ce in events], f, ensure_ascii=False, indent=2)
        f.write("\n")


# -- Parquet -------------------------------------------------------------------------------------
def parquet_rows(corpus: Corpus, events: Iterable[CorpusEvent]) -> list[dict[str, Any]]:
    rows = []
    for ce in events:
        s, t = ce.source, ce.target
        rows.append({
            "corpus_event_id": ce.id, "date": ce.date, "date_precision": ce.date_precision,
            "source_code": s.code, "source_country": s.country, "source_igo": s.igo, "source_sector": s.sector,
            "source_person": s.person, "target_code": t.code if t else None, "target_country": t.country if t else None,
            "target_igo": t.igo if t else None, "target_sector": t.sector if t else None,
            "target_person": t.person if t else None, "cameo": ce.cameo, "root": ce.root,
            "goldstein": ce.goldstein, "quad_class": ce.quad_class, "plover": ce.plover,
            "n_mentions": ce.n_mentions, "n_sources": ce.n_sources, "n_articles": len(ce.events),
            "docs": ce.docs, "event_ids": [e.event_id for e in ce.events],
            "evidence": [m.sentence for e in ce.events for m in (e.mentions or (e.evidence,))],
        })
    return rows


def write_parquet(corpus: Corpus, events: Iterable[CorpusEvent], out: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = parquet_rows(corpus, events)
    schema = pa.schema([
        ("corpus_event_id", pa.string()), ("date", pa.string()), ("date_precision", pa.string()),
        ("source_code", pa.string()), ("source_country", pa.string()), ("source_igo", pa.string()),
        ("source_sector", pa.string()), ("source_person", pa.string()), ("target_code", pa.string()),
        ("target_country", pa.string()), ("target_igo", pa.string()), ("target_sector", pa.string()),
        ("target_person", pa.string()), ("cameo", pa.string()), ("root", pa.string()), ("goldstein", pa.float64()),
        ("quad_class", pa.int32()), ("plover", pa.string()), ("n_mentions", pa.int32()), ("n_sources", pa.int32()),
        ("n_articles", pa.int32()), ("docs", pa.list_(pa.string())), ("event_ids", pa.list_(pa.string())),
        ("evidence", pa.list_(pa.string())),
    ])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), out)


# -- GraphML -------------------------------------------------------------------------------------
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
NODE_KEYS = [("kind", "string"), ("label", "string"), ("country", "string"), ("igo", "string"),
             ("cameo", "string"), ("root", "string"), ("date", "string"), ("goldstein", "double"),
             ("quad_class", "int"), ("n_sources", "int")]
EDGE_KEYS = [("role", "string"), ("sector", "string"), ("person", "string")]


def write_graphml(corpus: Corpus, events: Iterable[CorpusEvent], out: str) -> None:
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    for name, kind in NODE_KEYS:
        ET.SubElement(root, f"{{{GRAPHML_NS}}}key", {"id": name, "for": "node", "attr.name": name, "attr.type": kind})
    for name, kind in EDGE_KEYS:
        ET.SubElement(root, f"{{{GRAPHML_NS}}}key", {"id": f"e_{name}", "for": "edge", "attr.name": name,
                                                      "attr.type": kind})
    graph = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", {"id": "entente", "edgedefault": "directed"})

    def data(parent: ET.Element, key: str, value: Any) -> None:
        if value is not None and value != "":
            ET.SubElement(parent, f"{{{GRAPHML_NS}}}data", {"key": key}).text = str(value)

    actors: dict[str, Actor] = {}
    event_nodes = []
    edges = []
    for ce in events:
        event_nodes.append(ce)
        for role, a in (("source", ce.source), ("target", ce.target)):
            if a is None or not a.key:
                continue
            actors.setdefault(a.key, a)
            edges.append((a.key, ce.id, role, a) if role == "source" else (ce.id, a.key, role, a))
    for key, a in sorted(actors.items()):
        node = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": key})
        data(node, "kind", "actor")
        data(node, "label", a.igo if a.igo and not a.country else (corpus_name(a) or key))
        data(node, "country", a.country)
        data(node, "igo", a.igo)
    for ce in event_nodes:
        node = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": ce.id})
        for k, v in (("kind", "event"), ("label", f"{ce.cameo} {ce.date or 'undated'}"), ("cameo", ce.cameo),
                     ("root", ce.root), ("date", ce.date), ("goldstein", ce.goldstein),
                     ("quad_class", ce.quad_class), ("n_sources", ce.n_sources)):
            data(node, k, v)
    for n, (src, dst, role, a) in enumerate(edges):
        edge = ET.SubElement(graph, f"{{{GRAPHML_NS}}}edge", {"id": f"e{n}", "source": src, "target": dst})
        data(edge, "e_role", role)
        data(edge, "e_sector", a.sector)
        data(edge, "e_person", a.person)
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)


def corpus_name(a: Actor) -> str | None:
    """A country's name rather than a person's for an actor node."""
    from ..actors.kb import load_kb

    return load_kb(()).country_name(a.country) or a.name
