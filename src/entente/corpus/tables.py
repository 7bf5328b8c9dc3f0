"""The corpus in the store: the records of ``build.py`` saved to their tables, and read back.

``save`` writes what ``build_corpus`` found; ``load`` reads a store (opened read-only)
back into a ``Corpus`` without recomputing anything, for ``export``, ``claims`` and the
Python API. ``load_dyad`` reads only what concerns two actors (the brief, the web app's
dyad page), and ``load_claims`` the claims with what reconciling them needs (their
source, story and date), all of them or those tied to some events.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Protocol

from ..actors.names import NameMerge
from ..claims.reconcile import SourcedClaim, reconcile
from ..model import Actor, Claim, Event, Evidence, Mention
from ..store import Store, date_label
from ..store.db import actor_cells
from ..store.queries import DEFAULT_MODALITIES
from ..store.schema import CORPUS_TABLES, table
from .build import Article, Corpus, CorpusEvent, stored_claims


# -- reading the per-article tables --------------------------------------------------------------
def _actor(row: dict[str, Any], side: str) -> Actor | None:
    if row.get(f"{side}_code") is None and row.get(f"{side}_text") is None:
        return None
    return Actor(text=row.get(f"{side}_text") or "", name=row.get(f"{side}_name"), country=row.get(f"{side}_country"),
                 igo=row.get(f"{side}_igo"), sector=row.get(f"{side}_sector"), person=row.get(f"{side}_person"),
                 parent=row.get(f"{side}_parent"))


def event_of(row: dict[str, Any]) -> Event:
    """An ``events`` row as the pipeline's ``Event``."""
    mentions = tuple(Evidence(m["sentence"], m["start"], m["end"]) for m in row["mentions"] or ())
    source = _actor(row, "source")
    assert source is not None, row["event_id"]
    return Event(
        event_id=row["event_id"], doc=row["doc_id"], source=source, target=_actor(row, "target"),
        cameo=row["cameo"], root=row["root"], goldstein=row["goldstein"], quad_class=row["quad_class"],
        plover=row["plover"], date=date_label(row["date_start"], row["date_precision"]),
        date_precision=row["date_precision"], date_source=row["date_source"], modality=row["modality"],
        evidence=Evidence(row["evidence_sentence"], row["evidence_start"], row["evidence_end"]),
        rule=row["rule"], mentions=mentions,
    )


def mention_of(m: dict[str, Any]) -> Mention:
    """An ``actor_mentions`` row as the pipeline's ``Mention``."""
    return Mention(doc=m["doc_id"], start=m["start"], end=m["end"], sentence=m["sentence_no"],
                   actor=Actor(text=m["text"] or "", name=m["name"], country=m["country"], igo=m["igo"],
                               sector=m["sector"], matched_by=m["matched_by"] or "", person=m["person"]))


def read_base(store: Store) -> Corpus:
    """The documents, events and actor mentions of a store, before any corpus step."""
    articles = {}
    for r in store.query("SELECT * FROM documents ORDER BY doc_id"):
        articles[r["doc_id"]] = Article(
            doc=r["doc_id"], content_hash=r["content_hash"], path=r["path"] or "", title=r["title"], url=r["url"],
            outlet=r["outlet"], pub_date=date_label(r["pub_date"], r["pub_date_precision"]),
            pub_date_origin=r["pub_date_origin"], text=r["text"] or "", processed_at=r["processed_at"])
    mentions = [mention_of(m) for m in store.query('SELECT * FROM actor_mentions ORDER BY doc_id, start, "end", name')]
    events = [event_of(r) for r in store.query("SELECT * FROM events ORDER BY doc_id, evidence_start, event_id")]
    return Corpus(articles=articles, events=events, mentions=mentions)


# -- writing the corpus tables -------------------------------------------------------------------
def corpus_row(ce: CorpusEvent) -> tuple[Any, ...]:
    from ..store import date_interval

    start, end, precision = date_interval(ce.date)
    return (ce.id, *actor_cells(ce.source), *actor_cells(ce.target), ce.cameo, ce.root, ce.goldstein,
            ce.quad_class, ce.plover, start, end, precision, ce.modality, ce.symmetric, ce.n_mentions,
            ce.n_sources, len(ce.events), ce.docs, [e.event_id for e in ce.events], ce.component)


