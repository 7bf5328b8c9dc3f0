"""The gazetteer's matcher: the spans spaCy's PhraseMatcher finds, from a dict of token sequences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.matcher import PhraseMatcher

from entente.actors import matching
from entente.actors.matching import FormMatcher

FORMS = ["India", "New Delhi", "New Delhi Television", "Delhi", "U.N.", "United Nations", "Security Council",
         "United Nations Security Council", "Kassym-Jomart Tokayev", "Tokayev", "Côte d'Ivoire", "Ivoire", "U.S.",
         "the Hague", "Hague"]
EXACT = ["US", "UN", "WHO", "M23", "FARC-EP"]
TEXT = ("NEW DELHI — India and the United Nations Security Council met in New Delhi. The U.N. and U.S. envoys, with "
        "Kassym-Jomart Tokayev and Tokayev's aides, flew from Côte d'Ivoire to the Hague. Who knows? WHO, the US, "
        "us, the UN, M23 and FARC-EP did. New Delhi Television said so. India")


def _phrase_matcher(nlp, forms: list[str], attr: str) -> PhraseMatcher:
    m = PhraseMatcher(nlp.vocab, attr=attr)
    m.add("ACTOR", [nlp.tokenizer(f) for f in forms])
    return m


def test_the_form_matcher_finds_the_spans_the_phrase_matcher_finds(nlp, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENTENTE_CACHE", str(tmp_path))
    for text in (TEXT, TEXT.lower(), TEXT.upper(), "India", "", " \n\n "):
        doc = nlp(text)
        for forms, attr in ((FORMS, "LOWER"), (EXACT, "ORTH")):
            expected = sorted((s, e) for _, s, e in _phrase_matcher(nlp, forms, attr)(doc))
            assert sorted(FormMatcher(nlp, forms, attr)(doc)) == expected, (text, attr)
    spans = {nlp(TEXT)[s:e].text for s, e in FormMatcher(nlp, FORMS)(nlp(TEXT))}
    assert {"United Nations Security Council", "United Nations", "Security Council", "New Delhi Television",
            "New Delhi", "Delhi"} <= spans  # overlapping spans too: the resolver takes the longest


def test_tokenized_forms_are_kept_in_the_cache_and_read_back(nlp, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENTENTE_CACHE", str(tmp_path))
    first = matching.token_sequences(nlp, FORMS, "LOWER")
    [entry] = tmp_path.glob("forms-lower.*.json")
    assert set(json.loads(entry.read_text("utf-8"))) == set(FORMS)
    assert matching.token_sequences(nlp, FORMS[::-1], "LOWER") == first[::-1]
    more = [*FORMS, "Astana"]  # a new form is tokenized and added
    assert matching.token_sequences(nlp, more, "LOWER")[:-1] == first
    assert "Astana" in json.loads(entry.read_text("utf-8"))
    entry.write_text("not json", "utf-8")  # a damaged cache is tokenized afresh
    assert matching.token_sequences(nlp, FORMS, "LOWER") == first
    monkeypatch.setenv("ENTENTE_CACHE", "off")
    assert matching.token_sequences(nlp, FORMS, "LOWER") == first
