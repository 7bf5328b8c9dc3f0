"""Where a time expression hangs in a sentence's parse, and the clause helpers dating reads.

In: a parsed document and its ``TimeRef`` expressions. Out: the word each expression attaches to
(a verb, or a noun: "Saturday's strike"), the expressions of a sentence, the clause a word
belongs to and the verb that carries its tense, and whether an expression can date anything.
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc, Span, Token

from ..model import TimeRef
from ..nlp import doc_text, infinitive, sent_of

#: Verbs of saying: their complement reports an event that need not have happened when it was said.
REPORTING_VERBS = {"say", "tell", "state", "announce", "declare", "add", "note", "claim", "report", "confirm",
                   "insist", "stress", "warn", "allege", "accuse", "charge", "deny", "write", "argue", "assert",
                   "explain", "reveal", "disclose", "acknowledge", "admit", "complain", "believe", "think"}


#: Parts of a day that a day's name can qualify, and the zone's "time": "Friday morning local time".
DAY_PARTS = {"morning", "afternoon", "evening", "night", "overnight", "dawn", "midday", "noon", "time"}


def times_in(sent: Span, times: list[TimeRef]) -> list[TimeRef]:
    """The expressions inside a sentence, in the order of ``times``; found by bisection, so that dating
    every event of a long document stays linear."""
    s, e = sent.start_char, sent.end_char
    starts, order = _start_index(times)
    inside = []
    for k in range(bisect_left(starts, s), bisect_left(starts, e)):
        if times[order[k]].end <= e:
            inside.append(order[k])
    return [times[i] for i in sorted(inside)]


_START_INDEX: list[tuple[list[TimeRef], list[int], list[int]]] = []


def _start_index(times: list[TimeRef]) -> tuple[list[int], list[int]]:
    """The start offsets of ``times`` in increasing order, with each one's place in ``times``; kept for
    the last list asked about (one document's expressions)."""
    if not _START_INDEX or _START_INDEX[0][0] is not times or len(_START_INDEX[0][2]) != len(times):
        order = sorted(range(len(times)), key=lambda i: times[i].start)
        _START_INDEX[:] = [(times, [times[i].start for i in order], order)]
    return _START_INDEX[0][1], _START_INDEX[0][2]


def token_index(doc: Doc, char: int) -> int:
    """The index of the token that starts at or after ``char`` (bisection over token offsets)."""
    lo, hi = 0, len(doc)
    while lo < hi:
        mid = (lo + hi) // 2
        if doc[mid].idx < char:
            lo = mid + 1
        else:
            hi = mid
    return lo


def tensed(clause: Token) -> Token:
    """The verb that carries an infinitive's or a gerund's tense: "used a post to accuse China" and
    "thanked her for initiating the talks" are told in the past."""
    h = clause
    while h.head.i != h.i:
        if h.tag_ == "VB" and h.dep_ in ("xcomp", "advcl") and infinitive(h):
            h = h.head
        elif h.tag_ == "VBG" and h.dep_ == "pcomp" and h.head.dep_ == "prep" and h.head.head.pos_ == "VERB" and \
                not any(c.dep_ == "aux" for c in h.children):
            h = h.head.head
        else:
            break
    return h


def deadline(t: TimeRef) -> bool:
    """A limit with no date of its own (``dates.find_times`` reads "by October", "until Wednesday"): it
    says when an act must be done by or lasts until, not when it was decided; the act is then dated by
    what governs it ("last week promised to halt all trade by October")."""
    return t.kind == "range" and t.value is None


def usable(t: TimeRef) -> bool:
    """Can this expression date an event? Not "since 2005" (ongoing), a term "(2018-2020)" or "the 1990s"."""
    if t.value is None or t.kind == "range" and (t.end_value is None or t.precision == "year"):
        return False
    return True


def attachment(doc: Doc, t: TimeRef) -> Token | None:
    """The word a time expression attaches to: a verb ("met on Friday", "yesterday launched"), or a
    noun ("Saturday's strike", "the June 5 address", "a 2011 arms deal")."""
    span = doc.char_span(t.start, t.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    at = _attached(span)
    while at.lower_ in DAY_PARTS and at.dep_ in ("npadvmod", "tmod", "pobj", "dobj", "nmod", "compound") \
            and at.head.i != at.i:
        # "Friday morning", "on Tuesday night": the part of the day is part of the time, not an event
        at = at.head.head if at.dep_ == "pobj" and at.head.head.i != at.head.i else at.head
    if _caption_date(span, t):
        return sent_of(span[0]).root  # "... answers questions at the guest house in Tokyo, Japan April 25, 2017."
    # "the UN's legal counsel on Monday said": a time between a subject and its verb is the verb's
    # but a time inside the subject's phrase, with the noun's complement after it, is the noun's
    # ("Gorbachev's offer Saturday to proceed with a treaty ... was welcomed")
    if at.pos_ in ("NOUN", "PROPN") and at.dep_ in ("nsubj", "nsubjpass") and at.i < span.start and span.end <= at.head.i \
            and not any(c.i >= span.end and c.dep_ in ("acl", "prep", "relcl") for c in at.children):
        return at.head
    # "Berlin said on Monday it would send ...": parsers hang the saying's time on the reported
    # clause; a time between a reporting verb and the reported clause's subject is the saying's
    if at.dep_ == "ccomp" and at.head.lemma_.lower() in REPORTING_VERBS and at.head.i < span.start:
        subj = next((c for c in at.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and span.end <= subj.left_edge.i:
            return at.head
    return at


def _caption_date(span: Span, t: TimeRef) -> bool:
    """A photo caption's date: a full date that ends its sentence right after a place name ("in Tokyo,
    Japan April 25, 2017."), where parsers hang it on the place; it dates what the caption shows."""
    if t.kind != "absolute" or t.precision != "day":
        return False
    sent = sent_of(span[0])
    rest = [tok for tok in sent[span.end - sent.start :] if not tok.is_punct]
    before = span.doc[span.start - 1] if span.start > sent.start else None
    return not rest and before is not None and before.pos_ == "PROPN" and span.root.dep_ in ("appos", "npadvmod", "conj")


def _attached(span: Span) -> Token:
    h = span.root
    while h.dep_ in ("pobj", "pcomp", "prep", "nummod", "npadvmod", "tmod", "advmod", "det", "amod", "compound",
                     "poss", "nmod", "appos") and h.head.i != h.i:
        if h.dep_ in ("compound", "poss", "nmod", "amod", "nummod") and h.head.pos_ in ("NOUN", "PROPN") \
                and h.head.i not in {x.i for x in span}:
            return h.head  # an attribute of a noun
        h = h.head
        if h.pos_ in ("VERB", "AUX") or (h.pos_ in ("NOUN", "PROPN") and h.i not in {x.i for x in span}):
            return h
    return h


def possessed(doc: Doc, t: TimeRef) -> Token | None:
    """The word a possessive time qualifies ("Monday's drills": drills), whatever the parser made of it."""
    if doc_text(doc)[t.end : t.end + 2] not in ("'s", "’s"):
        return None
    k = next((tok.i for tok in doc[token_index(doc, t.end):] if tok.idx >= t.end + 2), None)
    if k is None or not doc[k].is_alpha:
        return None
    word = doc[k]
    while word.dep_ in ("compound", "amod") and word.head.i > word.i:
        word = word.head  # "yesterday's opening ceremony": the ceremony
    return word
