"""The gazetteer's matcher: where a parsed document spells one of the knowledge base's surface forms.

Every form is tokenized as documents are, and kept as the sequence of its tokens' hashes (of the
lower-cased word, or of the exact word for forms matched with exact case), indexed by the first
token. A document is then read once, as an array of the same hashes: only at a token that starts
some form are the form lengths starting with it looked up. The spans found are those spaCy's
``PhraseMatcher`` finds, overlapping ones included, without its copy of every form as a ``Doc``
(which held some 250 MB for the 40,000 forms of the shipped knowledge base).

Tokenizing the forms makes a lexeme for each new word, which takes seconds: the sequences are
kept in the data cache (``kb._cache_dir``), in a file named by a hash of the tokenizer's rules and
spaCy's version, so a process after the first reads them in a fraction of a second (a form the
file does not hold yet is tokenized and added).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable

import spacy
from spacy.attrs import IDS
from spacy.language import Language
from spacy.tokens import Doc

from .kb import _cache_dir


class FormMatcher:
    """The spans of a document whose tokens spell a form, compared on one token attribute
    (``LOWER``: case-insensitive, ``ORTH``: exact case)."""

    def __init__(self, nlp: Language, forms: Iterable[str], attr: str = "LOWER") -> None:
        self.attr = IDS[attr]
        self.forms: set[tuple[int, ...]] = set()
        self.lengths: dict[int, tuple[int, ...]] = {}  # first token's hash -> the lengths of the forms it starts
        lengths: dict[int, set[int]] = {}
        for seq in token_sequences(nlp, list(forms), attr):
            if seq:
                self.forms.add(seq)
                lengths.setdefault(seq[0], set()).add(len(seq))
        self.lengths = {first: tuple(sorted(ns)) for first, ns in lengths.items()}

    def __len__(self) -> int:
        return len(self.forms)

    def __call__(self, doc: Doc) -> list[tuple[int, int]]:
        """Every (start, end) token span of ``doc`` that spells a form, by start then length."""
        keys = doc.to_array(self.attr).tolist() if len(doc) else []
        n = len(keys)
        out = []
        for i, key in enumerate(keys):
            lengths = self.lengths.get(key)
            if lengths is None:
                continue
            for length in lengths:
                if i + length > n:
                    break
                if length == 1 or tuple(keys[i : i + length]) in self.forms:
                    out.append((i, i + length))
        return out


def token_sequences(nlp: Language, forms: list[str], attr: str) -> list[tuple[int, ...]]:
    """Per form, the hashes of its tokens' ``attr`` as ``nlp``'s tokenizer splits it. Those of forms
    an earlier process tokenized are read from the data cache (one file per tokenizer, attribute and
    spaCy version, holding every form seen), the others tokenized and added to it."""
    folder = _cache_dir()
    entry = None
    known: dict[str, list[int]] = {}
    if folder is not None:
        digest = hashlib.sha256(nlp.tokenizer.to_bytes(exclude=["vocab"]))  # type: ignore[union-attr]  # a Tokenizer
        digest.update(f"{spacy.__version__}|{attr}".encode())
        entry = folder / f"forms-{attr.lower()}.{digest.hexdigest()[:16]}.json"
        try:
            cached = json.loads(entry.read_text("utf-8"))
            if isinstance(cached, dict):
                known = cached
        except (OSError, ValueError):
            pass  # not there yet, or unreadable: tokenize
    attr_id = IDS[attr]
    missing = {form for form in forms if form not in known}
    for form in missing:
        known[form] = nlp.tokenizer(form).to_array(attr_id).tolist()
    if missing and entry is not None:
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            tmp = entry.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(known, ensure_ascii=False), "utf-8")
            os.replace(tmp, entry)  # whole or absent: a reader never sees half a file
        except OSError:
            pass  # a read-only home: tokenized again next time
    return [tuple(known[form]) for form in forms]
