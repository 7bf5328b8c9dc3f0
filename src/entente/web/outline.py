"""The dyad page's brief, read a page at a time: ``outline(con, a, b)``, then ``shown(...)`` per page.

``outputs.brief.make_brief`` turns every event of a dyad, and every report of it, into
Python records before it counts anything; on the busiest dyad of a large store that is
most of a second. The page needs all of the dyad only for what it counts (lines per
QuadClass, the series, citation numbers, people, notes) and needs words (actors, codes,
evidence, titles) only for the hundred lines it shows. So:

1. ``outline`` reads one narrow row per corpus event of the dyad and one per report (ids,
   dates, classes, articles, offsets; no text), and from them the timeline's lines, in the
   brief's order and with its source counts, its counts and series, the citation number of
   every article, the people with their roles, the figures, and which notes of "what remains
   uncertain" there are;
2. ``shown`` reads in full only the corpus events of the lines a page shows (and the notes it
   words), and gives them as the brief's ``Line`` records, which the page renders as before.

Both give what ``make_brief`` gives on the same store (a test compares them on every dyad).
"""

from __future__ import annotations

from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple, cast

import duckdb

from ..actors.names import NameMerge, roles_text
from ..claims.reconcile import CONFLICTING, Figure, reconcile
from ..corpus.build import Article, CorpusEvent
from ..corpus.tables import _corpus_event, _name_merges, article_of, event_of, load_claims
from ..outputs.brief import (
    ASSERTED,
    INFERRED_DATE_SOURCES,
    Line,
    PersonEntry,
    Series,
    _what,
    series,
    timeline,
)
from ..outputs.labels import actor_name, plural, sector_name
from ..store import date_label
from ..store.queries import DEFAULT_MODALITIES
from .render import StoreReader, rows

#: Pages of a dyad whose words are kept with its outline, for their next view.
PAGES_KEPT = 8


def _label(prefix: str) -> str:
    """SQL for ``store.date_label`` of a ``{prefix}_start``/``{prefix}_precision`` pair (2015, 2015-07, 2015-07-08)."""
    return (f"left(CAST({prefix}_start AS VARCHAR), CASE {prefix}_precision WHEN 'year' THEN 4 WHEN 'month' THEN 7 "
            "ELSE 10 END)")


#: The corpus events between two actors, either direction (parameters: the two keys in order).
DYAD = "least(source_key, target_key) = ? AND greatest(source_key, target_key) = ?"
#: The dyad's corpus events, narrow: what places, counts and groups them (parameters: the two keys in order).
CORPUS_ROWS = (f"SELECT rowid AS rid, corpus_event_id AS id, cameo, quad_class, modality, n_sources, {_label('date')}, "
               "CASE WHEN source_person IS NOT NULL OR target_person IS NOT NULL THEN [[source_person, source_key, "
               f"source_sector], [target_person, target_key, target_sector]] END FROM corpus_events WHERE {DYAD}")
#: The sides of an event no person acts in, as ``Item.sides`` (the query gives them only when one does).
NO_ONE: list[list[str | None]] = []
#: Their reports, narrow: the article, the sentence's offsets, the date and what dated it (no text).
REPORT_ROWS = ("WITH m AS (SELECT corpus_event_id AS id, unnest(event_ids) AS event_id, "
               f"generate_subscripts(event_ids, 1) AS k FROM corpus_events WHERE {DYAD}) "
               f"SELECT m.event_id, e.doc_id, e.evidence_start, e.evidence_end, {_label('e.date')}, e.date_source, "
               "coalesce(nd.duplicate_of, e.doc_id), m.id, m.k FROM m JOIN events e USING (event_id) "
               "LEFT JOIN near_duplicates nd ON nd.doc_id = e.doc_id")  # no ORDER BY: sorting costs more than the join


class Report(NamedTuple):
    """One per-article report of a corpus event, without its text (a row of ``REPORT_ROWS``)."""

    event_id: str
    doc: str
    start: int | None
    end: int | None
    date: str | None
    date_source: str | None
    source: str  # the article it counts as (itself, or the one it near-duplicates)
    corpus_event_id: str
    k: int  # its place in the corpus event's reports, from 1


@dataclass(slots=True)  # not frozen: a frozen dataclass is made five times slower, and there are thousands
class Item:
    """One corpus event of the dyad, without its words: what places, counts and groups it."""

    id: str
    rid: int
    cameo: str
    quad_class: int
    modality: str
    n_sources: int
    date: str | None
    sides: list[list[str | None]]  # [person, key, sector] of source and target, when a person acts; else empty
    reports: tuple[Report, ...]
    docs: tuple[str, ...]  # the articles of its reports, first report first


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
        if not self.repeats:
            return list(dict.fromkeys(self.event.docs))
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


