"""Claims: the quantities an article states, each a number with its unit and item.

"6 million medical masks", "over five million medical masks", "thousands of respirators",
"40-tonne aid", "approximately 200 … personnel", "1.57 billion USD", "from US$ 250 million
to US$ 1000 million": each becomes a ``Claim`` with

- ``value``: the number as written (the first one of a range);
- ``low``/``high``: the amounts the wording allows. An exact number allows its rounding
  ("6 million" is 5.5–6.5 million, "105" is 104.5–105.5); "over 5 million" has no ``high``;
  "thousands" is 2,000–99,999 (see ``data/quantities.yaml``);
- ``qualifier``: exact | over | under | approx | range | vague;
- ``unit`` (USD, tonne, %) and ``item`` ("medical masks");
- ``evidence``: ``start``/``end`` delimit the quantity phrase in the original text and
  ``sentence`` is the whole sentence around it (events keep the sentence offsets instead);
- ``event_id``: the nearest event whose evidence holds the same sentence.

The words (number words, scales, qualifiers, vague amounts, units) are data:
``data/quantities.yaml``. Finding claims needs no parse, so it is cheap enough to run
on stored documents as well as inside the per-document pipeline (``claims_for``).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

import yaml

from ..errors import DataFileError
from ..model import Claim, CleanDoc, DocResult, Event, Evidence, Mention

#: Words taken as a claim's item after the number: "portable artificial lung ventilation devices".
MAX_ITEM_WORDS = 6
#: How far before a bare amount to look for the noun it measures ("the death toll … rose above
#: 15,000" puts nine words between them).
LOOKBACK_WORDS = 10
#: "About 250" allows this share either side (or the rounding of the number, if wider).
APPROX_SHARE = 0.1
#: "the two countries", "its three teams": a small number after a determiner refers, it does not claim.
REFERENTIAL_MAX = 10
#: Numbers in this window without a scale, unit or item are years, not amounts.
YEAR_RANGE = (1800, 2100)
#: On a tie between events of one sentence, attach the claim to the first of these roots:
#: the quantities news reports are mostly of aid, intended aid and material cooperation.
ROOT_PREFERENCE = ("07", "03", "06")

MONTHS = ("january february march april may june july august september october november december "
          "jan feb mar apr jun jul aug sep sept oct nov dec").split()
ITEM_STOP = set(
    "and or but nor to from in on at for with by of as than that which who whom whose were was is are be "
    "been being has have had will would shall should can could may might made each per a an the this these "
    "those its their his her our your my into onto during since until till after before over under while all "
    "also said says according including not no both either neither such so if then there here when where "
    "between among against across through via about around up down out off".split())
DETERMINERS = {"the", "these", "those", "its", "their", "his", "her", "our", "my", "your", "this"}


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The words of ``data/quantities.yaml``, compiled."""

    numbers: dict[str, int]
    scales: dict[str, int]
    qualifiers: dict[str, str]
    vague: dict[str, tuple[float, float]]
    currencies: dict[str, str]
    units: dict[str, str]
    measures: frozenset[str]
    not_items: frozenset[str]
    amount: re.Pattern[str]
    vague_re: re.Pattern[str]
    qualifier_re: re.Pattern[str]


