"""The brief (Markdown and self-contained HTML) and the exports, each read back by a real reader."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pandas as pd
import pyarrow.parquet as pq
import pytest
from corpus_stores import copy_of, store_of

from entente.corpus.build import Article, Corpus, merge_across
from entente.model import Actor, Event
from entente.outputs.brief import Brief, chart_svg, make_brief, timeline, to_html, to_markdown
from entente.outputs.export import (
    GDELT_COLUMNS,
    write_gdelt,
    write_graphml,
    write_parquet,
    write_plover,
)


@pytest.fixture
def corpus(make_event: Callable[..., Event]) -> Corpus:
    """Two articles reporting one message, plus a visit and an undated aid delivery."""
    tokayev = Actor(text="Tokayev", name="Kassym-Jomart Tokayev", country="KAZ", sector="GOV",
                    person="Kassym-Jomart Tokayev")
    events = [
        replace(make_event("KAZ", "IND", "018", doc="a", date="2021-05-04", sentence="On May 4, Tokayev sent a message to Modi."),
                source=tokayev),
        replace(make_event("KAZ", "IND", "018", doc="b", date="2021-05-04", sentence="Tokayev delivered a message to Modi on May 4."),
                source=tokayev),
        make_event("IND", "KAZ", "042", doc="b", date="2015-07", sentence="Modi visited Kazakhstan in July 2015.", n=1),
        make_event("KAZ", "IND", "073", doc="a", sentence="Two Kazakh planes carrying aid arrived in New Delhi.", n=1),
        make_event("PAK", "KAZ", "054", doc="c", date="1991-12", sentence="Pakistan recognised Kazakhstan."),
    ]
    articles = {d: Article(doc=d, content_hash=f"h{d}", path=f"/corpus/{d}.txt", title=f"Article {d}",
                           url="https://news.example.com/" + d if d == "b" else None, outlet=None,
                           pub_date="2021-05-08", pub_date_origin="meta", text=f"text {d}") for d in "abc"}
    c = Corpus(articles=articles, events=events, mentions=[])
    c.corpus_events = merge_across(events)
    return c


# -- exports ---------------------------------------------------------------------------------------
def test_gdelt_tsv_reads_back_with_pandas(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "events.tsv"
    left_out = write_gdelt(corpus, corpus.corpus_events, str(out))
    df = pd.read_csv(out, sep="\t", header=None, names=GDELT_COLUMNS, dtype=str, keep_default_na=False)
    assert len(df.columns) == 61 and len(df) == len(corpus.corpus_events) - 1 == 3
    assert left_out == {"undated": 1}  # the aid delivery: GDELT dates every event
    msg = df[df.EventCode == "018"].iloc[0]
    assert (msg.SQLDATE, msg.MonthYear, msg.Year) == ("20210504", "202105", "2021")
    assert (msg.Actor1Code, msg.Actor1CountryCode, msg.Actor2CountryCode) == ("KAZGOV", "KAZ", "IND")
    assert (msg.Actor1Type1Code, msg.Actor2Type1Code) == ("GOV", "")
    assert (msg.NumArticles, msg.NumSources, msg.EventRootCode, msg.QuadClass) == ("2", "2", "01", "1")
    assert msg.Actor1Name == "KASSYM-JOMART TOKAYEV" and msg.SOURCEURL == "https://news.example.com/b"
    visit = df[df.EventCode == "042"].iloc[0]
    assert (visit.SQLDATE, visit.MonthYear, visit.FractionDate) == ("20150701", "201507", "2015.4959")  # the documented rule
    assert df.GLOBALEVENTID.str.fullmatch(r"\d+").all()


def test_plover_jsonl_reads_back(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    left_out = write_plover(corpus, corpus.corpus_events, str(out))
    events = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(events) == 2 and left_out == {"undated": 1, "CAMEO 01 statements (no PLOVER category; --statements keeps them)": 1}
    by_code = {e["cameo"]: e for e in events}
    assert by_code["042"]["event"] == ["CONSULT"] and by_code["042"]["mode"] == ["visit"]
    assert by_code["042"]["date"] == "2015-07-01" and by_code["042"]["enddate"] == "2015-07-31"
    assert by_code["042"]["date_precision"] == "month"
    assert by_code["054"]["actor"][0]["code"] == "PAK" and by_code["054"]["recipient"][0]["code"] == "KAZ"
    write_plover(corpus, corpus.corpus_events, str(out), statements=True)
    kept = {e["cameo"]: e for e in map(json.loads, out.read_text("utf-8").splitlines())}
    assert kept["018"]["has_event"] is False and kept["018"]["event"] == []
    assert [s["doc_id"] for s in kept["018"]["sources"]] == ["a", "b"]


def test_parquet_reads_back_with_pyarrow(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    write_parquet(corpus, corpus.corpus_events, str(out))
    table = pq.read_table(out)
    assert table.num_rows == 4
    rows = {r["cameo"]: r for r in table.to_pylist()}
    assert rows["018"]["doc_ids"] == ["a", "b"] and rows["018"]["n_sources"] == 2
    assert {r["modality"] for r in rows.values()} == {"asserted"} and str(rows["042"]["date_start"]) == "2015-07-01"
    assert rows["073"]["date"] is None and rows["018"]["source_person"] == "Kassym-Jomart Tokayev"


def test_graphml_reads_back_with_networkx(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "events.graphml"
    write_graphml(corpus, corpus.corpus_events, str(out))
    g = nx.read_graphml(out)
    assert g.is_directed()
    actors = {n for n, d in g.nodes(data=True) if d["kind"] == "actor"}
    events = {n for n, d in g.nodes(data=True) if d["kind"] == "event"}
    assert actors == {"KAZ", "IND", "PAK"} and len(events) == 4
    msg = next(n for n in events if g.nodes[n]["cameo"] == "018")
    assert g.has_edge("KAZ", msg) and g.has_edge(msg, "IND")
    assert g.edges["KAZ", msg]["role"] == "source" and g.edges["KAZ", msg]["person"] == "Kassym-Jomart Tokayev"
    assert g.nodes[msg]["n_sources"] == 2 and g.nodes[msg]["goldstein"] == pytest.approx(3.4, abs=5)


# -- the brief -------------------------------------------------------------------------------------
def check_self_contained(page: str) -> None:
    """One file: no script, stylesheet, font or image fetched; URLs only as citation links."""
    assert page.count("<svg") == 1 and "</svg>" in page
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(\s*['\"]?(https?:)?//", page, re.I)
    assert not re.search(r"\ssrc\s*=", page, re.I)
    for m in re.finditer(r"https?://[^\s\"'<>)]+", page):
        before = page[max(0, m.start() - 9): m.start()]
        inside_link = page[m.end(): m.end() + 2].startswith('">') and before.endswith('href="')
        assert inside_link or page[m.start() - 1] == ">", f"external URL outside a citation: {m.group(0)}"


def test_brief_html_is_one_self_contained_file(corpus: Corpus) -> None:
    brief = make_brief(corpus, "KAZ", "IND")
    page = to_html(brief)
    check_self_contained(page)
    assert "<h2 id=\"timeline\">" in page and "Undated events" in page
    assert page.index("2015-07") < page.index("2021-05-04")  # the timeline runs forward
    assert "Pakistan" not in page  # another dyad


def test_brief_counts_each_real_world_event_once(corpus: Corpus) -> None:
    brief: Brief = make_brief(corpus, "IND", "KAZ")
    assert brief.counts == {1: 2, 2: 1, 3: 0, 4: 0}  # message and visit; aid
    assert [line.date for line in brief.dated] == ["2015-07", "2021-05-04"] and len(brief.undated) == 1
    [msg] = [line for line in brief.dated if line.cameo == "018"]
    assert sorted(brief.cite(d) for d in msg.docs) == [1, 2]  # numbered in order of first citation
    assert msg.n_sources == 2
    # six years apart: counted per year, cooperation and conflict apart, the undated aid counted too
    assert brief.series.period == "year" and len(brief.series.points) == 7
    assert [p for p in brief.series.points if p[1] or p[2]] == [("2015", 1, 0), ("2021", 1, 0)]
    assert brief.series.undated == (1, 0)


def test_brief_chart_counts_conflict_apart_from_cooperation(corpus: Corpus, make_event: Callable[..., Event]) -> None:
    """A deadly clash is a conflict bar, whatever the cooperation of the same month: two series, not a net sum."""
    clash = make_event("IND", "KAZ", "190", doc="c", date="2021-05-20", n=5, sentence="Troops clashed.")
    talks = [make_event("KAZ", "IND", "040", doc="c", date=f"2021-05-{d:02d}", n=d, sentence=f"They met on day {d}.")
             for d in (1, 2, 3)]
    corpus.corpus_events = merge_across([*corpus.events, clash, *talks])
    brief = make_brief(corpus, "IND", "KAZ")
    assert brief.series.period == "year"
    assert dict((p, (c, k)) for p, c, k in brief.series.points)["2021"] == (4, 1)
    svg = chart_svg(brief)
    assert svg.count("<g id=\"patch_") >= 4  # bars of both colours
    assert "#c62828" in svg and "#2e7d32" in svg
    only_2021 = make_brief(replace(corpus, corpus_events=merge_across([clash, *talks])), "IND", "KAZ")
    assert only_2021.series.period == "month" and only_2021.series.points == (("2021-05", 3, 1),)


def test_brief_names_actors_and_codes_and_leaves_out_what_is_empty(corpus: Corpus) -> None:
    md = to_markdown(make_brief(corpus, "KAZ", "IND"))
    assert "Kassym-Jomart Tokayev (Kazakhstan) → India: Make empathetic comment." in md
    assert not re.search(r"\b(KAZGOV|INDGOV|018|test)\b", md)  # no actor codes, CAMEO codes or rule names
    assert "## Key figures" not in md and "## Key people" in md  # no claims here: no empty table
    assert "(1 source)" in md and "(2 sources)" in md and "1 sources" not in md
    assert "/corpus/" not in md  # sources are cited by title and URL, not by local path
    assert "Article b, 2021-05-08 <https://news.example.com/b>" in md
    lonely = make_brief(replace(corpus, corpus_events=[]), "KAZ", "IND")
    assert to_markdown(lonely).count("\n## ") == 0 and "0 events between Kazakhstan and India" in to_markdown(lonely)
    assert "<h2" not in to_html(lonely)


def test_brief_links_only_to_web_urls(corpus: Corpus) -> None:
    evil = {d: replace(a, url="javascript:alert(1)", title="<script>x</script>") for d, a in corpus.articles.items()}
    page = to_html(make_brief(replace(corpus, articles=evil), "KAZ", "IND"))
    assert "javascript:" not in page and "<script>x" not in page and "&lt;script&gt;x" in page
    assert "&lt;script&gt;x" in to_markdown(make_brief(replace(corpus, articles=evil), "KAZ", "IND"))


def test_one_sentence_coded_twice_is_one_timeline_line(make_event: Callable[..., Event]) -> None:
    """Two codings of one sentence (each way, or asserted and intended) share a line; events of other
    sentences or other dates keep theirs."""
    s = "India and Kazakhstan established diplomatic relations in 1992."
    events = [make_event("IND", "KAZ", "054", doc="a", date="1992", sentence=s),
              make_event("KAZ", "IND", "054", doc="a", date="1992", sentence=s, n=1),
              make_event("IND", "KAZ", "054", doc="a", sentence=s, n=2, modality="intended"),
              make_event("IND", "KAZ", "054", doc="a", date="1993", sentence=s, n=3),
              make_event("IND", "KAZ", "054", doc="b", date="1992", sentence="Delhi recognised Astana.")]
    lines = timeline(merge_across(events))
    assert [(line.date, len(line.members)) for line in lines] == [("1992", 3), ("1992", 1), ("1993", 1)]
    assert lines[0].modality == "asserted"


def test_key_figures_are_those_of_the_dyad_s_events(corpus: Corpus) -> None:
    from entente.claims.reconcile import SourcedClaim
    from entente.model import Claim, Evidence

    def claim(doc: str, event_id: str | None, item: str, value: float) -> SourcedClaim:
        c = Claim(doc=doc, value=value, low=value, high=value, qualifier="exact", unit=None, item=item,
                  text=f"{value:g} {item}", evidence=Evidence("x", 0, 1), event_id=event_id)
        return SourcedClaim(claim=c, source=doc, actor="KAZ", actors=frozenset({"KAZ", "IND"}), story="s")

    aid = next(e.event_id for e in corpus.events if e.cameo == "073")
    corpus.claims = [claim("a", aid, "masks", 5e6), claim("b", None, "masks", 6e6),
                     claim("a", None, "member states", 193)]  # about both names, tied to no event
    brief = make_brief(corpus, "KAZ", "IND")
    assert [(f.item, f.status, len(f.claims)) for f in brief.figures] == [("masks", "conflicting", 2)]


def test_brief_chart_is_matplotlib_svg(corpus: Corpus) -> None:
    svg = chart_svg(make_brief(corpus, "KAZ", "IND"))
    assert svg.startswith("<svg") and "matplotlib" not in svg.split(">", 1)[0]
    assert "<path" in svg and "http" not in svg


def test_brief_markdown_has_every_section(corpus: Corpus) -> None:
    md = to_markdown(make_brief(corpus, "KAZ", "IND"))
    for heading in ("## Events by QuadClass", "## Cooperation and conflict per year", "## Timeline",
                    "## Undated events", "## Key people", "## What remains uncertain", "## Sources"):
        assert heading in md
    assert "Kassym-Jomart Tokayev" in md and "[1][2]" in md


# -- the commands on the seeds ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def seeds_db(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory, nlp) -> str:
    return copy_of(store_of(str(seeds_dir)), tmp_path_factory.mktemp("seeds"))


@pytest.mark.slow
def test_brief_command_writes_the_seed_dossier(seeds_db: str, tmp_path: Path, run_cli) -> None:
    out = tmp_path / "kaz-ind.html"
    run_cli("brief", "KAZ", "IND", "--db", seeds_db, "--format", "html", "--out", out)
    page = out.read_text("utf-8")
    check_self_contained(page)
    for status in ("conflicting", "consistent", "corroborated"):
        assert f'class="status {status}"' in page
    assert "Nurlan Yermekbayeva" in page and "2021-05-04" in page
    md = run_cli("brief", "kaz", "ind", "--db", seeds_db).stdout
    assert "thousands of respirators [1]; 400,000 respirators" in md or "400,000 respirators" in md


@pytest.mark.slow
def test_claims_command_filters_by_dyad_and_status(seeds_db: str, run_cli) -> None:
    rows = json.loads(run_cli("claims", "--db", seeds_db, "--dyad", "KAZ-IND", "--status", "conflicting",
                              "--format", "json").stdout)
    assert {r["claim"] for r in rows} == {"thousands of respirators", "400,000 respirators"}
    assert all(r["status"] == "conflicting" and len(r["sources"]) == 2 for r in rows)
    for r in rows:
        assert r["claim"] in r["evidence"]["sentence"]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["gdelt", "plover", "parquet", "graphml"])
def test_export_command_writes_each_format(seeds_db: str, tmp_path: Path, run_cli, fmt: str) -> None:
    out = tmp_path / f"events.{fmt}"
    r = run_cli("export", "--format", fmt, "--out", out, "--db", seeds_db, "--dyad", "KAZ-IND")
    written = int(re.match(r"(\d+) events written", r.stderr).group(1))  # type: ignore[union-attr]
    readers = {"gdelt": lambda p: len(pd.read_csv(p, sep="\t", header=None, names=GDELT_COLUMNS, dtype=str)),
               "plover": lambda p: len(p.read_text("utf-8").splitlines()),
               "parquet": lambda p: pq.read_table(p).num_rows,
               "graphml": lambda p: sum(1 for _, d in nx.read_graphml(p).nodes(data=True) if d["kind"] == "event")}
    assert readers[fmt](out) == written >= (30 if fmt in ("parquet", "graphml") else 10)


def test_commands_explain_a_missing_store(tmp_path: Path, run_cli) -> None:
    r = run_cli("brief", "KAZ", "IND", "--db", tmp_path / "none.duckdb", expect=2)
    assert "no store here yet" in r.stderr
    r = run_cli("export", "--format", "gdelt", "--out", tmp_path / "x.tsv", "--db", tmp_path / "none.duckdb", expect=2)
    assert "no store here yet" in r.stderr
