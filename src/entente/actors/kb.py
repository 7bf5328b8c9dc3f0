"""The actor knowledge base: countries, organisations, sectors and people, from data files.

Files (in ``entente/data``, each documented in its header):
``countries.yaml``, ``igos.yaml``, ``sectors.yaml``, ``people.yaml`` (and ``people_phoenix.yaml``,
generated, which yields to it),
``institutions.yaml``, ``organisations.yaml`` (and ``organisations_phoenix.yaml``, generated),
``regions.yaml`` (subnational, disputed and breakaway regions) and ``places.tsv`` (cities beyond
capitals, generated from GeoNames by ``scripts/build_places.py``; its forms yield to every other
file's). Users add their own with ``--actors FILE``: a YAML file with any of the keys
``countries``, ``igos``, ``people``, ``institutions``, ``organisations``, ``regions``, ``sectors``
holding entries in the same formats.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataFileError

#: IGO kinds that act as their parent organisation in events (organs, programmes, missions).
ACTS_AS_PARENT = {"body", "mission"}
#: Organisation files, hand-written first, then the one generated from the Phoenix dictionaries.
ORGANISATION_FILES = ("organisations.yaml", "organisations_phoenix.yaml")
#: People files: the hand-compiled one, then the layer generated from the Phoenix dictionaries, which
#: yields to it (a person or form people.yaml has keeps its meaning).
PEOPLE_FILES = ("people.yaml", "people_phoenix.yaml")
#: Curly apostrophes and quotes in data files become the plain ones the cleaner produces.
FORM_CHARS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


@dataclass(frozen=True, slots=True)
class Entry:
    """What one surface form can refer to."""

    kind: str  # name | abbrev | adjective | demonym | capital | city | region | igo | person | institution | organisation
    country: str | None = None
    igo: str | None = None
    person: str | None = None  # canonical person name
    name: str | None = None  # canonical display name of the country / IGO
    sector: str | None = None  # for institutions and organisations: the sector they stand for
    earlier: tuple[str, str] | None = None  # organisations: (until YYYY-MM-DD, the sector before then)


@dataclass(frozen=True, slots=True)
class Role:
    title: str
    sector: str
    start: str
    end: str | None
    country: str | None
    igo: str | None


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    aliases: tuple[str, ...]
    country: str | None
    igo: str | None
    roles: tuple[Role, ...]

    def role_at(self, date: str | None) -> tuple[Role | None, bool]:
        """The role held on ``date`` (YYYY[-MM[-DD]]), and whether the person is former then.

        With no date, the latest role is taken (news is mostly about the present).
        """
        if not self.roles:
            return None, False
        if not date:
            ordered = sorted(self.roles, key=lambda r: r.start)
            last = ordered[-1]
            return last, False
        held = [r for r in self.roles if _covers(r, date)]
        if held:
            return sorted(held, key=lambda r: r.start)[-1], False
        past = [r for r in self.roles if r.end and r.end[: len(date)] < date]
        if past:
            return sorted(past, key=lambda r: r.end or "")[-1], True
        return None, False  # before any known role


def _covers(role: Role, date: str) -> bool:
    n = len(date)
    return role.start[:n] <= date and (role.end is None or date <= role.end[:n])


@dataclass
class KB:
    """Surface forms → entries, plus sector vocabularies and people."""

    forms: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    #: a lower-cased form as it was written, which is how the tokenizer must see it ("u.n." is split, "U.N." is not)
    written: dict[str, str] = field(default_factory=dict)
    case_sensitive: set[str] = field(default_factory=set)  # abbreviations matched on exact case
    countries: dict[str, dict[str, Any]] = field(default_factory=dict)
    igos: dict[str, dict[str, Any]] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    predecessors: dict[str, list[str]] = field(default_factory=dict)  # RUS -> [SUN]
    sector_nouns: dict[str, str] = field(default_factory=dict)  # lemma → sector
    sector_titles: dict[str, str] = field(default_factory=dict)  # "defence minister" → MIL
    country_titles: dict[str, str] = field(default_factory=dict)  # "taoiseach" → IRL
    former_markers: frozenset[str] = frozenset()
    plural_actors: frozenset[str] = frozenset()
    women_names: frozenset[str] = frozenset()  # given names that name a woman (given_names.yaml)
    women_titles: frozenset[str] = frozenset()  # "mrs", "queen" …
    _cs_lower: frozenset[str] = frozenset()
    _places: tuple[int, frozenset[str]] | None = None
    _by_country: dict[str, list[Person]] = field(default_factory=dict)

    # -- building -------------------------------------------------------------
    def add_form(self, form: str, entry: Entry, exact_case: bool = False) -> None:
        form = " ".join(str(form).translate(FORM_CHARS).split())  # "Cote d’Ivoire" as the cleaner sees it
        if not form:
            return
        key = form if exact_case else form.lower()
        if exact_case:
            self.case_sensitive.add(form)
        else:
            self.written.setdefault(key, form)
        if entry not in self.forms[key]:
            self.forms[key].append(entry)

    def add_country(self, c: dict[str, Any]) -> None:
        iso = c.get("iso3")
        if not iso or not isinstance(iso, str) or len(iso) != 3:
            raise DataFileError(f"country entry without a valid iso3: {c!r}")
        self.countries[iso] = c
        for successor in _as_list(c.get("successors")):
            self.predecessors.setdefault(successor, []).append(iso)
        name = c.get("name") or iso
        for key, kind in (("name", "name"), ("official", "name"), ("names", "name"),
                          ("adjectives", "adjective"), ("demonyms", "demonym"),
                          ("capitals", "capital"), ("cities", "city")):
            for form in _as_list(c.get(key)):
                self.add_form(form, Entry(kind, country=iso, name=name))
        for form in _as_list(c.get("abbrev")):
            exact = len(form.replace(".", "")) <= 4
            self.add_form(form, Entry("abbrev", country=iso, name=name), exact_case=exact)

    def add_igo(self, g: dict[str, Any]) -> None:
        abbrev = g.get("abbrev")
        if not abbrev:
            raise DataFileError(f"IGO entry without abbrev: {g!r}")
        self.igos[abbrev] = g
        name = g.get("name") or abbrev
        for form in {abbrev, name, *_as_list(g.get("names"))}:
            exact = form.replace(".", "").isupper() and len(form.replace(".", "")) <= 6
            self.add_form(form, Entry("igo", igo=abbrev, name=name), exact_case=exact)

    def add_institution(self, i: dict[str, Any]) -> None:
        name, iso = i.get("name"), i.get("country")
        if not name or not iso:
            raise DataFileError(f"institution entry needs name and country: {i!r}")
        for form in (name, *_as_list(i.get("aliases"))):
            exact = form.replace(".", "").isupper() and len(form) <= 5
            self.add_form(form, Entry("institution", country=iso, name=name, sector=i.get("sector") or "GOV"),
                          exact_case=exact)

    def add_organisation(self, o: dict[str, Any]) -> None:
        """An organisation (organisations.yaml): its name and aliases match case-insensitively,
        its acronyms and any form written all in capitals with exact case."""
        name, sector = o.get("name"), o.get("sector")
        if not name or not sector:
            raise DataFileError(f"organisation entry needs name and sector: {o!r}")
        earlier = o.get("earlier")
        if earlier is not None and not (isinstance(earlier, dict) and earlier.get("until") and earlier.get("sector")):
            raise DataFileError(f"{name}: earlier needs until (YYYY-MM-DD) and sector: {earlier!r}")
        entry = Entry("organisation", country=o.get("country"), name=name, sector=sector,
                      earlier=(str(earlier["until"]), str(earlier["sector"])) if earlier else None)
        for form in (name, *_as_list(o.get("aliases"))):
            self.add_form(form, entry, exact_case=_all_capitals(form))
        for form in _as_list(o.get("acronyms")):
            self.add_form(form, entry, exact_case=True)

    def add_region(self, r: dict[str, Any]) -> None:
        """A region of ``regions.yaml``: its forms are locations in its country."""
        name, iso = r.get("name"), r.get("country")
        if not name or not iso or iso not in self.countries:
            raise DataFileError(f"region entry needs a name and a country of countries.yaml: {r!r}")
        entry = Entry("region", country=iso, name=self.country_name(iso))
        for form in (name, *_as_list(r.get("aliases")), *_as_list(r.get("adjectives"))):
            self.add_form(form, entry)

    def add_places(self, text: str, source: str = "places.tsv") -> None:
        """Cities of ``places.tsv`` (name, country, population, aliases, geonameid); a form
        the knowledge base already has keeps its meaning."""
        rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
        for n, row in enumerate(rows):
            if n == 0 and row[0] == "name":
                continue  # the column names
            if len(row) < 4 or row[1] not in self.countries:
                raise DataFileError(f"{source}: bad row (name, country, population, aliases, geonameid): {row!r}")
            entry = Entry("city", country=row[1], name=self.country_name(row[1]))
            for form in (row[0], *row[3].split("|")):
                if form and " ".join(form.translate(FORM_CHARS).lower().split()) not in self.forms:
                    self.add_form(form, entry)

    def add_person(self, p: dict[str, Any], yields: bool = False) -> None:
        """A person of people.yaml's format. With ``yields`` (a generated layer), a person already known
        by that name is left as it is, and a form that already names a person keeps that person."""
        name = p.get("name")
        if not name:
            raise DataFileError(f"person entry without name: {p!r}")
        roles = []
        for r in _as_list(p.get("roles")):
            if not isinstance(r, dict) or not r.get("start"):
                raise DataFileError(f"{name}: role without start: {r!r}")
            roles.append(Role(
                title=str(r.get("title", "")), sector=str(r.get("sector") or "GOV"),
                start=str(r["start"]), end=str(r["end"]) if r.get("end") else None,
                # a role in an organisation acts for it, not for the person's country
                country=r.get("country") or (None if r.get("igo") else p.get("country")),
                igo=r.get("igo") or (None if r.get("country") else p.get("igo")),
            ))
        if yields and name in self.people:
            return
        person = Person(name=name, aliases=tuple(_as_list(p.get("aliases"))),
                        country=p.get("country"), igo=p.get("igo"), roles=tuple(roles))
        self.people[name] = person
        entry = Entry("person", country=person.country, igo=person.igo, person=name, name=name)
        for form in (name, *person.aliases):
            key = " ".join(str(form).translate(FORM_CHARS).split()).lower()
            if yields and any(e.kind == "person" for e in self.forms.get(key, ())):
                continue
            self.add_form(form, entry)

    def add_sectors(self, data: dict[str, Any]) -> None:
        for code, spec in data.items():
            if not isinstance(spec, dict) or len(code) not in (3, 6) or not code.isupper():
                continue
            for noun in _as_list(spec.get("nouns")):
                self.sector_nouns.setdefault(noun.lower(), code)
            for title in _as_list(spec.get("titles")):
                self.sector_titles.setdefault(title.lower(), code)
        self.former_markers = frozenset(m.lower() for m in _as_list(data.get("former_markers")))
        for title, iso in (data.get("country_titles") or {}).items():
            self.country_titles[str(title).lower()] = str(iso)
        self.plural_actors = frozenset(m.lower() for m in _as_list(data.get("plural_actors")))

    def extend(self, data: dict[str, Any]) -> None:
        """Add a user file's ``countries``, ``igos``, ``people``, ``institutions`` and ``organisations``."""
        for c in _as_list(data.get("countries")):
            self.add_country(c)
        for g in _as_list(data.get("igos")):
            self.add_igo(g)
        for p in _as_list(data.get("people")):
            self.add_person(p)
        for i in _as_list(data.get("institutions")):
            self.add_institution(i)
        for o in _as_list(data.get("organisations")):
            self.add_organisation(o)
        for r in _as_list(data.get("regions")):
            self.add_region(r)
        if isinstance(data.get("sectors"), dict):
            self.add_sectors(data["sectors"])

    # -- lookup ---------------------------------------------------------------
    def lookup(self, form: str) -> list[Entry]:
        form = " ".join(form.split())
        if form in self.case_sensitive:
            return self.forms.get(form, [])
        hits = self.forms.get(form.lower(), [])
        return [e for e in hits if e.kind != "abbrev" or form.lower() not in self._case_sensitive_lower()] or hits

    def _case_sensitive_lower(self) -> frozenset[str]:
        if len(self._cs_lower) != len(self.case_sensitive):
            self._cs_lower = frozenset(f.lower() for f in self.case_sensitive)
        return self._cs_lower

    def at_date(self, country: str | None, date: str | None) -> str | None:
        """The state a country's places and names stood for on ``date``: "Moscow" in 1987 is the
        Soviet Union (``until``/``successors`` of historical states in countries.yaml); a dependent
        territory's are its ``sovereign``'s, at any date ("Guam" is the United States)."""
        if country and (sovereign := self.countries.get(country, {}).get("sovereign")):
            return str(sovereign)  # "towards Guam": the United States, which conducts its relations
        if not country or not date:
            return country
        for hist in self.predecessors.get(country, ()):
            until = str(self.countries[hist].get("until") or "")
            if until and date[: len(until)] < until[: len(date)]:
                return hist
        return country

    def igo_root(self, abbrev: str | None) -> str | None:
        """The organisation an IGO body acts as (UNSC -> UN, UNHCR -> UN, UNIFIL -> UN), or None for an
        organisation that acts as itself (the UN, a specialized agency such as WHO)."""
        seen: set[str] = set()
        root = abbrev
        while root and root not in seen and self.igos.get(root, {}).get("kind") in ACTS_AS_PARENT \
                and (parent := self.igos[root].get("parent")):
            seen.add(root)
            root = parent
        return root if root != abbrev else None

    def holder(self, country: str, title: str, date: str | None) -> Person | None:
        """The person who held a title for a country on a date ("prime minister", GBR, 1997-05-02 ->
        Tony Blair), or None when the knowledge base does not know exactly one."""
        if date is None:
            return None
        want = _title_words(title)
        found = [p for p in self._holders(country) for r in p.roles
                 if r.country == country and _covers(r, date) and _title_words(r.title) == want]
        return found[0] if len({p.name for p in found}) == 1 else None

    def _holders(self, country: str) -> list[Person]:
        if not self._by_country:
            for p in self.people.values():
                for c in {r.country for r in p.roles if r.country}:
                    self._by_country.setdefault(c, []).append(p)
        return self._by_country.get(country, [])

    def title_sector(self, phrase: str) -> str | None:
        """The sector a title or role noun signals ("defence minister" → MIL)."""
        p = " ".join(phrase.lower().split())
        return self.sector_titles.get(p) or self.sector_nouns.get(p)

    def place_names(self) -> frozenset[str]:
        """Lower-cased names of states, capitals, cities and regions (for datelines); cached."""
        if self._places is None or self._places[0] != len(self.forms):
            places = frozenset(k for k, es in self.forms.items()
                               if any(e.kind in ("capital", "city", "region", "name") for e in es))
            self._places = (len(self.forms), places)
        return self._places[1]

    def country_name(self, iso: str | None) -> str | None:
        return self.countries.get(iso, {}).get("name") if iso else None


