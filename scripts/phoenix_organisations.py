"""Convert curated entries of the Phoenix armed non-state actor dictionary into
``src/entente/data/organisations_phoenix.yaml``.

The Phoenix/PETRARCH2 dictionaries (MIT, Open Event Data Alliance) list about 1,000 armed groups
from the START TOPS data with a CAMEO code each (``[TURREB]``). They are noisy and stop around
2015: a Greek anarchist cell that claimed one arson, regional codes instead of countries (SAS,
WEU), aliases that are people ("KHALED_MESHAAL" under Hamas) or dates ("17_NOVEMBER"). So
nothing is taken wholesale. ``PICKS`` below names the entries kept, each with its country,
sector and kind set by hand (checked against the code Phoenix gives), and the aliases to drop.
The remaining Phoenix aliases are kept when they pass ``_usable``: several words, no digits,
no form already used by another entry of the knowledge base.

    python scripts/phoenix_organisations.py                 # write the data file
    python scripts/phoenix_organisations.py --candidates    # list every Phoenix group (TSV) to pick from
    python scripts/phoenix_organisations.py --check         # fail if the data file is out of date

The dictionary is read from ``../shared/reference/phoenix`` beside the checkout, or --phoenix DIR.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "entente" / "data"
OUT = DATA / "organisations_phoenix.yaml"
PHOENIX = ROOT.parent / "shared" / "reference" / "phoenix"
SOURCE = "Phoenix.MilNonState.actors.txt"
PROVENANCE = "openeventdata/petrarch2, petrarch2/data/dictionaries/, commit 676801cd"
#: Words kept lower-case inside a converted name ("Army of the Pure", "Lashkar-e-Taiba").
SMALL_WORDS = {"of", "the", "and", "for", "in", "on", "to", "a", "al", "el", "wa", "wal", "ul", "e", "i", "de",
               "del", "la", "le", "du", "des", "di", "y", "da", "bin", "ibn", "an"}
#: A converted alias needs this many words to be specific enough ("Red Brigades", not "Tanzim").
MIN_ALIAS_WORDS = 2


@dataclass(frozen=True)
class Pick:
    """One Phoenix entry kept: the fields set by hand, and Phoenix aliases to leave out."""

    name: str
    country: str | None
    sector: str
    kind: str = "armed group"
    acronyms: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()  # Phoenix aliases to leave out, as written there or as converted
    note: str | None = None


def _p(name: str, country: str | None, sector: str, **kw: Any) -> Pick:
    return Pick(name, country, sector, **kw)


#: Phoenix head name -> the entry as kept. Countries and sectors were set by hand: Phoenix often
#: has a region (SAS, MEA, WEU) or a generic REB where CAMEO practice gives SEP, INS or UAF.
PICKS: dict[str, Pick] = {
    "ABU_NIDAL_ORGANIZATION": _p(
        "Abu Nidal Organization", None, "REB",
        drop=("ARAB_REVOLUTIONARY_BRIGADES_", "ARAB_REVOLUTIONARY_COUNCIL_",
              "REVOLUTIONARY_ORGANIZATION_OF_SOCIALIST_MUSLIMS_"),
        note="Palestinian splinter group based in Iraq, Syria and Libya; inactive since 2002; ANO left out (ANO 2011)"),
    "ARMED_ISLAMIC_GROUP_": _p("Armed Islamic Group of Algeria", "DZA", "INS", acronyms=("GIA",),
                               note="Algerian civil war of the 1990s"),
    "DHKP/C_": _p("Revolutionary People's Liberation Party-Front", "TUR", "REB", acronyms=("DHKP-C", "DHKP/C"),
                  drop=("REVOLUTIONARY_LEFT_", "Dhkp/C", "Rplp/F")),
    "IRISH_NATIONAL_LIBERATION_ARMY_(INLA)_": _p(
        "Irish National Liberation Army", "GBR", "SEP", acronyms=("INLA",),
        drop=("CATHOLIC_REACTION_FORCE_(CRF)_", "Peoples Liberation Army", "Peoples Republican Army"),
        note="ceasefire since 1998"),
    "JAPANESE_RED_ARMY_(JRA)_": _p("Japanese Red Army", "JPN", "REB", acronyms=("JRA",),
                                   note="acted abroad (Lod airport 1972); disbanded 2001"),
    "KACH_": _p("Kach", "ISR", "UAF", note="Kahanist movement outlawed in Israel in 1994"),
    "LOYALIST_VOLUNTEER_FORCE_(LVF)_": _p("Loyalist Volunteer Force", "GBR", "UAF", acronyms=("LVF",)),
    "FRONTE_DI_LIBERAZIONE_NAZIUNALE_DI_A_CORSICA_(FLNC)_": _p(
        "National Liberation Front of Corsica", "FRA", "SEP", acronyms=("FLNC",)),
    "NEW_RED_BRIGADES/COMMUNIST_COMBATANT_PARTY_": _p(
        "Red Brigades", "ITA", "REB", drop=("ARMED_COMMUNIST_COMBATANTS_",),
        note="active 1970-1988; a 'New Red Brigades' group 1999-2003"),
    "RED_HAND_DEFENDERS": _p("Red Hand Defenders", "GBR", "UAF", note="loyalist cover name"),
    "REVOLUTIONARY_ORGANIZATION_17_NOVEMBER": _p("Revolutionary Organization 17 November", "GRC", "REB",
                                                 note="dismantled in 2002"),
    "REVOLUTIONARY_PEOPLE'S_STRUGGLE_": _p("Revolutionary People's Struggle", "GRC", "REB",
                                           drop=("NATIONAL_FRONT_(GREECE)_",)),
    "TKP/ML-TIKKO_": _p("TKP/ML-TIKKO", "TUR", "REB", acronyms=("TIKKO",), drop=("Maoist Communist Party",)),
    "FRONT_FOR_THE_LIBERATION_OF_THE_CABINDA_ENCLAVE_": _p("Front for the Liberation of the Enclave of Cabinda",
                                                           "AGO", "SEP", acronyms=("FLEC",)),
    "POPULAR_FRONT_FOR_THE_LIBERATION_OF_PALESTINE_--_GENERAL_COMMAND": _p(
        "Popular Front for the Liberation of Palestine-General Command", "PSE", "REB", acronyms=("PFLP-GC",),
        note="based in Syria"),
    "AL-SAIQA_": _p("As-Saiqa", "PSE", "REB", note="Syrian-backed Palestinian faction"),
    "PALESTINE_LIBERATION_FRONT_": _p("Palestine Liberation Front", "PSE", "REB"),
    "BAADER-MEINHOF_GROUP_": _p("Red Army Faction", "DEU", "REB",
                                note="disbanded 1998; RAF left out (the Royal Air Force)"),
    "2ND_OF_JUNE_MOVEMENT_": _p("2nd of June Movement", "DEU", "REB", note="1972-1980"),
    "MANUEL_RODRIGUEZ_PATRIOTIC_FRONT_": _p(
        "Manuel Rodríguez Patriotic Front", "CHL", "REB", acronyms=("FPMR",),
        drop=("Manuel Rodriguez Patriotic Front - Dissidents", "Fpmr-D")),
    "GUERRILLA_ARMY_OF_THE_POOR_": _p("Guerrilla Army of the Poor", "GTM", "REB"),
    "FARABUNDO_MARTI_NATIONAL_LIBERATION_FRONT_": _p(
        "Farabundo Martí National Liberation Front", "SLV", "PTY", kind="party", acronyms=("FMLN",),
        drop=("Fmln-Fdr",), note="guerrilla movement until the 1992 peace accords, then a party"),
    "TUPAMAROS_": _p("Tupamaros", "URY", "REB", drop=("National Liberation Movement",),
                     note="MLN-Tupamaros; a party within the Frente Amplio since 1989"),
    "MONTONEROS_": _p("Montoneros", "ARG", "REB", note="1970s"),
    "CONTRAS_": _p("Contras", "NIC", "REB", drop=("Counter Revolutionaries",), note="US-backed rebels of the 1980s"),
    "ARMENIAN_SECRET_ARMY_FOR_THE_LIBERATION_OF_ARMENIA": _p("Armenian Secret Army for the Liberation of Armenia",
                                                            None, "REB", acronyms=("ASALA",), note="1975-1990s"),
    "ISLAMIC_SALVATION_FRONT_": _p("Islamic Salvation Front", "DZA", "PTY", kind="party",
                                   note="banned in 1992; its armed wing was the Islamic Salvation Army"),
    "ERITREAN_LIBERATION_FRONT": _p("Eritrean Liberation Front", "ERI", "SEP", note="fought Ethiopia from 1961"),
    "ERITREAN_PEOPLE'S_LIBERATION_FRONT_": _p("Eritrean People's Liberation Front", "ERI", "SEP", acronyms=("EPLF",),
                                              note="won independence in 1991; became the ruling PFDJ in 1994"),
    "MACHETEROS_": _p("Macheteros", "PRI", "SEP", drop=("Epb Movimiento Popular Revolucionario", "Machete Wielders"),
                      note="Puerto Rican independence group"),
    "ACTION_DIRECTE_": _p("Action Directe", "FRA", "REB", note="1979-1987"),
    "COMMUNIST_PARTY_OF_NEPAL-MAOIST_(CPN-M)_": _p("Communist Party of Nepal (Maoist)", "NPL", "REB",
                                                  acronyms=("CPN-M",),
                                                  note="insurgency 1996-2006; now the Maoist Centre party"),
    "DEMOCRATIC_KAREN_BUDDHIST_ARMY_(DKBA)_": _p("Democratic Karen Buddhist Army", "MMR", "REB", acronyms=("DKBA",),
                                                 drop=("Progressive Buddhist Karen Nationals Organization",)),
    "EAST_TURKISTAN_LIBERATION_ORGANIZATION_": _p("East Turkistan Liberation Organization", "CHN", "SEP"),
    "FREE_ACEH_MOVEMENT_(GAM)_": _p("Free Aceh Movement", "IDN", "SEP", acronyms=("GAM",),
                                    note="peace agreement in 2005"),
    "EGYPTIAN_ISLAMIC_JIHAD_(EIJ)_": _p(
        "Egyptian Islamic Jihad", "EGY", "INS", acronyms=("EIJ",),
        drop=("JIHAD_GROUP_", "AL-JIHAD_", "ISLAMIC_JIHAD_", "NEW_JIHAD_", "Qaeda al-Jihad", "Talaaal al-Fateh",
              "New Jihad Group"),
        note="merged into al-Qaeda in 2001"),
    "MAOIST_COMMUNIST_CENTER_(MCC)_": _p(
        "Maoist Communist Centre of India", "IND", "REB",
        drop=("DAKSHIN_DESH_(ORGANIZATIONS_ORIGINAL_NAME_FROM_1969-1975)_", "Maoist Coordination Committee"),
        note="merged into the CPI (Maoist) in 2004"),
    "MOVEMENT_FOR_DEMOCRACY_AND_JUSTICE_IN_CHAD_(MDJT)_": _p("Movement for Democracy and Justice in Chad", "TCD", "REB",
                                                            acronyms=("MDJT",)),
    "NATIONAL_DEMOCRATIC_FRONT_OF_BODOLAND_": _p("National Democratic Front of Bodoland", "IND", "SEP",
                                                 acronyms=("NDFB",), note="disbanded after the 2020 Bodo accord"),
    "NATIONAL_LIBERATION_FRONT_OF_TRIPURA_": _p("National Liberation Front of Tripura", "IND", "SEP", acronyms=("NLFT",)),
    "PEOPLE'S_WAR_GROUP_": _p("People's War Group", "IND", "REB",
                              drop=("Peoples War", "The Communist Party of India-Marxist Leninist Cpi-Ml"),
                              note="merged into the CPI (Maoist) in 2004"),
    "UNITED_TAJIK_OPPOSITION_": _p("United Tajik Opposition", "TJK", "REB", acronyms=("UTO",),
                                   note="civil war 1992-1997"),
    "GUATEMALAN_NATIONAL_REVOLUTIONARY_UNITY_": _p("Guatemalan National Revolutionary Unity", "GTM", "PTY", kind="party",
                                                   acronyms=("URNG",), note="guerrilla coalition until 1996, then a party"),
    "AL-GAMA'A_AL-ISLAMIYYA_": _p("Al-Gama'a al-Islamiyya", "EGY", "INS", drop=("ISLAMIC_GROUP_", "IG_")),
    "TURKISH_HEZBOLLAH_": _p("Turkish Hezbollah", "TUR", "INS", note="Kurdish Sunni militants, not Lebanon's Hezbollah"),
    "AUM_SHINRIKYO_/_ALEPH_": _p("Aum Shinrikyo", "JPN", "REL", kind="religious body", drop=("Aum Shinrikyo / Aleph",),
                                 note="cult behind the 1995 Tokyo subway sarin attack; now Aleph"),
    "KHMER_ROUGE_": _p("Khmer Rouge", "KHM", "REB", note="ruled Cambodia 1975-1979, then an insurgency until 1999"),
    "REVOLUTIONARY_UNITED_FRONT": _p("Revolutionary United Front", "SLE", "REB", acronyms=("RUF",),
                                     note="Sierra Leone civil war 1991-2002"),
    "NATIONAL_PATRIOTIC_FRONT_OF_LIBERIA": _p("National Patriotic Front of Liberia", "LBR", "REB", acronyms=("NPFL",),
                                              note="Charles Taylor's movement"),
    "LIBYAN_ISLAMIC_FIGHTING_GROUP": _p("Libyan Islamic Fighting Group", "LBY", "INS", acronyms=("LIFG",),
                                        drop=("Fighting Islamic Group", "Libyan Islamic Group")),
    "MOROCCAN_ISLAMIC_COMBATANT_GROUP_": _p("Moroccan Islamic Combatant Group", "MAR", "INS"),
    "TAWHID_AND_JIHAD_": _p("Jama'at al-Tawhid wal-Jihad", "IRQ", "INS",
                            drop=("Al-Tawhid", "Tanzim Qaidat al-Jihad Fi Bilad al-Rafidayn"),
                            note="Zarqawi's group, 2003-2004; became al-Qaeda in Iraq"),
    "ISLAMIC_ARMY_IN_IRAQ_": _p("Islamic Army in Iraq", "IRQ", "INS"),
    "1920_REVOLUTION_BRIGADES_": _p("1920 Revolution Brigades", "IRQ", "REB"),
    "ASBAT_AL-ANSAR_": _p("Asbat al-Ansar", "LBN", "INS", drop=("Band of Partisans", "League of the Followers",
                                                             "Partisans League"),
                          note="based in the Ain al-Hilweh camp"),
    "AL-ITIHAAD_AL-ISLAMIYA_": _p("Al-Itihaad al-Islamiya", "SOM", "INS", note="1990s; forerunner of al-Shabaab"),
    "LASKAR_JIHAD_": _p("Laskar Jihad", "IDN", "INS", drop=("Army of Jihad", "Holy War Warriors"),
                        note="disbanded 2002"),
    "PARBATYA_CHATTAGRAM_JANA_SANGHATI_SAMITY": _p("Parbatya Chattagram Jana Sanghati Samity", "BGD", "PTY", kind="party",
                                                   acronyms=("PCJSS",), note="its armed wing fought until the 1997 accord"),
    "KAMTAPUR_LIBERATION_ORGANIZATION_": _p("Kamtapur Liberation Organisation", "IND", "SEP"),
    "TERRA_LLIURE": _p("Terra Lliure", "ESP", "SEP", drop=("FREE_LAND_",), note="Catalan group, 1978-1995"),
    "SYRIAN_SOCIAL_NATIONALIST_PARTY_": _p("Syrian Social Nationalist Party", "LBN", "PTY", kind="party",
                                           acronyms=("SSNP",), note="active in Lebanon and Syria"),
    "KURDISTAN_FREEDOM_HAWKS_": _p("Kurdistan Freedom Hawks", "TUR", "SEP", acronyms=("TAK",),
                                   drop=("Kurdish Vengeance Brigade",), note="PKK offshoot"),
    "HPG_": _p("Hêzên Parastina Gel", "TUR", "SEP", acronyms=("HPG",),
               note="the PKK's armed wing (People's Defence Forces)"),
    "JUND_ALLAH_ORGANIZATION_FOR_THE_SUNNI_MUJAHIDEEN_IN_IRAN_": _p(
        "Jundallah", "IRN", "INS", note="Baluch militants, forerunner of Jaish al-Adl"),
    "UNITED_NATIONAL_LIBERATION_FRONT": _p("United National Liberation Front", "IND", "SEP", acronyms=("UNLF",),
                                           note="Manipur; one faction signed a peace deal in November 2023"),
    "KARENNI_NATIONAL_PROGRESSIVE_PARTY_": _p("Karenni National Progressive Party", "MMR", "REB", acronyms=("KNPP",)),
    "ALL_BURMA_STUDENTS'_DEMOCRATIC_FRONT_": _p("All Burma Students' Democratic Front", "MMR", "REB",
                                                acronyms=("ABSDF",)),
    "PEOPLE_AGAINST_GANGSTERISM_AND_DRUGS": _p("People Against Gangsterism and Drugs", "ZAF", "UAF",
                                               acronyms=("PAGAD",)),
    "TONTONS_MACOUTES_": _p("Tonton Macoute", "HTI", "UAF", drop=("National Security Volunteers",),
                            note="Duvalier-era paramilitary"),
    "TUPAC_KATARI_GUERRILLA_ARMY": _p("Túpac Katari Guerrilla Army", "BOL", "REB", acronyms=("EGTK",)),
    "NATIONAL_FRONT_FOR_THE_LIBERATION_OF_ANGOLA_": _p(
        "National Front for the Liberation of Angola", "AGO", "PTY", kind="party", acronyms=("FNLA",),
        drop=("Democratic Party of Angola", "Military Council of Angolan Resistance")),
    "SELF-DEFENSE_GROUPS_OF_CORDOBA_AND_URABA": _p(
        "Peasant Self-Defense Forces of Córdoba and Urabá", "COL", "UAF", acronyms=("ACCU",),
        drop=("Peasant Self-Defense Group of Coacute",), note="merged into the AUC in 1997"),
    "APRIL_19_MOVEMENT_": _p("19th of April Movement", "COL", "REB", acronyms=("M-19",),
                             note="demobilised in 1990; Gustavo Petro was a member"),
    "POPULAR_LIBERATION_ARMY_": _p("Popular Liberation Army (Colombia)", "COL", "REB"),
    "POPULAR_REVOLUTIONARY_ARMY_": _p("Popular Revolutionary Army (Mexico)", "MEX", "REB"),
    "LIBERATION_FRONT_OF_QUEBEC_": _p("Front de libération du Québec", "CAN", "SEP", acronyms=("FLQ",), note="1963-1970"),
    "WEST_NILE_BANK_FRONT": _p("West Nile Bank Front", "UGA", "REB"),
    "ARMY_FOR_THE_LIBERATION_OF_RWANDA": _p("Army for the Liberation of Rwanda", "COD", "REB", acronyms=("ALIR",),
                                            drop=("Democratic Front for the Liberation of Rwanda",),
                                            note="forerunner of the FDLR"),
    "ISLAMIC_JIHAD_GROUP_(UZBEKISTAN)_": _p("Islamic Jihad Union", "UZB", "INS", acronyms=("IJU",),
                                            drop=("Islamic Jihad Group",)),
}


@dataclass
class Group:
    """One Phoenix entry: its head name, aliases and codes, as written there."""

    head: str
    aliases: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)


def parse(text: str) -> list[Group]:
    """Phoenix actor blocks: a head line, '+' alias lines, codes in brackets on any of them."""
    groups: list[Group] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        codes = re.findall(r"\[([^\]]*)\]", line)
        body = re.sub(r"\[[^\]]*\]", "", line).strip()
        if line.startswith("+") and groups:
            groups[-1].aliases.append(body[1:].strip())
        elif line[0].isspace() and groups:
            pass  # a continuation line: only its codes count
        elif body:
            groups.append(Group(head=body))
        if groups:
            groups[-1].codes += [c.strip() for c in codes if c.strip()]
    return groups


def convert(phoenix_name: str) -> str:
    """'LASHKAR-E-TAIBA_(LET)_' -> 'Lashkar-e-Taiba'."""
    s = re.sub(r"\([^)]*\)", " ", phoenix_name).replace("_", " ")
    words = []
    for w in s.split():
        parts = re.split(r"([-/])", w.lower())
        parts = [p if p in SMALL_WORDS and (k or words) else p[:1].upper() + p[1:] for k, p in enumerate(parts)]
        words.append("".join(parts))
    return " ".join(words).strip(" -/")


def _norm(form: str) -> str:
    """Compared without case or apostrophes: "Peoples Liberation Army" is China's army."""
    return " ".join(form.replace("\u2019", "").replace("'", "").split()).lower()


