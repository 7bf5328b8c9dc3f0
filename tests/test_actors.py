"""Actor resolution: the hand-written table in tests/data/actors.yaml, and ``entente actor --input``.

Every case of the table is resolved with ``entente.api.resolve_actor``. A case is right
when both the country and the IGO equal the expectation; the share of right cases may not
fall below the floor pinned in tests/eval_baseline.json ("actors"). Sector accuracy, over
the cases that give a sector, is printed but not gated. Run with ``pytest -s`` to see the
failures even when the gate passes.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from entente.api import resolve_actor

pytestmark = pytest.mark.slow

HERE = Path(__file__).parent
TABLE = HERE / "data" / "actors.yaml"
BASELINE = HERE / "eval_baseline.json"
FIELDS = {"text", "date", "context", "country", "igo", "sector", "note"}


def load_cases() -> list[dict[str, Any]]:
    cases = yaml.safe_load(TABLE.read_text("utf-8"))
    assert isinstance(cases, list)
    return cases


def _query(case: dict[str, Any]) -> str:
    extra = "".join(f" {k}={case[k]!r}" for k in ("date", "context") if case.get(k))
    return f"{case['text']!r}{extra}"


@pytest.fixture(scope="module")
def results(nlp) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(case, what resolve_actor returned) for every case; the session's model is loaded once."""
    return [(c, resolve_actor(c["text"], c.get("date"), c.get("context"))) for c in load_cases()]


def country_right(case: dict[str, Any], got: dict[str, Any]) -> bool:
    return got.get("country") == case["country"] and got.get("igo") == case["igo"]


# -- the table itself -----------------------------------------------------------------------


def test_table_is_well_formed() -> None:
    cases = load_cases()
    assert len(cases) >= 180
    for c in cases:
        assert isinstance(c, dict) and set(c) <= FIELDS, c
        assert isinstance(c.get("text"), str) and c["text"], c
        assert "country" in c and "igo" in c, f"country and igo are required (null for none): {c}"
        assert c["country"] is None or (len(c["country"]) == 3 and c["country"].isupper()), c
        if c.get("context"):
            assert c["text"] in c["context"], f"context must contain the text verbatim: {c}"
        if c.get("date"):
            assert len(str(c["date"])) in (4, 7, 10), c
    assert sum(1 for c in cases if c["country"] is None and c["igo"] is None) >= 25
    assert sum(1 for c in cases if c.get("date")) >= 20


def test_table_codes_exist_in_the_knowledge_base() -> None:
    from entente.actors.kb import load_kb

    kb = load_kb()
    for c in load_cases():
        assert c["country"] is None or c["country"] in kb.countries, c
        assert c["igo"] is None or c["igo"] in kb.igos, c


# -- accuracy -------------------------------------------------------------------------------


def test_country_accuracy_gate(results) -> None:
    failures = [(c, got) for c, got in results if not country_right(c, got)]
    accuracy = 1 - len(failures) / len(results)
    lines = [f"actors: country accuracy {accuracy:.3f} ({len(results) - len(failures)}/{len(results)})"]
    for c, got in failures:
        lines.append(f"  FAIL {_query(c)}: expected country={c['country']} igo={c['igo']}, "
                     f"got country={got.get('country')} igo={got.get('igo')} sector={got.get('sector')} "
                     f"matched_by={got.get('matched_by')}")
    print("\n".join(lines))
    floor = json.loads(BASELINE.read_text("utf-8"))["actors"]["country_accuracy"]
    assert accuracy >= floor, (
        f"actor country accuracy {accuracy:.3f} is below the pinned floor {floor} "
        "(tests/eval_baseline.json; raise it as resolution improves, never lower it to let a change pass)\n"
        + "\n".join(lines))


def test_sector_accuracy_is_reported(results) -> None:
    """Sector accuracy over the cases that state a sector (null = no sector): reported, not gated."""
    with_sector = [(c, got) for c, got in results if "sector" in c]
    assert with_sector
    wrong = [(c, got) for c, got in with_sector if got.get("sector") != c["sector"]]
    accuracy = 1 - len(wrong) / len(with_sector)
    by_sector = Counter(c["sector"] for c, _ in wrong)
    lines = [f"actors: sector accuracy {accuracy:.3f} ({len(with_sector) - len(wrong)}/{len(with_sector)}); "
             f"misses by expected sector: {dict(by_sector)}"]
    for c, got in wrong:
        lines.append(f"  SECTOR {_query(c)}: expected {c['sector']}, got {got.get('sector')} "
                     f"(country={got.get('country')} igo={got.get('igo')} matched_by={got.get('matched_by')})")
    print("\n".join(lines))


