"""The dyad page's brief, read a page at a time: ``outline(con, a, b)``, then ``shown(...)`` per page.

``outputs.brief.make_brief`` turns every event of a dyad, and every report of it, into
Python records before it counts anything; on the busiest dyad of a large store that is
most of a second. The page needs all of the dyad only for what it counts (lines per
QuadClass, the series, citation numbers, people, notes) and needs words (actors, codes,
evidence, titles) only for the hundred lines it shows. So:

1. ``outline`` reads one narrow row per report of the dyad's events (ids, dates, classes,
   articles, offsets; no text), and from them the timeline's lines, in the brief's order and
   with its source counts, its counts and series, the citation number of every article, the
   people with their roles, the figures, and which notes of "what remains uncertain" there are;
2. ``shown`` reads in full only the reports of the lines a page shows (and of the notes it
   words), and gives them as the brief's ``Line`` records, which the page renders as before.

Both read the dyad's rows of ``dyad_reports``, which the corpus step writes in the order of the
pair (``store/schema.py``): a dyad's reports lie together, and a read skips the rest of the
store, whose size then costs nothing. Both give what ``make_brief`` gives on the same store (a
test compares them on every dyad).
"""

from __future__ import annotations

from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

import duckdb

from ..actors.names import NameMerge, roles_text
from ..claims.reconcile import CONFLICTING, Figure, SourcedClaim, status
from ..corpus.build import Article, CorpusEvent
from ..corpus.tables import (
    ARTICLE_COLUMNS,
    article_of,
    claim_of,
    corpus_event_of,
    event_of,
    name_merges_of,
)
from ..model import Event
from ..outputs.brief import (
    ASSERTED,
    Line,
    PersonEntry,
    Series,
    series,
    timeline,
    what,
)
from ..outputs.labels import actor_name, plural, sector_name
from ..store import date_label
from ..store.queries import DEFAULT_MODALITIES
from ..store.schema import label_sql
from .render import rows

#: Pages of a dyad whose words are kept with its outline, for their next view.
PAGES_KEPT = 8


#: The rows of one dyad in ``dyad_events`` or ``dyad_reports`` (parameters: the two keys in order).
DYAD = "actor_a = ? AND actor_b = ?"
#: The dyad's events the brief shows, one narrow row each (no text): what places, counts and groups it,
#: its articles (first report first), its source count as a line of its own, whether it shares a sentence
#: with another (``_lines``), and what the notes of "what remains uncertain" need; in the brief's order:
#: dated first by date (as the articles give it), then by first article, then as corpus_events holds them
#: (strings compare as in Python: DuckDB compares their UTF-8 bytes, which keeps the order of code points).
EVENT_ROWS = (f"SELECT corpus_event_id, corpus_rank, cameo, quad_class, modality, line_sources, {label_sql('date')} "
              "AS day, CASE WHEN source_person IS NOT NULL OR target_person IS NOT NULL THEN [[source_person, "
              "source_key, source_sector], [target_person, target_key, target_sector]] END, report_docs, n_reports, "
              "shares_sentence, inferred_by, undated_in "
              f"FROM dyad_events WHERE {DYAD} AND modality IN ({', '.join(repr(m) for m in DEFAULT_MODALITIES)}) "
              "ORDER BY day IS NULL, day, report_docs[1], corpus_rank")
#: The claims of the dyad's figures, figure by figure, each with what reconciling it read of its article.
FIGURE_ROWS = ("SELECT f.figure_rank, f.source_doc, f.story, f.citation, f.claim_when, c.* FROM dyad_figures f "
               "JOIN claims c USING (content_hash, doc_id, claim_no) WHERE f.actor_a = ? AND f.actor_b = ? "
               "ORDER BY f.figure_rank, f.member_no")


@dataclass(slots=True)  # not frozen: a frozen dataclass is made five times slower, and there are thousands
class Item:
    """One corpus event of the dyad, without its words: what places, counts and groups it (a row of ``EVENT_ROWS``)."""

    id: str
    rank: int  # its place in corpus_events: the brief's last tie-break
    cameo: str
    quad_class: int
    modality: str
    n_sources: int  # as a line of its own: its articles, near-duplicates counted once (at least its n_sources)
    date: str | None
    sides: list[list[str | None]] | None  # [person, key, sector] of source and target, when a person acts
    docs: list[str]  # the articles of its reports, first report first
    reports: int
    shared: bool  # a sentence reporting it reports another event of the dyad under the same three-digit code
    inferred: list[str] | None  # what dated the reports that give its date, when all are inferred sources
    undated_in: list[str] | None  # the articles of its reports that give no date


