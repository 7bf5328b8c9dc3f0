"""Events: CAMEO coding from the dependency parse, driven by ``data/patterns/*.yaml``.

For every token whose lemma is a trigger in the pattern file:

1. check the pattern's required object, modifiers and particles;
2. fill the source and target from the pattern's argument slots (subject,
   object, prepositions, possessor, noun phrase), following coordination,
   passives, control verbs ("invited X to visit") and light verbs ("held talks");
3. decide the modality: negated, hypothetical, intended or asserted, and take
   the pattern's intent code for intended events;
4. fall back, and say so in ``rule``, only for the partner of a symmetric event
   (the other country in the sentence, or the article's main dyad) and for a
   target that is the one other actor in the same clause.

No pattern, no event: nothing falls back to a default code.
"""

from __future__ import annotations

import re
from functools import cache

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Span, Token

from ..actors.resolve import DocActors
from ..model import Actor, RawEvent
from ..nlp import infinitive, sent_of, sentences
from ..nlp import words as token_texts
from ..time.dates import MONTHS, WEEKDAYS
from .arguments import (
    ATTITUDE_VERBS,
    COMPELLING,
    REFERENCE_WINDOW,
    RESPONSE_NOUNS,
    STOPPING_NOUNS,
    Context,
    actors_at,
    attributive,
    clause_actors,
    dedupe,
    fill,
    is_passive,
    is_person,
    judges,
    lemma_set,
    named_last,
    object_phrase_of,
    recent_events,
    referent_actors,
    referents,
    resolve_markers,
    sentence_countries,
    slot,
    slot_heads,
    subject,
    verb_of,
)
from .modality import appealed, governors, modality, refusal
from .patterns import Pattern, PatternSet, load_patterns
from .speech import speech_events
from .superseding import own_clause_between, superseded

BILATERAL_MODS = {"joint", "bilateral", "combined"}


#: A multilateral symmetric event is coded as every pair among at most this many parties.
MAX_PARTIES = 6


def extract_events(doc: Doc, da: DocActors, patterns: PatternSet, include_negated: bool = False) -> list[RawEvent]:
    """Every event the patterns code in a parsed document, in reading order."""
    ctx = Context(doc, da)
    out = ctx.prior
    triggers = _trigger_words(doc, patterns)
    for sent in sentences(doc)[0]:
        found: list[tuple[Token, Pattern, RawEvent]] = []
        ctx.current = []
        if _heading(sent):
            continue  # "Joint military exercises": a subheading names a topic, reports nothing
        for i in range(sent.start, sent.end):
            if i not in triggers:
                continue  # no pattern: no candidates (``_candidates``)
            tok = doc[i]
            candidates = _candidates(tok, patterns)
            asked_for = bool(candidates) and appealed(tok)
            for pat in candidates:
                if asked_for and not pat.governs:
                    continue  # "urged X to supply arms": the supplying has not happened
                for ev in _code(ctx, tok, pat):
                    ctx.current.append(ev)
                    if ev.modality == "negated" and not include_negated:
                        continue
                    found.append((tok, pat, ev))
        kept = [ev for tok, pat, ev in found if not superseded(tok, pat, ev, found)]
        out.extend(kept)
        out.extend(ev for ev in speech_events(ctx, sent, kept) if include_negated or ev.modality != "negated")
    return list(out)


def _trigger_words(doc: Doc, patterns: PatternSet) -> set[int]:
    """The tokens whose lemma or word is a trigger of some pattern: the only ones ``_candidates``
    can give patterns for (read from arrays, without making a ``Token`` per word)."""
    strings = doc.vocab.strings
    out = set()
    for i, (lemma, lower) in enumerate(doc.to_array([LEMMA, LOWER]).tolist()):
        word = strings[lemma].lower()
        if word in patterns.by_verb or word in patterns.by_noun or strings[lower] in patterns.by_noun:
            out.add(i)
    return out


#: A line this short with no verb is a subheading.
HEADING_MAX_TOKENS = 8


def _heading(sent: Span) -> bool:
    return len(sent) <= HEADING_MAX_TOKENS and not any(t.pos_ in ("VERB", "AUX") for t in sent)


def _candidates(tok: Token, patterns: PatternSet) -> tuple[Pattern, ...]:
    lemma = tok.lemma_.lower()
    if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "NOUN" and tok.dep_ == "ROOT" and (
            tok.tag_ == "VBZ" or any(c.dep_ == "nsubj" for c in tok.children))):
        # a main-clause "noun" with a subject is a verb the tagger misread ("the Budget Office projects that")
        return patterns.by_verb.get(lemma, ())
    if tok.pos_ in ("NOUN", "PROPN"):
        if _inside_name(tok):
            return ()
        hits = patterns.by_noun.get(lemma, ()) or patterns.by_noun.get(tok.lower_, ())
        return tuple(p for p in hits if _noun_matches(tok, p))
    return ()


#: Subjects that make a sentence about sport or fans, not states.
SPORTS_AGENTS = {"team", "squad", "fan", "fans", "club", "player", "athlete", "supporter", "striker", "side", "xi", "eleven"}


SCORE = re.compile(r"^\d{1,2}-\d{1,2}$")


def _sporting(tok: Token) -> bool:
    """A match report: a sports team or fans as subject, or a score next to the verb."""
    subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None and subj.lemma_.lower() in SPORTS_AGENTS and subj.lemma_.lower() != "side" or (
            subj is not None and any(c.lower_ in ("cricket", "football", "soccer", "rugby", "hockey", "national") and
                                     subj.lemma_.lower() in SPORTS_AGENTS for c in subj.lefts)):
        return True
    return _has_score(tok.doc) and any(SCORE.match(t.text) for t in tok.subtree)


def _has_score(doc: Doc) -> bool:
    """Does any token of the document look like a score? (Most do not: their subtrees need no scan.)"""
    if "entente_score" not in doc.user_data:
        doc.user_data["entente_score"] = any(SCORE.match(w) for w in token_texts(doc))
    return bool(doc.user_data["entente_score"])


#: What a source asks of a reporter: "asked not to be identified", "asked not to be named".
ANONYMITY = {"identify", "name", "quote", "disclose"}


