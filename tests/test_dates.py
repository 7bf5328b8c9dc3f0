"""Temporal expressions: found, classified and resolved against a fixed publication date."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entente.model import TimeRef
from entente.time.dates import find_times, future_partial, parse_date, past_partial

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]
VALUE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
PRECISION_LEN = {"year": 4, "month": 7, "day": 10}


def one(text: str, pub: str | None = None) -> TimeRef:
    """The single expression in ``text``."""
    found = find_times(text, pub)
    assert len(found) == 1, [(t.text, t.value) for t in found]
    return found[0]


def resolved(text: str, pub: str | None = None) -> tuple[str, str | None, str | None, str]:
    t = one(text, pub)
    return t.text, t.value, t.precision, t.kind


# -- absolute -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("The deal was signed on September 5, 2020, in Moscow.", ("September 5, 2020", "2020-09-05", "day", "absolute")),
    ("The deal was signed on 5 September 2020 in Moscow.", ("5 September 2020", "2020-09-05", "day", "absolute")),
    ("They met on Sept. 5th, 2020.", ("Sept. 5th, 2020", "2020-09-05", "day", "absolute")),
    ("The record shows 2020-09-05 as the date.", ("2020-09-05", "2020-09-05", "day", "absolute")),
    ("Relations were established in February 1992.", ("February 1992", "1992-02", "month", "absolute")),
    ("He first visited the country in 2009.", ("2009", "2009", "year", "absolute")),
])
def test_absolute_dates_need_no_publication_date(text: str, expected: tuple) -> None:
    assert resolved(text, None) == expected
    assert resolved(text, "2021-05-12") == expected


def test_impossible_day_is_not_a_date() -> None:
    assert [t.value for t in find_times("on February 30, 2021", None)] != ["2021-02-30"]


# -- ranges ---------------------------------------------------------------------------------


def test_month_range() -> None:
    t = one("Trade grew during January-May 2020.")
    assert (t.text, t.value, t.end_value, t.precision, t.kind) == ("January-May 2020", "2020-01", "2020-05", "month", "range")


def test_year_range_long_and_short() -> None:
    t = one("The 2019-2020 plan")
    assert (t.value, t.end_value, t.precision, t.kind) == ("2019", "2020", "year", "range")
    t = one("in the 2019-20 fiscal year")
    assert (t.value, t.end_value) == ("2019", "2020")


def test_backwards_year_range_is_not_a_range() -> None:
    assert all(t.kind != "range" for t in find_times("the 2020-2019 figures", None))


def test_since_year_is_an_open_range() -> None:
    t = one("The two sides have held annual talks since 2005.")
    assert (t.value, t.precision, t.kind, t.end_value) == ("2005", "year", "range", None)


# -- partial --------------------------------------------------------------------------------

PUB = "2021-05-12"  # a Wednesday


@pytest.mark.parametrize(("text", "value", "precision"), [
    ("The ministers met on May 4 in Delhi.", "2021-05-04", "day"),
    ("The ministers met on 4 May in Delhi.", "2021-05-04", "day"),
    ("In November, the ministers met in Delhi.", "2021-11", "month"),
    ("The ministers met on Friday in Delhi.", "2021-05-07", "day"),
    ("The ministers met on Wednesday in Delhi.", "2021-05-12", "day"),
    ("The ministers met at the end of April in Delhi.", "2021-04", "month"),
    ("At the beginning of March, the ministers met in Delhi.", "2021-03", "month"),
    ("The ministers met in the middle of January in Delhi.", "2021-01", "month"),
])
def test_partial_dates_take_the_publication_year(text: str, value: str, precision: str) -> None:
    t = one(text, PUB)
    assert (t.value, t.precision, t.kind) == (value, precision, "partial")


@pytest.mark.parametrize("text", ["The exercises run until Wednesday.", "Talks lasted till March 3.",
                                  "The drills continue through Friday.", "They aim to double trade by 2030.",
                                  "Troops must leave by Friday.", "A reply is due by October.",
                                  "The truce holds until 12 May 2025."])
def test_a_limit_dates_nothing(text: str) -> None:
    """One mechanism for every deadline or limit, whether its word is part of the expression or not."""
    (t,) = find_times(text, "2024-10-16")
    assert (t.value, t.kind) == (None, "range")


@pytest.mark.parametrize(("text", "anchor", "value"), [
    ("two days later", "2018-03-12", "2018-03-14"),
    ("a week earlier", "2018-03-12", "2018-03-05"),
    ("the following day", "2018-03-12", "2018-03-13"),
    ("the previous month", "2018-03", "2018-02"),
    ("three years later", "2015", "2018"),
])
def test_a_shift_counts_from_the_time_told_before_it(text: str, anchor: str, value: str) -> None:
    """"Two days later" is unresolved on its own, whatever the publication date, and counted from
    the time the story told before it."""
    from entente.time.dates import shifted
    (t,) = find_times(f"It happened {text}.", "2024-10-16")
    assert (t.value, t.kind) == (None, "shift")
    precision = {4: "year", 7: "month", 10: "day"}[len(anchor)]
    moved = shifted(t, TimeRef("x", 0, 1, anchor, precision, "absolute"))
    assert moved is not None and moved.value == value


def test_a_shift_by_days_from_a_year_knows_no_day() -> None:
    from entente.time.dates import shifted
    (t,) = find_times("Two days later they met.", None)
    assert shifted(t, TimeRef("2015", 0, 4, "2015", "year", "absolute")) is None


def test_a_limit_keeps_its_end() -> None:
    (t,) = find_times("Trade grew until 2016.", "2024-10-16")
    assert (t.value, t.end_value) == (None, "2016")


def test_a_time_that_names_a_thing_after_by_is_not_a_limit() -> None:
    (t,) = find_times("The port was hit by Monday's storm.", "2024-10-16")
    assert t.value == "2024-10-14"


def test_next_weekday_is_after_publication() -> None:
    assert one("They will meet next Monday.", PUB).value == "2021-05-17"


@pytest.mark.parametrize("text", ["on May 4", "In November, they met", "on Friday"])
def test_partial_dates_stay_unknown_without_a_publication_date(text: str) -> None:
    t = one(text, None)
    assert (t.value, t.precision, t.kind) == (None, None, "partial")


def test_past_partial_moves_a_future_month_to_the_year_before() -> None:
    t = one("In December, the two sides agreed.", "2021-01-10")
    assert t.value == "2021-12"  # as found: the publication year
    assert past_partial(t, "2021-01-10").value == "2020-12"
    day = one("on December 28 the two sides agreed", "2021-01-05")
    assert past_partial(day, "2021-01-05").value == "2020-12-28"


def test_past_partial_leaves_past_and_non_partial_dates() -> None:
    t = one("In March, the two sides agreed.", "2021-05-12")
    assert past_partial(t, "2021-05-12") == t
    a = one("In 2009 they agreed.", "2021-05-12")
    assert past_partial(a, "2021-05-12") == a
    unknown = one("In March they agreed.", None)
    assert past_partial(unknown, None) == unknown


def test_future_partial_moves_a_past_month_to_the_year_after() -> None:
    t = one("They will meet in January.", "2020-12-10")
    assert future_partial(t, "2020-12-10").value == "2021-01"


@pytest.mark.parametrize(("weekday", "expected"), [
    ("Monday", "2021-05-17"), ("Tuesday", "2021-05-18"), ("Wednesday", "2021-05-12"), ("Thursday", "2021-05-13"),
    ("Friday", "2021-05-14"), ("Saturday", "2021-05-15"), ("Sunday", "2021-05-16"),
])
def test_future_partial_weekday_is_within_the_coming_week(weekday: str, expected: str) -> None:
    t = one(f"The minister will travel on {weekday}.", "2021-05-12")
    assert future_partial(t, "2021-05-12").value == expected


# -- relative -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "value", "precision"), [
    ("The talks ended today.", "2021-05-12", "day"),
    ("The talks ended yesterday.", "2021-05-11", "day"),
    ("The talks ended earlier this week.", "2021-05", "month"),
    ("The talks ended last month.", "2021-04", "month"),
    ("The talks ended last year.", "2020", "year"),
    ("The talks ended two weeks ago.", "2021-04-28", "day"),
    ("The talks ended 3 days ago.", "2021-05-09", "day"),
    ("The talks ended a year ago.", "2020", "year"),
    ("The talks resume tomorrow.", "2021-05-13", "day"),
    ("The talks resume next month.", "2021-06", "month"),
])
def test_relative_dates(text: str, value: str, precision: str) -> None:
    t = one(text, PUB)
    assert (t.value, t.precision, t.kind) == (value, precision, "relative")


@pytest.mark.parametrize(("text", "pub", "value"), [
    ("Over the past week, Pyongyang warned of retaliation.", "2017-09-14", "2017-09"),
    ("In the last few days, Iran seized two tankers.", "2017-09-14", "2017-09"),
    ("In recent weeks, Iran seized two tankers.", "2017-09-04", "2017-08"),
    ("During the past two weeks, Iran seized two tankers.", "2017-09-04", "2017-08"),
    ("Over the past month, Iran seized two tankers.", "2017-09-14", "2017-08"),
])
def test_a_recent_span_dates_its_middle_to_the_month(text: str, pub: str, value: str) -> None:
    t = one(text, pub)
    assert (t.value, t.precision) == (value, "month")


def test_a_long_recent_span_dates_nothing() -> None:
    assert not find_times("Over the past three years, Iran seized two tankers.", "2017-09-14")
    assert not find_times("In the past few months, Iran seized two tankers.", "2017-09-14")


@pytest.mark.parametrize(("text", "pub", "value"), [
    ("last month", "2021-01-15", "2020-12"),
    ("yesterday", "2021-01-01", "2020-12-31"),
    ("last year", "2021-01-01", "2020"),
    ("two weeks ago", "2021-01-05", "2020-12-22"),
    ("on Thursday", "2021-01-03", "2020-12-31"),
    ("next month", "2020-12-20", "2021-01"),
])
def test_relative_dates_cross_year_boundaries(text: str, pub: str, value: str) -> None:
    assert one(text, pub).value == value


@pytest.mark.parametrize("text", ["last month", "earlier this week", "today", "yesterday", "last year", "two weeks ago"])
def test_relative_dates_stay_unknown_without_a_publication_date(text: str) -> None:
    t = one(text, None)
    assert (t.value, t.precision, t.kind) == (None, None, "relative")


def test_vague_words_and_event_relative_offsets_are_not_dates() -> None:
    assert find_times("Relations have recently improved and are currently strong.", PUB) == []
    # "N days after X" is kept as "elapsed": it dates X from now only in a sentence about the present,
    # which the dating step decides (tests/data/dates.yaml)
    assert [t.kind for t in find_times("Two days after the summit, they signed.", PUB)] == ["elapsed"]


# -- years in event names -------------------------------------------------------------------


@pytest.mark.parametrize(("text", "name"), [
    ("The joint exercise KAZIND-2018 was held in Otar.", "KAZIND-2018"),
    ("The two sides met at Aero India 2019 in Bengaluru.", "Aero India 2019"),
    ("Troops took part in Dostarym-2017.", "Dostarym-2017"),
])
def test_years_in_event_names(text: str, name: str) -> None:
    t = one(text, None)
    assert (t.text, t.value, t.precision, t.kind) == (name, name[-4:], "year", "named")


@pytest.mark.parametrize("text", ["After 2015, ties grew.", "Between 2000 and 2010 trade tripled.", "Early 2020 saw talks."])
def test_capitalised_prepositions_are_not_event_names(text: str) -> None:
    assert all(t.kind != "named" for t in find_times(text, None))
    assert "2010" not in text or [t.value for t in find_times(text, None)] == ["2000", "2010"]


# -- not dates ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "a civilisation of 2500 years",
    "a loan of US$ 1000 million",
    "a shipment of 10,000 tons of wheat",
    "India sent 2,000 tonnes of rice",
    "a credit line of $2019 million",
    "some 1999 tonnes of grain",
    "2020 people were evacuated",
])
def test_quantities_are_not_years(text: str) -> None:
    assert find_times(text, PUB) == []


# -- helpers --------------------------------------------------------------------------------


def test_parse_date_pads_partial_values_and_refuses_garbage() -> None:
    assert parse_date("2021") == date(2021, 1, 1)
    assert parse_date("2021-05") == date(2021, 5, 1)
    assert parse_date("2021-05-12T10:00:00") == date(2021, 5, 12)
    assert parse_date("yesterday") is None
    assert parse_date(None) is None


def test_offsets_are_shifted() -> None:
    text = "They met on 5 September 2020."
    [t] = find_times(text, None, offset=100)
    assert (t.start, t.end) == (100 + text.index("5 Sep"), 100 + text.index("."))


# -- properties -----------------------------------------------------------------------------

DATES = st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31))


@settings(max_examples=300, deadline=None)
@given(DATES, st.sampled_from(["mdy", "dmy", "iso", "mdy-short"]))
def test_absolute_day_round_trip(d: date, style: str) -> None:
    month = MONTH_NAMES[d.month - 1]
    text = {"mdy": f"{month} {d.day}, {d.year}", "dmy": f"{d.day} {month} {d.year}",
            "iso": d.isoformat(), "mdy-short": f"{month[:3]} {d.day} {d.year}"}[style]
    t = one(f"The agreement was signed on {text} in the capital.", None)
    assert (t.text, t.value, t.precision, t.kind) == (text, d.isoformat(), "day", "absolute")


@settings(max_examples=200, deadline=None)
@given(DATES, st.integers(1, 12), st.integers(1, 28))
def test_partial_date_resolved_by_past_partial_is_never_after_publication(pub: date, month: int, day: int) -> None:
    t = one(f"The ministers met on {MONTH_NAMES[month - 1]} {day} in the capital.", pub.isoformat())
    value = parse_date(past_partial(t, pub.isoformat()).value)
    assert value is not None and value <= pub
    assert pub - value < timedelta(days=366)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80) | st.lists(st.sampled_from(
    ["in ", "on ", "May ", "5 ", "2019", "-", "2020", " last ", "month", "Friday", " ago", "two weeks",
     "Since ", "KAZIND-", ",", " ", "US$ ", "years", "tons", "Sept. ", "January", "to"]), max_size=16).map("".join),
    st.none() | DATES.map(date.isoformat))
def test_find_times_spans_and_values_are_well_formed(text: str, pub: str | None) -> None:
    found = find_times(text, pub)
    assert [t.start for t in found] == sorted(t.start for t in found)
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start, "expressions must not overlap"
    for t in found:
        assert text[t.start:t.end] == t.text
        if t.value is None:
            assert t.precision is None
        else:
            assert VALUE.match(t.value) and len(t.value) == PRECISION_LEN[t.precision]
            assert parse_date(t.value) is not None


# -- publication-date inference on articles whose date is hidden ------------------------

@pytest.mark.slow
def test_inferred_publication_date_is_a_lower_bound_with_evidence() -> None:
    """With the date line removed, the inferred date (latest asserted event date) is
    marked ``inferred``, carries its evidence, and is never after the real date."""
    import re

    from entente.documents.reading import read_documents
    from entente.model import Document
    from entente.pipeline import process_document

    root = Path(__file__).parents[1] / "examples" / "articles"
    checked = 0
    for doc in read_documents([str(root)]):
        m = re.match(r"date (\d{4}-\d{2}-\d{2})\n", getattr(doc, "text", ""))
        if not m:
            continue
        hidden = process_document(Document(id=doc.id, text=doc.text[m.end():]))
        if hidden.pub_date is None:
            continue
        checked += 1
        assert hidden.pub_date_origin == "inferred"
        assert hidden.pub_date <= m.group(1)[: len(hidden.pub_date)], (doc.id, hidden.pub_date)
        assert any("publication date: unknown" in line for line in hidden.trace)
    assert checked >= 3


@pytest.mark.slow
def test_relative_dates_stay_null_without_a_publication_date() -> None:
    from entente.model import Document
    from entente.pipeline import process_document

    r = process_document(Document(id="x", text="Last month, Indian Prime Minister Narendra Modi visited Kazakhstan."))
    (e,) = [e for e in r.events if e.root == "04"]
    assert e.date is None
    r = process_document(Document(id="x", text="Last month, Indian Prime Minister Narendra Modi visited Kazakhstan.",
                                   date="2015-08-02"))
    (e,) = [e for e in r.events if e.root == "04"]
    assert (e.date, e.date_precision) == ("2015-07", "month")


@pytest.mark.slow
def test_an_event_that_happened_is_never_dated_after_its_article() -> None:
    from entente.model import Document
    from entente.pipeline import process_document

    r = process_document(Document(id="x", text="India and Japan signed a defence pact in 2031.", date="2020-05-01"))
    assert all(e.date is None or e.date <= "2020-05-01" for e in r.events)
    r = process_document(Document(id="x", text="Modi will visit Japan in December.", date="2020-05-01"))
    assert [(e.date, e.modality) for e in r.events if e.root == "03"] == [("2020-12", "intended")]
