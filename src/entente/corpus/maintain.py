"""The corpus tables kept up to date: only what new articles can change is recomputed.

``update_corpus(store)`` runs after ``run`` or ``ingest`` stored articles. Every step is a
function of small blocks, so adding articles recomputes only the blocks they touch, and
the result equals a full rebuild (``tests/test_incremental.py`` checks it):

1. **Sketches.** Each new article is cleaned once and sketched (``dedup.sketch``); its
   LSH buckets go to ``lsh_buckets`` and its claims are found (``build.ensure_claims``).
2. **Links.** A self-join of ``lsh_buckets`` on ``(kind, band, bucket)`` gives the
   candidate pairs that involve a new article; those similar enough become ``doc_links``.
3. **Groups.** Near-duplicate groups and stories are connected components of the links.
   Components only grow when articles are added: the components a new link touches
   are merged, and only their rows of ``near_duplicates`` and ``stories`` rewritten.
4. **Names.** Spellings of one person are merged within the people of one country
   (``actors.names.merge_names``): only the countries of the new articles' people are
   merged again.
5. **Events.** Reports of one blocking cell (``build.cell_key``: actor pair, CAMEO family,
   modality) with compatible dates are linked when ``build.link_weight``, a function of the
   two reports alone, says they may be one event; the corpus events are the linked reports
   joined best link first, one connected component at a time. New reports, reports whose
   person's canonical name changed and those of articles whose near-duplicate group changed
   are compared with their candidates; the components they and the reports they link to
   belong to (``corpus_events.component``) are merged again, and only their rows replaced.

A store whose articles were replaced or removed, a store upgraded from an older schema
and ``rebuild=True`` (``entente corpus --rebuild``) get a full rebuild: the same steps
with every article new. Everything happens in one transaction, with ``meta.corpus_state``
set to ``fresh`` at its end; a crash leaves the tables as they were, marked stale, and
the next ``run``, ``ingest``, ``migrate`` or ``corpus`` brings them up to date.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from ..actors.names import NameMerge, _context, merge_names
from ..events.merging import _symmetric_ids
from ..model import Event, Mention
from ..store import Store
from ..store.schema import table
from .build import (
    Article,
    _canon,
    block_key,
    document_claims,
    document_of,
    link_weight,
    merge_across,
)
from .dedup import (
    DUPLICATE,
    MAX_STORY_BUCKET,
    MINHASH_PERMUTATIONS,
    NEAR_DUPLICATE,
    STORY,
    STORY_SIMILARITY,
    Sketch,
    components,
    duplicate_similarity,
    sketch,
)

#: The blocking cell of an ``events`` row in SQL, equal to ``build.cell_key`` of its event.
CELL_SQL = ("concat_ws('|', least(coalesce(source_key, ''), coalesce(target_key, '')), "
            "greatest(coalesce(source_key, ''), coalesce(target_key, '')), substr(cameo, 1, 3), modality)")
#: The date of an ``events`` row as ``compatible_dates`` compares it: the characters of its label.
_LABEL_LENGTH = "CASE date_precision WHEN 'year' THEN 4 WHEN 'month' THEN 7 ELSE 10 END"
#: Pairs (touched report, other report) worth a link: the same cell, other articles, dates
#: that agree at the coarser precision or one undated (``events.merging.compatible_dates``):
#: ``build.link_weight`` decides. An undated report meets every report of its cell.
#: Reports of one block only (``build.block_key``): both actors known, and the same direction
#: unless both are symmetric (``events.merging.is_symmetric``; parameter: the symmetric pattern ids).
CANDIDATES_SQL = (
    f"WITH e AS (SELECT event_id, doc_id, {CELL_SQL} AS cell, date_start AS d, {_LABEL_LENGTH} AS p, "
    "source_key AS sk, target_key AS tk, (split_part(rule, ':', 1) IN (SELECT unnest(?::VARCHAR[])) "
    "OR contains(rule, '+sentence') OR contains(rule, '+dyad')) AS sym FROM events "
    "WHERE source_key IS NOT NULL AND target_key IS NOT NULL), "
    "t AS (SELECT * FROM e SEMI JOIN _dirty USING (event_id)) "
    "SELECT t.event_id, o.event_id FROM t JOIN e o ON o.cell = t.cell AND o.doc_id <> t.doc_id AND o.sym = t.sym "
    "WHERE (t.sym OR (o.sk = t.sk AND o.tk = t.tk)) "
    "AND o.event_id NOT IN (SELECT event_id FROM _dirty) AND (t.d IS NULL OR o.d IS NULL OR "
    "(year(t.d) = year(o.d) AND (least(t.p, o.p) = 4 OR (month(t.d) = month(o.d) AND (least(t.p, o.p) = 7 "
    "OR t.d = o.d))))) ORDER BY ALL")
#: ``dedup.duplicate_similarity`` of two ``doc_sketches`` rows ``sx`` and ``sy``, in SQL.
DUPLICATE_SQL = (f"list_sum(list_transform(list_zip(sx.minhash, sy.minhash), lambda p: (p[1] = p[2])::INTEGER)) "
                 f"/ {MINHASH_PERMUTATIONS}")
#: ``dedup.story_similarity`` (Jaccard of the content words; both lists are distinct), in SQL.
#: It is computed from columns ``i``, ``lx`` and ``ly`` (``STORY_PARTS``), so that the intersection,
#: most of the cost, is computed once.
STORY_SQL = "i / (lx + ly - i)"
STORY_PARTS = "len(list_intersect(sx.words, sy.words)) AS i, len(sx.words) AS lx, len(sy.words) AS ly"
#: The country a person's spellings are compared within (``merge_names``: that of the first mention).
GROUP_SQL = "coalesce(country, 'IGO:' || igo)"
#: DuckDB's memory while the corpus step runs: its joins and sorts spill to disk past it
#: (at 100,000 articles the candidate join took 6.9 GB without a limit and 2.4 GB with this
#: one, for 1.5x the time).
DUCKDB_MEMORY = "2GB"
#: Articles cleaned, sketched and searched for claims per round (memory stays flat).
ARTICLE_CHUNK = 2000
#: New articles whose candidate pairs are found and scored per round (memory stays flat).
LINK_CHUNK = 5000
#: Rows appended per statement (through Arrow).
INSERT_CHUNK = 50_000


@dataclass(frozen=True, slots=True)
class Update:
    """What one corpus update did."""

    new_docs: int  # articles sketched and linked as new
    rebuilt: bool  # every corpus table recomputed
    links: int  # pairs found one text or one story
    cells: int  # blocking cells of reports merged again
    countries: int  # countries whose people's names were merged again
    reports: int = 0  # reports merged again (those of the link components new reports touch)


def update_corpus(store: Store, rebuild: bool = False) -> Update:
    """Bring the corpus tables of a store opened for writing up to date (see the module docstring)."""
    con = store.con
    limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    con.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
    try:
        with store.corpus_rewrite():
            update = _update(store, rebuild)
    finally:
        con.execute(f"SET memory_limit = '{limit}'")
    return update


def _update(store: Store, rebuild: bool) -> Update:
    con = store.con
    gone = con.execute("SELECT count(*) FROM doc_sketches s ANTI JOIN documents d "
                       "ON d.doc_id = s.doc_id AND d.content_hash = s.content_hash").fetchone()[0]
    sketched = con.execute("SELECT count(*) FROM doc_sketches").fetchone()[0]
    unmerged = con.execute("SELECT NOT EXISTS (SELECT 1 FROM corpus_events) AND EXISTS (SELECT 1 FROM events)").fetchall()[0][0]
    full = rebuild or gone > 0 or sketched == 0 or unmerged  # unmerged: upgraded from schema 4
    if full:
        for name in ("near_duplicates", "stories", "name_merges", "corpus_events", "doc_links"):
            con.execute(f"DELETE FROM {name}")
        if rebuild:
            con.execute("DELETE FROM doc_sketches")
        else:  # sketches of texts still stored stay valid (a sketch depends on its text alone)
            con.execute("DELETE FROM doc_sketches s WHERE NOT EXISTS (SELECT 1 FROM documents d "
                        "WHERE d.doc_id = s.doc_id AND d.content_hash = s.content_hash)")
        con.execute("DELETE FROM lsh_buckets WHERE doc_id NOT IN (SELECT doc_id FROM doc_sketches)")
        con.execute("CREATE OR REPLACE TEMP TABLE _new AS SELECT doc_id FROM documents")
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE _new AS SELECT doc_id FROM documents "
                    "WHERE doc_id NOT IN (SELECT doc_id FROM doc_sketches)")
    new = [r[0] for r in con.execute("SELECT doc_id FROM _new ORDER BY doc_id").fetchall()]
    # 1.
    _sketch_and_claim(store)
    # 2.
    found, removed = _link_new(store)
    # 3.
    moved = _regroup(store, found, kinds=(DUPLICATE,), new=new)
    _regroup(store, found, kinds=None, new=new, unlinked=removed)
    # 4.
    countries, renamed = _remerge_names(store, full)
    # 5.
    cells, reports = _remerge_events(store, full, moved, renamed)
    con.execute("DROP TABLE _new")
    return Update(new_docs=len(new), rebuilt=full, links=len(found), cells=cells, countries=countries,
                  reports=reports)


# -- 1. sketches and claims ------------------------------------------------------------------------
def _articles(store: Store, docs: list[str]) -> Iterator[Article]:
    from .tables import article_of

    cur = store.con.execute("SELECT * FROM documents WHERE doc_id IN (SELECT unnest(?)) ORDER BY doc_id", [docs])
    names = [c[0] for c in cur.description]
    while rows := cur.fetchmany(1000):
        for row in rows:
            yield article_of(dict(zip(names, row, strict=True)))


def _sketch_and_claim(store: Store) -> None:
    """Sketch the new articles without a sketch, and find the claims of every article without any.

    Articles are read and written ``ARTICLE_CHUNK`` at a time, so memory stays flat.
    """
    from ..actors.kb import load_kb
    from ..documents.cleaning import clean

    con = store.con
    unsketched = {r[0] for r in con.execute(
        "SELECT doc_id FROM _new WHERE doc_id NOT IN (SELECT doc_id FROM doc_sketches)").fetchall()}
    unclaimed = {r[0] for r in con.execute(
        "SELECT doc_id FROM documents WHERE doc_id NOT IN (SELECT doc_id FROM claim_docs)").fetchall()}
    todo = sorted(unsketched | unclaimed)
    if not todo:
        return
    places = load_kb(()).place_names()
    for k in range(0, len(todo), ARTICLE_CHUNK):
        chunk = todo[k: k + ARTICLE_CHUNK]
        articles = list(_articles(store, chunk))
        claimed = sorted(unclaimed.intersection(chunk))
        events, mentions = _per_doc(store, claimed) if claimed else ({}, {})
        sketches, buckets, claims, marks = [], [], [], []
        for a in articles:
            cd = clean(document_of(a), places)
            if a.doc in unsketched:
                s = sketch(a.doc, cd.text)
                sketches.append((a.doc, a.content_hash, list(s.minhash), list(s.words)))
                buckets += [(kind, band, bucket, a.doc) for kind, band, bucket in s.buckets]
            if a.doc in unclaimed:
                found = document_claims(cd, events.get(a.doc, []), mentions.get(a.doc, []))
                for n, (lc, actor, actors) in enumerate(found):
                    c = lc.claim
                    claims.append((a.content_hash, a.doc, n, c.value, c.low, c.high, c.qualifier, c.unit, c.item,
                                   c.text, c.evidence.sentence, c.evidence.start, c.evidence.end, c.event_id, actor,
                                   sorted(actors)))
                marks.append((a.doc, a.content_hash, len(found)))
        _insert(con, "doc_sketches", sketches)
        _insert(con, "lsh_buckets", buckets)
        _insert(con, "claims", claims)
        _insert(con, "claim_docs", marks)


def _insert(con: Any, name: str, rows: list[tuple[Any, ...]]) -> None:
    """Append rows to a table through Arrow (DuckDB's ``executemany`` costs a statement per row)."""
    import pyarrow as pa

    if not rows:
        return
    cols = table(name).column_names
    for k in range(0, len(rows), INSERT_CHUNK):
        chunk = rows[k: k + INSERT_CHUNK]
        con.register("_rows", pa.table({f"c{i}": pa.array([r[i] for r in chunk]) for i in range(len(cols))}))
        con.execute(f"INSERT INTO {name} SELECT {', '.join(f'c{i}' for i in range(len(cols)))} FROM _rows")
        con.unregister("_rows")


def _per_doc(store: Store, docs: list[str]) -> tuple[dict[str, list[Event]], dict[str, list[Mention]]]:
    """The events and actor mentions of some articles, by article, in the order ``tables.read_base`` reads them."""
    from .tables import event_of, mention_of

    events: dict[str, list[Event]] = defaultdict(list)
    for r in store.query("SELECT * FROM events WHERE doc_id IN (SELECT unnest(?)) ORDER BY doc_id, evidence_start, event_id",
                         [docs]):
        events[r["doc_id"]].append(event_of(r))
    mentions: dict[str, list[Mention]] = defaultdict(list)
    for r in store.query('SELECT * FROM actor_mentions WHERE doc_id IN (SELECT unnest(?)) ORDER BY doc_id, start, "end", name',
                         [docs]):
        mentions[r["doc_id"]].append(mention_of(r))
    return events, mentions


# -- 2. links --------------------------------------------------------------------------------------
def _sketches(store: Store, docs: Iterable[str]) -> dict[str, Sketch]:
    rows = store.con.execute("SELECT doc_id, minhash, words FROM doc_sketches WHERE doc_id IN (SELECT unnest(?))",
                             [sorted(set(docs))]).fetchall()
    return {d: Sketch(doc=d, minhash=tuple(m), words=tuple(w), buckets=()) for d, m, w in rows}


def _link_new(store: Store) -> tuple[list[tuple[str, str, str, float]], list[tuple[str, str]]]:
    """Find the links of new articles and drop the story links no open bucket supports any more.

    Candidates are the pairs sharing a bucket with a new article: one self-join of
    ``lsh_buckets``, leaving out story buckets of more than ``MAX_STORY_BUCKET`` articles.
    They are checked in SQL (``dedup.link`` does the same in Python). A story bucket that
    new articles fill past the limit closes: the links it alone supported go.
    Returns the new links and the (doc, other doc) story links removed.
    """
    con = store.con
    con.execute("CREATE OR REPLACE TEMP TABLE _sizes AS SELECT kind, band, bucket, count(*) AS n, "
                "count(*) FILTER (WHERE doc_id NOT IN (SELECT doc_id FROM _new)) AS n_old FROM lsh_buckets "
                "SEMI JOIN (SELECT kind, band, bucket FROM lsh_buckets WHERE doc_id IN (SELECT doc_id FROM _new)) "
                "USING (kind, band, bucket) GROUP BY ALL")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _open AS SELECT kind, band, bucket FROM _sizes "
                f"WHERE kind = '{DUPLICATE}' OR n <= {MAX_STORY_BUCKET}")  # closed buckets never reach the join
    new = [r[0] for r in con.execute("SELECT doc_id FROM _new ORDER BY doc_id").fetchall()]
    found: list[tuple[Any, ...]] = []
    for k in range(0, len(new), LINK_CHUNK):  # a pair of two new articles is found from the first
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _candidates AS SELECT DISTINCT a.kind, least(a.doc_id, b.doc_id) AS x, "
            "greatest(a.doc_id, b.doc_id) AS y FROM (SELECT * FROM lsh_buckets WHERE doc_id IN (SELECT unnest(?))) a "
            "SEMI JOIN _open USING (kind, band, bucket) JOIN lsh_buckets b USING (kind, band, bucket) "
            "WHERE a.doc_id <> b.doc_id AND (a.doc_id < b.doc_id OR b.doc_id NOT IN (SELECT doc_id FROM _new))",
            [new[k: k + LINK_CHUNK]])
        for kind, parts, sim, threshold in ((DUPLICATE, f"{DUPLICATE_SQL} AS d", "d", NEAR_DUPLICATE),
                                            (STORY, STORY_PARTS, STORY_SQL, STORY_SIMILARITY)):
            found += con.execute(
                f"SELECT * FROM (SELECT kind, x, y, {sim} AS sim FROM (SELECT c.kind, c.x, c.y, {parts} "
                "FROM _candidates c JOIN doc_sketches sx ON sx.doc_id = c.x JOIN doc_sketches sy ON sy.doc_id = c.y "
                "WHERE c.kind = ?)) WHERE sim >= ?", [kind, threshold]).fetchall()
        con.execute("DROP TABLE _candidates")
    found.sort()
    # the story buckets this batch closed: too big now, not before it
    closed = f"kind = '{STORY}' AND n > {MAX_STORY_BUCKET} AND n_old <= {MAX_STORY_BUCKET}"
    closing = con.execute(f"SELECT count(*) FROM _sizes WHERE {closed}").fetchall()[0][0]
    removed = [] if not closing else [tuple(r) for r in con.execute(
        # only buckets this batch closed can take away a link's last support
        f"WITH closed AS (SELECT band, bucket FROM _sizes WHERE {closed}), "
        f"story AS (SELECT band, bucket, doc_id FROM lsh_buckets WHERE kind = '{STORY}'), "
        "members AS (SELECT * FROM story SEMI JOIN closed USING (band, bucket)), "
        "suspects AS (SELECT DISTINCT l.doc_id, l.other_doc_id FROM doc_links l "
        "JOIN members a ON a.doc_id = l.doc_id "
        f"JOIN members b ON b.doc_id = l.other_doc_id AND b.band = a.band AND b.bucket = a.bucket WHERE l.kind = '{STORY}'), "
        "shared AS (SELECT s.doc_id, s.other_doc_id, a.band, a.bucket FROM suspects s JOIN story a ON a.doc_id = s.doc_id "
        "JOIN story b ON b.doc_id = s.other_doc_id AND b.band = a.band AND b.bucket = a.bucket), "
        "sizes AS (SELECT band, bucket, count(*) AS n FROM story SEMI JOIN shared USING (band, bucket) GROUP BY ALL) "
        "SELECT doc_id, other_doc_id FROM shared JOIN sizes USING (band, bucket) GROUP BY ALL "
        f"HAVING min(n) > {MAX_STORY_BUCKET} ORDER BY ALL").fetchall()]
    if removed:
        con.executemany("DELETE FROM doc_links WHERE kind = ? AND doc_id = ? AND other_doc_id = ?",
                        [(STORY, a, b) for a, b in removed])
    _insert(con, "doc_links", found)  # type: ignore[arg-type]
    con.execute("DROP TABLE _sizes")
    con.execute("DROP TABLE _open")
    return found, removed  # type: ignore[return-value]


