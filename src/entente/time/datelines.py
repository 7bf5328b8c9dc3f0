"""Datelines: the place and day a wire story was filed from, and what they mean for its dates.

"TOKYO/SEOUL (Reuters) -" puts the story in Tokyo's time zone; "WASHINGTON, March 23 -" fixes
its "today". The text wins over a page's metadata: a dateline day that disagrees with the
publication date becomes the day that "today", "yesterday" and weekdays are read from.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from importlib import resources

import yaml

from ..actors.kb import KB
from .dates import MONTHS, parse_date

_DAY = re.compile(r"(?P<m>[A-Z][a-z]{2,8})\.? (?P<d>\d{1,2})(?:,? (?P<y>\d{4}))?")
#: A dateline day more than this many days from the metadata date is a different story (a reprint,
#: a slip in the metadata year), not a correction of its day.
MAX_DATELINE_SHIFT_DAYS = 3
#: Hours east of the publisher's zone from which a dateline's day runs ahead of the page date.
#: Publication dates of the English-language press are mostly set in the Americas or Europe
#: (UTC-8 to UTC+1); a dateline at UTC+5 or later is already in the next day for much of theirs.
DATELINE_AHEAD_HOURS = 5


@cache
def utc_offsets() -> dict[str, float]:
    """Standard UTC offset per country (ISO3), from ``data/timezones.yaml``."""
    raw = yaml.safe_load(resources.files("entente.data").joinpath("timezones.yaml").read_text("utf-8"))
    return {str(k): float(v) for k, v in (raw or {}).get("offsets", {}).items()}


def dateline_country(dateline: str | None, kb: KB) -> str | None:
    """The country of a dateline's (first) place, if the knowledge base knows it."""
    if not dateline:
        return None
    place = dateline.split(",")[0].split("(")[0].split("/")[0].strip()
    for entry in kb.lookup(place) or kb.lookup(place.title()):
        if entry.country:
            return entry.country
    return None


def runs_ahead(dateline: str | None, kb: KB) -> bool:
    """Is the dateline's local day ahead of a publication date set in the Americas or Europe?"""
    return country_ahead(dateline_country(dateline, kb))


def country_ahead(country: str | None) -> bool:
    """Is a country's local day ahead of a publication date set in the Americas or Europe?"""
    return country is not None and utc_offsets().get(country, 0.0) >= DATELINE_AHEAD_HOURS


def dateline_day(dateline: str | None, pub: str | None) -> str | None:
    """The day a dateline states ("WASHINGTON, March 23"), with the publication date's year when it
    gives none; None when it states no day or no year can be known."""
    if not dateline:
        return None
    m = _DAY.search(dateline)
    if m is None or m.group("m").lower()[:3] not in MONTHS:
        return None
    ref = parse_date(pub)
    year = int(m.group("y")) if m.group("y") else (ref.year if ref else None)
    if year is None:
        return None
    try:
        day = date(year, MONTHS[m.group("m").lower()[:3]], int(m.group("d")))
    except ValueError:
        return None
    if ref is not None and not m.group("y") and (day - ref).days > 180:
        day = day.replace(year=year - 1)  # a December dateline on a January page
    return day.isoformat()


def today(dateline: str | None, pub: str | None) -> str | None:
    """The story's "today": the dateline's day where it disagrees a little with the metadata."""
    day = dateline_day(dateline, pub)
    if day is None:
        return pub
    if pub is None:
        return day if _has_year(dateline) else None
    shift = abs((parse_date(day) - parse_date(pub)).days)  # type: ignore[operator]
    return day if 0 < shift <= MAX_DATELINE_SHIFT_DAYS else pub


def _has_year(dateline: str | None) -> bool:
    m = _DAY.search(dateline or "")
    return bool(m and m.group("y"))
