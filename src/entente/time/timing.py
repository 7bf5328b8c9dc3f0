"""Dating events: which temporal expression governs an event's clause.

1. An expression inside the trigger's own phrase or clause, nearest first: "on Tuesday",
   "Saturday's strike", "the June 5 address", "a 2011 arms deal", "the embargo imposed in
   2014". A time that modifies another noun of the clause dates that noun's event, not the
   clause ("condemned Saturday's strike" is not dated Saturday).
2. One in a governing clause ("when he met X", under "visited in July 2015"), except through
   reported speech: "X said on Thursday that Y had shelled the town" does not date the
   shelling Thursday. A clause told as before or after another ("yesterday launched drills
   after China held its own") is near it, so only its month is known, unless a later definite
   mention gives the day ("Monday's drills"); an ongoing happening ("troops are evacuating")
   takes the start a later mention gives it ("the evacuation, which started yesterday").
3. A sentence-initial frame set by the previous sentence ("In November, …"), or the date of
   the previous sentence's events when this one continues the same past narrative with a
   shared actor ("had also agreed"). A past narrative goes on in the year or month frame that
   opened it ("In 2011, protests broke out. … Putin blamed Clinton."), over paragraphs, until
   another time is named or the tense leaves the past. What an undated report of the day says had happened
   ("officials said Kuwait had asked for protection") is recent: the story's month. A bullet
   summary in the present tense ("- UN legal counsel asserts …") takes the day of the body
   sentence it sums up ("the UN's legal counsel on Monday said …").
4. The publication date, to the day, for events the article reports as news of the day:
   simple past, present or future in a main clause. Where the story's local day runs ahead of
   the page's (an Asian dateline, "Friday morning local time" on a Thursday page), it is the
   "today" of the actors who live in that zone; the others act on the page's day.
"Two days later" and "the following day" count from the time the story told before them, never
from the article; the end of a limit dates the "when" clause after it ("until 2013, when …").
Background events with no time stay undated; dates are never invented, and an asserted
event is never dated after its article (its dateline's local day, for a dateline ahead
of the publisher's time zone). Planned events take the next occurrence of a partial date,
as do present-tense schedules of journalese ("opens a state visit on Monday").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import timedelta

from spacy.tokens import Doc, Span, Token

from ..model import Event, RawEvent, TimeRef
from ..nlp import doc_text, owner_clause, sent_of, sentences
from .attachment import (
    REPORTING_VERBS,
    attachment,
    deadline,
    possessed,
    tensed,
    times_in,
    token_index,
    usable,
)
from .datelines import country_ahead
from .dates import LOCAL_TIME, future_partial, parse_date, past_partial, shifted
from .narrative import background_frame, previous_sentence, summarised

#: A past-perfect continuation ("had also agreed") looks this many sentences back for its time.
NARRATIVE_LOOKBACK = 3
CLAUSE_DEPS = {"advcl", "conj", "xcomp", "ccomp", "relcl", "acl", "pcomp", "prep", "pobj", "dobj", "appos"}
#: Dependencies by which a time expression modifies a noun rather than a clause ("Saturday's strike",
#: "the June 5 address", "the April talks", "a 2011 arms deal").
NOUN_MODIFIER_DEPS = {"poss", "compound", "nmod", "amod", "nummod"}
TEMPORAL_MARKS = {"when", "after", "before", "as", "while", "once", "until", "since"}
#: Conjunctions of a clause told as before or after the one it hangs on: with a subject of its own
#: ("approved soon after Rabuka staged a coup on September 25", "launched drills yesterday after China
#: held its own"), it is another happening, near in time but not on the other's day.
SEQUENCE_MARKS = {"after", "before", "since", "until", "till"}
#: Gatherings whose day, named in the lead, is the story's: what the story tells happened there
#: ("the agenda of Wednesday's roundtable", "at Monday's summit").
GATHERING_NOUNS = {"meeting", "summit", "talks", "conference", "forum", "roundtable", "session", "hearing",
                   "ceremony", "rally", "debate", "dialogue", "gathering", "assembly", "congress", "convention",
                   "negotiations", "consultations", "visit", "parade", "celebration", "funeral", "inauguration"}
#: The lead: the first sentences, which say what the story is about and when it happened.
LEAD_SENTENCES = 3
#: A lead's date counts as the story's day when it lies at most this many days before the article.
STORY_DAY_WINDOW = 7


@dataclass(frozen=True, slots=True)
class EventTime:
    value: str | None
    precision: str | None
    source: str | None  # the expression, or "previous sentence" / "publication"


NO_TIME = EventTime(None, None, None)


@dataclass
class DatingContext:
    """What dating needs about one document, computed once: its "today", whether its dateline runs
    ahead of the publication date's zone, and the paragraph of every sentence."""

    doc: Doc
    times: list[TimeRef]
    pub: str | None
    ahead: bool = False
    events: list[RawEvent] = field(default_factory=list)
    paragraph: list[int] = field(default_factory=list)  # per sentence index
    _story_day: str | None = None
    _noun_times: dict[str, list[tuple[int, TimeRef]]] | None = None

    def __post_init__(self) -> None:
        if not self.paragraph:
            sents = sentences(self.doc)[0]
            text, n, prev_end = doc_text(self.doc), 0, 0
            for s in sents:
                if "\n" in text[prev_end : s.start_char]:
                    n += 1
                self.paragraph.append(n)
                prev_end = s.start_char + len(s.text.rstrip())  # a sentence keeps the blank line after it
        if (local := self._local_day_ahead()) is not None:
            self.ahead, self._story_day = True, local
        if any(t.kind == "shift" for t in self.times):
            self.times = self._count_shifts()

    def _count_shifts(self) -> list[TimeRef]:
        """The expressions with every shift ("two days later", "a week earlier") counted from the last
        time told before it in its sentence or the few before; a shift with nothing to count from stays
        unresolved, whatever the publication date."""
        index = sentences(self.doc)[1]
        last = len(self.doc) - 1

        def sentence_of(char: int) -> int:
            return index[min(token_index(self.doc, char), last)]

        anchors = [t for t in self.times if t.kind != "shift" and usable(t)]  # a shift counts from a told time
        out: list[TimeRef] = []
        for t in self.times:
            if t.kind == "shift" and last >= 0:
                here = sentence_of(t.start)
                anchor = next((u for u in reversed(anchors) if u.start < t.start
                               and here - sentence_of(u.start) <= NARRATIVE_LOOKBACK), None)
                t = (shifted(t, anchor) if anchor is not None else None) or t
            out.append(t)
        return out

    def _local_day_ahead(self) -> str | None:
        """The local day after the page's date on which the lead tells its news ("confirmed a missile
        test Friday morning local time" on a Thursday page), if it does: the story is then set in a
        zone ahead of the publisher's, as under an Asian dateline, and that day is its "today"."""
        ref = parse_date(self.pub)
        if ref is None:
            return None
        lead = sentences(self.doc)[0][:LEAD_SENTENCES]
        end = lead[-1].end_char if lead else 0
        next_day = (ref + timedelta(days=1)).isoformat()
        found = any(t.start < end and t.value == next_day and LOCAL_TIME.match(doc_text(self.doc), t.end) for t in self.times)
        return next_day if found else None

    @property
    def story_day(self) -> str | None:
        """The day of the story's main happening: the first day-precise date of the lead that falls in
        the week up to the article ("said on Wednesday", "yesterday"), else the publication date. News
        of the day told in the past tense without a date of its own happened that day."""
        if self._story_day is None:
            self._story_day = self.pub or ""
            lead = sentences(self.doc)[0][:LEAD_SENTENCES]
            end = lead[-1].end_char if lead else 0
            ref, latest = parse_date(self.pub), self.latest
            for t in self.times:
                if t.start >= end or ref is None or latest is None:
                    break
                at = possessed(self.doc, t) or attachment(self.doc, t)
                if at is None or at.pos_ not in ("VERB", "AUX") and at.lemma_.lower() not in GATHERING_NOUNS:
                    continue  # "Saturday's attack" dates an attack, not the story; "Wednesday's summit" does
                if at.dep_ in ("advcl", "relcl", "acl", "pcomp") and any(
                        c.dep_ == "mark" and c.lower_ in ("after", "before", "since") for c in at.children):
                    continue  # "impounded after the Council passed a resolution on Dec. 22": what came before
                if t.precision == "day" and t.kind in ("partial", "relative") and t.value and \
                        (ref - timedelta(days=STORY_DAY_WINDOW)).isoformat() <= t.value <= latest:
                    self._story_day = t.value
                    break
        return self._story_day or None

    def noun_times(self) -> dict[str, list[tuple[int, TimeRef]]]:
        """Nouns that carry a time of their own ("Wednesday's roundtable", "the June 5 address", "the
        evacuation, which started yesterday"), by lemma."""
        if self._noun_times is None:
            self._noun_times = {}
            for t in self.times:
                at = possessed(self.doc, t) or attachment(self.doc, t)
                if at is not None and at.dep_ in ("relcl", "acl") and at.pos_ == "VERB" and \
                        at.head.pos_ in ("NOUN", "PROPN") and at.head.i < at.i:
                    at = at.head  # the noun's own clause: "the interview, published Thursday night"
                if at is not None and (at.pos_ in ("NOUN", "PROPN") or at.i == getattr(possessed(self.doc, t), "i", -1)) and \
                        usable(t) and t.kind != "named":
                    self._noun_times.setdefault(at.lemma_.lower(), []).append((at.i, t))
        return self._noun_times

    @property
    def latest(self) -> str | None:
        """The latest day an event that happened can carry: the publication date, or the next day
        for a dateline ahead of it."""
        if not self.pub or not self.ahead:
            return self.pub
        d = parse_date(self.pub)
        return (d + timedelta(days=1)).isoformat() if d else self.pub


