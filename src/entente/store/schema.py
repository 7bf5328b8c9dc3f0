"""The store's schema, written once: the DDL, the Parquet interchange columns and the docs come from here.

Every table, column, view and macro is declared below with a sentence saying what it
holds. ``ddl()`` creates them; ``entente schema`` and ``docs/store.md`` render the same
declarations as Markdown (``render_markdown``), and a test checks both against a real
store, so the documentation cannot drift from the database.

Conventions: one name per concept across tables (``content_hash`` is a document's
identity, ``doc_id`` its readable id, ``event_id`` a per-article event,
``corpus_event_id`` a real-world event); dates are DuckDB ``DATE`` intervals
(``*_start``/``*_end``) with a ``*_precision``; lists are ``LIST`` and nested
records ``STRUCT`` or ``JSON``, never JSON text in a ``VARCHAR``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: The schema this version of entente reads and writes; ``migrate.py`` upgrades older stores.
SCHEMA_VERSION = 6

MENTION_STRUCT = 'STRUCT(sentence VARCHAR, "start" INTEGER, "end" INTEGER)'


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str
    doc: str
    constraint: str = ""  # PRIMARY KEY, NOT NULL, DEFAULT …


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    maintained_by: str  # which step writes it

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True, slots=True)
class View:
    name: str
    doc: str
    sql: str
    columns: tuple[tuple[str, str], ...]  # (name, what it holds); types come from DuckDB


@dataclass(frozen=True, slots=True)
class Macro:
    name: str
    doc: str
    sql: str


def _actor_columns(side: str, what: str) -> tuple[Column, ...]:
    return (
        Column(f"{side}_key", "VARCHAR", f"the {what}'s key: ISO 3166 alpha-3 country (KAZ) or IGO:abbrev (IGO:UN)"),
        Column(f"{side}_code", "VARCHAR", f"the {what}'s CAMEO-style code: country plus sector (KAZGOV) or IGO plus abbrev (IGOUN)"),
        Column(f"{side}_text", "VARCHAR", f"the {what} as the article words it"),
        Column(f"{side}_name", "VARCHAR", f"canonical name of the {what} (person, office or state)"),
        Column(f"{side}_person", "VARCHAR", f"the person acting for the {what}, where known"),
        Column(f"{side}_country", "VARCHAR", f"the {what}'s country, ISO 3166 alpha-3"),
        Column(f"{side}_igo", "VARCHAR", f"the {what}'s organisation (abbrev in data/igos.yaml)"),
        Column(f"{side}_sector", "VARCHAR", f"the {what}'s CAMEO sector (GOV, MIL, …)"),
        Column(f"{side}_parent", "VARCHAR", "for an organisation's body, the organisation it acts as (UNSC -> UN)"),
    )


def _date_columns(prefix: str, what: str) -> tuple[Column, ...]:
    return (
        Column(f"{prefix}_start", "DATE", f"first day of {what}: 2015-07 starts on 2015-07-01; NULL when undated"),
        Column(f"{prefix}_end", "DATE", f"last day of {what}: 2015-07 ends on 2015-07-31"),
        Column(f"{prefix}_precision", "VARCHAR", "year | month | day: how much of the date the articles give"),
    )


CODE_COLUMNS = (
    Column("cameo", "VARCHAR", "CAMEO 1.1b3 event code, 2 to 4 digits (042)"),
    Column("root", "VARCHAR", "CAMEO root code, 2 digits (04)"),
    Column("goldstein", "DOUBLE", "Goldstein weight of the code, -10 (conflict) to +10 (cooperation)"),
    Column("quad_class", "TINYINT", "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict"),
    Column("plover", "VARCHAR", "PLOVER event category (CONSULT…); NULL for CAMEO 01 statements"),
)
MODALITY = Column("modality", "VARCHAR", "asserted | intended | hypothetical | negated")

META = Table("meta", "Facts about the store itself, one row per key.", (
    Column("key", "VARCHAR", "schema_version (an integer), corpus_state (fresh or stale), corpus_built_at", "PRIMARY KEY"),
    Column("value", "VARCHAR", "the value, as text"),
), "every write")

DOCUMENTS = Table("documents", "One row per stored article: its text, metadata and what produced its rows.", (
    Column("content_hash", "VARCHAR", "the version of its text: SHA-1 (16 hex digits) of the whitespace-folded text (two sources with one text are two documents)", "NOT NULL"),
    Column("doc_id", "VARCHAR", "the document's identity, readable and unique: the file name without its suffix, the record's id, or FILE:N for the Nth record of a file; with its folders (sub/story) when another source has that name", "PRIMARY KEY"),
    Column("source_key", "VARCHAR", "where it was read: the file's absolute path, FILE#id=ID or FILE#record=N for a record of a JSON, JSON Lines or CSV file, <stdin>#sha=HASH for standard input; a changed file keeps its key and its new text replaces the old", "NOT NULL UNIQUE"),
    Column("path", "VARCHAR", "the file it was read from, as given (<stdin> for standard input; bytes that are not UTF-8 as \\xNN)"),
    Column("title", "VARCHAR", "title from the record or the HTML metadata"),
    Column("url", "VARCHAR", "URL from the record or the HTML metadata"),
    Column("outlet", "VARCHAR", "publisher from the record (source) or the HTML metadata (site name)"),
    Column("pub_date", "DATE", "publication date (the first day of it, when only the month or year is known)"),
    Column("pub_date_precision", "VARCHAR", "year | month | day (an inferred publication date may be known only to the year)"),
    Column("pub_date_origin", "VARCHAR", "where pub_date came from: meta | date-line | cli | inferred (from the events' dates: a lower bound)"),
    Column("text", "VARCHAR", "the document text that every offset points into: the file for .txt, the main text for HTML, the record's text for JSON and CSV"),
    Column("n_events", "INTEGER", "events coded in the document"),
    Column("entente_version", "VARCHAR", "version of entente that processed it"),
    Column("kb_hash", "VARCHAR", "hash of the knowledge base and data files used (shipped and --actors files)"),
    Column("patterns_hash", "VARCHAR", "hash of the event patterns used (shipped and --patterns files)"),
    Column("options", "JSON", "the options that change the output: include_negated, pub_date"),
    Column("processed_at", "TIMESTAMPTZ", "when it was processed", "DEFAULT current_timestamp"),
), "run, ingest")

EVENTS = Table("events", "One row per event read in one article (several mentions of one happening in an article are one event).", (
    Column("event_id", "VARCHAR", "the event's id (stable for the same text, options and data)", "PRIMARY KEY"),
    Column("content_hash", "VARCHAR", "the version of the article's text it was read in (documents.content_hash)", "NOT NULL"),
    Column("doc_id", "VARCHAR", "the article (documents.doc_id)", "NOT NULL"),
    *_actor_columns("source", "source"),
    *_actor_columns("target", "target"),
    *CODE_COLUMNS,
    *_date_columns("date", "the event's date"),
    Column("date_source", "VARCHAR", "the expression that dated it (On Tuesday), or how the story dated it (previous sentence, earlier or later mention, earlier frame, summarised sentence, reported as recent, story day, publication)"),
    MODALITY,
    Column("evidence_sentence", "VARCHAR", "the sentence it was read from"),
    Column("evidence_start", "INTEGER", "offset of the sentence in documents.text (Python string index)"),
    Column("evidence_end", "INTEGER", "end offset: documents.text[evidence_start:evidence_end] is the sentence"),
    Column("rule", "VARCHAR", "the pattern and argument slots that fired"),
    Column("mentions", f"{MENTION_STRUCT}[]", "every sentence of the article that reports it, with its offsets"),
), "run, ingest")

ACTOR_MENTIONS = Table("actor_mentions", "One row per actor mention found in an article, as resolved.", (
    Column("content_hash", "VARCHAR", "the article", "NOT NULL"),
    Column("doc_id", "VARCHAR", "the article's readable id", "NOT NULL"),
    Column("start", "INTEGER", "offset of the mention in documents.text"),
    Column("end", "INTEGER", "end offset of the mention"),
    Column("sentence_no", "INTEGER", "number of its sentence in the article, from 0"),
    Column("text", "VARCHAR", "the mention as written"),
    Column("name", "VARCHAR", "canonical name"),
    Column("person", "VARCHAR", "the person, where it names one"),
    Column("country", "VARCHAR", "ISO 3166 alpha-3"),
    Column("igo", "VARCHAR", "organisation abbrev"),
    Column("sector", "VARCHAR", "CAMEO sector"),
    Column("code", "VARCHAR", "CAMEO-style actor code"),
    Column("matched_by", "VARCHAR", "the rule that resolved it (kb-person, role, learned, …)"),
), "run, ingest")

LEARNED_ACTORS = Table("learned_actors", "Names the pipeline learned from an article's text (titles, appositions).", (
    Column("content_hash", "VARCHAR", "the article", "NOT NULL"),
    Column("doc_id", "VARCHAR", "the article's readable id", "NOT NULL"),
    Column("name", "VARCHAR", "the name learned"),
    Column("country", "VARCHAR", "ISO 3166 alpha-3"),
    Column("igo", "VARCHAR", "organisation abbrev"),
    Column("sector", "VARCHAR", "CAMEO sector"),
    Column("evidence", "VARCHAR", "the sentence it was learned from"),
    Column("matched_by", "VARCHAR", "how it was learned"),
), "run, ingest")

CLAIM_DOCS = Table("claim_docs", "The articles whose claims have been looked for (so each is read once).", (
    Column("doc_id", "VARCHAR", "the article", "PRIMARY KEY"),
    Column("content_hash", "VARCHAR", "the version of its text that was read"),
    Column("n_claims", "INTEGER", "claims found in it"),
), "run, ingest (corpus step)")

CLAIMS = Table("claims", "Quantities stated in the articles (6 million masks), with their bounds and actor.", (
    Column("content_hash", "VARCHAR", "the article", "NOT NULL"),
    Column("doc_id", "VARCHAR", "the article's readable id", "NOT NULL"),
    Column("claim_no", "INTEGER", "number of the claim in its article, from 0"),
    Column("value", "DOUBLE", "the amount"),
    Column("low", "DOUBLE", "lowest amount the wording allows (NULL: unbounded)"),
    Column("high", "DOUBLE", "highest amount the wording allows (NULL: unbounded)"),
    Column("qualifier", "VARCHAR", "exact | over | under | approx | range | vague"),
    Column("unit", "VARCHAR", "unit (tonnes, dollars) where stated"),
    Column("item", "VARCHAR", "what is counted (medical masks)"),
    Column("text", "VARCHAR", "the claim as written"),
    Column("evidence_sentence", "VARCHAR", "its sentence"),
    Column("evidence_start", "INTEGER", "offset of the claim in documents.text"),
    Column("evidence_end", "INTEGER", "end offset of the claim"),
    Column("event_id", "VARCHAR", "the event it belongs to, where one is near"),
    Column("actor", "VARCHAR", "actor key the quantity belongs to"),
    Column("actors", "VARCHAR[]", "every actor key around it (for filtering by dyad)"),
), "run, ingest (corpus step)")

NEAR_DUPLICATES = Table("near_duplicates", "Articles that copy another (MinHash over word shingles); each counts as the one it copies.", (
    Column("doc_id", "VARCHAR", "the copy"),
    Column("duplicate_of", "VARCHAR", "the doc_id it copies"),
    Column("similarity", "DOUBLE", "estimated Jaccard similarity of their shingles"),
), "run, ingest (corpus step)")

STORIES = Table("stories", "Articles grouped into stories by the similarity of their words.", (
    Column("story", "VARCHAR", "story id"),
    Column("doc_id", "VARCHAR", "an article of the story"),
), "run, ingest (corpus step)")

NAME_MERGES = Table("name_merges", "Spellings of one person merged across articles, with the evidence.", (
    Column("canonical", "VARCHAR", "the name kept"),
    Column("variant", "VARCHAR", "the spelling taken as the same person"),
    Column("country", "VARCHAR", "the person's country"),
    Column("method", "VARCHAR", "knowledge base | spelling"),
    Column("score", "DOUBLE", "similarity of the folded names, 0-100"),
    Column("evidence", "JSON", "where each spelling was read: a list of {doc, form, context}"),
), "run, ingest (corpus step)")

CORPUS_EVENTS = Table("corpus_events", "One row per real-world event: the reports of one happening in every article, merged.", (
    Column("corpus_event_id", "VARCHAR", "the event's id: a hash of its member event_ids", "PRIMARY KEY"),
    *_actor_columns("source", "source"),
    *_actor_columns("target", "target"),
    *CODE_COLUMNS,
    *_date_columns("date", "the event's date (the most precise the reports give)"),
    MODALITY,
    Column("symmetric", "BOOLEAN", "both sides act together (meet, agree): the dyad has no direction"),
    Column("n_mentions", "INTEGER", "sentences that report it, in all articles"),
    Column("n_sources", "INTEGER", "articles that report it, near-duplicates counted once"),
    Column("n_articles", "INTEGER", "articles that report it"),
    Column("doc_ids", "VARCHAR[]", "the articles, first report first"),
    Column("event_ids", "VARCHAR[]", "the per-article events merged (events.event_id)"),
    Column("component", "VARCHAR", "the smallest event_id of the connected component of its reports' links: "
           "the unit the corpus step merges again when a new report links to one of them"),
    Column("cell", "VARCHAR", "the blocking cell its reports share (actor keys in order, CAMEO family, modality: "
           "IND|KAZ|042|asserted): a new report is compared with the reports of its cell"),
), "run, ingest (corpus step)")

DOC_SKETCHES = Table("doc_sketches", "What the corpus step keeps of each article's text to compare it with others, computed once per version of the text.", (
    Column("doc_id", "VARCHAR", "the article", "PRIMARY KEY"),
    Column("content_hash", "VARCHAR", "the version of its text that was sketched"),
    Column("minhash", "UINTEGER[]", "MinHash of its five-word shingles (128 values), for near-duplicates"),
    Column("words", "VARCHAR[]", "its distinct content words, sorted, for stories"),
), "run, ingest (corpus step)")

LSH_BUCKETS = Table("lsh_buckets", "MinHash banding as rows: two articles that share a (kind, band, bucket) are compared, no others.", (
    Column("kind", "VARCHAR", "duplicate (shingle MinHash, 32 bands of 4) | story (word MinHash, 64 bands of 1)"),
    Column("band", "SMALLINT", "the band, from 0"),
    Column("bucket", "BIGINT", "hash of the band's MinHash values"),
    Column("doc_id", "VARCHAR", "the article"),
), "run, ingest (corpus step)")

DOC_LINKS = Table("doc_links", "Pairs of articles found to be one text (duplicate) or one story: near-duplicate groups and stories are their connected components.", (
    Column("kind", "VARCHAR", "duplicate | story"),
    Column("doc_id", "VARCHAR", "one article (the smaller id)"),
    Column("other_doc_id", "VARCHAR", "the other article"),
    Column("similarity", "DOUBLE", "duplicate: estimated Jaccard of shingles; story: Jaccard of content words"),
), "run, ingest (corpus step)")

#: The pair of actors a row of the dyad tables belongs to (the dyad view's columns).
_PAIR = (Column("actor_a", "VARCHAR", "the first actor key of the pair, alphabetically"),
         Column("actor_b", "VARCHAR", "the other actor key"))


def _repeated(t: Table, name: str) -> Column:
    """A column of ``t`` as another table repeats it (without its constraint)."""
    column = next(c for c in t.columns if c.name == name)
    return Column(column.name, column.type, column.doc)


#: The columns of ``corpus_events`` that ``dyad_reports`` repeats on each report (not its lists).
_DYAD_EVENT_COLUMNS = tuple(_repeated(CORPUS_EVENTS, c.name) for c in CORPUS_EVENTS.columns
                            if c.name not in ("doc_ids", "event_ids", "component", "cell"))

DYAD_REPORTS = Table("dyad_reports", "The reports of the real-world events between two actors, one row per report, "
                     "stored in the order of the pair so that a dyad's rows are read together (the web app's dyad "
                     "page); derived from corpus_events, events and near_duplicates, and written again whole "
                     "whenever they are.", (
    *_PAIR,
    Column("corpus_rank", "BIGINT", "the real-world event's place among those of corpus_events, in the table's "
           "order when written, from 1 (the brief's order for events of one date and first article)"),
    *_DYAD_EVENT_COLUMNS,
    Column("report_no", "INTEGER", "the report's place among the event's reports (corpus_events.event_ids), from 1"),
    Column("event_id", "VARCHAR", "the report (events.event_id)"),
    Column("doc_id", "VARCHAR", "the report's article"),
    Column("source_doc", "VARCHAR", "the article the report counts as: its own, or the one it near-duplicates"),
    *_date_columns("report_date", "the report's date"),
    *(_repeated(EVENTS, name) for name in ("date_source", "evidence_sentence", "evidence_start", "evidence_end",
                                           "rule")),
), "run, ingest (corpus step)")


DYAD_EVENTS = Table("dyad_events", "The real-world events between two actors, one narrow row each with what their "
                    "reports say together, stored in the order of the pair (the dyad page's outline); derived from "
                    "dyad_reports and written again with it.", (
    *_PAIR,
    Column("corpus_rank", "BIGINT", "the event's place in corpus_events when written (as dyad_reports.corpus_rank)"),
    *(_repeated(CORPUS_EVENTS, name) for name in ("corpus_event_id", "cameo", "quad_class", "modality", "n_sources",
                                        "date_start", "date_end", "date_precision", "source_key", "source_person",
                                        "source_sector", "target_key", "target_person", "target_sector")),
    Column("report_docs", "VARCHAR[]", "the articles of its reports, first report first"),
    Column("n_reports", "INTEGER", "its reports (corpus_events.event_ids that are stored)"),
    Column("line_sources", "INTEGER", "its articles with near-duplicates counted once (at least n_sources): its "
           "source count as a line of the brief's timeline"),
    Column("shares_sentence", "BOOLEAN", "a sentence reporting it reports another event of the pair under the same "
           "three-digit code (negated events aside): the brief may show the two on one line"),
    Column("inferred_by", "VARCHAR[]", "what dated the reports that give its date, when only inferred sources did "
           "(previous sentence, publication); else NULL"),
    Column("undated_in", "VARCHAR[]", "the articles of its reports that give no date, in report order; else NULL"),
), "run, ingest (corpus step)")


DYAD_FIGURES = Table("dyad_figures", "The figures of each pair of actors (a figure: claims about one quantity, "
                     "reconciled across the store) that a claim read with an event of the pair belongs to, one row "
                     "per claim of each, stored in the order of the pair; written again with dyad_reports.", (
    *_PAIR,
    Column("figure_rank", "INTEGER", "the figure's place among the store's figures (claims.reconcile's order)"),
    Column("member_no", "INTEGER", "the claim's place in the figure, from 1"),
    *(_repeated(CLAIMS, name) for name in ("content_hash", "doc_id", "claim_no")),  # the claim
    Column("source_doc", "VARCHAR", "the article the claim counts as: its own, or the one it near-duplicates"),
    _repeated(STORIES, "story"),
    Column("citation", "VARCHAR", "how a brief cites its article: title or id, outlet, known publication date"),
    Column("claim_when", "VARCHAR", "when the quantity held, as reconciling reads it: its event's date as the "
           "articles give it (2015-07), else its article's known publication date"),
), "run, ingest (corpus step)")


def label_sql(prefix: str) -> str:
    """SQL for ``store.date_label`` of a ``{prefix}_start``/``{prefix}_precision`` pair (2015, 2015-07, 2015-07-08)."""
    return (f"left(CAST({prefix}_start AS VARCHAR), CASE {prefix}_precision WHEN 'year' THEN 4 WHEN 'month' THEN 7 "
            "ELSE 10 END)")


#: Date sources that mean a date was read from context, not stated with the event (the brief's notes).
INFERRED_DATE_SOURCES = ("previous sentence", "publication")

#: ``dyad_reports`` from the tables it is derived from, in its order (``Store.corpus_rewrite`` runs it).
DYAD_REPORTS_SQL = (
    "INSERT INTO dyad_reports SELECT least(c.source_key, c.target_key), greatest(c.source_key, c.target_key), "
    f"c.corpus_rank, {', '.join('c.' + col.name for col in _DYAD_EVENT_COLUMNS)}, c.report_no, e.event_id, e.doc_id, "
    "coalesce(nd.duplicate_of, e.doc_id), e.date_start, e.date_end, e.date_precision, e.date_source, "
    "e.evidence_sentence, e.evidence_start, e.evidence_end, e.rule "
    "FROM (SELECT *, unnest(event_ids) AS report_id, generate_subscripts(event_ids, 1) AS report_no FROM "
    "(SELECT row_number() OVER (ORDER BY rowid) AS corpus_rank, * FROM corpus_events WHERE source_key IS NOT NULL "
    "AND target_key IS NOT NULL AND source_key <> target_key)) c "
    "JOIN events e ON e.event_id = c.report_id LEFT JOIN near_duplicates nd ON nd.doc_id = e.doc_id "
    "ORDER BY 1, 2, c.corpus_rank, c.report_no")


#: A report that gives its event's date (as the articles give it).
_SAME_DATE = f"{label_sql('report_date')} = {label_sql('date')}"
#: ``dyad_events`` from ``dyad_reports``, in its order.
DYAD_EVENTS_SQL = (
    "INSERT INTO dyad_events WITH r AS (SELECT *, modality <> 'negated' AND min(corpus_event_id) OVER w <> "
    "max(corpus_event_id) OVER w AS shared FROM dyad_reports WINDOW w AS (PARTITION BY actor_a, actor_b, "
    "modality = 'negated', doc_id, evidence_start, evidence_end, left(cameo, 3))) "
    "SELECT actor_a, actor_b, any_value(corpus_rank), corpus_event_id, "
    + ", ".join(f"any_value({c})" for c in ("cameo", "quad_class", "modality", "n_sources", "date_start", "date_end",
                                            "date_precision", "source_key", "source_person", "source_sector",
                                            "target_key", "target_person", "target_sector")) +
    ", list(doc_id ORDER BY report_no), count(*), CASE WHEN count(*) > 1 THEN greatest(count(DISTINCT source_doc), "
    "any_value(n_sources)) ELSE greatest(1, any_value(n_sources)) END, bool_or(shared), "
    "CASE WHEN any_value(date_start) IS NULL THEN NULL WHEN bool_and(coalesce(date_source, '') IN "
    f"({', '.join(repr(s) for s in INFERRED_DATE_SOURCES)})) FILTER (WHERE {_SAME_DATE}) "
    f"THEN list(DISTINCT coalesce(date_source, '') ORDER BY coalesce(date_source, '')) FILTER (WHERE {_SAME_DATE}) END, "
    "CASE WHEN any_value(date_start) IS NOT NULL THEN list(doc_id ORDER BY report_no) FILTER (WHERE report_date_start IS NULL) END "
    "FROM r GROUP BY actor_a, actor_b, corpus_event_id ORDER BY actor_a, actor_b, any_value(corpus_rank)")


def write_dyad_tables(con: Any) -> None:
    """Write ``dyad_reports``, ``dyad_events`` and ``dyad_figures`` again from the corpus tables, so that they
    are in the order of the pair whatever the corpus step changed (about two seconds for 100,000 reports)."""
    from ..corpus.tables import write_dyad_figures  # the figures are reconciled in Python

    con.execute("DELETE FROM dyad_reports")
    con.execute("DELETE FROM dyad_events")
    con.execute(DYAD_REPORTS_SQL)
    con.execute(DYAD_EVENTS_SQL)
    write_dyad_figures(con)


#: Every table, in creation order.
TABLES = (META, DOCUMENTS, EVENTS, ACTOR_MENTIONS, LEARNED_ACTORS, CLAIM_DOCS, CLAIMS,
          NEAR_DUPLICATES, STORIES, NAME_MERGES, CORPUS_EVENTS, DOC_SKETCHES, LSH_BUCKETS, DOC_LINKS, DYAD_REPORTS,
          DYAD_EVENTS, DYAD_FIGURES)
#: The tables that hold one article's rows: a reprocessed article's rows are replaced in each.
DOCUMENT_TABLES = ("documents", "events", "actor_mentions", "learned_actors", "claims", "claim_docs")
#: The tables the corpus step maintains from the per-article tables (``corpus/maintain.py``).
CORPUS_TABLES = ("near_duplicates", "stories", "name_merges", "corpus_events", "doc_links", "lsh_buckets",
                 "doc_sketches", "dyad_reports", "dyad_events", "dyad_figures")

MACROS = (
    Macro("date_label", "date_label(start, precision): a date as the articles give it: 2015, 2015-07 or 2015-07-08",
          "CASE precision WHEN 'year' THEN strftime(start, '%Y') WHEN 'month' THEN strftime(start, '%Y-%m') "
          "ELSE strftime(start, '%Y-%m-%d') END"),
)
MACRO_ARGS = {"date_label": "start, precision"}

_QUADS = ("count(*) FILTER (WHERE quad_class = 1) AS verbal_cooperation, "
          "count(*) FILTER (WHERE quad_class = 2) AS material_cooperation, "
          "count(*) FILTER (WHERE quad_class = 3) AS verbal_conflict, "
          "count(*) FILTER (WHERE quad_class = 4) AS material_conflict")

VIEWS = (
    View("events_by_dyad_month",
         "Real-world events between two actors per month (events dated to the month or day; negated events left out).",
         "SELECT least(source_key, target_key) AS actor_a, greatest(source_key, target_key) AS actor_b, "
         "CAST(date_trunc('month', date_start) AS DATE) AS month, count(*) AS events, "
         "count(*) FILTER (WHERE modality = 'asserted') AS asserted, "
         "round(coalesce(sum(goldstein) FILTER (WHERE modality = 'asserted'), 0), 2) AS goldstein_total, " + _QUADS + " "
         "FROM corpus_events WHERE target_key IS NOT NULL AND date_precision IN ('month', 'day') "
         "AND modality <> 'negated' GROUP BY ALL",
         (("actor_a", "the first actor key of the pair, alphabetically"), ("actor_b", "the other actor key"),
          ("month", "first day of the month"), ("events", "events of the pair that month"),
          ("asserted", "of which asserted (not intended or hypothetical)"),
          ("goldstein_total", "sum of the Goldstein weights of the asserted events"),
          ("verbal_cooperation", "events of QuadClass 1"), ("material_cooperation", "events of QuadClass 2"),
          ("verbal_conflict", "events of QuadClass 3"), ("material_conflict", "events of QuadClass 4"))),
    View("events_by_actor_year",
         "Real-world events per actor and year, as source and as target (dated events; negated left out).",
         "SELECT actor_key, year, count(*) AS events, count(*) FILTER (WHERE side = 'source') AS as_source, "
         "count(*) FILTER (WHERE side = 'target') AS as_target, "
         "round(coalesce(sum(goldstein) FILTER (WHERE modality = 'asserted'), 0), 2) AS goldstein_total FROM ("
         "SELECT source_key AS actor_key, 'source' AS side, year(date_start) AS year, goldstein, modality "
         "FROM corpus_events WHERE date_start IS NOT NULL AND modality <> 'negated' AND source_key IS NOT NULL "
         "UNION ALL SELECT target_key, 'target', year(date_start), goldstein, modality "
         "FROM corpus_events WHERE date_start IS NOT NULL AND modality <> 'negated' AND target_key IS NOT NULL"
         ") GROUP BY ALL",
         (("actor_key", "the actor key"), ("year", "the year of the events' start"),
          ("events", "events it took part in"), ("as_source", "of which as source"), ("as_target", "of which as target"),
          ("goldstein_total", "sum of the Goldstein weights of its asserted events"))),
    View("dyads",
         "Every pair of actors with events, either direction, with their first and last dates (negated left out).",
         "SELECT least(source_key, target_key) AS actor_a, greatest(source_key, target_key) AS actor_b, "
         "count(*) AS events, min(date_start) AS first_date, max(date_end) AS last_date, "
         "round(avg(goldstein), 2) AS goldstein_mean FROM corpus_events "
         "WHERE target_key IS NOT NULL AND modality <> 'negated' GROUP BY ALL",
         (("actor_a", "the first actor key, alphabetically"), ("actor_b", "the other actor key"),
          ("events", "real-world events between them"), ("first_date", "start of the earliest dated event"),
          ("last_date", "end of the latest dated event"), ("goldstein_mean", "mean Goldstein weight"))),
    View("event_sources",
         "Which article reports which real-world event, with the sentence and its offsets.",
         "SELECT m.corpus_event_id, e.event_id, e.doc_id, e.content_hash, d.title, d.url, d.outlet, d.pub_date, "
         "e.modality, e.evidence_sentence, e.evidence_start, e.evidence_end "
         "FROM (SELECT corpus_event_id, unnest(event_ids) AS event_id FROM corpus_events) m "
         "JOIN events e ON e.event_id = m.event_id JOIN documents d ON d.doc_id = e.doc_id",
         (("corpus_event_id", "the real-world event"), ("event_id", "its report in one article"),
          ("doc_id", "the article"), ("content_hash", "the version of its text"), ("title", "the article's title"),
          ("url", "the article's URL"), ("outlet", "the article's publisher"), ("pub_date", "its publication date"),
          ("modality", "how this article reports it"), ("evidence_sentence", "the sentence"),
          ("evidence_start", "offset of the sentence in documents.text"), ("evidence_end", "its end offset"))),
)


def table(name: str) -> Table:
    """The declaration of one table."""
    return next(t for t in TABLES if t.name == name)


def table_ddl(t: Table, name: str | None = None) -> str:
    cols = ", ".join(f'"{c.name}" {c.type}{" " + c.constraint if c.constraint else ""}' for c in t.columns)
    return f"CREATE TABLE IF NOT EXISTS {name or t.name} ({cols});"


def ddl() -> str:
    """Every CREATE statement of the current schema (idempotent)."""
    parts = [table_ddl(t) for t in TABLES]
    parts += [f"CREATE OR REPLACE MACRO {m.name}({MACRO_ARGS[m.name]}) AS {m.sql};" for m in MACROS]
    parts += [f"CREATE OR REPLACE VIEW {v.name} AS {v.sql};" for v in VIEWS]
    return "\n".join(parts)


# -- the Parquet interchange format -------------------------------------------------------------
#: Columns that the pipeline fills for each per-article table, flat and typed simply (str,
#: int, float), as the Spark engine writes them to Parquet; the store converts them to the
#: table's types on the way in (DATE, JSON, LIST of STRUCT). ``processed_at`` is set on insert.
STAGING_TYPES = {"n_events": "int", "goldstein": "float", "quad_class": "int", "evidence_start": "int",
                 "evidence_end": "int", "start": "int", "end": "int", "sentence_no": "int"}
STAGING_COLUMNS = {
    name: [c for c in table(name).column_names if c != "processed_at"]
    for name in ("documents", "events", "actor_mentions", "learned_actors")
}
#: How a staged (flat) column becomes the table's column type.
STAGING_CASTS = {
    "pub_date": "CAST(pub_date AS DATE)",
    "options": "CAST(options AS JSON)",
    "date_start": "CAST(date_start AS DATE)",
    "date_end": "CAST(date_end AS DATE)",
    "mentions": f"CAST(from_json(mentions, '[{{\"sentence\": \"VARCHAR\", \"start\": \"INTEGER\", \"end\": \"INTEGER\"}}]') AS {MENTION_STRUCT}[])",
    "quad_class": "CAST(quad_class AS TINYINT)",
}


def staging_kind(column: str) -> str:
    """str | int | float: the Parquet type of a staged column."""
    return STAGING_TYPES.get(column, "str")


def select_staged(table_name: str, source: str) -> str:
    """``SELECT`` that turns the staged columns of ``source`` into ``table_name``'s types."""
    exprs = [f'{STAGING_CASTS[c]} AS "{c}"' if c in STAGING_CASTS else f'"{c}"' for c in STAGING_COLUMNS[table_name]]
    return f"SELECT {', '.join(exprs)} FROM {source}"


