"""Organisations (data/organisations.yaml and the generated organisations_phoenix.yaml):
the files are well formed, no surface form is shared with another knowledge-base entry,
and organisations resolve to their country and sector in sentences.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from entente.actors.kb import KB, ORGANISATION_FILES, load_kb
from entente.api import resolve_actor

FIELDS = {"name", "aliases", "acronyms", "country", "sector", "earlier", "kind", "note"}
KINDS = {"armed group", "criminal group", "party", "movement", "government", "intelligence", "police",
         "border guard", "coast guard", "military", "central bank", "government agency", "state media", "media",
         "legislature", "court", "election commission", "company", "ngo", "think tank", "trade union",
         "religious body"}
#: Sectors of the state itself: an organisation with one of them must name its state.
STATE_SECTORS = {"GOV", "MIL", "SPY", "COP", "LEG", "JUD"}
#: The hand-written file should stay a real gazetteer, not a sample.
MIN_ENTRIES = 600


def _data(name: str) -> Any:
    path = resources.files("entente.data").joinpath(name)
    return yaml.safe_load(path.read_text("utf-8")) if path.is_file() else None


def _entries() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name in ORGANISATION_FILES:
        data = _data(name)
        if data is not None:
            assert isinstance(data, list), f"{name}: a YAML list of organisations"
            out += data
    return out


def _forms(o: dict[str, Any]) -> list[str]:
    return [o["name"], *(o.get("aliases") or []), *(o.get("acronyms") or [])]


def _norm(form: str) -> str:
    """Compared without case or apostrophes: "Peoples Liberation Army" would be China's army."""
    return " ".join(str(form).replace("\u2019", "").replace("'", "").split()).lower()


def test_hand_written_file_is_large() -> None:
    assert len(_data("organisations.yaml")) >= MIN_ENTRIES


def test_entries_are_well_formed() -> None:
    countries = {c["iso3"] for c in _data("countries.yaml")}
    sectors = {k for k in _data("sectors.yaml") if len(k) == 3 and k.isupper()}
    names: set[str] = set()
    for o in _entries():
        assert isinstance(o, dict) and set(o) <= FIELDS, o
        assert {"name", "country", "sector", "kind"} <= set(o), f"name, country, sector and kind are required: {o}"
        assert isinstance(o["name"], str) and o["name"].strip() == o["name"] and o["name"], o
        assert o["name"] not in names, f"duplicate name {o['name']}"
        names.add(o["name"])
        assert o["country"] is None or o["country"] in countries, f"{o['name']}: unknown ISO3 {o['country']}"
        assert o["sector"] in sectors, f"{o['name']}: unknown sector {o['sector']}"
        assert o["kind"] in KINDS, f"{o['name']}: unknown kind {o['kind']}"
        if "earlier" in o:
            assert set(o["earlier"]) == {"until", "sector"}, o
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(o["earlier"]["until"])), o
            assert o["earlier"]["sector"] in sectors and o["earlier"]["sector"] != o["sector"], o
        if o["sector"] in STATE_SECTORS and o["kind"] not in ("armed group", "movement"):
            assert o["country"] is not None, f"{o['name']}: a state body needs its state"
        for key in ("aliases", "acronyms"):
            assert isinstance(o.get(key, []), list), f"{o['name']}: {key} is a list"
            assert all(isinstance(f, str) and f.strip() for f in o.get(key, [])), o
        for a in o.get("acronyms", []):
            assert a != a.lower(), f"{o['name']}: acronym {a!r} has no capital: it would match the word"
            assert len(a.replace(".", "")) >= 2, f"{o['name']}: acronym {a!r} is too short"


def _exact_forms(o: dict[str, Any]) -> set[str]:
    """Forms matched with exact case: acronyms, and names or aliases written all in capitals."""
    return {*(o.get("acronyms") or []), *(f for f in _forms(o) if f.upper() == f)}


def test_no_form_is_shared_between_organisations() -> None:
    """Two exact-case forms may differ only in case ("JeM", Jaish-e-Mohammed; "JEM", Sudan's
    Justice and Equality Movement); any other pair of forms must differ case-insensitively."""
    exact: dict[str, str] = {}
    loose: dict[str, str] = {}
    for o in _entries():
        for f in _exact_forms(o):
            assert exact.setdefault(f, o["name"]) == o["name"], f"{f!r}: {exact[f]} and {o['name']}"
        for f in set(_forms(o)) - _exact_forms(o):
            key = _norm(f)
            assert loose.setdefault(key, o["name"]) == o["name"], f"{f!r}: {loose[key]} and {o['name']}"
    for f, name in exact.items():
        assert loose.get(_norm(f), name) == name, f"{f!r}: {name} and {loose[_norm(f)]}"