def date_event(doc: Doc, ev: RawEvent, times: list[TimeRef], pub: str | None, all_events: list[RawEvent],
               ctx: DatingContext | None = None) -> EventTime:
    """The date of one event, by the rules of the module docstring."""
    ctx = ctx or DatingContext(doc, times, pub, events=all_events)
    trigger = doc[ev.trigger]
    sent = sent_of(trigger)
    local = times_in(sent, ctx.times)
    # 1-2. the trigger's and its clause's own expressions, then those of what governs it
    chosen = _governing(doc, trigger, local)
    if (chosen is None or chosen[1].i not in (trigger.i, owner_clause(trigger).i)) and \
            (when := _time_before_when(doc, trigger, local)) is not None:
        return _check(when, ev, trigger, ctx)
    if chosen is not None:
        t, host = chosen
        if not usable(t):
            return NO_TIME  # the text dates it, but not precisely enough to resolve
        if t.kind == "near" and (later := _mentioned_later(trigger, ctx)) is not None and later.value and \
                later.value.startswith(t.value or "-"):
            return _check(later, ev, trigger, ctx, "later mention")  # "after China held drills" … "Monday's drills"
        # "Berlin said on Monday it would send tanks": an intent is dated by its saying, in the past
        # ("declined on Sunday to discuss it, but said the US would defend Kuwait": the saying shares the time)
        said = host.i != owner_clause(trigger).i and any(h.lemma_.lower() in REPORTING_VERBS for h in _up_to(trigger, host))
        return _check(t, ev, trigger, ctx, past=said)
    # 2a. "fired a missile that sailed over Japan in September": the flight of what the act sent is the act
    if chosen is None and (flight := _flight_time(doc, trigger, local)) is not None:
        return _check(flight, ev, trigger, ctx)
    # "imposed the measures and withdrew MFN status in 1982": a time closing two coordinated verbs is both's
    if chosen is None and (shared := _shared_with_conjunct(doc, trigger, local)) is not None:
        return _check(shared, ev, trigger, ctx)
    # 2b. "attended the roundtable" after "Wednesday's roundtable": a definite noun takes its earlier date
    if (named := _named_before(trigger, ctx)) is not None:
        return _check(named, ev, trigger, ctx, "earlier mention")
    # "troops are evacuating the town" … "the evacuation, which started yesterday": what goes on began then
    if _progressive(trigger) and (later := _mentioned_later(trigger, ctx)) is not None:
        return _check(later, ev, trigger, ctx, "later mention")
    # 3. the previous sentence sets a frame; a continued past narrative inherits its date
    prev = previous_sentence(doc, sent)
    if prev is not None:
        ptimes = [t for t in times_in(prev, ctx.times) if usable(t)]
        frame = [t for t in ptimes if t.start - prev.start_char <= 3]
        same_paragraph = _same_paragraph(ctx, prev, sent)
        if frame and same_paragraph:
            return _check(frame[0], ev, trigger, ctx, "previous sentence")
        # "The Council yesterday adopted the report. It called on Washington to …": the same actor,
        # named again by a pronoun in the simple past, goes on with what it did that day
        if ev.modality == "asserted" and same_paragraph and _pronoun_goes_on(trigger):
            saying = [t for t in ptimes if (a := attachment(doc, t)) is not None and a.i == prev.root.i]
            if saying:
                return _check(saying[0], ev, trigger, ctx, "previous sentence")
    back = prev if ev.modality != "intended" else None  # a plan is not dated by the story told before it
    for _ in range(NARRATIVE_LOOKBACK):
        if back is None:
            break
        if not _same_paragraph(ctx, back, sent) and not _pluperfect(trigger):
            break  # a new paragraph starts a new story, unless "had also agreed" carries the old one on
        btimes = [t for t in times_in(back, ctx.times) if usable(t)]
        if btimes and _continues(trigger, back, ev, ctx.events):
            return _check(btimes[0], ev, trigger, ctx, "previous sentence")
        if btimes:
            # "Putin on Friday denounced the strike. He said … Putin said he ordered the military to
            # retaliate.": the one who spoke that day goes on, in the simple past, in the same paragraph
            saying = [t for t in btimes if (a := attachment(doc, t)) is not None and a.i == back.root.i]
            if saying and ev.modality == "asserted" and _same_teller(trigger, back):
                return _check(saying[0], ev, trigger, ctx, "previous sentence")
        back = previous_sentence(doc, back)
    # 3b. "In 2011, protests broke out. … Putin blamed Clinton for them.": a past narrative goes on in
    # the frame that opened it, over paragraphs, until another time is named
    if ev.modality == "asserted" and (opened := background_frame(doc, sent, trigger, ctx.times, ctx.pub)) is not None:
        return _check(opened, ev, trigger, ctx, "earlier frame")
    # 3c. "- UN legal counsel asserts that …" in a bullet summary: the day the body gives that saying
    if (summed := summarised(doc, sent, ctx.times)) is not None:
        return _check(summed, ev, trigger, ctx, "summarised sentence", past=True)
    # 3d. "officials said Kuwait had asked for protection": what a report of the day says had happened
    # is recent background, of the story's month
    if ctx.pub and ev.modality == "asserted" and (reporter := _reported_recent(trigger)) is not None and \
            not any(getattr(attachment(doc, t), "i", -1) == reporter.i for t in local):
        return EventTime((ctx.story_day or ctx.pub)[:7], "month", "reported as recent")
    # 4. the story's day, for news of the day
    if ctx.pub and ev.modality in ("asserted", "intended") and _news_of_day(trigger):
        day = ctx.story_day
        if day is not None and day > ctx.pub:
            # the story's local day runs ahead of the page's: it is "today" for the actors who live in
            # that day, whatever the tense; the others (Washington reacting) act on the page's day
            return EventTime(day, "day", "publication") if country_ahead(ev.source.country) else \
                EventTime(ctx.pub, "day", "publication")
        if day != ctx.pub and ev.modality == "asserted" and (
                tensed(owner_clause(trigger)).tag_ in ("VBD", "VBN") or _in_quote(trigger)):
            # told in the past, news of the day happened on the story's day; what a quote says, was said then
            return EventTime(day, "day", "story day")
        return EventTime(ctx.pub, "day", "publication")
    return NO_TIME


