"""The docs and the output contract: help text, README commands, the JSON Lines shape, provenance."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command

from entente.cli.main import app
from entente.documents.reading import read_documents
from entente.model import Document

ROOT = Path(__file__).parents[1]
ARTICLES = ROOT / "examples" / "articles"
README = ROOT / "README.md"

ACTOR_KEYS = {"text", "name", "country", "igo", "sector", "code", "parent"}
CONTRACT_KEYS = {"event_id", "doc", "source", "target", "cameo", "root", "goldstein", "quad_class", "plover",
                 "date", "date_precision", "modality", "evidence", "rule"}
OPTIONAL_KEYS = {"mentions", "date_source"}
MODALITIES = {"asserted", "intended", "negated", "hypothetical"}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def commands(group: Any = None, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """Every command and group below the root, with its path: (("actors", "list"), cmd)."""
    group = group or get_command(app)
    out = []
    for name, cmd in sorted(getattr(group, "commands", {}).items()):
        out.append(((*path, name), cmd))
        out += commands(cmd, (*path, name))
    return out


COMMANDS = commands()


def examples_in(text: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"Example:\s*(entente [^\n]+)", text)]


def test_the_command_tree_is_what_the_docs_describe() -> None:
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {"extract", "run", "events", "eval", "explain", "actor", "actors", "actors list", "actors learned"} <= names


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_every_command_has_help_with_an_example(path: tuple[str, ...], run_cli) -> None:
    r = run_cli(*path, "--help")
    cmd = dict(COMMANDS)[path]
    assert (cmd.help or "").strip(), f"{' '.join(path)} has no help text"
    assert "Example:" in r.stdout, f"`entente {' '.join(path)} --help` shows no example"


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_every_help_example_parses(path: tuple[str, ...]) -> None:
    """The example in a command's help names that command and only options it has."""
    cmd = dict(COMMANDS)[path]
    [example] = examples_in(cmd.help or "")
    args = shlex.split(example)[1:]
    assert args[: len(path)] == list(path), example
    group = get_command(app)
    leaf = group
    for name in args[: len(path)]:
        leaf = leaf.commands[name]
    rest = args[len(path):]
    if hasattr(leaf, "commands"):  # a group's example runs one of its commands
        leaf, rest = leaf.commands[rest[0]], rest[1:]
    leaf.make_context(" ".join(path), list(rest))  # raises on an unknown option or a missing argument
    for arg in rest:
        if arg.startswith("examples/"):
            assert (ROOT / arg).exists(), f"{example}: {arg} does not exist"


def test_root_help_lists_the_commands(run_cli) -> None:
    out = run_cli("--help").stdout
    for name in ("extract", "run", "events", "eval", "explain", "actors"):
        assert name in out


def test_makefile_and_ci_share_the_entry_points() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")


# -- README ---------------------------------------------------------------------------------


def readme_commands() -> list[str]:
    """Shell commands in the README's code blocks: "$ cmd" lines, else each block's first line."""
    text = README.read_text("utf-8")
    out = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, re.S):
        lines = [line for line in block.splitlines() if line.strip()]
        prompted = [line[2:] for line in lines if line.startswith("$ ")]
        out += [re.sub(r"\s+#.*$", "", c).strip() for c in prompted or lines[:1]]  # drop "# comment"
    return out


@pytest.fixture
def readme() -> str:
    if not README.is_file():
        pytest.skip("README.md not written yet")
    return README.read_text("utf-8")


def test_readme_opens_with_make_demo_and_make_test(readme: str) -> None:
    assert readme_commands()[:2] == ["make demo", "make test"]
    first_section = re.split(r"\n## ", readme, maxsplit=1)[0]
    assert "make demo" in first_section and "make test" in first_section


def test_readme_entente_commands_parse(readme: str) -> None:
    for line in readme_commands():
        if not line.startswith("entente "):
            continue
        args = [a for a in shlex.split(line.split("|")[0])[1:]]
        cmd = get_command(app)
        while hasattr(cmd, "commands") and args and args[0] in cmd.commands:
            cmd, args = cmd.commands[args[0]], args[1:]
        assert not hasattr(cmd, "commands"), f"README: {line}: no such command"
        cmd.make_context("entente", args)


# -- the output contract --------------------------------------------------------------------


