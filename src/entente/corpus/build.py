"""Across articles: near-duplicates, names, one event across articles, stories, claims.

The per-document pipeline sees one article at a time. Analysts read many reports of
one happening; this stage reads the whole store and

1. finds near-duplicate articles (MinHash over word shingles) so that each counts once;
2. merges the spellings of one person across articles (Yermekbayev / Yermekbayeva),
   keeping the evidence for every merge;
3. merges the reports of one real-world event into a corpus event that lists every
   mention and source: same dyad (either order when symmetric), same three-digit
   CAMEO code, compatible dates and people, and evidence that tells it apart;
4. clusters articles into stories by the similarity of their words;
5. finds the claims (quantities) of every stored document, once, and places each
   with its actors and story for reconciliation (``reconcile.py``).

``build_corpus(store)`` runs the five steps over a store and saves what they find in
tables of their own (``claims``, ``corpus_events``, ``name_merges``, ``near_duplicates``,
``stories``, see ``store/schema.py``) next to the tables the pipeline writes; ``run`` and
``ingest`` call it. ``tables.load`` reads them back for the commands that only read
(``brief``, ``export``, ``claims``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ..actors.names import NameMerge
from ..claims.extract import Located, claim_actor, claim_actors, locate_claims
from ..claims.reconcile import Figure, SourcedClaim, for_dyad, reconcile
from ..errors import StoreError
from ..events.merging import compatible_dates, is_symmetric
from ..model import Actor, Claim, CleanDoc, Document, Event, Evidence, Mention
from ..store import Store
from .dedup import UnionFind, cluster_stories, cosine, near_duplicates, word_vector

__all__ = ["Article", "Corpus", "CorpusEvent", "build", "build_corpus", "cell_key", "cluster_stories",
           "dyad_events", "figures_of", "merge_across", "near_duplicates"]

#: The blocking cell of a report, the unit the corpus step merges again when a report joins
#: it: its two actors (either order), its three-digit CAMEO family and its modality. Reports
#: of one happening always share it (``merge_across`` needs all three to agree).
CELL_KEYS = ("actor pair", "CAMEO family", "modality")
#: The date window within a cell: dated reports are compared only with reports of the same
#: year (``DATE_WINDOW`` characters of the date), since two dates are compatible only when
#: they agree at the coarser precision. The year is not part of the cell: an undated report
#: (one in eight on the dev corpus, such as the seeds' message of May 4 whose date was missed)
#: may be about any year, and is compared with every report of its cell.
DATE_WINDOW = 4
#: Evidence similarity (cosine of ``dedup.word_vector``, from the two reports alone) two reports of one event need when nothing else tells them apart
#: (no shared person, no agreeing dates): "the two countries held exercises in 2019" and
#: "a joint peacekeeping room was opened" are both 062 IND-KAZ, at 0.25.
EVENT_TEXT_SIMILARITY = 0.4
#: ... when the same named person acts on one side, or the dates agree to the month: one
#: visit by Yermekbayev told by two reporters scores 0.24, Tokayev's aid order 0.14, while
#: Yermekbayev's two meetings with Singh (Delhi and Moscow) score only 0.06.
EVENT_SUPPORTED_SIMILARITY = 0.1
#: ... when the dates agree only to the year.
EVENT_YEAR_SIMILARITY = 0.2

# -- records ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Article:
    """A stored document as the corpus steps see it."""

    doc: str
    content_hash: str
    path: str
    title: str | None
    url: str | None
    outlet: str | None
    pub_date: str | None
    pub_date_origin: str | None
    text: str  # the document text, which offsets point into
    processed_at: datetime | None = None

    @property
    def citation(self) -> str:
        """How a brief cites the article: its title or id, outlet and date."""
        bits = [self.title or self.doc]
        bits += [b for b in (self.outlet, self.pub_date if self.pub_date_origin != "inferred" else None) if b]
        return ", ".join(bits)


@dataclass(frozen=True, slots=True)
class CorpusEvent:
    """One real-world event, with every mention of it in every article."""

    id: str
    events: tuple[Event, ...]  # one per article, first reported first
    source: Actor
    target: Actor | None
    cameo: str
    root: str
    goldstein: float
    quad_class: int
    plover: str | None
    date: str | None
    date_precision: str | None
    n_sources: int  # articles, near-duplicates counted once
    modality: str = "asserted"  # the reports' modality (reports of different modalities are not merged)
    component: str | None = None  # the smallest event id of the connected component of its reports' links

    @property
    def docs(self) -> list[str]:
        return [e.doc for e in self.events]

    @property
    def n_mentions(self) -> int:
        return sum(len(e.mentions or (e.evidence,)) for e in self.events)

    @property
    def dyad(self) -> frozenset[str]:
        return frozenset(k for k in (self.source.key, self.target.key if self.target else None) if k)

    @property
    def symmetric(self) -> bool:
        """Both sides act together (meet, agree): the event has no direction."""
        return is_symmetric(self.events[0])


@dataclass
class Corpus:
    """Everything the cross-article steps know about a store."""

    articles: dict[str, Article]
    events: list[Event]
    mentions: list[Mention]
    duplicates: dict[str, tuple[str, float]] = field(default_factory=dict)  # doc -> (kept doc, similarity)
    names: list[NameMerge] = field(default_factory=list)
    canonical: dict[str, str] = field(default_factory=dict)  # person name -> canonical name
    corpus_events: list[CorpusEvent] = field(default_factory=list)
    stories: dict[str, str] = field(default_factory=dict)  # doc -> story id
    claims: list[SourcedClaim] = field(default_factory=list)

    def source_of(self, doc: str) -> str:
        """The article a document counts as: itself, or the one it near-duplicates."""
        return self.duplicates.get(doc, (doc, 1.0))[0]


# -- 3. one event across articles --------------------------------------------------------------
def _dyad(e: Event) -> tuple[str, ...] | None:
    s, t = e.source.key, e.target.key if e.target else None
    if not s or not t:
        return None
    return tuple(sorted((s, t))) if is_symmetric(e) else (s, t)


def _people(e: Event, canonical: dict[str, str]) -> dict[str, str]:
    """Actor key -> canonical person acting for it in the event."""
    out = {}
    for a in (e.source, e.target):
        if a is not None and a.person and a.key:
            out[a.key] = canonical.get(a.person, a.person)
    return out


def _compatible(a: Event, b: Event, canonical: dict[str, str]) -> bool:
    if a.doc == b.doc or not compatible_dates(a.date, b.date):
        return False
    pa, pb = _people(a, canonical), _people(b, canonical)
    return all(pb.get(k, p) == p for k, p in pa.items())


def _threshold(a: Event, b: Event, canonical: dict[str, str]) -> float | None:
    """The evidence similarity two compatible reports need to be one event (None: not needed)."""
    if a.date and b.date and min(len(a.date), len(b.date)) == 10:
        return None  # the same dyad doing the same thing on the same day
    pa, pb = _people(a, canonical), _people(b, canonical)
    if any(pb.get(k) == p for k, p in pa.items()):
        return EVENT_SUPPORTED_SIMILARITY
    if a.date and b.date:
        return EVENT_SUPPORTED_SIMILARITY if min(len(a.date), len(b.date)) >= 7 else EVENT_YEAR_SIMILARITY
    return EVENT_TEXT_SIMILARITY


def _window(e: Event) -> str | None:
    return e.date[:DATE_WINDOW] if e.date else None


def cell_key(e: Event) -> str:
    """The blocking cell of a report (see ``CELL_KEYS``), as the ``corpus_events.cell`` column holds it."""
    pair = sorted(k or "" for k in (e.source.key, e.target.key if e.target else None))
    return "|".join((*pair, e.cameo[:3], e.modality))


def _window_pairs(block: list[Event]) -> list[tuple[Event, Event]]:
    """The pairs of a block worth comparing, in block order: same year, or one of them undated."""
    position = {e.event_id: k for k, e in enumerate(block)}
    years: dict[str | None, list[Event]] = defaultdict(list)
    for e in block:
        years[_window(e)].append(e)
    undated = years.pop(None, [])
    out = [(a, b) for group in years.values() for i, a in enumerate(group) for b in group[i + 1:]]
    for a in undated:  # with every other report, each pair once
        out += [(a, b) for b in block if b.event_id != a.event_id
                and (_window(b) is not None or position[a.event_id] < position[b.event_id])]
    out = [(a, b) if position[a.event_id] < position[b.event_id] else (b, a) for a, b in out]
    return sorted(out, key=lambda p: (position[p[0].event_id], position[p[1].event_id]))


def report_text(e: Event) -> str:
    """The sentences of a report, as its evidence is compared with another's."""
    return " ".join(m.sentence for m in (e.mentions or (e.evidence,)))