#: Verbs of the flight of what an act sent: a time in their clause on the act's object dates the act.
FLIGHT_VERBS = {"sail", "fly", "land", "fall", "hit", "strike", "cross", "travel", "reach", "explode", "splash",
                "overfly", "pass", "soar"}


def _flight_time(doc: Doc, trigger: Token, local: list[TimeRef]) -> TimeRef | None:
    """The time of a relative clause telling the flight of the trigger's object ("fired a missile that
    sailed over Japan in September")."""
    if trigger.pos_ not in ("VERB", "AUX"):
        return None
    flights = {c.i for o in trigger.children if o.dep_ == "dobj" for c in o.children
               if c.dep_ == "relcl" and c.lemma_.lower() in FLIGHT_VERBS}
    return next((t for t in local if usable(t) and getattr(attachment(doc, t), "i", -1) in flights), None)


def _shared_with_conjunct(doc: Doc, trigger: Token, local: list[TimeRef]) -> TimeRef | None:
    """The time at the end of a verb coordinated after the trigger's own verb, when the trigger's verb
    has none ("The U.S. imposed the measures and withdrew MFN status from Poland in 1982")."""
    clause = owner_clause(trigger)
    if clause.pos_ not in ("VERB", "AUX"):
        return None
    for conj in (c for c in clause.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")):
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children):
            continue  # a clause with its own subject tells its own time
        for t in local:
            at = attachment(doc, t)
            if at is not None and at.i == conj.i and usable(t) and t.start > doc[conj.right_edge.i].idx - 40:
                return t
    return None


