"""Dated roles of people in the Phoenix country-actor dictionary, as candidates for people.yaml.

Usage:
  python scripts/phoenix_people.py candidates [--country RUS] [--since 1990]
      one line per person: name | country | code start..end | comment (no titles: Phoenix has none)
  python scripts/phoenix_people.py check [--days 90]
      people.yaml roles (starting before the dictionary's end, about 2015) whose start is not
      inside any Phoenix office range of the same person and country, give or take DAYS
      (people matched by folded name or multi-word alias): tenures to re-check by hand.

Source: ../shared/reference/phoenix/Phoenix.Countries.actors.txt (or $PHOENIX), from the
Phoenix/PETRARCH2 dictionaries, Copyright (c) 2014 Open Event Data Alliance, MIT licence (see
reference/phoenix/LICENSE). The dictionary stops about 2016: an open end (">040309") means
"from then on, as of about 2016", not "still in office". Its ranges carry no titles, and
several ranges of one person may be merged or mis-dated: nothing here is taken without review.
Dates: YYMMDD (YY <= 20 read as 20YY) or YYYYMMDD.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from people_merge import PEOPLE, fold  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "reference" / "phoenix" / "Phoenix.Countries.actors.txt"
#: Two-digit years up to this one are 20YY (the dictionary was last revised about 2016).
CENTURY_PIVOT = 20
RANGE = re.compile(r"^\s+\[([A-Z]{3})([A-Z]*)\s*([<>]?)(\d{6,8})?(?:-(\d{6,8}))?\s*\]\s*(?:#\s*(.*))?$")
#: Phoenix sector suffixes that mark an office (ELI = former, not a role).
OFFICE_SECTORS = ("GOV", "MIL", "LEG", "JUD", "COP", "SPY", "OPP")


@dataclass
class PhoenixRange:
    country: str
    sector: str
    start: str | None
    end: str | None
    comment: str


@dataclass
class PhoenixPerson:
    name: str
    aliases: list[str] = field(default_factory=list)
    ranges: list[PhoenixRange] = field(default_factory=list)


def iso(d: str | None) -> str | None:
    if not d:
        return None
    if len(d) == 6:
        yy = int(d[:2])
        d = ("20" if yy <= CENTURY_PIVOT else "19") + d
    return f"{d[:4]}-{d[4:6]}-{d[6:8]}"


def parse(path: Path) -> list[PhoenixPerson]:
    people: list[PhoenixPerson] = []
    cur: PhoenixPerson | None = None
    for line in path.read_text("utf-8", errors="replace").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        m = RANGE.match(line)
        if m:
            if cur is not None:
                country, sector, op, a, b, comment = m.groups()
                start, end = (None, iso(a)) if op == "<" else (iso(a), iso(b))
                cur.ranges.append(PhoenixRange(country, sector or "", start, end, (comment or "").strip()))
            continue
        if line.startswith("+"):
            if cur is not None:
                cur.aliases.append(_words(line[1:]))
            continue
        if line[0].isspace():
            continue
        head = line.split("#")[0].split("[")[0]
        cur = PhoenixPerson(_words(head))
        people.append(cur)
    return [p for p in people if p.ranges and len(p.name.split()) >= 2]


def _words(s: str) -> str:
    return " ".join(s.replace("_", " ").split()).title()


def is_office(r: PhoenixRange) -> bool:
    return r.sector[:3] in OFFICE_SECTORS and r.start is not None


def candidates(people: list[PhoenixPerson], country: str | None, since: str) -> None:
    for p in people:
        for r in p.ranges:
            if is_office(r) and (country is None or r.country == country) and (r.end or "9999") >= since:
                end = r.end or ">"
                print(f"{p.name} | {r.country} | {r.sector} {r.start}..{end} | {r.comment}")


def _full(d: str) -> str:
    parts = d.split("-")
    return "-".join(parts + ["01"] * (3 - len(parts)))


#: Roles starting after this are past the dictionary's coverage and are not checked.
PHOENIX_END = "2014-12-31"


def _covered(start: str, r: PhoenixRange, days: int) -> bool:
    lo = date.fromisoformat(r.start or "1900-01-01") - timedelta(days=days)
    hi = date.fromisoformat(r.end or PHOENIX_END) + timedelta(days=days)
    return lo <= date.fromisoformat(start) <= hi


def check(people: list[PhoenixPerson], days: int) -> None:
    index: dict[str, list[PhoenixPerson]] = {}
    for p in people:
        for form in {p.name, *p.aliases}:
            if len(form.split()) >= 2:
                index.setdefault(fold(form), []).append(p)
    ours = yaml.safe_load(PEOPLE.read_text("utf-8"))
    for person in ours:
        forms = {fold(f) for f in (person["name"], *(person.get("aliases") or [])) if " " in f}
        found = {id(x): x for f in forms for x in index.get(f, [])}.values()
        for r in person.get("roles") or []:
            c = r.get("country") or (None if r.get("igo") else person.get("country"))
            ranges = [x for p in found for x in p.ranges if is_office(x) and x.country == c]
            start = _full(str(r["start"]))
            if not ranges or not "1990" <= start <= PHOENIX_END:
                continue
            if not any(_covered(start, x, days) for x in ranges):
                print(f"{person['name']} | {r['title']} {r['start']}..{r.get('end')} | phoenix: "
                      + ", ".join(sorted({f"{x.start}..{x.end or '>'}" for x in ranges})))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=("candidates", "check"))
    ap.add_argument("--country")
    ap.add_argument("--since", default="1990")
    ap.add_argument("--days", type=int, default=90)
    args = ap.parse_args(argv)
    path = Path(os.environ.get("PHOENIX", DEFAULT))
    if not path.is_file():
        print(f"{path}: not found (set PHOENIX=path/to/Phoenix.Countries.actors.txt)", file=sys.stderr)
        return 1
    people = parse(path)
    if args.mode == "candidates":
        candidates(people, args.country, args.since)
    else:
        check(people, args.days)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
