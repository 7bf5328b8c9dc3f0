"""PLOVER / POLECAT JSON Lines: one event per line, in the PLOVER manual's fields.

Each corpus event (one real-world event, every report merged) becomes one object that
validates against ``data/plover.schema.json`` (written from the PLOVER manual). Decisions:

- **event**: the PLOVER category of the CAMEO code (``data/cameo_to_plover.txt``). PLOVER
  drops CAMEO 01 (public statements); so does the export, unless ``statements=True``
  keeps them with ``has_event: false`` and an empty ``event``. (entente maps CAMEO 02,
  appeals, to REQUEST: see ``events/codebook.py``.)
- **mode**: the conversion table's mode when the manual lists it for the category. A few
  table modes have a manual equivalent (``MODE_ALIASES``: assassinate -> targeted, …);
  the others (ease, return, cleansing …) are left out, so ``mode`` may be empty.
- **context**: the table's contexts, spelt as the manual spells them (``CONTEXT_ALIASES``:
  humanitarian -> human_security, democracy -> pro_democracy), plus PLOVER's auxiliary
  mode for the modality: intended -> ``future``, hypothetical -> ``hypothetical``,
  negated -> ``negation`` (``modality`` also says it in words).
- **actor / recipient**: lists of entities. An event both sides do together (meet, agree)
  puts both in ``actor`` and leaves ``recipient`` empty, as the manual does for reciprocal
  events; for CAMEO 043 (host a visit) the visitor is the actor and the host the
  recipient, as PLOVER's CONSULT ``visit`` mode has it. An entity's ``code`` is its country
  (ISO alpha-3) or, for an organisation, UNO (the UN and its bodies), EUR (the EU and its
  bodies) or IGO; ``sector`` is PLOVER's sector code (CAMEO's MED media is JRN, HLH
  health is MED), the CAMEO sector staying in ``cameo_sector``.
- **date**: PLOVER wants YYYY-MM-DD, so a date known to the month or year gives the
  first day of its interval in ``date`` and the last in ``enddate``; ``date_precision``
  says which. Undated events are left out (PLOVER requires a date).
- ``quad_code`` is the category's quad category in the manual; ``cameo``, ``goldstein``,
  ``num_mentions``, ``num_sources``, ``num_articles`` and ``sources`` (every report, with
  its sentences and offsets) are entente's additions.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from datetime import UTC
from functools import cache
from importlib import resources
from typing import Any

from ..corpus.build import Corpus, CorpusEvent
from ..model import Actor
from ..store import date_interval
from ..store.provenance import version

#: Table modes the manual names differently.
MODE_ALIASES = {"assassinate": "targeted", "massacre": "targeted", "ban": "restrict"}
#: Table contexts the manual names differently.
CONTEXT_ALIASES = {"humanitarian": "human_security", "democracy": "pro_democracy"}
#: PLOVER's auxiliary mode for each modality (the manual puts it in ``context``).
AUXILIARY = {"intended": "future", "hypothetical": "hypothetical", "negated": "negation"}
#: CAMEO sectors that PLOVER codes differently (the rest keep their code when PLOVER has it).
SECTOR_ALIASES = {"MED": "JRN", "HLH": "MED", "SEP": "REB", "INS": "REB", "NGO": "SOC"}
#: PLOVER's codes for organisations: the root organisation (following parents) -> code.
ORGANISATION_CODES = {"UN": "UNO", "EU": "EUR"}
ORGANISATION_DEFAULT = "IGO"
CODEBOOK = "CAMEO 1.1b3, converted by the CAMEO-to-PLOVER table (draft 0.8)"


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of one exported event (``data/plover.schema.json``)."""
    return json.loads(resources.files("entente.data").joinpath("plover.schema.json").read_text("utf-8"))


def _defs(name: str) -> Any:
    d = schema()["$defs"][name]
    return d["const"] if "const" in d else d["enum"]


@cache
def conversion() -> dict[str, tuple[str, str, list[str]]]:
    """CAMEO code -> (category, table mode, table contexts) from ``data/cameo_to_plover.txt``."""
    out: dict[str, tuple[str, str, list[str]]] = {}
    text = resources.files("entente.data").joinpath("cameo_to_plover.txt").read_text("utf-8")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        code, sep, rest = line.partition(":")
        if not sep or not code.strip().isdigit():
            continue
        parts = [p.strip() for p in rest.split(",")]
        contexts = [c.strip() for c in parts[2].split(";") if c.strip()] if len(parts) > 2 else []
        out.setdefault(code.strip(), (parts[0], parts[1] if len(parts) > 1 else "", contexts))
    return out


def mode_and_context(cameo: str, category: str | None, modality: str) -> tuple[list[str], list[str]]:
    """PLOVER modes and contexts of a CAMEO code in a category, with the modality's auxiliary mode."""
    table = conversion()
    _, mode, contexts = table.get(cameo) or table.get(cameo[:3]) or ("", "", [])
    allowed = _defs("modes_of_category").get(category or "", [])
    mode = MODE_ALIASES.get(mode, mode)
    general = set(_defs("general_context"))
    ctx = [c for c in dict.fromkeys(CONTEXT_ALIASES.get(c, c) for c in contexts) if c in general]
    if modality in AUXILIARY:
        ctx.append(AUXILIARY[modality])
    return ([mode] if mode in allowed else []), ctx


