"""Dating events: which temporal expression governs an event's clause.

1. An expression inside the trigger's own clause (nearest first).
2. One in a governing clause ("when he met X", under "visited in July 2015").
3. A sentence-initial frame set by the previous sentence ("In November, …"), or the
   date of the previous sentence's events when this one continues the same
   past narrative with a shared actor ("had also agreed").
4. The publication date, for events the article reports as news of the day.
Background events with no time stay undated; dates are never invented, and an
asserted event is never dated after its article.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..model import Event, RawEvent, TimeRef
from ..nlp import sent_of, sentences
from .dates import future_partial, past_partial

#: Sentences this close to the start of an article are its lead: news of the day.
LEAD_SENTENCES = 2
#: A past-perfect continuation ("had also agreed") looks this many sentences back for its time.
NARRATIVE_LOOKBACK = 3
CLAUSE_DEPS = {"advcl", "conj", "xcomp", "ccomp", "relcl", "acl", "pcomp", "prep", "pobj", "dobj", "appos"}


@dataclass(frozen=True, slots=True)
class EventTime:
    value: str | None
    precision: str | None
    source: str | None  # the expression, or "previous sentence" / "publication"


NO_TIME = EventTime(None, None, None)


def _times_in(sent: Span, times: list[TimeRef]) -> list[TimeRef]:
    s, e = sent.start_char, sent.end_char
    return [t for t in times if s <= t.start and t.end <= e]


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _owner_clause(tok: Token) -> Token:
    """The verb (or root) whose clause a token belongs to."""
    h = tok
    while h.pos_ not in ("VERB", "AUX") and h.head.i != h.i:
        h = h.head
    return h


def _usable(t: TimeRef) -> bool:
    """Can this expression date an event? Not "since 2005" (ongoing) nor a term "(2018-2020)"."""
    if t.value is None or t.kind == "range" and (t.end_value is None or t.precision == "year"):
        return False
    return True


TEMPORAL_MARKS = {"when", "after", "before", "as", "while", "once", "until", "since"}


def date_event(doc: Doc, ev: RawEvent, times: list[TimeRef], pub: str | None, all_events: list[RawEvent]) -> EventTime:
    trigger = doc[ev.trigger]
    sent = sent_of(trigger)
    local = _times_in(sent, times)
    chosen = _governing(doc, trigger, local)
    if chosen is not None:
        if not _usable(chosen):
            return NO_TIME  # the text dates it, but not precisely enough to resolve
        return _check(chosen, ev, pub)
    # 3. the previous sentence sets a frame; a continued past narrative inherits its date
    prev = _previous_sentence(doc, sent)
    if prev is not None:
        ptimes = [t for t in _times_in(prev, times) if _usable(t)]
        frame = [t for t in ptimes if t.start - prev.start_char <= 3]
        if frame and _same_paragraph(doc, prev, sent):
            return _check(frame[0], ev, pub, "previous sentence")
    back = prev if ev.modality != "intended" else None  # a plan is not dated by the story told before it
    for _ in range(NARRATIVE_LOOKBACK):
        if back is None:
            break
        if not _same_paragraph(doc, back, sent) and not _pluperfect(trigger):
            break  # a new paragraph starts a new story, unless "had also agreed" carries the old one on
        btimes = [t for t in _times_in(back, times) if _usable(t)]
        if btimes and _continues(trigger, back, ev, all_events):
            return _check(btimes[0], ev, pub, "previous sentence")
        back = _previous_sentence(doc, back)
    # 4. publication date, for news of the day
    if pub and ev.modality in ("asserted", "intended") and _news_of_day(doc, trigger):
        lead = sentences(doc)[1][trigger.i] < LEAD_SENTENCES
        return EventTime(pub if lead else pub[:7], "day" if lead else "month", "publication")
    return NO_TIME


def _governing(doc: Doc, trigger: Token, local: list[TimeRef]) -> TimeRef | None:
    if not local:
        return None
    anchored: list[tuple[TimeRef, Token]] = []
    for t in local:
        tok = _token_at(doc, t.start)
        if tok is not None:
            anchored.append((t, tok))
    clause = _owner_clause(trigger)
    h = clause
    for _ in range(6):
        own = [(t, tok) for t, tok in anchored if _belongs(t, tok, h, trigger)]
        if own:
            # the clause's own expressions first, then those of its temporal subclauses
            own.sort(key=lambda x: (_owner_clause(x[1]).i != h.i and not _attached_to(x[1], trigger), abs(x[1].i - trigger.i)))
            usable = [x for x in own if _usable(x[0])] or own
            best = usable[0][0]
            # "In November 2017, … exercise, Dostarym-2017": the more precise compatible date wins
            for t, _tok in usable[1:]:
                if t.value and best.value and t.value.startswith(best.value) and len(t.value) > len(best.value):
                    best = t
            return best
        if h.dep_ not in CLAUSE_DEPS or h.head.i == h.i:
            break
        h = _owner_clause(h.head) if h.head.pos_ not in ("VERB", "AUX") else h.head
    return None


def _attached_to(tok: Token, trigger: Token) -> bool:
    return trigger.pos_ in ("NOUN", "PROPN") and tok.i in {x.i for x in trigger.subtree}


def _belongs(t: TimeRef, tok: Token, clause: Token, trigger: Token) -> bool:
    """Does a time expression date the clause headed by ``clause``?

    Its own clause, a temporal subordinate clause of it ("when it achieved
    independence in December 1991"), or the trigger noun's own phrase. A year in
    a name ("EXPO-2017") dates only the named event itself, or a parallel clause
    ("visited Karachi and took part in IDEAS-2018").
    """
    owner = _owner_clause(tok)
    in_noun = _attached_to(tok, trigger)
    if t.kind == "named":
        if in_noun or tok.i == trigger.i:
            return True
        return owner.dep_ == "conj" and owner.head.i == clause.i
    if owner.i == clause.i or in_noun:
        return True
    return owner.dep_ == "advcl" and owner.head.i == clause.i and any(
        c.dep_ in ("mark", "advmod") and c.lower_ in TEMPORAL_MARKS for c in owner.children)


def _check(t: TimeRef, ev: RawEvent, pub: str | None, source: str | None = None) -> EventTime:
    """Resolve a partial date by tense; an event that happened is never dated after its article."""
    if ev.modality == "intended":
        t = future_partial(t, pub)
    else:
        t = past_partial(t, pub)
        if pub and t.value and t.value > pub[: len(t.value)]:
            return NO_TIME
    return EventTime(t.value, t.precision, source or t.text)


def _previous_sentence(doc: Doc, sent: Span) -> Span | None:
    if sent.start == 0:
        return None
    return sent_of(doc[sent.start - 1])


def _same_paragraph(doc: Doc, a: Span, b: Span) -> bool:
    between = doc.text[a.end_char : b.start_char]
    return "\n" not in between


def _continues(trigger: Token, prev: Span, ev: RawEvent, events: list[RawEvent]) -> bool:
    """A past-perfect or "also" clause that shares an actor with the previous sentence's events."""
    clause = _owner_clause(trigger)
    while clause.dep_ in ("xcomp", "ccomp", "conj") and clause.head.i != clause.i:
        clause = clause.head  # "had also agreed to collaborate": the governing verb carries the tense
    narrative = any(c.lower_ in ("had", "also") for c in clause.children)
    if not narrative:
        return False
    keys = {ev.source.key, ev.target.key if ev.target else None} - {None}
    prior = [e for e in events if prev.start <= e.trigger < prev.end]
    return any(({e.source.key, e.target.key if e.target else None} & keys) for e in prior)


def _pluperfect(trigger: Token) -> bool:
    clause = _owner_clause(trigger)
    while clause.dep_ in ("xcomp", "ccomp", "conj") and clause.head.i != clause.i:
        clause = clause.head
    return any(c.dep_ == "aux" and c.lower_ == "had" for c in clause.children)


def _news_of_day(doc: Doc, trigger: Token) -> bool:
    """Simple past, present or future in a main clause: not past-perfect background."""
    clause = _owner_clause(trigger)
    auxes = {c.lower_ for c in clause.children if c.dep_ in ("aux", "auxpass")}
    if "had" in auxes:
        return False
    return clause.tag_ in ("VBD", "VBZ", "VBP", "VB", "VBN", "VBG")


def infer_pub_date(events: list[Event]) -> tuple[str, str] | None:
    """An undated article's publication date: the latest date of an event it reports as done.

    News reports events up to the day it is published, so the latest asserted
    event date is a close lower bound. Plans ("will visit in May") are left out.
    The result is marked ``inferred`` with its evidence, and not used to resolve
    relative dates: a wrong year would shift every event.
    """
    done = [e for e in events if e.date and e.modality == "asserted" and e.date_source not in (None, "publication")]
    if not done:
        return None
    best = max(done, key=lambda e: (e.date or "", len(e.date or "")))
    return best.date or "", f"{best.date_source!r} in: {best.evidence.sentence[:80]}"
