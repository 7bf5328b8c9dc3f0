"""The brief: a dossier of the relationship between two actors, from everything in the store.

``entente brief KAZ IND`` gathers, over the corpus events between the two (either
direction, each real-world event once, every source cited):

1. counts by QuadClass, and cooperation (QuadClass 1-2) against conflict (3-4) over time,
   two series of event counts, the undated events counted apart;
2. a dated timeline, one line per happening (reports of one happening that the corpus
   step kept apart, such as two codings of one sentence, share a line), each with its
   citations; the undated events apart;
3. the key people, with their roles (from the knowledge base, at the event date);
4. the key figures, with their reconciliation status across every source: only figures
   with a claim tied to one of the dyad's own events (not every number near its names);
5. what remains uncertain: conflicting figures, dates inferred rather than stated,
   publication dates inferred, names merged by spelling.

Actors, sectors and codes are named in words (``labels.py``); a section with nothing in it
is left out. It renders as Markdown or as one self-contained HTML file (inline CSS, the chart
as inline SVG drawn by matplotlib; no script, font or image is fetched). The web app's dyad
page shows the same ``Brief``.
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..actors.names import NameMerge, roles_text
from ..claims.reconcile import CONFLICTING, Figure, reconcile
from ..corpus.build import Article, Corpus, CorpusEvent, dyad_events
from ..errors import EntenteError
from ..model import Actor
from ..store import schema
from ..store.queries import modalities
from . import safety
from .labels import (
    COOPERATION,
    QUAD_CLASSES,
    actor_name,
    code_name,
    describe_actor,
    plural,
    sector_name,
)

#: Characters of evidence quoted per event in the timeline.
EXCERPT_CHARS = 240
#: Date sources that mean a date was read from context, not stated with the event.
INFERRED_DATE_SOURCES = frozenset(schema.INFERRED_DATE_SOURCES)
#: Chart size in inches (width, height); 100 dpi in the HTML.
CHART_SIZE = (9.0, 3.2)
#: The chart counts events per month while the dated events span at most this many months,
#: and per year beyond (a month's bar over 30 years is a hairline).
MONTHLY_SPAN_MONTHS = 48
ASSERTED = "asserted"


class BriefError(EntenteError):
    """The brief cannot be made as asked."""


@dataclass(frozen=True, slots=True)
class PersonEntry:
    name: str
    actor: str | None
    role: str | None
    events: int
    variants: tuple[NameMerge, ...] = ()


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the timeline: a happening, shown by ``event``, with the corpus events that repeat it.

    The corpus step merges the reports of one happening across articles; what it keeps
    apart but one sentence reports (an event coded twice, or once each way) shares a line.
    """

    event: CorpusEvent
    repeats: tuple[CorpusEvent, ...] = ()
    n_sources: int = 1  # articles, near-duplicates counted once

    @property
    def members(self) -> tuple[CorpusEvent, ...]:
        return (self.event, *self.repeats)

    @property
    def date(self) -> str | None:
        return self.event.date

    @property
    def cameo(self) -> str:
        return self.event.cameo

    @property
    def modality(self) -> str:
        return self.event.modality

    @property
    def docs(self) -> list[str]:
        return list(dict.fromkeys(d for ce in self.members for d in ce.docs))


@dataclass(frozen=True, slots=True)
class Series:
    """Cooperation and conflict over time: asserted events per period, and those the chart cannot place."""

    period: str  # month | year
    points: tuple[tuple[str, int, int], ...]  # (YYYY-MM or YYYY, cooperation, conflict), every period in the span
    undated: tuple[int, int] = (0, 0)  # (cooperation, conflict) of undated events
    year_only: tuple[int, int] = (0, 0)  # ... of events dated only to the year, on a monthly chart