@cache
def _igo_parents() -> dict[str, str | None]:
    from ..actors.kb import load_kb

    return {ab: g.get("parent") for ab, g in load_kb(()).igos.items()}


def organisation_code(igo: str | None, parent: str | None = None) -> str:
    """PLOVER's entity code of an organisation: UNO, EUR, or IGO (following parents: UNSC -> UN)."""
    parents = _igo_parents()
    seen: set[str] = set()
    node, first_parent = igo, parent  # the actor's own parent, where it records one, comes first
    while node and node not in seen:
        if node in ORGANISATION_CODES:
            return ORGANISATION_CODES[node]
        seen.add(node)
        node, first_parent = first_parent or parents.get(node), None
    return ORGANISATION_DEFAULT


def entity(a: Actor) -> dict[str, Any]:
    """A PLOVER entity object for an actor."""
    sectors = set(_defs("sector"))
    sector = SECTOR_ALIASES.get(a.sector or "", a.sector)
    code = a.country or organisation_code(a.igo, getattr(a, "parent", None))
    return {"code": code, "sector": sector if sector in sectors else None, "cameo_sector": a.sector,
            "entity_text": a.text, "identifier_text": a.person or a.name, "country": a.country, "igo": a.igo}


def _sides(ce: CorpusEvent) -> tuple[list[Actor], list[Actor]]:
    if ce.target is None:
        return [ce.source], []
    if ce.symmetric:
        return [ce.source, ce.target], []
    if ce.cameo.startswith("043"):  # the source hosts: PLOVER's visitor is the actor
        return [ce.target], [ce.source]
    return [ce.source], [ce.target]


def _sources(corpus: Corpus, ce: CorpusEvent) -> list[dict[str, Any]]:
    out = []
    for e in ce.events:
        a = corpus.articles.get(e.doc)
        out.append({"doc_id": e.doc, "event_id": e.event_id, "title": a.title if a else None,
                    "url": a.url if a else None, "outlet": a.outlet if a else None,
                    "pub_date": a.pub_date if a else None, "path": a.path if a else None, "modality": e.modality,
                    "mentions": [{"sentence": m.sentence, "start": m.start, "end": m.end}
                                 for m in (e.mentions or (e.evidence,))]})
    return out


def _coded_date(corpus: Corpus, ce: CorpusEvent) -> str | None:
    times = [a.processed_at for e in ce.events if (a := corpus.articles.get(e.doc)) and a.processed_at]
    return min(t if t.tzinfo else t.replace(tzinfo=UTC) for t in times).astimezone(UTC).date().isoformat() if times else None


def plover_event(corpus: Corpus, ce: CorpusEvent) -> dict[str, Any] | None:
    """One corpus event as a PLOVER record; None when undated (PLOVER requires a date)."""
    start, end, precision = date_interval(ce.date)
    if start is None:
        return None
    category = ce.plover
    modes, contexts = mode_and_context(ce.cameo, category, ce.modality)
    actors, recipients = _sides(ce)
    sources = _sources(corpus, ce)
    record: dict[str, Any] = {
        "id": ce.id, "has_event": category is not None, "date": start, "date_precision": precision,
        "event": [category] if category else [], "mode": modes, "context": contexts,
        "actor": [entity(a) for a in actors], "recipient": [entity(a) for a in recipients],
        "modality": ce.modality,
        "event_text": [m["sentence"] for s in sources for m in s["mentions"]],
        "cite_info": {"url": sources[0]["url"], "title": sources[0]["title"], "publication": sources[0]["outlet"],
                      "coder": f"entente {version()}", "codebook": CODEBOOK},
        "coder": f"entente {version()}", "coded_date": _coded_date(corpus, ce),
        "cameo": ce.cameo, "goldstein": ce.goldstein, "num_mentions": ce.n_mentions, "num_sources": ce.n_sources,
        "num_articles": len(ce.events), "sources": sources,
    }
    if precision != "day":
        record["enddate"] = end
    if category:
        record["quad_code"] = _defs("quad_of_category")[category]
    return record


def write_plover(corpus: Corpus, events: Iterable[CorpusEvent], out: str, statements: bool = False) -> Counter[str]:
    """Write the PLOVER JSON Lines file; returns what was left out, by reason."""
    left_out: Counter[str] = Counter()
    with open(out, "w", encoding="utf-8") as f:
        for ce in events:
            if ce.plover is None and not statements:
                left_out["CAMEO 01 statements (no PLOVER category; --statements keeps them)"] += 1
                continue
            record = plover_event(corpus, ce)
            if record is None:
                left_out["undated"] += 1
                continue
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return left_out
