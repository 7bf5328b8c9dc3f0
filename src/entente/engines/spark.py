"""The Spark engine: the same ``process_document`` on pyspark executors, Parquet out.

Documents go to the executors in partitions; each executor's Python worker loads
the spaCy model once, on its first document (``entente.nlp.load`` caches it), and
runs the per-document pipeline unchanged. The results are written as Parquet,
one folder per store table, which ``Store.ingest_parquet`` then reads.

Where documents are read:

- local paths (files, folders, ``-``) are read on the driver by ``read_documents``,
  exactly as the local engine reads them, and handed to Spark;
- URIs (``file:///data/news``, ``s3a://bucket/news``, ``hdfs://…``) are read by the
  executors themselves: ``*.parquet`` files as records (``text`` and optional
  ``id``, ``title``, ``date``, ``url``, ``source``), every other supported file
  (txt, HTML, JSON, JSON Lines, CSV) by the same reader as the local engine.

pyspark is an optional extra and is imported only when this engine runs.
"""

from __future__ import annotations

import math
import os
import shutil
import sys
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any, cast

from ..documents.reading import SUFFIXES, clean_str, read_documents, read_file
from ..errors import EmptyInputError, EngineError, EntenteError, InputError
from ..model import Document
from ..options import Options
from ..pipeline import content_hash
from ..store import PARQUET_TABLES, Provenance, provenance
from ..store.identity import Planner, planned
from ..store.schema import staging_kind
from .local import process_alone, report_error

#: Documents per partition for inputs read on the driver: enough to keep a worker
#: busy between tasks, few enough that progress moves and a failed task is cheap to redo.
PARTITION_DOCS = 64
#: Partitions per core for inputs the executors read, after removing repeated texts.
PARTITIONS_PER_CORE = 4
#: Seconds between progress updates while Spark runs.
PROGRESS_INTERVAL = 0.5
#: Settings for a session entente starts itself; a session the caller started keeps its own.
DEFAULT_CONF = {
    "spark.app.name": "entente",
    "spark.sql.shuffle.partitions": "8",
    "spark.python.worker.reuse": "true",  # one model load per Python worker, not per task
    "spark.ui.showConsoleProgress": "false",  # entente shows its own progress bar
}
#: Spark's own logging, for a session entente starts: errors only, so a run prints one summary line.
LOG4J2 = """\
rootLogger.level = error
logger.repl.name = org.apache.spark.repl.Main
logger.repl.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n
"""
#: Key prefix of read errors on the executors: never merged or skipped like content hashes.
ERROR_KEY = "error:"
#: Hadoop glob of the files executors read with the local reader (Parquet is read apart).
FILE_GLOB = "*.{" + ",".join(sorted({s[1:] for s in SUFFIXES} | {s[1:].upper() for s in SUFFIXES})) + "}"


@dataclass
class SparkSummary:
    """What a Spark run read and wrote."""

    read: int = 0  # readable documents
    already: int = 0  # already in the store (same source, text and provenance)
    processed: int = 0  # documents run through the pipeline
    errors: list[str] = field(default_factory=list)


def is_uri(path: str) -> bool:
    """``s3a://bucket/x`` or ``file:///data``: a path for Spark to read, not the driver."""
    scheme, sep, _ = path.partition("://")
    return bool(sep) and scheme.isalnum() and len(scheme) > 1