# -- 3. near-duplicate groups and stories ------------------------------------------------------------
def _regroup(store: Store, found: list[tuple[str, str, str, float]], kinds: tuple[str, ...] | None,
             new: list[str], unlinked: list[tuple[str, str]] = ()) -> set[str]:  # type: ignore[assignment]
    """Group again the components the new (and removed) links touch; returns the articles whose rows were rewritten.

    ``kinds=(DUPLICATE,)``: near-duplicate groups (``near_duplicates``, the kept article is the
    first by id). ``None``: stories (``stories``), made of both kinds of links.
    """
    con = store.con
    ends = sorted({d for kind, a, b, _ in found if kinds is None or kind in kinds for d in (a, b)}
                  | {d for pair in unlinked for d in pair})
    old = ("SELECT doc_id, substr(story, 7) AS root FROM stories" if kinds is None
           else "SELECT doc_id, duplicate_of AS root FROM near_duplicates")
    # the members of every component a new link touches: the link's ends and whoever shares their root
    root_of = dict(con.execute(f"SELECT * FROM ({old}) WHERE doc_id IN (SELECT unnest(?))", [ends]).fetchall())
    touched = sorted({root_of.get(d, d) for d in ends})
    members = {r[0] for r in con.execute(f"SELECT doc_id FROM ({old}) WHERE root IN (SELECT unnest(?))", [touched]).fetchall()}
    members |= set(ends) | set(touched)
    where_kind = "" if kinds is None else "kind = 'duplicate' AND "
    pairs = con.execute(f"SELECT doc_id, other_doc_id FROM doc_links WHERE {where_kind}doc_id IN (SELECT unnest(?))",
                        [sorted(members)]).fetchall() if members else []
    roots = components(sorted(members), pairs)
    if kinds is None:
        roots |= {d: d for d in new if d not in roots}
        con.execute("DELETE FROM stories WHERE doc_id IN (SELECT unnest(?))", [sorted(roots)])
        _insert(con, "stories", [("story:" + r, d) for d, r in sorted(roots.items())])
        return set(roots)
    con.execute("DELETE FROM near_duplicates WHERE doc_id IN (SELECT unnest(?))", [sorted(roots)])
    sketches = _sketches(store, roots)
    _insert(con, "near_duplicates", [(d, r, duplicate_similarity(sketches[d], sketches[r]))
                                      for d, r in sorted(roots.items()) if r != d])
    return set(roots)


