"""Schema versions: find a store's version, upgrade an older store, refuse one that cannot be read.

A store records its version in ``meta.schema_version``. Version 1 (entente 0.1 before
the store was documented) had no ``meta`` table. Each step in ``MIGRATIONS`` upgrades
a store by one version inside one transaction, so a failed upgrade leaves the store as
it was. To change the schema: bump ``schema.SCHEMA_VERSION``, declare the new tables in
``schema.py`` and add a function here that upgrades the previous version.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from ..errors import InputError, StoreError
from .schema import SCHEMA_VERSION, ddl

#: Tables of a version-1 store, renamed aside while their rows are converted.
V1_TABLES = ("documents", "events", "mentions", "learned_actors")
#: Version-1 tables that later steps rebuild, dropped rather than converted.
V1_DERIVED = ("claims", "claim_docs", "near_duplicates", "stories", "name_merges", "corpus_events")


def tables(con: Any) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}


def detect(con: Any) -> int:
    """The store's schema version: 0 for an empty database, 1 for a store without ``meta``."""
    names = tables(con)
    if "meta" in names:
        rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()  # fetchall: no result left open
        return int(rows[0][0]) if rows else 0
    return 1 if "documents" in names else 0


def check_readable(con: Any, path: str) -> None:
    """Refuse, with what to do, a store this entente cannot read as it is."""
    v = detect(con)
    if v == SCHEMA_VERSION:
        return
    if v == 0:
        raise StoreError(f"{path}: not an entente store (no documents table): run `entente run PATH --db {path}` to make one")
    if v < SCHEMA_VERSION:
        raise StoreError(f"{path}: the store has schema version {v} and this entente reads version {SCHEMA_VERSION}: "
                         f"run `entente migrate --db {path}` to upgrade it")
    _refuse_newer(v, path)


def _refuse_newer(v: int, path: str) -> None:
    raise StoreError(f"{path}: the store has schema version {v}, written by a newer entente (this one knows up to "
                     f"{SCHEMA_VERSION}): upgrade entente (pip install -U entente) to use it")


def upgrade(con: Any, path: str) -> int | None:
    """Bring the store to the current version; returns the version it had, or None if it was current or new."""
    v = detect(con)
    if v > SCHEMA_VERSION:
        _refuse_newer(v, path)
    if v == 0:
        _create(con)
        return None
    start = v
    while v < SCHEMA_VERSION:
        step = MIGRATIONS[v]
        con.execute("BEGIN TRANSACTION")
        try:
            step(con)
            con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(v + 1)])
        except (duckdb.Error, StoreError) as exc:
            con.execute("ROLLBACK")
            raise StoreError(f"{path}: cannot upgrade the store from schema version {v} to {v + 1}: {exc}") from exc
        con.execute("COMMIT")
        v += 1
    con.execute(ddl())  # views and macros of the current version
    return start if start != SCHEMA_VERSION else None


