"""Merge people from a YAML fragment into src/entente/data/people.yaml.

Usage: python scripts/people_merge.py FRAGMENT.yaml [--dry-run]

The fragment is a YAML list of person items in people.yaml's own format (see its header).
A fragment person whose full name matches the name or a multi-word alias of a person
already in the file, with the same country (or one of them null), is merged into that
item: new aliases are appended, new roles inserted newest first; a role whose title and
organisation/country equal an existing role's and whose dates overlap it is skipped and
reported (fix the file by hand if the dates differ). Other fragment people are new items,
appended to the section of their country (or IGO), or to a new section before the IGO
sections. people.yaml keeps its layout: one block per person, flow-style roles.

A fragment person may carry ``expect: existing`` or ``expect: new``; a mismatch is an error,
so a misspelt name cannot silently create a second record for someone already in the file.
New people whose surname is already used by someone of the same country are reported, so
that a spelling variant of an existing person can be caught before it is committed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PEOPLE = Path(__file__).resolve().parent.parent / "src" / "entente" / "data" / "people.yaml"
COUNTRIES = PEOPLE.parent / "countries.yaml"
SECTION_RULE = "# " + "-" * 64 + " "
#: Sections that hold people known for an organisation; new country sections go before them.
IGO_SECTIONS = ("United Nations", "NATO", "European Union", "African Union")
ROLE_KEYS = ("title", "sector", "igo", "country", "start", "end", "note")
#: Characters that force a scalar to be quoted in a YAML flow mapping.
YAML_SPECIAL = re.compile(r"[,{}\[\]]|: |:$| #|^[-?~ '\"!&*|>%@`]|^(null|true|false|yes|no|on|off)$", re.I)


@dataclass
class Block:
    """One person item of people.yaml."""

    name: str
    aliases: list[str]
    country: str | None
    igo: str | None
    roles: list[dict[str, Any]]
    extra: dict[str, Any] = field(default_factory=dict)


def fold(s: str) -> str:
    """Lower-case ASCII form of a name for matching ("José Manuel Barroso" -> "jose manuel barroso")."""
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", s.lower()).split())


def scalar(v: Any) -> str:
    if v is None:
        return "null"
    s = str(v)
    return json.dumps(s, ensure_ascii=False) if YAML_SPECIAL.search(s) or not s else s


def date(v: Any) -> str:
    return "null" if v is None else f'"{v}"'


def role_line(r: dict[str, Any]) -> str:
    parts = [f"title: {scalar(r['title'])}", f"sector: {r['sector']}"]
    for k in ("igo", "country"):
        if r.get(k):
            parts.append(f"{k}: {r[k]}")
    parts += [f"start: {date(r['start'])}", f"end: {date(r.get('end'))}"]
    if r.get("note"):
        parts.append(f"note: {json.dumps(str(r['note']), ensure_ascii=False)}")
    unknown = set(r) - set(ROLE_KEYS)
    if unknown:
        raise SystemExit(f"role with unknown keys {sorted(unknown)}: {r}")
    return "    - {" + ", ".join(parts) + "}"


def block_lines(b: Block) -> list[str]:
    out = [f"- name: {scalar(b.name)}",
           "  aliases: [" + ", ".join(scalar(a) for a in b.aliases) + "]",
           f"  country: {b.country or 'null'}"]
    if b.igo:
        out.append(f"  igo: {b.igo}")
    out.append("  roles:")
    out += [role_line(r) for r in b.roles]
    return out


def parse_people(text: str) -> tuple[list[str], list[tuple[str, list[Block]]]]:
    """Header lines, then (section title, people) in file order."""
    header: list[str] = []
    sections: list[tuple[str, list[Block]]] = []
    chunk: list[str] = []

    def flush() -> None:
        if chunk:
            item = yaml.safe_load("\n".join(chunk))[0]
            sections[-1][1].append(Block(item["name"], list(item.get("aliases") or []), item.get("country"),
                                         item.get("igo"), [dict(r) for r in item.get("roles") or []]))
            chunk.clear()

    for line in text.splitlines():
        if line.startswith(SECTION_RULE):
            flush()
            sections.append((line[len(SECTION_RULE):].strip(), []))
        elif not sections:
            header.append(line)
        elif line.startswith("- name:"):
            flush()
            chunk.append(line)
        elif line.strip():
            chunk.append(line)
    flush()
    return header, sections


def render(header: list[str], sections: list[tuple[str, list[Block]]]) -> str:
    lines = list(header)
    for title, blocks in sections:
        lines.append(SECTION_RULE + title)
        for b in blocks:
            lines += block_lines(b)
    return "\n".join(lines) + "\n"


def bounds(d: str | None, high: bool) -> str:
    """Earliest (or latest) full date a partial date can mean; open end = far future."""
    if d is None:
        return "9999-12-31"
    parts = str(d).split("-")
    if len(parts) == 3:
        return str(d)
    if len(parts) == 2:
        return f"{d}-31" if high else f"{d}-01"
    return f"{d}-12-31" if high else f"{d}-01-01"


def overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two tenures may overlap (the partial dates allow it)."""
    return bounds(a["start"], False) <= bounds(b.get("end"), True) and bounds(b["start"], False) <= bounds(a.get("end"), True)