def _all_capitals(form: str) -> bool:
    """An acronym-like form ("FARC-EP", "M23", "SPLM-N"), matched with exact case."""
    return any(c.isalpha() for c in form) and form.upper() == form


#: Spellings that name the same office ("defense"/"defence", "premier"/"prime minister").
TITLE_SYNONYMS = {"defense": "defence", "premier": "prime minister", "pm": "prime minister",
                  "foreign affairs minister": "foreign minister", "minister of foreign affairs": "foreign minister",
                  "minister for foreign affairs": "foreign minister", "external affairs minister": "foreign minister",
                  "secretary of state": "secretary of state"}


def _title_words(title: str) -> str:
    t = " ".join(w for w in title.lower().replace("-", " ").split() if w not in ("the", "acting", "interim"))
    for a, b in TITLE_SYNONYMS.items():
        if t == a:
            return b
    return t.replace("defense", "defence")


def _as_list(v: Any) -> list[Any]:
    if v is None:
        return []
    return list(v) if isinstance(v, list | tuple) else [v]


#: libyaml's loader when PyYAML was built with it (people.yaml parses about 4x faster), else the pure one.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(text: str, name: str) -> Any:
    try:
        return yaml.load(text, Loader=_YAML_LOADER)  # a safe loader either way
    except yaml.YAMLError as exc:
        raise DataFileError(f"{name}: not valid YAML: {exc}") from exc


