"""Plain records that flow through the pipeline.

Every stage takes and returns these frozen dataclasses, so a document's
result can be pickled to a worker process or a Spark executor and back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Document:
    """One article as read from disk, before cleaning."""

    id: str
    text: str
    path: str = ""
    title: str | None = None
    date: str | None = None  # publication date from metadata, YYYY-MM-DD
    url: str | None = None
    source: str | None = None  # outlet
    date_origin: str | None = None  # where `date` came from: meta | cli
    key: str = ""  # where it came from (see ``source_key``), set by the reader

    @property
    def source_key(self) -> str:
        """The document's identity in the store: its file (absolute path), or the file and the
        record (``PATH#id=ID``, ``PATH#record=N``), or ``<stdin>#sha=HASH``. A file that changes
        keeps its key, so its new text replaces the old one."""
        return self.key or f"{self.path or '<text>'}#id={self.id}"


@dataclass(frozen=True, slots=True)
class Span:
    """A character span into the original text of a document."""

    start: int
    end: int


#: CAMEO sectors of the actors the annotation guide names as non-state: rebels and militias, parties and
#: the opposition, NGOs. They are coded and reported but not scored. A country's civilians, refugees or
#: prisoners still count as the country ("deported 150 Indians" targets IND), and a two-level code counts
#: by its first level (GOVMED: state media act for the state).
NON_STATE_SECTORS = frozenset({"REB", "INS", "SEP", "UAF", "IMG", "OPP", "PTY", "NGO"})
#: Companies and media are non-state when named ("Gazprom", "the BBC"); a country's firms or banks in
#: general ("sanctions on Russian banks") stand for the country, as the gold files code them.
NAMED_NON_STATE_SECTORS = frozenset({"BUS", "MNC", "MED"})


@dataclass(frozen=True, slots=True)
class Actor:
    """A resolved actor: a country or IGO, optionally with a sector and a person."""

    text: str  # the surface form in the document
    name: str | None = None  # canonical name (person, office or state)
    country: str | None = None  # ISO 3166-1 alpha-3
    igo: str | None = None  # "UN", "SCO" …
    sector: str | None = None  # CAMEO agent code: GOV, MIL …
    matched_by: str = ""  # which rule resolved it
    person: str | None = None  # canonical person name where known
    parent: str | None = None  # for an IGO body, the organisation it belongs to (UNSC -> UN)

    @property
    def code(self) -> str | None:
        """The CAMEO-style actor code: country plus sector (KAZGOV), or IGO plus abbreviation (IGONATO)."""
        if self.country:
            return self.country + (self.sector or "")
        return f"IGO{self.igo}" if self.igo else None

    @property
    def key(self) -> str | None:
        """The code used to compare actors in evaluation: ISO3 or IGO:XX."""
        if self.country:
            return self.country
        if self.igo:
            return f"IGO:{self.parent or self.igo}"
        return None

    @property
    def state_key(self) -> str | None:
        """``key`` for an actor that is a state or an IGO; None for non-state actors (rebels,
        parties, companies, NGOs, media, former officials), which the annotation guide does not score."""
        first = (self.sector or "")[:3]
        if first in NON_STATE_SECTORS or (first in NAMED_NON_STATE_SECTORS and self.matched_by.startswith("organisation")):
            return None
        return self.key

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "name": self.name,
            "country": self.country,
            "igo": self.igo,
            "sector": self.sector,
            "code": self.code,
            "parent": self.parent,
        }


def actor_key(a: Actor | None) -> str | None:
    """``Actor.key`` of an optional actor (an event's target may be None)."""
    return a.key if a is not None else None


def state_key(a: Actor | None) -> str | None:
    """``Actor.state_key`` of an optional actor."""
    return a.state_key if a is not None else None


@dataclass(frozen=True, slots=True)
class Mention:
    """An actor mention found in a document."""

    doc: str
    start: int
    end: int
    actor: Actor
    sentence: int


@dataclass(frozen=True, slots=True)
class Evidence:
    """The sentence that supports an event, with offsets into the original text."""

    sentence: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TimeRef:
    """A resolved temporal expression."""

    text: str
    start: int
    end: int
    value: str | None  # YYYY, YYYY-MM or YYYY-MM-DD
    precision: str | None  # year | month | day
    kind: str  # absolute | partial | relative | range | named | pub
    end_value: str | None = None  # for ranges


@dataclass(frozen=True, slots=True)
class RawEvent:
    """An event before dating and merging: actors, code, modality, and where it was read."""

    source: Actor
    target: Actor | None
    code: str
    modality: str
    pattern: str
    rule: str
    trigger: int  # token index
    sent_start: int  # character offsets of the sentence in the clean text
    sent_end: int
    symmetric: bool


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event, with the evidence of every mention."""

    event_id: str
    doc: str
    source: Actor
    target: Actor | None
    cameo: str
    root: str
    goldstein: float
    quad_class: int
    plover: str | None
    date: str | None
    date_precision: str | None
    date_source: str | None  # expression text, "previous sentence", "publication"
    modality: str
    evidence: Evidence
    rule: str
    mentions: tuple[Evidence, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "doc": self.doc,
            "source": self.source.to_json(),
            "target": self.target.to_json() if self.target else None,
            "cameo": self.cameo,
            "root": self.root,
            "goldstein": self.goldstein,
            "quad_class": self.quad_class,
            "plover": self.plover,
            "date": self.date,
            "date_precision": self.date_precision,
            "date_source": self.date_source,
            "modality": self.modality,
            "evidence": asdict(self.evidence),
            "mentions": [asdict(m) for m in (self.mentions or (self.evidence,))],
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class Claim:
    """A quantity stated in a document: a number with its unit and item."""

    doc: str
    value: float
    low: float | None
    high: float | None
    qualifier: str  # exact | over | under | approx | range | vague
    unit: str | None
    item: str | None
    text: str
    evidence: Evidence
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class CleanDoc:
    """A cleaned document: normalised text kept alongside offsets into the original."""

    doc: Document
    text: str  # normalised text used for NLP
    offsets: tuple[int, ...]  # offsets[i] = index in doc.text of text[i]; len(text)+1 entries
    pub_date: str | None
    pub_date_origin: str | None  # meta | dateline | date-line | inferred | cli
    byline: str | None = None
    dateline: str | None = None
    dropped: tuple[str, ...] = ()  # what the cleaner removed, for `explain`

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the clean text to the original text."""
        s = self.offsets[start]
        e = self.offsets[end - 1] + 1 if end > start else s
        return s, e


@dataclass(frozen=True, slots=True)
class DocResult:
    """Everything the per-document pipeline learns from one article."""

    doc: Document
    content_hash: str
    pub_date: str | None
    pub_date_origin: str | None
    text: str  # cleaned text
    events: tuple[Event, ...] = ()
    mentions: tuple[Mention, ...] = ()
    claims: tuple[Claim, ...] = ()
    learned: tuple[dict[str, Any], ...] = ()
    trace: tuple[str, ...] = field(default=())