def link_weight(a: Event, b: Event, canonical: dict[str, str], vectors: dict[str, dict[str, float]]) -> float | None:
    """How strongly two reports of one block and date window are one event (None: they are not).

    A function of the two reports alone (and the canonical names of their people):
    1.0 for the same dyad acting on the same day, else the similarity of their evidence when
    it reaches the threshold the reports need. ``vectors`` caches ``word_vector`` by event id.
    """
    if not _compatible(a, b, canonical):
        return None
    need = _threshold(a, b, canonical)
    if need is None:
        return 1.0
    for e in (a, b):
        if e.event_id not in vectors:
            vectors[e.event_id] = word_vector(report_text(e))
    sim = cosine(vectors[a.event_id], vectors[b.event_id])
    return sim if sim >= need else None


def block_key(e: Event) -> tuple[Any, ...] | None:
    """The reports ``merge_across`` compares with each other: same dyad, CAMEO family, symmetry and modality."""
    d = _dyad(e)
    return None if d is None else (d, e.cameo[:3], is_symmetric(e), e.modality)


def merge_across(events: Sequence[Event], canonical: dict[str, str] | None = None,
                 source_of: dict[str, str] | None = None) -> list[CorpusEvent]:
    """Group the events of many articles into corpus events, one per real-world event.

    Two reports are linked when they have the same dyad, the same symmetry, modality and
    three-digit code, compatible dates and people, and evidence similar enough (see the
    thresholds above); only reports of one block are compared, and only within a date
    window (``DATE_WINDOW``), so that no block compares all its pairs across years.
    Linked groups are joined best link first; a group never holds two events of one
    article, and every pair in it stays compatible.

    A link depends on its two reports alone (``link_weight``), and the joining on the links
    of one connected component alone: each corpus event records its component (the smallest
    event id in it), and merging the reports of some whole components gives the same corpus
    events as merging every report (what lets the corpus step merge again only the
    components a new report links to).
    """
    canonical = canonical or {}
    source_of = source_of or {}
    blocks: dict[tuple[Any, ...], list[Event]] = defaultdict(list)
    for e in events:
        key = block_key(e)
        if key is not None:
            blocks[key].append(e)
    pairs: list[tuple[float, str, str]] = []
    vectors: dict[str, dict[str, float]] = {}
    for block in blocks.values():
        if len(block) < 2:
            continue
        for a, b in _window_pairs(block):
            weight = link_weight(a, b, canonical, vectors)
            if weight is not None:
                pairs.append((weight, a.event_id, b.event_id))
    by_id = {e.event_id: e for e in events}
    order = {e.event_id: k for k, e in enumerate(events)}
    group = {e.event_id: [e] for e in events}
    linked = UnionFind(by_id)
    for _, x_id, y_id in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        linked.union(x_id, y_id)
        ga, gb = group[x_id], group[y_id]
        if ga is gb or not all(_compatible(x, y, canonical) for x in ga for y in gb):
            continue
        ga.extend(gb)
        for e in gb:
            group[e.event_id] = ga
    seen: set[int] = set()
    out = []
    for e in events:
        g = group[e.event_id]
        if id(g) in seen:
            continue
        seen.add(id(g))
        members = sorted((by_id[x.event_id] for x in g), key=lambda x: order[x.event_id])
        out.append(_corpus_event(members, source_of, linked.find(e.event_id)))
    return out