def _time_before_when(doc: Doc, trigger: Token, local: list[TimeRef]) -> TimeRef | None:
    """The time a "when" clause describes ("since 2 March, when Israel imposed a blockade", "In 2014,
    when Russia annexed Crimea", "back to 2011 when she was secretary of state and made comments"):
    the expression that ends right before its "when", whatever the parser hangs the clause on."""
    when = None
    for host in _hosts(trigger):
        clause = host.head if host.dep_ == "conj" and host.head.i != host.i else host
        when = next((c for c in (*host.children, *clause.children)
                     if c.dep_ == "advmod" and c.lower_ == "when" and c.i < host.i), None)
        if when is not None or host.lemma_.lower() in REPORTING_VERBS:
            break  # "said that … when": not past a saying
    last = _word_before(when) if when is not None else None
    if last is None:
        return None
    right_before = next((t for t in local if t.start <= last.idx < t.end and (usable(t) or t.end_value or t.value)), None)
    if right_before is not None and right_before.value is None and (end := right_before.end_value):
        # "until 2013, when Pakistan banned the group": the end of a limit is when its clause happened
        return replace(right_before, value=end, precision={4: "year", 7: "month"}.get(len(end), "day"), kind="absolute")
    if right_before is not None and usable(right_before):
        return right_before
    if right_before is not None and right_before.kind == "range" and right_before.value and not right_before.end_value:
        return replace(right_before, kind="absolute")  # "since 2014, when Russia annexed Crimea": its start
    # "a July 10 meeting at the White House when Sondland told …": the time of the noun phrase before it
    nouns = {n.i for n in _when_nouns_before(last)}
    return next((t for t in local if usable(t) and t.kind != "named" and (a := attachment(doc, t)) is not None
                 and a.i in nouns), None)