def taken_forms() -> set[str]:
    """Lower-cased forms already used by the hand-written knowledge-base files."""
    forms: set[str] = set()
    for c in yaml.safe_load((DATA / "countries.yaml").read_text("utf-8")):
        for key in ("name", "official", "names", "abbrev", "adjectives", "demonyms", "capitals", "cities"):
            v = c.get(key) or []
            forms |= {_norm(f) for f in (v if isinstance(v, list) else [v])}
    for g in yaml.safe_load((DATA / "igos.yaml").read_text("utf-8")):
        forms |= {_norm(f) for f in [g["abbrev"], g.get("name") or "", *(g.get("names") or [])] if f}
    for p in yaml.safe_load((DATA / "people.yaml").read_text("utf-8")):
        forms |= {_norm(f) for f in [p["name"], *(p.get("aliases") or [])]}
    for i in yaml.safe_load((DATA / "institutions.yaml").read_text("utf-8")):
        forms |= {_norm(f) for f in [i["name"], *(i.get("aliases") or [])]}
    for o in yaml.safe_load((DATA / "organisations.yaml").read_text("utf-8")):
        forms |= {_norm(f) for f in [o["name"], *(o.get("aliases") or []), *(o.get("acronyms") or [])]}
    return forms


def _usable(alias: str, taken: set[str]) -> bool:
    return (len(re.split(r"[\s/-]+", alias)) >= MIN_ALIAS_WORDS and not any(ch.isdigit() for ch in alias)
            and _norm(alias) not in taken)