def _corpus_event(members: list[Event], source_of: dict[str, str], component: str | None = None) -> CorpusEvent:
    """The corpus event of some reports: the most specific code and date, people where known."""
    code_from = max(members, key=lambda e: len(e.cameo))
    dated = [e for e in members if e.date]
    date_from = max(dated, key=lambda e: (len(e.date or ""), e.date_source not in ("publication", None))) if dated else members[0]
    first = members[0]
    source = next((e.source for e in members if e.source.person and e.source.key == first.source.key), first.source)
    target = first.target
    if target is not None:
        target = next((e.target for e in members if e.target and e.target.person and e.target.key == target.key), target)
    ident = hashlib.sha1("|".join(sorted(e.event_id for e in members)).encode()).hexdigest()[:16]
    return CorpusEvent(
        id=ident, events=tuple(members), source=source, target=target, cameo=code_from.cameo,
        root=code_from.root, goldstein=code_from.goldstein, quad_class=code_from.quad_class,
        plover=code_from.plover, date=date_from.date, date_precision=date_from.date_precision,
        n_sources=len({source_of.get(e.doc, e.doc) for e in members}), modality=first.modality,
        component=component,
    )


# -- 5. claims -----------------------------------------------------------------------------------
def document_of(article: Article) -> Document:
    """The stored article as a document again: its own text, which every offset points into."""
    return Document(id=article.doc, text=article.text, path=article.path, title=article.title, url=article.url,
                    source=article.outlet)


def document_claims(cd: CleanDoc, events: Sequence[Event],
                    mentions: Sequence[Mention]) -> list[tuple[Located, str | None, frozenset[str]]]:
    """The claims of one stored article with the actor each belongs to and the actors around it."""
    return [(lc, claim_actor(lc, mentions, events), claim_actors(lc, mentions, events))
            for lc in locate_claims(cd, list(events))]