def _reporters_aside(tok: Token) -> bool:
    """A request made of the press, not of an actor: a source who "asked not to be identified", or
    a question put to the speaker ("Asked about her comments, the spokeswoman said ...")."""
    if tok.lemma_ not in ("ask", "request"):
        return False
    if any(c.dep_ == "xcomp" and c.lemma_ in ANONYMITY for c in tok.children):
        return True
    return tok.tag_ == "VBN" and tok.dep_ == "advcl" and not any(
        c.dep_.startswith("nsubj") or c.dep_ in ("agent", "xcomp", "dobj")
        or (c.dep_ == "ccomp" and not any(m.lower_ in ("whether", "if") for m in c.children)) for c in tok.children)


#: Verbs that demand with a mandative clause ("insisted that Iraq withdraw") but only assert with an
#: indicative one ("insisted that there was no violation").
ASSERTING_WITH_FACT = {"insist"}
MANDATIVE_MODALS = {"must", "should", "shall", "ought"}


def _asserts_a_fact(tok: Token) -> bool:
    """ "China insists that there was no sanctions violation": a claim, not a demand."""
    if tok.lemma_ not in ASSERTING_WITH_FACT:
        return False
    clause = next((c for c in tok.children if c.dep_ == "ccomp"), None)
    if clause is None:
        return False
    if any(c.dep_ == "aux" and c.lower_ in MANDATIVE_MODALS for c in clause.children):
        return False
    # indicative: a tensed verb or auxiliary ("was", "is developing", "had been"); the mandative
    # subjunctive is a bare verb ("that Iraq withdraw")
    return clause.tag_ in ("VBD", "VBZ") or any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBZ")
                                                for c in clause.children)


def _inside_name(tok: Token) -> bool:
    """A capitalised word inside a longer proper name ("the International Peacekeeping Force",
    "the China-Pakistan Economic Corridor") names a thing, not an event; a trailing
    "Exercise" or "Summit" still is one ("the annual KAZIND Exercise")."""
    if tok.pos_ != "PROPN" or not tok.text[:1].isupper():
        return False
    doc = tok.doc
    after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    before = doc[tok.i - 1] if tok.i else None
    capital = lambda t: t is not None and t.pos_ == "PROPN" and t.text[:1].isupper()  # noqa: E731
    return capital(after) and (capital(before) or (before is not None and before.text == "-"))


def _noun_matches(tok: Token, p: Pattern) -> bool:
    """Does a noun trigger one of the pattern's nouns: the word itself, or the last word of a phrase
    whose other words precede it ("working group" fires on "group" only after "working")."""
    forms = {tok.lemma_.lower(), tok.lower_}
    for n in p.nouns:
        words = n.split()
        if words[-1] not in forms:
            continue
        before = [t.lower_ for t in tok.doc[max(0, tok.i - len(words) + 1) : tok.i]]
        if before == words[:-1]:
            return True
    return False


def _passes(ctx: Context, tok: Token, p: Pattern) -> bool:
    objs = ctx.objects(tok)
    if p.object and not (lemma_set(objs) & p.object):
        return False
    if p.object_or_none and objs and not (lemma_set(objs) & p.object_or_none):
        return False
    if p.modifiers:
        mods = {t.lower_ for left in tok.lefts for t in left.subtree} | {t.lemma_.lower() for left in tok.lefts for t in left.subtree}
        named = any((t.pos_ == "PROPN" and not ctx.da.get(t.i)) or (t.like_num and len(t.text) == 4)
                    for left in tok.lefts for t in left.subtree) or any(
            t.pos_ == "PROPN" and t.i > tok.i and not ctx.da.get(t.i) for t in tok.rights)
        if tok.dep_ in ("compound", "amod"):  # "joint peacekeeping room": the head's modifiers count
            mods |= {tok.head.lemma_.lower()} | {t.lower_ for left in tok.head.lefts for t in left.subtree}
        if not (mods & p.modifiers) and not named:
            return False
    if p.object_actor and not any(ctx.da.get(t.i) for o in objs for t in o.subtree):
        return False  # "hit Syria", "suspended Russia from": the object must be an actor
    if p.object_place and not any(o.pos_ == "PROPN" and any(a.country and not a.person for a in ctx.da.get(o.i))
                                  for o in objs):
        return False  # "seized Crimea", "captured Kuwait": the object is a state or a place, not "the Iranian tanker"
    if p.particle_or_prep and not any(c.lower_ in p.particle_or_prep and not _time_phrase(c)
                                      for c in tok.children if c.dep_ in ("prt", "prep", "agent")):
        return False  # "fired on the village", not "fired two missiles on Saturday"
    if p.xcomp and not any(c.lemma_.lower() in p.xcomp and (c.dep_ == "xcomp" or c.dep_ == "ccomp" and (
            infinitive(c) or c.pos_ not in ("VERB", "AUX"))) or
                           c.dep_ == "prt" and c.lower_ in p.xcomp for c in tok.children):
        # "ordered French troops to leave", "ordered 60 Russians out"; not a "that" clause ("told him
        # that the war would go on")
        return False
    if p.infinitive and not any(c.dep_ in ("xcomp", "advcl", "ccomp") and infinitive(c) for c in tok.children):
        return False  # "we count on China to play a role", not "we count on the weather"
    return True


#: Words that make "on …", "at …" or "in …" a time ("on Saturday", "at dawn", "in March").
TIME_NOUNS = {*WEEKDAYS, *MONTHS, "day", "night", "morning", "afternoon", "evening", "dawn", "dusk", "midnight",
              "noon", "weekend", "week", "month", "year", "occasion", "time", "anniversary", "eve"}


def _time_phrase(prep: Token) -> bool:
    """Is a preposition's phrase a time ("on Saturday", "on the night of 5 May", "on 12 March")?"""
    obj = next((g for g in prep.children if g.dep_ == "pobj"), None)
    return obj is not None and (obj.lower_ in TIME_NOUNS or obj.like_num)


#: Acts whose refusal rejects nothing of the other side: judging or confronting it, or giving way.
HOSTILE_COMPLEMENTS = {"criticize", "criticise", "condemn", "denounce", "blame", "censure", "rebuke", "accuse",
                       "sanction", "punish", "attack", "confront", "retaliate", "back"}


