"""Superseding: which of several events read from one clause stand.

A commitment ("agreed to visit") gives way to the event its complement names;
an event buried in a complement that names none gives way to the commitment.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..model import RawEvent
from .arguments import objects
from .patterns import Pattern


def superseded(tok: Token, pat: Pattern, ev: RawEvent, found: list[tuple[Token, Pattern, RawEvent]]) -> bool:
    """A commitment's own event gives way to the event its complement names ("agreed to
    visit", "agreed to hold talks"); an event buried deeper in a complement that names none
    ("pledged to settle the conflict through negotiations") gives way to the commitment; an
    event noun a verb pattern took as its object gives way to the verb ("violated the ceasefire")."""
    if pat.complement:
        return _coded_head(tok, found)
    if ev.rule.split(":")[1].startswith("subj>") and _object_of_a_verb_event(tok, pat, found):
        return True
    for other, p, _ in found:
        if not p.complement or other.i == tok.i or tok.i in complement_heads(other):
            continue
        inside = tok.i in {t.i for c in other.children if c.dep_ in ("xcomp", "ccomp") for t in c.subtree}
        if inside and not _coded_head(other, found) and not own_clause_between(tok, other):
            return True
    return False


def _object_of_a_verb_event(tok: Token, pat: Pattern, found: list[tuple[Token, Pattern, RawEvent]]) -> bool:
    """An event noun that a verb pattern required as its object, for an event of another kind
    ("violated the ceasefire", "cancelled the visit"): the verb says what became of it, and the noun
    is no event of its own when it only took the verb's subject as its actor ("Mongolia's request",
    studied by Tokyo, stays Mongolia's)."""
    if not pat.nouns:
        return False
    for other, p, _ in found:
        if other.i != tok.i and p.object and p.code[:2] != pat.code[:2] and tok.i in {o.i for o in objects(other)}:
            return True
    return False


def own_clause_between(tok: Token, governor: Token) -> bool:
    """Is there a clause with its own subject between a trigger and a governor above it
    ("agreed to boost cooperation as Sitharaman met her counterpart")?"""
    h = tok if tok.pos_ in ("VERB", "AUX") else tok.head
    for _ in range(8):
        if h.i == governor.i or h.head.i == h.i:
            return False
        if h.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in h.children) \
                and h.dep_ in ("advcl", "ccomp", "relcl", "conj"):
            return True
        h = h.head
    return False


def complement_heads(tok: Token) -> set[int]:
    """The complement verb of a commitment, and its object ("agreed to hold talks": hold, talks)."""
    heads = {c.i for c in tok.children if c.dep_ in ("xcomp", "ccomp")}
    for c in tok.children:
        if c.dep_ in ("xcomp", "ccomp"):
            heads |= {g.i for g in c.children if g.dep_ in ("dobj", "nsubjpass")}
    return heads


def _coded_head(tok: Token, found: list[tuple[Token, Pattern, RawEvent]]) -> bool:
    return any(other.i in complement_heads(tok) and not p.complement for other, p, _ in found)
