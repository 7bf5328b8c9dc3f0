"""The corpus step on Spark: the same corpus tables, computed by executors.

``corpus_on_spark(store)`` rebuilds every corpus table of a store with Spark, giving the
same rows as ``corpus.maintain.update_corpus(store, rebuild=True)``:

1. The store's per-article tables go to Parquet (``entente corpus --engine spark
   --parquet DIR`` first ingests the Parquet a Spark run wrote, like ``entente ingest``).
2. **Per article** (a map, no shuffle but the grouping of each article's rows): the
   executors clean each article, sketch it (``dedup.sketch``) and find its claims
   (``build.document_claims``), the same pure functions as the local step.
3. **Candidates** (shuffle: the LSH bucket rows): a Spark SQL self-join of the
   ``(kind, band, bucket)`` rows, leaving out story buckets past ``MAX_STORY_BUCKET``;
   the pairs are scored by ``dedup.link``.
4. **Groups and names** on the driver: connected components of the links (sparse) and the
   spelling merges per country (``actors.names.merge_names``), as the local step does them.
5. **Events** (shuffle: the reports, by cell): a ``groupBy`` on ``maintain.CELL_SQL``, the
   same cell expression as the store's; each cell's reports merged by
   ``build.merge_across`` with the canonical names and near-duplicates broadcast.
6. The rows are written to the store's corpus tables in one transaction.

pyspark is imported only when this runs.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import EngineError
from ..store import Store
from ..store.schema import CORPUS_TABLES
from .spark import session

#: The per-article tables the Spark step reads (written to Parquet from the store).
INPUT_TABLES = ("documents", "events", "actor_mentions")


def corpus_on_spark(store: Store, master: str | None = None, conf: dict[str, str] | None = None) -> Any:
    """Rebuild every corpus table of a store opened for writing, on Spark; returns the ``maintain.Update``."""
    spark, started = session(master, conf)
    try:
        with tempfile.TemporaryDirectory(prefix="entente-corpus-spark-") as tmp:
            for t in INPUT_TABLES:
                store.con.execute(f"COPY (SELECT * FROM {t}) TO '{Path(tmp) / t}.parquet' (FORMAT parquet)")
            return _rebuild(spark, store, tmp)
    except EngineError:
        raise
    except Exception as exc:  # noqa: BLE001 - Py4J and Spark raise many kinds; one clear line for the user
        raise EngineError(f"the corpus step failed on Spark: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc
    finally:
        if started:
            spark.stop()


def _rebuild(spark: Any, store: Store, folder: str) -> Any:
    from ..corpus import maintain
    from ..corpus.dedup import DUPLICATE, MAX_STORY_BUCKET, components

    read = {t: spark.read.parquet(str(Path(folder) / f"{t}.parquet")) for t in INPUT_TABLES}
    # 2. per article: sketch and claims
    keyed = (read["documents"].rdd.map(lambda r: (r["doc_id"], ("d", r.asDict(recursive=True))))
             .union(read["events"].rdd.map(lambda r: (r["doc_id"], ("e", r.asDict(recursive=True)))))
             .union(read["actor_mentions"].rdd.map(lambda r: (r["doc_id"], ("m", r.asDict(recursive=True))))))
    per_doc = keyed.groupByKey().map(lambda kv: _article_step(list(kv[1]))).filter(bool).cache()
    sketches = per_doc.map(lambda out: out["sketch"]).collect()
    claims = per_doc.flatMap(lambda out: out["claims"]).collect()
    marks = per_doc.map(lambda out: out["mark"]).collect()
    buckets = spark.createDataFrame(per_doc.flatMap(lambda out: out["buckets"]),
                                    "kind string, band int, bucket long, doc_id string")
    buckets.createOrReplaceTempView("lsh_buckets")
    # 3. candidates: the self-join on the bucket rows
    pairs = spark.sql(
        "WITH open AS (SELECT kind, band, bucket FROM lsh_buckets GROUP BY kind, band, bucket "
        f"HAVING kind = '{DUPLICATE}' OR count(*) <= {MAX_STORY_BUCKET}), "
        "rows AS (SELECT l.* FROM lsh_buckets l LEFT SEMI JOIN open o "
        "ON l.kind = o.kind AND l.band = o.band AND l.bucket = o.bucket) "
        "SELECT DISTINCT a.kind, a.doc_id AS x, b.doc_id AS y FROM rows a JOIN rows b "
        "ON a.kind = b.kind AND a.band = b.band AND a.bucket = b.bucket WHERE a.doc_id < b.doc_id").collect()
    by_doc = {s[0]: s for s in sketches}
    found = [link for link in (_score(p["kind"], by_doc[p["x"]], by_doc[p["y"]]) for p in pairs) if link]
    per_doc.unpersist()
    # 4. groups and names, on the driver
    docs = sorted(by_doc)
    dup_roots = components(docs, [(a, b) for kind, a, b, _ in found if kind == DUPLICATE])
    story_roots = components(docs, [(a, b) for _, a, b, _ in found])
    with store.corpus_rewrite() as con:
        for name in (*CORPUS_TABLES, "claims", "claim_docs"):
            con.execute(f"DELETE FROM {name}")
        maintain._insert(con, "doc_sketches", [(d, h, m, w) for d, h, m, w, _ in sketches])
        maintain._insert(con, "lsh_buckets", [tuple(r) for r in buckets.collect()])
        maintain._insert(con, "doc_links", sorted(found))
        maintain._insert(con, "claims", claims)
        maintain._insert(con, "claim_docs", marks)
        near = [(d, r, _minhash_similarity(by_doc[d][2], by_doc[r][2])) for d, r in sorted(dup_roots.items()) if r != d]
        maintain._insert(con, "near_duplicates", near)
        maintain._insert(con, "stories", [("story:" + r, d) for d, r in sorted(story_roots.items())])
        con.execute("CREATE OR REPLACE TEMP TABLE _new AS SELECT doc_id FROM documents")
        countries, _ = maintain._remerge_names(store, full=True)
        con.execute("DROP TABLE _new")
        canonical = dict(con.execute("SELECT variant, canonical FROM name_merges").fetchall())
        source_of = {d: r for d, r, _ in near}
        # 5. events, grouped by cell
        events = read["events"].selectExpr("*", f"{maintain.CELL_SQL} AS cell")
        known = spark.sparkContext.broadcast((canonical, source_of))
        rows = (events.rdd.map(lambda r: (r["cell"], r.asDict(recursive=True))).groupByKey()
                .flatMap(lambda kv: _cell_step(kv[0], list(kv[1]), *known.value)).collect())
        maintain._insert(con, "corpus_events", rows)
        n_cells = events.select("cell").distinct().count()
    return maintain.Update(new_docs=len(docs), rebuilt=True, links=len(found), cells=n_cells, countries=countries)


def _minhash_similarity(a: Iterable[int], b: Iterable[int]) -> float:
    from ..corpus.dedup import MINHASH_PERMUTATIONS

    return sum(x == y for x, y in zip(a, b, strict=True)) / MINHASH_PERMUTATIONS


def _score(kind: str, a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[str, str, str, float] | None:
    from ..corpus.dedup import Sketch, link

    sim = link(kind, Sketch(a[0], tuple(a[2]), tuple(a[3]), ()), Sketch(b[0], tuple(b[2]), tuple(b[3]), ()))
    return (kind, a[0], b[0], sim) if sim is not None else None


def _order(value: Any) -> tuple[bool, Any]:
    return (value is None, value)  # DuckDB sorts NULLs last


def _article_step(rows: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Clean, sketch and find the claims of one article, from its rows (on an executor)."""
    from ..actors.kb import load_kb
    from ..corpus.build import document_claims, document_of
    from ..corpus.dedup import sketch
    from ..corpus.tables import article_of, event_of, mention_of
    from ..documents.cleaning import clean

    doc = next((r for kind, r in rows if kind == "d"), None)
    if doc is None:
        return {}
    events = sorted((r for kind, r in rows if kind == "e"), key=lambda r: (r["evidence_start"], r["event_id"]))
    mentions = sorted((r for kind, r in rows if kind == "m"),
                      key=lambda r: (r["start"], r["end"], _order(r["name"])))
    article = article_of(doc)
    cd = clean(document_of(article), load_kb(()).place_names())
    s = sketch(article.doc, cd.text)
    found = document_claims(cd, [event_of(r) for r in events], [mention_of(r) for r in mentions])
    claims = []
    for n, (lc, actor, actors) in enumerate(found):
        c = lc.claim
        claims.append((article.content_hash, article.doc, n, c.value, c.low, c.high, c.qualifier, c.unit, c.item, c.text,
                       c.evidence.sentence, c.evidence.start, c.evidence.end, c.event_id, actor, sorted(actors)))
    return {"sketch": (article.doc, article.content_hash, list(s.minhash), list(s.words), None),
            "buckets": [(kind, band, bucket, article.doc) for kind, band, bucket in s.buckets],
            "claims": claims, "mark": (article.doc, article.content_hash, len(found))}


def _cell_step(cell: str, rows: list[dict[str, Any]], canonical: dict[str, str],
               source_of: dict[str, str]) -> Iterator[tuple[Any, ...]]:
    """The corpus events of one cell (on an executor), as ``maintain._remerge_events`` makes them."""
    from ..corpus.build import _canon, merge_across
    from ..corpus.tables import corpus_row, event_of

    rows.sort(key=lambda r: (r["doc_id"], r["evidence_start"], r["event_id"]))
    events = [event_of(r) for r in rows]
    persons = [replace(e, source=_canon(e.source, canonical) or e.source, target=_canon(e.target, canonical))
               for e in events]
    for ce in merge_across(persons, canonical, source_of):
        yield (*corpus_row(ce), cell)