def _word_before(when: Token) -> Token | None:
    """The last word before a "when", over punctuation ("the call with Zelenskiy, when …": Zelenskiy)."""
    k = when.i - 1
    while k > 0 and when.doc[k].is_punct:
        k -= 1
    return when.doc[k] if k >= 0 else None


def _when_nouns_before(last: Token) -> list[Token]:
    """The nouns of the phrase that ends with ``last``, up to its head ("the White House" up to "meeting")."""
    out, before = [], last
    for _ in range(MAX_HOSTS):
        if before.pos_ not in ("NOUN", "PROPN"):
            break
        out.append(before)
        if before.dep_ != "pobj" or before.head.head.i == before.head.i:
            break
        before = before.head.head
    return out


def _named_before(trigger: Token, ctx: DatingContext) -> TimeRef | None:
    """The date of an event noun named earlier with a time of its own, for its later definite mention
    ("the call", "Trump's call"): the trigger itself ("the roundtable ended") or what its clause is about
    ("attended the roundtable")."""
    nouns = [trigger] if trigger.pos_ in ("NOUN", "PROPN") else []
    nouns += [c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
    table = ctx.noun_times()
    for n in nouns:
        if not any((c.dep_ == "det" and c.lower_ in ("the", "this", "that")) or c.dep_ == "poss" for c in n.children):
            continue
        earlier = [t for i, t in table.get(n.lemma_.lower(), ()) if i < n.i]
        if earlier:
            return earlier[-1]
    return None


#: A verb and a noun of the same happening share their first letters, all but the verb's last two at
#: least ("evacuate" and "evacuation", "withdraw" and "withdrawal", "meet" and "meeting").
MIN_STEM = 4


def _same_stem(verb: str, noun: str) -> bool:
    """Can a verb and a noun name the same happening ("evacuate", "evacuation")?"""
    n = 0
    while n < min(len(verb), len(noun)) and verb[n] == noun[n]:
        n += 1
    return n >= max(MIN_STEM, len(verb) - 2)


def _mentioned_later(trigger: Token, ctx: DatingContext) -> TimeRef | None:
    """The time of a later, definite mention of the same happening ("held drills" … "Monday's drills",
    "are evacuating" … "the evacuation, which started yesterday"): the trigger's noun, its object, or
    the noun of the trigger's verb."""
    doc, table = ctx.doc, ctx.noun_times()
    nouns = [trigger] if trigger.pos_ in ("NOUN", "PROPN") else []
    nouns += [c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
    keys = [n.lemma_.lower() for n in nouns]
    if trigger.pos_ == "VERB":
        keys += [k for k in table if _same_stem(trigger.lemma_.lower(), k)]
    for key in keys:
        for i, t in table.get(key, ()):
            if i > trigger.i and sent_of(doc[i]).start > sent_of(trigger).start and _definite(doc[i], t, doc):
                return t
    return None


def _definite(noun: Token, t: TimeRef, doc: Doc) -> bool:
    """A noun named as known: "the …", "this …", a possessive, or a possessive time ("Monday's drills")."""
    if any((c.dep_ == "det" and c.lower_ in ("the", "this", "that")) or c.dep_ == "poss" for c in noun.children):
        return True
    return doc_text(doc)[t.end : t.end + 2] in ("'s", "’s")


def _progressive(trigger: Token) -> bool:
    """A present progressive: "troops are evacuating the town" goes on at the time of writing."""
    clause = owner_clause(trigger)
    return clause.tag_ == "VBG" and any(c.dep_ == "aux" and c.lower_ in ("is", "are", "'re", "'s") for c in clause.children)


def _governing(doc: Doc, trigger: Token, local: list[TimeRef]) -> tuple[TimeRef, Token] | None:
    """The expression that dates a trigger, and the word it hangs on: one attached to the trigger or
    its clause, else to the clauses and nouns above it (nearest first), never through a report of an
    earlier event. A more precise date further up that agrees with it refines it ("In November
    2017, … exercise Dostarym-2017")."""
    anchored = [(t if t.kind != "elapsed" or _measured_from_now(a) else replace(t, value=None), a)
                for t in local if (a := attachment(doc, t)) is not None  # "two days after the summit": unknown
                and not deadline(t)]
    best: tuple[TimeRef, Token] | None = None
    for k, host in enumerate(_hosts(trigger)):
        own = [(t, a) for t, a in anchored if _belongs(t, a, host, trigger if k == 0 else None)]
        own.sort(key=lambda x: (x[1].i != host.i, abs(x[1].i - trigger.i)))
        for t, _a in [x for x in own if usable(x[0])] or own:
            if best is None:
                best = (t, host)
            elif t.value and best[0].value and t.value.startswith(best[0].value) and len(t.value) > len(best[0].value):
                best = (t, best[1])
    if best is not None and best[0].precision == "day" and (value := best[0].value):
        t, host = best
        at = attachment(doc, t)
        if _across_sequence(trigger, host) or (at is not None and _across_sequence(at, host)):
            # "launched drills yesterday after China held its own": what came before or after a dated
            # act is near it, not on its day; its month is all the text gives (kind "near")
            best = (replace(t, value=value[:7], precision="month", kind="near"), host)
    return best


def _up_to(trigger: Token, host: Token) -> list[Token]:
    """The trigger's hosts up to ``host`` (all of them, if it is not one)."""
    hosts = _hosts(trigger)
    k = next((k for k, h in enumerate(hosts) if h.i == host.i), len(hosts) - 1)
    return hosts[: k + 1]


def _across_sequence(tok: Token, host: Token) -> bool:
    """Does the way up from a word to the host its time hangs on leave a clause told as before or after
    the host ("after China held drills")?"""
    h = tok
    while h.i != host.i and h.head.i != h.i:
        if _in_sequence(h):
            return True
        h = h.head
    return False


#: How a trigger's dating climbs to what governs it: clauses, and the noun a relative clause hangs on
#: ("Trump's July 25 call when he asked ..."), or the verb of a noun trigger ("talks were held on Friday").
HOST_DEPS = CLAUSE_DEPS | {"nsubj", "nsubjpass", "attr", "oprd", "acomp"}
MAX_HOSTS = 7


#: Verbs that talk about an event named as their object: "described Trump's call as improper" on
#: Tuesday is Tuesday's describing, not Tuesday's call.
TALKING_VERBS = REPORTING_VERBS | {"describe", "discuss", "mention", "recall", "cite", "refer", "testify", "question",
                                   "criticise", "criticize", "defend", "praise", "welcome", "condemn", "denounce",
                                   "investigate", "probe", "examine", "review", "call", "dismiss", "hail", "justify"}


def _talked_about(trigger: Token) -> bool:
    """A noun event that is what a verb of talking is about ("described the call", "testified about a meeting")."""
    if trigger.pos_ not in ("NOUN", "PROPN"):
        return False
    verb = trigger.head.head if trigger.dep_ == "pobj" and trigger.head.dep_ == "prep" else trigger.head
    return trigger.dep_ in ("dobj", "pobj") and verb.pos_ == "VERB" and verb.lemma_.lower() in TALKING_VERBS


def _hosts(trigger: Token) -> list[Token]:
    """The trigger, then every verb or noun above it that can lend it a time, nearest first."""
    out, h = [trigger], trigger
    if _talked_about(trigger):
        return out
    for _ in range(MAX_HOSTS):
        if h.head.i == h.i or h.dep_ not in HOST_DEPS or _reported_earlier(h):
            break
        if h.dep_ in ("nsubj", "nsubjpass", "attr", "oprd") and h.pos_ not in ("NOUN", "PROPN"):
            break  # only a noun event climbs to the verb it is the subject of
        out += _when_nouns(h)  # "Trump's July 25 call when he asked ...", parsed as an adverbial clause
        h = h.head
        if h.pos_ in ("VERB", "AUX", "NOUN", "PROPN"):
            out.append(h)
    return out


def _in_sequence(clause: Token) -> bool:
    """A clause with a subject of its own told as before or after the one it hangs on ("after China
    held drills"); not a participle, which goes on with its subject's day ("briefed Moon before
    holding talks")."""
    return clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in SEQUENCE_MARKS for c in clause.children) \
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children)