@dataclass
class Brief:
    """What a brief says, before it is rendered."""

    a: str
    b: str
    a_name: str
    b_name: str
    lines: list[Line]
    counts: dict[int, int]
    series: Series
    people: list[PersonEntry]
    figures: list[Figure]
    uncertain: list[str]
    sources: list[Article] = field(default_factory=list)  # cited, in citation order
    duplicates: dict[str, tuple[str, float]] = field(default_factory=dict)
    _numbers: dict[str, int] = field(default_factory=dict, repr=False)  # doc -> citation number, made on first use

    @property
    def events(self) -> list[CorpusEvent]:
        """Every corpus event of the dyad, repeats included."""
        return [ce for line in self.lines for ce in line.members]

    @property
    def dated(self) -> list[Line]:
        return [line for line in self.lines if line.date]

    @property
    def undated(self) -> list[Line]:
        return [line for line in self.lines if not line.date]

    def cite(self, doc: str) -> int:
        """The number an article is cited by ([1], [2] …)."""
        if len(self._numbers) != len(self.sources):
            self._numbers = {a.doc: k for k, a in reversed(list(enumerate(self.sources, 1)))}
        return self._numbers[doc]


def make_brief(corpus: Corpus, a: str, b: str, modality: str | tuple[str, ...] | None = None) -> Brief:
    """Gather the brief of the relationship between actors ``a`` and ``b`` (ISO3 or IGO:XX).

    ``modality`` chooses the events shown (by default all but negated ones). Intended and
    hypothetical events are listed, marked as such, but only asserted events are counted
    by QuadClass and in the cooperation/conflict series. ``corpus`` may hold the whole
    store (``tables.load``) or only the dyad (``tables.load_dyad``).
    """
    a, b = a.upper(), b.upper()
    if a == b:
        raise BriefError(f"a brief needs two different actors, got {a} twice: e.g. entente brief KAZ IND")
    wanted = modalities(modality)
    events = [ce for ce in dyad_events(corpus, a, b) if ce.modality in wanted]
    lines = timeline(events, corpus.source_of)
    asserted = [line.event for line in lines if line.modality == ASSERTED]
    counts = Counter(e.quad_class for e in asserted)
    ids = {e.event_id for ce in events for e in ce.events}
    figures = [f for f in reconcile(corpus.claims) if any(c.claim.event_id in ids for c in f.claims)]
    cited: dict[str, None] = {}  # in order of first citation
    for line in lines:
        cited.update(dict.fromkeys(line.docs))
    for f in figures:
        cited.update(dict.fromkeys(c.claim.doc for c in f.claims))
    return Brief(
        a=a, b=b, a_name=actor_name(a), b_name=actor_name(b), lines=lines,
        counts={q: counts.get(q, 0) for q in QUAD_CLASSES}, series=series(asserted),
        people=_people(corpus, events), figures=figures, uncertain=_uncertain(corpus, lines, figures),
        sources=[corpus.articles[d] for d in cited if d in corpus.articles], duplicates=corpus.duplicates,
    )


def timeline(events: Iterable[CorpusEvent], source_of: Callable[[str], str] = lambda d: d) -> list[Line]:
    """One line per happening, dated lines first in date order, then the undated.

    Two corpus events share a line when one sentence reports both, between the same two
    actors (either way), under the same three-digit CAMEO code, on the same date or with
    one undated. The line shows the asserted, dated, most-sourced of them.
    """
    groups: list[list[CorpusEvent]] = []
    seen: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for ce in events:
        keys = list(dict.fromkeys((e.doc, e.evidence.start, e.evidence.end, ce.dyad, ce.cameo[:3]) for e in ce.events))
        home = next((g for k in keys for g in seen[k] if _dates_agree(groups[g], ce)), None)
        if home is None:
            groups.append([ce])
            home = len(groups) - 1
        else:
            groups[home].append(ce)
        for k in keys:
            if home not in seen[k]:
                seen[k].append(home)
    lines = []
    for members in groups:
        first, *rest = sorted(members, key=lambda ce: (ce.modality != ASSERTED, ce.date is None, -ce.n_sources))
        docs = {d for ce in members for d in ce.docs}
        lines.append(Line(first, tuple(rest), max(len({source_of(d) for d in docs}), first.n_sources)))
    return sorted(lines, key=lambda line: (line.date is None, line.date or "", line.event.docs[0]))