@dataclass(slots=True)
class LineRef:
    """One line of the timeline before it is worded: the event it shows, those that repeat it, its sources."""

    event: Item
    repeats: tuple[Item, ...]
    n_sources: int
    order: int  # where its first member stands among the dyad's events (the brief's tie-break)

    @property
    def date(self) -> str | None:
        return self.event.date

    @property
    def quad_class(self) -> int:
        return self.event.quad_class

    @property
    def modality(self) -> str:
        return self.event.modality

    @property
    def docs(self) -> list[str]:
        return list(dict.fromkeys(d for ce in (self.event, *self.repeats) for d in ce.docs))


@dataclass(frozen=True, slots=True)
class Note:
    """A note of "what remains uncertain", worded when shown (those about one event need its actors)."""

    text: str | None = None  # worded already
    event: Item | None = None  # else about this event's date: inferred, or given by only some reports
    inferred: tuple[str, ...] = ()  # what dated it, when inferred
    undated_in: tuple[str, ...] = ()  # the articles that give no date


@dataclass
class Outline:
    """The brief of a dyad as the page needs it, before any line is worded (``make_brief``'s figures)."""

    a: str
    b: str
    lines: list[LineRef]
    counts: dict[int, int]
    series: Series
    people: list[PersonEntry]
    figures: list[Figure]
    notes: list[Note]
    cited: list[str]  # the articles cited, in citation order ([1] first)
    numbers: dict[str, int] = field(default_factory=dict)  # doc -> citation number
    pages: OrderedDict[tuple[object, ...], dict[str, Any]] = field(default_factory=OrderedDict)  # pages shown lately

    def cite(self, doc: str) -> int:
        return self.numbers[doc]

    @property
    def years(self) -> list[str]:
        """The years of the dated lines."""
        return sorted({line.event.date[:4] for line in self.lines if line.event.date})

    def keep(self, key: tuple[object, ...], page: dict[str, Any]) -> None:
        """Keep what a page showed, for its next view (the last ``PAGES_KEPT``)."""
        self.pages[key] = page
        while len(self.pages) > PAGES_KEPT:
            self.pages.popitem(last=False)


def outline(con: duckdb.DuckDBPyConnection, a: str, b: str) -> Outline:
    """Read what the dyad page of ``a`` and ``b`` counts, lists and numbers (see the module docstring)."""
    a, b = sorted((a.upper(), b.upper()))
    pair = (a, b)
    items = [Item(*row) for row in con.execute(EVENT_ROWS, list(pair)).fetchall()]  # in the brief's order
    lines = _lines(con, pair, items)
    asserted = [line.event for line in lines if line.event.modality == ASSERTED]
    counts = Counter(ce.quad_class for ce in asserted)
    figures = _figures(con, pair)
    line_docs = list(dict.fromkeys(d for line in lines for d in (line.docs if line.repeats else line.event.docs)))
    # every article an event or a claim was read in is stored (the per-article tables are written together)
    cited = list(dict.fromkeys(line_docs + [c.claim.doc for f in figures for c in f.claims]))
    people, merges = _people(con, items)
    return Outline(a=a, b=b, lines=lines, counts={q: counts.get(q, 0) for q in (1, 2, 3, 4)},
                   series=series(cast(list[CorpusEvent], asserted)),  # series reads only .date and .quad_class
                   people=people, figures=figures, notes=_notes(con, pair, lines, line_docs, figures, merges), cited=cited,
                   numbers={d: k for k, d in enumerate(cited, 1)})


