"""Cleaning: boilerplate out, characters normalised, offsets into the original kept.

The cleaner builds a new text from pieces of the original. Every character of
the clean text remembers the index of the original character it came from, so
evidence found in the clean text points at the source characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from ..errors import DataFileError
from ..model import CleanDoc, Document

#: Characters mapped to a plain equivalent for matching (same length, so offsets hold).
CHAR_MAP = {
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u2002": " ",
    "\u2003": " ", "\u3000": " ", "\t": " ",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u060c": ",", "\u2026": ".",
}
#: Characters dropped outright (zero-width, soft hyphen, BOM).
CHAR_DROP = {"\u200b", "\u200c", "\u200d", "\u00ad", "\ufeff", "\u2060"}

#: A repeated paragraph shorter than this is kept (short lines such as "Photo" repeat legitimately).
MIN_REPEAT_CHARS = 40
#: A dateline sits in one of the first few paragraphs.
DATELINE_PARAGRAPHS = 3

DATE_LINE = re.compile(r"^\s*date\s*[:=]?\s*(\d{4}-\d{2}-\d{2})\b[ \t]*", re.IGNORECASE)
BYLINE = re.compile(r"^\s*By\s+([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})\s*$")
_PLACE = r"[A-Z][A-Za-z.'’-]+(?:[ -][A-Z][A-Za-z.'’-]+){0,3}"
#: "WASHINGTON, March 23 -", "TOKYO/SEOUL (Reuters) -", "SEOUL, Aug. 20 (Yonhap) --", "NEW DELHI:",
#: "SEOUL, South Korea -": place(s), an optional date or region, an optional agency, a dash or colon.
DATELINE = re.compile(
    rf"^(?P<place>{_PLACE}(?:/{_PLACE})*)"
    r"(?:,\s*(?P<extra>[A-Z][a-z]{2,8}\.? \d{1,2}(?:,? \d{4})?|[A-Z][A-Za-z’' ]{1,30}?))?"
    r"(?:\s*\((?P<agency>[A-Za-z][A-Za-z .&-]{1,30})\))?"
    r"\s*(?::|[-\u2013\u2014]{1,2})\s+(?=[A-Z\"“‘'])"
)
#: "(CNN) North Korean leader …", "(Reuters) - The …": an agency's credit opening the story, with no place.
AGENCY_CREDIT = re.compile(r"^\((?P<agency>[A-Z][A-Za-z .&-]{1,30})\)\s*(?:[-\u2013\u2014]{1,2}\s*)?(?=[A-Z\"“‘'])")
# "word.Next" glued by a scraper: a sentence boundary lost its space.
GLUED_SENTENCE = re.compile(r"(?<=[a-z]{2}[.!?])(?=(?:[A-Z][a-z]|the\s))|(?<=[a-z0-9]{2}[.!?][\"”’])(?=[A-Z][a-z])")
#: The tokenizer splits a run without spaces by peeling punctuation off its ends, scanning the
#: whole run each time: 2,000 marks take 1.6 s, 60 KB hangs. News prose has no run of more than
#: a few marks, and no run longer than a long URL.
MAX_PUNCT_RUN = 16
MAX_RUN_CHARS = 200
PUNCT_RUN = re.compile(rf"[^\w\s]{{{MAX_PUNCT_RUN + 1},}}")
LONG_RUN = re.compile(rf"[^\w\s]{{{MAX_PUNCT_RUN + 1},}}|\S{{{MAX_RUN_CHARS + 1},}}")
CONTINUATION_END = re.compile(r"\b(to|of|and|the|a|an|in|by|with|for|from|on|at|as|that)\s*$", re.I)


@dataclass(frozen=True, slots=True)
class Boilerplate:
    prefixes: tuple[str, ...]
    tail: tuple[str, ...]
    line_patterns: tuple[re.Pattern[str], ...]
    strip_patterns: tuple[re.Pattern[str], ...]


@cache
def boilerplate() -> Boilerplate:
    """The boilerplate markers from ``data/boilerplate.yaml``."""
    raw = resources.files("entente.data").joinpath("boilerplate.yaml").read_text("utf-8")
    try:
        data = yaml.safe_load(raw)
        return Boilerplate(
            prefixes=tuple(p.lower() for p in data.get("drop_line_prefixes", [])),
            tail=tuple(p.lower() for p in data.get("tail_markers", [])),
            line_patterns=tuple(re.compile(p, re.I) for p in data.get("drop_line_patterns", [])),
            strip_patterns=tuple(re.compile(p, re.I) for p in data.get("strip_patterns", [])),
        )
    except (yaml.YAMLError, re.error, AttributeError) as exc:
        raise DataFileError(f"boilerplate.yaml: {exc}") from exc


@dataclass
class _Builder:
    """Accumulates clean text and, per character, its offset in the original."""

    chars: list[str] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)

    def add(self, original: str, start: int, end: int) -> None:
        piece = original[start:end]
        if piece.isascii():  # most news copy: nothing to map or drop
            self.chars.extend(piece)
            self.offsets.extend(range(start, end))
            return
        for i in range(start, end):
            ch = original[i]
            if ch in CHAR_DROP:
                continue
            self.chars.append(CHAR_MAP.get(ch, ch))
            self.offsets.append(i)

    def insert(self, text: str, at: int) -> None:
        """Add characters absent from the original (paragraph separators).

        They map to the last kept character, not to the next one: a sentence
        that ends on a separator then ends in the original where its last
        character does, instead of running into the next paragraph.
        """
        pos = self.offsets[-1] if self.offsets else at
        for ch in text:
            self.chars.append(ch)
            self.offsets.append(pos)


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        stripped_len = len(line.rstrip("\r\n"))
        out.append((pos, pos + stripped_len))
        pos += len(line)
    return out


_NORM_TABLE = str.maketrans({**CHAR_MAP, **{c: None for c in CHAR_DROP}})


def _norm(s: str) -> str:
    return " ".join(s.translate(_NORM_TABLE).split())


def clean(doc: Document, known_places: frozenset[str] = frozenset()) -> CleanDoc:
    """Clean one document; see the module docstring.

    1. Read header metadata: a leading ``date YYYY-MM-DD``, a byline, a dateline.
    2. Drop boilerplate lines, everything after a tail marker, and repeated paragraphs.
    3. Strip credits and trailer codes inside lines; join hard-wrapped lines.
    4. Normalise characters and restore spaces lost between glued sentences.
    5. Break runs of characters without a space that are long enough to make the
       tokenizer quadratic (``MAX_RUN_CHARS``, ``MAX_PUNCT_RUN``): never in news prose.
    """
    bp = boilerplate()
    text = doc.text
    pub_date, origin = doc.date, doc.date_origin or ("meta" if doc.date else None)
    byline = dateline = None
    dropped: list[str] = []
    spans: list[tuple[int, int]] = []  # kept paragraph spans in the original
    seen: set[str] = set()
    paragraphs_seen = 0

    for start, end in _lines(text):
        line = text[start:end]
        norm = _norm(line)
        if not norm:
            continue
        low = norm.lower()
        # 1. header metadata
        if not spans and (m := DATE_LINE.match(line)):
            if not pub_date:
                pub_date, origin = m.group(1), "date-line"
            dropped.append(f"date line: {m.group(1)}")
            start += m.end()
            if not _norm(text[start:end]):
                continue
            norm = _norm(text[start:end])
            low = norm.lower()
        if paragraphs_seen < 6 and byline is None and (m := BYLINE.match(norm)):
            byline = m.group(1)
            dropped.append(f"byline: {norm}")
            continue
        # 2. boilerplate
        if low.startswith(bp.tail):
            dropped.append(f"tail from: {norm[:60]}")
            break
        if low.startswith(bp.prefixes) or any(p.fullmatch(norm) for p in bp.line_patterns):
            dropped.append(f"boilerplate: {norm[:60]}")
            continue
        if len(norm) >= MIN_REPEAT_CHARS and low in seen:
            dropped.append(f"repeated paragraph: {norm[:60]}")
            continue
        seen.add(low)
        paragraphs_seen += 1
        if paragraphs_seen <= DATELINE_PARAGRAPHS and dateline is None:
            m = DATELINE.match(_norm(text[start:end]))
            if m and _is_place(m.group("place"), known_places):
                dateline = m.group(0).strip(" :-\u2013\u2014")
                dropped.append(f"dateline: {dateline}")
                start = _skip_normalised(text, start, m.end())
            elif (credit := AGENCY_CREDIT.match(_norm(text[start:end]))) is not None:
                dropped.append(f"agency credit: {credit.group('agency')}")  # "(CNN) …": the parser took it for a subject
                start = _skip_normalised(text, start, credit.end())
        spans.append((start, end))

    # 3-4. build the clean text
    out = _Builder()
    for n, (start, end) in enumerate(spans):
        if n:
            prev_text = "".join(out.chars[-40:])
            joined = CONTINUATION_END.search(prev_text) is not None
            out.insert(" " if joined else "\n\n", start)
        for s, e in _strip_spans(text, start, end, bp, dropped):
            out.add(text, s, e)
    clean_text = "".join(out.chars)
    offsets = out.offsets
    # restore lost spaces: "ties.the visit" -> "ties. the visit"
    pieces = GLUED_SENTENCE.split(clean_text) if GLUED_SENTENCE.search(clean_text) else None
    if pieces:
        rebuilt, new_offsets, pos = [], [], 0
        for k, piece in enumerate(pieces):
            if k:
                rebuilt.append(" ")
                new_offsets.append(offsets[pos - 1] if pos else 0)
            rebuilt.append(piece)
            new_offsets.extend(offsets[pos : pos + len(piece)])
            pos += len(piece)
        clean_text, offsets = "".join(rebuilt), new_offsets
    # 5. runs the tokenizer would take quadratic time over
    if LONG_RUN.search(clean_text):
        clean_text, offsets = _break_runs(clean_text, offsets)
    end_sentinel = offsets[-1] + 1 if offsets else 0
    return CleanDoc(
        doc=doc,
        text=clean_text,
        offsets=tuple(offsets) + (end_sentinel,),
        pub_date=pub_date,
        pub_date_origin=origin,
        byline=byline,
        dateline=dateline,
        dropped=tuple(dropped),
    )


def _break_runs(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Insert a space into every long run (``LONG_RUN``) after each ``MAX_PUNCT_RUN`` punctuation
    marks or ``MAX_RUN_CHARS`` characters; an inserted space maps to the character before it."""
    out: list[str] = []
    new_offsets: list[int] = []
    pos = 0
    for m in LONG_RUN.finditer(text):
        out.append(text[pos : m.start()])
        new_offsets.extend(offsets[pos : m.start()])
        step = MAX_PUNCT_RUN if PUNCT_RUN.fullmatch(m.group()) else MAX_RUN_CHARS
        for k in range(m.start(), m.end(), step):
            if k > m.start():
                out.append(" ")
                new_offsets.append(offsets[k - 1])
            out.append(text[k : min(k + step, m.end())])
            new_offsets.extend(offsets[k : min(k + step, m.end())])
        pos = m.end()
    out.append(text[pos:])
    new_offsets.extend(offsets[pos:])
    return "".join(out), new_offsets


