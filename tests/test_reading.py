"""Reading documents: every input format, folders, stdin, ids, and bad input that must not stop a batch."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entente.documents.reading import read_documents
from entente.errors import (
    BinaryFileError,
    EmptyInputError,
    EncodingError,
    FormatError,
    InputError,
    UnsupportedFileError,
)
from entente.model import Document

ARTICLE = "Kazakhstan agreed to supply India with 5,000 tonnes of uranium, officials said.\n"

HTML = """<!DOCTYPE html>
<html><head><title>India and Kazakhstan sign uranium deal</title>
<meta property="article:published_time" content="2015-07-08T10:00:00+05:00">
</head><body><nav>Home | World | Sport</nav>
<article><h1>India and Kazakhstan sign uranium deal</h1>
<p>Kazakhstan agreed on Wednesday to supply India with 5,000 tonnes of uranium over five years,
officials in Astana said after talks between the two leaders in the Kazakh capital.</p>
<p>The Indian Prime Minister praised the long friendship between the two countries and invited
the Kazakh President to visit New Delhi next year.</p>
</article><footer>Copyright 2015 Example Herald</footer></body></html>
"""

#: The four kinds of bad file, with the error each must give.
BAD_FILES: dict[str, tuple[bytes, type[InputError]]] = {
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", BinaryFileError),
    "empty.txt": (b"", EmptyInputError),
    "latin1.txt": (b"Caf\xe9 diplomacy in Paris.", EncodingError),
    "broken.jsonl": (b'{"id": "ok1", "text": "India and Kazakhstan held talks."}\n{"id": "bad", "text": \n', FormatError),
}


def read(*paths: Path | str, **kw) -> list[Document | InputError]:
    return list(read_documents([str(p) for p in paths], **kw))


def docs_of(items: list[Document | InputError]) -> list[Document]:
    return [x for x in items if isinstance(x, Document)]


def errors_of(items: list[Document | InputError]) -> list[InputError]:
    return [x for x in items if isinstance(x, InputError)]


# -- formats --------------------------------------------------------------------------------


def test_txt_keeps_text_verbatim_and_uses_the_stem_as_id(tmp_path: Path) -> None:
    f = tmp_path / "ind_kaz.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    [doc] = read(f)
    assert isinstance(doc, Document)
    assert (doc.id, doc.text, doc.path) == ("ind_kaz", ARTICLE, str(f))
    assert doc.date is None and doc.date_origin is None


def test_txt_keeps_crlf_and_drops_a_bom(tmp_path: Path) -> None:
    f = tmp_path / "crlf.txt"
    f.write_bytes("\ufeffLine one.\r\nLine two.\r\n".encode())
    [doc] = read(f)
    assert doc.text == "Line one.\r\nLine two.\r\n"  # offsets point into these exact characters


def test_html_keeps_main_text_title_and_published_date(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(HTML, encoding="utf-8")
    [doc] = read(f)
    assert isinstance(doc, Document)
    assert doc.id == "page"
    assert doc.title == "India and Kazakhstan sign uranium deal"
    assert doc.date == "2015-07-08"
    assert doc.date_origin == "meta"
    assert "5,000 tonnes of uranium" in doc.text
    assert "<p>" not in doc.text and "Home | World" not in doc.text


def test_json_object_one_line_and_pretty_printed(tmp_path: Path) -> None:
    rec = {"id": "rec-7", "title": "T", "date": "2020-01-02", "url": "https://example.com/a",
           "source": "Sample Wire", "text": ARTICLE}
    (tmp_path / "one.json").write_text(json.dumps(rec), encoding="utf-8")
    (tmp_path / "pretty.json").write_text(json.dumps(dict(rec, id="rec-8"), indent=2), encoding="utf-8")
    items = read(tmp_path)
    assert errors_of(items) == []  # a pretty-printed object is not read as broken JSON Lines
    by_id = {d.id: d for d in docs_of(items)}
    assert set(by_id) == {"rec-7", "rec-8"}
    d = by_id["rec-7"]
    assert (d.title, d.date, d.url, d.source, d.text, d.date_origin) == (
        "T", "2020-01-02", "https://example.com/a", "Sample Wire", ARTICLE, "meta")


def test_json_array_ids_from_records_or_position(tmp_path: Path) -> None:
    f = tmp_path / "batch.json"
    f.write_text(json.dumps([{"id": "first", "text": "A."}, {"text": "B."}, {"id": 3, "text": "C."}]))
    docs = docs_of(read(f))
    assert [(d.id, d.text) for d in docs] == [("first", "A."), ("batch:2", "B."), ("3", "C.")]


def test_jsonl_one_document_per_line(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    f.write_text('{"id": "a", "text": "First."}\n\n{"text": "Third line."}\n', encoding="utf-8")
    docs = docs_of(read(f))
    assert [(d.id, d.text) for d in docs] == [("a", "First."), ("feed:3", "Third line.")]


def test_csv_needs_a_text_column_and_reads_metadata(tmp_path: Path) -> None:
    f = tmp_path / "rows.csv"
    f.write_text('id,text,date\nc1,"India met Kazakhstan, again.",2020-01-01\n,Second row.,\n', encoding="utf-8")
    docs = docs_of(read(f))
    assert [(d.id, d.text, d.date) for d in docs] == [
        ("c1", "India met Kazakhstan, again.", "2020-01-01"), ("rows:2", "Second row.", None)]
    g = tmp_path / "notext.csv"
    g.write_text("id,body\n1,hello\n", encoding="utf-8")
    [err] = read(g)
    assert isinstance(err, FormatError) and str(g) in str(err) and "'text' column" in str(err)


def test_record_without_text_is_an_error_naming_the_file(tmp_path: Path) -> None:
    f = tmp_path / "notext.jsonl"
    f.write_text('{"id": "x", "title": "no body"}\n{"id": "y", "text": "Body."}\n', encoding="utf-8")
    items = read(f)
    [err] = errors_of(items)
    assert isinstance(err, EmptyInputError) and str(f) in str(err)
    assert [d.id for d in docs_of(items)] == ["y"]


def test_folder_is_read_recursively_in_order_naming_each_file_it_does_not_read(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x", encoding="utf-8")
    (tmp_path / "a.txt").write_text("A.", encoding="utf-8")
    (tmp_path / "b" / "c.md").write_text("C.", encoding="utf-8")
    (tmp_path / "b" / "deep" / "d.txt").write_text("D.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("H.", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\x00\x00")
    (tmp_path / "report.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "README").write_text("R.", encoding="utf-8")
    items = read(tmp_path)
    assert [d.id for d in docs_of(items)] == ["a", "c", "d"]
    errs = {Path(e.path).name: e for e in errors_of(items)}
    assert set(errs) == {".git", ".hidden.txt", "image.png", "report.docx", "README"}  # a hidden folder once
    assert all(isinstance(e, UnsupportedFileError) for e in errs.values())
    assert "unsupported file type .docx" in errs["report.docx"].reason and "hidden" in errs[".hidden.txt"].reason
    assert "no file suffix" in errs["README"].reason


def test_an_empty_folder_an_empty_array_and_a_header_only_csv_are_each_named(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "none.json").write_text("[]", encoding="utf-8")
    (tmp_path / "head.csv").write_text("id,text\n", encoding="utf-8")
    errs = errors_of(read(tmp_path / "empty", tmp_path / "none.json", tmp_path / "head.csv"))
    assert [type(e) for e in errs] == [EmptyInputError] * 3
    assert ["no files" in errs[0].reason, "no records" in errs[1].reason, "no rows" in errs[2].reason] == [True] * 3


def test_a_file_named_explicitly_is_read_whatever_its_suffix(tmp_path: Path) -> None:
    f = tmp_path / "article.news"
    f.write_text(ARTICLE, encoding="utf-8")
    [doc] = read(f)
    assert isinstance(doc, Document) and doc.id == "article"


def test_missing_path_is_one_error(tmp_path: Path) -> None:
    [err] = read(tmp_path / "nope.txt")
    assert isinstance(err, InputError) and "nope.txt" in str(err) and "no such file" in str(err)


# -- stdin ----------------------------------------------------------------------------------


def test_stdin_plain_text() -> None:
    [doc] = list(read_documents(["-"], stdin=io.StringIO(ARTICLE)))
    assert isinstance(doc, Document)
    assert (doc.id, doc.text, doc.path) == ("stdin", ARTICLE, "<stdin>")


def test_stdin_json_lines_and_html() -> None:
    jl = '{"id": "s1", "text": "One."}\n{"id": "s2", "text": "Two."}\n'
    assert [d.id for d in docs_of(list(read_documents(["-"], stdin=io.StringIO(jl))))] == ["s1", "s2"]
    [doc] = list(read_documents(["-"], stdin=io.StringIO(HTML)))
    assert isinstance(doc, Document) and doc.title == "India and Kazakhstan sign uranium deal"


def test_empty_stdin_is_one_error() -> None:
    [err] = list(read_documents(["-"], stdin=io.StringIO("  \n")))
    assert isinstance(err, EmptyInputError) and "<stdin>" in str(err)


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_each_bad_file_gives_one_error_naming_it_and_the_folder_goes_on(tmp_path: Path, name: str) -> None:
    data, kind = BAD_FILES[name]
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    items = read(tmp_path)
    errs = errors_of(items)
    assert len(errs) == 1
    assert isinstance(errs[0], kind)
    assert errs[0].path == str(tmp_path / name)
    assert str(errs[0]).startswith(str(tmp_path / name) + ": ")
    assert "good" in [d.id for d in docs_of(items)]


def test_all_bad_files_together_leave_the_good_documents(tmp_path: Path) -> None:
    for name, (data, _) in BAD_FILES.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    items = read(tmp_path)
    assert sorted(Path(e.path).name for e in errors_of(items)) == sorted(BAD_FILES)
    # the good line of the broken JSON Lines file is still a document
    assert sorted(d.id for d in docs_of(items)) == ["good", "ok1"]


def test_encoding_error_suggests_the_fix_and_the_option_reads_it(tmp_path: Path) -> None:
    f = tmp_path / "latin1.txt"
    f.write_bytes(BAD_FILES["latin1.txt"][0])
    [err] = read(f)
    assert "--encoding latin-1" in str(err)
    [doc] = read(f, encoding="latin-1")
    assert isinstance(doc, Document) and doc.text == "Café diplomacy in Paris."


def test_unknown_encoding_is_an_error_not_a_crash(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Hello.", encoding="utf-8")
    [err] = read(f, encoding="no-such-codec")
    assert isinstance(err, EncodingError) and "no-such-codec" in str(err)


def test_broken_json_array_is_one_error(tmp_path: Path) -> None:
    f = tmp_path / "arr.json"
    f.write_text('[{"text": "A."}, {"text": ', encoding="utf-8")
    [err] = read(f)
    assert isinstance(err, FormatError) and str(f) in str(err)


def test_broken_pretty_printed_object_is_one_error(tmp_path: Path) -> None:
    f = tmp_path / "obj.json"
    f.write_text('{\n  "id": "x",\n  "text": "A."\n  "date": "2020"\n}\n', encoding="utf-8")
    [err] = read(f)
    assert isinstance(err, FormatError) and "line 4" in str(err)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({"id": st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12),
                                       "text": st.text(min_size=1, max_size=200).filter(str.strip)}),
                min_size=1, max_size=5, unique_by=lambda r: r["id"]))
def test_jsonl_round_trip(records: list[dict[str, str]]) -> None:
    """Whatever records are written as JSON Lines are read back unchanged, in order."""
    jl = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    items = list(read_documents(["-"], stdin=io.StringIO(jl)))
    assert all(isinstance(x, Document) for x in items)
    assert [(d.id, d.text) for d in items] == [(r["id"], r["text"]) for r in records]


@pytest.mark.slow
def test_cli_reports_each_bad_file_on_one_line_and_extracts_the_rest(tmp_path: Path, run_cli) -> None:
    good = Path(__file__).parents[1] / "examples" / "articles" / "01_ind_kaz_uranium_2015.txt"
    (tmp_path / good.name).write_text(good.read_text("utf-8"), encoding="utf-8")
    for name, (data, _) in BAD_FILES.items():
        (tmp_path / name).write_bytes(data)
    result = run_cli("extract", tmp_path, "--format", "jsonl", "--quiet", expect=1)  # 1: some input skipped
    *lines, summary = result.stderr.splitlines()
    assert len(lines) == len(BAD_FILES), result.stderr
    assert summary.startswith(f"{len(BAD_FILES) + 2} inputs: 2 processed, {len(BAD_FILES)} skipped (")
    for name in BAD_FILES:
        assert sum(str(tmp_path / name) in line for line in lines) == 1, (name, lines)
    events = [json.loads(line) for line in result.stdout.splitlines()]
    docs = {e["doc"] for e in events}
    assert good.stem in docs  # the good article's events are printed
    assert docs <= {good.stem, "ok1"}  # and nothing from the unreadable files


# -- offsets hold for every input format ----------------------------------------------------------
def _paragraphs() -> list[str]:
    """The body paragraphs of a sample article written for this project (examples/articles)."""
    text = (Path(__file__).parents[1] / "examples" / "articles" / "01_ind_kaz_uranium_2015.txt").read_text("utf-8")
    return [p for p in text.split("\n\n") if len(p) > 80 and not p.startswith(("date", "("))]


def _inputs(folder: Path) -> dict[str, str]:
    """The same article in every format entente reads; returns file name -> what it is."""
    paras = _paragraphs()
    body = "\n\n".join(paras)
    curly = body.replace("India's", "India\u2019s").replace(" - ", " \u2013 ")
    (folder / "plain.txt").write_text("date 2015-07-10\n" + body + "\n", "utf-8")
    (folder / "crlf.txt").write_bytes(("date 2015-07-10\r\n\r\n" + curly.replace("\n", "\r\n")).encode("utf-8"))
    html_paras = "".join(f"<p>{p}</p>\n" for p in paras)
    (folder / "page.html").write_text(
        "<!DOCTYPE html><html><head><title>Uranium deal | Sample Wire</title>"
        '<meta property="article:published_time" content="2015-07-10T09:00:00+06:00"></head>'
        f"<body><nav>Home | World</nav><article><h1>Kazakhstan to supply India with uranium</h1>\n{html_paras}"
        "</article><footer>Copyright Sample Wire</footer></body></html>", "utf-8")
    (folder / "one.json").write_text(json.dumps({"id": "one", "text": curly, "date": "2015-07-10", "title": "T"}), "utf-8")
    (folder / "many.jsonl").write_text("\n".join(json.dumps({"text": "\n\n".join(paras[i:]), "date": "2015-07-10"})
                                                 for i in (1, 2)) + "\n", "utf-8")
    rows = io.StringIO()
    import csv

    w = csv.writer(rows, lineterminator="\r\n")
    w.writerow(["id", "date", "text"])
    w.writerow(["csv-a", "2015-07-10", body])
    w.writerow(["csv-b", "2015-07-10", '"Quoted" lead.\n\n' + curly])
    (folder / "table.csv").write_text(rows.getvalue(), "utf-8")
    return {"plain.txt": "txt", "crlf.txt": "txt", "page.html": "html", "one.json": "json", "many.jsonl": "jsonl",
            "table.csv": "csv"}


@pytest.mark.slow
def test_every_offset_of_every_format_slices_the_stored_text_back_to_its_sentence(tmp_path: Path, run_cli) -> None:
    from entente.store import Store

    folder = tmp_path / "in"
    folder.mkdir()
    kinds = _inputs(folder)
    db = tmp_path / "offsets.duckdb"
    run_cli("run", folder, "--db", db, "--quiet")
    with Store(db, read_only=True) as s:
        docs = {r["content_hash"]: r for r in s.query("SELECT * FROM documents")}
        events = s.query("SELECT * FROM events")
        claims = s.query("SELECT * FROM claims")
        mentions = s.query("SELECT * FROM actor_mentions")
    by_file = {Path(d["path"]).name for d in docs.values()}
    assert by_file == set(kinds) and len(docs) == 8  # two JSON Lines records, two CSV rows
    with_events = {Path(docs[e["content_hash"]]["path"]).name for e in events}
    assert with_events == set(kinds), "every format gives events"
    for d in docs.values():
        if d["path"].endswith(".txt"):
            assert d["text"] == Path(d["path"]).read_bytes().decode("utf-8")  # for .txt, the document text is the file
        if d["path"].endswith(".html"):
            assert "<" not in d["text"] and "Uranium deal | Sample Wire" not in d["text"]
    for e in events:
        text = docs[e["content_hash"]]["text"]
        assert text[e["evidence_start"]:e["evidence_end"]] == e["evidence_sentence"], (e["doc_id"], e["event_id"])
        for m in e["mentions"]:
            assert text[m["start"]:m["end"]] == m["sentence"]
    for c in claims:
        assert docs[c["content_hash"]]["text"][c["evidence_start"]:c["evidence_end"]] == c["text"]
    assert claims, "the article states figures"
    for m in mentions:
        assert docs[m["content_hash"]]["text"][m["start"]:m["end"]].strip()
    extracted = [json.loads(line) for line in run_cli("extract", folder, "--quiet").stdout.splitlines()]
    texts = {d.id: d.text for d in read_documents([str(folder)]) if isinstance(d, Document)}
    for e in extracted:  # extract's offsets point into the same text
        assert texts[e["doc"]][e["evidence"]["start"]:e["evidence"]["end"]] == e["evidence"]["sentence"]
