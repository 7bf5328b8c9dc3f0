"""The store for notebooks and apps: ``entente.open(db)`` and its DataFrames.

    >>> import entente
    >>> db = entente.open("entente.duckdb")
    >>> db.events(dyad="IND-KAZ", root="04", since="2015")      # a pandas DataFrame
    >>> db.corpus_events(actor="KAZ").to_arrow()               # the same rows as a pyarrow Table

Every method returns a ``Frame``: a pandas ``DataFrame`` with one more method,
``to_arrow()``. Columns are the store's (see ``docs/store.md``): DuckDB ``DATE`` columns
become ``datetime64`` columns, ``LIST`` columns Python lists, ``STRUCT`` values dicts.
The store is opened read-only, for each question only: a notebook that keeps a
``Dataset`` never holds the file, so ``entente run`` can write between two questions (a
question asked while a batch is being written waits for it, see ``store.db``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from .store import DEFAULT_DB, Store
from .store.queries import EventFilter, event_query, modalities


class Frame(pd.DataFrame):
    """A pandas DataFrame that also converts to a pyarrow Table (``to_arrow``)."""

    @property
    def _constructor(self) -> type[Frame]:
        return Frame

    def to_arrow(self) -> Any:
        """The rows as a ``pyarrow.Table`` (dates as timestamps, lists as lists)."""
        import pyarrow as pa

        return pa.Table.from_pandas(pd.DataFrame(self), preserve_index=False)


class Dataset:
    """A store read read-only, whose questions come back as DataFrames.

    It opens the store for each question and closes it after (see the module docstring).
    Use it as a context manager, or call ``close()``; ``entente.open(db)`` makes one.
    """

    def __init__(self, db: str | Path = DEFAULT_DB) -> None:
        self.path = str(db)
        with self.connect():  # the store exists and this entente reads it
            pass

    def connect(self) -> Store:
        """The store, opened read-only: use it in a ``with`` block and let it go soon."""
        return Store(self.path, read_only=True)

    def close(self) -> None:
        """Nothing is held between questions; kept for ``with`` blocks and old code."""

    def __enter__(self) -> Dataset:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<entente.Dataset {self.path}>"

    def sql(self, query: str, params: list[Any] | None = None) -> Frame:
        """Any read-only SQL over the store's tables and views, as a DataFrame."""
        with self.connect() as store:
            rel = store.con.sql(query, params=params or None)
            return _frame(rel.to_arrow_table() if rel is not None else None)

    def events(self, dyad: str | None = None, actor: str | None = None, root: str | None = None,
               code: str | None = None, quad: int | None = None, plover: str | None = None,
               modality: str | Iterable[str] | None = None, since: str | None = None, until: str | None = None,
               doc: str | None = None, limit: int | None = None) -> Frame:
        """Events as read in each article, one row per article and happening, in date order.

        ``dyad`` "IND-KAZ" matches either direction; ``actor`` an actor in either role (KAZ,
        IGO:UN, KAZGOV, or a person's name); ``root`` "04"; ``code`` a CAMEO code prefix;
        ``quad`` 1-4; ``plover`` "CONSULT"; ``modality`` one or more of asserted, intended,
        hypothetical, negated or "all" (by default all but negated); ``since``/``until``
        YYYY[-MM[-DD]] keep events whose date interval overlaps the range.
        """
        f = EventFilter(dyad=dyad, actor=actor, root=root, code=code, quad=quad, plover=plover, modality=modality,
                        since=since, until=until, doc=doc, limit=limit)
        return self.sql(*event_query("events", f, "*, date_label(date_start, date_precision) AS date"))

    def corpus_events(self, dyad: str | None = None, actor: str | None = None, root: str | None = None,
                      code: str | None = None, quad: int | None = None, plover: str | None = None,
                      modality: str | Iterable[str] | None = None, since: str | None = None,
                      until: str | None = None, doc: str | None = None, limit: int | None = None) -> Frame:
        """Real-world events, one row each, every report merged (same filters as ``events``)."""
        f = EventFilter(dyad=dyad, actor=actor, root=root, code=code, quad=quad, plover=plover, modality=modality,
                        since=since, until=until, doc=doc, limit=limit)
        return self.sql(*event_query("corpus_events", f, "*, date_label(date_start, date_precision) AS date"))

    def documents(self, text: bool = False) -> Frame:
        """The stored articles with their metadata and provenance (``text=True`` adds their text)."""
        cols = "*" if text else "* EXCLUDE (text)"
        return self.sql(f"SELECT {cols} FROM documents ORDER BY pub_date NULLS LAST, doc_id")

    def claims(self, dyad: str | None = None, status: str | None = None) -> Frame:
        """The figures the articles state, each claim with its figure's status across sources.

        ``dyad`` "KAZ-IND" keeps figures about those two actors; ``status`` one of
        corroborated, consistent, conflicting, single-source.
        """
        from .claims.reconcile import claim_rows
        from .corpus.build import figures_of

        rows = claim_rows(figures_of(self.path, dyad), status)
        return Frame(pd.json_normalize(rows) if rows else pd.DataFrame())

    def views(self) -> list[str]:
        """The names of the store's views (``events_by_dyad_month`` …), each readable with ``view``."""
        from .store.schema import VIEWS

        return [v.name for v in VIEWS]

    def view(self, name: str) -> Frame:
        """One of the store's views as a DataFrame."""
        if name not in self.views():
            from .errors import StoreError

            raise StoreError(f"no view {name!r}: use one of {', '.join(self.views())}")
        return self.sql(f"SELECT * FROM {name}")


def _frame(table: Any) -> Frame:
    """A pyarrow table as a Frame (a statement without rows gives an empty one)."""
    return Frame(table.to_pandas(date_as_object=False) if table is not None else pd.DataFrame())


def open(db: str | Path = DEFAULT_DB) -> Dataset:
    """Open a store read-only for notebooks: ``entente.open("entente.duckdb").events(dyad="IND-KAZ")``."""
    return Dataset(db)


__all__ = ["Dataset", "Frame", "modalities", "open"]