def _dates_agree(group: list[CorpusEvent], ce: CorpusEvent) -> bool:
    return ce.date is None or all(g.date in (None, ce.date) for g in group)


def series(events: Iterable[CorpusEvent]) -> Series:
    """Cooperation (QuadClass 1-2) and conflict (3-4) counts per month or year, the undated apart."""
    events = list(events)
    dated = [e for e in events if e.date]
    monthly = [e for e in dated if len(e.date or "") >= 7]
    months = sorted((e.date or "")[:7] for e in monthly)
    if months and _months_between(months[0], months[-1]) < MONTHLY_SPAN_MONTHS:
        period, size, keys = "month", 7, month_range(months[0], months[-1])
        placed, year_only = monthly, [e for e in dated if len(e.date or "") < 7]
    else:
        years = sorted(int((e.date or "")[:4]) for e in dated)
        period, size, keys = "year", 4, [str(y) for y in range(years[0], years[-1] + 1)] if years else []
        placed, year_only = dated, []
    counts = {k: [0, 0] for k in keys}
    for e in placed:
        counts[(e.date or "")[:size]][0 if e.quad_class in COOPERATION else 1] += 1
    return Series(period=period, points=tuple((k, c[0], c[1]) for k, c in counts.items()),
                  undated=_split([e for e in events if not e.date]), year_only=_split(year_only))


def _split(events: list[CorpusEvent]) -> tuple[int, int]:
    coop = sum(1 for e in events if e.quad_class in COOPERATION)
    return coop, len(events) - coop


def _months_between(first: str, last: str) -> int:
    return (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7])


