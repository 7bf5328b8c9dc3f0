"""The store: one DuckDB file with every article, event, actor mention, claim and corpus event.

- ``schema.py``: every table, view and macro, declared once with what it holds (the DDL,
  the Parquet interchange columns and ``docs/store.md`` come from it);
- ``db.py``: ``Store``, which writes the pipeline's results and reads them back;
- ``queries.py``: the event filters shared by the CLI and the Python API;
- ``migrate.py``: schema versions, upgrades of older stores;
- ``provenance.py``: the version, data and options that produced a document's rows.
"""

from .db import (
    DEFAULT_DB,
    PARQUET_TABLES,
    IngestSummary,
    ResultRows,
    Store,
    date_interval,
    date_label,
    event_row,
    result_rows,
    row_to_json,
)
from .provenance import Provenance, provenance
from .queries import DEFAULT_MODALITIES, MODALITIES, EventFilter

__all__ = ["DEFAULT_DB", "DEFAULT_MODALITIES", "MODALITIES", "PARQUET_TABLES", "EventFilter", "IngestSummary",
           "Provenance", "ResultRows", "Store", "date_interval", "date_label", "event_row", "provenance",
           "result_rows", "row_to_json"]