def _other_entries() -> tuple[dict[str, set[tuple[Any, ...]]], set[str]]:
    """Forms of countries, IGOs, people and institutions: normalised form → what it refers to,
    and the forms matched with exact case."""
    kb = KB()
    for c in _data("countries.yaml"):
        kb.add_country(c)
    for g in _data("igos.yaml"):
        kb.add_igo(g)
    for p in _data("people.yaml"):
        kb.add_person(p)
    for i in _data("institutions.yaml"):
        kb.add_institution(i)
    out: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    for form, entries in kb.forms.items():
        for e in entries:
            out[_norm(form)].add((e.kind, e.country, e.igo, e.person, e.name))
    return out, set(kb.case_sensitive)


def test_no_form_collides_with_other_kb_entries() -> None:
    """No organisation form may be a form of another entry. One exception: an acronym matched
    with exact case may equal a name another entry writes in lower case ("SANA", the Syrian
    agency; "San'a", Yemen's capital): the case decides between them."""
    others, exact_others = _other_entries()
    clashes = []
    for o in _entries():
        exact = _exact_forms(o)
        for f in _forms(o):
            if f in exact and f not in exact_others and not any(_norm(x) == _norm(f) for x in exact_others):
                continue
            if _norm(f) in others:
                clashes.append(f"{f!r} ({o['name']}) is also {sorted(others[_norm(f)], key=str)[0]}")
    assert not clashes, "\n".join(clashes)


def test_no_form_is_an_ordinary_sector_word() -> None:
    """'police', 'congress' alone stay role nouns: a form must be a name, not a sector noun."""
    kb = load_kb()
    vocabulary = set(kb.sector_nouns) | set(kb.sector_titles)
    # proper names that sectors.yaml also lists as nouns, on purpose (the matched name is more precise)
    allowed = {"knesset", "bundestag", "duma", "state duma", "lok sabha", "rajya sabha", "majlis", "mazhilis",
               "majilis", "sejm", "verkhovna rada", "national people's congress", "federation council", "congress",
               "carabinieri", "department of homeland security", "house of lords", "self-defense forces",
               "self-defence forces"}
    bad = [f for o in _entries() for f in _forms(o) if _norm(f) in vocabulary and _norm(f) not in allowed]
    assert not bad, bad


def test_loaded_entries_are_exact_case_where_written_in_capitals() -> None:
    kb = load_kb()
    assert kb.lookup("PKK") and kb.lookup("PKK")[0].name == "Kurdistan Workers' Party"
    assert not kb.lookup("Pkk"), "acronyms match with exact case"
    assert kb.lookup("LeT")[0].country == "PAK" and not kb.lookup("let")
    assert kb.lookup("ETA")[0].country == "ESP" and not kb.lookup("Eta"), "Hurricane Eta is not the Basque group"
    assert kb.lookup("hizbullah")[0].name == "Hezbollah", "aliases match case-insensitively"
    assert kb.lookup("Lebanese Forces")[0].sector == "PTY" and not kb.lookup("Lebanese forces")


