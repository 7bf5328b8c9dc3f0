"""One options object for the whole pipeline."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Options:
    """Settings that change what the per-document pipeline produces.

    Frozen and hashable, so that a worker process or Spark executor gets the
    same settings as the driver.
    """

    actors_files: tuple[str, ...] = ()  # extra knowledge-base files (--actors)
    pattern_files: tuple[str, ...] = ()  # extra pattern files (--patterns)
    include_negated: bool = False  # keep negated events, flagged (--include-negated)
    pub_date: str | None = None  # override every document's publication date (--date)
    encoding: str = "utf-8"