def _data_text(name: str) -> str | None:
    path = resources.files("entente.data").joinpath(name)
    return path.read_text("utf-8") if path.is_file() else None


#: Where parsed data files are kept as JSON, which reads about ten times faster than YAML builds
#: objects: ``$ENTENTE_CACHE``, else ``$XDG_CACHE_HOME/entente``, else ``~/.cache/entente``. A file's
#: entry is named by the hash of its text, so an edited file is parsed again; ENTENTE_CACHE=off
#: turns the cache off.
def _cache_dir() -> Path | None:
    where = os.environ.get("ENTENTE_CACHE")
    if where == "off":
        return None
    if where:
        return Path(where)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "entente"


def _data(name: str) -> Any:
    text = _data_text(name)
    if text is None:
        return None
    folder = _cache_dir()
    entry = folder / f"{name}.{hashlib.sha256(text.encode()).hexdigest()[:16]}.json" if folder else None
    if entry is not None:
        try:
            return json.loads(entry.read_text("utf-8"))
        except (OSError, ValueError):
            pass  # not there yet, or unreadable: parse the YAML
    data = _load_yaml(text, name)
    if entry is not None:
        try:
            dumped = json.dumps(data)
            if json.loads(dumped) == data:  # only what JSON gives back unchanged (no dates, no number keys)
                entry.parent.mkdir(parents=True, exist_ok=True)
                tmp = entry.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(dumped, "utf-8")
                os.replace(tmp, entry)  # whole or absent: a reader never sees half a file
        except (OSError, TypeError, ValueError):
            pass  # a read-only home or a value JSON cannot hold: the YAML is parsed each time
    return data