#: Verbs that stop or cut what their object names ("halted aid", "suspended talks").
STOP_VERBS = {"suspend", "halt", "cut", "freeze", "stop", "withhold", "end", "reduce", "slash", "cancel", "scrap",
              "terminate", "postpone", "block", "deny", "refuse", "reject", "pause", "lift", "delay", "shelve", "stall",
              "abandon", "drop", "rescind", "revoke", "remove", "waive", "ease"}


VEHICLES = {"plane", "aircraft", "flight", "ship", "vessel", "cargo", "consignment", "shipment", "convoy", "train", "truck", "jet"}


# -- coding ------------------------------------------------------------------------------

def _refined(tok: Token, p: Pattern) -> tuple[str, str | None]:
    # the trigger's own words, not those of a clause coordinated with it ("agreed to work on corridors,
    # but no ceasefire was reached" is no agreement on a ceasefire)
    other = {t.i for c in tok.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") for t in c.subtree}
    words = [t for t in tok.subtree if t.i not in other]
    scope = {t.lemma_.lower() for t in words} | {t.lower_ for t in words}
    if tok.dep_ in ("compound", "amod"):
        scope |= {t.lemma_.lower() for t in tok.head.subtree}
    verb = verb_of(tok) if tok.pos_ in ("NOUN", "PROPN") else None
    if verb is not None:
        scope |= {verb.lemma_.lower()}
    for r in p.refine:
        if r.words & scope:
            return r.code or p.code, r.intent or (p.intent if not r.code else None)
    return p.code, p.intent


def _predicate(tok: Token) -> bool:
    """Is a trigger the event its clause reports, not a topic ("optimistic about resuming talks")?"""
    if tok.pos_ in ("VERB", "AUX"):
        return True
    return tok.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "ROOT", "appos", "conj")


#: Things an event noun can name as their modifier: "the ceasefire line", "the summit venue".
NAMED_THINGS = {"line", "zone", "area", "venue", "site", "road", "village", "city", "museum", "monument", "memorial",
                "street", "square"}


def _names_a_thing(tok: Token) -> bool:
    """An event noun that only modifies a place or thing ("the ceasefire line dividing Kashmir")."""
    return tok.pos_ == "NOUN" and tok.dep_ == "compound" and tok.head.lemma_.lower() in NAMED_THINGS


#: Nouns for those who act: a verb modifying one tells what they do ("the visiting delegation", "invading troops").
ACTING_NOUNS = {"delegation", "team", "troop", "force", "army", "soldier", "side", "party", "official", "diplomat",
                "leader", "envoy", "protester", "student", "worker", "crowd", "mission", "country", "nation", "state",
                "power", "partner", "member", "ally", "government", "minister", "president", "premier", "group",
                "militant", "rebel", "unit", "navy", "warship", "ship", "aircraft", "jet", "plane", "fighter", "bomber"}


def _describes_a_thing(ctx: Context, tok: Token) -> bool:
    """A verb used as the modifier of a thing no actor is named in ("the negotiating table", "a negotiated
    solution"): a kind of thing, not an act; "the visiting premier" names who acts, and counts."""
    return tok.pos_ == "VERB" and tok.dep_ in ("amod", "compound") and tok.head.pos_ == "NOUN" \
        and not any(ctx.da.get(t.i) for t in tok.head.subtree if t.i <= tok.head.i) \
        and tok.head.lemma_.lower() not in ACTING_NOUNS  # "a negotiated solution with the US": a kind of solution


def _same_noun_phrase(tok: Token, p: Pattern) -> bool:
    """A trigger noun modifying another of its pattern's nouns: one event, told by the head ("summit meeting")."""
    return tok.dep_ == "compound" and tok.head.pos_ == "NOUN" and (
        tok.head.lemma_.lower() in p.nouns or tok.head.lower_ in p.nouns)