def _when_nouns(clause: Token) -> list[Token]:
    """The noun phrase right before a "when" clause, which the clause describes ("the call when he asked",
    "the call with Zelenskiy, when he asked"): parsers often hang such a clause on the verb instead.
    The nouns from the last word up to the phrase's head, nearest first."""
    if clause.dep_ != "advcl":
        return []
    when = next((c for c in clause.children if c.lower_ == "when" and c.i < clause.i), None)
    last = _word_before(when) if when is not None else None
    return _when_nouns_before(last) if last is not None else []  # "the call with Zelenskiy": up to the call


def _measured_from_now(clause: Token) -> bool:
    """"N years after X happened" dates X from now only in a sentence about the present ("US troops remain
    in Afghanistan, 18 years after Washington invaded")."""
    return clause.dep_ == "advcl" and clause.head.tag_ in ("VBP", "VBZ")


def _reported_earlier(clause: Token) -> bool:
    """A reported clause that tells of something before the saying ("said that Y had shelled the
    town", "denied that it had fired"): it does not take the saying's date."""
    if _reporting_verb(clause) is None:
        return False
    return any(c.dep_ == "aux" and c.lower_ == "had" for c in clause.children)


def _reporting_verb(clause: Token) -> Token | None:
    """The saying a clause reports: its head, for a complement clause; or, where the parser hung a "that"
    clause on the noun of a phrase after the saying ("told reporters after a meeting that the government
    had asked ..."), that saying: a "that" marking a clause with its own subject is no relative pronoun."""
    if clause.dep_ == "ccomp":
        return clause.head if clause.head.lemma_.lower() in REPORTING_VERBS else None
    if clause.dep_ == "relcl" and any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children) \
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children) and clause.head.dep_ == "pobj" \
            and (verb := clause.head.head.head).lemma_.lower() in REPORTING_VERBS:
        return verb
    return None


