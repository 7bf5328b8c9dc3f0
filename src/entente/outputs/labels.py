"""Words for what the store keeps as codes: actors, sectors, CAMEO codes, QuadClasses, counts.

The brief and the web app say "India (military)" rather than INDMIL, "Make a visit" rather
than 042 and "1 event" rather than "1 events"; the codes stay in the JSON and, in HTML, in a
tooltip. Names come from the knowledge base (countries, organisations) and the data files
(``sectors.yaml``, ``cameo_codes.csv``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from ..errors import EntenteError

QUAD_CLASSES = {1: "Verbal cooperation", 2: "Material cooperation", 3: "Verbal conflict", 4: "Material conflict"}
#: QuadClasses counted as cooperation and as conflict in the charts (CAMEO's own split).
COOPERATION = (1, 2)
CONFLICT = (3, 4)
#: Irregular plurals of the nouns the pages count.
PLURALS = {"person": "people", "story": "stories", "country": "countries", "body": "bodies"}


def _names() -> tuple[dict[str, str], dict[str, str]]:
    from ..actors.kb import entity_names  # cached there

    return entity_names()


@cache
def _sector_names() -> dict[str, str]:
    raw = resources.files("entente.data").joinpath("sectors.yaml").read_text("utf-8")
    data = yaml.safe_load(raw) or {}
    return {code: str(spec["name"]) for code, spec in data.items()
            if isinstance(spec, dict) and spec.get("name") and code.isupper()}


def warm() -> None:
    """Load the names of states and organisations and of sectors now rather than on first use."""
    _names()
    _sector_names()


def actor_name(key: str | None) -> str:
    """An actor key's name: IND -> India, IGO:UN -> United Nations; the key itself when unknown."""
    if not key:
        return "unknown"
    countries, igos = _names()
    if key.startswith("IGO:"):
        return igos.get(key[4:]) or key[4:]
    return countries.get(key) or key


def sector_name(code: str | None) -> str | None:
    """A CAMEO sector in words, lower case: GOV -> government, MIL -> military."""
    if not code:
        return None
    names = _sector_names()
    name = names.get(code) or names.get(code[:3])
    return name.lower() if name else code


def describe_actor(side: dict[str, Any] | None) -> str:
    """One side of an event in words: "Narendra Modi (India)", "India (military)", "United Nations Security Council".

    ``side`` has the output contract's keys (``text``, ``name``, ``country``, ``igo``,
    ``sector``, ``person``): an event's source or target, or a store row's columns without
    their prefix.
    """
    if not side:
        return "no one named"
    country, igo = side.get("country"), side.get("igo")
    if country:
        place = actor_name(country)
    elif igo:
        place = actor_name(f"IGO:{igo}")
    else:
        place = side.get("name") or side.get("text") or "unknown"
    person = side.get("person")
    if person:
        return f"{person} ({place})" if place != person else person
    sector = sector_name(side.get("sector")) if country else None
    return f"{place} ({sector})" if sector else place


def code_name(cameo: str | None) -> str:
    """A CAMEO code's name (042 -> Make a visit); the code itself when the codebook lacks it."""
    from ..events.codebook import lookup

    if not cameo:
        return "unknown"
    try:
        return lookup(cameo).name
    except EntenteError:
        return cameo


def quad_name(quad: int | None) -> str:
    return QUAD_CLASSES.get(quad or 0, "unknown")


def plural(n: int, noun: str) -> str:
    """"1 event", "2 events", "3 people"."""
    return f"{n:,} {noun if n == 1 else PLURALS.get(noun, noun + 's')}"