def session(master: str | None = None, conf: dict[str, str] | None = None) -> tuple[Any, bool]:
    """The active SparkSession, or a new one on ``master``; True when this call started it."""
    try:
        from pyspark import SparkContext
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError("pyspark is not installed: pip install 'entente[spark]'") from None
    from py4j.protocol import Py4JError

    if SparkContext._active_spark_context is not None:  # the caller's session, with its own settings
        return SparkSession.builder.getOrCreate(), False
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise EngineError("Spark needs Java 17 or later: install a JDK (apt-get install openjdk-17-jre-headless) or set JAVA_HOME")
    builder = SparkSession.builder.master(master or "local[*]")
    settings = dict(DEFAULT_CONF)
    if (master or "local").startswith("local"):  # workers run this very interpreter and its packages
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    log_config = _log_config()
    settings.update(conf or {})
    java_options = f"-Dlog4j2.configurationFile={log_config} {settings.get('spark.driver.extraJavaOptions', '')}"
    settings["spark.driver.extraJavaOptions"] = java_options.strip()
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except (RuntimeError, Py4JError) as exc:  # Java failed to start, or the master refused us
        raise EngineError(f"cannot start Spark on {master or 'local[*]'}: {exc}: is Java 17+ installed and JAVA_HOME set?") from exc
    finally:
        os.unlink(log_config)  # read once, when the driver starts
    spark.sparkContext.setLogLevel("ERROR")
    return spark, True


def _log_config() -> str:
    """A file holding ``LOG4J2``, written once per run (the driver JVM reads it at start)."""
    fd, name = tempfile.mkstemp(prefix="entente-log4j2-", suffix=".properties")
    with os.fdopen(fd, "w") as f:
        f.write(LOG4J2)
    return name


def extract_to_parquet(
    paths: Iterable[str],
    out: str,
    options: Options = Options(),
    master: str | None = None,
    planner: Planner | None = None,
    known: set[tuple[str, str]] | None = None,
    conf: dict[str, str] | None = None,
    on_progress: Callable[[int], None] | None = None,
    on_error: Callable[[EntenteError], None] = report_error,
    prov: Provenance | None = None,
) -> SparkSummary:
    """Run the pipeline on Spark over ``paths`` and write the store's tables as Parquet under ``out``.

    1. Read: local paths on the driver, URIs on the executors.
    2. Drop documents already in the store: on the driver, as ``planner`` decides (which
       also gives each document its id); on the executors, the (source key, content hash)
       pairs of ``known``. Executors also drop repeated texts (the first path wins).
    3. Run ``process_document`` on the executors, partition by partition.
    4. Write ``out/documents``, ``out/events``, ``out/actor_mentions``, ``out/learned_actors``,
       each document row with its provenance (``prov``, computed here from ``options`` if not given).
    """
    prov = prov or provenance(options)
    with warnings.catch_warnings():  # pyspark warns about pandas versions it does not use here
        warnings.filterwarnings("ignore", category=FutureWarning, module="pyspark")
        return _extract_to_parquet(list(paths), out, options, master, planner or Planner({}, prov), known or set(),
                                   conf, on_progress, on_error, prov)


def _extract_to_parquet(paths: list[str], out: str, options: Options, master: str | None,
                        planner: Planner, known: set[tuple[str, str]], conf: dict[str, str] | None,
                        on_progress: Callable[[int], None] | None,
                        on_error: Callable[[EntenteError], None], prov: Provenance) -> SparkSummary:
    spark, started = session(master, conf)
    from pyspark import StorageLevel

    sc = spark.sparkContext
    summary = SparkSummary()
    done = sc.accumulator(0)
    try:
        # 1. and 2.
        local = [p for p in paths if not is_uri(p)]
        remote = [p for p in paths if is_uri(p)]
        rdds = []
        docs: list[Document] = []
        if local:
            docs = _driver_documents(local, options.encoding, planner, summary, on_error, on_progress)
            if docs:
                rdds.append(sc.parallelize(docs, max(sc.defaultParallelism, math.ceil(len(docs) / PARTITION_DOCS))))
        counters = []
        if remote:
            rdd, read, skipped = _executor_documents(spark, remote, options.encoding, known)
            rdds.append(rdd)
            counters.append((read, skipped))
        if not rdds:
            rdds.append(sc.emptyRDD())
        docs_rdd = rdds[0] if len(rdds) == 1 else sc.union(rdds)
        # 3.
        results = docs_rdd.mapPartitions(partial(_process_partition, options=options, done=done, prov=prov))
        results.persist(StorageLevel.MEMORY_AND_DISK)  # computed once, written four times
        with _progress(done, on_progress):
            # 4.
            for n, (table, columns) in enumerate(PARQUET_TABLES.items()):
                rows = results.flatMap(partial(_table_rows, n=n))
                spark.createDataFrame(rows, _schema(columns)).write.mode("overwrite").parquet(_join(out, table))
            errors = results.flatMap(_error_rows).collect()
        results.unpersist()
        summary.processed = done.value
        for read, skipped in counters:
            summary.read += read.value
            summary.already += skipped.value
            # a record read twice with the same id and text (the first path kept) counts as already there
            summary.already += max(0, read.value - skipped.value - (done.value - len(docs)))
        for err in errors:
            summary.errors.append(str(err))
            on_error(err if isinstance(err, EntenteError) else EntenteError(str(err)))
    finally:
        if started:
            spark.stop()
    return summary


