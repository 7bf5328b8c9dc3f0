"""Time: find temporal expressions, resolve them against the publication date, date events.

Expressions (regular expressions over the clean text):
absolute ("September 5, 2020", "5 September 2020", "February 1992", "2009"),
ranges ("January-May 2020", "2019-2020", "since 2005"), partial ("on May 4",
"In November", "on Friday"), relative ("last month", "earlier this week",
"today", "yesterday", "last year", "two weeks ago"), and years in event names
("KAZIND-2018", "Aero India 2019").

A partial or relative date needs the publication date; without it the value
stays None rather than being guessed. A shift ("two days later", "the following
day") counts from the time told before it (``shifted``, applied by the dating
step), never from the article; a limit ("until 2013", "by October") dates
nothing but keeps its end. A partial date takes its most recent past
occurrence, or the next one when the clause is future.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from ..model import TimeRef

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "several": 3, "a few": 3, "few": 3}
#: Capitalised words before a year that start a phrase, not an event name ("After 2015", "Between 2000").
NOT_EVENT_NAMES = {"in", "since", "the", "by", "of", "from", "until", "till", "during", "and", "or", "after",
                   "before", "between", "through", "throughout", "to", "for", "at", "on", "as", "early", "late",
                   "mid", "around", "about", "circa", "also", "but", "fiscal", "year", "summer", "winter",
                   "spring", "autumn", "fall", "this", "that", "last", "next"}
#: Years outside this window are not dates in news copy ("2500 years", "1000 million").
MIN_YEAR, MAX_YEAR = 1800, 2100

_M = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_Y = r"(?:1[89]\d\d|20\d\d)"
_D = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
#: Days written as words ("on March eight", "March eighth").
DAY_WORDS = {w: n for n, w in enumerate(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty".split(), 1)} | {w: n for n, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(), 1)}
_DW = "(?:" + "|".join(sorted(DAY_WORDS, key=len, reverse=True)) + ")"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_N = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|\d+)"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("range", re.compile(rf"\b(?P<m1>{_M})\s*[-–to]+\s*(?P<m2>{_M})\s+(?P<y>{_Y})\b")),
    ("mdy", re.compile(rf"\b(?P<m>{_M})\s+(?P<d>{_D}),?\s+(?P<y>{_Y})\b")),
    ("dmy", re.compile(rf"\b(?P<d>{_D})\s+(?P<m>{_M}),?\s+(?P<y>{_Y})\b")),
    ("iso", re.compile(rf"\b(?P<y>{_Y})-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)\b")),
    ("my", re.compile(rf"\b(?P<m>{_M})\s+(?:of\s+)?(?P<y>{_Y})\b")),
    ("yrange", re.compile(rf"\b(?P<y1>{_Y})\s*[-–/]\s*(?P<y2>{_Y}|\d\d)\b")),
    ("named", re.compile(rf"\b(?P<name>[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)?)[-\s](?P<y>{_Y})\b")),
    ("myrel", re.compile(rf"\b(?P<m>{_M})\s+(?:of\s+)?(?P<rel>last|this|next)\s+year\b")),  # "in April last year"
    ("md", re.compile(rf"\b(?P<m>{_M})\s+(?P<d>{_D}|{_DW})\b(?!,?\s*{_Y})")),
    ("dm", re.compile(rf"\b(?P<d>{_D})\s+(?P<m>{_M})\b(?!,?\s*{_Y})")),
    # "the April talks", "a key September conversation"
    ("month", re.compile(rf"\b(?:the|The|a|an|A|An|its|their|his|her|that)\s+(?:[a-z]+\s+)?(?P<m>{_M})(?=\s+[a-z])")),
    ("month", re.compile(rf"\b(?:in|In|since|Since|during|During|by|By|until|Until|last|Last|next|Next|early|Early|late|Late|mid-?|(?:(?:[Tt]he\s+)?(?:[Ee]nd|[Bb]eginning|[Ss]tart|[Mm]iddle)\s+of))\s+(?P<m>{_M})\b(?!\s*\d)")),
    ("weekday", re.compile(rf"\b(?:on\s+|last\s+|next\s+|this\s+)?(?P<wd>{_WD})\b", re.I)),
    ("rel", re.compile(r"\b(?P<rel>today|yesterday|tomorrow|tonight|this morning|this week|this month|this year|last week|last month|last year|next week|next month|next year|earlier this (?:week|month|year)|later this (?:week|month|year)|the previous (?:day|week|month|year)|the following (?:day|week|month|year)|recently|currently|now)\b", re.I)),
    # "over the past week", "in the last few days", "in recent weeks": recent, of the story's month
    ("recent", re.compile(r"\b(?:over|in|during|within|for)\s+the\s+(?:past|last)\s+(?:(?P<n>few|couple of|two|three|"
                          r"four|several|\d+)\s+)?(?P<unit>days?|weeks?|month)\b|\bin\s+recent\s+(?P<unit2>days|weeks)\b", re.I)),
    ("ago", re.compile(rf"\b(?P<n>{_N})\s+(?P<unit>day|week|month|year|decade)s?\s+(?P<dir>ago|earlier|later|after|before)\b", re.I)),
    ("decade", re.compile(r"\b(?:the\s+)?(?:early\s+|mid-?|late\s+)?(?P<y>(?:1[89]|20)\d0)'?s\b", re.I)),
    ("year", re.compile(rf"(?<![\d$.,-])\b(?P<y>{_Y})\b(?![\d,.]\d|\s*(?:years|tonnes|tons|million|billion|people|km|USD|dollars))")),
]


PATTERNS_BY_KIND = dict(PATTERNS)


def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        parts = [int(p) for p in value[:10].split("-")]
        while len(parts) < 3:
            parts.append(1)
        return date(*parts)
    except ValueError:
        return None


def _fmt(d: date, precision: str) -> str:
    return {"year": f"{d.year:04d}", "month": f"{d.year:04d}-{d.month:02d}", "day": d.isoformat()}[precision]


#: Words that make a time a deadline or a limit ("by October", "until Wednesday", "through Friday",
#: "by 1990"), which dates nothing: whether the expression includes the word or follows it.
DEADLINE_WORDS = ("by ", "until ", "till ", "through ", "before ")
LIMIT_BEFORE = re.compile(r"\b(?:by|until|till|through|before)\s+$", re.I)
#: "last Monday" on a Tuesday (1 day back) means the Monday of the week before.
LAST_WEEKDAY_MIN_DAYS = 1


#: "Friday morning local time": the day is the place's, which may be a day ahead of the publisher's.
LOCAL_TIME = re.compile(r"\W*(?:\w+\W+){0,2}?local time\b", re.I)


def find_times(text: str, pub: str | None, offset: int = 0, ahead: bool = False) -> list[TimeRef]:
    """All temporal expressions in ``text``, resolved against ``pub`` (YYYY-MM-DD or None).

    ``ahead``: the story's dateline is at least a day-part ahead of its publication date's time
    zone (a Tokyo dateline on a page dated in New York), so a weekday that is the day after the
    publication date is read as that local day rather than as six days before.
    """
    ref = parse_date(pub)
    # the spans taken so far, sorted and never overlapping: a match overlaps one of them only if it
    # overlaps the last that starts before it ends (found by bisection, so a long text stays linear)
    starts: list[int] = []
    ends: list[int] = []
    out: list[TimeRef] = []
    for kind, pat in PATTERNS:
        for m in pat.finditer(text):
            s, e = m.span()
            k = bisect_left(starts, e)
            if k and ends[k - 1] > s:
                continue
            t = _resolve(kind, m, ref, text, ahead)
            if t is None:
                continue
            if t.value and t.kind != "range" and _limit(text, s, e):
                # "run until Wednesday": a limit, a range whose end alone is known
                t = replace(t, value=None, precision=None, kind="range", end_value=t.value)
            starts.insert(k, s)
            ends.insert(k, e)
            out.append(replace(t, start=s + offset, end=e + offset))
    return sorted(out, key=lambda t: t.start)


def _limit(text: str, start: int, end: int) -> bool:
    """Is the expression at ``start:end`` a deadline or a limit: "by October", "until Wednesday", "work
    through Friday", "by 1990"? Not "hit by Monday's storm", where the time names a thing."""
    if text[start:end].lower().startswith(DEADLINE_WORDS):
        return True
    return bool(LIMIT_BEFORE.search(text, max(0, start - 9), start)) and not text.startswith(("'s", "’s"), end)