def _insert(con: Any, name: str, rows: Iterable[tuple[Any, ...]]) -> None:
    rows = list(rows)
    if rows:
        con.executemany(f"INSERT INTO {name} VALUES ({','.join('?' * len(table(name).columns))})", rows)


def save(store: Store, corpus: Corpus) -> None:
    """Replace the corpus tables with what ``build_corpus`` found, and mark them fresh."""
    with store.corpus_rewrite() as con:
        for name in CORPUS_TABLES:
            con.execute(f"DELETE FROM {name}")
        _insert(con, "near_duplicates", [(d, k, s) for d, (k, s) in sorted(corpus.duplicates.items())])
        _insert(con, "stories", [(s, d) for d, s in sorted(corpus.stories.items())])
        _insert(con, "name_merges", [(m.canonical, m.variant, m.country, m.method, m.score,
                                      json.dumps(list(m.evidence), ensure_ascii=False)) for m in corpus.names])
        _insert(con, "corpus_events", [corpus_row(ce) for ce in corpus.corpus_events])


# -- reading the corpus tables -------------------------------------------------------------------
def corpus_event_of(row: dict[str, Any], by_id: dict[str, Event]) -> CorpusEvent:
    """A ``corpus_events`` row as a ``CorpusEvent``, with those of its reports that ``by_id`` holds."""
    source = _actor(row, "source")
    assert source is not None, row["corpus_event_id"]
    return CorpusEvent(
        id=row["corpus_event_id"], events=tuple(by_id[e] for e in row["event_ids"] if e in by_id), source=source,
        target=_actor(row, "target"), cameo=row["cameo"], root=row["root"], goldstein=row["goldstein"],
        quad_class=row["quad_class"], plover=row["plover"], date=date_label(row["date_start"], row["date_precision"]),
        date_precision=row["date_precision"], n_sources=row["n_sources"], modality=row["modality"],
        component=row.get("component"),
    )


def load(db: str | Store) -> Corpus:
    """A store's corpus as ``build_corpus`` left it, read without writing (the store opened read-only).

    Warns on stderr when articles were stored after the corpus tables were built (a run
    that stopped between the two): the next ``run`` or ``ingest`` rebuilds them.
    """
    if isinstance(db, Store):
        return _load(db)
    with Store(db, read_only=True) as store:
        return _load(store)


def _load(store: Store) -> Corpus:
    _warn_stale(store)
    corpus = read_base(store)
    by_id = {e.event_id: e for e in corpus.events}
    corpus.duplicates = {r["doc_id"]: (r["duplicate_of"], r["similarity"])
                         for r in store.query("SELECT * FROM near_duplicates")}
    corpus.stories = {r["doc_id"]: r["story"] for r in store.query("SELECT * FROM stories")}
    corpus.names = name_merges_of(store.query("SELECT * FROM name_merges"))
    corpus.canonical = {m.variant: m.canonical for m in corpus.names}
    rows = store.query("SELECT * FROM corpus_events ORDER BY rowid")
    corpus.corpus_events = [corpus_event_of(r, by_id) for r in rows]
    corpus.claims = stored_claims(store, corpus)
    return corpus


def _warn_stale(store: Reader) -> None:
    if store.corpus_stale():
        print(f"entente: warning: the corpus tables of {store.path} are older than its articles: "
              f"run `entente migrate --db {store.path}` to rebuild them", file=sys.stderr)


def name_merges_of(rows: Iterable[dict[str, Any]]) -> list[NameMerge]:
    """``name_merges`` rows as ``NameMerge`` records."""
    return [NameMerge(canonical=r["canonical"], variant=r["variant"], country=r["country"], method=r["method"],
                      score=r["score"], evidence=tuple(json.loads(r["evidence"] or "[]"))) for r in rows]


#: The columns of ``documents`` that ``article_of`` needs, but the text and when it was processed.
ARTICLE_COLUMNS = ("doc_id", "content_hash", "path", "title", "url", "outlet", "pub_date", "pub_date_precision",
                   "pub_date_origin")


