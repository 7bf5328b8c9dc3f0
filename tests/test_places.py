"""Places: regions.yaml (by hand) and places.tsv (GeoNames cities, built by scripts/build_places.py).

Checks that both files are well formed and do not collide with the rest of the knowledge base,
that the build script's filters drop what they should (on small made-up inputs, so the build
packages need not be installed), and that sentences resolve places to the right country.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest

from entente.actors.kb import KB, _as_list, _data, load_kb
from entente.actors.resolve import find_actors
from entente.model import Actor

ROOT = Path(__file__).resolve().parents[1]
STATUSES = {"region", "autonomous", "disputed", "breakaway", "occupied"}
REGION_FIELDS = {"name", "country", "status", "aliases", "adjectives", "note"}
COLUMNS = ["name", "country", "population", "aliases", "geonameid"]


def _regions() -> list[dict]:
    data = _data("regions.yaml")
    assert isinstance(data, list)
    return data


def _places_rows() -> list[list[str]]:
    text = resources.files("entente.data").joinpath("places.tsv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines[0].split("\t") == COLUMNS
    return [line.split("\t") for line in lines[1:]]


def _other_forms() -> dict[str, set[str]]:
    """Lower-cased forms of countries, IGOs, people and institutions -> their kinds."""
    kb = KB()
    for c in _as_list(_data("countries.yaml")):
        kb.add_country(c)
    for g in _as_list(_data("igos.yaml")):
        kb.add_igo(g)
    for p in _as_list(_data("people.yaml")):
        kb.add_person(p)
    for i in _as_list(_data("institutions.yaml")):
        kb.add_institution(i)
    out: dict[str, set[str]] = {}
    for form, entries in kb.forms.items():
        out.setdefault(form.lower(), set()).update(e.kind for e in entries)
    return out


def _build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_places", ROOT / "scripts" / "build_places.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_places"] = module
    spec.loader.exec_module(module)
    return module


def _region_forms(r: dict) -> list[str]:
    return [r["name"], *_as_list(r.get("aliases")), *_as_list(r.get("adjectives"))]


# -- regions.yaml ---------------------------------------------------------------------------------

def test_regions_are_well_formed() -> None:
    countries = {c["iso3"] for c in _data("countries.yaml")}
    regions = _regions()
    assert len(regions) >= 300
    for r in regions:
        assert set(r) <= REGION_FIELDS, r
        assert r["country"] in countries, r
        assert r["status"] in STATUSES, r
        assert all(isinstance(f, str) and f.strip() == f and f for f in _region_forms(r)), r


def test_region_forms_are_unique_and_new() -> None:
    counts = Counter(" ".join(f.lower().split()) for r in _regions() for f in _region_forms(r))
    assert [f for f, n in counts.items() if n > 1] == []
    other = _other_forms()
    assert sorted(f for f in counts if f in other) == []


def test_regions_follow_the_recognised_state_rule() -> None:
    by_name = {f.lower(): r["country"] for r in _regions() for f in _region_forms(r)}
    expected = {"abkhazia": "GEO", "south ossetia": "GEO", "transnistria": "MDA", "crimea": "UKR",
                "donbas": "UKR", "nagorno-karabakh": "AZE", "northern cyprus": "CYP", "somaliland": "SOM",
                "kashmir": "IND", "azad kashmir": "PAK", "gilgit-baltistan": "PAK", "golan heights": "SYR",
                "gaza": "PSE", "west bank": "PSE", "north kosovo": "XKX", "xinjiang": "CHN", "tibet": "CHN",
                "kurdistan": "IRQ", "rojava": "SYR", "chechnya": "RUS", "darfur": "SDN", "tigray": "ETH",
                "cabo delgado": "MOZ", "balochistan": "PAK", "sistan-baluchestan": "IRN", "catalonia": "ESP"}
    assert {k: by_name.get(k) for k in expected} == expected
    assert "punjab" not in by_name and "sahel" not in by_name  # ambiguous / not one country's


# -- places.tsv -----------------------------------------------------------------------------------

def test_places_file_is_well_formed() -> None:
    countries = {c["iso3"] for c in _data("countries.yaml")}
    rows = _places_rows()
    assert len(rows) > 3000
    ids = set()
    for row in rows:
        assert len(row) == len(COLUMNS), row
        name, country, population, _aliases, geonameid = row
        assert name and country in countries, row
        assert int(population) > 0 and int(geonameid) not in ids, row
        ids.add(int(geonameid))
    header = resources.files("entente.data").joinpath("places.tsv").read_text("utf-8")[:2000]
    assert "GeoNames" in header and "CC BY 4.0" in header


def _place_forms() -> Counter[str]:
    return Counter(" ".join(f.lower().split()) for row in _places_rows()
                   for f in [row[0], *row[3].split("|")] if f)


def test_place_forms_do_not_collide() -> None:
    forms = _place_forms()
    assert [f for f, n in forms.items() if n > 1] == []
    other = set(_other_forms()) | {f.lower() for r in _regions() for f in _region_forms(r)}
    assert sorted(f for f in forms if f in other) == []


@pytest.mark.parametrize("word", [
    "reading", "nice", "mobile", "split", "bath", "batman", "sale", "derby", "hull",  # common words
    "florence", "austin", "charlotte", "regina", "eugene", "jackson", "matsumoto",  # people's names
    "valencia", "santiago", "tripoli", "cambridge", "córdoba", "merida", "san jose",  # shared names
    "georgia", "jordan", "victoria", "hamilton", "east london", "shangri-la", "toyota"])
def test_places_leave_out_ambiguous_names(word: str) -> None:
    assert word not in _place_forms()


@pytest.mark.parametrize("word", ["danang", "odesa", "da nang", "jabalia", "izium", "novosibirsk", "surat",
                                  "mekelle", "kramatorsk", "nagpur", "mocimboa da praia"])
def test_kb_has_cities_beyond_capitals(word: str) -> None:
    assert any(e.kind == "city" for e in load_kb().lookup(word)), word


# -- the build script's filters -------------------------------------------------------------------

@pytest.fixture(scope="module")
def build() -> ModuleType:
    return _build_script()


def _lexicon(build: ModuleType):
    freq = {"reading": 5.1, "nice": 5.4, "high": 5.8, "point": 5.3, "tours": 4.1, "tour": 4.8, "surat": 2.9}
    return build.Lexicon(kb_forms={"london": frozenset({"GBR"}), "kyiv": frozenset({"UKR"})},
                         words=frozenset({"reading", "nice", "high", "point", "tour", "surat"}),
                         zipf=lambda w: freq.get(w, 1.0), first_names=frozenset({"florence"}),
                         surnames=frozenset({"matsumoto"}))


def test_filters_drop_words_names_collisions_and_namesakes(build: ModuleType) -> None:
    C = build.City
    cities = [C("Reading", "GB", 300_000, 1), C("Nice", "FR", 340_000, 2), C("High Point", "US", 110_000, 3),
              C("Tours", "FR", 140_000, 4), C("Florence", "IT", 380_000, 5), C("Matsumoto", "JP", 240_000, 6),
              C("Kyiv", "UA", 2_900_000, 7), C("East London", "ZA", 480_000, 8),
              C("Valencia", "ES", 800_000, 9), C("Valencia", "VE", 1_400_000, 10),
              C("Alexandria", "EG", 3_800_000, 11), C("Alexandria", "US", 150_000, 12),
              C("Surat", "IN", 4_600_000, 13), C("São Paulo", "BR", 12_400_000, 14), C("Bucha", "UA", 30_000, 15),
              C("Smallville", "US", 20_000, 16), C("Toyota", "JP", 420_000, 17)]
    iso3 = {"GB": "GBR", "FR": "FRA", "US": "USA", "IT": "ITA", "JP": "JPN", "UA": "UKR", "ZA": "ZAF",
            "ES": "ESP", "VE": "VEN", "EG": "EGY", "IN": "IND", "BR": "BRA"}
    sel = build.select(cities, _lexicon(build), iso3, extra={"UA": ["Bucha"]})
    kept = {f for _, forms in sel.kept for f in forms}
    assert kept == {"Alexandria", "Surat", "São Paulo", "Sao Paulo", "Bucha"}
    reasons = {item.split(" (")[0]: reason for reason, items in sel.dropped.items() for item in items}
    assert reasons["Reading"] == reasons["Nice"] == reasons["High Point"] == reasons["Tours"] == "common English word"
    assert reasons["Florence"] == reasons["Matsumoto"] == "person name"
    assert reasons["Kyiv"] == "in the knowledge base"
    assert reasons["East London"] == "contains another country's form"
    assert reasons["Valencia"] == "shared with another country"
    assert reasons["Toyota"] == "deny list"
    assert "Smallville" not in reasons  # under the population threshold: never considered


def test_filters_fold_and_check_form_shape(build: ModuleType) -> None:
    assert build.fold("Kraków") == "Krakow" and build.key("Saint-Paul") == build.key("saint paul")
    assert build.well_formed("Rio de Janeiro") and build.well_formed("Deir ez-Zor")
    assert not build.well_formed("Paris 15 Vaugirard") and not build.well_formed("Ota")
    assert not build.well_formed("Москва") and not build.well_formed("‘Afrīn")


# -- resolution -----------------------------------------------------------------------------------

def _actors(nlp, text: str) -> list[Actor]:
    doc = nlp(text)
    found = find_actors(doc, load_kb(), nlp)
    seen: list[Actor] = []
    for _s, _e, actors in found.spans:
        seen.extend(a for a in actors if a not in seen)
    return seen


def _one(nlp, text: str, surface: str) -> Actor:
    hits = [a for a in _actors(nlp, text) if surface in a.text]
    assert hits, f"{surface!r} not resolved in {text!r}"
    return hits[-1]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "surface", "country", "matched_by"), [
    ("The ministers held talks in Danang on Friday.", "Danang", "VNM", "city-location"),
    ("Grain left the Odesa port under the deal.", "Odesa", "UKR", "city-location"),
    ("The envoy arrived in Abkhazia on Monday.", "Abkhazia", "GEO", "region-location"),
    ("Shelling continued in the Donetsk region overnight.", "Donetsk", "UKR", None),
    ("Aid trucks entered Gaza through the Rafah crossing.", "Gaza", "PSE", "region-location"),
    ("Troops were deployed to Transnistria years ago.", "Transnistria", "MDA", "region-location"),
    ("Protests spread across Indian-administered Kashmir.", "Kashmir", "IND", "region-location"),
    ("Clashes broke out in Azad Kashmir last week.", "Azad Kashmir", "PAK", "region-location"),
    ("The minister toured the Golan Heights.", "Golan Heights", "SYR", "region-location"),
    ("Flooding hit Novosibirsk and nearby towns.", "Novosibirsk", "RUS", "city-location"),
    ("Storms hit New Jersey overnight.", "New Jersey", "USA", "region-location"),
])
def test_places_resolve_to_their_country(nlp, text: str, surface: str, country: str, matched_by: str | None) -> None:
    actor = _one(nlp, text, surface)
    assert actor.country == country
    if matched_by is not None:
        assert actor.matched_by == matched_by


@pytest.mark.slow
@pytest.mark.parametrize(("text", "surface", "code"), [
    ("Gaza's health ministry said 20 people were killed.", "Gaza", "PSEHLH"),  # CAMEO health sector
    ("Crimean authorities announced new restrictions.", "Crimean", "UKRGOV"),
])
def test_region_with_a_role_noun_stands_for_its_country(nlp, text: str, surface: str, code: str) -> None:
    actor = _one(nlp, text, surface)
    assert actor.code == code and actor.matched_by == "region-location+role"


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Reading the statement aloud, the spokesman paused.",
    "Split between two camps, the council adjourned.",
    "Nice weather greeted the delegates.",
    "Florence Pugh attended the premiere.",
    "The west bank of the river flooded.",
])
def test_common_words_are_not_places(nlp, text: str) -> None:
    assert [a for a in _actors(nlp, text) if a.matched_by.endswith("location")] == []
