"""``entente explain``: the parse and every decision the pipeline took for one article."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .. import nlp as nlp_mod
from ..actors.kb import load_kb
from ..actors.resolve import find_actors
from ..documents.cleaning import clean
from ..documents.reading import read_documents
from ..errors import InputError
from ..events.coding import extract_events
from ..events.patterns import load_patterns
from ..model import Document
from ..options import Options
from ..pipeline import process_document


def explain_document(path: str, options: Options, console: Console) -> None:
    items = list(read_documents([path], options.encoding))
    for item in items:
        if isinstance(item, InputError):
            raise item
        _explain(item, options, console)


def _explain(doc: Document, options: Options, console: Console) -> None:
    kb = load_kb(options.actors_files)
    nlp = nlp_mod.load()
    result = process_document(doc, options)
    console.rule(f"[bold]{doc.id}")
    for line in result.trace:
        console.print(f"  {line}", highlight=False)
    cd = clean(doc, kb.place_names())
    parsed = nlp(cd.text)
    da = find_actors(parsed, kb, nlp, result.pub_date if result.pub_date_origin != "inferred" else None)
    raw = extract_events(parsed, da, load_patterns(options.pattern_files), include_negated=True)
    by_sent: dict[int, list] = {}
    for r in raw:
        by_sent.setdefault(parsed[r.trigger].sent.start, []).append(r)
    for sent in parsed.sents:
        if not sent.text.strip():
            continue
        console.print(f"\n[bold cyan]{sent.text.strip()}[/bold cyan]", highlight=False)
        table = Table(show_header=True, box=None, pad_edge=False)
        for col in ("i", "token", "lemma", "pos", "dep", "head", "actor"):
            table.add_column(col)
        for t in sent:
            if t.is_space:
                continue
            acts = da.get(t.i)
            label = ", ".join(f"{a.code or a.key}({a.matched_by})" for a in acts)
            table.add_row(str(t.i), t.text, t.lemma_, t.pos_, t.dep_, str(t.head.i), label)
        console.print(table)
        for r in by_sent.get(sent.start, []):
            tgt = r.target.key if r.target else "-"
            console.print(f"  [green]→ {r.source.key} → {tgt}  {r.code}  {r.modality}  rule {r.rule}  trigger '{parsed[r.trigger].text}'[/green]", highlight=False)
    console.rule("events after dating and merging")
    for e in result.events:
        console.print(f"  {e.date or '-':10} {e.source.code or '-'} → {(e.target.code if e.target else '-') or '-'} {e.cameo} {e.modality} "
                      f"[dim]{e.rule}; date from {e.date_source or '-'}; {len(e.mentions)} mention(s)[/dim]", highlight=False)
