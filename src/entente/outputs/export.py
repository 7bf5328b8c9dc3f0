"""Export the corpus events (one row per real-world event, every source listed) to other tools.

- ``gdelt``: the GDELT 2.0 event table, 61 columns, headerless (``gdelt.py``);
- ``plover``: PLOVER JSON Lines that validate against ``data/plover.schema.json`` (``plover.py``);
- ``parquet``: one row per corpus event, every field, dates as DATE, lists kept as lists;
- ``graphml``: a directed graph: one node per actor (country or organisation) and per
  event, an edge actor→event for the source and event→actor for the target (stdlib XML).

Every export carries ``modality``. Negated events are never exported unless asked for
(``modality`` "negated" or "all"); intended and hypothetical events are marked, and
left out of the GDELT table by default (it has no column to mark them; ``extra`` adds one).
The store is opened read-only: the corpus tables are read as ``run`` left them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from ..corpus.build import Corpus, CorpusEvent
from ..errors import EntenteError
from ..model import Actor
from ..store import date_interval
from ..store.queries import modalities
from .gdelt import GDELT_COLUMNS, global_event_id, write_gdelt  # noqa: F401  (re-exported)
from .plover import write_plover

FORMATS = ("gdelt", "plover", "parquet", "graphml")
#: The modalities each format exports unless asked otherwise.
DEFAULT_MODALITIES = {"gdelt": ("asserted",), "plover": ("asserted", "intended", "hypothetical"),
                      "parquet": ("asserted", "intended", "hypothetical"),
                      "graphml": ("asserted", "intended", "hypothetical")}


class ExportError(EntenteError):
    """An export cannot be written."""


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What to export and how.

    ``modality``: asserted, intended, hypothetical, negated (a comma list) or "all"; by
    default the format's own (``DEFAULT_MODALITIES``). ``header`` and ``extra`` apply to
    GDELT (a header row; entente's columns after the 61), ``statements`` to PLOVER
    (keep CAMEO 01 events, which PLOVER drops), ``raw`` to GDELT (cells as they are, without
    the ``'`` before a would-be spreadsheet formula).
    """

    dyad: str | None = None
    modality: str | tuple[str, ...] | None = None
    header: bool = False
    extra: bool = False
    statements: bool = False
    raw: bool = False


@dataclass
class ExportSummary:
    written: int
    left_out: Counter[str] = field(default_factory=Counter)  # reason -> events


def select(events: Iterable[CorpusEvent], fmt: str, opts: ExportOptions) -> tuple[list[CorpusEvent], Counter[str]]:
    """The events of the dyad and modalities asked for; the others counted by reason."""
    wanted = DEFAULT_MODALITIES[fmt] if opts.modality is None else modalities(opts.modality)
    if fmt == "gdelt" and set(wanted) - {"asserted"} and not opts.extra:
        raise ExportError("the GDELT table has no modality column: add --extra to export "
                          f"{', '.join(m for m in wanted if m != 'asserted')} events with entente's columns after the 61")
    left_out: Counter[str] = Counter()
    kept = []
    want_dyad = None
    if opts.dyad:
        a, _, b = opts.dyad.upper().partition("-")
        want_dyad = {a, b}
    for ce in events:
        if want_dyad is not None and ce.dyad != want_dyad:
            continue
        if ce.modality not in wanted:
            left_out[ce.modality] += 1
            continue
        kept.append(ce)
    return kept, left_out


def export(db: str, fmt: str, out: str, options: ExportOptions = ExportOptions()) -> ExportSummary:
    """Write the corpus events of a store to ``out`` in ``fmt``; returns what was written and left out."""
    from ..corpus.tables import load

    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    corpus = load(db)
    events, left_out = select(corpus.corpus_events, fmt, options)
    dropped: Counter[str] = Counter()  # left out by the format itself
    try:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        if fmt == "gdelt":
            dropped = write_gdelt(corpus, events, out, header=options.header, extra=options.extra, raw=options.raw)
        elif fmt == "plover":
            dropped = write_plover(corpus, events, out, statements=options.statements)
        elif fmt == "parquet":
            write_parquet(corpus, events, out)
        else:
            write_graphml(corpus, events, out)
    except OSError as exc:
        raise ExportError(f"{out}: cannot write: {exc.strerror or exc}: choose another --out") from exc
    return ExportSummary(written=len(events) - sum(dropped.values()), left_out=left_out + dropped)


# -- Parquet -------------------------------------------------------------------------------------
def parquet_rows(corpus: Corpus, events: Iterable[CorpusEvent]) -> list[dict[str, Any]]:
    from datetime import date

    rows = []
    for ce in events:
        s, t = ce.source, ce.target
        start, end, _ = date_interval(ce.date)
        rows.append({
            "corpus_event_id": ce.id, "date": ce.date, "date_start": date.fromisoformat(start) if start else None,
            "date_end": date.fromisoformat(end) if end else None, "date_precision": ce.date_precision,
            "modality": ce.modality, "symmetric": ce.symmetric,
            "source_key": s.key, "source_code": s.code, "source_country": s.country, "source_igo": s.igo,
            "source_sector": s.sector, "source_person": s.person,
            "target_key": t.key if t else None, "target_code": t.code if t else None,
            "target_country": t.country if t else None, "target_igo": t.igo if t else None,
            "target_sector": t.sector if t else None, "target_person": t.person if t else None,
            "cameo": ce.cameo, "root": ce.root, "goldstein": ce.goldstein, "quad_class": ce.quad_class,
            "plover": ce.plover, "n_mentions": ce.n_mentions, "n_sources": ce.n_sources, "n_articles": len(ce.events),
            "doc_ids": ce.docs, "event_ids": [e.event_id for e in ce.events],
            "evidence": [m.sentence for e in ce.events for m in (e.mentions or (e.evidence,))],
        })
    return rows


def parquet_schema() -> Any:
    import pyarrow as pa

    text = pa.string()
    return pa.schema([
        ("corpus_event_id", text), ("date", text), ("date_start", pa.date32()), ("date_end", pa.date32()),
        ("date_precision", text), ("modality", text), ("symmetric", pa.bool_()),
        ("source_key", text), ("source_code", text), ("source_country", text), ("source_igo", text),
        ("source_sector", text), ("source_person", text),
        ("target_key", text), ("target_code", text), ("target_country", text), ("target_igo", text),
        ("target_sector", text), ("target_person", text),
        ("cameo", text), ("root", text), ("goldstein", pa.float64()), ("quad_class", pa.int8()), ("plover", text),
        ("n_mentions", pa.int32()), ("n_sources", pa.int32()), ("n_articles", pa.int32()),
        ("doc_ids", pa.list_(text)), ("event_ids", pa.list_(text)), ("evidence", pa.list_(text)),
    ])


def write_parquet(corpus: Corpus, events: Iterable[CorpusEvent], out: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(parquet_rows(corpus, events), schema=parquet_schema()), out)


# -- GraphML -------------------------------------------------------------------------------------
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
NODE_KEYS = [("kind", "string"), ("label", "string"), ("country", "string"), ("igo", "string"),
             ("cameo", "string"), ("root", "string"), ("date", "string"), ("date_precision", "string"),
             ("modality", "string"), ("goldstein", "double"), ("quad_class", "int"), ("n_sources", "int")]
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
                     ("root", ce.root), ("date", ce.date), ("date_precision", ce.date_precision),
                     ("modality", ce.modality), ("goldstein", ce.goldstein), ("quad_class", ce.quad_class),
                     ("n_sources", ce.n_sources)):
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