def _lines(con: duckdb.DuckDBPyConnection, pair: tuple[str, str], items: list[Item]) -> list[LineRef]:
    """The timeline's lines (``brief.timeline``) of the dyad's events in order: an event is a line of its own
    unless a sentence that reports it reports another of them under the same three-digit code; those
    few are read in full and grouped by ``timeline`` itself."""
    out = [LineRef(ce, (), ce.n_sources, k) for k, ce in enumerate(items) if not ce.shared]
    if len(out) == len(items):
        return out  # already in the brief's order
    order = {ce.id: k for k, ce in enumerate(items)}
    by_id = {ce.id: ce for ce in items}
    ids = [ce.id for ce in items if ce.shared]
    full = corpus_events(con, pair, ids)
    sources = dict(con.execute(f"SELECT doc_id, source_doc FROM dyad_reports WHERE {DYAD} AND corpus_event_id = ANY(?)",
                               [*pair, ids]).fetchall())
    for line in timeline([full[i] for i in ids], lambda d: sources.get(d, d)):
        members = [by_id[m.id] for m in line.members]
        out.append(LineRef(members[0], tuple(members[1:]), line.n_sources, min(order[m.id] for m in members)))
    out.sort(key=lambda line: line.order)  # groups made in the order of their first event, as timeline does
    out.sort(key=lambda line: (line.event.date is None, line.event.date or "", line.event.docs[0]))
    return out


def _figures(con: duckdb.DuckDBPyConnection, pair: tuple[str, str]) -> list[Figure]:
    """The figures with a claim tied to one of the dyad's reports (``make_brief``'s): those the corpus step
    reconciled and listed for the dyad in ``dyad_figures``, each with every claim about its quantity."""
    figures: dict[int, list[SourcedClaim]] = {}
    for r in rows(con, FIGURE_ROWS, list(pair)):
        figures.setdefault(r["figure_rank"], []).append(SourcedClaim(
            claim=claim_of(r), source=r["source_doc"], actor=r["actor"], actors=frozenset(r["actors"] or ()),
            story=r["story"], citation=r["citation"], when=r["claim_when"]))
    return [Figure(item=max((m.claim.item for m in members if m.claim.item), key=len, default=None),
                   unit=members[0].claim.unit, actor=members[0].actor, claims=tuple(members), status=status(members))
            for members in figures.values()]  # as reconcile makes them


def _people(con: duckdb.DuckDBPyConnection, items: list[Item]) -> tuple[list[PersonEntry], list[NameMerge]]:
    """The people acting in the dyad's events, with the role they held at the last of them (``brief._people``),
    and the merges of their names (in the store's order)."""
    seen: dict[str, list[Item]] = defaultdict(list)
    actor: dict[str, str | None] = {}
    sector: dict[str, str | None] = {}
    for ce in items:
        for person, key, sec in ce.sides or ():
            if person:
                seen[person].append(ce)
                actor.setdefault(person, key)
                sector.setdefault(person, sec)
    if not seen:
        return [], []
    merges = name_merges_of(rows(con, "SELECT * FROM name_merges WHERE list_contains(?, canonical)", [list(seen)]))
    out = []
    for person, evs in seen.items():
        dates = sorted(e.date for e in evs if e.date)
        role = roles_text(person, dates[-1] if dates else None) or sector_name(sector.get(person))
        out.append(PersonEntry(person, actor.get(person), role, len(evs),
                               tuple(m for m in merges if m.canonical == person)))
    return sorted(out, key=lambda p: (-p.events, p.name)), merges


def _notes(con: duckdb.DuckDBPyConnection, pair: tuple[str, str], lines: list[LineRef], line_docs: list[str],
           figures: list[Figure], merges: list[NameMerge]) -> list[Note]:
    """What remains uncertain, in ``brief._uncertain``'s order; the notes about one event are worded when shown."""
    notes = []
    for f in figures:
        if f.status == CONFLICTING:
            said = "; ".join(f"{' '.join(c.claim.text.split())!r} ({c.claim.doc})" for c in f.claims)
            notes.append(Note(f"Conflicting figures for {f.item or f.unit} ({actor_name(f.actor)}): {said}."))
    events = [line.event for line in lines]
    for ce in events:
        if ce.date and ce.inferred:
            notes.append(Note(event=ce, inferred=tuple(ce.inferred)))
        if ce.date and ce.undated_in:
            notes.append(Note(event=ce, undated_in=tuple(ce.undated_in)))
    docs = set(line_docs)
    for d, start, precision in con.execute(
            "SELECT doc_id, pub_date, pub_date_precision FROM documents WHERE pub_date_origin = 'inferred' AND doc_id "
            f"IN (SELECT unnest(report_docs) FROM dyad_events WHERE {DYAD}) ORDER BY doc_id", pair).fetchall():
        if d in docs:
            notes.append(Note(f"Publication date of {d} is unknown; {date_label(start, precision)} is only "
                              "inferred from the dates in it."))
    named = {p for ce in events if ce.sides for p, _, _ in ce.sides if p}
    for m in merges:
        if m.method == "spelling" and m.canonical in named:
            notes.append(Note(f"{m.variant!r} is taken to be {m.canonical} by spelling similarity ({m.score:g}/100)."))
    unsure = Counter(ce.modality for ce in events if ce.modality != ASSERTED)
    if unsure:
        said = ", ".join(f"{n} {m}" for m, n in sorted(unsure.items()))
        notes.append(Note(f"{said} {'event is' if sum(unsure.values()) == 1 else 'events are'} listed, marked, "
                          "but not counted: not reported as done."))
    undated = sum(1 for ce in events if not ce.date)
    if undated:
        notes.append(Note(f"{undated} of {plural(len(events), 'event')} {'has' if undated == 1 else 'have'} "
                          "no date in their articles."))
    return notes