def month_range(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _people(corpus: Corpus, events: list[CorpusEvent]) -> list[PersonEntry]:
    seen: dict[str, list[CorpusEvent]] = defaultdict(list)
    actor: dict[str, str | None] = {}
    sector: dict[str, str | None] = {}
    for ce in events:
        for side in (ce.source, ce.target):
            if side is not None and side.person:
                seen[side.person].append(ce)
                actor.setdefault(side.person, side.key)
                sector.setdefault(side.person, side.sector)
    out = []
    for person, evs in seen.items():
        dates = sorted(e.date for e in evs if e.date)
        role = roles_text(person, dates[-1] if dates else None) or sector_name(sector.get(person))
        variants = tuple(m for m in corpus.names if m.canonical == person)
        out.append(PersonEntry(person, actor.get(person), role, len(evs), variants))
    return sorted(out, key=lambda p: (-p.events, p.name))


def _uncertain(corpus: Corpus, lines: list[Line], figures: list[Figure]) -> list[str]:
    notes = []
    for f in figures:
        if f.status == CONFLICTING:
            said = "; ".join(f"{' '.join(c.claim.text.split())!r} ({c.claim.doc})" for c in f.claims)
            notes.append(f"Conflicting figures for {f.item or f.unit} ({actor_name(f.actor)}): {said}.")
    events = [line.event for line in lines]
    for ce in events:
        how = {e.date_source or "" for e in ce.events if e.date == ce.date}
        if ce.date and how and how <= INFERRED_DATE_SOURCES:
            notes.append(f"Date {ce.date} of {what(ce)} is inferred from the {' and '.join(sorted(how))}, "
                         "not stated with the event.")
        undated_in = [e.doc for e in ce.events if not e.date]
        if ce.date and undated_in:
            notes.append(f"Date {ce.date} of {what(ce)} comes from {len(ce.events) - len(undated_in)} of "
                         f"{plural(len(ce.events), 'report')}; {', '.join(undated_in)} "
                         f"{'gives' if len(undated_in) == 1 else 'give'} no date.")
    docs = {d for line in lines for d in line.docs}
    for d in sorted(docs):
        a = corpus.articles.get(d)
        if a is not None and a.pub_date_origin == "inferred":
            notes.append(f"Publication date of {d} is unknown; {a.pub_date} is only inferred from the dates in it.")
    people = {side.person for ce in events for side in (ce.source, ce.target) if side is not None and side.person}
    for m in corpus.names:
        if m.method == "spelling" and m.canonical in people:
            notes.append(f"{m.variant!r} is taken to be {m.canonical} by spelling similarity ({m.score:g}/100).")
    unsure = Counter(ce.modality for ce in events if ce.modality != ASSERTED)
    if unsure:
        said = ", ".join(f"{n} {m}" for m, n in sorted(unsure.items()))
        notes.append(f"{said} {'event is' if sum(unsure.values()) == 1 else 'events are'} listed, marked, "
                     "but not counted: not reported as done.")
    undated = sum(1 for ce in events if not ce.date)
    if undated:
        notes.append(f"{undated} of {plural(len(events), 'event')} {'has' if undated == 1 else 'have'} "
                     "no date in their articles.")
    return notes


def what(ce: CorpusEvent) -> str:
    """An event in words, for a note: “express intent to cooperate” (Kazakhstan → India)."""
    return f"“{code_name(ce.cameo).lower()}” ({_side(ce.source)} → {_side(ce.target)})"


def _side(a: Actor | None) -> str:
    return describe_actor(a.to_json() | {"person": a.person}) if a is not None else "no one named"


def actor_line(ce: CorpusEvent, mark: bool = True) -> str:
    """Who did it to whom, in words: "Narendra Modi (India) → Kazakhstan", with the modality when not asserted."""
    return f"{_side(ce.source)} → {_side(ce.target)}{_mark(ce) if mark else ''}"


def _mark(ce: CorpusEvent) -> str:
    return f" [{ce.modality}]" if ce.modality != ASSERTED else ""


def actor_codes(ce: CorpusEvent) -> str:
    """The same in codes, for a tooltip: "INDGOV → KAZ"."""
    return f"{ce.source.code or '?'} → {(ce.target.code if ce.target else None) or '?'}"


def excerpt(ce: CorpusEvent) -> str:
    """The evidence of the report that gave the event its date (else of the first report)."""
    quoted = next((e for e in ce.events if e.date == ce.date), ce.events[0])
    text = " ".join(quoted.evidence.sentence.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rsplit(" ", 1)[0] + "…"


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http or https link, else None (javascript:, file: and paths are not links):
    ``safety.safe_url``, which every output shares."""
    return safety.safe_url(url)


def _n_sources(line: Line) -> str:
    return plural(line.n_sources, "source")


# -- the chart -------------------------------------------------------------------------------
#: Colours of the two series (and of the QuadClass boxes): cooperation green, conflict red.
COOPERATION_COLOUR = "#2e7d32"
CONFLICT_COLOUR = "#c62828"


def chart_svg(brief: Brief) -> str:
    """Cooperation (up) and conflict (down) events per period as inline SVG (matplotlib, text as paths).

    The undated events (and, on a monthly chart, those dated only to the year) stand apart
    at the right, so nothing is left out of the picture.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "entente"  # the same brief gives the same SVG
    plt.rcParams["svg.fonttype"] = "path"  # no font is needed to read the chart
    s = brief.series
    fig, ax = plt.subplots(figsize=CHART_SIZE)
    labels = [p for p, _, _ in s.points]
    coop = [c for _, c, _ in s.points]
    conf = [-k for _, _, k in s.points]
    apart = [(name, n) for name, n in (("year only", s.year_only), ("undated", s.undated)) if sum(n)]
    xs = list(range(len(labels)))
    extra = [len(labels) + 1 + i for i in range(len(apart))]
    if labels or apart:
        ax.bar(xs + extra, coop + [n[0] for _, n in apart], color=COOPERATION_COLOUR, width=0.8, label="cooperation")
        ax.bar(xs + extra, conf + [-n[1] for _, n in apart], color=CONFLICT_COLOUR, width=0.8, label="conflict")
        ax.axhline(0, color="#333333", linewidth=0.8)
        step = max(1, len(labels) // 12 + (1 if len(labels) % 12 else 0)) if labels else 1
        ticks = xs[::step] + extra
        ax.set_xticks(ticks, [labels[i] for i in xs[::step]] + [name for name, _ in apart], fontsize=7)
        top = max([1] + coop + [n[0] for _, n in apart])
        bottom = max([1] + [-c for c in conf] + [n[1] for _, n in apart])
        ax.set_ylim(-bottom * 1.15, top * 1.15)
        ax.yaxis.set_major_formatter(lambda v, _: f"{abs(v):g}")
        ax.legend(loc="upper left", fontsize=7, frameon=False)
    else:
        ax.text(0.5, 0.5, "no asserted events", ha="center", va="center", transform=ax.transAxes)
    ax.set_ylabel("events")
    ax.set_title(f"Cooperation (QuadClass 1–2, up) and conflict (3–4, down), {brief.a_name}–{brief.b_name}, "
                 f"asserted events per {s.period}", fontsize=9)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]  # no XML declaration or DOCTYPE inside HTML
    svg = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", svg, count=2)  # HTML knows SVG's namespaces
    return re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)


def _summary(brief: Brief) -> str:
    return (f"{plural(len(brief.lines), 'event')} between {brief.a_name} and {brief.b_name} "
            f"(each real-world event once), from {plural(len(brief.sources), 'article')}")


def _chart_note(s: Series) -> str:
    bits = []
    if sum(s.undated):
        bits.append(f"undated: {s.undated[0]} cooperation, {s.undated[1]} conflict")
    if sum(s.year_only):
        bits.append(f"dated only to the year: {s.year_only[0]} cooperation, {s.year_only[1]} conflict")
    return "; ".join(bits)


# -- Markdown ----------------------------------------------------------------------------------
def _md(text: str) -> str:
    """Text safe inside Markdown (``safety.markdown``): no raw HTML (``<``, ``>`` and ``&`` as entities,
    which every Markdown reads as text), no link, image, code, emphasis or table syntax from an article."""
    return safety.markdown(text)


def to_markdown(brief: Brief) -> str:
    def cite(docs: list[str]) -> str:
        return "".join(f"[{n}]" for n in sorted({brief.cite(d) for d in docs}))

    out = [f"# {_md(brief.a_name)} – {_md(brief.b_name)}: brief", "",
           f"{_md(_summary(brief))}; generated {date.today().isoformat()} by entente.", ""]
    if any(brief.counts.values()):
        out += ["## Events by QuadClass (asserted events)", "", "| QuadClass | events |", "|---|---:|"]
        out += [f"| {q} {QUAD_CLASSES[q]} | {n} |" for q, n in brief.counts.items()]
        out += ["", f"## Cooperation and conflict per {brief.series.period}", "",
                f"| {brief.series.period} | cooperation | conflict |", "|---|---:|---:|"]
        out += [f"| {p} | {c} | {k} |" for p, c, k in brief.series.points if c or k]
        if _chart_note(brief.series):
            out += ["", f"Not placed on a {brief.series.period}: {_chart_note(brief.series)}."]
        out.append("")
    if brief.dated:
        out += ["## Timeline", ""]
        for line in brief.dated:
            ce = line.event
            out.append(f"- **{ce.date}** {_md(actor_line(ce, mark=False))}{_mark(ce)}: {_md(code_name(ce.cameo))}. “{_md(excerpt(ce))}” "
                       f"{cite(line.docs)} ({_n_sources(line)})")
        out.append("")
    if brief.undated:
        out += ["## Undated events", ""]
        for line in brief.undated:
            ce = line.event
            out.append(f"- {_md(actor_line(ce, mark=False))}{_mark(ce)}: {_md(code_name(ce.cameo))}. “{_md(excerpt(ce))}” {cite(line.docs)}")
        out.append("")
    if brief.people:
        out += ["## Key people", ""]
        for p in brief.people:
            also = "; spelled also " + ", ".join(f"“{_md(v.variant)}” ({v.method})" for v in p.variants) if p.variants else ""
            out.append(f"- **{_md(p.name)}** ({_md(actor_name(p.actor))}): {_md(p.role or 'role unknown')}; "
                       f"{plural(p.events, 'event')}{also}")
        out.append("")
    if brief.figures:
        out += ["## Key figures", "", "| figure | claims | status |", "|---|---|---|"]
        for f in brief.figures:
            claims = "; ".join(f"{_md(' '.join(c.claim.text.split()))} {cite([c.claim.doc])}" for c in f.claims)
            out.append(f"| {_md(f.item or f.unit or '')} ({_md(actor_name(f.actor))}) | {claims} | {f.status} |")
        out.append("")
    if brief.uncertain:
        out += ["## What remains uncertain", ""] + [f"- {_md(n)}" for n in brief.uncertain] + [""]
    if brief.sources:
        out += ["## Sources", ""]
        for k, a in enumerate(brief.sources, 1):
            url = safe_url(a.url)
            out.append(f"{k}. {_md(a.citation)}" + (f" <{url}>" if url else ""))
    return "\n".join(out).rstrip("\n") + "\n"


# -- HTML --------------------------------------------------------------------------------------
CSS = """
body{font:15px/1.45 Georgia,'Times New Roman',serif;color:#1d1d1d;max-width:1040px;margin:24px auto;padding:0 20px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;border-bottom:1px solid #ccc;padding-bottom:3px;margin-top:28px}
h3{font-size:16px;margin-bottom:4px}.meta{color:#555;font-size:13px}
table{border-collapse:collapse;margin:8px 0;font-size:14px}td,th{border:1px solid #d5d5d5;padding:4px 8px;vertical-align:top}
th{background:#f3f3f3;text-align:left}td.n{text-align:right}
.quad{display:flex;gap:10px;margin:10px 0}.quad div{flex:1;border-radius:6px;padding:8px 10px;color:#fff}
.quad b{font-size:24px;display:block}.q1{background:#43a047}.q2{background:#1b5e20}.q3{background:#ef6c00}.q4{background:#b71c1c}
ol.tl{list-style:none;padding:0}ol.tl li{border-left:3px solid #90a4ae;margin:0 0 10px;padding:2px 0 2px 12px}
.date{font-weight:bold;font-family:Menlo,Consolas,monospace;font-size:13px}.code{color:#37474f;font-size:13px}
q{color:#333;font-style:italic}.cite{font-size:12px;color:#1a237e;white-space:nowrap}
.status{font-weight:bold;padding:1px 6px;border-radius:4px;font-size:12px;color:#fff;white-space:nowrap}
.corroborated{background:#2e7d32}.consistent{background:#0277bd}.conflicting{background:#c62828}.single-source{background:#757575}
.chart svg{width:100%;height:auto}ul.unc li{margin-bottom:4px}.sources li{font-size:13px;margin-bottom:3px}
"""


def _e(s: object) -> str:
    return html.escape(str(s), quote=True)


def _html_line(brief: Brief, line: Line, cite: Callable[[list[str]], str]) -> str:
    ce = line.event
    when = f"<span class=\"date\">{_e(ce.date)}</span> " if ce.date else ""
    return (f"<li>{when}<span title=\"{_e(actor_codes(ce))}\">{_e(actor_line(ce))}</span> "
            f"<span class=\"code\" title=\"CAMEO {_e(ce.cameo)}\">{_e(code_name(ce.cameo))}</span><br>"
            f"<q>{_e(excerpt(ce))}</q> {cite(line.docs)} <span class=\"meta\">{_e(_n_sources(line))}</span></li>")


def to_html(brief: Brief) -> str:
    def cite(docs: list[str]) -> str:
        return "".join(f'<a class="cite" href="#src{n}">[{n}]</a>' for n in sorted({brief.cite(d) for d in docs}))

    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{_e(brief.a_name)} – "
             f"{_e(brief.b_name)}: brief</title><style>{CSS}</style></head><body>",
             f"<h1>{_e(brief.a_name)} – {_e(brief.b_name)}</h1>",
             f"<p class=\"meta\">{_e(_summary(brief))}. Generated {date.today().isoformat()} by entente.</p>"]
    if any(brief.counts.values()) or any(brief.series.undated):
        parts += ["<h2>Events by QuadClass (asserted events)</h2><div class=\"quad\">"]
        parts += [f"<div class=\"q{q}\"><b>{n}</b>{_e(QUAD_CLASSES[q])}</div>" for q, n in brief.counts.items()]
        note = _chart_note(brief.series)
        parts += ["</div>", "<h2>Cooperation and conflict over time</h2>", f"<div class=\"chart\">{chart_svg(brief)}</div>",
                  f"<p class=\"meta\">Asserted events per {brief.series.period}: cooperation (QuadClass 1–2) above "
                  "the line, conflict (3–4) below." + (f" Shown apart at the right: {_e(note)}." if note else "") + "</p>"]
    if brief.dated:
        parts.append("<h2 id=\"timeline\">Timeline</h2><ol class=\"tl\">")
        parts += [_html_line(brief, line, cite) for line in brief.dated]
        parts.append("</ol>")
    if brief.undated:
        parts.append("<h3 id=\"undated\">Undated events</h3><ol class=\"tl\">")
        parts += [_html_line(brief, line, cite) for line in brief.undated]
        parts.append("</ol>")
    if brief.people:
        parts.append("<h2 id=\"people\">Key people</h2><table><tr><th>person</th><th>for</th><th>role</th>"
                     "<th>events</th><th>also spelled</th></tr>")
        for p in brief.people:
            also = "<br>".join(f"{_e(v.variant)} <span class=\"meta\">({_e(v.method)}, {v.score:g}; "
                               f"{_e(', '.join(sorted({x['doc'] for x in v.evidence if x['form'] == v.variant})))})</span>"
                               for v in p.variants)
            parts.append(f"<tr><td>{_e(p.name)}</td><td>{_e(actor_name(p.actor))}</td><td>{_e(p.role or 'unknown')}</td>"
                         f"<td class=\"n\">{p.events}</td><td>{also}</td></tr>")
        parts.append("</table>")
    if brief.figures:
        parts.append("<h2 id=\"figures\">Key figures</h2><table><tr><th>figure</th><th>actor</th><th>claims</th>"
                     "<th>status</th></tr>")
        for f in brief.figures:
            claims = "<br>".join(f"{_e(' '.join(c.claim.text.split()))} {cite([c.claim.doc])}" for c in f.claims)
            parts.append(f"<tr><td>{_e(f.item or f.unit)}{' (' + _e(f.unit) + ')' if f.unit and f.item else ''}</td>"
                         f"<td>{_e(actor_name(f.actor))}</td><td>{claims}</td>"
                         f"<td><span class=\"status {_e(f.status)}\">{_e(f.status)}</span></td></tr>")
        parts.append("</table>")
    if brief.uncertain:
        parts.append("<h2 id=\"uncertain\">What remains uncertain</h2><ul class=\"unc\">")
        parts += [f"<li>{_e(n)}</li>" for n in brief.uncertain]
        parts.append("</ul>")
    if brief.sources:
        parts.append("<h2 id=\"sources\">Sources</h2><ol class=\"sources\">")
        for k, a in enumerate(brief.sources, 1):
            url = safe_url(a.url)
            where = f" <a rel=\"noopener noreferrer\" href=\"{_e(url)}\">{_e(url)}</a>" if url else ""
            dup = f" (near-duplicate of {_e(brief.duplicates[a.doc][0])})" if a.doc in brief.duplicates else ""
            parts.append(f"<li id=\"src{k}\">{_e(a.citation)}{dup}{where}</li>")
        parts.append("</ol>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


FORMATS = ("md", "html")


def write_brief(db: str, a: str, b: str, fmt: str = "md", out: str | None = None,
                modality: str | tuple[str, ...] | None = None) -> str:
    """Read the dyad's part of a store, make the brief of ``a`` and ``b`` and render it; write it to ``out`` if given."""
    from ..corpus.tables import load_dyad

    if fmt not in FORMATS:
        raise BriefError(f"unknown brief format {fmt!r}: use md or html")
    if a.upper() == b.upper():
        raise BriefError(f"a brief needs two different actors, got {a.upper()} twice: e.g. entente brief KAZ IND")
    brief = make_brief(load_dyad(db, a, b), a, b, modality)
    text = to_html(brief) if fmt == "html" else to_markdown(brief)
    if out:
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise BriefError(f"{out}: cannot write: {exc.strerror or exc}: choose another --out") from exc
    return text