def article_of(r: dict[str, Any]) -> Article:
    """A ``documents`` row as an ``Article`` (its text left empty, and when it was processed unknown, when the row
    has none: ``ARTICLE_COLUMNS`` are enough)."""
    return Article(doc=r["doc_id"], content_hash=r["content_hash"], path=r["path"] or "", title=r["title"],
                   url=r["url"], outlet=r["outlet"], pub_date=date_label(r["pub_date"], r["pub_date_precision"]),
                   pub_date_origin=r["pub_date_origin"], text=r.get("text") or "", processed_at=r.get("processed_at"))


class Reader(Protocol):
    """What the readers below ask of a store: a ``Store``, or another read-only connection to one."""

    path: str

    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]: ...

    def corpus_stale(self) -> bool: ...


#: The corpus events between two actors, either direction (parameters: the two keys in order).
DYAD_EVENTS = "SELECT * FROM corpus_events WHERE least(source_key, target_key) = ? AND greatest(source_key, target_key) = ?"


def load_dyad(db: str | Reader, a: str, b: str) -> Corpus:
    """The part of a store's corpus that concerns actors ``a`` and ``b``: their corpus events, the
    per-article events merged in them (without their mentions), the claims that may share a
    figure with a claim tied to those events, the articles of both (without their text), and
    the name merges of their people.

    ``make_brief`` gives the same brief from it as from the whole corpus, in time that grows
    with the dyad rather than the store.
    """
    if not isinstance(db, str):
        return _load_dyad(db, a.upper(), b.upper())
    with Store(db, read_only=True) as store:
        return _load_dyad(store, a.upper(), b.upper())


def _load_dyad(store: Reader, a: str, b: str) -> Corpus:
    _warn_stale(store)
    pair = sorted((a, b))
    dyad = store.query(f"{DYAD_EVENTS} ORDER BY rowid", pair)
    # the events without their mentions: a brief quotes the evidence, never the mentions, and reading
    # that column (a list of structs) costs more than every other column together
    events = [event_of(r) for r in store.query(
        "SELECT * REPLACE (NULL AS mentions) FROM events WHERE event_id IN (SELECT unnest(?)) "
        "ORDER BY doc_id, evidence_start, event_id", [[e for r in dyad for e in r["event_ids"]]])]
    claims = load_claims(store, [e.event_id for e in events])
    docs = sorted({e.doc for e in events} | {c.claim.doc for c in claims})
    articles = {r["doc_id"]: article_of(r) for r in store.query(
        "SELECT * EXCLUDE (text) FROM documents WHERE doc_id IN (SELECT unnest(?)) ORDER BY doc_id, content_hash", [docs])}
    corpus = Corpus(articles=articles, events=events, mentions=[], claims=claims)
    corpus.duplicates = {r["doc_id"]: (r["duplicate_of"], r["similarity"]) for r in store.query(
        "SELECT * FROM near_duplicates WHERE doc_id IN (SELECT unnest(?))", [docs])}
    corpus.stories = {r["doc_id"]: r["story"] for r in store.query(
        "SELECT * FROM stories WHERE doc_id IN (SELECT unnest(?))", [docs])}
    by_id = {e.event_id: e for e in events}
    corpus.corpus_events = [corpus_event_of(r, by_id) for r in dyad]
    people = sorted({side.person for ce in corpus.corpus_events for side in (ce.source, ce.target)
                     if side is not None and side.person})
    corpus.names = name_merges_of(store.query("SELECT * FROM name_merges WHERE list_contains(?, canonical)", [people]))
    corpus.canonical = {m.variant: m.canonical for m in corpus.names}
    return corpus


def load_claims(store: Reader, event_ids: list[str] | None = None) -> list[SourcedClaim]:
    """The stored claims, each with its source (near-duplicates count as the article they copy),
    story, citation and date, as ``reconcile`` needs them.

    Given ``event_ids``, only the claims that could share a figure with a claim tied to one of
    those events: the claims about the same actors (a figure is one actor's quantity). The
    date is that of the real-world event the claim belongs to, else its article's known
    publication date (as ``build.stored_claims``).
    """
    return [sourced_claim(r) for r in _claim_rows(store.query, event_ids)]