def _code(ctx: Context, tok: Token, p: Pattern) -> list[RawEvent]:
    if not _passes(ctx, tok, p) or _names_a_thing(tok) or _describes_a_thing(ctx, tok) or _same_noun_phrase(tok, p):
        return []
    if p.object_not and lemma_set(ctx.objects(tok)) & p.object_not:
        return []  # "struck a deal", "hit a record high"
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "nsubjpass") \
            and (v := verb_of(tok)) is not None and v.lemma_.lower() in STOP_VERBS:
        return []  # "suspended military aid": coded by the stopping verb, not as aid
    if tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.lower_ in ("on", "of") \
            and tok.head.head.lemma_.lower() in STOPPING_NOUNS:
        return []  # "the hold on U.S. security assistance": coded by the stopping noun
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in RESPONSE_NOUNS and tok.dep_ == "pobj" and tok.head.lower_ == "in" \
            and tok.head.head.pos_ in ("VERB", "AUX", "NOUN"):
        return []  # "fired missiles in protest at the drills", "in retaliation for": the frame of another act
    if p.subject_not and any(c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in p.subject_not for c in tok.children):
        return []
    if _sporting(tok) or _reporters_aside(tok) or _asserts_a_fact(tok):
        return []  # "Brazil beat Argentina 2-1", "Italian fans invaded the pitch"
    if p.subject_person and not any(is_person(ctx, c) for c in tok.children if c.dep_ == "nsubj"):
        return []
    if p.code[:2] == "12" and tok.lemma_.lower() in ("refuse", "decline") and any(
            c.dep_ == "xcomp" and c.lemma_.lower() in HOSTILE_COMPLEMENTS for c in tok.children):
        return []  # "refusing to criticize Putin", "refused to back down": no rejection of the other side
    sources, s_slot = fill(ctx, tok, p.source)
    if tok.pos_ == "NOUN" and s_slot not in ("poss", "prep:by") and (agent := slot(ctx, tok, "prep:by")):
        sources, s_slot = agent, "prep:by"  # "another missile test by North Korea": the noun's own agent
    if not sources and (user := _weapon_user(ctx, tok)):
        sources, s_slot = user, "user"  # "Russia used the missile during an attack on Kyiv": Russia attacked
    if not sources and (doer := _done_in(ctx, tok)):
        sources, s_slot = doer, "doer"  # "US forces captured Maduro in a raid": the raid is theirs
    targets, t_slot = fill(ctx, tok, p.target)
    if not targets and s_slot == "doer" and (verb := _framing_verb(tok)) is not None:
        # "captured Maduro in a raid": the raid was on whom the act in it took
        keys = {a.key for a in sources}
        targets = [a for c in verb.children if c.dep_ == "dobj" for a in actors_at(ctx, c)
                   if a.key and a.key not in keys]
        t_slot = "done-to" if targets else t_slot
    if not targets and attributive(tok) and (
            host := next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)) is not None:
        # "talks with the visiting Polish leader": the one who holds them is the host
        keys = {a.key for a in sources}
        targets, t_slot = [a for a in subject(ctx, host) if a.key not in keys], "host"
    sources = [a for a in sources if not (a.matched_by.endswith("location") and s_slot not in ("loc",))] or sources
    if sources and s_slot == "subj" and not p.symmetric and (principals := _on_behalf_of(ctx, tok)):
        sources = dedupe(sources + principals)  # "Cook, on behalf of the EU, invited ...": the EU invites too
    dyad = ctx.da.dyad
    sources, targets = resolve_markers(sources, targets, dyad), resolve_markers(targets, sources, dyad)
    rule = f"{p.id}:{s_slot or '-'}>{t_slot or '-'}"
    if not sources and p.code[:2] == "16" and "subj" in p.source and tok.pos_ == "VERB" and is_passive(tok) \
            and len(parties := [a for a in slot(ctx, tok, "np") if a.country]) >= 2:
        # "meetings of the U.S.-South Korea group were postponed": with no agent, the first party named
        # acts towards the others
        sources, targets, s_slot, t_slot = parties[:1], parties[1:], "np", "np"
        rule = f"{p.id}:np>np"
    if t_slot in ("obj", "") and p.code[:2] in JUDGING_ROOTS and (judged := _event_named_before(ctx, tok, sources)):
        targets, rule = judged, rule + "+referent"  # "hit during the attack, denouncing it as unacceptable"
    if sources and not targets and p.code[:2] == "08" and (imposed := _imposed_before(ctx, tok, [], sources)) is not None \
            and imposed.target is not None:
        # "Trump canceled an increase in tariffs": on whom his tariffs were imposed
        targets, t_slot = [imposed.target], "imposed"
        rule = f"{p.id}:{s_slot or '-'}>imposed"
    refined = _refined(tok, p)[0]  # the code the trigger's words give the pattern, read once
    if sources and not targets and refined.startswith("162") and (given := _aid_before(ctx, tok, sources)):
        targets, t_slot = given, "aided"  # "the hold on U.S. security assistance": to whom the aid was going
        rule = f"{p.id}:{s_slot or '-'}>aided"
    if not sources and p.code[:2] == "08" and (imposed := _imposed_before(ctx, tok, targets)) is not None:
        # "The tariffs were lifted in 2019": sanctions are lifted by whoever imposed them, on whom they were
        sources, targets = [imposed.source], targets or ([imposed.target] if imposed.target else [])
        rule = f"{p.id}:imposer>{t_slot or 'imposed'}"
    if not sources and targets and not p.symmetric and p.code[:2] not in ("07", "08") and (again := _doer_before(ctx, tok, p, targets)):
        sources, rule = again, rule + "+earlier"
    if p.symmetric and p.require_target and not targets:
        return []  # "a call with Putin", not "reiterated calls to halt ..."
    if p.symmetric:
        if t_slot == "capital" and (len(s_keys := {a.key for a in sources if a.key}) != 1 or {a.key for a in targets} <= s_keys
                                    or not all(a.country for a in sources) or _partner_phrase(tok)
                                    or tok.pos_ == "NOUN" and s_slot == "subj" and tok.dep_ != "dobj"):
            # the host city is no party to talks of two states ("Iranian and Iraqi envoys held talks in Paris"),
            # or of an organisation ("EU ministers are gathering in Brussels"), or where a partner is named,
            # if unresolved ("between Sondland and Yermak in Warsaw"), or to a meeting its subject is only at
            # ("did not meet X during the summit in Brussels")
            targets, t_slot = [], ""
            rule = f"{p.id}:{s_slot or '-'}>-"
        parties = dedupe([a for a in sources + targets if a.key])
        if sum(1 for a in parties if a.country) >= 2 and "np" in (s_slot, t_slot):
            parties = [a for a in parties if a.country]  # "joint UN peacekeeping": the UN is the frame
        keys = {a.key for a in parties}
        # a pattern without fallbacks still takes the one other country of the sentence as the party
        # whose subject went unresolved ("the (President's office) … to talk with North Korea")
        # a commitment with no partner named ("vowed to keep up the raids") has none to guess
        guess = ((not p.no_fallback and not p.complement) or (t_slot and not s_slot)) and not (
            len(keys) == 1 and (_partner_named_actorless(ctx, tok, p) or _among_themselves(tok)))
        judged_by = judges(ctx, tok)
        if len(keys) < 2 and _predicate(tok) and guess:
            others = [a for a in sentence_countries(ctx, tok) if a.key not in keys | judged_by]
            mods = {c.lower_ for c in tok.subtree}
            # with no subject of its own, the party found elsewhere is the one that acts
            # ("... we are ready to negotiate with Israel"): it goes first
            first = not sources
            if len(keys) == 1 and len({a.key for a in others}) == 1:
                parties, rule = (others[:1] + parties if first else parties + others[:1]), rule + "+sentence"
            elif len(keys) == 0 and len({a.key for a in others}) == 2:
                parties, rule = others[:2], rule + "+sentence"
            elif len(dyad) == 2 and (keys <= {d.key for d in dyad}) and not judged_by & {d.key for d in dyad} and (
                    mods & BILATERAL_MODS or (tok.pos_ == "NOUN" and p.modifiers)):
                # "joint"/"bilateral" events or a specific kind of event ("the second Dostarym
                # counter-terrorism exercise") in an article about one pair of states; a bare verb with
                # one known party ("will the regime cooperate?", "meet with him") names no partner: on
                # the dev corpus, guessing the article's other state was wrong every time (0 of 7)
                extra = [d for d in dyad if d.key not in keys]
                parties = extra + parties if first else parties + extra
                rule += "+dyad"
        s_keys, t_keys = {a.key for a in sources if a.key}, {a.key for a in targets if a.key}
        pairs: list[tuple[Actor, Actor | None]]
        if s_keys and t_keys and not s_keys & t_keys and "+" not in rule and "np" not in (s_slot, t_slot):
            # "X held talks with Y and Z": each subject with each partner, not the partners with each other
            pairs = [(a, b) for a in sources if a.key for b in targets if b.key]
        else:
            pairs = [(a, b) for k, a in enumerate(parties[:MAX_PARTIES]) for b in parties[k + 1 : MAX_PARTIES]]
        return _emit(ctx, tok, p, pairs, rule)
    elif sources and not targets and (refs := referents(ctx, tok, p.target, sources))[0]:
        targets, rule = refs[0], f"{p.id}:{s_slot or '-'}>{refs[1]}+referent"
    elif sources and not targets and p.code[:2] in PROPOSAL_ROOTS and (addressee := _addressee(ctx, tok, sources)):
        targets, rule = addressee, rule + "+addressee"
    elif sources and not targets and p.code[:2] >= HOSTILE_FROM and (answered := _answered(ctx, tok, sources)):
        targets, rule = answered, rule + "+response"
    elif sources and not targets and _retaliating(ctx, tok) and (struck_by := _last_striker(ctx, sources, p.code)):
        targets, rule = struck_by, rule + "+response"
    elif sources and not targets and p.code[:2] in YIELDING_ROOTS and (made_by := _compeller(ctx, tok, sources)):
        targets, rule = made_by, rule + "+compeller"
    elif sources and not targets and (partner := _conjunct_targets(ctx, tok, sources)):
        targets, rule = partner, rule + "+conjunct"  # "accused the UK and the US of meddling and warned that …"
    elif sources and not targets and p.implicit_organisation and (named := _organisation_named_last(ctx, tok, sources)):
        targets, rule = [named], f"{rule}+organisation"  # "Finland - which borders Russia - joined in 2023": NATO
    elif sources and not targets and not p.no_fallback and p.code[:2] != "01" and refined[:2] != "01" \
            and not (p.code[:2] in JUDGING_ROOTS and any(c.lower_ in ("it", "this") for c in ctx.objects(tok))):
        # an act judged as "it" that nothing before names is no state's to guess from the clause
        others = _possessor_antecedent(ctx, tok, sources) or (
            [] if _unnamed_parties_object(ctx, tok) else clause_actors(ctx, tok, {a.key for a in sources if a.key}, p.code))
        if others and tok.pos_ == "NOUN" and _named_elsewise(ctx, tok, p):
            others = []
        if others:
            targets, rule = others[:1], rule + "+clause"
        else:
            present = clause_actors(ctx, tok, set())
            if present and all(a.key in {x.key for x in sources} for a in present) \
                    and any(a.matched_by.endswith("location") for a in present):
                return []  # "Turkish police arrested 40 suspects in Istanbul": inside one country
    if not targets and p.implicit_organisation and (named := _organisation_named_last(ctx, tok, sources)):
        targets, rule = [named], f"{rule}+organisation"
    if sources and not targets and p.code[:2] in OFFERING_ROOTS and len(ctx.da.dyad) == 2 \
            and {a.key for a in sources} < {d.key for d in ctx.da.dyad}:
        # "Gorbachev's offer to proceed with a treaty", in a story about Moscow and Washington: an offer or
        # promise that names no one is made to the story's other state (on dev: right 3 times in 4; other
        # roots guessed this way were wrong as often as right)
        targets = [d for d in ctx.da.dyad if d.key not in {a.key for a in sources}]
        rule += "+dyad"
    if p.require_target and not targets:
        return []
    sides: list[Actor | None] = list(targets) or [None]
    return _emit(ctx, tok, p, [(s, t) for s in sources for t in sides], rule)