def outline(con: duckdb.DuckDBPyConnection, a: str, b: str, path: str = "") -> Outline:
    """Read what the dyad page of ``a`` and ``b`` counts, lists and numbers (see the module docstring)."""
    a, b = sorted((a.upper(), b.upper()))
    pair = [a, b]
    reports: dict[str, list[Report]] = defaultdict(list)
    for row in con.execute(REPORT_ROWS, pair).fetchall():
        r = Report._make(row)
        reports[r.corpus_event_id].append(r)
    items = []
    for rid, cid, cameo, quad, modality, n_sources, day, sides in con.execute(CORPUS_ROWS, pair).fetchall():
        found = reports.get(cid)
        if found and modality in DEFAULT_MODALITIES:
            if len(found) > 1:
                found.sort(key=lambda r: r.k)
            items.append(Item(cid, rid, cameo, quad, modality, n_sources, day, sides or NO_ONE, tuple(found),
                              tuple(r.doc for r in found)))
    # 1. the dyad's events in the brief's order (dated first by date, then by first article, then as stored)
    items.sort(key=lambda ce: ce.rid)
    items.sort(key=lambda ce: (ce.date is None, ce.date or "", ce.docs[0]))
    lines = _lines(con, items, path)
    asserted = [line.event for line in lines if line.event.modality == ASSERTED]
    counts = Counter(ce.quad_class for ce in asserted)
    figures = _figures(con, path, pair, {r.event_id for ce in items for r in ce.reports})
    line_docs = list(dict.fromkeys(d for line in lines for d in (line.docs if line.repeats else line.event.docs)))
    # every article an event or a claim was read in is stored (the per-article tables are written together)
    cited = list(dict.fromkeys(line_docs + [c.claim.doc for f in figures for c in f.claims]))
    people, merges = _people(con, items)
    return Outline(a=a, b=b, lines=lines, counts={q: counts.get(q, 0) for q in (1, 2, 3, 4)},
                   series=series(cast(list[CorpusEvent], asserted)),  # series reads only .date and .quad_class
                   people=people, figures=figures, notes=_notes(con, pair, lines, line_docs, figures, merges), cited=cited,
                   numbers={d: k for k, d in enumerate(cited, 1)})


def _lines(con: duckdb.DuckDBPyConnection, items: list[Item], path: str) -> list[LineRef]:
    """The timeline's lines (``brief.timeline``) of the dyad's events in order: an event is a line of its own
    unless a sentence that reports it reports another of them under the same three-digit code; those
    few are read in full and grouped by ``timeline`` itself."""
    holders: dict[tuple[object, ...], str] = {}
    shared: set[str] = set()
    for ce in items:
        family = ce.cameo[:3]
        for r in ce.reports:
            other = holders.setdefault((r.doc, r.start, r.end, family), ce.id)
            if other != ce.id:
                shared.update((other, ce.id))
    out = [LineRef(ce, (), max(len({r.source for r in ce.reports}) if len(ce.reports) > 1 else 1, ce.n_sources), k)
           for k, ce in enumerate(items) if ce.id not in shared]
    if not shared:
        return out  # already in the brief's order
    order = {ce.id: k for k, ce in enumerate(items)}
    by_id = {ce.id: ce for ce in items}
    full = corpus_events(con, [ce.id for ce in items if ce.id in shared], path)
    sources = {r.doc: r.source for ce in items for r in ce.reports}
    for line in timeline([full[ce.id] for ce in items if ce.id in shared], lambda d: sources.get(d, d)):
        members = [by_id[m.id] for m in line.members]
        out.append(LineRef(members[0], tuple(members[1:]), line.n_sources, min(order[m.id] for m in members)))
    out.sort(key=lambda line: line.order)  # groups made in the order of their first event, as timeline does
    out.sort(key=lambda line: (line.event.date is None, line.event.date or "", line.event.docs[0]))
    return out


def _figures(con: duckdb.DuckDBPyConnection, path: str, pair: list[str], ids: set[str]) -> list[Figure]:
    """The figures with a claim tied to one of the dyad's events (``make_brief``'s), read only when there is one."""
    tied = [r[0] for r in con.execute("SELECT DISTINCT event_id FROM claims WHERE event_id IN "
                                      f"(SELECT unnest(event_ids) FROM corpus_events WHERE {DYAD})", pair).fetchall()]
    if not tied:
        return []
    claims = load_claims(StoreReader(con, path), tied)  # the claims about the actors of those: as of all the events
    return [f for f in reconcile(claims) if any(c.claim.event_id in ids for c in f.claims)]


