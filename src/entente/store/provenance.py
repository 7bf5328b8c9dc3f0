"""What produced a document's rows: entente's version, the data and patterns, the options.

A stored document records its ``Provenance``; ``run`` reprocesses a document whose
provenance differs from the current one, so changing the knowledge base, the patterns,
an option or entente itself never leaves stale rows behind.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from ..errors import DataFileError
from ..options import Options

#: Package data folder of the event patterns (everything else in data/ counts as the knowledge base).
PATTERN_DIR = "patterns"
#: Hex digits kept of a hash: 64 bits tell data versions apart.
HASH_DIGITS = 16


def version() -> str:
    """The installed entente version (``entente.__version__``)."""
    from .. import __version__

    return __version__


@dataclass(frozen=True, slots=True)
class Provenance:
    """The version, data hashes and options that produced a document's rows."""

    entente_version: str
    kb_hash: str
    patterns_hash: str
    options: str  # JSON, keys sorted

    def differences(self, other: Provenance) -> list[str]:
        """What differs from ``other``: "entente version", "knowledge base", "patterns", "options"."""
        names = {"entente_version": "entente version", "kb_hash": "knowledge base",
                 "patterns_hash": "patterns", "options": "options"}
        return [label for f, label in names.items() if getattr(self, f) != getattr(other, f)]


def _digest(chunks: list[bytes]) -> str:
    h = hashlib.sha1()
    for chunk in chunks:
        h.update(hashlib.sha1(chunk).digest())
    return h.hexdigest()[:HASH_DIGITS]


def _shipped(patterns: bool) -> list[bytes]:
    root = resources.files("entente.data")
    folder = root.joinpath(PATTERN_DIR) if patterns else root
    files = sorted((f for f in folder.iterdir() if f.is_file() and f.name.endswith((".yaml", ".csv", ".txt", ".json"))),
                   key=lambda f: f.name)
    return [f.name.encode() + b"\0" + f.read_bytes() for f in files]


def _user(paths: tuple[str, ...]) -> list[bytes]:
    out = []
    for p in paths:
        try:
            out.append(Path(p).read_bytes())
        except OSError as exc:
            raise DataFileError(f"{p}: cannot read: {exc.strerror or exc}") from exc
    return out


@cache
def _shipped_hash(patterns: bool) -> bytes:
    """The digest of the shipped data files (or pattern files), computed once per process."""
    return hashlib.sha1(b"".join(_shipped(patterns))).digest()


def provenance(options: Options) -> Provenance:
    """The provenance of rows produced now with ``options``.

    User files count by content, not by path: the same file moved elsewhere changes nothing.
    """
    kb = _digest([_shipped_hash(False), *_user(options.actors_files)])
    patterns = _digest([_shipped_hash(True), *_user(options.pattern_files)])
    opts = json.dumps({"include_negated": options.include_negated, "pub_date": options.pub_date}, sort_keys=True)
    return Provenance(version(), kb, patterns, opts)