#: Verbs that answer or weigh what another proposed, asked or demanded: whoever does so is the one
#: the proposal was made to ("North Korea rejected South Korea's offer of talks", "Tokyo is studying
#: Mongolia's request", "Pakistan's request was turned down by the IMF").
ANSWERING_VERBS = ATTITUDE_VERBS | {"accept", "turn", "study", "answer", "counter", "respond", "heed", "refuse", "decline",
                                    "grant", "approve", "spurn", "rebuff", "embrace", "endorse", "receive"}


#: Roots of what is put to someone to answer: appeals, offers and intentions, demands.
PROPOSAL_ROOTS = {"02", "03", "10"}


def _addressee(ctx: Context, tok: Token, sources: list[Actor]) -> list[Actor]:
    """The one a proposal, request or demand noun was put to: the subject of the verb that answers it."""
    if tok.pos_ not in ("NOUN", "PROPN") or (verb := verb_of(tok)) is None:
        return []
    if verb.lemma_.lower() not in ANSWERING_VERBS or not object_phrase_of(tok, verb):
        return []
    keys = {a.key for a in sources}
    return [a for a in subject(ctx, verb) if a.key and a.key not in keys][:1]


RESPONSE_PREPS = {"to", "for", "against", "at", "over"}
#: Only demands, disapproval, threats, force and worse answer someone ("praises the military response to
#: Indian jets" praises its own military).
HOSTILE_FROM = "10"


def _answered(ctx: Context, tok: Token, sources: list[Actor]) -> list[Actor]:
    """The actor of what an event answers ("a missile drill in response to the launch", "warned of
    retaliation for these sanctions"): named in the answered phrase, or the one whose earlier event
    it refers back to."""
    keys = {a.key for a in sources}
    host = (verb_of(tok) or tok) if tok.pos_ in ("NOUN", "PROPN") else tok
    for h in dict.fromkeys((tok, host)):
        for t in h.subtree:
            if t.lemma_.lower() not in RESPONSE_NOUNS or t.pos_ != "NOUN" or own_clause_between(t, h):
                continue
            preps = RESPONSE_PREPS | ({"of"} if t.lemma_.lower() == "protest" else set())  # "in protest of the drills"
            for what in (g for c in t.children if c.dep_ == "prep" and c.lower_ in preps
                         for g in c.children if g.dep_ == "pobj"):
                found = _states_in(ctx, what, keys)[:1] or [a for a in referent_actors(ctx, what, keys) if a.key]
                if found:
                    return found
    return []