def _month(s: str) -> int:
    return MONTHS[s.lower().rstrip(".")[:4] if s.lower().startswith("sept") else s.lower().rstrip(".")[:3]]


def _resolve(kind: str, m: re.Match[str], ref: date | None, text: str, ahead: bool = False) -> TimeRef | None:
    g = m.groupdict()
    t = m.group(0)
    if kind in ("mdy", "dmy", "iso"):
        try:
            d = date(int(g["y"]), int(g["m"]) if kind == "iso" else _month(g["m"]), int(re.sub(r"\D", "", g["d"])))
        except ValueError:
            return None
        return TimeRef(t, 0, 0, d.isoformat(), "day", "absolute")
    if kind == "my":
        return TimeRef(t, 0, 0, f"{int(g['y']):04d}-{_month(g['m']):02d}", "month", "absolute")
    if kind == "range":
        y = int(g["y"])
        return TimeRef(t, 0, 0, f"{y:04d}-{_month(g['m1']):02d}", "month", "range", f"{y:04d}-{_month(g['m2']):02d}")
    if kind == "yrange":
        y1, y2 = int(g["y1"]), int(g["y2"]) if len(g["y2"]) == 4 else int(g["y1"][:2] + g["y2"])
        if not (y1 < y2 <= y1 + 50):
            return None
        return TimeRef(t, 0, 0, str(y1), "year", "range", str(y2))
    if kind == "named":
        if g["name"].lower() in MONTHS or g["name"].split()[0].lower() in NOT_EVENT_NAMES:
            return None
        return TimeRef(t, 0, 0, g["y"], "year", "named")
    if kind == "year":
        y = int(g["y"])
        if not MIN_YEAR <= y <= MAX_YEAR:
            return None
        before = text[max(0, m.start() - 6) : m.start()].lower()
        kind2 = "range" if "since" in before else "absolute"
        return TimeRef(t, 0, 0, str(y), "year", kind2)
    if kind in ("md", "dm"):
        if ref is None:
            return TimeRef(t, 0, 0, None, None, "partial")
        mo = _month(g["m"])
        dd = DAY_WORDS[g["d"].lower()] if g["d"].lower() in DAY_WORDS else int(re.sub(r"\D", "", g["d"]))
        try:
            d = date(ref.year, mo, dd)
        except ValueError:
            return None
        return TimeRef(t, 0, 0, d.isoformat(), "day", "partial")
    if kind == "myrel":
        if ref is None:
            return TimeRef(t, 0, 0, None, None, "relative")
        year = ref.year + {"last": -1, "this": 0, "next": 1}[g["rel"].lower()]
        return TimeRef(t, 0, 0, f"{year:04d}-{_month(g['m']):02d}", "month", "relative")
    if kind == "month":
        if ref is None:
            return TimeRef(t, 0, 0, None, None, "partial")
        mo = _month(g["m"])
        return TimeRef(t, 0, 0, f"{ref.year:04d}-{mo:02d}", "month", "partial")
    if kind == "weekday":
        if ref is None:
            return TimeRef(t, 0, 0, None, None, "partial")
        wd = WEEKDAYS[g["wd"].lower()]
        if t.lower().startswith("next"):
            delta = (wd - ref.weekday()) % 7 or 7
            return TimeRef(t, 0, 0, (ref + timedelta(days=delta)).isoformat(), "day", "partial")
        back = (ref.weekday() - wd) % 7
        if t.lower().startswith("last") and back <= LAST_WEEKDAY_MIN_DAYS:
            back += 7  # "last Monday" said on a Tuesday is the Monday of the week before: yesterday is "yesterday"
        elif back == 6 and (ahead or LOCAL_TIME.match(text, m.end())):
            # a dateline east of the publisher: "on Tuesday" in a Monday-dated Tokyo story is its local day;
            # so is "Friday morning local time" in a Thursday-dated story
            back = -1
        return TimeRef(t, 0, 0, (ref - timedelta(days=back)).isoformat(), "day", "partial")
    if kind == "rel":
        return _relative(t, g["rel"].lower(), ref)
    if kind == "recent":
        return _recent(t, g, ref)
    if kind == "decade":  # "in the 1990s": a span too wide to date an event, kept so nothing else claims it
        y = int(g["y"])
        return TimeRef(t, 0, 0, str(y), "year", "range", str(y + 9))
    if kind == "ago":
        if g["dir"].lower() in ("later", "earlier"):
            return TimeRef(t, 0, 0, None, None, "shift")  # "two days later": from the time told before (shifted)
        if ref is None:
            return TimeRef(t, 0, 0, None, None, "relative")
        n = g["n"].lower()
        k = int(n) if n.isdigit() else NUMBER_WORDS.get(n, 1)
        unit = g["unit"].lower()
        if g["dir"].lower() == "before":
            return None  # relative to another event, not to the article
        if g["dir"].lower() == "after":
            # "18 years after Washington invaded ...": measured from now only when the sentence speaks of
            # the present; the dating step checks that (kind "elapsed")
            unit = g["unit"].lower()
            k2 = 10 * k if unit == "decade" else k
            unit = "year" if unit == "decade" else unit
            d = ref - relativedelta(**{unit + "s": k2})
            precision = {"day": "day", "week": "day", "month": "month", "year": "year"}[unit]
            return TimeRef(t, 0, 0, _fmt(d, precision), precision, "elapsed")
        if unit == "decade":
            unit, k = "year", 10 * k
        d = ref - relativedelta(**{unit + "s": k})
        precision = {"day": "day", "week": "day", "month": "month", "year": "year"}[unit]
        return TimeRef(t, 0, 0, _fmt(d, precision), precision, "relative")
    return None