#: Nouns that carry what was said or done in them: a time on them dates what their clause reports
#: ("In a joint statement published Oct. 25, the ministries accused ...").
VEHICLE_NOUNS = {"statement", "speech", "interview", "letter", "address", "briefing", "conference", "meeting",
                 "call", "session", "communique", "announcement", "report", "message", "remarks", "summit",
                 "visit", "talks", "debate", "hearing", "broadcast", "post", "tweet", "event", "forum", "ceremony",
                 "rally", "trip", "tour", "press", "appearance", "testimony"}


#: Prepositions of a fronted frame whose own year or month the clause after it shares ("After Russia's
#: 2022 invasion, …", "Following the 2019 election, …"); a day there is not the clause's day.
FRAME_PREPS = {"after", "following"}


def _belongs(t: TimeRef, at: Token, host: Token, trigger: Token | None) -> bool:
    """Does a time expression attached at ``at`` date the host (the trigger itself when ``trigger``)?

    Its own attachment, a noun trigger's own phrase ("the embargo imposed in 2014"), a temporal
    subordinate clause ("when it achieved independence in December 1991"), or a vehicle of what the
    host reports ("In a statement published Oct. 25, X accused ..."). A year in a name ("EXPO-2017")
    dates only the named event itself, or a parallel clause ("visited Karachi and took part in
    IDEAS-2018").
    """
    if at.i == host.i:
        return t.kind != "named" or trigger is not None or host.pos_ in ("VERB", "AUX")
    if trigger is not None and trigger.pos_ in ("NOUN", "PROPN") and at.i in {x.i for x in trigger.subtree}:
        return True
    if t.kind == "named":
        return at.dep_ == "conj" and at.head.i == host.i
    if host.pos_ not in ("VERB", "AUX"):
        return False
    if at.dep_ == "advcl" and at.head.i == host.i and any(
            c.dep_ in ("mark", "advmod") and c.lower_ in TEMPORAL_MARKS for c in at.children):
        return True
    # "After Russia's 2022 invasion, Zelensky asked …": a fronted frame of what came just before
    if at.dep_ == "pobj" and at.head.dep_ == "prep" and at.head.lower_ in FRAME_PREPS and at.head.head.i == host.i \
            and at.head.i < host.i and t.precision in ("year", "month"):
        return True
    # "In a joint statement published Oct. 25, ..." / "in his speech on Monday, ..."
    carrier = at.head if at.dep_ in ("acl", "relcl") else at
    return carrier.lemma_.lower() in VEHICLE_NOUNS and carrier.dep_ == "pobj" and carrier.head.head.i == host.i


def _check(t: TimeRef, ev: RawEvent, trigger: Token, ctx: DatingContext, source: str | None = None,
           past: bool = False) -> EventTime:
    """Resolve a partial date by tense; an event that happened is never dated after its article."""
    if not past and (ev.modality == "intended" or _scheduled_present(trigger, t)):
        t = future_partial(t, ctx.pub)
    else:
        t = past_partial(t, ctx.latest)
        latest = ctx.latest
        if latest and t.value and t.value > latest[: len(t.value)] and not FUTURE_WORDS.search(t.text):
            return NO_TIME  # what happened is never dated after its article; "tomorrow" makes it a plan
    return EventTime(t.value, t.precision, source or t.text)


#: Words that put a time after the article: an event dated by them is planned, whatever its tense.
FUTURE_WORDS = re.compile(r"\b(?:tomorrow|next|later|coming|following)\b", re.I)
#: Verbs whose simple present is not a schedule ("says", "is", "has").
STATIVE_PRESENT = {"be", "have", "say", "tell", "remain", "continue", "want", "need", "know", "believe", "seem",
                   "appear", "consider", "expect", "hope", "think", "include", "own", "face"}


def _scheduled_present(trigger: Token, t: TimeRef) -> bool:
    """Journalese schedules in the simple present: "the president opens a state visit on Monday",
    "talks resume on Friday". A partial date in such a clause is the next one."""
    if t.kind != "partial":
        return False
    clause = owner_clause(trigger)
    if clause.tag_ not in ("VBZ", "VBP") or clause.lemma_.lower() in STATIVE_PRESENT:
        return False
    return not any(c.dep_ in ("aux", "auxpass") for c in clause.children)