def test_user_file_adds_organisations(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("organisations:\n  - {name: Fictional Liberation Front, acronyms: [FXLF], country: KAZ,"
                    " sector: REB, kind: armed group}\n", "utf-8")
    kb = load_kb([str(path)])
    (e,) = kb.lookup("FXLF")
    assert (e.kind, e.country, e.sector, e.name) == ("organisation", "KAZ", "REB", "Fictional Liberation Front")
    assert not load_kb().lookup("FXLF"), "the shipped knowledge base is not changed"


# -- resolution in sentences (written for these tests) --------------------------------------

CASES = [
    ("Hezbollah", "Hezbollah fired rockets at northern Israel on Tuesday.", "LBN", "REB"),
    ("Hamas", "Hamas rejected the latest ceasefire proposal.", "PSE", "REB"),
    ("the Houthis", "Overnight the Houthis launched a drone at a cargo ship.", "YEM", "REB"),
    ("Ansar Allah", "A spokesman for Ansar Allah denied the report.", "YEM", "REB"),
    ("the PKK", "Ankara blamed the PKK for the bombing.", "TUR", "SEP"),
    ("Islamic State", "Islamic State claimed the attack in a statement.", None, "INS"),
    ("ISIS", "ISIS fighters seized the town.", None, "INS"),
    ("Wagner Group", "The Wagner Group withdrew its fighters from the town.", "RUS", "UAF"),
    ("the Rapid Support Forces", "The Rapid Support Forces shelled El Fasher again.", "SDN", "REB"),
    ("M23", "M23 rebels entered the city at dawn.", "COD", "REB"),
    ("Lashkar-e-Taiba", "India accused Lashkar-e-Taiba of planning the raid.", "PAK", "INS"),
    ("the TTP", "The TTP claimed the attack on the checkpoint.", "PAK", "INS"),
    ("the FSB", "The FSB detained a man accused of spying.", "RUS", "SPY"),
    ("Mossad", "Mossad was blamed for the killing.", "ISR", "SPY"),
    ("the IRGC", "The IRGC seized a tanker in the Strait of Hormuz.", "IRN", "MIL"),
    ("Xinhua", "Xinhua said the talks had been candid.", "CHN", "GOV"),
    ("KCNA", "KCNA said the launch was a routine test.", "PRK", "GOV"),
    ("TASS", "TASS quoted an unnamed official.", "RUS", "MED"),
    ("Reuters", "Reuters could not verify the footage.", "GBR", "MED"),
    ("Congress", "Congress approved the aid package on Friday.", "USA", "LEG"),
    ("the Congress party", "The Congress party walked out of the debate.", "IND", "PTY"),
    ("the Knesset", "The Knesset passed the bill.", "ISR", "LEG"),
    ("Likud", "Likud won the most seats.", "ISR", "PTY"),
    ("the BJP", "The BJP criticised the decision.", "IND", "PTY"),
    ("the Federal Reserve", "The Federal Reserve raised interest rates.", "USA", "GOV"),
    ("Gazprom", "Gazprom halted gas deliveries to the country.", "RUS", "BUS"),
    ("Huawei", "Washington added Huawei to a trade blacklist.", "CHN", "BUS"),
    ("Amnesty International", "Amnesty International condemned the executions.", None, "NGO"),
    ("Doctors Without Borders", "Doctors Without Borders evacuated its staff.", None, "NGO"),
    ("the Taliban", "The Taliban banned women from universities.", "AFG", "GOV"),
    ("ETA", "ETA announced its dissolution in 2018.", "ESP", "SEP"),
    ("Mazhilis", "The Mazhilis ratified the agreement with India.", "KAZ", "LEG"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "context", "country", "sector"), CASES, ids=[c[0] for c in CASES])
def test_resolves_in_a_sentence(nlp, text: str, context: str, country: str | None, sector: str) -> None:
    got = resolve_actor(text, context=context)
    assert (got["country"], got["igo"], got["sector"]) == (country, None, sector), got
    assert got["matched_by"].startswith("organisation"), got


@pytest.mark.slow
@pytest.mark.parametrize(("date", "sector"), [("2019-11-20", "INS"), ("2021-08-14", "INS"), ("2023-05-02", "GOV"),
                                              (None, "GOV")])
def test_sector_before_a_date(nlp, date: str | None, sector: str) -> None:
    """The Taliban were insurgents until they took Kabul on 2021-08-15; undated texts take the present."""
    got = resolve_actor("The Taliban", date=date, context="The Taliban claimed the attack on the convoy.")
    assert (got["country"], got["sector"]) == ("AFG", sector), got


@pytest.mark.slow
@pytest.mark.parametrize("context", ["SEOUL (Reuters) - South Korea and Japan agreed to hold talks.",
                                     "Issei Kato / Reuters Soldiers stand guard at the base."])
def test_a_news_agency_credit_is_no_actor(nlp, context: str) -> None:
    got = resolve_actor("Reuters", context=context)
    assert got["matched_by"] is None, got


@pytest.mark.slow
def test_a_role_noun_keeps_the_organisation_sector(nlp) -> None:
    got = resolve_actor("Hamas officials", context="Hamas officials said the talks had stalled.")
    assert (got["country"], got["sector"]) == ("PSE", "REB"), got


NOT_ORGANISATIONS = [
    ("congress", "Delegates gathered for the party congress in Beijing."),
    ("fed", "Villagers said they were fed up with the raids."),
    ("Eta", "Hurricane Eta made landfall in Nicaragua."),
    ("let", "Officials let the convoy pass."),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "context"), NOT_ORGANISATIONS, ids=[c[0] for c in NOT_ORGANISATIONS])
def test_ordinary_words_are_not_organisations(nlp, text: str, context: str) -> None:
    got = resolve_actor(text, context=context)
    assert got["matched_by"] is None or not got["matched_by"].startswith("organisation"), got


def test_phoenix_file_is_what_the_script_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """organisations_phoenix.yaml is generated: it must match scripts/phoenix_organisations.py's output."""
    import importlib.util

    root = Path(__file__).parents[1]
    spec = importlib.util.spec_from_file_location("phoenix_organisations", root / "scripts" / "phoenix_organisations.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, script)  # its dataclasses look their module up there
    spec.loader.exec_module(script)
    source = script.PHOENIX / script.SOURCE
    if not source.is_file():
        pytest.skip(f"Phoenix dictionaries not found at {script.PHOENIX}")
    text = script.render(script.entries(script.parse(source.read_text("utf-8", errors="replace"))),
                         (script.PHOENIX / "LICENSE").read_text("utf-8"))
    assert script.OUT.read_text("utf-8") == text, "run: python scripts/phoenix_organisations.py"
