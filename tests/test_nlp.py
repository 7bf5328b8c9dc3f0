"""The spaCy pass: entente's speed-ups of the pipeline must leave every annotation as spaCy makes it."""

from __future__ import annotations

import importlib

import pytest
from spacy.language import Language

from entente import nlp as nlp_mod

#: Text that exercises the attribute ruler's rarer rules: multi-token patterns ("gonna", "y'all",
#: "let's"), regular expressions ("ain't", "nothin'"), rules on the parse (expletive "there is",
#: "I"/"you"/"it" as subject or object, auxiliaries), negation, whitespace tokens.
TRICKY = ("I ain't gonna do it, y'all. Let's go, c'mon! It is what it is; you gotta see it, and they gave it "
          "to you and me. Nothin' but the best. There is a way and there are others.  \n\n  Do you have it? "
          "I did, but he didn't. Iran said that the talks, which had been postponed, would resume if "
          "Washington lifted the sanctions. Whether or not Kazakhstan agrees, India's minister will go.\t")


def _spacy_as_shipped() -> Language:
    """The model as entente loads it, but with spaCy's own attribute ruler (no index)."""
    for name in nlp_mod.MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load(exclude=["ner"])
        nlp_mod._split_trailing_dashes(nlp)
        nlp.add_pipe("entente_paragraphs", before="parser")
        return nlp
    pytest.skip("no English spaCy model installed")


def _annotations(nlp: Language, text: str) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, str(t.head.i)) for t in nlp(text)]


@pytest.mark.slow
def test_the_indexed_attribute_ruler_annotates_exactly_as_spacys_matcher(nlp) -> None:
    assert nlp.get_pipe("attribute_ruler").match.__self__.__class__ is nlp_mod._RuleIndex  # on in entente's model
    shipped, indexed = _spacy_as_shipped(), _spacy_as_shipped()  # both without the lemma memo
    nlp_mod._index_attribute_ruler(indexed)
    for text in (TRICKY, TRICKY.upper(), TRICKY.lower(), "but", " ", ""):
        assert _annotations(indexed, text) == _annotations(shipped, text)


NEWS = ("Kazakhstan and India signed an agreement on Monday to expand military cooperation. The talks, held in "
        "Astana, followed a visit by the Indian defence minister. Russia condemned the strikes on Syria and urged "
        "Washington to show restraint, while China said it would send aid to the region.\n\nEgypt and Greece will "
        "hold joint air force drills next month.")


@pytest.mark.slow
def test_the_layers_products_by_numpy_annotate_exactly_as_by_blis(nlp) -> None:
    if nlp_mod._blas() is None:
        pytest.skip("threadpoolctl finds no BLAS under numpy: entente keeps blis")
    assert not nlp.get_pipe("tok2vec").model.ops.use_blis  # on in entente's model
    shipped, products = _spacy_as_shipped(), _spacy_as_shipped()
    nlp_mod._numpy_products(products)
    for text in (NEWS, TRICKY, NEWS.upper(), " ".join([NEWS] * 8)):
        with nlp_mod._one_thread():
            assert _annotations(products, text) == _annotations(shipped, text)
        assert _annotations(products, text) == _annotations(shipped, text)  # and on numpy's own threads


@pytest.mark.slow
def test_a_ruler_pattern_the_index_cannot_answer_keeps_spacys_matcher(nlp) -> None:
    shipped = _spacy_as_shipped()
    ruler = shipped.get_pipe("attribute_ruler")
    assert nlp_mod._RuleIndex.build(ruler) is not None
    ruler.add([[{"LOWER": "very", "OP": "+"}]], {"LEMMA": "very"})  # an operator: only the Matcher knows it
    assert nlp_mod._RuleIndex.build(ruler) is None


def test_the_lemma_memo_gives_what_the_rule_lemmatizer_gives_whatever_came_before(nlp) -> None:
    """The memo is keyed on word, part of speech and morphology, so a lemma never depends on which
    document first showed the word (and so not on the number of workers either)."""
    texts = ["The data is clear.", "The data are clear.", "Police arrested them.", "Politics are messy.",
             "Telecommunications were cut. Politics is local.", "The Police said politics was over."]
    lemmatizer = nlp.get_pipe("lemmatizer")
    for text in texts + texts[::-1]:
        for tok in nlp(text):
            if tok.pos_ in ("NOUN", "PROPN", "VERB", "ADJ"):  # the attribute ruler sets the pronouns' own
                assert tok.lemma_ == lemmatizer.rule_lemmatize(tok)[0], (text, tok.text)


def test_a_plural_object_read_as_a_verb_is_retagged_a_noun() -> None:
    from entente import nlp as nlp_mod
    doc = nlp_mod.load()("Egypt and Greece will hold joint air force drills next month.")
    drills = next(t for t in doc if t.text == "drills")
    assert drills.pos_ == "NOUN" and drills.lemma_ == "drill"
    doc = nlp_mod.load()("China drills its troops near the border.")
    assert next(t for t in doc if t.text == "drills").pos_ == "VERB"


def test_the_documents_text_is_built_once_and_is_the_documents() -> None:
    from entente import nlp as nlp_mod
    doc = nlp_mod.load()("Japan met China. India met Kazakhstan.")
    assert nlp_mod.doc_text(doc) == doc.text
    assert nlp_mod.doc_text(doc) is nlp_mod.doc_text(doc)