#: An act told without its doer ("Tariffs on Chinese goods were raised in May") is by whoever did the same kind
#: of act, told at most this many sentences back.
AGAIN_WINDOW = 6


def _doer_before(ctx: Context, tok: Token, p: Pattern, targets: list[Actor]) -> list[Actor]:
    """The doer of the latest act of the same kind (CAMEO root) told before, to the same target or to none."""
    keys = {a.key for a in targets if a.key}
    if not keys:
        return []
    for ev in recent_events(ctx, tok, AGAIN_WINDOW, current=False):
        if ev.code[:2] == p.code[:2] and ev.source.key and ev.source.key not in keys and (
                ev.target is None or ev.target.key in keys):
            return [ev.source]
    return []


#: Nouns of measures one state imposes on another: lifting them is the imposer's act.
SANCTION_NOUNS = {"sanction", "tariff", "duty", "embargo", "restriction", "ban", "levy", "curb", "measure", "penalty"}


def _imposed_before(ctx: Context, tok: Token, targets: list[Actor], by: list[Actor] | None = None) -> RawEvent | None:
    """The imposition (root 16) told before of the sanctions an act lifts or eases ("The tariffs were
    lifted in 2019"), on the same target if one is named, by the same imposer if one is."""
    nouns = {t.lemma_.lower() for o in ctx.objects(tok) for t in o.subtree} & SANCTION_NOUNS  # "an increase in tariffs"
    if not nouns:
        return None
    keys = {a.key for a in targets if a.key}

    def named(ev: RawEvent) -> bool:  # "the tariffs": an imposition of tariffs, not of other measures
        t = ctx.doc[ev.trigger]
        return bool(nouns & ({t.lemma_.lower()} | {o.lemma_.lower() for o in ctx.objects(t)}))
    doers = {a.key for a in by or () if a.key}
    return next((ev for ev in recent_events(ctx, tok, AGAIN_WINDOW, current=False)
                 if ev.code[:2] == "16" and ev.source.key and ev.modality == "asserted" and named(ev)
                 and (not doers or ev.source.key in doers)
                 and (not keys or (ev.target is not None and ev.target.key in keys))), None)


def _framing_verb(tok: Token) -> Token | None:
    """The active verb an event noun is the frame of: "in" or "during" it ("captured Maduro in a raid",
    "used the missile during an attack on Kyiv")."""
    if tok.pos_ != "NOUN" or tok.dep_ != "pobj" or tok.head.lower_ not in ("in", "during"):
        return None
    verb = tok.head.head
    return verb if verb.pos_ == "VERB" and not is_passive(verb) else None


def _done_in(ctx: Context, tok: Token) -> list[Actor]:
    """Who did an act in the course of which the event noun's clause tells another ("US forces captured Maduro
    in a raid", "Israeli troops killed two militants in a raid on Jenin"): the subject of an active verb
    with an object; not of "died" or "were killed in the raid", whose subjects suffered it."""
    verb = _framing_verb(tok)
    if verb is None or not any(c.dep_ == "dobj" for c in verb.children):
        return []
    return [a for a in subject(ctx, verb) if a.key]


def _aid_before(ctx: Context, tok: Token, givers: list[Actor]) -> list[Actor]:
    """The receiver of the latest aid (root 07) the same giver was told to give, within the story
    (for an act that holds up or cuts aid without naming who it was for)."""
    keys = {a.key for a in givers if a.key}
    return next(([ev.target] for ev in recent_events(ctx, tok, REFERENCE_WINDOW, current=False)
                 if ev.code[:2] == "07" and ev.source.key in keys and ev.target is not None
                 and ev.target.key not in keys), [])


#: Verbs of using or firing weapons: an attack "during" or "in" which a state used them is that state's.
USING_VERBS = {"use", "fire", "launch", "deploy", "employ", "drop", "unleash"}
WEAPONS = {"missile", "missiles", "rocket", "drone", "bomb", "weapon", "artillery", "shell", "munition", "gas", "warplane",
           "jet", "bomber", "tank", "mortar", "grenade", "torpedo", "warhead"}


def _weapon_user(ctx: Context, tok: Token) -> list[Actor]:
    """The subject of "used/fired X during/in <this event noun>" ("used the Oreshnik missile during a mass
    drone and missile attack on Kyiv")."""
    verb = _framing_verb(tok)
    if verb is None or verb.lemma_.lower() not in USING_VERBS:
        return []
    if not lemma_set(ctx.objects(verb)) & WEAPONS:
        return []  # "Ukraine used its air defences during an attack on Kyiv": not the attacker
    return [a for a in subject(ctx, verb) if a.key]


STATE_BOYCOTT = "163"


#: Roots of offers, promises and stated intents.
OFFERING_ROOTS = {"03"}


#: Roots of judging what was done: "it" after an event noun is that event ("denounced it").
JUDGING_ROOTS = {"11", "12"}


def _event_named_before(ctx: Context, tok: Token, sources: list[Actor]) -> list[Actor]:
    """For an "it" object of a judging verb, the actor of the event a noun earlier in the sentence
    refers back to ("the residence was hit during the attack, denouncing it as unacceptable")."""
    obj = next((c for c in ctx.objects(tok) if c.lower_ in ("it", "this")), None)
    if obj is None:
        return []
    keys = {a.key for a in sources}
    for t in reversed(sent_of(tok)[: tok.i - sent_of(tok).start]):
        if t.pos_ == "NOUN" and (found := referent_actors(ctx, t, keys)):
            return found
    return []


#: Words of hitting back: with no one named, the one hit back at is whoever last struck the one who does it.
RETALIATION_WORDS = {"retaliate", "retaliation", "reprisal", "avenge", "revenge", "retribution", "counterattack",
                     "counterstrike", "counter-attack", "counter-strike"}
#: An act answered by retaliation is a use of force or worse (roots 18-20), or coercion (17).
STRIKE_FROM = "17"
#: A sanction or other reduction of relations (root 16) answers one of its kind.
REDUCTION_FROM = "16"


