"""Dated roles of people in the Phoenix country-actor dictionary: review aids for people.yaml, and
the generated layer ``src/entente/data/people_phoenix.yaml``.

Usage:
  python scripts/phoenix_people.py export [--check] [--report]
      write src/entente/data/people_phoenix.yaml (see EXPORT below); --check only compares it
      with what would be written (exit 1 if it differs); --report lists what each filter left out
  python scripts/phoenix_people.py candidates [--country RUS] [--since 1990]
      one line per person: name | country | code start..end | comment (no titles: Phoenix has none)
  python scripts/phoenix_people.py check [--days 90] [--since 1990]
      people.yaml roles (starting from SINCE to the dictionary's end, about 2015) whose start is
      not inside any Phoenix office range of the same person and country, give or take DAYS
      (people matched by folded name or multi-word alias): tenures to re-check by hand.
      --since 1945 checks the Cold War roles too (Phoenix covers them thinly).

Source: ../shared/reference/phoenix/Phoenix.Countries.actors.txt (or $PHOENIX), from the
Phoenix/PETRARCH2 dictionaries, Copyright (c) 2014 Open Event Data Alliance, MIT licence (see
reference/phoenix/LICENSE). The dictionary stops about 2016: an open end (">040309") means
"from then on, as of about 2016", not "still in office". Its ranges carry no titles, and
several ranges of one person may be merged or mis-dated. Dates: YYMMDD (YY <= 20 read as 20YY)
or YYYYMMDD.

EXPORT: every Phoenix person is converted, then kept out by the first filter that applies:
no range left; a name of one word, garbled by the dictionary's encoding, or with a title or an
organisation's word ("General Secretary Gorbachev", "Syrian National Council"); a name or
multi-word alias that people.yaml already has (folded), or a name close to one of people.yaml's
of the same country (people.yaml wins); a name that is a form of another knowledge-base file
(country, capital, city, place, region, organisation, institution, IGO, sector word); a name
of two words too common to stand for one person (COMMON_SURNAMES); a name that a Phoenix person
of another country also has. Namesakes of one country are one person. A range is kept when its code's country is one countries.yaml knows
(or a CAMEO code for one, ``COUNTRY_CODES``; IGO codes only through ``IGO_CODES``), its sector
is an office or ELI (``SECTORS``) and its dates are valid; the ranges of one office that
overlap are joined. Aliases are Phoenix's alias lines (and further head lines of the same
block), cased like the name, kept when they have two words or more, no digits, no title or
role word, and belong to no other person or knowledge-base entry.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from people_merge import PEOPLE, fold, scalar  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "entente" / "data"
OUT = DATA / "people_phoenix.yaml"
DEFAULT = ROOT.parent / "shared" / "reference" / "phoenix" / "Phoenix.Countries.actors.txt"
PROVENANCE = "openeventdata/petrarch2, petrarch2/data/dictionaries/, commit 676801cd"
#: Two-digit years up to this one are 20YY (the dictionary was last revised about 2016).
CENTURY_PIVOT = 20
RANGE = re.compile(r"^\s+\[([A-Z]{3})([A-Z]*)\s*([<>]?)\s*(\d{6,8})?(?:-(\d{6,8}))?\s*\]\s*(?:#\s*(.*))?$")
#: Phoenix sector suffixes that mark an office (ELI = former, not a role).
OFFICE_SECTORS = ("GOV", "MIL", "LEG", "JUD", "COP", "SPY", "OPP")

# -- what the export keeps, and how ------------------------------------------------------------

#: Phoenix code suffix (after the country) -> entente sector. A minister goes to the sector of the
#: ministry, as in sectors.yaml (GOVMIL defence -> MIL, GOVHLH health -> HLH); other ministers
#: (GOVBUS economy, GOVMED information, GOVDEV development...) are GOV. GOVLEG marks members of
#: parliament. Codes not listed (REB, OCC, UNR, AUT, ...) are no office: the range is dropped.
SECTORS = {
    "GOV": "GOV", "GOVMIL": "MIL", "GOVCOP": "COP", "GOVJUD": "JUD", "GOVSPY": "SPY", "GOVLEG": "LEG",
    "GOVHLH": "HLH", "GOVEDU": "EDU", "GOVLAB": "LAB", "GOVAGR": "AGR", "GOVENV": "ENV",
    "GOVBUS": "GOV", "GOVMED": "GOV", "GOVDEV": "GOV", "GOVHRI": "GOV", "GOVREL": "GOV", "GOVREF": "GOV",
    "GOVMUS": "GOV", "GOVPTY": "GOV",
    "MIL": "MIL", "MILDEV": "MIL", "MILSPY": "SPY", "COP": "COP", "JUD": "JUD", "SPY": "SPY", "LEG": "LEG",
    "OPP": "OPP", "ELI": "ELI", "ELIMUS": "ELI",
}
#: Phoenix has no titles: each role gets a generic one by sector, a description rather than an office
#: (none is a title of sectors.yaml, so "the minister" never picks a Phoenix person as its holder).
TITLES = {
    "GOV": "Government official", "MIL": "Defence or military official", "COP": "Interior or police official",
    "JUD": "Justice official", "SPY": "Intelligence official", "LEG": "Member of the legislature",
    "OPP": "Member of the opposition", "HLH": "Health official", "EDU": "Education official", "LAB": "Labour official",
    "AGR": "Agriculture official", "ENV": "Environment official", "ELI": "Public figure",
}
#: CAMEO country codes that are not the ISO ones countries.yaml uses. A territory is coded after its
#: state ("GBRVGBGOV": the governor of the British Virgin Islands): the role goes to the territory.
COUNTRY_CODES = {"TMP": "TLS", "KSV": "XKX", "USR": "SUN", "FRY": "YUG", "IMY": "IMN"}
#: Phoenix filed Mauritania's prime ministers of 1979-1992 under Mauritius (MUS): a name with the
#: Hassaniya patronymic "Ould", which Mauritius does not use, is Mauritania's (MRT).
MISFILED = {("MUS", "ould"): "MRT"}
#: Phoenix IGO codes kept, as the igos.yaml organisation the role acts for. Left out: IGOEUREEC (the
#: six-month rotating presidency of the European Council, held by a head of government who still
#: acts for their state) and IGOUNOTMP (leaders of East Timor under the UN administration).
IGO_CODES = {"IGOUNOIAE": "IAEA"}
OPEN_NOTE = "open range in a dictionary revised about 2016: may have ended since"
#: A name this close (rapidfuzz ratio of the folded names) to one of people.yaml's of the same country
#: is taken for a spelling of that person ("Nursultan Nazarbaev" / "Nursultan Nazarbayev").
NEAR_NAME_RATIO = 90
#: Words that make an alias a title or a description, not a name ("President Putin", "Assad regime");
#: the abbreviations count with their full stop only ("Gen. Smith", not "Ulla Maj Wideroos").
NOT_NAME_WORDS = {
    "president", "vice", "vice-president", "minister", "premier", "secretary", "chancellor", "senator",
    "congressman", "congresswoman", "representative", "governor", "ambassador", "general", "colonel",
    "admiral", "commander", "chief", "leader", "chairman", "spokesman", "director", "head", "former", "ex",
    "mr", "mrs", "ms", "justice", "judge", "acting", "interim",
    "regime", "administration", "government", "cabinet", "ministry", "department", "office", "party", "army",
    "force", "forces", "council", "committee", "agency", "brigade", "brigades", "front", "movement", "union",
    "coalition", "house", "state", "states", "national", "united", "killed", "deceased", "the", "of", "and",
    "for", "u.s.", "defense", "defence", "foreign", "security", "intelligence", "central", "liberation",
    "jaish", "supreme", "communist", "speaker", "king", "queen", "emir", "amir", "sultan", "prince",
    "princess", "crown", "pope",
    "gen.", "sen.", "col.", "lt.", "maj.", "capt.", "adm.", "rep.", "gov.", "pres.", "sec.", "min.", "mr.", "dr.",
    "mrs.", "ms.",
}
#: Words of NOT_NAME_WORDS that a name may still carry, as the press names these people ("Sheikh Sabah
#: al-Ahmad", "Prince Sultan bin Abdulaziz", "Sultan Qaboos"); an alias may not.
NAME_TITLES = {"king", "queen", "emir", "amir", "sultan", "prince", "princess", "crown"}
#: A name of two words (particles aside) is too common to stand for one person when its surname is one of
#: these, the 200 commonest in the United States (US Census 1990, public domain): "John Williams" in a story
#: is rarely Barbados's minister; or when both its words are each in the names of COMMON_WORD_PEOPLE
#: people or more of this layer and people.yaml ("Mohamed Ahmed", "Ismail Khan").
COMMON_SURNAMES = set("""
smith johnson williams jones brown davis miller wilson moore taylor anderson thomas jackson white harris martin
thompson garcia martinez robinson clark rodriguez lewis lee walker hall allen young hernandez king wright lopez hill
scott green adams baker gonzalez nelson carter mitchell perez roberts turner phillips campbell parker evans edwards
collins stewart sanchez morris rogers reed cook morgan bell murphy bailey rivera cooper richardson cox howard ward
torres peterson gray ramirez james watson brooks kelly sanders price bennett wood barnes ross henderson coleman
jenkins perry powell long patterson hughes flores washington butler simmons foster gonzales bryant alexander russell
griffin diaz hayes myers ford hamilton graham sullivan wallace woods cole west jordan owens reynolds fisher ellis
harrison gibson mcdonald cruz marshall ortiz gomez murray freeman wells webb simpson stevens tucker porter hunter
hicks crawford henry boyd mason morales kennedy warren dixon ramos reyes burns gordon shaw holmes rice robertson hunt
black daniels palmer mills nichols grant knight ferguson rose stone hawkins dunn perkins hudson spencer gardner
stephens payne pierce berry matthews arnold wagner willis ray watkins olson carroll duncan snyder hart cunningham
bradley lane andrews ruiz harper fox riley armstrong carpenter weaver greene lawrence elliott chavez sims austin
peters kelley franklin lawson""".split())
COMMON_WORD_PEOPLE = 25
#: Honorifics dropped from the front of a name, which then keeps them as an alias ("Sir Anerood
#: Jugnauth" -> name "Anerood Jugnauth").
HONORIFICS = {"sir", "dame", "dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "hon", "hon."}
#: Lower-case inside a name (not as its first word): "Hamad bin Khalifa", "Joop den Uyl", "Ursula von der
#: Leyen". Arabic articles become hyphen prefixes: "Abdul Salam al-Majali", "Abdel Fattah el-Sisi".
PARTICLES = {"de", "del", "della", "der", "den", "van", "von", "da", "das", "do", "dos", "di", "du", "y", "e", "bin",
             "bint", "ibn", "zu", "ter", "ten"}
ARTICLES = {"al", "el"}
#: Countries whose "Van"/"De"/"Vanden" are written capitalised ("Herman Van Rompuy", "Karel De Gucht").
CAPITAL_PARTICLES = {"BEL"}
#: Countries whose hyphenated given names keep the second part lower-case ("Ban Ki-moon", "Kim Jong-un").
KOREAN = {"KOR", "PRK"}
#: "Mac" names written with a capital after it; the others are plain ("Machado", "Macedo", "Macmillan").
MAC_NAMES = {"macarthur", "macaskill", "macdonald", "maceachen", "macgregor", "mackay", "mackinnon", "maclean",
             "macleod", "macneil", "macshane", "macaulay", "mackenzie", "macintyre", "macfarlane", "macdougall"}
ROMAN = {"ii", "iii", "iv", "vi", "vii", "viii"}
SUFFIXES = {"jr": "Jr.", "jr.": "Jr.", "sr": "Sr.", "sr.": "Sr."}


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
    #: the block's lines as written (head first, then other head lines and aliases), without "+" and comments
    raw: list[str] = field(default_factory=list)


def iso(d: str | None) -> str | None:
    if not d:
        return None
    if len(d) == 6:
        yy = int(d[:2])
        d = ("20" if yy <= CENTURY_PIVOT else "19") + d
    return f"{d[:4]}-{d[4:6]}-{d[6:8]}"


def _valid(d: str | None) -> bool:
    try:
        return d is not None and date.fromisoformat(d) is not None
    except ValueError:
        return False


def blocks(path: Path) -> list[PhoenixPerson]:
    """Every actor block of the dictionary with its ranges; head lines that follow each other with
    nothing between them are one block ("PRESIDENT_JOSIPOVIC_" / "JOSIPOVIC_" / its ranges)."""
    people: list[PhoenixPerson] = []
    cur: PhoenixPerson | None = None
    for line in path.read_text("utf-8", errors="replace").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        m = RANGE.match(line)
        if m:
            if cur is not None:
                country, sector, op, a, b, comment = m.groups()
                if a and len(a) == 7 or b and len(b) == 7:
                    continue  # a mistyped date
                start, end = (None, iso(a)) if op == "<" else (iso(a), iso(b))
                cur.ranges.append(PhoenixRange(country, sector or "", start, end, (comment or "").strip()))
            continue
        if line.startswith("+"):
            if cur is not None:
                alias = line[1:].split("#")[0].strip()
                cur.aliases.append(_words(alias))
                cur.raw.append(alias)
            continue
        if line[0].isspace():
            continue
        head = line.split("#")[0].split("[")[0].strip()
        if cur is not None and not cur.ranges and len(cur.raw) == 1 and "[" not in line:
            cur.raw.append(head)  # a further head line of the same block
            cur.aliases.append(_words(head))
            continue
        cur = PhoenixPerson(_words(head), raw=[head])
        people.append(cur)
    return people


def parse(path: Path) -> list[PhoenixPerson]:
    """The blocks with ranges and a name of two words or more."""
    return [p for p in blocks(path) if p.ranges and len(p.name.split()) >= 2]


def _words(s: str) -> str:
    return " ".join(s.replace("_", " ").split()).title()


def is_office(r: PhoenixRange) -> bool:
    return r.sector[:3] in OFFICE_SECTORS and r.start is not None


# -- names -------------------------------------------------------------------------------------


def _cap(part: str) -> str:
    """One word without hyphens, capitalised: "mccain" -> "McCain", "o'neill" -> "O'Neill"."""
    if not part:
        return part
    if part in ROMAN:
        return part.upper()
    if part in SUFFIXES:
        return SUFFIXES[part]
    if part.startswith("mc") and len(part) > 3:
        return "Mc" + part[2:3].upper() + part[3:]
    if part in MAC_NAMES:
        return "Mac" + part[3:4].upper() + part[4:]
    if "'" in part:
        head, _, rest = part.partition("'")
        if head in ("", "o", "d"):  # 'Aziz, O'Neill, D'Alema; but Ma'aruf
            return head.upper() + "'" + _cap(rest)
    if re.fullmatch(r"([a-z]\.)+", part):
        return part.upper()  # initials: "R.", "J.P."
    return part[:1].upper() + part[1:]


def clean(raw: str) -> str:
    """A Phoenix phrase without what is not the name: a parenthesis (closed or not: "(ACTING"), a
    nickname in quotes, the comma before "JR."."""
    raw = re.sub(r"\(.*", "", raw.replace("_", " "))
    raw = re.sub(r'"[^"]*"', " ", raw)
    return " ".join(re.sub(r",\s*(JR|SR)\b", r" \1", raw, flags=re.I).split())


def proper(raw: str, country: str | None = None) -> str:
    """English casing of a Phoenix phrase: "ABDUL_SALAM_AL_MAJALI_" -> "Abdul Salam al-Majali",
    "HAMAD_BIN_KHALIFA_AL_THANI" -> "Hamad bin Khalifa al-Thani", "JOHN_MCCAIN" -> "John McCain",
    "ANDREAS_VAN_AGT" -> "Andreas van Agt", "EL-SISI" -> "el-Sisi"."""
    words = clean(raw).lower().split()
    out: list[str] = []
    k = 0
    while k < len(words):
        w = words[k]
        first = not out
        if w in ARTICLES and k + 1 < len(words):
            nxt = words[k + 1]
            joined = _hyphenated(nxt, country)
            out.append(("Al" if w == "al" else "El") + "-" + joined if first else f"{w}-{joined}")
            k += 2
            continue
        if w in PARTICLES and not first and not (country in CAPITAL_PARTICLES and w in ("van", "de", "der", "den")):
            out.append(w)
        else:
            out.append(_hyphenated(w, country, first))
        k += 1
    return " ".join(out)


def _hyphenated(word: str, country: str | None, first: bool = False) -> str:
    parts = word.split("-")
    done = []
    for j, part in enumerate(parts):
        if j and part in ARTICLES | {"ul", "ud", "ad", "ed", "as", "ash", "at", "az", "ar", "an", "e", "i"} \
                and j + 1 < len(parts):
            done.append(part)  # "Zia-ul-Haq", "Lashkar-e-Taiba"
        elif j == 0 and part in ARTICLES and len(parts) > 1 and not first:
            done.append(part)  # "al-Assad" inside a name
        elif j and country in KOREAN and len(parts) == 2 and len(part) <= 4:
            done.append(part)  # "Ki-moon"
        else:
            done.append(_cap(part))
    return "-".join(done)


def spaced(form: str) -> str | None:
    """The same name with its Arabic articles as separate words ("al-Majali" -> "al Majali"), as
    some copy writes them and the tokenizer then reads differently; None when there are none."""
    other = re.sub(r"(^|\s)(al|el|Al|El)-(?=\w)", r"\1\2 ", form)
    return other if other != form else None


# -- the knowledge base the layer must fit into ------------------------------------------------


@cache
def _load(name: str) -> Any:
    """A data file, parsed once (callers only read it)."""
    return yaml.load((DATA / name).read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _as_list(v: Any) -> list[Any]:
    return [] if v is None else list(v) if isinstance(v, list) else [v]


def kb_forms() -> dict[str, str]:
    """Folded forms of the other knowledge-base files (every one but people.yaml) -> what they are."""
    forms: dict[str, str] = {}

    def add(values: Any, kind: str) -> None:
        for v in _as_list(values):
            if v and isinstance(v, str):
                forms.setdefault(fold(v), kind)

    for c in _load("countries.yaml"):
        for key in ("name", "official", "names", "abbrev", "adjectives", "demonyms", "capitals", "cities"):
            add(c.get(key), f"country {c['iso3']}")
    for g in _load("igos.yaml"):
        add([g["abbrev"], g.get("name"), *_as_list(g.get("names"))], f"IGO {g['abbrev']}")
    for i in _load("institutions.yaml"):
        add([i["name"], *_as_list(i.get("aliases"))], "institution")
    for name in ("organisations.yaml", "organisations_phoenix.yaml"):
        for o in _load(name):
            add([o["name"], *_as_list(o.get("aliases")), *_as_list(o.get("acronyms"))], "organisation")
    for r in _load("regions.yaml"):
        add([r["name"], *_as_list(r.get("aliases")), *_as_list(r.get("adjectives"))], "region")
    for line in (DATA / "places.tsv").read_text("utf-8").splitlines():
        row = line.split("\t")
        if line.startswith("#") or len(row) < 4 or row[0] == "name":
            continue
        add([row[0], *row[3].split("|")], "place")
    sectors = _load("sectors.yaml")
    for code, spec in sectors.items():
        if isinstance(spec, dict) and code.isupper():
            add([*_as_list(spec.get("nouns")), *_as_list(spec.get("titles"))], "sector word")
    add(list(sectors.get("country_titles") or {}), "sector word")
    forms.pop("", None)
    return forms


@dataclass
class Ours:
    """people.yaml's forms, folded, and its people's folded names by country."""

    forms: set[str]
    by_country: dict[str, list[str]]


def _load_people() -> list[dict[str, Any]]:
    return _load(PEOPLE.name)


def ours() -> Ours:
    forms: set[str] = set()
    by_country: dict[str, list[str]] = defaultdict(list)
    for p in _load_people():
        names = [fold(f) for f in (p["name"], *(p.get("aliases") or []))]
        forms.update(names)
        countries = {p.get("country"), *(r.get("country") for r in p.get("roles") or [])} - {None}
        for c in countries:
            by_country[c].extend(n for n in names if " " in n)
    return Ours(forms, by_country)


# -- the export --------------------------------------------------------------------------------


@dataclass
class Candidate:
    """A Phoenix person on the way into the layer."""

    name: str
    aliases: list[str]
    country: str | None
    igo: str | None
    roles: list[dict[str, Any]]


def convert_range(r: PhoenixRange, name: list[str], countries: set[str], igos: set[str],
                  why: Counter[str]) -> dict[str, Any] | None:
    """A Phoenix range of the person whose name has the (lower-case) ``name`` words as a role of
    people.yaml's format, or None (``why`` counts the reason)."""
    if r.country == "IGO":
        owner = IGO_CODES.get(r.country + r.sector)
        if owner is None or owner not in igos:
            why["range: IGO code not kept"] += 1
            return None
        sector, where = "GOV", {"igo": owner}
    else:
        country, code = COUNTRY_CODES.get(r.country, r.country), r.sector
        if len(code) >= 6 and code not in SECTORS and COUNTRY_CODES.get(code[:3], code[:3]) in countries:
            country, code = COUNTRY_CODES.get(code[:3], code[:3]), code[3:]  # a territory of the state
        country = next((fix for (c, word), fix in MISFILED.items() if c == country and word in name), country)
        if country not in countries:
            why["range: country unknown to entente"] += 1
            return None
        sector = SECTORS.get(code)  # type: ignore[assignment]
        if sector is None:
            why["range: not an office or ELI"] += 1
            return None
        where = {"country": country}
    if r.start is None:
        why["range: no start (default code or '<' range)"] += 1
        return None
    if not _valid(r.start) or (r.end is not None and not _valid(r.end)):
        why["range: invalid date"] += 1
        return None
    if r.end is not None and r.end < r.start:
        why["range: ends before it starts"] += 1
        return None
    return {"title": TITLES[sector], "sector": sector, **where, "start": r.start, "end": r.end}


