"""Across articles: near-duplicates, name variants, one event across articles, stories; the seed merges."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from corpus_stores import copy_of, store_of

from entente.actors.names import fold, merge_names
from entente.claims.reconcile import CONFLICTING, CONSISTENT, CORROBORATED, for_dyad, reconcile
from entente.corpus.build import build, cluster_stories, dyad_events, merge_across, near_duplicates
from entente.model import Actor, Event, Mention

WIRE = ("Kazakhstan will provide special humanitarian aid to India amid a new wave of infections in the country, "
        "causing a big overload on the healthcare system, the press service of the President reported on Saturday. "
        "President Tokayev ordered his government to dispatch six million medical masks, respirators, anti-plague "
        "suits and portable ventilators made in Kazakhstan. The decision came after a special meeting with the Prime "
        "Minister on Friday. On Tuesday the President delivered a message to the Indian Prime Minister to express "
        "deep solidarity with the Indian nation over the devastating surge in their country, and said Kazakhstan was "
        "ready to unite efforts with its Indian friends to contain the spread of the pandemic and provide every "
        "possible assistance in the spirit of enduring friendship and mutual support between the two states.")
OTHER = ("Pakistan and Kazakhstan signed three memoranda of understanding on trade, defence and training in "
         "foreign services, and agreed to expand connectivity through ports on the Arabian Sea. Officials said the "
         "projects would bring regional development and prosperity to both countries within a decade.")


# -- near-duplicates ------------------------------------------------------------------------------
def test_a_lightly_edited_copy_is_a_near_duplicate() -> None:
    copy = WIRE.replace("on Saturday", "on Sunday").replace("Mi'raj", "")
    dups = near_duplicates({"a": WIRE, "b": copy, "c": OTHER})
    assert set(dups) == {"b"}
    assert dups["b"][0] == "a" and dups["b"][1] >= 0.8


def test_a_rewritten_story_is_not_a_near_duplicate() -> None:
    rewritten = " ".join(reversed(WIRE.split(". ")))
    half = WIRE[: len(WIRE) // 2]
    assert near_duplicates({"a": WIRE, "b": half, "c": rewritten.replace(" the ", " a ")}) == {}


def test_near_duplicates_count_once_as_sources(make_event: Callable[..., Event]) -> None:
    a = make_event("KAZ", "IND", "018", doc="a", date="2021-05-04", sentence="Tokayev sent a message to Modi.")
    b = make_event("KAZ", "IND", "018", doc="b", date="2021-05-04", sentence="Tokayev sent a message to Modi.")
    [ce] = merge_across([a, b], source_of={"a": "a", "b": "a"})
    assert ce.n_sources == 1 and ce.docs == ["a", "b"]


# -- one event across articles -------------------------------------------------------------------
def person(key: str, name: str) -> Actor:
    return Actor(text=name, name=name, country=key, sector="GOV", person=name)


def test_symmetric_events_merge_in_either_order(make_event: Callable[..., Event]) -> None:
    from dataclasses import replace

    a = replace(make_event("IND", "KAZ", "054", doc="a", date="1992-02",
                           sentence="Diplomatic relations were established in February 1992."),
                rule="establish-relations:->-+sentence")
    b = replace(make_event("KAZ", "IND", "054", doc="b", date="1992-02",
                           sentence="Diplomatic relations between both countries were established in February 1992."),
                rule="establish-relations:np>np")
    [ce] = merge_across([a, b])
    assert ce.n_sources == 2 and ce.date == "1992-02"


def test_directed_events_do_not_merge_in_the_other_order(make_event: Callable[..., Event]) -> None:
    a = make_event("IND", "KAZ", "042", doc="a", date="2015-07", sentence="Modi visited Kazakhstan in July 2015.")
    b = make_event("KAZ", "IND", "042", doc="b", date="2015-07", sentence="Modi visited Kazakhstan in July 2015.")
    assert len(merge_across([a, b])) == 2


@pytest.mark.parametrize(("code_b", "date_b", "doc_b"), [
    ("051", "2021-05-04", "b"),  # another code family
    ("018", "2021-06-04", "b"),  # another date
    ("018", "2021-05-04", "a"),  # the same article: its pipeline kept them apart
])
def test_reports_that_differ_stay_apart(make_event: Callable[..., Event], code_b: str, date_b: str, doc_b: str) -> None:
    a = make_event("KAZ", "IND", "018", doc="a", date="2021-05-04", sentence="Tokayev sent a message to Modi.", n=1)
    b = make_event("KAZ", "IND", code_b, doc=doc_b, date=date_b, sentence="Tokayev sent a message to Modi.", n=2)
    assert len(merge_across([a, b])) == 2


def test_undated_reports_merge_only_with_a_shared_person_or_close_wording(make_event: Callable[..., Event]) -> None:
    from dataclasses import replace

    visit = "General Nurlan Yermekbayev, the Defence Minister of Kazakhstan, visited India with a delegation."
    a = replace(make_event("KAZ", "IND", "042", doc="a", sentence=visit),
                source=person("KAZ", "Nurlan Yermekbayev"))
    b = replace(make_event("KAZ", "IND", "042", doc="b",
                           sentence="Kazakhstan's Defence Minister Nurlan Yermekbayeva arrived in India today."),
                source=person("KAZ", "Nurlan Yermekbayeva"))
    c = replace(make_event("KAZ", "IND", "042", doc="c", sentence="President Tokayev will visit India this year."),
                source=person("KAZ", "Kassym-Jomart Tokayev"))
    merged = merge_across([a, b, c], canonical={"Nurlan Yermekbayeva": "Nurlan Yermekbayev"})
    assert sorted(len(ce.events) for ce in merged) == [1, 2]
    without_names = merge_across([a, b, c])
    assert sorted(len(ce.events) for ce in without_names) == [1, 1, 1]


# -- names across articles -------------------------------------------------------------------------
def mention(doc: str, text: str, name: str, country: str = "KAZ") -> Mention:
    return Mention(doc=doc, start=0, end=len(text), sentence=0,
                   actor=Actor(text=text, name=name, country=country, sector="GOV", person=name))


def test_name_variants_merge_with_their_evidence() -> None:
    merges = merge_names([
        mention("a", "Kassym-Zhomart Tokayev", "Kassym-Jomart Tokayev"),
        mention("b", "Kassym-Jomart Tokayev", "Kassym-Jomart Tokayev"),
        mention("a", "Nurlan Yermekbayev", "Nurlan Yermekbayev"),
        mention("c", "Nurlan Yermekbayeva", "Nurlan Yermekbayeva"),
        mention("c", "Both ministers", "Nurlan Yermekbayev"),
        mention("d", "Dariga Nazarbayeva", "Dariga Nazarbayeva"),
        mention("d", "Nursultan Nazarbayev", "Nursultan Nazarbayev"),
    ], known={"Kassym-Jomart Tokayev", "Nurlan Yermekbayev", "Nursultan Nazarbayev", "Dariga Nazarbayeva"})
    got = {(m.variant, m.canonical, m.method) for m in merges}
    assert got == {("Kassym-Zhomart Tokayev", "Kassym-Jomart Tokayev", "knowledge base"),
                   ("Nurlan Yermekbayeva", "Nurlan Yermekbayev", "spelling")}
    spelling = next(m for m in merges if m.method == "spelling")
    assert spelling.score >= 90 and {e["doc"] for e in spelling.evidence} >= {"a", "c"}


def test_unknown_names_of_other_countries_or_first_names_stay_apart() -> None:
    merges = merge_names([
        mention("a", "Nurlan Yermekbayev", "Nurlan Yermekbayev"),
        mention("b", "Nurlan Yermekbayeva", "Nurlan Yermekbayeva", country="UZB"),
        mention("c", "Dariga Yermekbayeva", "Dariga Yermekbayeva"),
    ], known={"Nurlan Yermekbayev"})
    assert merges == []


def test_transliterations_fold() -> None:
    assert fold("Kassym-Zhomart Tokayev") == fold("Kassym-Jomart Tokaiev")
    assert fold("Şahin") == fold("Sahin")


# -- stories -------------------------------------------------------------------------------------
def test_stories_cluster_similar_articles() -> None:
    quake_a = "Rescuers from India searched collapsed buildings in Hatay after the earthquake; Operation Dost teams."
    quake_b = "Indian rescuers of Operation Dost searched collapsed buildings in Gaziantep and Hatay after the quake."
    stories = cluster_stories({"qa": quake_a, "qb": quake_b, "w": WIRE, "o": OTHER}, {})
    assert stories["qa"] == stories["qb"]
    assert len({stories["qa"], stories["w"], stories["o"]}) == 3


# -- the seeds -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seeds_corpus(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory, nlp):
    return build(copy_of(store_of(str(seeds_dir)), tmp_path_factory.mktemp("seeds")))


def merged(corpus, docs: set[str], root: str, needle: str):
    """The KAZ-IND corpus events of ``root`` whose evidence holds ``needle``, reported by ``docs``."""
    return [ce for ce in dyad_events(corpus, "KAZ", "IND")
            if ce.root == root and {d[:3] for d in ce.docs} == docs
            and any(needle in m.sentence for e in ce.events for m in (e.mentions or (e.evidence,)))]


@pytest.mark.slow
def test_seeds_tokayev_message_of_may_4_is_one_event_with_two_sources(seeds_corpus) -> None:
    [ce] = merged(seeds_corpus, {"000", "003"}, "01", "message")
    assert ce.n_sources == 2 and ce.date == "2021-05-04" and ce.cameo == "018"


@pytest.mark.slow
def test_seeds_yermekbayev_visit_to_india_is_one_event_with_two_sources(seeds_corpus) -> None:
    [ce] = merged(seeds_corpus, {"000", "001"}, "04", "Yermekbayev")
    assert ce.n_sources == 2 and ce.cameo == "042" and ce.source.person == "Nurlan Yermekbayev"


@pytest.mark.slow
def test_seeds_establishment_of_relations_in_february_1992_is_one_event_with_two_sources(seeds_corpus) -> None:
    events = merged(seeds_corpus, {"000", "001"}, "05", "established in February 1992")
    established = [ce for ce in events if any("establish" in e.rule for e in ce.events)]
    assert len(established) == 1
    assert established[0].n_sources == 2 and established[0].date == "1992-02"


@pytest.mark.slow
def test_seeds_meetings_in_delhi_and_in_moscow_stay_apart(seeds_corpus) -> None:
    moscow = merged(seeds_corpus, {"001"}, "04", "Moscow")
    assert moscow and all(ce.date == "2020-09-05" for ce in moscow)


@pytest.mark.slow
def test_seeds_name_variants_are_merged(seeds_corpus) -> None:
    got = {(m.variant, m.canonical) for m in seeds_corpus.names}
    assert ("Nurlan Yermekbayeva", "Nurlan Yermekbayev") in got
    assert ("Kassym-Zhomart Tokayev", "Kassym-Jomart Tokayev") in got


@pytest.mark.slow
def test_seeds_aid_figures_have_the_expected_statuses(seeds_corpus) -> None:
    figures = {f.item: f for f in for_dyad(reconcile(seeds_corpus.claims), "KAZ-IND")}
    assert figures["medical masks"].status == CONSISTENT
    assert figures["respirators"].status == CONFLICTING
    assert figures["portable artificial lung ventilation devices"].status == CORROBORATED
    for f in (figures["medical masks"], figures["respirators"]):
        assert {c.claim.doc[:3] for c in f.claims} == {"000", "003"}


@pytest.mark.slow
def test_seeds_timeline_dates_agree_with_the_gold(seeds_corpus, gold_path: Path) -> None:
    """Every required, dated KAZ-IND gold event found in the timeline carries the gold date."""
    def norm(s: str) -> str:
        return " ".join(s.replace("\u2019", "'").split())

    timeline = dyad_events(seeds_corpus, "KAZ", "IND")
    checked = 0
    for g in map(json.loads, gold_path.read_text("utf-8").splitlines()):
        if {g["source"], g["target"]} != {"KAZ", "IND"} or not g["date"] or not g["required"]:
            continue
        hits = [ce.date for ce in timeline for e in ce.events
                if e.doc == g["doc"] and e.root in (g["root"], *g["also"])
                and (g["symmetric"] or (e.source.key, e.target.key if e.target else None) == (g["source"], g["target"]))
                and norm(g["evidence"][:40]) in norm(" ".join(m.sentence for m in e.mentions))]
        if hits:
            checked += 1
            assert any(d and d[: len(g["date"])] == g["date"] for d in hits), (g["evidence"], hits)
    assert checked >= 12