# -- 4. names --------------------------------------------------------------------------------------
def _remerge_names(store: Store, full: bool) -> tuple[int, set[str]]:
    """Merge again the spellings of the people of the countries new articles mention people of.

    Returns how many countries, and the spellings whose canonical name changed.
    """
    con = store.con
    first = f'first({GROUP_SQL} ORDER BY doc_id, start, "end", name)'
    if full:
        groups = [r[0] for r in con.execute(
            f"SELECT DISTINCT {first} FROM actor_mentions WHERE person IS NOT NULL GROUP BY person").fetchall()]
    else:  # the country of a person of a new article, before and after it
        groups = [r[0] for r in con.execute(
            f"WITH p AS (SELECT person, {first} AS now, "
            f"{first} FILTER (WHERE doc_id NOT IN (SELECT doc_id FROM _new)) AS was, "
            "count(*) FILTER (WHERE doc_id NOT IN (SELECT doc_id FROM _new)) AS n_old FROM actor_mentions "
            "WHERE person IN (SELECT person FROM actor_mentions WHERE doc_id IN (SELECT doc_id FROM _new)) GROUP BY person) "
            "SELECT now FROM p UNION SELECT was FROM p WHERE n_old > 0").fetchall()]
    if not groups:
        return 0, set()
    in_groups = "(g IN (SELECT unnest(?)) OR (g IS NULL AND ?))"
    params = [[g for g in groups if g is not None], None in groups]
    people = f"SELECT person FROM (SELECT person, {first} AS g FROM actor_mentions WHERE person IS NOT NULL GROUP BY person) WHERE {in_groups}"
    from .tables import mention_of

    mentions = [mention_of(r) for r in store.query(
        f'SELECT doc_id, start, "end", sentence_no, text, name, country, igo, sector, matched_by, person '
        f'FROM actor_mentions WHERE person IN ({people}) ORDER BY doc_id, start, "end", name', params)]
    merges = _with_contexts(store, merge_names(mentions))
    where = "(country IN (SELECT unnest(?)) OR (country IS NULL AND ?))"
    before = dict(con.execute(f"SELECT variant, canonical FROM name_merges WHERE {where}", params).fetchall())
    con.execute(f"DELETE FROM name_merges WHERE {where}", params)
    _insert(con, "name_merges", [(m.canonical, m.variant, m.country, m.method, m.score,
                                  json.dumps(list(m.evidence), ensure_ascii=False)) for m in merges])
    after = {m.variant: m.canonical for m in merges}
    renamed = {v for v in before.keys() | after.keys() if before.get(v) != after.get(v)}
    return len(groups), renamed


