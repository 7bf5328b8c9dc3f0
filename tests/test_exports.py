"""The exports as the field's tools read them: GDELT's 61 columns, PLOVER against its JSON Schema, modality everywhere."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jsonschema
import networkx as nx
import pandas as pd
import pyarrow.parquet as pq
import pytest
from corpus_stores import store_of

from entente.corpus.build import Article, Corpus, build_corpus, merge_across
from entente.model import Actor, DocResult, Document, Event
from entente.outputs.gdelt import GDELT_COLUMNS, LeadParagraphs, gdelt_actor, gdelt_row, igo_groups
from entente.outputs.plover import entity, mode_and_context, plover_event, schema
from entente.store import Store

ROOT = Path(__file__).parents[1]
ARTICLES = ROOT / "examples" / "articles"
REFERENCE_COLUMNS = ROOT / ".." / "shared" / "reference" / "gdelt2_event_columns.txt"

#: GDELT's column types as its documentation gives them, for pandas: codes are text (EventCode 042 keeps its 0).
GDELT_TEXT = [c for c in GDELT_COLUMNS if c.endswith(("Code", "Name", "FullName", "FeatureID")) or c in (
    "EventCode", "EventBaseCode", "EventRootCode", "SOURCEURL")]
GDELT_INTEGERS = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "IsRootEvent", "QuadClass", "NumMentions",
                  "NumSources", "NumArticles", "DATEADDED"]
GDELT_FLOATS = ["FractionDate", "GoldsteinScale", "AvgTone"] + [
    c for c in GDELT_COLUMNS if c.endswith(("Geo_Type", "Geo_Lat", "Geo_Long"))]  # numbers, blank when unknown


def read_gdelt(path: Path, columns: list[str] = GDELT_COLUMNS) -> pd.DataFrame:
    """A GDELT event file read as GDELT users read it: headerless, the official names, tabs, no quoting."""
    return pd.read_csv(path, sep="\t", header=None, names=columns, quoting=3,
                       dtype={c: str for c in GDELT_TEXT}, keep_default_na=False, na_values={c: [""] for c in GDELT_FLOATS})


@pytest.fixture(scope="module")
def examples_db(nlp) -> str:
    return store_of(str(ARTICLES))


def corpus_rows(db: str) -> list[dict[str, Any]]:
    with Store(db, read_only=True) as s:
        return s.query("SELECT c.*, (SELECT min(processed_at) FROM documents d WHERE d.doc_id IN "
                       "(SELECT unnest(c.doc_ids))) AS first_added FROM corpus_events c")


# -- GDELT -----------------------------------------------------------------------------------------
def test_gdelt_columns_are_the_codebooks_61_in_order() -> None:
    assert len(GDELT_COLUMNS) == 61 == len(set(GDELT_COLUMNS))
    if not REFERENCE_COLUMNS.is_file():
        pytest.skip("shared GDELT column reference not found")
    reference = [line.strip() for line in REFERENCE_COLUMNS.read_text("utf-8").splitlines()
                 if line.strip() and not line.startswith("#")]
    assert GDELT_COLUMNS == reference


@pytest.mark.slow
def test_gdelt_file_loads_with_the_official_names_and_matches_the_store_row_by_row(examples_db: str, tmp_path: Path,
                                                                                   run_cli) -> None:
    out = tmp_path / "events.tsv"
    r = run_cli("export", "--format", "gdelt", "--out", out, "--db", examples_db)
    lines = out.read_text("utf-8").splitlines()
    assert lines and all(line.count("\t") == 60 for line in lines)  # 61 columns, no header
    assert not lines[0].startswith("GLOBALEVENTID")
    df = read_gdelt(out)
    for c in GDELT_INTEGERS:
        assert df[c].dtype == "int64", c
    for c in GDELT_FLOATS:
        assert df[c].dtype == "float64", c
    store = {int(row["corpus_event_id"][:15], 16): row for row in corpus_rows(examples_db)}
    want = [g for g, row in store.items() if row["modality"] == "asserted" and row["date_start"] is not None]
    assert sorted(df.GLOBALEVENTID) == sorted(want)  # asserted, dated events only, each once
    assert f"{len(df)} events written" in r.stderr and "intended" in r.stderr
    for e in df.itertuples():
        row = store[e.GLOBALEVENTID]
        start = row["date_start"]
        assert e.SQLDATE == int(start.strftime("%Y%m%d")) and e.MonthYear == start.year * 100 + start.month
        assert e.Year == start.year and int(e.FractionDate) == start.year
        assert (e.Actor1CountryCode or None) == row["source_country"]
        assert (e.Actor2CountryCode or None) == row["target_country"]
        assert e.Actor1Code.startswith(row["source_country"] or "IGO")
        assert e.Actor1Type1Code == ("IGO" if row["source_igo"] and not row["source_country"] else row["source_sector"] or "")
        assert (e.EventCode, e.EventBaseCode, e.EventRootCode) == (row["cameo"], row["cameo"][:3], row["root"])
        assert (e.QuadClass, e.GoldsteinScale) == (row["quad_class"], row["goldstein"])
        assert (e.NumMentions, e.NumSources, e.NumArticles) == (row["n_mentions"], row["n_sources"], row["n_articles"])
        assert e.IsRootEvent in (0, 1) and pd.isna(e.AvgTone) and pd.isna(e.ActionGeo_Lat)
        added = row["first_added"].astimezone(__import__("datetime").UTC).strftime("%Y%m%d%H%M%S")
        assert e.DATEADDED == int(added)
        assert e.SOURCEURL and e.SOURCEURL.startswith(("http", "examples/", str(ARTICLES)))
    assert df.IsRootEvent.sum() >= 5  # most articles code an event in their lead paragraph


@pytest.mark.slow
def test_gdelt_header_and_extra_columns(examples_db: str, tmp_path: Path, run_cli) -> None:
    out = tmp_path / "events.tsv"
    run_cli("export", "--format", "gdelt", "--out", out, "--db", examples_db, "--header")
    assert list(pd.read_csv(out, sep="\t", nrows=0).columns) == GDELT_COLUMNS
    r = run_cli("export", "--format", "gdelt", "--out", out, "--db", examples_db, "--modality", "all", expect=2)
    assert "--extra" in r.stderr
    run_cli("export", "--format", "gdelt", "--out", out, "--db", examples_db, "--modality", "all", "--extra")
    cols = GDELT_COLUMNS + ["entente_modality", "entente_date_precision", "entente_corpus_event_id"]
    df = read_gdelt(out, cols)
    assert {"asserted", "intended"} <= set(df.entente_modality)
    assert set(df.entente_date_precision) <= {"day", "month", "year"}


def test_gdelt_actor_codes_use_cameo_group_codes(make_actor: Callable[..., Actor]) -> None:
    council = Actor(text="the Security Council", name="United Nations Security Council", igo="UNSC")
    assert gdelt_actor(council) == ["IGOUNO", "UNITED NATIONS SECURITY COUNCIL", "", "UNO", "", "", "", "IGO", "", ""]
    nato = Actor(text="NATO", name="NATO", igo="NATO", sector="MIL")
    code, _, country, group, *_, t1, t2, t3 = gdelt_actor(nato)
    assert (code, country, group, t1, t2, t3) == ("IGONATMIL", "", "NAT", "IGO", "MIL", "")
    opcw = gdelt_actor(Actor(text="the OPCW", name="OPCW", igo="OPCW"))  # its code is marked invented in igos.yaml
    assert (opcw[0], opcw[3], opcw[7]) == ("IGO", "", "IGO")
    assert len(igo_groups()) > 50 and "OPCW" not in igo_groups() and igo_groups()["UN"] == "UNO"
    kaz = Actor(text="Tokayev", name="Kassym-Jomart Tokayev", country="KAZ", sector="GOV", person="Kassym-Jomart Tokayev")
    assert gdelt_actor(kaz)[:8] == ["KAZGOV", "KASSYM-JOMART TOKAYEV", "KAZ", "", "", "", "", "GOV"]


@dataclass(frozen=True)
class Place:
    """A resolved location, as the GDELT writer reads one."""

    name: str
    geo_type: int = 4
    fips: str | None = None
    adm1: str | None = None
    adm2: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature_id: str | None = None


@dataclass(frozen=True)
class PlacedEvent(Event):
    place: Place | None = None


@dataclass(frozen=True)
class PlacedActor(Actor):
    place: Place | None = None


def test_gdelt_geography_is_blank_unless_a_place_is_known(make_event: Callable[..., Event]) -> None:
    plain = make_event("IND", "KAZ", "042", doc="a", date="2015-07-07")
    astana = Place("Astana, Kazakhstan", geo_type=4, fips="KZ", adm1="KZ05", lat=51.17, lon=71.43, feature_id="-2164079")
    delhi = Place("New Delhi, India", geo_type=4, fips="IN", lat=28.61, lon=77.21)
    placed = PlacedEvent(**{f: getattr(plain, f) for f in Event.__dataclass_fields__}, place=astana)
    placed = replace(placed, source=PlacedActor(**{f: getattr(plain.source, f) for f in Actor.__dataclass_fields__},
                                                place=delhi), event_id="a-1")
    articles = {"a": Article("a", "ha", "a.txt", None, None, None, None, None, "A met B.")}
    corpus = Corpus(articles=articles, events=[plain], mentions=[])
    lead = LeadParagraphs(corpus)
    [ce] = merge_across([plain])
    row = dict(zip(GDELT_COLUMNS, gdelt_row(corpus, ce, lead) or [], strict=True))
    assert all(v == "" for k, v in row.items() if "Geo_" in k)
    [ce] = merge_across([placed])
    ce = replace(ce, source=placed.source)
    row = dict(zip(GDELT_COLUMNS, gdelt_row(corpus, ce, lead) or [], strict=True))
    assert (row["ActionGeo_FullName"], row["ActionGeo_CountryCode"], row["ActionGeo_Lat"]) == ("Astana, Kazakhstan", "KZ", "51.17")
    assert (row["ActionGeo_Type"], row["ActionGeo_ADM1Code"], row["ActionGeo_FeatureID"]) == ("4", "KZ05", "-2164079")
    assert (row["Actor1Geo_FullName"], row["Actor1Geo_Long"]) == ("New Delhi, India", "77.21")
    assert all(row[f"Actor2Geo_{k}"] == "" for k in ("Type", "FullName", "Lat"))


# -- PLOVER ----------------------------------------------------------------------------------------
def test_plover_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.slow
@pytest.mark.parametrize("args", [[], ["--modality", "all", "--statements"]], ids=["default", "all"])
def test_plover_export_validates_against_the_schema(examples_db: str, tmp_path: Path, run_cli, args: list[str]) -> None:
    out = tmp_path / "events.jsonl"
    r = run_cli("export", "--format", "plover", "--out", out, "--db", examples_db, *args)
    lines = out.read_text("utf-8").splitlines()
    assert lines and f"{len(lines)} events written" in r.stderr
    v = validator()
    records = [json.loads(line) for line in lines]  # one record per line
    for rec in records:
        errors = sorted(v.iter_errors(rec), key=str)
        assert not errors, (rec["id"], [e.message for e in errors])
    assert len({rec["id"] for rec in records}) == len(records)
    if not args:
        assert all(rec["has_event"] and rec["modality"] != "negated" for rec in records)
        assert "CAMEO 01" in r.stderr  # statements are dropped, and the summary says so
    else:
        assert any(not rec["has_event"] for rec in records)
    intended = [rec for rec in records if rec["modality"] == "intended"]
    assert intended and all("future" in rec["context"] for rec in intended)
    month = [rec for rec in records if rec["date_precision"] == "month"]
    assert month and all(rec["date"].endswith("-01") and rec["enddate"] > rec["date"] for rec in month)


def test_the_schema_rejects_what_the_manual_does_not_allow(make_event: Callable[..., Event]) -> None:
    articles = {"a": Article("a", "ha", "a.txt", None, None, None, None, None, "A met B.")}
    [ce] = merge_across([make_event("IND", "KAZ", "042", doc="a", date="2015-07")])
    rec = plover_event(Corpus(articles=articles, events=list(ce.events), mentions=[]), ce)
    assert rec is not None
    v = validator()
    assert not list(v.iter_errors(rec))
    broken = [dict(rec, mode=["riot"]),  # a PROTEST mode on a CONSULT event
              dict(rec, event=["STATEMENT"]), dict(rec, context=["sports"]), dict(rec, date="2015-07"),
              {k: x for k, x in rec.items() if k != "enddate"},  # month precision needs the interval's end
              dict(rec, modality="intended"),  # without the auxiliary "future" context
              dict(rec, quad_code=4), dict(rec, actor=[])]
    for b in broken:
        assert list(v.iter_errors(b)), b


def test_plover_modes_contexts_and_roles(make_event: Callable[..., Event]) -> None:
    assert mode_and_context("042", "CONSULT", "asserted") == (["visit"], [])
    assert mode_and_context("073", "AID", "asserted") == ([], ["human_security"])  # humanitarian -> the manual's name
    assert mode_and_context("186", "ASSAULT", "asserted") == (["targeted"], [])  # assassinate -> targeted
    assert mode_and_context("036", "AGREE", "intended") == ([], ["diplomatic", "future"])
    assert mode_and_context("138", "THREATEN", "hypothetical")[1][-1] == "hypothetical"
    council = entity(Actor(text="the Security Council", name="United Nations Security Council", igo="UNSC"))
    assert council["code"] == "UNO" and council["igo"] == "UNSC"
    press = entity(Actor(text="Indian media", country="IND", sector="MED"))
    assert (press["code"], press["sector"], press["cameo_sector"]) == ("IND", "JRN", "MED")
    articles = {"a": Article("a", "ha", "a.txt", None, None, None, None, None, "x")}
    host = make_event("KAZ", "IND", "043", doc="a", date="2015-07-07")
    [ce] = merge_across([host])
    rec = plover_event(Corpus(articles=articles, events=[host], mentions=[]), ce)
    assert rec and rec["actor"][0]["code"] == "IND" and rec["recipient"][0]["code"] == "KAZ"  # the visitor acts
    meet = replace(make_event("IND", "KAZ", "040", doc="a", date="2015-07-07"), rule="meet:subj+with")
    [ce] = merge_across([meet])
    rec = plover_event(Corpus(articles=articles, events=[meet], mentions=[]), ce)
    assert rec and [a["code"] for a in rec["actor"]] == ["IND", "KAZ"] and rec["recipient"] == []


# -- modality in every output ----------------------------------------------------------------------
MODALITY_SENTENCES = {
    "asserted": "India and Kazakhstan signed an agreement on Tuesday.",
    "intended": "India will send aid to Kazakhstan next week.",
    "hypothetical": "India could attack Kazakhstan if talks fail.",
    "negated": "India did not meet Kazakhstan's envoy.",
}


@pytest.fixture
def modal_db(tmp_path: Path, make_event: Callable[..., Event]) -> str:
    """A store (no model needed) with one IND-KAZ event of each modality, its corpus built."""
    codes = {"asserted": "057", "intended": "0331", "hypothetical": "190", "negated": "040"}
    events = [make_event("IND", "KAZ", codes[m], doc=m, date="2021-05-04", modality=m, sentence=s)
              for m, s in MODALITY_SENTENCES.items()]
    results = [DocResult(doc=Document(id=e.doc, text=e.evidence.sentence, path=f"{e.doc}.txt"), content_hash=f"h{e.doc}",
                         pub_date="2021-05-05", pub_date_origin="meta", text=e.evidence.sentence, events=(e,))
               for e in events]
    db = str(tmp_path / "modal.duckdb")
    with Store(db) as s:
        s.write_batch(results)
        build_corpus(s)
    return db


def test_modality_in_every_export(modal_db: str, tmp_path: Path, run_cli) -> None:
    def export(fmt: str, *args: str) -> Path:
        out = tmp_path / f"out.{fmt}"
        run_cli("export", "--format", fmt, "--out", out, "--db", modal_db, *args)
        return out

    gdelt = read_gdelt(export("gdelt"))
    assert list(gdelt.EventCode) == ["057"]  # only the asserted event: GDELT cannot mark the others
    marked = read_gdelt(export("gdelt", "--modality", "asserted,intended,hypothetical", "--extra"),
                        GDELT_COLUMNS + ["entente_modality", "entente_date_precision", "entente_corpus_event_id"])
    assert sorted(marked.entente_modality) == ["asserted", "hypothetical", "intended"]
    plover = [json.loads(line) for line in export("plover").read_text("utf-8").splitlines()]
    assert {p["modality"]: p["context"][-1] for p in plover if p["modality"] != "asserted"} == {
        "intended": "future", "hypothetical": "hypothetical"}
    negated = [json.loads(line) for line in export("plover", "--modality", "negated").read_text("utf-8").splitlines()]
    assert [(p["modality"], p["context"]) for p in negated] == [("negated", ["negation"])]
    table = pq.read_table(export("parquet")).to_pylist()
    assert sorted(r["modality"] for r in table) == ["asserted", "hypothetical", "intended"]
    graph = nx.read_graphml(export("graphml", "--modality", "all"))
    assert sorted(d["modality"] for _, d in graph.nodes(data=True) if d["kind"] == "event") == sorted(MODALITY_SENTENCES)


def test_modality_in_the_brief_and_the_events_query(modal_db: str, run_cli) -> None:
    md = run_cli("brief", "IND", "KAZ", "--db", modal_db).stdout
    assert "[intended]" in md and "[hypothetical]" in md and "did not meet" not in md
    assert "| 1 Verbal cooperation | 1 |" in md and "| 4 Material conflict | 0 |" in md  # only asserted events count
    assert "did not meet" in run_cli("brief", "IND", "KAZ", "--db", modal_db, "--modality", "all").stdout
    shown = json.loads(run_cli("events", "--db", modal_db, "--format", "json").stdout)
    assert sorted(e["modality"] for e in shown) == ["asserted", "hypothetical", "intended"]
    asked = json.loads(run_cli("events", "--db", modal_db, "--modality", "negated", "--format", "json").stdout)
    assert [e["modality"] for e in asked] == ["negated"]
    r = run_cli("events", "--db", modal_db, "--modality", "maybe", expect=2)
    assert "unknown modality maybe" in r.stderr


@pytest.mark.slow
def test_intended_events_of_the_examples_are_marked_in_the_brief(examples_db: str, run_cli) -> None:
    md = run_cli("brief", "IND", "KAZ", "--db", examples_db).stdout
    assert re.search(r"\[intended\]", md), "the uranium article announces intended sales"