def test_results_have_the_documented_keys(results) -> None:
    keys = {"text", "country", "igo", "sector", "name", "id", "matched_by"}
    for c, got in results:
        assert keys <= set(got), (c, got)
        assert got["text"] == c["text"]


# -- the CLI's batch mode -------------------------------------------------------------------


def test_actor_input_prints_one_object_per_line_in_order(run_cli, nlp, tmp_path: Path) -> None:
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        json.dumps({"text": "the Kremlin", "context": "The Kremlin said the talks were useful."}) + "\n"
        + '{"text": "Kazakhstan", "date": \n'  # broken JSON
        + json.dumps({"text": "Nazarbayev", "date": "2015-07-08"}) + "\n",
        "utf-8")
    result = run_cli("actor", "--input", queries)
    lines = result.stdout.splitlines()
    assert len(lines) == 3, result.stdout
    out = [json.loads(line) for line in lines]
    assert all(isinstance(o, dict) for o in out)
    assert out[0]["text"] == "the Kremlin" and out[0]["country"] == "RUS"
    assert out[1]["country"] is None and out[1]["igo"] is None  # the broken line keeps its place
    assert out[2]["text"] == "Nazarbayev" and out[2]["country"] == "KAZ"


# -- resolution beyond the knowledge base's exact forms ----------------------------------------


@pytest.mark.parametrize(("text", "country"), [
    ("Phillipines", "PHL"), ("Austrailia", "AUS"), ("the Phillipine government", "PHL"), ("Indonesion troops", "IDN"),
])
def test_misspelt_states_are_corrected_with_a_lower_confidence(nlp, text: str, country: str) -> None:
    got = resolve_actor(text)
    assert got["country"] == country, got
    assert "fuzzy" in got["matched_by"] and got["confidence"] < 0.9


@pytest.mark.parametrize("text", ["Columbia", "Austin", "Georgetown University"])
def test_words_near_a_state_name_are_not_forced_onto_it(nlp, text: str) -> None:
    assert resolve_actor(text)["country"] in (None, "GUY"), text


@pytest.mark.parametrize("date", ["2015-07-08", "8 July 2015", "July 8, 2015", "07/08/2015"])
def test_a_date_in_any_common_form(nlp, date: str) -> None:
    assert resolve_actor("Nazarbayev", date)["sector"] == "GOV"
    assert resolve_actor("Nazarbayev", "2023-01-01")["sector"] == "ELI"


def test_day_first_dates(nlp) -> None:
    from entente.time.dates import normalise_date

    assert normalise_date("10/05/2015") == "2015-10-05"
    assert normalise_date("10/05/2015", dayfirst=True) == "2015-05-10"
    assert normalise_date("31/12/1999") == "1999-12-31"  # only one order is a date
    assert normalise_date("May 2015") == "2015-05" and normalise_date("not a date") is None


@pytest.mark.parametrize(("text", "context", "date", "country", "person"), [
    ("the chancellor", "In Berlin, the chancellor said Germany would take in refugees.", "2015-09-05", "DEU", "Angela Merkel"),
    ("the Taoiseach", "The Taoiseach spoke to reporters.", "2011-07-20", "IRL", None),
    ("the president", "Egypt's army removed the president after days of protests.", "2013-07-03", "EGY", None),
    ("The president", "The president took the oath of office in Washington.", "2009-01-20", "USA", None),
])
def test_an_office_takes_the_country_of_its_title_or_sentence(nlp, text, context, date, country, person) -> None:
    got = resolve_actor(text, date, context)
    assert got["country"] == country, got
    if person:
        assert got["person"] == person, got


def test_an_office_with_no_state_in_sight_stays_unresolved(nlp) -> None:
    assert resolve_actor("the president", context="The president criticised China.")["country"] is None


@pytest.mark.parametrize(("text", "context", "country", "sector"), [
    ("the rebels", "In Syria, the rebels shelled Aleppo.", "SYR", "REB"),
    ("separatists", "Separatists in Donetsk attacked Ukrainian positions.", "UKR", "SEP"),
    ("the junta", "In Niamey, the junta expelled the French ambassador.", "NER", "GOV"),
])
def test_generic_groups_take_their_country_from_context(nlp, text, context, country, sector) -> None:
    got = resolve_actor(text, context=context)
    assert (got["country"], got["sector"]) == (country, sector), got


