"""The brief: a dossier of the relationship between two actors, from everything in the store.

``entente brief KAZ IND`` gathers, over the corpus events between the two (either
direction, each real-world event once, every source cited):

1. counts by QuadClass, and a cooperation/conflict index over time (Goldstein per year);
2. a dated timeline, each event with its citations; the undated events apart;
3. the key people, with their roles (from the knowledge base, at the event date);
4. the key figures, with their reconciliation status;
5. what remains uncertain: conflicting figures, dates inferred rather than stated,
   publication dates inferred, names merged by spelling.

It renders as Markdown or as one self-contained HTML file (inline CSS, the chart as
inline SVG drawn by matplotlib; no script, font or image is fetched).
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from ..actors.names import NameMerge, roles_text
from ..claims.reconcile import CONFLICTING, Figure, for_dyad, reconcile
from ..corpus.build import Article, Corpus, CorpusEvent, dyad_events
from ..errors import EntenteError
from ..events.codebook import lookup
from ..model import Actor
from ..store.queries import modalities
from .safety import markdown, safe_url

QUAD_CLASSES = {1: "Verbal cooperation", 2: "Material cooperation", 3: "Verbal conflict", 4: "Material conflict"}
SECTORS = {"GOV": "government", "MIL": "military", "BUS": "business", "CVL": "civilians", "LEG": "legislature",
           "JUD": "judiciary", "MED": "media", "OPP": "opposition", "REB": "rebels", "IGO": "organisation"}
#: Characters of evidence quoted per event in the timeline.
EXCERPT_CHARS = 240
#: Date sources that mean a date was read from context, not stated with the event.
INFERRED_DATE_SOURCES = {"publication", "previous sentence"}
#: Chart size in inches (width, height); 100 dpi in the HTML.
CHART_SIZE = (9.0, 3.2)
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


@dataclass
class Brief:
    """What a brief says, before it is rendered."""

    a: str
    b: str
    a_name: str
    b_name: str
    events: list[CorpusEvent]
    counts: dict[int, int]
    index: list[tuple[str, float, int]]  # (year, total Goldstein, events)
    people: list[PersonEntry]
    figures: list[Figure]
    uncertain: list[str]
    sources: list[Article] = field(default_factory=list)  # cited, in citation order
    duplicates: dict[str, tuple[str, float]] = field(default_factory=dict)

    @property
    def dated(self) -> list[CorpusEvent]:
        return [e for e in self.events if e.date]

    @property
    def undated(self) -> list[CorpusEvent]:
        return [e for e in self.events if not e.date]

    def cite(self, doc: str) -> int:
        """The number an article is cited by ([1], [2] …)."""
        return next(k for k, a in enumerate(self.sources, 1) if a.doc == doc)


def make_brief(corpus: Corpus, a: str, b: str, modality: str | tuple[str, ...] | None = None) -> Brief:
    """Gather the brief of the relationship between actors ``a`` and ``b`` (ISO3 or IGO:XX).

    ``modality`` chooses the events shown (by default all but negated ones). Intended and
    hypothetical events are listed, marked as such, but only asserted events are counted
    by QuadClass and in the cooperation/conflict index.
    """
    from ..actors.kb import load_kb

    a, b = a.upper(), b.upper()
    if a == b:
        raise BriefError(f"a brief needs two different actors, got {a} twice: e.g. entente brief KAZ IND")
    kb = load_kb(())
    wanted = modalities(modality)
    events = [ce for ce in dyad_events(corpus, a, b) if ce.modality in wanted]
    asserted = [ce for ce in events if ce.modality == ASSERTED]
    counts = Counter(e.quad_class for e in asserted)
    years: dict[str, list[float]] = defaultdict(list)
    for e in asserted:
        if e.date:
            years[e.date[:4]].append(e.goldstein)
    index = [(y, round(sum(g), 1), len(g)) for y, g in sorted(years.items())]
    figures = for_dyad(reconcile(corpus.claims), f"{a}-{b}")
    cited: list[str] = []
    for e in events:
        cited += [d for d in e.docs if d not in cited]
    for f in figures:
        cited += [c.claim.doc for c in f.claims if c.claim.doc not in cited]
    return Brief(
        a=a, b=b, a_name=kb.country_name(a) or a, b_name=kb.country_name(b) or b, events=events,
        counts={q: counts.get(q, 0) for q in QUAD_CLASSES}, index=index,
        people=_people(corpus, events), figures=figures, uncertain=_uncertain(corpus, events, figures),
        sources=[corpus.articles[d] for d in cited if d in corpus.articles], duplicates=corpus.duplicates,
    )


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
        role = roles_text(person, dates[-1] if dates else None)
        if role is None and sector.get(person):
            role = SECTORS.get(sector[person] or "", sector[person])
        variants = tuple(m for m in corpus.names if m.canonical == person)
        out.append(PersonEntry(person, actor.get(person), role, len(evs), variants))
    return sorted(out, key=lambda p: (-p.events, p.name))


def _uncertain(corpus: Corpus, events: list[CorpusEvent], figures: list[Figure]) -> list[str]:
    notes = []
    for f in figures:
        if f.status == CONFLICTING:
            said = "; ".join(f"{c.claim.text!r} ({c.claim.doc})" for c in f.claims)
            notes.append(f"Conflicting figures for {f.item or f.unit} ({f.actor}): {said}.")
    for ce in events:
        how = {e.date_source or "" for e in ce.events if e.date == ce.date}
        if ce.date and how and how <= INFERRED_DATE_SOURCES:
            notes.append(f"Date {ce.date} of {_what(ce)} is inferred from the {' and '.join(sorted(how))}, "
                         "not stated with the event.")
        undated_in = [e.doc for e in ce.events if not e.date]
        if ce.date and undated_in:
            notes.append(f"Date {ce.date} of {_what(ce)} comes from {len(ce.events) - len(undated_in)} of "
                         f"{len(ce.events)} reports; {', '.join(undated_in)} "
                         f"{'gives' if len(undated_in) == 1 else 'give'} no date.")
    docs = {d for ce in events for d in ce.docs}
    for d in sorted(docs):
        a = corpus.articles.get(d)
        if a is not None and a.pub_date_origin == "inferred":
            notes.append(f"Publication date of {d} is unknown; {a.pub_date} is only inferred from the dates in it.")
    for m in corpus.names:
        if m.method == "spelling":
            notes.append(f"{m.variant!r} is taken to be {m.canonical} by spelling similarity ({m.score:g}/100).")
    unsure = Counter(ce.modality for ce in events if ce.modality != ASSERTED)
    if unsure:
        said = ", ".join(f"{n} {m}" for m, n in sorted(unsure.items()))
        notes.append(f"{said} events are listed, marked, but not counted: they were not reported as done.")
    undated = sum(1 for ce in events if not ce.date)
    if undated:
        notes.append(f"{undated} of {len(events)} events have no date in their articles.")
    return notes


def _what(ce: CorpusEvent) -> str:
    return f"{_code_name(ce.cameo).lower()} ({ce.source.key} → {ce.target.key if ce.target else '?'})"


def _code_name(code: str) -> str:
    try:
        return lookup(code).name
    except EntenteError:
        return code


def _actor_label(ce: CorpusEvent, esc: Callable[[str], str] = str) -> str:
    """"Person (CODE) → CODE [intended]"; ``esc`` escapes the names (Markdown), not the mark."""
    def one(a: Actor | None) -> str:
        if a is None:
            return "?"
        return esc(f"{a.person} ({a.code})" if a.person else (a.code or a.text))

    mark = f" [{ce.modality}]" if ce.modality != ASSERTED else ""
    return f"{one(ce.source)} → {one(ce.target)}{mark}"


def _how(ce: CorpusEvent) -> str:
    """The patterns that coded an event ("recognize", "establish-relations"), to tell apart two events of one sentence."""
    heads = dict.fromkeys(r.split(":")[0] for e in ce.events for r in e.rule.split("|"))
    return ", ".join(heads)


def _excerpt(ce: CorpusEvent) -> str:
    """The evidence of the report that gave the event its date (else of the first report)."""
    quoted = next((e for e in ce.events if e.date == ce.date), ce.events[0])
    text = " ".join(quoted.evidence.sentence.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rsplit(" ", 1)[0] + "…"


# -- the chart -------------------------------------------------------------------------------
def chart_svg(brief: Brief) -> str:
    """The cooperation/conflict index per year as inline SVG (matplotlib, text drawn as paths)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "entente"  # the same brief gives the same SVG
    plt.rcParams["svg.fonttype"] = "path"  # no font is needed to read the chart
    fig, ax = plt.subplots(figsize=CHART_SIZE)
    if brief.index:
        first, last = int(brief.index[0][0]), int(brief.index[-1][0])
        by_year = {int(y): (g, n) for y, g, n in brief.index}
        years = list(range(first, last + 1))
        totals = [by_year.get(y, (0.0, 0))[0] for y in years]
        colors = ["#2e7d32" if t >= 0 else "#c62828" for t in totals]
        ax.bar(years, totals, color=colors, width=0.8)
        for y in years:
            if y in by_year:
                g, n = by_year[y]
                ax.annotate(str(n), (y, g), ha="center", va="bottom" if g >= 0 else "top", fontsize=7,
                            xytext=(0, 2 if g >= 0 else -2), textcoords="offset points", color="#555555")
        ax.axhline(0, color="#333333", linewidth=0.8)
        ax.set_xlim(first - 0.8, last + 0.8)
        step = max(1, (last - first) // 12 + 1)
        ax.set_xticks(list(range(first, last + 1, step)))
    else:
        ax.text(0.5, 0.5, "no dated events", ha="center", va="center", transform=ax.transAxes)
    ax.set_ylabel("Goldstein total")
    ax.set_title(f"Cooperation (+) and conflict (−), {brief.a}–{brief.b}, per year; "
                 "labels: events", fontsize=9)
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


# -- Markdown ----------------------------------------------------------------------------------
def to_markdown(brief: Brief) -> str:
    """The brief as Markdown. Every text from the store is escaped (``safety.markdown``): no HTML
    or Markdown in an article becomes markup; only http and https URLs become links."""
    m = markdown

    def cite(docs: list[str]) -> str:
        return "".join(f"[{n}]" for n in sorted({brief.cite(d) for d in docs}))

    out = [f"# {m(brief.a_name)} – {m(brief.b_name)}: brief", "",
           f"{len(brief.events)} events between {m(brief.a)} and {m(brief.b)} (each real-world event once, "
           f"from {len(brief.sources)} articles); generated {date.today().isoformat()} by entente.", "",
           "## Events by QuadClass (asserted events)", "", "| QuadClass | events |", "|---|---:|"]
    out += [f"| {q} {QUAD_CLASSES[q]} | {n} |" for q, n in brief.counts.items()]
    out += ["", "## Cooperation and conflict per year (Goldstein)", "", "| year | events | Goldstein total |",
            "|---|---:|---:|"]
    out += [f"| {y} | {n} | {g:+.1f} |" for y, g, n in brief.index]
    out += ["", "## Timeline", ""]
    for ce in brief.dated:
        out.append(f"- **{m(ce.date)}** {_actor_label(ce, m)}: {m(ce.cameo)} {m(_code_name(ce.cameo))} ({m(_how(ce))}). "
                   f"“{m(_excerpt(ce))}” {cite(ce.docs)} ({ce.n_sources} source{'s' if ce.n_sources != 1 else ''})")
    out += ["", "### Undated", ""]
    for ce in brief.undated:
        out.append(f"- {_actor_label(ce, partial(m, start=True))}: {m(ce.cameo)} {m(_code_name(ce.cameo))} ({m(_how(ce))}). "
                   f"“{m(_excerpt(ce))}” {cite(ce.docs)}")
    out += ["", "## Key people", ""]
    for p in brief.people:
        also = "; spelled also " + ", ".join(f"“{m(v.variant)}” ({m(v.method)})" for v in p.variants) if p.variants else ""
        out.append(f"- **{m(p.name)}** ({m(p.actor)}): {m(p.role or 'role unknown')}; {p.events} events{also}")
    out += ["", "## Key figures", "", "| figure | claims | status |", "|---|---|---|"]
    for f in brief.figures:
        claims = "; ".join(f"{m(c.claim.text)} {cite([c.claim.doc])}" for c in f.claims)
        out.append(f"| {m(f.item or f.unit)} ({m(f.actor)}) | {claims} | {m(f.status)} |")
    out += ["", "## What remains uncertain", ""] + [f"- {m(n, start=True)}" for n in brief.uncertain]
    out += ["", "## Sources", ""]
    for k, a in enumerate(brief.sources, 1):
        said = f"{m(a.citation, start=True)}: " if a.citation != a.doc else ""
        url = safe_url(a.url)
        where = f"<{url}>" if url and ">" not in url and " " not in url else m(a.url or a.path)
        out.append(f"{k}. {said}{m(a.doc, start=not said)} {where}")
    return "\n".join(out) + "\n"


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


def to_html(brief: Brief) -> str:
    def cite(docs: list[str]) -> str:
        return "".join(f'<a class="cite" href="#src{n}">[{n}]</a>' for n in sorted({brief.cite(d) for d in docs}))

    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{_e(brief.a_name)} – "
             f"{_e(brief.b_name)}: brief</title><style>{CSS}</style></head><body>",
             f"<h1>{_e(brief.a_name)} – {_e(brief.b_name)}</h1>",
             f"<p class=\"meta\">{len(brief.events)} events between {_e(brief.a)} and {_e(brief.b)}, each "
             f"real-world event once, from {len(brief.sources)} articles. Generated {date.today().isoformat()} "
             "by entente.</p>", "<h2>Events by QuadClass (asserted events)</h2><div class=\"quad\">"]
    parts += [f"<div class=\"q{q}\"><b>{n}</b>{_e(QUAD_CLASSES[q])}</div>" for q, n in brief.counts.items()]
    parts += ["</div>", "<h2>Cooperation and conflict over time</h2>", f"<div class=\"chart\">{chart_svg(brief)}</div>",
              "<p class=\"meta\">Sum of the Goldstein weights (−10 conflict … +10 cooperation) of the dated, "
              "asserted events of each year; the number above a bar counts its events.</p>",
              "<h2 id=\"timeline\">Timeline</h2><ol class=\"tl\">"]
    for ce in brief.dated:
        parts.append(
            f"<li><span class=\"date\">{_e(ce.date)}</span> {_e(_actor_label(ce))} "
            f"<span class=\"code\">{_e(ce.cameo)} {_e(_code_name(ce.cameo))} · {_e(_how(ce))}</span><br><q>{_e(_excerpt(ce))}</q> "
            f"{cite(ce.docs)} <span class=\"meta\">{ce.n_sources} source{'s' if ce.n_sources != 1 else ''}</span></li>")
    parts.append("</ol><h3 id=\"undated\">Undated events</h3><ol class=\"tl\">")
    for ce in brief.undated:
        parts.append(f"<li>{_e(_actor_label(ce))} <span class=\"code\">{_e(ce.cameo)} {_e(_code_name(ce.cameo))} · {_e(_how(ce))}"
                     f"</span><br><q>{_e(_excerpt(ce))}</q> {cite(ce.docs)}</li>")
    parts.append("</ol><h2 id=\"people\">Key people</h2><table><tr><th>person</th><th>for</th><th>role</th><th>events</th>"
                 "<th>also spelled</th></tr>")
    for p in brief.people:
        also = "<br>".join(f"{_e(v.variant)} <span class=\"meta\">({_e(v.method)}, {v.score:g}; "
                           f"{_e(', '.join(sorted({x['doc'] for x in v.evidence if x['form'] == v.variant})))})</span>"
                           for v in p.variants)
        parts.append(f"<tr><td>{_e(p.name)}</td><td>{_e(p.actor)}</td><td>{_e(p.role or 'unknown')}</td>"
                     f"<td class=\"n\">{p.events}</td><td>{also}</td></tr>")
    parts.append("</table><h2 id=\"figures\">Key figures</h2><table><tr><th>figure</th><th>actor</th><th>claims</th>"
                 "<th>status</th></tr>")
    for f in brief.figures:
        claims = "<br>".join(f"{_e(' '.join(c.claim.text.split()))} {cite([c.claim.doc])}" for c in f.claims)
        parts.append(f"<tr><td>{_e(f.item or f.unit)}{' (' + _e(f.unit) + ')' if f.unit and f.item else ''}</td>"
                     f"<td>{_e(f.actor)}</td><td>{claims}</td>"
                     f"<td><span class=\"status {_e(f.status)}\">{_e(f.status)}</span></td></tr>")
    parts.append("</table><h2 id=\"uncertain\">What remains uncertain</h2><ul class=\"unc\">")
    parts += [f"<li>{_e(n)}</li>" for n in brief.uncertain]
    parts.append("</ul><h2 id=\"sources\">Sources</h2><ol class=\"sources\">")
    for k, a in enumerate(brief.sources, 1):
        url = safe_url(a.url)  # only http and https become links: no javascript:, data:, file:
        where = (f"<a rel=\"noopener noreferrer\" href=\"{_e(url)}\">{_e(url)}</a>" if url
                 else f"<code>{_e(a.url or a.path)}</code>")
        dup = f" (near-duplicate of {_e(brief.duplicates[a.doc][0])})" if a.doc in brief.duplicates else ""
        said = f"{_e(a.citation)}: " if a.citation != a.doc else ""
        parts.append(f"<li id=\"src{k}\">{said}<code>{_e(a.doc)}</code>{dup} {where}</li>")
    parts.append("</ol></body></html>")
    return "\n".join(parts) + "\n"


FORMATS = ("md", "html")


def write_brief(db: str, a: str, b: str, fmt: str = "md", out: str | None = None,
                modality: str | tuple[str, ...] | None = None) -> str:
    """Read the corpus of a store, make the brief of ``a`` and ``b`` and render it; write it to ``out`` if given."""
    from ..corpus.tables import load

    if fmt not in FORMATS:
        raise BriefError(f"unknown brief format {fmt!r}: use md or html")
    brief = make_brief(load(db), a, b, modality)
    text = to_html(brief) if fmt == "html" else to_markdown(brief)
    if out:
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise BriefError(f"{out}: cannot write: {exc.strerror or exc}: choose another --out") from exc
    return text
