"""Claims: quantities found with their unit and item, parsed into bounds, and reconciled across sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_stores import store_of
from hypothesis import given
from hypothesis import strategies as st

from entente.claims.extract import claims_for, find_quantities, head, parse_quantity
from entente.claims.reconcile import (
    CONFLICTING,
    CONSISTENT,
    CORROBORATED,
    SINGLE_SOURCE,
    SourcedClaim,
    reconcile,
    status,
)
from entente.model import Claim, Document, Evidence

ARTICLES = Path(__file__).parents[1] / "examples" / "articles"


# -- parsing -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "value", "low", "high", "qualifier"), [
    ("6 million", 6e6, 5.5e6, 6.5e6, "exact"),
    ("over five million", 5e6, 5e6, None, "over"),
    ("thousands", 2000, 2000, 99999, "vague"),
    ("more than 38", 38, 38, None, "over"),
    ("approximately 200", 200, 150, 250, "approx"),
    ("about 250", 250, 225, 275, "approx"),
    ("from US$ 250 million to US$ 1000 million", 250e6, 250e6, 1000e6, "range"),
    ("1.57 billion", 1.57e9, 1.565e9, 1.575e9, "exact"),
    ("400,000", 4e5, 3.5e5, 4.5e5, "exact"),
    ("105", 105, 104.5, 105.5, "exact"),
    ("up to 300", 300, None, 300, "under"),
    ("a dozen", 12, 11.5, 12.5, "exact"),
    ("two hundred and fifty", 250, 249.5, 250.5, "exact"),
])
def test_parse_quantity(text: str, value: float, low: float | None, high: float | None, qualifier: str) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert q.value == pytest.approx(value)
    assert (q.low, q.high) == (pytest.approx(low) if low is not None else None,
                               pytest.approx(high) if high is not None else None)
    assert q.qualifier == qualifier


def found(text: str) -> list[tuple[str, float, str, str | None, str | None]]:
    return [(text[f.start:f.end], f.quantity.value, f.quantity.qualifier, f.unit, f.item) for f in find_quantities(text)]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Tokayev ordered 6 million medical masks, 400,000 respirators and 105 portable artificial lung ventilation devices.",
     [("6 million medical masks", 6e6, "exact", None, "medical masks"),
      ("400,000 respirators", 4e5, "exact", None, "respirators"),
      ("105 portable artificial lung ventilation devices", 105, "exact", None, "portable artificial lung ventilation devices")]),
    ("aid in the form of over five million medical masks, thousands of respirators, and suits.",
     [("over five million medical masks", 5e6, "over", None, "medical masks"),
      ("thousands of respirators", 2000, "vague", None, "respirators")]),
    ("The 40-tonne aid included medical masks.", [("40-tonne aid", 40, "exact", "tonne", "aid")]),
    ("India conducted military training for approximately 200 Kazakh defence forces personnel.",
     [("approximately 200 Kazakh defence forces personnel", 200, "approx", None, "Kazakh defence forces personnel")]),
    ("Trade turnover between the two countries reached 1.57 billion USD in January-May 2020.",
     [("1.57 billion USD", 1.57e9, "exact", "USD", "trade turnover")]),
    ("Since 2005, more than 38 members of the Armed Forces have been trained.",
     [("more than 38 members", 38, "over", None, "members")]),
    ("Both countries have trade goals ranging from US$ 250 million to US$ 1000 million in the days ahead.",
     [("from US$ 250 million to US$ 1000 million", 250e6, "range", "USD", "trade")]),
    ("It consists of 10,000 tons of flour.", [("10,000 tons of flour", 1e4, "exact", "tonne", "flour")]),
])
def test_find_quantities(sentence: str, expected: list[tuple]) -> None:
    got = found(sentence)
    assert [(t, pytest.approx(v), q, u, i) for t, v, q, u, i in expected] == got


@pytest.mark.parametrize("sentence", [
    "On May 4, Tokayev sent a message; on 7 May he met the Prime Minister.",
    "Relations were established in February 1992 and again in 2019.",
    "SCO heads hold 20th summit in virtual format.",
    "India was one of the first countries to recognize Kazakhstan.",
    "The two countries held talks during her three-day visit.",
    "COVID-19 cases rose; the quake struck at 4:17 a.m. local time.",
    "The links go back 2500 years, an increase of two times.",
    "He visited HQs 12 Corps in Jodhpur.",
])
def test_dates_ranks_durations_and_references_are_not_claims(sentence: str) -> None:
    assert found(sentence) == []


def spell(n: int) -> str:
    """English words for 0 < n < 1,000,000 (written here, independently of the parser)."""
    units = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " \
            "sixteen seventeen eighteen nineteen".split()
    tens = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()

    def below_thousand(k: int) -> str:
        words = []
        if k >= 100:
            words += [units[k // 100], "hundred"]
            k %= 100
            if k:
                words.append("and")
        if k >= 20:
            words.append(tens[k // 10] + (f"-{units[k % 10]}" if k % 10 else ""))
        elif k:
            words.append(units[k])
        return " ".join(words)

    if n >= 1000:
        rest = below_thousand(n % 1000)
        return f"{below_thousand(n // 1000)} thousand" + (f" {rest}" if rest else "")
    return below_thousand(n)


@given(st.integers(min_value=1, max_value=999_999))
def test_numbers_with_thousands_separators_parse_back(n: int) -> None:
    q = parse_quantity(f"{n:,}")
    assert q is not None and q.value == n and q.low is not None and q.high is not None
    assert q.low <= n <= q.high


@given(st.integers(min_value=1, max_value=999_999))
def test_number_words_parse_back(n: int) -> None:
    q = parse_quantity(spell(n))
    assert q is not None and q.value == n


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["thousand", "million", "billion"]))
def test_scales_multiply(n: int, scale: str) -> None:
    factor = {"thousand": 1e3, "million": 1e6, "billion": 1e9}[scale]
    q = parse_quantity(f"{n} {scale}")
    assert q is not None and q.value == pytest.approx(n * factor)


@given(st.integers(min_value=1, max_value=10**7), st.sampled_from(["more than", "over", "at least", "above"]))
def test_lower_bounds_have_no_upper_bound(n: int, word: str) -> None:
    q = parse_quantity(f"{word} {n:,}")
    assert q is not None and (q.low, q.high, q.qualifier) == (n, None, "over")


@given(st.integers(min_value=1, max_value=10**7), st.sampled_from(["less than", "fewer than", "up to", "under"]))
def test_upper_bounds_have_no_lower_bound(n: int, word: str) -> None:
    q = parse_quantity(f"{word} {n:,}")
    assert q is not None and (q.low, q.high, q.qualifier) == (None, n, "under")


@given(st.integers(min_value=1, max_value=10**7), st.sampled_from(["about", "approximately", "around", "some"]))
def test_approximations_hold_their_value(n: int, word: str) -> None:
    q = parse_quantity(f"{word} {n:,}")
    assert q is not None and q.qualifier == "approx"
    assert q.low is not None and q.high is not None and q.low < n < q.high


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_ranges_keep_both_ends(a: int, extra: int) -> None:
    b = a + extra
    for text in (f"from {a:,} to {b:,}", f"between {a:,} and {b:,}"):
        q = parse_quantity(text)
        assert q is not None and (q.low, q.high, q.qualifier) == (a, b, "range")


@pytest.mark.parametrize("phrase", ["dozens", "hundreds", "thousands", "tens of thousands", "millions",
                                    "a few thousand", "several hundred"])
def test_vague_amounts_are_bounded(phrase: str) -> None:
    q = parse_quantity(phrase)
    assert q is not None and q.qualifier == "vague"
    assert q.low is not None and q.high is not None and 0 < q.low < q.high


def test_head_nouns_are_singular() -> None:
    assert head("medical masks") == "mask"
    assert head("portable artificial lung ventilation devices") == "device"
    assert head("batteries") == "battery"
    assert head("personnel") == "personnel"


# -- reconciliation ------------------------------------------------------------------------------
def sourced(text: str, doc: str, *, item: str = "medical masks", actor: str = "KAZ",
            story: str | None = "s1", when: str | None = None) -> SourcedClaim:
    [f] = find_quantities(f"{text} {item}.")
    q = f.quantity
    claim = Claim(doc=doc, value=q.value, low=q.low, high=q.high, qualifier=q.qualifier, unit=f.unit, item=f.item,
                  text=text, evidence=Evidence(text, 0, len(text)))
    return SourcedClaim(claim=claim, source=doc, actor=actor, actors=frozenset({"KAZ", "IND"}), story=story, when=when)


def test_same_value_from_two_sources_is_corroborated() -> None:
    assert status([sourced("105", "a"), sourced("105", "b")]) == CORROBORATED


def test_a_bound_and_a_value_inside_it_are_consistent() -> None:
    assert status([sourced("over five million", "a"), sourced("6 million", "b")]) == CONSISTENT
    assert status([sourced("about 250", "a", item="rescuers"), sourced("more than 240", "b", item="rescuers")]) == CONSISTENT


def test_a_vague_amount_and_a_value_outside_it_conflict() -> None:
    assert status([sourced("thousands of", "a", item="respirators"), sourced("400,000", "b", item="respirators")]) == CONFLICTING
    assert status([sourced("105", "a"), sourced("106", "b")]) == CONFLICTING
    assert status([sourced("over 5,000", "a"), sourced("under 5,000", "b")]) == CONFLICTING


def test_one_source_is_single_source_even_when_it_repeats_itself() -> None:
    assert status([sourced("105", "a")]) == SINGLE_SOURCE
    assert status([sourced("105", "a"), sourced("106", "a")]) == SINGLE_SOURCE


def test_near_duplicates_count_as_one_source() -> None:
    copy = sourced("105", "b")
    copy = SourcedClaim(claim=copy.claim, source="a", actor="KAZ", actors=copy.actors, story="s1")
    assert status([sourced("105", "a"), copy]) == SINGLE_SOURCE


def test_figures_group_by_item_actor_and_story_or_month() -> None:
    figures = reconcile([
        sourced("over five million", "a"), sourced("6 million", "b"),
        sourced("thousands of", "a", item="respirators"), sourced("400,000", "b", item="respirators"),
        sourced("7 million", "c", actor="IND"),  # another actor's masks
        sourced("9 million", "d", story="s2"),  # another story, no date
        sourced("5 million", "e", story="s3", when="2021-05"), sourced("4 million", "f", story="s4", when="2021-05-07"),
    ])
    by = {(f.actor, f.item, tuple(c.claim.doc for c in f.claims)): f.status for f in figures}
    assert by[("KAZ", "medical masks", ("a", "b"))] == CONSISTENT
    assert by[("KAZ", "respirators", ("a", "b"))] == CONFLICTING
    assert by[("IND", "medical masks", ("c",))] == SINGLE_SOURCE
    assert by[("KAZ", "medical masks", ("d",))] == SINGLE_SOURCE
    assert by[("KAZ", "medical masks", ("e", "f"))] == CONFLICTING
    assert figures[0].status == CONFLICTING  # the most pressing first


# -- claims of processed documents -------------------------------------------------------------
@pytest.mark.slow
def test_claims_for_a_document_keep_offsets_into_the_original_and_attach_to_events() -> None:
    from entente.pipeline import process_document

    text = ("NUR-SULTAN \u2013 Kazakhstan will send humanitarian aid to India.\n\n"
            "President Kassym-Jomart Tokayev ordered his Government to send 6\u00a0million medical masks "
            "and 105 ventilators to India on May 7, 2021.")
    r = process_document(Document(id="d", text=text))
    claims = claims_for(r)
    assert [c.text for c in claims] == ["6\u00a0million medical masks", "105 ventilators"]
    for c in claims:
        assert text[c.evidence.start:c.evidence.end] == c.text
        assert c.text in c.evidence.sentence
    aid = [e for e in r.events if e.root in ("03", "07")]
    assert aid and claims[0].event_id in {e.event_id for e in aid}


@pytest.mark.slow
def test_rescuer_figures_of_the_quake_articles_are_consistent(nlp) -> None:
    from entente.corpus.build import figures_of

    db = store_of(str(ARTICLES / "06_tur_syr_quake_aid_2023.jsonl"))
    [rescuers] = [f for f in figures_of(db, "IND-TUR") if f.item == "rescuers" and f.actor == "IND"]
    assert rescuers.status == CONSISTENT
    assert sorted(c.claim.text for c in rescuers.claims) == ["about 250 rescuers", "more than 240 rescuers"]
    assert rescuers.sources == ["06a_quake_aid_2023", "06b_quake_aid_2023"]


@given(st.lists(st.tuples(st.sampled_from(["d1", "d2", "d3", "d4"]), st.sampled_from([None, "s1", "s2"]),
                          st.sampled_from([None, "2020", "2020-05", "2020-05-04", "2020-06-01", "2021-05"])),
                max_size=12))
def test_figures_group_claims_as_comparing_every_pair_would(specs: list[tuple[str, str | None, str | None]]) -> None:
    """One pass over stories and months gives the components that ``about_same`` over all pairs gives."""
    from entente.claims.reconcile import _components, about_same

    claims = [sourced("105", doc, story=story, when=when) for doc, story, when in specs]
    parent = list(range(len(claims)))

    def find(k: int) -> int:
        while parent[k] != k:
            k = parent[k]
        return k

    for i in range(len(claims)):
        for j in range(i + 1, len(claims)):
            if about_same(claims[i], claims[j]):
                parent[find(j)] = find(i)
    pairwise: dict[int, list[int]] = {}
    for k in range(len(claims)):
        pairwise.setdefault(find(k), []).append(k)
    index = {id(c): k for k, c in enumerate(claims)}
    assert [[index[id(c)] for c in group] for group in _components(claims)] == list(pairwise.values())
