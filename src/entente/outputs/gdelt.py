"""The GDELT 2.0 event table: the 61 columns of the codebook, in its order, tab-separated.

One row per corpus event (one real-world event, every report merged). GDELT's own files
have no header row, so neither does this one unless ``header=True``. Column by column:

- ``GLOBALEVENTID``: the corpus event id read as a 60-bit integer (stable across exports).
- ``SQLDATE`` / ``MonthYear`` / ``Year`` / ``FractionDate``: **the rule for dates less precise
  than a day**: GDELT dates every event to a day, so an event known to the month or the
  year is written at the **first day of its interval** (July 2015 -> 20150701, 2015 ->
  20150101); MonthYear and Year are exact either way. FractionDate is YYYY + (day of year
  - 1) / 365 of that day. Undated events are left out (GDELT has none); the Parquet and
  PLOVER exports keep the precision (``date_precision``).
- ``Actor*Code``: the CAMEO actor code: country plus sector (KAZGOV), or IGO plus the
  organisation's CAMEO group code plus sector (IGOUNO). ``Actor*Name``: the person, else
  the canonical name, upper-cased as GDELT writes names. ``Actor*CountryCode``: ISO alpha-3
  (CAMEO's country codes). ``Actor*KnownGroupCode``: the CAMEO group code of the actor's
  organisation (UNO, NAT, EEC…, from ``data/igos.yaml``). ``Actor*Type1Code``: the sector
  (GOV, MIL…), or IGO for an organisation, whose sector then goes in ``Type2Code``. An
  organisation whose code ``igos.yaml`` marks as invented gets no group code (IGO alone).
  Ethnic and religion codes stay blank: entente does not code them.
- ``IsRootEvent``: 1 when a report of the event sits in an article's lead paragraph (the
  first paragraph the cleaner keeps).
- ``EventCode`` / ``EventBaseCode`` / ``EventRootCode``: the CAMEO code, its first three
  digits, its root. ``QuadClass``, ``GoldsteinScale`` from the codebook.
- ``NumMentions`` / ``NumSources`` / ``NumArticles``: sentences, sources (near-duplicates
  counted once) and articles that report the merged event. ``AvgTone`` stays blank: entente
  does not measure tone.
- ``Actor1Geo_*``, ``Actor2Geo_*``, ``ActionGeo_*``: blank, as GDELT leaves them, unless the
  event (``place``) or the actor (``place``) carries a location with the attributes
  ``geo_type`` (GDELT's 1-5), ``name``, ``fips`` (FIPS 10-4 country), ``adm1``, ``adm2``,
  ``lat``, ``lon``, ``feature_id``.
- ``DATEADDED``: when the first of its articles was stored (UTC, YYYYMMDDHHMMSS), so an
  export of the same store is the same file. ``SOURCEURL``: the first report's URL, else
  its file path.

Only asserted events go in by default: GDELT has no column for modality. With ``extra``,
three columns follow the 61 (``entente_modality``, ``entente_date_precision``,
``entente_corpus_event_id``), and intended or hypothetical events may be included.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date
from functools import cache
from importlib import resources
from typing import Any

from ..corpus.build import Corpus, CorpusEvent, document_of
from ..model import Actor
from ..store import date_interval
from .safety import safe_url, spreadsheet_cell

GDELT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
]
#: entente's columns after the 61 with ``--extra``.
EXTRA_COLUMNS = ["entente_modality", "entente_date_precision", "entente_corpus_event_id"]
#: The attributes of a location read for the Geo columns, in the columns' order.
GEO_FIELDS = ("geo_type", "name", "fips", "adm1", "adm2", "lat", "lon", "feature_id")
#: Days in GDELT's FractionDate year.
FRACTION_YEAR_DAYS = 365
#: Hex digits of the corpus event id read as GLOBALEVENTID: 60 bits fit a signed 64-bit integer.
ID_HEX_DIGITS = 15


def global_event_id(ce: CorpusEvent) -> int:
    """A stable integer id (GDELT's ids are integers): the corpus event id read as hex, 60 bits."""
    return int(ce.id[:ID_HEX_DIGITS], 16)


def sql_date(ce: CorpusEvent) -> date | None:
    """The day GDELT's SQLDATE gives an event: the first day of its date's interval (see the module docstring)."""
    start, _, _ = date_interval(ce.date)
    return date.fromisoformat(start) if start else None


#: An entry of data/igos.yaml whose CAMEO code the file marks "# invented" (not in the CAMEO codebook).
INVENTED_CODE = re.compile(r"^- abbrev:\s*(\S+)\s*\n\s+cameo:\s*[A-Z0-9]+\s*#\s*invented", re.M)


@cache
def igo_groups() -> dict[str, str]:
    """Organisation abbrev -> CAMEO known-group code, from ``data/igos.yaml``.

    Codes the file marks as invented are left out: a GDELT reader would look them up in
    CAMEO's table and not find them, so such organisations get a blank KnownGroupCode.
    """
    from ..actors.kb import load_kb

    invented = set(INVENTED_CODE.findall(resources.files("entente.data").joinpath("igos.yaml").read_text("utf-8")))
    return {ab: g["cameo"] for ab, g in load_kb(()).igos.items() if g.get("cameo") and ab not in invented}


def gdelt_actor(a: Actor | None) -> list[str]:
    """The ten Actor columns (Code … Type3Code) of one actor."""
    if a is None:
        return [""] * 10
    group = igo_groups().get(a.igo or "", "")
    if a.country:
        code, types = a.country + (a.sector or ""), [a.sector or ""]
    elif a.igo:
        code, types = "IGO" + group + (a.sector or ""), ["IGO", a.sector or ""]
    else:
        code, types = "", [a.sector or ""]
    types += [""] * (3 - len(types))
    name = (a.person or a.name or a.text or "").upper()
    return [code, name, a.country or "", group, "", "", "", *types]


def _geo(obj: Any) -> list[str]:
    place = getattr(obj, "place", None)
    if place is None:
        return [""] * len(GEO_FIELDS)
    return ["" if getattr(place, f, None) is None else str(getattr(place, f)) for f in GEO_FIELDS]


class LeadParagraphs:
    """Where each article's lead paragraph ends, in document-text offsets (computed once per article)."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.ends: dict[str, int] = {}

    def end(self, doc: str) -> int:
        if doc not in self.ends:
            self.ends[doc] = self._end(doc)
        return self.ends[doc]

    def _end(self, doc: str) -> int:
        from ..actors.kb import load_kb
        from ..documents.cleaning import clean

        a = self.corpus.articles.get(doc)
        if a is None or not a.text:
            return 0
        cd = clean(document_of(a), load_kb(()).place_names())
        cut = cd.text.find("\n\n")
        return cd.offsets[cut] if cut > 0 else len(a.text)

    def is_root(self, ce: CorpusEvent) -> bool:
        return any(m.start < self.end(e.doc) for e in ce.events for m in (e.mentions or (e.evidence,)))


def _date_added(corpus: Corpus, ce: CorpusEvent) -> str:
    times = [a.processed_at for e in ce.events if (a := corpus.articles.get(e.doc)) and a.processed_at]
    if not times:
        return ""
    first = min(t if t.tzinfo else t.replace(tzinfo=UTC) for t in times)
    return first.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def _source_url(corpus: Corpus, ce: CorpusEvent) -> str:
    """The first report's http or https URL (no other scheme), else its file path."""
    articles = [corpus.articles[e.doc] for e in ce.events if e.doc in corpus.articles]
    return next((u for a in articles if (u := safe_url(a.url))), None) or \
        next((a.path for a in articles if a.path), ce.docs[0])


def gdelt_row(corpus: Corpus, ce: CorpusEvent, lead: LeadParagraphs, extra: bool = False) -> list[str] | None:
    """One event's 61 values (64 with ``extra``), or None for an undated event."""
    day = sql_date(ce)
    if day is None:
        return None
    fraction = day.year + (day.timetuple().tm_yday - 1) / FRACTION_YEAR_DAYS
    place_of = next((e for e in ce.events if getattr(e, "place", None) is not None), ce)
    row = [
        str(global_event_id(ce)), day.strftime("%Y%m%d"), day.strftime("%Y%m"), str(day.year), f"{fraction:.4f}",
        *gdelt_actor(ce.source), *gdelt_actor(ce.target),
        "1" if lead.is_root(ce) else "0", ce.cameo, ce.cameo[:3], ce.root, str(ce.quad_class), f"{ce.goldstein:g}",
        str(ce.n_mentions), str(ce.n_sources), str(len(ce.events)), "",
        *_geo(ce.source), *_geo(ce.target), *_geo(place_of),
        _date_added(corpus, ce), _source_url(corpus, ce),
    ]
    if extra:
        row += [ce.modality, ce.date_precision or "", ce.id]
    return row


def write_gdelt(corpus: Corpus, events: Iterable[CorpusEvent], out: str, header: bool = False,
                extra: bool = False, raw: bool = False) -> Counter[str]:
    """Write the GDELT event table; returns what was left out, by reason.

    A cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) gets a
    leading ``'`` unless ``raw`` (``safety.spreadsheet_cell``)."""
    left_out: Counter[str] = Counter()
    lead = LeadParagraphs(corpus)
    with open(out, "w", encoding="utf-8", newline="") as f:
        if header:
            f.write(_line(GDELT_COLUMNS + (EXTRA_COLUMNS if extra else [])))
        for ce in events:
            row = gdelt_row(corpus, ce, lead, extra)
            if row is None:
                left_out["undated"] += 1
            else:
                f.write(_line(row, raw))
    return left_out


def _line(row: list[str], raw: bool = True) -> str:
    """One TSV line as GDELT writes them: no quoting, so no tab or line break inside a value."""
    cells = (" ".join(v.split()) if ("\t" in v or "\n" in v or "\r" in v) else v for v in row)
    return "\t".join(cells if raw else (spreadsheet_cell(v) for v in cells)) + "\n"