@cache
def entity_names() -> tuple[dict[str, str], dict[str, str]]:
    """The shipped names of states (ISO alpha-3 -> name) and organisations (abbreviation -> name), read
    from their two files alone: what pages that only name actors need, without loading the whole
    knowledge base (people, places and organisations take seconds)."""
    countries = {str(c["iso3"]): str(c.get("name") or c["iso3"]) for c in _as_list(_data("countries.yaml"))
                 if isinstance(c, dict) and c.get("iso3")}
    igos = {str(g["abbrev"]): str(g.get("name") or g["abbrev"]) for g in _as_list(_data("igos.yaml"))
            if isinstance(g, dict) and g.get("abbrev")}
    return countries, igos


@cache
def _load(extra: tuple[str, ...]) -> KB:
    kb = KB()
    for c in _as_list(_data("countries.yaml")):
        kb.add_country(c)
    for g in _as_list(_data("igos.yaml")):
        kb.add_igo(g)
    sectors = _data("sectors.yaml")
    if isinstance(sectors, dict):
        kb.add_sectors(sectors)
    for n, name in enumerate(PEOPLE_FILES):
        for p in _as_list(_data(name)):
            kb.add_person(p, yields=n > 0)
    for i in _as_list(_data("institutions.yaml")):
        kb.add_institution(i)
    for name in ORGANISATION_FILES:
        for o in _as_list(_data(name)):
            kb.add_organisation(o)
    for r in _as_list(_data("regions.yaml")):
        kb.add_region(r)
    names = _data("given_names.yaml") or {}
    kb.women_names = frozenset(str(w).lower() for w in _as_list(names.get("female")))
    kb.women_titles = frozenset(str(w).lower() for w in _as_list(names.get("female_titles")))
    if (places := _data_text("places.tsv")) is not None:
        kb.add_places(places)
    for path in extra:
        data = _load_yaml(Path(path).read_text("utf-8"), path)
        if not isinstance(data, dict):
            raise DataFileError(f"{path}: expected a mapping with countries/igos/people")
        kb.extend(data)
    return kb


def load_kb(extra: Iterable[str] = ()) -> KB:
    """The shipped knowledge base, extended by user files; built once per set of files."""
    return _load(tuple(extra))