def _alt(words: Sequence[str]) -> str:
    """A regex alternation, longest first so "more than" wins over "more"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def vocabulary() -> Vocabulary:
    """The quantity words from ``data/quantities.yaml``, compiled once."""
    raw = resources.files("entente.data").joinpath("quantities.yaml").read_text("utf-8")
    try:
        data: dict[str, Any] = yaml.safe_load(raw)
        numbers = {str(k).lower(): int(v) for k, v in data["numbers"].items()}
        scales = {str(k).lower(): int(v) for k, v in data["scales"].items()}
        qualifiers = {str(k).lower(): str(v) for k, v in data["qualifiers"].items()}
        vague = {str(k).lower(): (float(v[0]), float(v[1])) for k, v in data["vague"].items()}
        currencies = {str(k): str(v) for k, v in data["currencies"].items()}
        units = {str(k).lower(): str(v) for k, v in data["units"].items()}
        measures = frozenset(str(m).lower() for m in data["measures"])
        not_items = frozenset(str(m).lower() for m in data["not_items"])
    except (yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise DataFileError(f"quantities.yaml: {exc}: see the format in its header") from exc
    if set(qualifiers.values()) - {"over", "under", "approx"}:
        raise DataFileError("quantities.yaml: a qualifier must be over, under or approx")
    small = [w for w, v in numbers.items() if v < 10 or 10 < v < 20 or w == "ten"]
    tens = [w for w, v in numbers.items() if v >= 20 and v % 10 == 0 and v < 100]
    word = rf"(?:(?:{_alt(tens)})(?:[-\s](?:{_alt(small)}))?|{_alt(small)}|a|an|dozen)"
    chunk = rf"{word}(?:\s+(?:hundred|dozen))?(?:\s+(?:and\s+)?{word})?"
    big = _alt([w for w, v in scales.items() if v >= 1000 and w.isalpha() and len(w) > 3])
    words = rf"{chunk}(?:,?\s+(?:{big})\s+(?:and\s+)?{chunk})*"  # "one thousand and one"
    digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    scale = rf"(?:\s*(?:{_alt(list(scales))})\b)*"
    before = _alt([c for c in currencies if not c.isalpha() or c.isupper()])
    after = _alt([*currencies, *units, *(u + "s" for u in units if u.isalpha())])
    amount = re.compile(
        rf"(?<![\w.,/#:-])(?:(?P<cur>{before})\s*)?"
        rf"(?P<num>{digits}|\b(?:{words})\b)(?P<scale>{scale})"
        rf"(?:(?P<hyphen>-)|\s*)(?P<unit>(?:{after})(?![\w$€£₹]))?",
        re.IGNORECASE)
    fuzzy = [w for w in vague if not w.startswith(("a few", "several"))]
    vague_re = re.compile(
        rf"\b(?:(?P<phrase>{_alt(fuzzy)})\s+of\b|(?P<few>a few|several)\s+(?P<fscale>hundred|thousand|million|billion)s?\b"
        rf"(?:\s+of\b)?)", re.IGNORECASE)
    qualifier_re = re.compile(rf"(?:^|[^\w])(?P<q>{_alt(list(qualifiers))})\s*$", re.IGNORECASE)
    return Vocabulary(numbers, scales, qualifiers, vague, currencies, units, measures, not_items,
                      amount, vague_re, qualifier_re)


# -- numbers ------------------------------------------------------------------------------------
class Quantity(NamedTuple):
    """A parsed amount: the value as written and the interval the wording allows."""

    value: float
    low: float | None
    high: float | None
    qualifier: str  # exact | over | under | approx | range | vague


def number_value(text: str) -> tuple[float, float] | None:
    """The value of "6 million", "1.57 billion", "400,000", "twenty-five", "a dozen",
    with the place of its last significant digit (for rounding): ``(6e6, 1e6)``."""
    voc = vocabulary()
    tokens = [t for t in re.split(r"[\s-]+", text.strip().lower()) if t and t != "and"]
    if not tokens:
        return None
    scale = 1.0
    while len(tokens) > 1 and tokens[-1] in voc.scales and not (tokens[-1] == "hundred" and not _digit(tokens[0])):
        scale *= voc.scales[tokens.pop()]
    if len(tokens) == 1 and _digit(tokens[0]):
        digits = tokens[0].replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            return None
        if "." in digits:
            place = 10.0 ** -len(digits.split(".")[1])
        else:
            stripped = digits.rstrip("0")
            place = 10.0 ** (len(digits) - len(stripped)) if stripped else 1.0
        return value * scale, place * scale
    total, current = 0, 0
    for tok in tokens:
        if tok in ("a", "an"):
            current = current or 1
        elif tok == "hundred":
            current = (current or 1) * 100
        elif tok == "dozen":
            current = (current or 1) * 12
        elif tok in voc.scales:
            total += (current or 1) * voc.scales[tok]
            current = 0
        elif tok in voc.numbers:
            current += voc.numbers[tok]
        else:
            return None
    value = float(total + current)
    return value * scale, scale  # a number in words is exact to its last word


def _digit(tok: str) -> bool:
    return bool(tok) and tok[0].isdigit()


def parse_quantity(text: str) -> Quantity | None:
    """Parse a whole quantity phrase: "over five million", "thousands", "about 250",
    "from US$ 250 million to US$ 1000 million", "6 million". None if it is not one."""
    voc = vocabulary()
    s = " ".join(text.split())
    m = re.fullmatch(r"(?:from|between)\s+(?P<a>.+?)\s+(?:to|and)\s+(?P<b>.+)|(?P<c>.+?)\s*(?:–|-|to)\s*(?P<d>[\d$€£₹].*)", s, re.I)
    if m:
        a, b = (m.group("a"), m.group("b")) if m.group("a") else (m.group("c"), m.group("d"))
        qa, qb = _amount_of(a), _amount_of(b)
        if qa and qb and qa[0] < qb[0]:
            return Quantity(qa[0], qa[0], qb[0], "range")
    v = voc.vague_re.fullmatch(s if s.lower().endswith(" of") else s + " of")
    if v:
        return _vague(v)
    q = re.match(rf"(?P<q>{_alt(list(voc.qualifiers))})\s+", s, re.I)
    amount = _amount_of(s[q.end():] if q else s)
    if amount is None:
        return None
    return _bounded(amount, voc.qualifiers[q.group("q").lower()] if q else None)


def _amount_of(text: str) -> tuple[float, float] | None:
    """(value, rounding place) of one amount, currency and unit allowed: "US$ 250 million"."""
    m = vocabulary().amount.fullmatch(text.strip())
    if not m:
        return None
    return number_value(m.group("num") + " " + (m.group("scale") or ""))


def _bounded(amount: tuple[float, float], qualifier: str | None) -> Quantity:
    value, place = amount
    if qualifier == "over":
        return Quantity(value, value, None, "over")
    if qualifier == "under":
        return Quantity(value, None, value, "under")
    half = place / 2
    if qualifier == "approx":
        spread = max(half, abs(value) * APPROX_SHARE)
        return Quantity(value, value - spread, value + spread, "approx")
    return Quantity(value, value - half, value + half, "exact")


def _vague(m: re.Match[str]) -> Quantity:
    voc = vocabulary()
    if m.group("phrase"):
        low, high = voc.vague[" ".join(m.group("phrase").lower().split())]
    else:
        low, high = voc.vague[m.group("few").lower()]
        factor = voc.scales[m.group("fscale").lower()]
        low, high = low * factor, high * factor
    return Quantity(low, low, high, "vague")


# -- finding claims in text ----------------------------------------------------------------------
class Found(NamedTuple):
    """A quantity found in a text, with offsets into that text."""

    start: int
    end: int
    quantity: Quantity
    unit: str | None
    item: str | None


def find_quantities(text: str) -> list[Found]:
    """Every claimed quantity in a (clean) text, in order; dates, years, ranks and durations left out."""
    voc = vocabulary()
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for v in voc.vague_re.finditer(text):
        item = _item_after(text, v.end())
        if item and not _not_item(item[1]):
            found.append(Found(v.start(), v.end() + len(item[0]), _vague(v), None, item[1]))
            taken.append((v.start(), v.end()))
    matches = [m for m in voc.amount.finditer(text) if not any(s <= m.start() < e for s, e in taken)]
    k = 0
    while k < len(matches):
        m = matches[k]
        k += 1
        nxt = matches[k] if k < len(matches) else None
        rng = _range(text, m, nxt)
        if rng is not None and nxt is not None:
            k += 1
            start, end, quantity, unit = rng
        else:
            got = _single(text, m)
            if got is None:
                continue
            start, end, quantity, unit = got
        item = _item_after(text, end, after_of=unit is not None)
        item_text = item[1] if item else None
        if item:
            end += len(item[0])
        if not _keep(text, m, quantity, unit, item_text):
            continue
        if item_text is None:
            item_text = _measure_before(text, start)
            if item_text is None and unit is None:
                continue  # a bare number: nothing to say what it counts
        found.append(Found(start, end, quantity, unit, item_text))
    return sorted(found)


def _unit(m: re.Match[str]) -> str | None:
    voc = vocabulary()
    if m.group("cur"):
        return voc.currencies.get(m.group("cur")) or voc.currencies.get(m.group("cur").upper())
    u = m.group("unit")
    if not u:
        return None
    if u in voc.currencies:
        return voc.currencies[u]
    low = u.lower()
    return voc.units.get(low) or voc.units.get(low[:-1]) or voc.currencies.get(low)


def _single(text: str, m: re.Match[str]) -> tuple[int, int, Quantity, str | None] | None:
    voc = vocabulary()
    amount = number_value(m.group("num") + " " + (m.group("scale") or ""))
    if amount is None:
        return None
    start, end = m.start(), _amount_end(m)
    q = voc.qualifier_re.search(text[max(0, start - 25): start])
    qualifier = None
    if q:
        qualifier = voc.qualifiers[q.group("q").lower()]
        start = start - (len(text[max(0, start - 25): start]) - q.start("q"))
    return start, end, _bounded(amount, qualifier), _unit(m)


def _range(text: str, a: re.Match[str], b: re.Match[str] | None) -> tuple[int, int, Quantity, str | None] | None:
    """"from A to B", "between A and B", "A-B", "A to B" as one ranged quantity."""
    if b is None:
        return None
    gap = text[_amount_end(a): b.start()]
    lead = re.search(r"\b(from|between)\s+$", text[max(0, a.start() - 9): a.start()], re.I)
    if not (re.fullmatch(r"\s*(?:–|-|to)\s*", gap) or (lead and re.fullmatch(r"\s+(?:to|and)\s+", gap, re.I))):
        return None
    if a.group("unit") and not a.group("cur") and gap.strip() in ("-", "–"):
        return None
    va = number_value(a.group("num") + " " + (a.group("scale") or ""))
    vb = number_value(b.group("num") + " " + (b.group("scale") or ""))
    if va is None or vb is None or va[0] >= vb[0] or _year_like(a) or _year_like(b):
        return None
    if not a.group("scale") and b.group("scale"):  # "250 to 300 million": the scale is shared
        va = (va[0] * (vb[0] / number_value(b.group("num"))[0]), va[1])  # type: ignore[index]
    start = a.start() - (len(lead.group(0)) if lead else 0)
    return start, _amount_end(b), Quantity(va[0], va[0], vb[0], "range"), _unit(b) or _unit(a)


def _year_like(m: re.Match[str]) -> bool:
    num = m.group("num")
    return (num.isdigit() and len(num) == 4 and YEAR_RANGE[0] <= int(num) <= YEAR_RANGE[1]
            and not m.group("scale") and not m.group("cur"))


_WORD = re.compile(r"\s*([A-Za-z][A-Za-z'’.-]*[A-Za-z]|[A-Za-z])")


def _item_after(text: str, pos: int, after_of: bool = True) -> tuple[str, str] | None:
    """The item named after an amount: ("<consumed text>", "medical masks")."""
    m = re.match(r"\s+of\s+(?:the\s+)?" if after_of else r"(?!)", text[pos:], re.I)
    cur = pos + (m.end() if m else 0)
    words: list[str] = []
    while len(words) < MAX_ITEM_WORDS:
        w = _WORD.match(text, cur)
        if not w:
            break
        word = w.group(1)
        low = word.lower().rstrip(".")
        if low in ITEM_STOP or low in MONTHS or (words and _verb_like(low, words[-1])):
            break
        words.append(word.rstrip("."))
        cur = w.end()
        if _plural(word) and not _collective_next(text, cur):
            break  # "medical masks", "earthquakes hit": a plural noun ends the item
    if not words or (len(words) == 1 and words[0].lower().endswith("ed")):
        return None  # "Five voted": a verb, not an item
    return text[pos:cur], " ".join(words)


def _verb_like(word: str, previous: str) -> bool:
    """A participle or past tense that ends an item: "aid included", "planes carrying"."""
    if "-" in word or previous.lower().endswith("ly"):
        return False
    return (word.endswith("ing") and len(word) > 5) or (word.endswith("ed") and len(word) > 4)


def _plural(word: str) -> bool:
    w = word.lower()
    return word[:1].islower() and len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is"))


#: Nouns that head a phrase after a plural modifier: "defence forces personnel".
COLLECTIVE_HEADS = {"personnel", "staff", "members", "officers", "troops", "workers", "units"}


def _collective_next(text: str, pos: int) -> bool:
    w = _WORD.match(text, pos)
    return w is not None and w.group(1).lower() in COLLECTIVE_HEADS


def _amount_end(m: re.Match[str]) -> int:
    """Where an amount match really ends: after its unit, else after its number or scale."""
    if m.group("unit"):
        return m.end()
    return m.end("scale") if m.group("scale") else m.end("num")


def _measure_before(text: str, pos: int) -> str | None:
    """The measured noun before a bare amount: "trade turnover … reached 1.57 billion USD"."""
    voc = vocabulary()
    words = re.findall(r"[A-Za-z][\w'’-]*", re.split(r"[.;:!?]", text[max(0, pos - 200): pos])[-1])
    words = words[-LOOKBACK_WORDS:]
    for k in range(len(words) - 1, -1, -1):
        if words[k].lower() in voc.measures:
            prev = words[k - 1] if k else ""
            if prev and prev.lower() not in ITEM_STOP and prev.isalpha() and prev[0].islower() or prev in ("Trade", "Death"):
                return f"{prev.lower()} {words[k].lower()}"
            return words[k].lower()
    return None


def _not_item(item: str) -> bool:
    return head(item) in vocabulary().not_items


def _keep(text: str, m: re.Match[str], q: Quantity, unit: str | None, item: str | None) -> bool:
    """Whether an amount is a claim: not a date, a year, a time, a rank or a reference."""
    voc = vocabulary()
    before = text[max(0, m.start() - 12): m.start()].lower()
    after = text[m.end(): m.end() + 12].lower()
    num = m.group("num").lower()
    if re.search(rf"\b(?:{'|'.join(MONTHS)})\.?\s*$", before) or re.match(rf"\s*(?:{'|'.join(MONTHS)})\b", after):
        return False  # "May 4", "4 May"
    if re.match(r"\s*[:/]\d", text[m.end("num"):]) or before.endswith((":", "/")):
        return False  # "4:17 a.m.", "T/R1"
    if m.group("hyphen") and not m.group("unit"):
        nxt = _WORD.match(text, m.end("hyphen"))
        if nxt and nxt.group(1).lower().rstrip("s") in voc.not_items:
            return False  # "three-day visit"
    if item and (_not_item(item) or all(w[0].isupper() for w in item.split())):
        return False  # "2500 years", "two times", "12 Corps"
    if _year_like(m) and (item is None or not item.split()[-1].lower().endswith("s")):
        return False  # "in 2019", "since 2005"
    if num in ("a", "an") and not m.group("scale"):
        return False  # "a magnitude"
    if num == "one" and not (m.group("scale") or unit or q.qualifier != "exact"):
        return False  # "one of the first countries"
    if not m.group("scale") and not m.group("hyphen") and re.match(r"[A-Za-z]", text[m.end("num"): m.end("num") + 1]):
        return False  # "20th", "5G"
    words = re.findall(r"[a-z]+", before)
    if (words and words[-1] in DETERMINERS and q.value <= REFERENTIAL_MAX and q.qualifier == "exact"
            and unit is None and float(q.value).is_integer()):
        return False  # "the two countries"
    return True


def head(item: str | None) -> str | None:
    """The head noun of an item, singular and lower-case: "medical masks" → "mask"."""
    if not item:
        return None
    w = item.split()[-1].lower().strip("'’")
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


# -- sentences and events ------------------------------------------------------------------------
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*")


def sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of the sentences of a clean text (a light split; claims need no parse)."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


class Located(NamedTuple):
    """A claim with the original spans of its sentence and of the sentence before."""

    claim: Claim
    sentence: tuple[int, int]
    previous: tuple[int, int] | None


def locate_claims(cd: CleanDoc, events: Sequence[Event] = (),
                  to_original: Callable[[int, int], tuple[int, int]] | None = None) -> list[Located]:
    """The claims of one cleaned document, each attached to the nearest event of its sentence.

    Offsets are into ``cd.doc.text`` (the original), like the events' evidence.
    ``to_original`` overrides the mapping (the identity, when only clean text is known).
    """
    mapping = to_original or cd.original_span
    original = cd.doc.text
    out: list[Located] = []
    spans = sentences(cd.text)
    starts = [s for s, _ in spans]  # in order, not overlapping: a claim's sentence is found by bisection
    at = _MentionIndex(events)
    for f in find_quantities(cd.text):
        k: int | None = bisect_right(starts, f.start) - 1
        if k is None or k < 0 or f.start >= spans[k][1]:
            k = None
        s_start, s_end = spans[k] if k is not None else (f.start, f.end)
        start, end = mapping(f.start, min(f.end, len(cd.text)))
        os_, oe = mapping(s_start, s_end)
        prev = mapping(*spans[k - 1]) if k else None
        ev = _nearest_event(at.events_at(start), start, original[os_:oe], start - os_)
        claim = Claim(
            doc=cd.doc.id, value=f.quantity.value, low=f.quantity.low, high=f.quantity.high,
            qualifier=f.quantity.qualifier, unit=f.unit, item=f.item,
            text=original[start:end], evidence=Evidence(sentence=original[os_:oe], start=start, end=end),
            event_id=ev.event_id if ev else None,
        )
        out.append(Located(claim, (os_, oe), prev))
    return out


def find_claims(cd: CleanDoc, events: Sequence[Event] = ()) -> list[Claim]:
    """The claims of one cleaned document (see ``locate_claims``)."""
    return [lc.claim for lc in locate_claims(cd, events)]


class _MentionIndex:
    """The events whose evidence holds an offset, found without scanning every event (a long
    document has thousands of claims and events)."""

    def __init__(self, events: Sequence[Event]) -> None:
        self.events = events
        spans = sorted((m.start, m.end, n) for n, e in enumerate(events) for m in (e.mentions or (e.evidence,)))
        self.starts = [s for s, _, _ in spans]
        self.spans = spans
        self.longest = max((e - s for s, e, _ in spans), default=0)

    def events_at(self, pos: int) -> list[Event]:
        """The events with a mention holding ``pos``, in the order of ``events``."""
        hit = set()
        for k in range(bisect_left(self.starts, pos - self.longest), bisect_right(self.starts, pos)):
            s, e, n = self.spans[k]
            if s <= pos < e:
                hit.add(n)
        return [self.events[n] for n in sorted(hit)]


def _nearest_event(here: Sequence[Event], pos: int, sentence: str, offset: int) -> Event | None:
    """Of the events whose evidence holds ``pos``, the one whose actors are named nearest to it."""
    if not here:
        return None

    def distance(e: Event) -> tuple[float, int]:
        best = math.inf
        for a in (e.source, e.target):
            if a is None or not a.text:
                continue
            for m in re.finditer(re.escape(a.text), sentence):
                best = min(best, abs(m.start() - offset))
        rank = ROOT_PREFERENCE.index(e.root) if e.root in ROOT_PREFERENCE else len(ROOT_PREFERENCE)
        return best, rank

    return min(here, key=distance)


def claims_for(result: DocResult, place_names: frozenset[str] | None = None) -> list[Claim]:
    """The claims of a processed document (the pipeline can call this as its last stage).

    Re-cleans the original to map offsets; ``place_names`` are the knowledge base's
    (for datelines), loaded when not given.
    """
    from ..documents.cleaning import clean

    if place_names is None:
        from ..actors.kb import load_kb

        place_names = load_kb(()).place_names()
    cd = clean(result.doc, place_names)
    return find_claims(cd, result.events)


def claim_actors(lc: Located, mentions: Sequence[Mention], events: Sequence[Event] = ()) -> frozenset[str]:
    """The actors a claim is about: its event's two sides and the actors named in its sentence.

    When the sentence leaves a side open (its event has no target, or it names no actor at
    all), the sentence before is read too: "Kazakhstan will provide aid to India. … Tokayev
    ordered 6 million medical masks".
    """
    keys: set[str] = set()
    event = next((e for e in events if e.event_id == lc.claim.event_id), None)
    if event is not None:
        keys.update(k for k in (event.source.key, event.target.key if event.target else None) if k)
    s, e_ = lc.sentence
    named = {m.actor.key for m in mentions if s <= m.start < e_ and m.actor.key}
    keys |= named
    open_side = (event is not None and event.target is None) or (event is None and not named)
    if open_side and lc.previous:
        keys.update(m.actor.key for m in mentions if lc.previous[0] <= m.start < s and m.actor.key)
    return frozenset(keys)


def claim_actor(lc: Located, mentions: Sequence[Mention], events: Sequence[Event] = ()) -> str | None:
    """The actor a claim belongs to: its event's source, else the actor named last before it
    in its sentence, else the first named after it ("India has deployed more than 240 rescuers")."""
    for e in events:
        if e.event_id == lc.claim.event_id and e.source.key:
            return e.source.key
    s, e_ = lc.sentence
    pos = lc.claim.evidence.start
    inside = sorted((m for m in mentions if s <= m.start < e_ and m.actor.key), key=lambda m: m.start)
    before = [m for m in inside if m.start < pos]
    if before:
        return before[-1].actor.key
    return inside[0].actor.key if inside else None