def _is_place(place: str, known: frozenset[str]) -> bool:
    place = place.split("/")[0]
    if place.isupper() and len(place) > 2:
        return True
    return place.lower() in known


def _skip_normalised(text: str, start: int, n_norm: int) -> int:
    """The original index reached after ``n_norm`` characters of normalised, space-folded text."""
    count, i = 0, start
    prev_space = True  # _norm() strips leading space
    while i < len(text) and count < n_norm:
        ch = CHAR_MAP.get(text[i], text[i])
        if text[i] in CHAR_DROP:
            i += 1
            continue
        is_space = ch.isspace()
        if not (is_space and prev_space):
            count += 1
        prev_space = is_space
        i += 1
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _strip_spans(text: str, start: int, end: int, bp: Boilerplate, dropped: list[str]) -> list[tuple[int, int]]:
    """Sub-spans of a line left after removing ``strip_patterns`` matches."""
    cuts: list[tuple[int, int]] = []
    line = text[start:end]
    for pat in bp.strip_patterns:
        for m in pat.finditer(line):
            cuts.append((start + m.start(), start + m.end()))
            dropped.append(f"stripped: {m.group(0).strip()}")
    if not cuts:
        return [(start, end)]
    cuts.sort()
    out, pos = [], start
    for s, e in cuts:
        if s > pos:
            out.append((pos, s))
        pos = max(pos, e)
    if pos < end:
        out.append((pos, end))
    return out