# -- reading ------------------------------------------------------------------------------


def _driver_documents(paths: list[str], encoding: str, planner: Planner, summary: SparkSummary,
                      on_error: Callable[[EntenteError], None],
                      on_progress: Callable[[int], None] | None) -> list[Document]:
    """Read local paths as the local engine does; keep the documents ``planner`` says to write, with their ids."""
    docs = []
    for item in planned(read_documents(paths, encoding), planner, content_hash, summary,
                        (lambda _item, _d: on_progress(1)) if on_progress else None):
        if isinstance(item, InputError):
            on_error(item)
        else:
            docs.append(item)
    return docs


def _executor_documents(spark: Any, uris: list[str], encoding: str, known: set[tuple[str, str]]) -> tuple[Any, Any, Any]:
    """An RDD of the new documents (and read errors) under ``uris``, read and de-duplicated on the
    executors, with the accumulators that count the documents read and skipped."""
    from pyspark.sql.utils import AnalysisException

    sc = spark.sparkContext
    read, skipped = sc.accumulator(0), sc.accumulator(0)
    files = (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
             .option("pathGlobFilter", FILE_GLOB).load(uris).select("path", "content"))
    keyed = files.rdd.flatMap(partial(_file_documents, encoding=encoding))
    try:
        records = (spark.read.option("recursiveFileLookup", "true").option("pathGlobFilter", "*.parquet")
                   .parquet(*uris))
        keyed = keyed.union(records.rdd.flatMap(_record_documents))
    except AnalysisException:  # no Parquet files under these paths
        pass
    fresh = keyed.filter(partial(_is_new, known=sc.broadcast(frozenset(known)), read=read, skipped=skipped))
    docs = fresh.reduceByKey(_first, numPartitions=sc.defaultParallelism * PARTITIONS_PER_CORE).values()
    return docs.map(_item), read, skipped


def _key(doc: Document) -> str:
    """Executors key a document by its text and id: one record read twice is processed once."""
    return f"{content_hash(doc)}|{doc.id}"


def _is_new(kv: tuple[str, Any], known: Any, read: Any, skipped: Any) -> bool:
    """Count a document read; False for a source already stored with this text and provenance."""
    if kv[0].startswith(ERROR_KEY):
        return True
    read.add(1)
    doc = kv[1][1]
    if (doc.source_key, kv[0].split("|", 1)[0]) in known.value:
        skipped.add(1)
        return False
    return True


def _first(a: tuple[Any, Any], b: tuple[Any, Any]) -> tuple[Any, Any]:
    """Of two copies of a record (same id and text), the one read first (by path, then place in the file)."""
    return a if a[0] <= b[0] else b


def _item(value: tuple[Any, Any]) -> Document | InputError:
    return value[1]


@dataclass
class _Blob:
    """A file read by Spark, posing as a path so that ``read_file`` reads it like a local file."""

    name: str
    content: bytes

    def read_bytes(self) -> bytes:
        return self.content

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix

    @property
    def stem(self) -> str:
        return PurePosixPath(self.name).stem

    def __str__(self) -> str:
        return self.name