def test_actor_command_formats(run_cli) -> None:
    r = run_cli("actor", "Nazarbayev", "--date", "8 July 2015", "--format", "csv")
    header, row = r.stdout.strip().splitlines()[:2]
    assert "matched_by" in header and "confidence" in header and "KAZ" in row
    r = run_cli("actor", "Nazarbayev", "--format", "jsonl")
    assert json.loads(r.stdout)["matched_by"] == "kb-person"


def test_an_envoy_to_a_country_is_not_that_countrys() -> None:
    from entente.model import Document
    from entente.options import Options
    from entente.pipeline import process_document
    text = ("Former special envoy to Ukraine Kurt Volker testified on Tuesday. "
            "Volker said he first discussed the delay with the Ukrainians in August.")
    res = process_document(Document(id="t", text=text, date="2019-11-20"), Options())
    assert not [m for m in res.mentions if m.actor.person and "Volker" in (m.actor.name or "") and m.actor.country == "UKR"]


@pytest.mark.parametrize("context, where", [
    ("The two leaders met in Reykjavik, Iceland, in October.", True),
    ("The talks were held in Geneva, Switzerland.", True),
    ("Iceland said the talks would continue.", False),
])
def test_a_country_named_after_one_of_its_places_is_where_not_who(context: str, where: bool) -> None:
    doc, da = _parsed(context, "1987-03-03")
    name = "Iceland" if "Iceland" in context else "Switzerland"
    found = [a for t in doc if t.text == name for a in da.get(t.i)]
    assert found and found[0].matched_by.endswith("location") == where


@pytest.mark.parametrize("text, sector", [
    ("Syrian opposition forces", "OPP"),
    ("Syrian rebel fighters", "REB"),
    ("Syrian forces", "MIL"),
])
def test_forces_of_a_non_state_group_take_the_groups_sector(text: str, sector: str) -> None:
    doc, da = _parsed(f"The United States has been training {text}.", "2019-11-01")
    head = [t for t in doc if t.text in ("forces", "fighters")][0]
    assert da.get(head.i)[0].sector == sector


def test_units_that_fight_a_group_are_not_the_group() -> None:
    doc, da = _parsed("The drill was held at Pakistan's National Anti-Terrorist Centre.", "2017-11-01")
    assert not [a for t in doc for a in da.get(t.i) if a.sector == "REB"]


@pytest.mark.parametrize("text, igo", [
    ("The Security Council voted on Monday to extend the sanctions.", "UNSC"),
    ("On Friday the General Assembly adopted a resolution on Gaza.", "UNGA"),
    ("Russia's Security Council met on Monday.", None),
    ("The National Security Council met on Monday.", None),
])
def test_the_security_council_named_alone_is_the_uns(text: str, igo: str | None) -> None:
    doc, da = _parsed(text, "2024-01-10")
    council = next(t for t in doc if t.text in ("Council", "Assembly"))
    assert (da.get(council.i)[0].igo if da.get(council.i) else None) == igo


def _parsed(text: str, date: str):
    """A parsed text and the actors found in it, with the shipped knowledge base."""
    from entente import nlp as nlp_mod
    from entente.actors.kb import load_kb
    from entente.actors.resolve import find_actors
    nlp = nlp_mod.load()
    doc = nlp(text)
    return doc, find_actors(doc, load_kb(()), nlp, date)


def test_she_is_the_woman_named_and_he_is_not() -> None:
    from entente.model import Document
    from entente.options import Options
    from entente.pipeline import process_document

    def got(text: str) -> set[tuple]:
        evs = process_document(Document(id="t", text=text, date="1987-03-31"), Options()).events
        return {(e.source.key, e.target.key if e.target else None, e.root) for e in evs}
    # by a title before her name
    assert ("GBR", "SUN", "11") in got("Mrs Thatcher met Gorbachev in Moscow. She criticised Soviet policy in Afghanistan.")
    assert ("SUN", "GBR", "11") in got("Mrs Thatcher met Gorbachev in Moscow. He criticised British policy in Ulster.")
    # by her given name
    assert ("SUN", "GBR", "04") in got("Margaret Thatcher arrived in Moscow. Gorbachev met her on Monday.")
