"""One error hierarchy for entente; the CLI turns each into a one-line message.

    EntenteError
    ├── InputError            one input is skipped; the batch goes on without it
    │   ├── EncodingError     bytes are not text in the expected encoding
    │   ├── BinaryFileError   the file holds binary data
    │   ├── EmptyInputError   nothing to read
    │   ├── FormatError       broken JSON / CSV / HTML
    │   ├── UnsupportedFileError  not a file entente reads (a .docx in a folder, a named pipe…)
    │   └── DocumentError     a readable document that could not be processed
    │       ├── TooLongError      longer than --max-chars
    │       ├── NotProseError     no text to parse (punctuation, numbers…)
    │       ├── DocumentTimeout   over its time budget
    │       └── WorkerDiedError   its worker process died (twice)
    ├── UsageError            an option or argument is wrong
    ├── DataFileError         a knowledge-base or pattern file is malformed
    ├── ModelError            the spaCy model is missing
    ├── StoreError            the DuckDB store cannot be used
    │   └── StoreBusyError    another process holds the store
    └── EngineError           a processing engine (pool, Spark) is unavailable

An ``InputError`` costs only its input: commands that read many report it on one line
and go on (exit code 1 at the end). Every other error stops the command before it does
anything it cannot finish (exit code 2): see ``EXIT_*`` below.
"""

from __future__ import annotations

from typing import ClassVar

#: Exit codes of every command: everything done; done, but some input skipped; nothing done
#: because of a usage or configuration error (a bad option, data file, store or environment).
EXIT_OK = 0
EXIT_SKIPPED = 1
EXIT_USAGE = 2


class EntenteError(Exception):
    """Base of every error entente raises on purpose."""

    exit_code: ClassVar[int] = EXIT_USAGE


class InputError(EntenteError):
    """A document could not be read; the batch goes on without it."""

    #: The summary's name for why inputs like this one were skipped.
    kind: ClassVar[str] = "unreadable"
    exit_code: ClassVar[int] = EXIT_SKIPPED

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:  # pickled from worker processes
        return type(self), (self.path, self.reason)


class EncodingError(InputError):
    """The bytes are not text in the expected encoding."""


class BinaryFileError(InputError):
    """The file holds binary data, not text."""

    kind = "binary"


class EmptyInputError(InputError):
    """The file or record holds no text."""

    kind = "empty"


class FormatError(InputError):
    """The file is not well-formed JSON, JSON Lines, CSV or HTML."""

    kind = "malformed"


class UnsupportedFileError(InputError):
    """Not a file entente reads: another format, a hidden file, a named pipe or device."""

    kind = "unsupported"


class DocumentError(InputError):
    """A document was read but could not be processed."""

    kind = "failed"


class TooLongError(DocumentError):
    """The document is longer than ``--max-chars``."""

    kind = "too long"


class NotProseError(DocumentError):
    """The document holds too few letters to be prose (punctuation, numbers, markup)."""

    kind = "not prose"


class DocumentTimeout(DocumentError):
    """Processing the document took longer than its time budget."""

    kind = "timed out"


class WorkerDiedError(DocumentError):
    """The worker process processing the document died, again when it was retried alone."""

    kind = "worker died"


class UsageError(EntenteError):
    """An option or argument has a value entente cannot use."""


class DataFileError(EntenteError):
    """A shipped or user-supplied data file is malformed."""


class ModelError(EntenteError):
    """The spaCy English model is not installed."""


class StoreError(EntenteError):
    """The DuckDB store cannot be opened or written."""


class StoreBusyError(StoreError):
    """Another process holds the store for longer than this one waits."""


class EngineError(EntenteError):
    """A processing engine (process pool, Spark) is not available."""
