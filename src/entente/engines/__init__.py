"""Engines: the same per-document function run over many documents.

In: ``Document`` records (or paths and URIs for Spark) and one ``Options``.
Out: ``DocResult`` records, from a local process pool (``local``) or as Parquet
written by pyspark executors (``spark``).
"""