def _conjunct_targets(ctx: Context, tok: Token, sources: list[Actor]) -> list[Actor]:
    """The targets of the act coded for the verb this one is coordinated with, by the same subject ("China's
    ambassador accused the UK and the US of meddling and warned that …": warned them)."""
    if tok.dep_ != "conj" or tok.pos_ not in ("VERB", "AUX") or any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
        return []
    keys = {a.key for a in sources if a.key}
    return dedupe([ev.target for ev in ctx.current if ev.trigger == tok.head.i and ev.target is not None
                   and ev.source.key in keys and ev.target.key not in keys and ev.modality != "negated"])


def _partner_phrase(tok: Token) -> bool:
    """Does a meeting name a partner ("with …", "between …", an object), known to us or not?"""
    heads = [tok] + ([tok.head] if tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "pobj") else [])
    return any(c.dep_ in ("dobj", "dative") or c.dep_ == "prep" and c.lower_ in ("with", "between")
               for h in heads for c in h.children if not (h is not tok and c.i == tok.i))


def _on_behalf_of(ctx: Context, tok: Token) -> list[Actor]:
    """Those a verb's subject acts for: "on behalf of X" on the verb, on a participle before it
    ("Speaking on behalf of the EU, Britain condemned ...") or on the subject."""
    if tok.pos_ not in ("VERB", "AUX"):
        return []
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    holders = [tok, *(c for c in tok.children if c.dep_ == "advcl" and c.tag_ == "VBG" and c.i < tok.i)]
    if subj is not None:
        holders.append(subj)
    return [a for h in holders for on in h.children if on.dep_ == "prep" and on.lower_ == "on"
            for behalf in on.children if behalf.lower_ == "behalf"
            for of in behalf.children if of.dep_ == "prep" and of.lower_ == "of"
            for x in of.children if x.dep_ == "pobj" for a in ctx.da.get(x.i) if a.key]


#: Roots of acts one is made to do for another: yielding is to whoever forced it.
YIELDING_ROOTS = {"08"}


def _compeller(ctx: Context, tok: Token, sources: list[Actor]) -> list[Actor]:
    """Who made ``sources`` do the act: the subject of the compelling verb it is the complement of
    ("Trump's threats prompted Mexico to make concessions", "sanctions forced Iran to withdraw")."""
    keys: set[str | None] = {a.key for a in sources if a.key}
    v = tok if tok.pos_ in ("VERB", "AUX") else tok.head  # "to make concessions": the light verb
    if v.dep_ != "xcomp" or v.head.lemma_.lower() not in COMPELLING:
        return []
    found = [a for a in subject(ctx, v.head) if a.key and a.key not in keys]
    if not found and (nsubj := next((c for c in v.head.children if c.dep_ == "nsubj"), None)) is not None:
        found = referent_actors(ctx, nsubj, keys)  # "The threat of tariffs has prompted Mexico to …": whose threat
    return found[:1]


#: Modifiers that make an act a retaliation ("retaliatory tariffs", "tit-for-tat expulsions").
RETALIATORY = {"retaliatory", "tit-for-tat", "counter"}


def _retaliating(ctx: Context, tok: Token) -> bool:
    """Is the act a retaliation: by its word ("retaliated", "a reprisal", "hit back"), or by a modifier
    of it or of its object ("imposed retaliatory tariffs", "a range of retaliatory measures")?"""
    if tok.lemma_.lower() in RETALIATION_WORDS or (
            tok.lemma_.lower() in ("hit", "strike") and any(c.dep_ == "prt" and c.lower_ == "back" for c in tok.children)):
        return True
    heads = [tok, *ctx.objects(tok)]
    heads += [g for h in heads for g in h.children if g.dep_ == "prep" and g.lower_ == "of" for g in g.children if g.dep_ == "pobj"]
    return any(c.dep_ == "amod" and c.lower_ in RETALIATORY for h in heads for c in h.children)


def _last_striker(ctx: Context, sources: list[Actor], code: str) -> list[Actor]:
    """The source of the latest act told so far against one of ``sources`` that a retaliation of ``code``
    answers: force and coercion (roots 17-20) for any, an act of its own kind or worse for sanctions and
    other reductions of relations ("imposed retaliatory duties" after tariffs)."""
    keys = {a.key for a in sources if a.key}
    least = min(STRIKE_FROM, max(code[:2], REDUCTION_FROM))
    for ev in reversed(ctx.prior + ctx.current):
        if ev.code[:2] >= least and ev.target is not None and ev.target.key in keys and ev.source.key \
                and ev.source.key not in keys and ev.modality == "asserted":
            return [ev.source]
    return []


#: Possessive pronouns that point back at a thing just named ("seized Kuwaiti boats and detained their crews").
BACK_POSSESSIVES = {"its", "their"}


def _possessor_antecedent(ctx: Context, tok: Token, sources: list[Actor]) -> list[Actor]:
    """The state whose object a second verb's "its"/"their" object belongs to: the object of the verb
    it is coordinated with ("seized seven Kuwaiti boats and detained their crews": Kuwait's crews)."""
    if tok.pos_ != "VERB" or tok.dep_ != "conj":
        return []
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if obj is None or not any(c.dep_ == "poss" and c.lower_ in BACK_POSSESSIVES for c in obj.children):
        return []
    keys = {a.key for a in sources}
    first = next((c for c in tok.head.children if c.dep_ == "dobj"), None)
    return _states_in(ctx, first, keys)[:1] if first is not None else []


def _states_in(ctx: Context, head: Token, exclude: set[str | None]) -> list[Actor]:
    """The actors named in a phrase as parties, not as places, other than ``exclude``."""
    return dedupe([a for t in head.subtree for a in ctx.da.get(t.i) if a.key and a.key not in exclude
                   and not a.matched_by.endswith("location")])


#: Nouns for states or their people left unnamed: an act aimed at them is aimed at no state the clause names.
PARTY_NOUNS = {"nation", "country", "member", "state", "ally", "partner", "government", "official", "leader",
               "neighbour", "neighbor", "power"}


def _unnamed_parties_object(ctx: Context, tok: Token) -> bool:
    """Is the verb's object states or officials it does not name ("accused other member nations of relying
    on the US military": not the US)?"""
    return tok.pos_ == "VERB" and any(c.dep_ == "dobj" and c.lemma_.lower() in PARTY_NOUNS and not ctx.da.get(c.i)
                                      for c in tok.children)


