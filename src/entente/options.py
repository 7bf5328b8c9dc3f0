"""One options object for the whole pipeline."""

from __future__ import annotations

from dataclasses import dataclass

#: Longest document processed, in characters (``--max-chars``): spaCy's own default limit,
#: about 150,000 words, twenty times a long feature article. Longer texts are refused with
#: one line; 0 lifts the limit (the text is parsed in pieces either way, see ``nlp.parse``).
DEFAULT_MAX_CHARS = 1_000_000
#: Seconds one document may take (``--time-budget``). A document of ``DEFAULT_MAX_CHARS``
#: characters takes 30 to 45 s on a shared two-core machine (``bench/sizes.py``), so this
#: leaves a slow machine room; a document that hangs costs at most this. 0: no budget.
DEFAULT_TIME_BUDGET = 300.0


@dataclass(frozen=True, slots=True)
class Options:
    """Settings of the per-document pipeline.

    Frozen and hashable, so that a worker process or Spark executor gets the
    same settings as the driver. The first four change what it produces (and are
    part of a stored document's provenance); the guards only decide which documents
    it refuses.
    """

    actors_files: tuple[str, ...] = ()  # extra knowledge-base files (--actors)
    pattern_files: tuple[str, ...] = ()  # extra pattern files (--patterns)
    include_negated: bool = False  # keep negated events, flagged (--include-negated)
    pub_date: str | None = None  # override every document's publication date (--date)
    encoding: str = "utf-8"
    max_chars: int = DEFAULT_MAX_CHARS  # refuse longer documents (--max-chars; 0: no limit)
    time_budget: float = DEFAULT_TIME_BUDGET  # seconds per document (--time-budget; 0: none)