# -- documentation -----------------------------------------------------------------------------
DOC_HEADER = """# The entente store

`entente run` and `entente ingest` write one DuckDB file (default `entente.duckdb`). This page
lists every table, view and macro in it; `entente schema` prints the same text, and a test
checks it against a real store. Query it with `entente sql "SELECT …"`, from Python with
`entente.open(db)`, or with any DuckDB client (open it read-only while entente writes).

- **Keys.** `doc_id` is an article's identity in every table: readable and unique (the file
  name, the record's id, or the name with its folders when two sources share it).
  `documents.source_key` says where it was read (a file, or a file and a record): a file
  whose text changes keeps its key and its new version replaces the old one's rows.
  `content_hash` is the version of the text. `event_id` names an event read in one article,
  `corpus_event_id` one real-world event, merged across articles.
- **Dates** are intervals: `date_start` and `date_end` (DuckDB `DATE`) and `date_precision`
  (`year`, `month` or `day`). An event of July 2015 runs from 2015-07-01 to 2015-07-31.
  `date_label(date_start, date_precision)` writes it as the articles give it (2015-07).
- **Offsets** (`evidence_start`, `evidence_end`, `start`, `end`) are Python string indexes into
  `documents.text`, the document text: the file itself for `.txt`, the main text extracted
  from HTML, the record's `text` for JSON, JSON Lines and CSV.
- **Modality** is `asserted`, `intended`, `hypothetical` or `negated`. Negated events are
  stored only when `run` was given `--include-negated`; the views leave them out.
- **Who writes what.** `run` and `ingest` write the per-article tables, then bring the
  corpus tables up to date (`corpus_events`, `near_duplicates`, `stories`, `name_merges`, the
  claims of new articles, and their working tables `doc_sketches`, `lsh_buckets`,
  `doc_links`): only what the new articles can change is recomputed, in one transaction,
  at the end of which `dyad_reports`, `dyad_events` and `dyad_figures` are written again whole from them,
  and `entente corpus --rebuild` recomputes everything. `brief`, `export`, `claims`,
  `events`, `sql` and `entente.open` only read, and open the file read-only.
- **Reprocessing.** Each document records the entente version, the hashes of the knowledge
  base and the patterns, and the options that produced it. `run` reprocesses a stored
  document when its text or any of them differs (or with `--force`), replacing its rows in
  every table in one transaction.
- **Schema version.** `meta.schema_version` is {version}. `run` and `ingest` upgrade an older
  store in place (`entente migrate` does only that); read commands refuse an older or a
  newer store with a message saying what to do.
"""


