"""The CAMEO 1.1b3 codebook, with Goldstein weights, QuadClass and PLOVER categories.

Data: ``data/cameo_codes.csv`` and ``data/cameo_to_plover.txt`` (see their headers).
PLOVER has no category for CAMEO's public statements (01): those map to None.
CAMEO 02 (appeal) has no lines in the conversion table; PLOVER folds appeals
into REQUEST, so 02x codes take REQUEST.
A few newer codes (155, 176, 1834, 1951, 1952) have no Goldstein weight in the
reference table ("NA"); they take the weight of their parent code (195 for 1951,
the root for 155 and 176), since each is a subtype of that parent.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..errors import DataFileError

#: PLOVER categories for CAMEO roots that the conversion table leaves out.
PLOVER_ROOT_FALLBACK = {"02": "REQUEST"}


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    root: str
    name: str
    goldstein: float
    quad_class: int
    plover: str | None
    description: str


def _data_text(name: str) -> str:
    return resources.files("entente.data").joinpath(name).read_text(encoding="utf-8")


def _read_plover() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in _data_text("cameo_to_plover.txt").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or ":" not in line:
            continue
        code, rest = line.split(":", 1)
        category = rest.split(",", 1)[0].strip()
        if code.strip().isdigit() and category:
            out[code.strip()] = category
    return out


@cache
def codebook() -> dict[str, Code]:
    """All CAMEO codes by code string ("01", "073", "0333")."""
    plover = _read_plover()
    out: dict[str, Code] = {}
    weights: dict[str, float] = {}
    rows = csv.DictReader(_data_text("cameo_codes.csv").splitlines())
    for row in rows:
        try:
            code = row["code"].strip()
            root = row["root"].strip()
            weight = _weight(row["goldstein"], code, root, weights)
            weights[code] = weight
            cat = plover.get(code) or plover.get(code[:3]) or plover.get(root)
            out[code] = Code(
                code=code,
                root=root,
                name=row["name"].strip(),
                goldstein=weight,
                quad_class=int(row["quad_class"]),
                plover=cat or PLOVER_ROOT_FALLBACK.get(root),
                description=row.get("description") or "",
            )
        except (KeyError, ValueError) as exc:
            raise DataFileError(f"cameo_codes.csv: bad row {row!r}: {exc}") from exc
    return out


def _weight(raw: str, code: str, root: str, known: dict[str, float]) -> float:
    if raw.strip().upper() != "NA":
        return float(raw)
    for parent in (code[:-1], code[:3], root):
        if parent in known:
            return known[parent]
    raise ValueError(f"no Goldstein weight for {code} or its parents")


def lookup(code: str) -> Code:
    """The codebook entry for ``code``; raises DataFileError for an unknown code."""
    try:
        return codebook()[code]
    except KeyError:
        raise DataFileError(f"unknown CAMEO code {code!r}: see data/cameo_codes.csv") from None


def root_of(code: str) -> str:
    return code[:2]
