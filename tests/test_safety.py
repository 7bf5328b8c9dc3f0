"""Safe output: what an article holds (a hostile URL, markup, a formula) never acts in what entente writes."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entente.corpus.build import Article, Corpus, merge_across
from entente.model import Actor, DocResult, Document, Event
from entente.outputs.brief import make_brief, to_html, to_markdown
from entente.outputs.export import GDELT_COLUMNS, write_gdelt
from entente.outputs.formats import Format, emit
from entente.outputs.safety import markdown, safe_url, spreadsheet_cell, terminal
from entente.store import Store

HOSTILE_URLS = ["javascript:alert(1)", " JavaScript:alert(document.cookie)", "java\tscript:alert(1)",
                "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)",
                "file:///etc/passwd", "//evil.example/x", "https:evil", "\x01javascript:alert(1)"]
SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(1)">'
FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A9)", "=cmd|' /C calc'!A0"]


def test_only_http_and_https_urls_are_links() -> None:
    for url in HOSTILE_URLS:
        assert safe_url(url) is None, url
    assert safe_url("https://news.example.com/a?b=1#c") == "https://news.example.com/a?b=1#c"
    assert safe_url("HTTP://NEWS.EXAMPLE.COM") == "HTTP://NEWS.EXAMPLE.COM"
    assert safe_url(None) is None and safe_url("https://") is None


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_no_text_becomes_markdown_markup(text: str) -> None:
    """Whatever the text, escaped Markdown has no raw tag, link, image, code span or table cell."""
    out = markdown(text, start=True)
    assert "\n" not in out and "<" not in out and ">" not in out
    assert not re.search(r"(?<!\\)[\[\]`|]", out)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_no_cell_starts_a_spreadsheet_formula(text: str) -> None:
    cell = spreadsheet_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or re.fullmatch(r"[+-][\d.eE+-]+", cell)
    assert cell in (text, "'" + text)


def test_numbers_are_not_prefixed_and_terminal_escapes_are_shown() -> None:
    assert [spreadsheet_cell(v) for v in ("-2.0", "-10", "+3", 7, None)] == ["-2.0", "-10", "+3", 7, None]
    assert [spreadsheet_cell(v) for v in FORMULAS] == ["'" + v for v in FORMULAS]
    assert terminal("a\x1b[2Jb\x07") == "a\\x1b[2Jb\\x07"


@pytest.fixture
def hostile(make_event: Callable[..., Event]) -> Corpus:
    """Two articles whose metadata and sentences carry script, markup, hostile URLs and formulas."""
    who = Actor(text="=HYPERLINK(\"http://evil.example\")", name="Kazakhstan", country="KAZ", sector="GOV",
                person=f"Tokayev {SCRIPT}")
    events = [
        replace(make_event("KAZ", "IND", "018", doc="a", date="2021-05-04",
                           sentence=f"Tokayev sent a message to Modi {SCRIPT} {IMG} [x](javascript:alert(1))."),
                source=who),
        make_event("IND", "KAZ", "042", doc="b", date="2021-05-06", sentence="=1+1 Modi visited Kazakhstan | ok"),
    ]
    articles = {
        "a": Article(doc="a", content_hash="ha", path="/corpus/a.txt", title=f"{SCRIPT} {IMG}", url=HOSTILE_URLS[0],
                     outlet="<b>Wire</b>", pub_date="2021-05-08", pub_date_origin="meta", text="text a"),
        "b": Article(doc="b", content_hash="hb", path="/corpus/b.txt", title="[click](javascript:alert(1))",
                     url=HOSTILE_URLS[3], outlet=None, pub_date="2021-05-08", pub_date_origin="meta", text="text b"),
    }
    c = Corpus(articles=articles, events=events, mentions=[])
    c.corpus_events = merge_across(events)
    return c


def test_the_html_brief_links_only_http_and_escapes_everything(hostile: Corpus) -> None:
    page = to_html(make_brief(hostile, "KAZ", "IND"))
    assert "<script" not in page.lower() and "<img" not in page.lower() and "<b>Wire" not in page
    assert not re.search(r"href\s*=\s*\"\s*(javascript|data|vbscript|file):", page, re.I)
    assert not re.search(r"\son\w+\s*=", page.replace("onerror=&quot;", ""), re.I)  # only as escaped text
    assert "&lt;script&gt;" in page and "javascript:alert(1)" in page  # shown, as text


def test_the_markdown_brief_passes_no_markup_and_no_hostile_link(hostile: Corpus) -> None:
    md = to_markdown(make_brief(hostile, "KAZ", "IND"))
    assert "<script" not in md and "<img" not in md and "<b>" not in md
    assert "&lt;script&gt;" in md and "&lt;img src=x onerror=" in md
    assert not re.search(r"(?<!\\)\]\((javascript|data):", md)  # no [text](javascript:…) link
    assert not re.search(r"<(javascript|data):", md)  # no autolink


def test_gdelt_prefixes_formulas_unless_raw_and_never_gives_a_hostile_url(hostile: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "events.tsv"
    write_gdelt(hostile, hostile.corpus_events, str(out))
    df = pd.read_csv(out, sep="\t", header=None, names=GDELT_COLUMNS, dtype=str, keep_default_na=False)
    for col in df.columns:
        assert not df[col].str.match(r"^[=+@]").any(), col
        assert not df[col].str.match(r"^-(?![\d.])").any(), col
    assert set(df.SOURCEURL) == {"/corpus/a.txt", "/corpus/b.txt"}  # the javascript: and data: URLs are not used
    assert (df.Actor1Name.str.startswith("'=") | ~df.Actor1Name.str.contains("HYPERLINK")).all()
    assert pd.to_numeric(df.GoldsteinScale).notna().all()  # numbers are numbers still
    raw = tmp_path / "raw.tsv"
    write_gdelt(hostile, hostile.corpus_events, str(raw), raw=True)
    assert "\t=HYPERLINK" in raw.read_text("utf-8") or "\tTOKAYEV" in raw.read_text("utf-8")


def test_csv_output_prefixes_formulas_unless_raw() -> None:
    rows = [{"text": f, "n": -3, "g": "-2.5"} for f in FORMULAS]
    buf = io.StringIO()
    emit(rows, Format.csv, out=buf)
    got = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert [r["text"] for r in got] == ["'" + f for f in FORMULAS]
    assert {r["n"] for r in got} == {"-3"} and {r["g"] for r in got} == {"-2.5"}
    raw = io.StringIO()
    emit(rows, Format.csv, out=raw, raw=True)
    assert [r["text"] for r in csv.DictReader(io.StringIO(raw.getvalue()))] == FORMULAS


def test_a_table_shows_markup_and_escapes_as_text() -> None:
    buf = io.StringIO()
    emit([{"evidence": "[bold red]loud[/] \x1b[2J cleared"}], Format.table, out=buf)
    assert "[bold red]loud[/]" in buf.getvalue() and "\x1b" not in buf.getvalue()


def test_the_cli_csv_of_a_store_is_safe_and_raw_on_request(tmp_path: Path, run_cli, make_event) -> None:
    evil = Actor(text="=HYPERLINK(\"http://evil.example\")", name="India", country="IND")
    ev = replace(make_event("IND", "KAZ", "042", doc="d", date="2021-05-06"), source=evil)
    db = tmp_path / "s.duckdb"
    with Store(db) as s:
        s.write_batch([DocResult(doc=Document(id="d", text="=1+1 text", path="d.txt"), content_hash="h",
                                 pub_date=None, pub_date_origin=None, text="=1+1 text", events=(ev,))])
    def cells(*args: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(run_cli(*args).stdout)))

    [row] = cells("events", "--db", str(db), "--format", "csv")
    assert row["source_text"].startswith("'=")
    [raw] = cells("events", "--db", str(db), "--format", "csv", "--raw")
    assert raw["source_text"].startswith("=HYPERLINK")
    [doc] = cells("sql", "SELECT text FROM documents", "--db", str(db), "--format", "csv")
    assert doc["text"] == "'=1+1 text"
    as_json = json.loads(run_cli("events", "--db", db, "--format", "json").stdout)
    assert as_json[0]["source"]["text"].startswith("=HYPERLINK")  # JSON keeps the text as it is