def _people(con: duckdb.DuckDBPyConnection, items: list[Item]) -> tuple[list[PersonEntry], list[NameMerge]]:
    """The people acting in the dyad's events, with the role they held at the last of them (``brief._people``),
    and the merges of their names (in the store's order)."""
    seen: dict[str, list[Item]] = defaultdict(list)
    actor: dict[str, str | None] = {}
    sector: dict[str, str | None] = {}
    for ce in items:
        for person, key, sec in ce.sides:
            if person:
                seen[person].append(ce)
                actor.setdefault(person, key)
                sector.setdefault(person, sec)
    if not seen:
        return [], []
    merges = _name_merges(rows(con, "SELECT * FROM name_merges WHERE list_contains(?, canonical)", [list(seen)]))
    out = []
    for person, evs in seen.items():
        dates = sorted(e.date for e in evs if e.date)
        role = roles_text(person, dates[-1] if dates else None) or sector_name(sector.get(person))
        out.append(PersonEntry(person, actor.get(person), role, len(evs),
                               tuple(m for m in merges if m.canonical == person)))
    return sorted(out, key=lambda p: (-p.events, p.name)), merges


def _notes(con: duckdb.DuckDBPyConnection, pair: list[str], lines: list[LineRef], line_docs: list[str],
           figures: list[Figure], merges: list[NameMerge]) -> list[Note]:
    """What remains uncertain, in ``brief._uncertain``'s order; the notes about one event are worded when shown."""
    notes = []
    for f in figures:
        if f.status == CONFLICTING:
            said = "; ".join(f"{' '.join(c.claim.text.split())!r} ({c.claim.doc})" for c in f.claims)
            notes.append(Note(f"Conflicting figures for {f.item or f.unit} ({actor_name(f.actor)}): {said}."))
    events = [line.event for line in lines]
    for ce in events:
        if not ce.date:
            continue
        how, undated_in = set(), []
        for r in ce.reports:
            if r.date == ce.date:
                how.add(r.date_source or "")
            elif not r.date:
                undated_in.append(r.doc)
        if how and how <= INFERRED_DATE_SOURCES:
            notes.append(Note(event=ce, inferred=tuple(sorted(how))))
        if undated_in:
            notes.append(Note(event=ce, undated_in=tuple(undated_in)))
    docs = set(line_docs)
    for d, start, precision in con.execute(
            "SELECT doc_id, pub_date, pub_date_precision FROM documents WHERE pub_date_origin = 'inferred' AND doc_id "
            f"IN (SELECT unnest(doc_ids) FROM corpus_events WHERE {DYAD}) ORDER BY doc_id", pair).fetchall():
        if d in docs:
            notes.append(Note(f"Publication date of {d} is unknown; {date_label(start, precision)} is only "
                              "inferred from the dates in it."))
    named = {p for ce in events for p, _, _ in ce.sides if p}
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
        return (f"Date {ce.date} of {_what(ce)} is inferred from the {' and '.join(note.inferred)}, "
                "not stated with the event.")
    n = len(note.event.reports)
    return (f"Date {ce.date} of {_what(ce)} comes from {n - len(note.undated_in)} of {plural(n, 'report')}; "
            f"{', '.join(note.undated_in)} {'gives' if len(note.undated_in) == 1 else 'give'} no date.")


# -- reading in full what a page shows ---------------------------------------------------------------
def corpus_events(con: duckdb.DuckDBPyConnection, ids: list[str], path: str = "") -> dict[str, CorpusEvent]:
    """These corpus events in full, with their reports (without their mentions), by id."""
    found = rows(con, "SELECT * EXCLUDE (doc_ids, cell) FROM corpus_events WHERE corpus_event_id IN (SELECT unnest(?))",
                 [ids])  # not the lists a CorpusEvent does not keep
    wanted = [e for r in found for e in r["event_ids"]]
    events = {e.event_id: e for e in (event_of(r) for r in rows(
        con, "SELECT * REPLACE (NULL AS mentions) FROM events WHERE event_id IN (SELECT unnest(?))", [wanted]))}
    return {r["corpus_event_id"]: _corpus_event(r, events) for r in found}


def shown(con: duckdb.DuckDBPyConnection, refs: list[LineRef], notes: list[Note], path: str = "",
          ) -> tuple[list[Line], list[str]]:
    """The brief's ``Line`` of each line shown, and the words of the notes shown, read in full."""
    ids = [ce.id for ref in refs for ce in (ref.event, *ref.repeats)] + [n.event.id for n in notes if n.event]
    full = corpus_events(con, list(dict.fromkeys(ids)), path) if ids else {}
    lines = [Line(full[ref.event.id], tuple(full[r.id] for r in ref.repeats), ref.n_sources) for ref in refs]
    return lines, [word(n, full) for n in notes]


def articles(con: duckdb.DuckDBPyConnection, docs: list[str]) -> dict[str, tuple[Article, str | None]]:
    """These articles (without their text), each with the article it near-duplicates, if any."""
    return {r["doc_id"]: (article_of(r), r["duplicate_of"]) for r in rows(
        con, "SELECT d.* EXCLUDE (text), nd.duplicate_of FROM documents d LEFT JOIN near_duplicates nd "
             "ON nd.doc_id = d.doc_id WHERE d.doc_id IN (SELECT unnest(?))", [docs])}
