"""entente: news articles about international relations in, sourced CAMEO event data out.

The Python API for notebooks and apps::

    import entente
    events = entente.extract_text("India and Kazakhstan signed five agreements on Wednesday.", date="2015-07-08")
    db = entente.open("entente.duckdb")          # read-only
    db.events(dyad="IND-KAZ", since="2015")      # a pandas DataFrame; .to_arrow() for pyarrow

Everything the command line does is in ``entente.api``. Importing entente loads nothing
heavy: the language model loads on the first text processed.
"""

from __future__ import annotations

from importlib import metadata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .dataset import Dataset
    from .model import Event

try:
    __version__ = metadata.version("entente")
except metadata.PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"


def extract_text(text: str, date: str | None = None, **options: Any) -> list[Event]:
    """The events of one text (see ``entente.api.extract_text`` for the options)."""
    from .api import extract_text as run

    return run(text, date, **options)


def open(db: str = "entente.duckdb") -> Dataset:
    """Open a store read-only; its methods return pandas DataFrames (see ``entente.dataset``)."""
    from .dataset import Dataset

    return Dataset(db)


__all__ = ["__version__", "extract_text", "open"]