def same_office(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return fold(a["title"]) == fold(b["title"]) and a.get("igo") == b.get("igo") and a.get("country") == b.get("country")


def sort_roles(roles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(roles, key=lambda r: (bounds(r["start"], False), bounds(r.get("end"), False)), reverse=True)


def full_forms(b: Block) -> set[str]:
    return {fold(f) for f in (b.name, *b.aliases) if " " in f.strip()} | {fold(b.name)}


def section_names() -> dict[str, str]:
    data = yaml.safe_load(COUNTRIES.read_text("utf-8"))
    return {c["iso3"]: c.get("name") or c["iso3"] for c in data}


def merge_into(old: Block, new: dict[str, Any], report: list[str]) -> None:
    country = new.get("country")
    if old.country is None and country:
        # known until now only for an organisation: the person gets a country, the IGO moves to the roles
        for r in old.roles:
            if not r.get("igo") and not r.get("country"):
                r["igo"] = old.igo
        old.country, old.igo = country, None
        report.append(f"  {old.name}: country null -> {country}")
    for a in new.get("aliases") or []:
        if fold(a) not in {fold(x) for x in (old.name, *old.aliases)}:
            old.aliases.append(a)
    for r in new.get("roles") or []:
        r = {k: v for k, v in r.items() if v is not None or k == "end"}
        if not r.get("igo") and not r.get("country") and old.country is None and old.igo:
            r["igo"] = old.igo  # an IGO person's role without igo: keeps the person's organisation
        if not r.get("igo") and not r.get("country") and new.get("igo") and not country:
            r["igo"] = new["igo"]  # a fragment item for an organisation: its roles act for it
        if country and old.country and country != old.country and not r.get("igo") and not r.get("country"):
            r["country"] = country
        clash = [x for x in old.roles if same_office(x, r) and overlaps(x, r)]
        if clash:
            if any(str(x["start"]) != str(r["start"]) or str(x.get("end")) != str(r.get("end")) for x in clash):
                report.append(f"  SKIPPED {old.name}: {r} clashes with {clash}")
            continue
        old.roles.append(r)
    old.roles = sort_roles(old.roles)


def merge(fragment: list[dict[str, Any]], sections: list[tuple[str, list[Block]]]) -> list[str]:
    report: list[str] = []
    names = section_names()
    for item in fragment:
        expect = item.pop("expect", None)
        forms = {fold(item["name"])} | {fold(a) for a in item.get("aliases") or [] if " " in a.strip()}
        country = item.get("country")
        hits = [b for _, bs in sections for b in bs
                if full_forms(b) & forms and (b.country == country or b.country is None or country is None)]
        if len(hits) > 1:
            raise SystemExit(f"{item['name']}: matches several people: {[b.name for b in hits]}")
        if hits:
            if expect == "new":
                raise SystemExit(f"{item['name']}: expected new, but matches {hits[0].name}")
            merge_into(hits[0], item, report)
            continue
        if expect == "existing":
            raise SystemExit(f"{item['name']}: expected an existing person, none matches")
        surname = fold(item["name"]).split()[-1]
        twins = [b.name for _, bs in sections for b in bs if b.country == country and fold(b.name).split()[-1] == surname]
        if twins and expect != "new":
            report.append(f"  CHECK new {item['name']} ({country}): same surname as {twins}")
        block = Block(item["name"], list(item.get("aliases") or []), country, item.get("igo"),
                      sort_roles([{k: v for k, v in r.items() if v is not None or k == "end"} for r in item["roles"]]))
        home = next((t for t, bs in sections if country and any(b.country == country for b in bs)), None)
        title = home or (names.get(country, country) if country else _igo_section(item.get("igo")))
        _section(sections, title).append(block)
    return report


#: The section that people known for an organisation go to (UN agencies with the UN, ...).
IGO_SECTION = {"NATO": "NATO", "EU": "European Union", "EP": "European Union", "ECB": "European Union",
               "AU": "African Union", "OAU": "African Union",
               **{g: "United Nations" for g in ("UN", "UNHCR", "OHCHR", "IAEA", "WHO", "OCHA", "WFP", "UNICEF",
                                                 "UNDP", "UNCTAD", "ICC", "OPCW")}}


def _igo_section(igo: str | None) -> str:
    return IGO_SECTION.get(igo or "", "Other international organisations")


def _section(sections: list[tuple[str, list[Block]]], title: str) -> list[Block]:
    for t, bs in sections:
        if t == title:
            return bs
    at = next((i for i, (t, _) in enumerate(sections) if t in IGO_SECTIONS), len(sections))
    if title in IGO_SECTIONS or title == "Other international organisations":  # after the country sections
        at = len(sections)
    sections.insert(at, (title, []))
    return sections[at][1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("fragment", type=Path)
    ap.add_argument("--dry-run", action="store_true", help="report, do not write people.yaml")
    args = ap.parse_args(argv)
    header, sections = parse_people(PEOPLE.read_text("utf-8"))
    before = sum(len(b.roles) for _, bs in sections for b in bs)
    fragment = yaml.safe_load(args.fragment.read_text("utf-8")) or []
    report = merge(fragment, sections)
    text = render(header, sections)
    after = sum(len(b.roles) for _, bs in sections for b in bs)
    yaml.safe_load(text)  # the output must stay valid YAML
    print("\n".join(report))
    print(f"roles: {before} -> {after}", file=sys.stderr)
    if not args.dry_run:
        PEOPLE.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