def _claim_rows(query: Any, event_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """``load_claims``'s rows: each claim with its article, near-duplicate, story and event's date."""
    where = ("WHERE c.actor IN (SELECT actor FROM claims WHERE event_id IN (SELECT unnest(?)))"
             if event_ids is not None else "")
    return query(  # type: ignore[no-any-return]
        "SELECT c.*, d.path, d.title, d.url, d.outlet, d.pub_date, d.pub_date_precision, d.pub_date_origin, "
        "nd.duplicate_of, s.story, w.date_start AS when_start, w.date_precision AS when_precision "
        "FROM claims c JOIN documents d ON d.content_hash = c.content_hash "
        "LEFT JOIN near_duplicates nd ON nd.doc_id = c.doc_id LEFT JOIN stories s ON s.doc_id = c.doc_id "
        "LEFT JOIN (SELECT unnest(event_ids) AS event_id, date_start, date_precision FROM corpus_events) w "
        f"ON w.event_id = c.event_id {where} "
        "QUALIFY row_number() OVER (PARTITION BY c.content_hash, c.claim_no) = 1 ORDER BY c.doc_id, c.claim_no",
        [event_ids] if event_ids is not None else None)


def claim_of(r: dict[str, Any]) -> Claim:
    """A ``claims`` row as a ``Claim``."""
    return Claim(doc=r["doc_id"], value=r["value"], low=r["low"], high=r["high"], qualifier=r["qualifier"],
                 unit=r["unit"], item=r["item"], text=r["text"],
                 evidence=Evidence(r["evidence_sentence"], r["evidence_start"], r["evidence_end"]),
                 event_id=r["event_id"])


def sourced_claim(r: dict[str, Any]) -> SourcedClaim:
    """A row of ``load_claims`` as a ``SourcedClaim``."""
    article = article_of(r)
    known_pub = article.pub_date if article.pub_date_origin not in (None, "inferred") else None
    return SourcedClaim(claim=claim_of(r), source=r["duplicate_of"] or r["doc_id"], actor=r["actor"],
                        actors=frozenset(r["actors"] or ()), story=r["story"], citation=article.citation,
                        when=date_label(r["when_start"], r["when_precision"]) or known_pub)


# -- the figures of each dyad ------------------------------------------------------------------------
#: The dyads a claim is tied to: those with a report (not negated) it was read with.
CLAIM_DYADS = ("SELECT DISTINCT event_id, actor_a, actor_b FROM dyad_reports WHERE event_id IN "
               "(SELECT event_id FROM claims) AND modality IN ({})".format(
                   ", ".join(repr(m) for m in DEFAULT_MODALITIES)))


def write_dyad_figures(con: Any) -> None:
    """Write ``dyad_figures`` again: every figure of the store (``reconcile`` of every claim), listed for each
    dyad one of whose reports a claim of it was read with, which is what the brief of the dyad shows.

    ``dyad_reports`` must be written first; ``Store.corpus_rewrite`` writes both.
    """
    from .maintain import _insert

    def query(sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        cur = con.execute(sql, params or [])
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    found = _claim_rows(query)
    claims = [sourced_claim(r) for r in found]
    keys = {id(c): (r["content_hash"], r["doc_id"], r["claim_no"]) for c, r in zip(claims, found, strict=True)}
    dyads: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for event_id, a, b in con.execute(CLAIM_DYADS).fetchall():
        dyads[event_id].append((a, b))
    out = []
    for k, f in enumerate(reconcile(claims), 1):
        for a, b in sorted({d for c in f.claims if c.claim.event_id for d in dyads.get(c.claim.event_id, ())}):
            out += [(a, b, k, m, *keys[id(c)], c.source, c.story, c.citation, c.when)
                    for m, c in enumerate(f.claims, 1)]
    con.execute("DELETE FROM dyad_figures")
    _insert(con, "dyad_figures", sorted(out, key=lambda r: (r[0], r[1], r[2], r[3])))