def entries(groups: list[Group]) -> list[dict[str, Any]]:
    """The picked groups as organisations.yaml entries, in the order of PICKS."""
    by_head = {g.head: g for g in groups}
    missing = sorted(set(PICKS) - set(by_head))
    if missing:
        raise SystemExit(f"picks not found in {SOURCE}: {missing}")
    taken = taken_forms()
    out = []
    for head, pick in PICKS.items():
        g = by_head[head]
        for form in (pick.name, *pick.acronyms):
            if _norm(form) in taken:
                raise SystemExit(f"{pick.name}: {form!r} is already used by another knowledge-base entry")
        taken |= {_norm(pick.name), *(_norm(a) for a in pick.acronyms)}
        aliases = []
        for raw in [g.head, *g.aliases]:
            alias = convert(raw)
            if raw in pick.drop or alias in pick.drop or not _usable(alias, taken):
                continue
            aliases.append(alias)
            taken.add(_norm(alias))
        entry: dict[str, Any] = {"name": pick.name}
        if aliases:
            entry["aliases"] = aliases
        if pick.acronyms:
            entry["acronyms"] = list(pick.acronyms)
        entry |= {"country": pick.country, "sector": pick.sector, "kind": pick.kind}
        phoenix = f"Phoenix {head.rstrip('_')} [{', '.join(g.codes) or 'no code'}]"
        entry["note"] = f"{pick.note}. {phoenix}" if pick.note else phoenix
        out.append(entry)
    return out