def render_markdown(view_types: dict[str, dict[str, str]] | None = None) -> str:
    """The store's documentation as Markdown: every table, column, view and macro.

    ``view_types`` (view -> column -> DuckDB type) fills the type column of the views;
    ``column_types`` of a live store gives it.
    """
    out = [DOC_HEADER.format(version=SCHEMA_VERSION), "## Tables", ""]
    for t in TABLES:
        out += [f"### `{t.name}`", "", f"{t.doc} Written by: {t.maintained_by}.", "",
                "| column | type | what it holds |", "|---|---|---|"]
        for c in t.columns:
            key = " (key)" if "PRIMARY KEY" in c.constraint else ""
            out.append(f"| `{c.name}`{key} | `{c.type}` | {c.doc} |")
        out.append("")
    out += ["## Views", ""]
    for v in VIEWS:
        types = (view_types or {}).get(v.name, {})
        out += [f"### `{v.name}`", "", v.doc, "", "| column | type | what it holds |", "|---|---|---|"]
        out += [f"| `{name}` | `{types.get(name, '?')}` | {doc} |" for name, doc in v.columns]
        out += ["", "```sql", v.sql, "```", ""]
    out += ["## Macros", ""]
    out += [f"- `{m.name}({MACRO_ARGS[m.name]})`: {m.doc.split(': ', 1)[1]}" for m in MACROS]
    return "\n".join(out) + "\n"


def column_types(con: object) -> dict[str, dict[str, str]]:
    """Relation -> column -> DuckDB type, for every table and view of a live connection."""
    rows = con.execute(  # type: ignore[attr-defined]
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position").fetchall()
    out: dict[str, dict[str, str]] = {}
    for rel, col, kind in rows:
        out.setdefault(rel, {})[col] = kind
    return out
