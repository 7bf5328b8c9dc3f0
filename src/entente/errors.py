"""One error hierarchy for entente; the CLI turns each into a one-line message.

    EntenteError
    ├── InputError            a document could not be read
    │   ├── EncodingError     bytes are not text in the expected encoding
    │   ├── BinaryFileError   the file holds binary data
    │   ├── EmptyInputError   nothing to read
    │   └── FormatError       broken JSON / CSV / HTML
    ├── DataFileError         a knowledge-base or pattern file is malformed
    ├── ModelError            the spaCy model is missing
    ├── StoreError            the DuckDB store cannot be used
    └── EngineError           a processing engine (pool, Spark) is unavailable
"""

from __future__ import annotations


class EntenteError(Exception):
    """Base of every error entente raises on purpose."""


class InputError(EntenteError):
    """A document could not be read; the batch goes on without it."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class EncodingError(InputError):
    """The bytes are not text in the expected encoding."""


class BinaryFileError(InputError):
    """The file holds binary data, not text."""


class EmptyInputError(InputError):
    """The file or record holds no text."""


class FormatError(InputError):
    """The file is not well-formed JSON, JSON Lines, CSV or HTML."""


class DataFileError(EntenteError):
    """A shipped or user-supplied data file is malformed."""


class ModelError(EntenteError):
    """The spaCy English model is not installed."""


class StoreError(EntenteError):
    """The DuckDB store cannot be opened or written."""


class EngineError(EntenteError):
    """A processing engine (process pool, Spark) is not available."""
