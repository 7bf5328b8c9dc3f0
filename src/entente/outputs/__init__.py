"""Outputs: what a person or another tool reads.

In: events (from the pipeline or the store) and the corpus records.
Out: tables, CSV and JSON(L) for the CLI (``formats``), the analyst brief
(``brief``), GDELT, PLOVER, Parquet and GraphML files (``export``), and the
decision trace of one article (``explain``).
"""
