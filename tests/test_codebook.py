"""The CAMEO codebook: every code loads, with its Goldstein weight, QuadClass and PLOVER category."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pytest

from entente.errors import DataFileError
from entente.events.codebook import codebook, lookup, root_of

REFERENCE = Path(__file__).parents[1] / ".." / "shared" / "reference" / "cameo_codes.csv"
#: QuadClass by root: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
QUAD_BY_ROOT = {**dict.fromkeys(["01", "02", "03", "04", "05"], 1), **dict.fromkeys(["06", "07", "08"], 2),
                **dict.fromkeys(["09", "10", "11", "12", "13"], 3),
                **dict.fromkeys(["14", "15", "16", "17", "18", "19", "20"], 4)}


def shipped_rows() -> list[dict[str, str]]:
    text = resources.files("entente.data").joinpath("cameo_codes.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_every_shipped_code_loads() -> None:
    codes = {r["code"] for r in shipped_rows()}
    assert set(codebook()) == codes
    assert len(codes) > 300
    assert {f"{n:02d}" for n in range(1, 21)} <= codes


def test_shipped_codes_match_the_shared_reference() -> None:
    if not REFERENCE.is_file():
        pytest.skip("shared reference not found")
    with REFERENCE.open(encoding="utf-8") as f:
        assert set(codebook()) == {r["code"] for r in csv.DictReader(f)}


def test_every_code_is_well_formed() -> None:
    for code, c in codebook().items():
        assert c.code == code and code.isdigit() and 2 <= len(code) <= 4
        assert c.root == root_of(code) == code[:2]
        assert c.name
        assert -10.0 <= c.goldstein <= 10.0
        assert c.quad_class == QUAD_BY_ROOT[c.root], code


@pytest.mark.parametrize(("code", "name", "goldstein", "quad", "plover"), [
    ("010", "Make statement", 0.0, 1, None),
    ("018", "Make empathetic comment", 3.4, 1, None),
    ("020", "Make an appeal or request", 3.0, 1, "REQUEST"),
    ("036", None, 4.0, 1, "AGREE"),
    ("042", "Make a visit", 1.9, 1, "CONSULT"),
    ("057", "Sign formal agreement", 8.0, 1, "SUPPORT"),
    ("062", None, 7.4, 2, "COOPERATE"),
    ("073", "Provide humanitarian aid", 7.4, 2, "AID"),
    ("16", None, -4.0, 4, "SANCTION"),
    ("190", None, -10.0, 4, "ASSAULT"),
])
def test_known_entries(code: str, name: str | None, goldstein: float, quad: int, plover: str | None) -> None:
    c = lookup(code)
    if name is not None:
        assert c.name == name
    assert (c.goldstein, c.quad_class, c.plover) == (goldstein, quad, plover)


def test_appeals_take_request() -> None:
    appeals = [c for c in codebook().values() if c.root == "02"]
    assert len(appeals) > 20
    assert all(c.plover == "REQUEST" for c in appeals)


def test_public_statements_have_no_plover_category() -> None:
    statements = [c for c in codebook().values() if c.root == "01"]
    assert len(statements) > 5
    assert all(c.plover is None for c in statements)


def test_every_other_code_has_a_plover_category() -> None:
    assert [c.code for c in codebook().values() if c.plover is None and c.root != "01"] == []


@pytest.mark.parametrize(("code", "parent"), [("155", "15"), ("176", "17"), ("1834", "183"), ("1951", "195"), ("1952", "195")])
def test_na_weights_inherit_from_the_parent(code: str, parent: str) -> None:
    raw = {r["code"]: r["goldstein"] for r in shipped_rows()}
    assert raw[code].strip().upper() == "NA"
    assert raw[parent].strip().upper() != "NA"
    assert lookup(code).goldstein == float(raw[parent])


def test_unknown_code_says_where_codes_live() -> None:
    with pytest.raises(DataFileError, match="cameo_codes.csv"):
        lookup("999")
