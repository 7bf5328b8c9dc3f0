"""Dating events on real-news patterns: the cases of tests/data/dates.yaml, at least ten per pattern.

Each case runs the whole pipeline on a short article of our own and checks that the expected
events are found with the expected date (or left undated). The six patterns are those of real
copy: news of the day, future events, background history, possessive and nominal times,
reported speech, and datelines with their time zones.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from entente.model import Document, Event
from entente.options import Options
from entente.pipeline import process_document

pytestmark = pytest.mark.slow

CASES = yaml.safe_load((Path(__file__).parent / "data" / "dates.yaml").read_text("utf-8"))
PATTERNS = ("news-of-day", "future", "background", "nominal", "reported-speech", "dateline")


def test_every_pattern_has_ten_cases() -> None:
    counts = Counter(c["pattern"] for c in CASES)
    assert set(counts) == set(PATTERNS)
    assert min(counts.values()) >= 10, counts


def _fits(e: Event, want: dict[str, Any]) -> bool:
    keys = (e.source.key, e.target.key if e.target else None)
    if want.get("source") and want["source"] not in keys:
        return False
    if want.get("target") and want["target"] not in keys:
        return False
    return not want.get("root") or e.root == want["root"]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['pattern']}:{c['text'][:40]}" for c in CASES])
def test_event_date(case: dict[str, Any]) -> None:
    doc = Document(id="t", text=case["text"], date=case.get("pub"))
    events = process_document(doc, Options()).events
    for want in case["expect"]:
        found = [e for e in events if _fits(e, want)]
        assert found, f"no event {want} in {[(e.source.key, e.target and e.target.key, e.cameo) for e in events]}"
        assert any(e.date == want["date"] for e in found), \
            f"{want}: dated {[(e.cameo, e.date, e.date_source) for e in found]}"


def test_a_blank_line_starts_a_new_paragraph_even_when_the_sentence_keeps_it(nlp) -> None:
    """spaCy leaves the blank line inside the sentence before it; the paragraph count must still move on."""
    from entente.time.timing import DatingContext
    doc = nlp("Brazil recalled its ambassador.\n\nIt accused Caracas of fraud. It also cut flights.")
    assert DatingContext(doc, [], "2024-03-14").paragraph == [0, 1, 1]


@pytest.mark.parametrize("text", [
    "Officials confirmed another missile test by North Korea Friday morning local time.",
    "Japan condemned the launch on Tuesday night.",
    "On Sunday evening, Seoul summoned the Japanese ambassador.",
])
def test_a_part_of_the_day_belongs_to_the_time_not_to_an_event(nlp, text: str) -> None:
    """"Friday morning": the day dates the clause's verb, as "Friday" alone would, not a noun "morning"."""
    from entente.time.dates import find_times
    from entente.time.timing import attachment
    doc = nlp(text)
    (t,) = [t for t in find_times(text, "2024-03-14") if t.precision == "day"]
    assert attachment(doc, t).pos_ == "VERB"