def _with_contexts(store: Store, merges: list[NameMerge]) -> list[NameMerge]:
    """The merges with the context of each spelling in their evidence, the texts read in one query.

    ``merge_names`` without the articles leaves every context empty; the texts of the
    articles a merge cites are read once, rather than every article of every person.
    """
    docs = sorted({e["doc"] for m in merges for e in m.evidence})
    texts = dict(store.con.execute("SELECT doc_id, text FROM documents WHERE doc_id IN (SELECT unnest(?))",
                                   [docs]).fetchall()) if docs else {}
    return [replace(m, evidence=tuple({**e, "context": _context(texts.get(e["doc"]) or "", e["form"])}
                                      for e in m.evidence)) for m in merges]


# -- 5. events across articles ---------------------------------------------------------------------
def _remerge_events(store: Store, full: bool, moved: set[str], renamed: set[str]) -> tuple[int, int]:
    """Merge again the reports of every link component that new reports, renamed people or regrouped articles touch.

    The touched reports (``_dirty``: those of new articles, of articles whose near-duplicate
    group changed, of renamed people) are compared with the reports of their cell whose
    dates are compatible (``CANDIDATES_SQL``); the components of the touched reports and of
    those they link to are deleted and merged again, with every report they hold. A link
    depends on its two reports alone (``build.link_weight``), so this gives the rows of a
    full build: a report outside those components links to none inside them. Returns how
    many cells the reports merged again belong to, and how many reports.
    """
    con = store.con
    canonical = dict(con.execute("SELECT variant, canonical FROM name_merges").fetchall())
    source_of = dict(con.execute("SELECT doc_id, duplicate_of FROM near_duplicates").fetchall())
    if full:
        return _merge_reports(store, "events", canonical, source_of)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _dirty AS SELECT event_id FROM events "
        "WHERE doc_id IN (SELECT doc_id FROM _new) OR doc_id IN (SELECT unnest(?)) "
        "OR source_person IN (SELECT unnest(?)) OR target_person IN (SELECT unnest(?))",
        [sorted(moved), sorted(renamed), sorted(renamed)])
    if not con.execute("SELECT count(*) FROM _dirty").fetchall()[0][0]:
        con.execute("DROP TABLE _dirty")
        return 0, 0
    pairs = con.execute(CANDIDATES_SQL, [sorted(_symmetric_ids())]).fetchall()
    linked = _linked(store, pairs, canonical)
    con.execute("CREATE OR REPLACE TEMP TABLE _hit AS SELECT event_id FROM _dirty UNION SELECT unnest(?::VARCHAR[])",
                [sorted(linked)])
    con.execute("CREATE OR REPLACE TEMP TABLE _components AS SELECT DISTINCT component FROM "
                "(SELECT component, unnest(event_ids) AS event_id FROM corpus_events) SEMI JOIN _hit USING (event_id)")
    con.execute("CREATE OR REPLACE TEMP TABLE _redo AS SELECT event_id FROM _hit UNION "
                "SELECT unnest(event_ids) FROM corpus_events WHERE component IN (SELECT component FROM _components)")
    con.execute("DELETE FROM corpus_events WHERE component IN (SELECT component FROM _components)")
    merged = _merge_reports(store, "(SELECT * FROM events SEMI JOIN _redo USING (event_id))", canonical, source_of)
    for name in ("_dirty", "_hit", "_components", "_redo"):
        con.execute(f"DROP TABLE {name}")
    return merged