#: "the following day", "the previous week": a shift of one unit.
NEXT_OR_LAST = re.compile(r"the\s+(?P<dir>previous|following)\s+(?P<n>)?(?P<unit>day|week|month|year)", re.I)
#: The precision a shift keeps from the time it counts from, by its unit ("two days later" needs a day).
SHIFT_PRECISION = {"day": "day", "week": "day", "month": "month", "year": "year", "decade": "year"}
_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}


def shifted(shift: TimeRef, anchor: TimeRef) -> TimeRef | None:
    """A shift ("two days later", "a year earlier") counted from the time the story told before it
    (``anchor``), at the precision both allow; None when the anchor is too coarse for the unit."""
    m = PATTERNS_BY_KIND["ago"].fullmatch(shift.text) or NEXT_OR_LAST.fullmatch(shift.text)
    d = parse_date(anchor.value)
    if m is None or d is None or anchor.precision is None:
        return None
    n, unit = (m.group("n") or "one").lower(), m.group("unit").lower()
    k = int(n) if n.isdigit() else NUMBER_WORDS.get(n, 1)
    if unit == "decade":
        unit, k = "year", 10 * k
    precision = SHIFT_PRECISION[unit]
    if _PRECISION_RANK[anchor.precision] < _PRECISION_RANK[precision]:
        return None  # "In 2010 … two days later": no day can be known
    sign = 1 if m.group("dir").lower() in ("later", "following") else -1
    moved = d + sign * relativedelta(**{unit + "s": k})
    return replace(shift, value=_fmt(moved, precision), precision=precision, kind="relative")