def word(note: Note, full: dict[str, CorpusEvent]) -> str:
    """A note's text (``brief._uncertain``'s words); ``full`` holds the corpus event a note about one event is about."""
    if note.text is not None:
        return note.text
    assert note.event is not None
    ce = full[note.event.id]
    if note.inferred:
        return (f"Date {ce.date} of {what(ce)} is inferred from the {' and '.join(note.inferred)}, "
                "not stated with the event.")
    n = note.event.reports
    return (f"Date {ce.date} of {what(ce)} comes from {n - len(note.undated_in)} of {plural(n, 'report')}; "
            f"{', '.join(note.undated_in)} {'gives' if len(note.undated_in) == 1 else 'give'} no date.")


# -- reading in full what a page shows ---------------------------------------------------------------
def corpus_events(con: duckdb.DuckDBPyConnection, pair: tuple[str, str], ids: list[str]) -> dict[str, CorpusEvent]:
    """These corpus events of the dyad ``pair`` (its two keys in order) in full, with their reports, by id.

    The reports are read from ``dyad_reports``: each has its own id, article, date, what dated it,
    sentence and rule, and the actors, code and modality of its event (which a brief reads of the
    event, never of a report); their mentions are not read (a brief quotes the evidence only).
    """
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows(con, f"SELECT * FROM dyad_reports WHERE {DYAD} AND corpus_event_id = ANY(?)",
                  [*pair, ids]):
        found[r["corpus_event_id"]].append(r)
    out = {}
    for cid, reports in found.items():
        reports.sort(key=lambda r: r["report_no"])
        events = {e.event_id: e for e in (_report(r) for r in reports)}
        out[cid] = corpus_event_of(dict(reports[0], event_ids=list(events)), events)
    return out


def _report(row: dict[str, Any]) -> Event:
    """A row of ``dyad_reports`` as the report's ``Event`` (see ``corpus_events``)."""
    return event_of(dict(row, date_start=row["report_date_start"], date_end=row["report_date_end"],
                         date_precision=row["report_date_precision"], mentions=None))


def shown(con: duckdb.DuckDBPyConnection, pair: tuple[str, str], refs: list[LineRef], notes: list[Note],
          ) -> tuple[list[Line], list[str]]:
    """The brief's ``Line`` of each line shown of the dyad ``pair`` (its two keys in order), and the words of
    the notes shown, read in full."""
    ids = [ce.id for ref in refs for ce in (ref.event, *ref.repeats)] + [n.event.id for n in notes if n.event]
    full = corpus_events(con, pair, list(dict.fromkeys(ids))) if ids else {}
    lines = [Line(full[ref.event.id], tuple(full[r.id] for r in ref.repeats), ref.n_sources) for ref in refs]
    return lines, [word(n, full) for n in notes]


def articles(con: duckdb.DuckDBPyConnection, docs: list[str]) -> dict[str, tuple[Article, str | None]]:
    """These articles (without their text), each with the article it near-duplicates, if any."""
    return {r["doc_id"]: (article_of(r), r["duplicate_of"]) for r in rows(
        con, f"SELECT {', '.join('d.' + c for c in ARTICLE_COLUMNS)}, nd.duplicate_of FROM documents d "
             "LEFT JOIN near_duplicates nd ON nd.doc_id = d.doc_id WHERE d.doc_id = ANY(?)", [docs])}