def _among_themselves(tok: Token) -> bool:
    """A plural subject meeting with no partner named meets among itself ("top diplomats from EU states
    will meet within days", "NATO defence ministers met in Brussels")."""
    if tok.pos_ != "VERB" or any(c.dep_ == "prep" and c.lower_ in ("with", "between") for c in tok.children):
        return False
    v, subj = tok, None
    for _ in range(3):
        subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
        if subj is not None or v.dep_ not in ("xcomp", "advcl", "conj") or v.head.pos_ != "VERB":
            break
        v = v.head  # "diplomats will meet within days to discuss ...": the meeting's subject discusses
    return subj is not None and subj.tag_ == "NNS" and subj.lower_ not in ("sides", "leaders", "countries", "nations")


def _partner_named_actorless(ctx: Context, tok: Token, p: Pattern) -> bool:
    """Whether a symmetric event names its partner in words that are no actor ("gave a briefing to
    foreign ambassadors", "met business leaders"): then no state of the sentence is guessed for it."""
    noun = tok.pos_ in ("NOUN", "PROPN")
    verb = verb_of(tok) if noun else tok
    for name in p.target:
        heads = slot_heads(tok, name.rstrip("+"), verb, noun)
        if heads and not any(ctx.da.get(t.i) for h in heads for t in h.subtree):
            return True
    return False


#: A trip's extent in its own words: "his five-nation trip", "visits to the three countries".
MULTI_DESTINATION = re.compile(r"^(?:\w+-)?(?:nation|country|state|city|leg|stop)s?$", re.I)


def _named_elsewise(ctx: Context, tok: Token, p: Pattern) -> bool:
    """Whether an event noun names its other side in words that are no actor: a region or a count of
    countries ("his Asia visit", "his five-nation trip", "visits to the three countries", "a tour
    around Asia"); then no state of the clause is guessed for it."""
    def actorless(h: Token) -> bool:
        return not any(a.key for t in h.subtree for a in ctx.da.get(t.i))

    for name in p.target:
        base = name.rstrip("+")
        if base == "prep:to" and any(actorless(h) for h in slot_heads(tok, base, None, False)):
            return True
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("around", "across", "through") and actorless(c):
            return True
        if c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i and actorless(c) and (
                c.pos_ == "PROPN" or MULTI_DESTINATION.match(c.text)):
            return True
    return False


#: How many sentences back an organisation left implicit ("became a member") may have been named.
IMPLICIT_ORGANISATION_WINDOW = 3


def _organisation_named_last(ctx: Context, tok: Token, sources: list[Actor]) -> Actor | None:
    """The organisation (an IGO) named last before a trigger, in its sentence or the few before."""
    own = {a.key for a in sources}
    return named_last(ctx, tok, IMPLICIT_ORGANISATION_WINDOW, lambda _t, a: bool(a.igo) and not a.person
                      and a.key not in own)


#: Roots of cooperation: saying one will not do such an act is rejecting it (12).
REFUSABLE_ROOTS = {"03", "04", "05", "06", "07", "08"}


def _refusing(ctx: Context, tok: Token, pairs: list[tuple[Actor, Actor | None]]) -> list[tuple[Actor, Actor | None]]:
    """The pairs of a refusal: the subject of the clause that will not act refuses the other side ("Kuwait
    won't accept aid from Iraq": Kuwait refuses Iraq, whichever side the act's own pattern gave it)."""
    clause = (verb_of(tok) or tok) if tok.pos_ in ("NOUN", "PROPN") else tok
    refusers = [a for a in subject(ctx, clause) if a.key]
    keys = {a.key for a in refusers}
    if not keys:
        return pairs
    others = dedupe([a for pair in pairs for a in pair if a is not None and a.key not in keys])
    return [(r, o) for r in refusers for o in others] if others else [(r, None) for r in refusers]


def _refusal_code(tok: Token) -> str:
    """The rejection code for refusing what ``tok`` names, by the shipped "reject" entry's refinements
    ("talks" 125, "aid" 122, "agreement" 127), else 120."""
    reject = _reject_pattern()
    return _refined(tok, reject)[0] if reject is not None else "120"


#: What a commitment to an act of a root with no intent code of its own is: a deployment promised is an
#: intent to cooperate (030); an attack vowed is a threat of force (138).
COMMITTED_CODES = {"15": "030", "18": "138", "19": "138", "20": "138"}
#: Words that promise an act not yet done (an act ordered or decided is, in news, mostly done).
PROMISING = {"promise", "pledge", "vow", "commit", "undertake", "commitment", "ready", "willing", "readiness",
             "willingness"}


@cache
def _reject_pattern() -> Pattern | None:
    return next((q for q in load_patterns().patterns if q.id == "reject"), None)


def _emit(ctx: Context, tok: Token, p: Pattern, pairs: list[tuple[Actor, Actor | None]], rule: str) -> list[RawEvent]:
    if not pairs:
        return []
    mod, committed = modality(tok)
    code, intent = _refined(tok, p)
    if (mod == "intended" or committed) and intent:
        code = intent
    elif committed and p.code[:2] in COMMITTED_CODES and any(t.lemma_.lower() in PROMISING for t in governors(tok)[:2]):
        code = COMMITTED_CODES[p.code[:2]]  # "committed to deploying troops": a commitment (030), not a deployment
    if mod == "negated" and p.code[:2] in REFUSABLE_ROOTS and refusal(tok):
        code, mod = _refusal_code(tok), "asserted"  # "will not negotiate with X": a refusal (12), said now
        pairs = _refusing(ctx, tok, pairs)
    doc = ctx.doc
    sent = sent_of(tok)
    s0, s1 = doc[sent.start].idx, doc[sent.end - 1].idx + len(doc[sent.end - 1].text)
    out, seen = [], set()
    for s, t in pairs:
        key = (s.key, t.key if t is not None else None)
        if s.key is None or (t is not None and s.key == t.key) or key in seen:
            continue
        seen.add(key)
        # a boycott by a state or its government is an embargo (163); by its people, a protest (143)
        own = STATE_BOYCOTT if code == "143" and (s.sector or "GOV") == "GOV" and not s.person and \
            not s.matched_by.startswith(("adjective", "demonym")) else code  # "the Chinese boycott": its people
        out.append(RawEvent(s, t, own, mod, p.id, rule, tok.i, s0, s1, p.symmetric))
    return out
