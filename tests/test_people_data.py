"""The people data file (src/entente/data/people.yaml): codes, dates, tenures, aliases, dated look-ups.

A wrong tenure is a bug, so what can be checked mechanically is checked here: ISO and IGO
codes exist, sectors exist, dates are well formed and ordered, two people never hold the
same single-holder office at the same time, roles are listed newest first, and no surface
form is shared between two people or with a place or organisation.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import unicodedata
from collections import defaultdict
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from entente.actors.kb import FORM_CHARS, load_kb
from entente.actors.resolve import person_actor

DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
PERSON_KEYS = {"name", "aliases", "country", "igo", "roles"}
ROLE_KEYS = {"title", "sector", "start", "end", "country", "igo", "note"}
#: Offices that several people hold at once: they are not checked for overlapping tenures.
MULTI_HOLDER = re.compile(r"\b(deputy|vice|co-|state councilor|commissioner|member|minister of state|spokesperson)\b", re.I)
#: Surnames too common to stand alone as an alias (the brief's list and their like).
COMMON_SURNAMES = {
    "kim", "lee", "park", "choi", "singh", "khan", "ali", "ahmed", "ahmad", "hussein", "hassan", "mohammed",
    "wang", "li", "zhang", "liu", "chen", "yang", "zhao", "huang", "wu", "zhou", "smith", "jones", "brown",
    "johnson", "williams", "sharif", "gandhi", "castro", "rahman", "shah", "nguyen", "tran", "le", "ivanov",
    "kumar", "patel", "khalifa", "saud", "thani", "nahyan", "sabah", "garcia", "rodriguez", "lopez",
    "martinez", "gonzalez", "perez", "sanchez", "fernandez", "silva", "santos", "kuznetsov", "popov",
}


#: Words that belong to the surname that follows them ("bin Mubarak" is not "Mubarak").
PARTICLES = {"al", "el", "bin", "ibn", "bint", "abu", "de", "del", "della", "di", "da", "dos", "van", "von", "der",
             "den", "le", "la", "ter", "zu", "ould", "ag", "wa"}
#: Bare surnames deliberately shared, with the reason: one bearer is the one the press means.
SHARED_SURNAMES_ALLOWED = {
    "rahmon": "Emomali Rahmon; his son is 'Rustam Emomali' in the press",
    "zuma": "Jacob Zuma; Nkosazana Dlamini-Zuma is named by both names",
    "prabowo": "Prabowo Subianto; Indonesian names have no surname, Listyo Sigit Prabowo is named in full",
}


@cache
def people() -> list[dict[str, Any]]:
    text = resources.files("entente.data").joinpath("people.yaml").read_text("utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert isinstance(data, list) and data
    return data


@cache
def codes(name: str, key: str) -> frozenset[str]:
    data = yaml.safe_load(resources.files("entente.data").joinpath(name).read_text("utf-8"))
    return frozenset(d[key] for d in data)


def sectors() -> set[str]:
    data = yaml.safe_load(resources.files("entente.data").joinpath("sectors.yaml").read_text("utf-8"))
    return {k for k in data if len(k) == 3 and k.isupper()} | {"ELI"}


def form(s: str) -> str:
    """A surface form as the knowledge base keys it."""
    return " ".join(str(s).translate(FORM_CHARS).split()).lower()


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9 -]", " ", s.lower()).split())


def surname(full: str) -> str:
    """The last word of a name with the particles before it ("ahmad awad bin mubarak" -> "bin mubarak")."""
    words = fold(full).split()
    i = len(words) - 1
    while i > 0 and words[i - 1] in PARTICLES:
        i -= 1
    return " ".join(words[i:])


def roles() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(p, r) for p in people() for r in p.get("roles") or []]


def office(p: dict[str, Any], r: dict[str, Any]) -> tuple[str, str]:
    """Whose office a role is (the role's country or IGO, else the person's) and its title."""
    owner = r.get("country") or r.get("igo") or (None if r.get("igo") else p.get("country")) or p.get("igo")
    return str(owner), fold(r["title"])


def bound(d: str | None, high: bool) -> str:
    """The earliest (high=False) or latest full date a partial date can mean; None = open end."""
    if d is None:
        return "9999-12-31"
    n = len(d.split("-"))
    if n == 3:
        return d
    if n == 2:
        return d + ("-31" if high else "-01")
    return d + ("-12-31" if high else "-01-01")


# -- codes, sectors, dates -------------------------------------------------------------------


def test_people_fields_and_codes() -> None:
    isos, igos = codes("countries.yaml", "iso3"), codes("igos.yaml", "abbrev")
    for p in people():
        assert set(p) <= PERSON_KEYS and p.get("name") and p.get("roles"), p.get("name")
        assert p.get("country") is None or p["country"] in isos, (p["name"], p["country"])
        assert p.get("igo") is None or p["igo"] in igos, (p["name"], p["igo"])
        assert p.get("country") or p.get("igo"), f"{p['name']}: needs a country or an igo"
        assert isinstance(p.get("aliases"), list), p["name"]


def test_roles_codes_sectors_and_dates() -> None:
    isos, igos, secs = codes("countries.yaml", "iso3"), codes("igos.yaml", "abbrev"), sectors()
    for p, r in roles():
        where = f"{p['name']}: {r}"
        assert set(r) <= ROLE_KEYS and r.get("title"), where
        assert r["sector"] in secs, where
        assert r.get("country") is None or r["country"] in isos, where
        assert r.get("igo") is None or r["igo"] in igos, where
        assert isinstance(r["start"], str) and DATE.match(r["start"]), where
        assert r["end"] is None or (isinstance(r["end"], str) and DATE.match(r["end"])), where
        assert "end" in r, f"{where}: end is required (null = still in office)"
        if r["end"] is not None:
            assert bound(r["start"], False) <= bound(r["end"], True), f"{where}: ends before it starts"
        assert r["start"] >= "1900" and (r["end"] or "2100") <= "2100", where


def test_every_role_acts_for_a_country_or_igo() -> None:
    kb = load_kb()
    orphans = [f"{p.name}: {r.title}" for p in kb.people.values() for r in p.roles if not (r.country or r.igo)]
    assert not orphans, "\n".join(orphans)


def test_roles_newest_first() -> None:
    for p in people():
        starts = [bound(r["start"], False) for r in p["roles"]]
        assert starts == sorted(starts, reverse=True), f"{p['name']}: roles must be listed newest first"


def test_no_two_holders_of_one_office_at_once() -> None:
    """Same owner, same title: tenures may touch (hand-over day, partial dates) but not overlap."""
    by_office: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for p, r in roles():
        if not MULTI_HOLDER.search(r["title"]):
            by_office[office(p, r)].append((p["name"], r))
    clashes = []
    for key, held in by_office.items():
        held.sort(key=lambda x: bound(x[1]["start"], False))
        for i, (a, ra) in enumerate(held):
            for b, rb in held[i + 1:]:
                if bound(rb["start"], True) >= bound(ra["end"], False):
                    continue  # rb starts when (or after) ra may have ended
                clashes.append(f"{key}: {a} {ra['start']}..{ra['end']} / {b} {rb['start']}..{rb['end']}")
    assert not clashes, "\n".join(clashes)


# -- aliases ---------------------------------------------------------------------------------


def test_no_form_shared_between_two_people() -> None:
    owner: dict[str, str] = {}
    shared = []
    for p in people():
        for f in {form(x) for x in (p["name"], *p["aliases"])}:
            if owner.setdefault(f, p["name"]) != p["name"]:
                shared.append(f"{f!r}: {owner[f]} / {p['name']}")
    assert not shared, "\n".join(shared)


def test_no_person_form_is_a_place_or_organisation() -> None:
    kb = load_kb()
    clash = [f"{f!r} ({e.kind} {e.country or e.igo})" for f, entries in kb.forms.items()
             if any(e.kind == "person" for e in entries) for e in entries if e.kind != "person"]
    assert not clash, "\n".join(clash)


def test_bare_surnames_are_distinctive() -> None:
    """A one-word alias is never a common surname, nor the surname of someone else in the file."""
    surnames: dict[str, set[str]] = defaultdict(set)
    for p in people():
        for f in (p["name"], *p["aliases"]):
            if len(fold(f).split()) > 1:
                surnames[surname(f)].add(p["name"])
    bad = []
    for p in people():
        for a in p["aliases"]:
            if len(fold(a).split()) != 1:
                continue
            if fold(a) in COMMON_SURNAMES:
                bad.append(f"{p['name']}: {a!r} is a common surname")
            others = surnames.get(fold(a), set()) - {p["name"]}
            if others and fold(a) not in SHARED_SURNAMES_ALLOWED:
                bad.append(f"{p['name']}: {a!r} is also the surname of {sorted(others)}")
    assert not bad, "\n".join(bad)


def test_merge_tool_keeps_the_file_as_it_is() -> None:
    """scripts/people_merge.py re-renders people.yaml byte for byte, so a merge only adds."""
    path = Path(__file__).resolve().parent.parent / "scripts" / "people_merge.py"
    spec = importlib.util.spec_from_file_location("people_merge", path)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = tool  # dataclasses look their module up while the class is built
    spec.loader.exec_module(tool)
    text = resources.files("entente.data").joinpath("people.yaml").read_text("utf-8")
    header, sections = tool.parse_people(text)
    assert sum(len(b) for _, b in sections) == len(people())
    assert tool.render(header, sections) == text


def test_note_is_ignored_by_the_loader() -> None:
    noted = [p for p, r in roles() if r.get("note")]
    assert noted, "some roles carry a note (what may be stale)"
    kb = load_kb()
    person = kb.people[noted[0]["name"]]
    assert person.roles and not hasattr(person.roles[0], "note")


# -- dated look-ups --------------------------------------------------------------------------

LOOKUPS = [
    # (surface form, date, country, igo, sector)
    ("Sergey Lavrov", "2000-06-01", "RUS", None, "GOV"),   # permanent representative to the UN
    ("Lavrov", "2010-06-01", "RUS", None, "GOV"),          # foreign minister
    ("Geithner", "2010-05-01", "USA", None, "GOV"),
    ("Geithner", "2015-05-01", "USA", None, "ELI"),        # former Treasury secretary
    ("Chertoff", "2006-03", "USA", None, "COP"),
    ("Bortnikov", "2015", "RUS", None, "SPY"),
    ("Corbyn", "2017-06-08", "GBR", None, "OPP"),
    ("Blix", "1990", None, "IAEA", "GOV"),
    ("Blix", "2003-02-14", None, "UN", "GOV"),             # UNMOVIC
    ("Lagarde", "2009", "FRA", None, "GOV"),
    ("Lagarde", "2015", None, "IMF", "GOV"),
    ("Lagarde", "2021", None, "ECB", "GOV"),
    ("George Robertson", "1998", "GBR", None, "MIL"),
    ("George Robertson", "2001", None, "NATO", "GOV"),
    ("Petraeus", "2009-06", "USA", None, "MIL"),
    ("Petraeus", "2012-01", "USA", None, "SPY"),
    ("Kvashnin", "2000-01-15", "RUS", None, "MIL"),
    ("Schwarzkopf", "1991-01-17", "USA", None, "MIL"),
    ("Kudrin", "2015", "RUS", None, "ELI"),                # between the finance ministry and the audit chamber
    ("Chidambaram", "2010-06", "IND", None, "COP"),         # home minister
    ("Solana", "1993", "ESP", None, "GOV"),
    ("Solana", "1997", None, "NATO", "GOV"),
    ("Kallas", "2022", "EST", None, "GOV"),
    ("Kallas", "2025-03", None, "EU", "GOV"),
    ("Babacan", "2021", "TUR", None, "OPP"),
    ("Tsikhanouskaya", "2021", "BLR", None, "OPP"),
    ("Lajčák", "2018-01", None, "UN", "GOV"),               # president of the General Assembly
    ("Kadyrov", "2015", "RUS", None, "GOV"),
]


@pytest.mark.parametrize(("text", "date", "country", "igo", "sector"), LOOKUPS)
def test_dated_lookup(text: str, date: str, country: str | None, igo: str | None, sector: str) -> None:
    kb = load_kb()
    hits = [e for e in kb.lookup(text) if e.kind == "person"]
    assert len(hits) == 1, f"{text!r} should name one known person"
    actor = person_actor(kb, hits[0].person or text, text, date, "test")
    assert (actor.country, actor.igo, actor.sector) == (country, igo, sector)