def _file_documents(row: Any, encoding: str) -> Iterator[tuple[str, Any]]:
    """(key, ((path, n, id), Document)) for each document in a file (``_key``); errors keyed apart."""
    name = row.path.removeprefix("file:") if row.path.startswith("file:/") and not row.path.startswith("file://") else row.path
    for n, item in enumerate(read_file(cast(Path, _Blob(name, bytes(row.content))), encoding)):
        if isinstance(item, InputError):
            yield f"{ERROR_KEY}{name}:{n}", ((name, n, ""), item)
        else:
            yield _key(item), ((item.path, n, item.id), item)


def _record_documents(row: Any) -> Iterator[tuple[str, Any]]:
    """A Parquet record as a document; records without ``id`` are named by their content hash."""
    rec = row.asDict()
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        message = f"a Parquet record has no 'text' (id {rec.get('id')!r}, fields {', '.join(sorted(rec))})"
        yield f"{ERROR_KEY}{message}", (("", 0, ""), EmptyInputError("parquet", message))
        return
    fields = {k: (str(rec[k]) if rec.get(k) not in (None, "") else None) for k in ("id", "title", "date", "url", "source")}
    text = clean_str(text)
    h = content_hash(Document(id="", text=text))
    doc_id = fields["id"] or h
    key = f"parquet#id={fields['id']}" if fields["id"] else f"parquet#sha={h}"
    yield f"{h}|{doc_id}", (("", 0, doc_id), Document(id=doc_id, text=text, title=fields["title"], date=fields["date"],
                                        url=fields["url"], source=fields["source"],
                                        date_origin="meta" if fields["date"] else None, key=key))


# -- processing and writing ---------------------------------------------------------------


def _process_partition(items: Iterable[Document | InputError], options: Options, done: Any,
                       prov: Provenance) -> Iterator[tuple[Any, ...]]:
    """Run the pipeline on one partition: (document row, events, mentions, learned, error) per item.

    Each document is checked and processed alone, within its time budget (``process_alone``);
    one that fails is an error row, and the partition goes on."""
    from ..store import result_rows

    for item in items:
        if isinstance(item, InputError):  # a read error from the executors
            yield None, [], [], [], item
            continue
        r = process_alone(item, options)
        done.add(1)
        if isinstance(r, InputError):
            yield None, [], [], [], r
        else:
            rows = result_rows(r, prov)
            yield rows.document, rows.events, rows.mentions, rows.learned, None


def _table_rows(result: tuple[Any, ...], n: int) -> list[tuple[Any, ...]]:
    if n == 0:
        return [result[0]] if result[0] is not None else []
    return result[n]


def _error_rows(result: tuple[Any, ...]) -> list[InputError]:
    return [result[4]] if result[4] else []


def _schema(columns: list[str]) -> Any:
    """The Spark schema of a staged table: the store's interchange types (``schema.staging_kind``)."""
    from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

    kinds = {"str": StringType(), "int": LongType(), "float": DoubleType()}
    return StructType([StructField(c, kinds[staging_kind(c)], True) for c in columns])


def _join(out: str, table: str) -> str:
    return f"{out.rstrip('/')}/{table}"


class _progress:
    """Report the documents the executors have finished, while Spark runs."""

    def __init__(self, done: Any, on_progress: Callable[[int], None] | None) -> None:
        self.done, self.on_progress = done, on_progress
        self.stop = threading.Event()
        self.reported = 0
        self.thread = threading.Thread(target=self._poll, daemon=True)

    def _report(self) -> None:
        value = self.done.value
        if self.on_progress and value > self.reported:
            self.on_progress(value - self.reported)
        self.reported = max(self.reported, value)

    def _poll(self) -> None:
        while not self.stop.wait(PROGRESS_INTERVAL):
            self._report()

    def __enter__(self) -> _progress:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self._report()