def _canonical_event(e: Event, canonical: dict[str, str]) -> Event:
    """A report with its people under their canonical names, as ``merge_across`` compares them."""
    source, target = _canon(e.source, canonical) or e.source, _canon(e.target, canonical)
    return e if source is e.source and target is e.target else replace(e, source=source, target=target)


def _linked(store: Store, pairs: list[tuple[str, str]], canonical: dict[str, str]) -> set[str]:
    """The candidates of the touched reports that a link (``build.link_weight``) joins to one of them."""
    from .tables import event_of

    if not pairs:
        return set()
    ids = sorted({x for pair in pairs for x in pair})
    events = {r["event_id"]: _canonical_event(event_of(r), canonical) for r in store.query(
        "SELECT * FROM events WHERE event_id IN (SELECT unnest(?))", [ids])}
    blocks = {x: block_key(e) for x, e in events.items()}
    vectors: dict[str, dict[str, float]] = {}
    out = set()
    for dirty, other in pairs:
        if other not in out and blocks[dirty] is not None and blocks[dirty] == blocks[other] \
                and link_weight(events[dirty], events[other], canonical, vectors) is not None:
            out.add(other)
    return out


def _merge_reports(store: Store, source: str, canonical: dict[str, str],
                   source_of: dict[str, str]) -> tuple[int, int]:
    """Merge the reports of ``source`` (a table or subquery of ``events`` rows) cell by cell; (cells, reports)."""
    from .tables import corpus_row, event_of

    con = store.con
    cur = con.execute(f"SELECT *, {CELL_SQL} AS cell FROM {source} ORDER BY cell, doc_id, evidence_start, event_id")
    names = [c[0] for c in cur.description]
    rows: list[tuple[Any, ...]] = []
    block: list[Event] = []
    cell = None
    cells = reports = 0

    def flush() -> None:
        for ce in merge_across([_canonical_event(e, canonical) for e in block], canonical, source_of):
            rows.append((*corpus_row(ce), cell))

    while chunk := cur.fetchmany(2000):
        for raw in chunk:
            r = dict(zip(names, raw, strict=True))
            if r["cell"] != cell and block:
                flush()
                block = []
            if r["cell"] != cell:
                cells += 1
            cell = r["cell"]
            block.append(event_of(r))
            reports += 1
    if block:
        flush()
    _insert(con, "corpus_events", rows)
    return cells, reports