def render(items: list[dict[str, Any]], license_text: str) -> str:
    notice = "\n".join(f"#   {line}".rstrip() for line in license_text.strip().splitlines())
    head = f"""# organisations_phoenix.yaml: GENERATED by scripts/phoenix_organisations.py. Do not edit by hand:
# change PICKS in the script and run it again.
#
# Historical and less-known armed groups curated from the Phoenix armed non-state actor dictionary
# ({SOURCE}, {PROVENANCE}), itself derived from the START TOPS data.
# Same format as organisations.yaml (see its header). Only the names and aliases come from Phoenix;
# country, sector and kind were set by hand for each entry, and the note keeps Phoenix's own
# head name and code. Phoenix stops around 2015: statuses after that are not in its data.
#
# The Phoenix dictionaries are distributed under the MIT License:
#
{notice}
"""
    lines = [head]
    for item in items:
        lines.append("- " + yaml.safe_dump(item, default_flow_style=True, allow_unicode=True, sort_keys=False,
                                           width=10_000).strip())
    return "\n".join(lines) + "\n"


def candidates(groups: list[Group]) -> str:
    rows = ["head\tcodes\taliases"]
    rows += [f"{g.head}\t{' '.join(g.codes)}\t{' | '.join(g.aliases)}" for g in groups]
    return "\n".join(rows) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--phoenix", type=Path, default=PHOENIX, help="folder of the Phoenix dictionaries")
    ap.add_argument("--candidates", action="store_true", help="print every Phoenix group as TSV")
    ap.add_argument("--check", action="store_true", help="fail if the data file differs from what would be written")
    args = ap.parse_args()
    groups = parse((args.phoenix / SOURCE).read_text("utf-8", errors="replace"))
    if args.candidates:
        sys.stdout.write(candidates(groups))
        return 0
    text = render(entries(groups), (args.phoenix / "LICENSE").read_text("utf-8"))
    if args.check:
        same = OUT.is_file() and OUT.read_text("utf-8") == text
        print(f"{OUT.name} is {'up to date' if same else 'OUT OF DATE'}")
        return 0 if same else 1
    OUT.write_text(text, "utf-8")
    print(f"wrote {len(PICKS)} organisations to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