def join_roles(roles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Roles of one office (same sector, country or IGO) that overlap or repeat become one; newest first."""
    out: list[dict[str, Any]] = []
    for r in sorted(roles, key=lambda r: (r["start"], r["end"] or "9999")):
        same = next((o for o in out if (o["sector"], o.get("country"), o.get("igo")) ==
                     (r["sector"], r.get("country"), r.get("igo")) and (o["end"] is None or r["start"] <= o["end"])),
                    None)
        if same is None:
            out.append(dict(r))
        elif same["end"] is not None and (r["end"] is None or r["end"] > same["end"]):
            same["end"] = r["end"]
    for r in out:
        if r["end"] is None:
            r["note"] = OPEN_NOTE
    return sorted(out, key=lambda r: (r["start"], r["end"] or "9999"), reverse=True)


#: Control characters and the replacement character: a name the dictionary garbled ("JAN_STRASK\x1aY").
GARBLED = re.compile(r"[\x00-\x1f\x7f\ufffd]")


def _name_like(form: str, allowed: frozenset[str] | set[str] = frozenset()) -> bool:
    """Two words or more, no digits or odd signs, and no title or description word but the ``allowed`` ones."""
    words = form.lower().split()
    return len(words) >= 2 and not any(ch.isdigit() for ch in form) and not re.search(r"[()#,;:/&\"?!]", form) \
        and not GARBLED.search(form) \
        and not any(w in NOT_NAME_WORDS and w not in allowed for w in re.split(r"[\s-]+", form.lower()))


def _key(form: str) -> str:
    """A form as the knowledge base keys it (case and spacing aside): "al-Majali" and "al Majali" differ."""
    return " ".join(form.lower().split())


def candidate(p: PhoenixPerson, countries: set[str], igos: set[str], why: Counter[str]) -> Candidate | None:
    words = clean(p.raw[0]).split()
    roles = [x for r in p.ranges if (x := convert_range(r, [w.lower() for w in words], countries, igos, why))]
    if not roles:
        return None
    roles = join_roles(roles)
    offices = [r for r in roles if r["sector"] != "ELI"] or roles
    latest = max((r for r in offices if r.get("country")), key=lambda r: r["start"], default=None)
    country = latest["country"] if latest else None
    igo = None if country else roles[0].get("igo")
    for r in roles:  # a role says where it acts only when that is not the person's country or IGO
        if country and r.get("country") == country:
            del r["country"]
        if igo and r.get("igo") == igo:
            del r["igo"]
    forms = [proper(x, country) for x in p.raw]
    if words and words[0].lower() in HONORIFICS and len(words) > 2:
        forms = [proper(" ".join(words[1:]), country), *forms]
    name, aliases = forms[0], []
    seen = {_key(name)}
    for a in forms[1:] + [s for f in forms if (s := spaced(f))]:
        if _name_like(a) and _key(a) not in seen:
            seen.add(_key(a))
            aliases.append(a)
    return Candidate(name, aliases, country, igo, roles)


def export(path: Path, report: Counter[str] | None = None) -> list[Candidate]:
    """The Phoenix people the layer keeps (see EXPORT in the module docstring), in dictionary order."""
    why: Counter[str] = report if report is not None else Counter()
    countries = {c["iso3"] for c in _load("countries.yaml")}
    igos = {g["abbrev"] for g in _load("igos.yaml")}
    taken, mine = kb_forms(), ours()
    kept: list[Candidate] = []
    for p in blocks(path):
        if not p.ranges:
            continue
        c = candidate(p, countries, igos, why)
        if c is None:
            why["person: no range kept"] += 1
            continue
        if len(c.name.split()) < 2:
            why["person: one-word name"] += 1
            continue
        if GARBLED.search(c.name):
            why["person: name garbled in the dictionary"] += 1
            continue
        if not _name_like(c.name, NAME_TITLES):
            why["person: name with a title, an office or an organisation's word"] += 1
            continue
        if any(fold(f) in mine.forms for f in (c.name, *c.aliases)):
            why["person: in people.yaml"] += 1
            continue
        if c.country and _near(fold(c.name), mine.by_country.get(c.country, ())):
            why["person: close to a people.yaml name of the same country"] += 1
            continue
        if fold(c.name) in taken:
            why[f"person: name is a {taken[fold(c.name)].split()[0]} form"] += 1
            continue
        before = len(c.aliases)
        c.aliases = [a for a in c.aliases if fold(a) not in taken]
        why["alias: a form of another file"] += before - len(c.aliases)
        kept.append(c)
    return _settle(_uncommon(kept, why), why)


def _core(name: str) -> list[str]:
    """The folded words of a name but its particles ("Hamad bin Khalifa" -> hamad, khalifa)."""
    return [w for w in fold(name).split() if w not in PARTICLES | ARTICLES]


def _uncommon(people: list[Candidate], why: Counter[str]) -> list[Candidate]:
    """The people whose name is not too common to name one person (see COMMON_SURNAMES)."""
    uses: Counter[str] = Counter()
    for name in [c.name for c in people] + [p["name"] for p in _load_people()]:
        uses.update(set(_core(name)))

    def common(form: str) -> bool:
        words = _core(form)
        return len(words) == 2 and (words[1] in COMMON_SURNAMES or all(uses[w] >= COMMON_WORD_PEOPLE for w in words))

    out = []
    for c in people:
        if common(c.name):
            why["person: a common name of two words"] += 1
            continue
        before = len(c.aliases)
        c.aliases = [a for a in c.aliases if not common(a)]
        why["alias: a common name of two words"] += before - len(c.aliases)
        out.append(c)
    return out


def _near(name: str, names: Any) -> bool:
    from rapidfuzz import fuzz, process

    return process.extractOne(name, names, scorer=fuzz.ratio, score_cutoff=NEAR_NAME_RATIO) is not None


def _settle(people: list[Candidate], why: Counter[str]) -> list[Candidate]:
    """One item per person: the same name in one country is one person (ranges joined); a name that is
    also a form of a person of another country is dropped, and so is an alias another person has."""
    merged: dict[tuple[str, str | None, str | None], Candidate] = {}
    for c in people:
        key = (fold(c.name), c.country, c.igo)
        if (m := merged.get(key)) is None:
            merged[key] = c
            continue
        m.aliases += [a for a in c.aliases if _key(a) not in {_key(x) for x in m.aliases}]
        m.roles = join_roles([{k: v for k, v in r.items() if k != "note"} for r in m.roles + c.roles])
        why["person: merged into a namesake of the same country"] += 1
    owners: dict[str, set[str | None]] = defaultdict(set)  # folded form -> the countries (or IGOs) of its people
    people_of: Counter[str] = Counter()  # folded form -> how many people have it
    for c in merged.values():
        for f in {fold(c.name), *(fold(a) for a in c.aliases)}:
            owners[f].add(c.country or c.igo)
            people_of[f] += 1
    out = []
    for c in merged.values():
        if len(owners[fold(c.name)]) > 1:
            why["person: name shared with a person of another country"] += 1
            continue
        before = len(c.aliases)
        c.aliases = [a for a in c.aliases if people_of[fold(a)] == 1]
        why["alias: shared with another person"] += before - len(c.aliases)
        out.append(c)
    return out


def render(people: list[Candidate], license_text: str) -> str:
    notice = "\n".join(f"#   {line}".rstrip() for line in license_text.strip().splitlines())
    n_roles = sum(len(c.roles) for c in people)
    n_open = sum(1 for c in people for r in c.roles if r["end"] is None)
    head = f"""# people_phoenix.yaml: GENERATED by scripts/phoenix_people.py export. Do not edit by hand: change the
# script (its docstring says what is kept) and run it again; a test checks that the two agree.
#
# People beyond people.yaml: {len(people):,} office holders and public figures with {n_roles:,} dated roles
# ({n_open:,} open-ended), converted from the Phoenix country-actor dictionary
# (Phoenix.Countries.actors.txt, {PROVENANCE}), itself generated from
# the CountryInfo files of the Computational Event Data System project. entente loads this file after
# people.yaml, and people.yaml wins: a person it names is left out here, and no form of this file is
# one of people.yaml's or of another knowledge-base file.
#
# Same item format as people.yaml (see its header). What comes from Phoenix and how:
#   name, aliases  Phoenix's head line and alias lines, in English casing (particles such as al-, bin,
#                  de, van, von, da, dos lower-case inside a name; Mc, Mac, O'); aliases have two words
#                  or more and no title ("President ...").
#   country        the country of the person's latest office range (CAMEO TMP, KSV, USR are TLS, XKX,
#                  SUN); a role in another country says so.
#   roles          one per Phoenix date range of an office, the overlapping ranges of one office joined.
#                  Phoenix has no titles, so the title is a generic one by sector. Sector from the
#                  Phoenix code: GOV; a minister's portfolio as in sectors.yaml (GOVMIL -> MIL, GOVCOP ->
#                  COP, GOVJUD -> JUD, GOVHLH -> HLH...); GOVLEG (members of parliament) -> LEG; MIL, COP,
#                  JUD, SPY, OPP; ELI (public figures, and the years before an office) -> ELI.
#                  start/end from Phoenix's YYMMDD or YYYYMMDD. The dictionary was revised about 2016 and
#                  its roles stop then: end null is a range Phoenix left open, and its note says so.
#                  Phoenix's dates are noisy (a range may be merged or a year off): these roles are less
#                  sure than people.yaml's, which were compiled and checked by hand.
#
# The Phoenix dictionaries are distributed under the MIT License:
#
{notice}
"""
    lines = [head]
    for c in people:
        item: dict[str, Any] = {"name": c.name, "aliases": c.aliases, "country": c.country}
        if c.igo:
            item["igo"] = c.igo
        item["roles"] = c.roles
        lines.append(_item(item))
    return "\n".join(lines) + "\n"


def _item(item: dict[str, Any]) -> str:
    """One person as people.yaml writes one: block keys, flow-style roles, dates quoted."""
    out = [f"- name: {scalar(item['name'])}",
           "  aliases: [" + ", ".join(scalar(a) for a in item["aliases"]) + "]",
           f"  country: {item['country'] or 'null'}"]
    if item.get("igo"):
        out.append(f"  igo: {item['igo']}")
    out.append("  roles:")
    for r in item["roles"]:
        parts = [f"title: {r['title']}", f"sector: {r['sector']}"]
        parts += [f"{k}: {r[k]}" for k in ("igo", "country") if r.get(k)]
        parts += [f'start: "{r["start"]}"', "end: " + (f'"{r["end"]}"' if r["end"] else "null")]
        if r.get("note"):
            parts.append(f"note: {scalar(r['note'])}")
        out.append("    - {" + ", ".join(parts) + "}")
    return "\n".join(out)


# -- review aids -------------------------------------------------------------------------------


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


def check(people: list[PhoenixPerson], days: int, since: str = "1990") -> None:
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
            if not ranges or not since <= start <= PHOENIX_END:
                continue
            if not any(_covered(start, x, days) for x in ranges):
                print(f"{person['name']} | {r['title']} {r['start']}..{r.get('end')} | phoenix: "
                      + ", ".join(sorted({f"{x.start}..{x.end or '>'}" for x in ranges})))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=("export", "candidates", "check"))
    ap.add_argument("--country")
    ap.add_argument("--since", default="1990")
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--check", action="store_true", help="export: fail if the data file is out of date")
    ap.add_argument("--report", action="store_true", help="export: count what each filter left out")
    args = ap.parse_args(argv)
    path = Path(os.environ.get("PHOENIX", DEFAULT))
    if not path.is_file():
        print(f"{path}: not found (set PHOENIX=path/to/Phoenix.Countries.actors.txt)", file=sys.stderr)
        return 1
    if args.mode == "export":
        why: Counter[str] = Counter()
        people = export(path, why)
        text = render(people, (path.parent / "LICENSE").read_text("utf-8"))
        if args.report:
            for reason, n in sorted(why.items()):
                print(f"{n:6,}  {reason}")
        if args.check:
            same = OUT.is_file() and OUT.read_text("utf-8") == text
            print(f"{OUT.name} is {'up to date' if same else 'OUT OF DATE: run scripts/phoenix_people.py export'}")
            return 0 if same else 1
        OUT.write_text(text, "utf-8")
        print(f"wrote {len(people):,} people, {sum(len(c.roles) for c in people):,} roles and "
              f"{sum(len(c.aliases) for c in people):,} aliases to {OUT.relative_to(ROOT)}")
        return 0
    people_ = parse(path)
    if args.mode == "candidates":
        candidates(people_, args.country, args.since)
    else:
        check(people_, args.days, args.since)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