def _same_paragraph(ctx: DatingContext, a: Span, b: Span) -> bool:
    index = sentences(ctx.doc)[1]
    return ctx.paragraph[index[a.start]] == ctx.paragraph[index[b.start]]


#: Complements and conjuncts, through which a clause inherits its governing verb's tense and subject.
COMPLEMENT_DEPS = ("xcomp", "conj")
REPORTED_DEPS = ("xcomp", "ccomp", "conj")


def _governing_clause(clause: Token, deps: tuple[str, ...]) -> Token:
    """The verb ``clause`` hangs from through ``deps`` ("had also agreed to collaborate": "agreed")."""
    while clause.dep_ in deps and clause.head.i != clause.i:
        clause = clause.head
    return clause


def _continues(trigger: Token, prev: Span, ev: RawEvent, events: list[RawEvent]) -> bool:
    """A past-perfect or "also" clause that shares an actor with the previous sentence's events."""
    clause = _governing_clause(owner_clause(trigger), REPORTED_DEPS)  # the governing verb carries the tense
    narrative = any(c.lower_ in ("had", "also") for c in clause.children)
    if not narrative:
        return False
    keys = {ev.source.key, ev.target.key if ev.target else None} - {None}
    # a sentence about what will happen ("will not renew the accord when it expires in March") is no past
    # narrative for a pluperfect to go on with
    prior = [e for e in events if prev.start <= e.trigger < prev.end and not _future(prev.doc[e.trigger])]
    return any(({e.source.key, e.target.key if e.target else None} & keys) for e in prior)


def _future(trigger: Token) -> bool:
    clause = _governing_clause(owner_clause(trigger), REPORTED_DEPS)
    return any(c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll") for c in clause.children)


#: Subjects that name again the actor of the sentence before.
CONTINUING_PRONOUNS = {"it", "they", "he", "she"}


def _pronoun_goes_on(trigger: Token) -> bool:
    """A main clause in the simple past whose subject is a personal pronoun ("It called on …")."""
    clause = _governing_clause(tensed(owner_clause(trigger)), COMPLEMENT_DEPS)
    if clause.dep_ != "ROOT" or clause.tag_ != "VBD":
        return False
    return any(c.dep_ == "nsubj" and c.lower_ in CONTINUING_PRONOUNS for c in clause.children)


def _same_teller(trigger: Token, back: Span) -> bool:
    """A main clause in the simple past whose subject is a pronoun, or the name, of the subject of the
    main clause of an earlier sentence (``back``) that was also in the simple past."""
    clause = _governing_clause(tensed(owner_clause(trigger)), REPORTED_DEPS)
    if back.root.tag_ != "VBD" or clause.dep_ != "ROOT" or clause.tag_ != "VBD":
        return False
    ours = next((c for c in clause.children if c.dep_ == "nsubj"), None)
    theirs = next((c for c in back.root.children if c.dep_ == "nsubj"), None)
    if ours is None or theirs is None:
        return False
    return ours.lower_ in CONTINUING_PRONOUNS or (ours.pos_ == "PROPN" and ours.lower_ == theirs.lower_)


def _reported_recent(trigger: Token) -> Token | None:
    """The saying, in the main clause of its sentence, that reports a trigger's clause in the past
    perfect ("the officials said Kuwait had asked …", "… had discussed deploying …, the Blue House said")."""
    clause = _governing_clause(owner_clause(trigger), COMPLEMENT_DEPS)
    saying = _reporting_verb(clause)
    if not _reported_earlier(clause) or saying is None or saying.dep_ != "ROOT" or saying.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    return saying


#: Quotation marks that open and close a quote.
QUOTE_MARKS = {'"', "“", "”", "‘", "’"}


def _in_quote(trigger: Token) -> bool:
    """Is a word inside a quotation: a mark between it and its sentence's end closes one, with no
    mark between the sentence's start and it ('... we look to you to make the case."')?"""
    sent = sent_of(trigger)
    before = [t for t in trigger.doc[sent.start : trigger.i] if t.text in QUOTE_MARKS]
    # the closing mark may open the next sentence, for the parser ('… after this meeting.” Dr Mitchell …')
    after = [t for t in trigger.doc[trigger.i + 1 : min(sent.end + 1, len(trigger.doc))] if t.text in QUOTE_MARKS]
    return bool(before and before[-1].text in ("“", '"', "‘")) or (not before and bool(after) and after[0].text in ("”", '"'))


def _pluperfect(trigger: Token) -> bool:
    clause = _governing_clause(owner_clause(trigger), REPORTED_DEPS)
    return any(c.dep_ == "aux" and c.lower_ == "had" for c in clause.children)


def _news_of_day(trigger: Token) -> bool:
    """Simple past, present or future in a main clause: not past-perfect background."""
    clause = owner_clause(trigger)
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