#: How many units "the past few/couple of/several …" spans.
FEW = {"few": 3, "couple of": 2, "several": 4}
#: The longest span, in days, whose middle still dates what happened in it to a month.
RECENT_MAX_DAYS = 31


def _recent(t: str, g: dict[str, str | Any], ref: date | None) -> TimeRef | None:
    """"over the past week", "in the last few days", "in recent weeks": what happened in that span, dated
    to the month of its middle; a longer span ("the past few months") dates nothing."""
    if ref is None:
        return TimeRef(t, 0, 0, None, None, "relative")
    unit = (g["unit"] or g["unit2"] or "").lower().rstrip("s")
    word = (g["n"] or "").lower()
    n = FEW.get(word) or NUMBER_WORDS.get(word) or (int(word) if word.isdigit() else 1 if not g["unit2"] else 3)
    days = n * {"day": 1, "week": 7, "month": 30}[unit]
    if days > RECENT_MAX_DAYS:
        return None
    return TimeRef(t, 0, 0, _fmt(ref - timedelta(days=days // 2), "month"), "month", "relative")


def _relative(t: str, rel: str, ref: date | None) -> TimeRef | None:
    if rel in ("recently", "currently", "now"):
        return None  # too vague to date an event
    if ref is None:
        return TimeRef(t, 0, 0, None, None, "relative")
    table = {
        "today": (ref, "day"), "tonight": (ref, "day"), "this morning": (ref, "day"),
        "yesterday": (ref - timedelta(days=1), "day"), "tomorrow": (ref + timedelta(days=1), "day"),
        "this week": (ref, "month"), "earlier this week": (ref, "month"), "later this week": (ref, "month"),
        "last week": (ref - timedelta(days=7), "month"), "next week": (ref + timedelta(days=7), "month"),
        "this month": (ref, "month"), "earlier this month": (ref, "month"), "later this month": (ref, "month"),
        "last month": (ref - relativedelta(months=1), "month"), "next month": (ref + relativedelta(months=1), "month"),
        "this year": (ref, "year"), "earlier this year": (ref, "year"), "later this year": (ref, "year"),
        "last year": (ref - relativedelta(years=1), "year"), "next year": (ref + relativedelta(years=1), "year"),
        "the previous day": (ref - timedelta(days=1), "day"), "the following day": (ref + timedelta(days=1), "day"),
        "the previous week": (ref - timedelta(days=7), "month"), "the following week": (ref + timedelta(days=7), "month"),
        "the previous month": (ref - relativedelta(months=1), "month"), "the following month": (ref + relativedelta(months=1), "month"),
        "the previous year": (ref - relativedelta(years=1), "year"), "the following year": (ref + relativedelta(years=1), "year"),
    }
    if rel not in table:
        return None
    if rel.startswith(("the previous", "the following")):
        return TimeRef(t, 0, 0, None, None, "shift")  # "the following day": from the time told before (shifted)
    d, precision = table[rel]
    return TimeRef(t, 0, 0, _fmt(d, precision), precision, "relative")


def future_partial(t: TimeRef, pub: str | None) -> TimeRef:
    """Re-resolve a partial date to its next occurrence (for future clauses)."""
    ref = parse_date(pub)
    if ref is None or t.kind != "partial" or t.value is None:
        return t
    d = parse_date(t.value)
    if d is None or d >= ref:
        return t
    if t.precision == "day" and re.search(_WD, t.text, re.I):
        return replace(t, value=(d + timedelta(days=7)).isoformat())
    if t.precision in ("day", "month"):
        nd = d + relativedelta(years=1)
        return replace(t, value=_fmt(nd, t.precision))
    return t


def past_partial(t: TimeRef, pub: str | None) -> TimeRef:
    """A partial month/day after the publication date belongs to the year before."""
    ref = parse_date(pub)
    if ref is None or t.kind != "partial" or t.value is None:
        return t
    d = parse_date(t.value)
    if d is not None and d > ref and t.precision in ("day", "month"):
        return replace(t, value=_fmt(d - relativedelta(years=1), t.precision))
    return t


#: Written dates a user may give (``entente actor --date``): ISO, day-month-year, month-day-year,
#: numeric with slashes or dots, a month and year, or a year.
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})\s*$")


def normalise_date(value: str | None, dayfirst: bool = False) -> str | None:
    """A date in any common written form as ``YYYY[-MM[-DD]]``, at the precision it was given: "10 May
    2015", "May 10, 2015", "2015-05-10" and "10/05/2015" (day first with ``dayfirst``, else month first)
    give 2015-05-10; "May 2015" gives 2015-05; "2015" gives 2015. None when it is no date."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        return text if parse_date(text) else None
    if m := _NUMERIC_DATE.match(text):
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        y += 2000 if y < 100 and y < 50 else 1900 if y < 100 else 0
        for day, month in ((a, b), (b, a)) if dayfirst else ((b, a), (a, b)):
            try:
                return date(y, month, day).isoformat()  # the other order only when this one is impossible
            except ValueError:
                continue
        return None
    found = find_times(text, None)
    if len(found) == 1 and found[0].value and found[0].kind in ("absolute", "iso"):
        return found[0].value
    return None