@pytest.mark.slow
def test_extract_output_follows_the_contract(example_events: list[dict[str, Any]]) -> None:
    assert example_events, "the examples give some events"
    seen_ids = set()
    for e in example_events:
        keys = set(e)
        assert CONTRACT_KEYS <= keys <= CONTRACT_KEYS | OPTIONAL_KEYS, keys ^ CONTRACT_KEYS
        assert set(e["source"]) == ACTOR_KEYS
        assert e["target"] is None or set(e["target"]) == ACTOR_KEYS
        assert set(e["evidence"]) == {"sentence", "start", "end"}
        assert e["modality"] in MODALITIES
        assert e["event_id"] not in seen_ids
        seen_ids.add(e["event_id"])
        assert e["cameo"].startswith(e["root"]) and len(e["root"]) == 2
        assert isinstance(e["goldstein"], float) and e["quad_class"] in (1, 2, 3, 4)
        assert e["plover"] is None or e["plover"].isupper()
        assert e["date"] is None or DATE.match(e["date"])
        assert (e["date"] is None) == (e["date_precision"] is None)
        if e["date"]:
            assert len(e["date"]) == {"year": 4, "month": 7, "day": 10}[e["date_precision"]]
        src = e["source"]
        assert src["country"] or src["igo"]  # an event always has a resolved source
        assert src["code"].startswith(src["country"] or "IGO")


def original_texts() -> dict[str, str]:
    """Document id -> the text offsets point into: the file itself for .txt, the record or extracted text otherwise."""
    out = {}
    for d in read_documents([str(ARTICLES)]):
        assert isinstance(d, Document)
        out[d.id] = d.text
        if d.path.endswith(".txt"):
            assert d.text == Path(d.path).read_bytes().decode("utf-8")
    return out


@pytest.mark.slow
def test_evidence_offsets_slice_the_original_text(example_events: list[dict[str, Any]]) -> None:
    texts = original_texts()
    assert {e["doc"] for e in example_events} <= set(texts)
    for e in example_events:
        ev = e["evidence"]
        assert texts[e["doc"]][ev["start"]:ev["end"]] == ev["sentence"], e["event_id"]
        assert ev["sentence"] == ev["sentence"].strip(), "evidence ends inside its own paragraph"
        for m in e.get("mentions", []):
            assert texts[e["doc"]][m["start"]:m["end"]] == m["sentence"]


@pytest.mark.slow
def test_extract_reads_stdin_and_prints_every_format(run_cli) -> None:
    text = (ARTICLES / "01_ind_kaz_uranium_2015.txt").read_text("utf-8")
    jl = run_cli("extract", "-", "--format", "jsonl", input=text).stdout
    events = [json.loads(line) for line in jl.splitlines()]
    assert events and {e["doc"] for e in events} == {"stdin"}
    as_json = json.loads(run_cli("extract", "-", "--format", "json", input=text).stdout)
    assert as_json == events
    as_csv = list(csv.DictReader(io.StringIO(run_cli("extract", "-", "--format", "csv", input=text).stdout)))
    assert [r["event_id"] for r in as_csv] == [e["event_id"] for e in events]
    assert [r["target_country"] or None for r in as_csv] == [(e["target"] or {}).get("country") for e in events]
    table = run_cli("extract", "-", "--format", "table", input=text).stdout
    assert all(e["cameo"] in table for e in events)


def test_readme_event_example_follows_the_contract(readme: str) -> None:
    blocks = re.findall(r"```json\n(.*?)```", readme, re.S)
    if not blocks:
        pytest.skip("README shows no JSON event")
    event = json.loads(blocks[0])
    assert CONTRACT_KEYS <= set(event) <= CONTRACT_KEYS | OPTIONAL_KEYS
    assert set(event["source"]) == ACTOR_KEYS and set(event["evidence"]) == {"sentence", "start", "end"}


@pytest.mark.slow
def test_make_demo_commands_work(tmp_path: Path, run_cli, monkeypatch) -> None:
    """The `entente` lines of the Makefile's demo target, run in-process on a scratch store."""
    makefile = (ROOT / "Makefile").read_text("utf-8")
    recipe = re.search(r"^demo:.*?\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe, "Makefile has no demo recipe"
    lines = [line.strip() for line in recipe.group(1).splitlines() if "/entente " in line]
    assert len(lines) >= 2
    monkeypatch.chdir(ROOT)
    db = tmp_path / "demo.duckdb"
    outputs = []
    for line in lines:
        args = shlex.split(line.replace("$(DEMO_DB)", str(db)))[1:]
        outputs.append(run_cli(*args))
    assert re.match(r"\d+ inputs: \d+ stored, 0 already in .*, 0 skipped; \d+ events added", outputs[0].stderr)
    table = outputs[-1].stdout
    assert "cameo" in table and "evidence" in table and re.search(r"\b\d{4}-\d{2}\b", table)