def _create(con: Any) -> None:
    """Every table of a new store, in one transaction: a store killed while being made is empty, not half made."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(ddl())
        con.execute("INSERT INTO meta VALUES ('schema_version', ?), ('corpus_state', 'fresh') ON CONFLICT DO NOTHING",
                    [str(SCHEMA_VERSION)])
    except duckdb.Error:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


# -- 1 -> 2 --------------------------------------------------------------------------------------
def _interval(column: str) -> tuple[str, str, str]:
    """SQL for the start, end and precision of a version-1 date string (YYYY, YYYY-MM or YYYY-MM-DD)."""
    start = (f"CASE length({column}) WHEN 4 THEN make_date(CAST({column} AS INTEGER), 1, 1) "
             f"WHEN 7 THEN CAST({column} || '-01' AS DATE) WHEN 10 THEN CAST({column} AS DATE) END")
    end = (f"CASE length({column}) WHEN 4 THEN make_date(CAST({column} AS INTEGER), 12, 31) "
           f"WHEN 7 THEN last_day(CAST({column} || '-01' AS DATE)) WHEN 10 THEN CAST({column} AS DATE) END")
    precision = f"CASE length({column}) WHEN 4 THEN 'year' WHEN 7 THEN 'month' WHEN 10 THEN 'day' END"
    return start, end, precision


def _v1_actor(side: str) -> str:
    return (f"coalesce({side}_country, 'IGO:' || {side}_igo) AS {side}_key, {side}_code, {side}_text, {side}_name, "
            f"NULL AS {side}_person, {side}_country, {side}_igo, {side}_sector, NULL AS {side}_parent")


def migrate_1_to_2(con: Any) -> None:
    """Version 1 -> 2: typed columns, one key name per concept, the original text, meta.

    - ``doc`` becomes ``doc_id``; ``mentions`` (actor mentions) becomes ``actor_mentions``
      with ``sentence_no``; events gain ``source_key``/``target_key`` and a DATE interval.
    - Version 1 kept the cleaned text, which event offsets do not point into. The original
      is read again from the document's file where it still holds the same text; where
      it cannot be, the cleaned text stays.
    - Provenance is unknown, so the next ``run`` over the same files reprocesses every
      document; the corpus tables are rebuilt by the next ``run``, ``ingest`` or ``migrate``.
    """
    old = tables(con)
    for t in V1_DERIVED:
        if t in old:
            con.execute(f"DROP TABLE {t}")
    for t in V1_TABLES:
        if t in old:
            con.execute(f"ALTER TABLE {t} RENAME TO _v1_{t}")
    con.execute(V2_TABLES)  # the tables version 3 changed, as version 2 had them
    con.execute(ddl())
    con.execute("INSERT INTO meta VALUES ('schema_version', '1'), ('corpus_state', 'stale'), ('migrated_from', '1')")
    if "documents" in old:
        pub_start, _, pub_precision = _interval("pub_date")
        con.execute(
            "INSERT INTO documents (content_hash, doc_id, path, title, url, outlet, pub_date, pub_date_precision, "
            f"pub_date_origin, text, n_events, processed_at) SELECT content_hash, doc_id, path, title, url, outlet, "
            f"{pub_start}, {pub_precision}, pub_date_origin, text, n_events, processed_at FROM _v1_documents")
        _restore_original_text(con)
    if "events" in old:
        start, end, precision = _interval("date")
        con.execute(
            f"INSERT INTO events SELECT event_id, content_hash, doc AS doc_id, {_v1_actor('source')}, {_v1_actor('target')}, "
            f"cameo, root, goldstein, quad_class, plover, {start}, {end}, {precision}, date_source, modality, "
            "evidence_sentence, evidence_start, evidence_end, rule, "
            "from_json(coalesce(mentions, '[]'), '[{\"sentence\": \"VARCHAR\", \"start\": \"INTEGER\", \"end\": \"INTEGER\"}]') "
            "FROM _v1_events")
    if "mentions" in old:
        con.execute('INSERT INTO actor_mentions SELECT content_hash, doc, start, "end", sentence, text, name, NULL, '
                    "country, igo, sector, code, matched_by FROM _v1_mentions")
    if "learned_actors" in old:
        con.execute("INSERT INTO learned_actors SELECT content_hash, doc, name, country, igo, sector, evidence, matched_by "
                    "FROM _v1_learned_actors")
    for t in V1_TABLES:
        if t in old:
            con.execute(f"DROP TABLE _v1_{t}")


def _restore_original_text(con: Any) -> None:
    """Put back each document's original text where its file still holds it (same content hash)."""
    from ..documents.reading import read_file
    from ..model import Document
    from ..pipeline import content_hash

    rows = con.execute("SELECT content_hash, doc_id, path FROM documents").fetchall()
    for chash, doc_id, path in rows:
        if not path or not Path(path).is_file():
            continue
        try:
            found = [d for d in read_file(Path(path)) if isinstance(d, Document) and d.id == doc_id]
        except (InputError, OSError):
            continue
        if found and content_hash(found[0]) == chash:
            con.execute("UPDATE documents SET text = ? WHERE content_hash = ?", [found[0].text, chash])


# -- 2 -> 3 --------------------------------------------------------------------------------------
#: The tables version 3 changed, as version 2 declared them (version 1 is upgraded through them).
V2_TABLES = """
CREATE TABLE IF NOT EXISTS documents ("content_hash" VARCHAR PRIMARY KEY, "doc_id" VARCHAR NOT NULL, "path" VARCHAR,
  "title" VARCHAR, "url" VARCHAR, "outlet" VARCHAR, "pub_date" DATE, "pub_date_precision" VARCHAR,
  "pub_date_origin" VARCHAR, "text" VARCHAR, "n_events" INTEGER, "entente_version" VARCHAR, "kb_hash" VARCHAR,
  "patterns_hash" VARCHAR, "options" JSON, "processed_at" TIMESTAMPTZ DEFAULT current_timestamp);
CREATE TABLE IF NOT EXISTS claim_docs ("content_hash" VARCHAR PRIMARY KEY, "n_claims" INTEGER);
"""