def ensure_claims(store: Store, corpus: Corpus, cleaned: dict[str, CleanDoc]) -> None:
    """Find the claims of every stored document that has none yet, and store them."""
    done = {r[0] for r in store.con.execute("SELECT doc_id FROM claim_docs").fetchall()}
    todo = [a for a in corpus.articles.values() if a.doc not in done]
    if not todo:
        return
    by_doc_events: dict[str, list[Event]] = defaultdict(list)
    for e in corpus.events:
        by_doc_events[e.doc].append(e)
    by_doc_mentions: dict[str, list[Mention]] = defaultdict(list)
    for m in corpus.mentions:
        by_doc_mentions[m.doc].append(m)
    rows, marks = [], []
    for a in todo:
        found = document_claims(cleaned[a.doc], by_doc_events[a.doc], by_doc_mentions[a.doc])
        for n, (lc, actor, actors) in enumerate(found):
            c = lc.claim
            rows.append((a.content_hash, a.doc, n, c.value, c.low, c.high, c.qualifier, c.unit, c.item, c.text,
                         c.evidence.sentence, c.evidence.start, c.evidence.end, c.event_id, actor, sorted(actors)))
        marks.append((a.doc, a.content_hash, len(found)))
    store.con.execute("BEGIN TRANSACTION")
    try:
        if rows:
            store.con.executemany(f"INSERT INTO claims VALUES ({','.join('?' * len(rows[0]))})", rows)
        store.con.executemany("INSERT INTO claim_docs VALUES (?, ?, ?)", marks)
    except BaseException:
        store.con.execute("ROLLBACK")
        raise
    store.con.execute("COMMIT")


def stored_claims(store: Store, corpus: Corpus) -> list[SourcedClaim]:
    """The stored claims of the corpus's articles, each with its source, actors and story."""
    when_event = {e.event_id: ce.date for ce in corpus.corpus_events for e in ce.events}
    out = []
    for r in store.query("SELECT * FROM claims ORDER BY doc_id, claim_no"):
        if r["doc_id"] not in corpus.articles:
            continue
        claim = Claim(doc=r["doc_id"], value=r["value"], low=r["low"], high=r["high"], qualifier=r["qualifier"],
                      unit=r["unit"], item=r["item"], text=r["text"],
                      evidence=Evidence(r["evidence_sentence"], r["evidence_start"], r["evidence_end"]),
                      event_id=r["event_id"])
        out.append(SourcedClaim(claim=claim, source=corpus.source_of(r["doc_id"]), actor=r["actor"],
                                actors=frozenset(r["actors"] or ()), story=corpus.stories.get(r["doc_id"]),
                                citation=corpus.articles[r["doc_id"]].citation,
                                when=when_event.get(r["event_id"]) or _known_pub_date(corpus.articles[r["doc_id"]])))
    return out


def _known_pub_date(a: Article) -> str | None:
    """An article's publication date unless it was only inferred from the dates in its text."""
    return a.pub_date if a.pub_date_origin not in (None, "inferred") else None


# -- the sequence ------------------------------------------------------------------------------
def build_corpus(store: Store, rebuild: bool = True) -> Corpus:
    """Run the cross-article steps over a store opened for writing, save what they find, return the corpus.

    1. Near-duplicate articles (MinHash, LSH buckets as rows).
    2. Name variants of one person merged, with evidence.
    3. Reports of one event merged into corpus events, cell by cell.
    4. Articles clustered into stories.
    5. Claims found (once per document) and placed for reconciliation.

    ``maintain.update_corpus`` runs the steps; ``rebuild=False`` recomputes only what
    articles stored since the last build can change (what ``run`` and ``ingest`` do).
    """
    from .maintain import update_corpus
    from .tables import load

    update_corpus(store, rebuild=rebuild)
    return load(store)


def build(db: str) -> Corpus:
    """Open a store for writing, rebuild its corpus tables and return the corpus."""
    if not Path(db).exists():
        raise StoreError(f"{db}: no store here yet: run `entente run PATH --db {db}` first")
    with Store(db) as store:
        return build_corpus(store)


def _canon(a: Actor | None, canonical: dict[str, str]) -> Actor | None:
    if a is None or not a.person or a.person not in canonical:
        return a
    return replace(a, person=canonical[a.person], name=canonical[a.person])


def dyad_events(corpus: Corpus, a: str, b: str) -> list[CorpusEvent]:
    """The corpus events between two actors, either direction, dated first in date order."""
    want = {a.upper(), b.upper()}
    out = [ce for ce in corpus.corpus_events if ce.dyad == want]
    return sorted(out, key=lambda ce: (ce.date is None, ce.date or "", ce.docs[0]))


def figures_of(db: str, dyad: str | None = None) -> list[Figure]:
    """The figures of a store's claims (read from its corpus tables), optionally of one dyad."""
    from .tables import load_claims

    with Store(db, read_only=True) as store:
        return for_dyad(reconcile(load_claims(store)), dyad)