def migrate_2_to_3(con: Any) -> None:
    """Version 2 -> 3: documents keyed by their source, with a unique ``doc_id``.

    - ``documents`` gains ``source_key`` and is keyed by ``doc_id``, which becomes unique:
      where two documents shared an id (two story.txt in different folders), the later
      one gets its folders in its id (sub2/story) in every table.
    - Version 2 did not record sources. A document whose file was edited and run again
      was stored twice under the same path and id; only the version processed last is
      kept. The others' sources are unknown (``identity.LEGACY_KEY_PREFIX``): the next
      ``run`` over their files finds them by their text and records their sources.
    - Claims are found again by the next corpus step (their bookkeeping is per document now).
    """
    from ..model import Document
    from .identity import DocIds, legacy_key

    rows = con.execute("SELECT content_hash, doc_id, path, processed_at FROM documents "
                       "ORDER BY doc_id, path, processed_at DESC NULLS LAST, content_hash").fetchall()
    keep: dict[tuple[str, str | None], str] = {}
    stale = []
    for h, doc_id, path, _ in rows:
        if (doc_id, path) in keep:
            stale.append(h)  # an older version of the same file
        else:
            keep[(doc_id, path)] = h
    for t in ("events", "actor_mentions", "learned_actors", "documents"):
        con.execute(f"DELETE FROM {t} WHERE list_contains(?, content_hash)", [stale])
    ids = DocIds()
    mapping = []
    for (doc_id, path), h in keep.items():
        key = legacy_key(path, doc_id)
        new_id = ids.assign(Document(id=doc_id, text="", path=path or "", key=key))
        mapping.append((h, new_id, key))
    con.execute("ALTER TABLE documents RENAME TO _v2_documents")
    con.execute("DROP TABLE IF EXISTS claim_docs")
    con.execute("DELETE FROM claims")
    con.execute(ddl())
    con.execute("CREATE TEMP TABLE _v3_ids (content_hash VARCHAR, doc_id VARCHAR, source_key VARCHAR)")
    if mapping:
        con.executemany("INSERT INTO _v3_ids VALUES (?, ?, ?)", mapping)
    con.execute(
        "INSERT INTO documents (content_hash, doc_id, source_key, path, title, url, outlet, pub_date, pub_date_precision, "
        "pub_date_origin, text, n_events, entente_version, kb_hash, patterns_hash, options, processed_at) "
        "SELECT d.content_hash, m.doc_id, m.source_key, d.path, d.title, d.url, d.outlet, d.pub_date, "
        "d.pub_date_precision, d.pub_date_origin, d.text, d.n_events, d.entente_version, d.kb_hash, d.patterns_hash, "
        "d.options, d.processed_at FROM _v2_documents d JOIN _v3_ids m USING (content_hash)")
    for t in ("events", "actor_mentions", "learned_actors"):
        con.execute(f"UPDATE {t} SET doc_id = m.doc_id FROM _v3_ids m "
                    f"WHERE {t}.content_hash = m.content_hash AND {t}.doc_id <> m.doc_id")
    con.execute("DROP TABLE _v2_documents")
    con.execute("DROP TABLE _v3_ids")
    con.execute("INSERT OR REPLACE INTO meta VALUES ('corpus_state', 'stale')")


# -- 3 -> 4 --------------------------------------------------------------------------------------
def migrate_3_to_4(con: Any) -> None:
    """Version 3 -> 4: the corpus step maintains its tables incrementally.

    - New working tables: ``doc_sketches`` (each article's MinHash and content words),
      ``lsh_buckets`` (the banding as rows) and ``doc_links`` (the pairs found similar).
    - ``corpus_events`` gains ``cell``, the blocking cell its reports share.
    - Nothing is lost: the per-article tables and the claims are kept as they are; the
      corpus tables are marked stale, and the next ``run``, ``ingest``, ``migrate`` or
      ``corpus`` sketches every article once and rebuilds them.
    """
    from .schema import table, table_ddl

    for name in ("doc_sketches", "lsh_buckets", "doc_links"):
        con.execute(table_ddl(table(name)))
    con.execute('ALTER TABLE corpus_events ADD COLUMN IF NOT EXISTS "cell" VARCHAR')
    con.execute("INSERT OR REPLACE INTO meta VALUES ('corpus_state', 'stale')")


# -- 4 -> 5 --------------------------------------------------------------------------------------
def migrate_4_to_5(con: Any) -> None:
    """Version 4 -> 5: the corpus step merges again the components new reports link to, not whole cells.

    - ``corpus_events`` gains ``component`` (before ``cell``), the connected component of its
      reports' links; the table is derived, so it is made again empty.
    - The other tables are kept; the corpus tables are marked stale, and the next ``run``,
      ``ingest``, ``migrate`` or ``corpus`` rebuilds them (the sketches of the articles kept).
    """
    from .schema import table, table_ddl

    con.execute("DROP TABLE IF EXISTS corpus_events")
    con.execute(table_ddl(table("corpus_events")))
    con.execute("INSERT OR REPLACE INTO meta VALUES ('corpus_state', 'stale')")


# -- 5 -> 6 --------------------------------------------------------------------------------------
def migrate_5_to_6(con: Any) -> None:
    """Version 5 -> 6: each dyad's events, their reports and its figures are kept together (``dyad_events``,
    ``dyad_reports``, ``dyad_figures``).

    - The new tables are derived from the corpus tables and written from them at once; nothing
      else changes, and a stale corpus stays stale (the next corpus step writes it again).
    """
    from .schema import table, table_ddl, write_dyad_tables

    con.execute(table_ddl(table("dyad_reports")))
    con.execute(table_ddl(table("dyad_events")))
    con.execute(table_ddl(table("dyad_figures")))
    write_dyad_tables(con)


#: version -> the step that upgrades a store of that version by one.
MIGRATIONS: dict[int, Callable[[Any], None]] = {1: migrate_1_to_2, 2: migrate_2_to_3, 3: migrate_3_to_4,
                                                 4: migrate_4_to_5, 5: migrate_5_to_6}
