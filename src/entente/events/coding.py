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
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..actors.resolve import DocActors
from ..model import Actor, RawEvent
from ..nlp import sent_of, sentences
from .patterns import Pattern, PatternSet

#: Governors that put their complement in the future: "is slated to visit", "plans to sign".
SCHEDULE_GOVERNORS = {
    "plan", "intend", "expect", "slate", "schedule", "due", "set", "aim", "seek", "hope", "want",
    "prepare", "likely", "poised", "going", "consider", "look", "wish", "try", "propose",
}
#: Governors whose act is itself a commitment: "agreed to boost" is an asserted intent (03x).
COMMIT_GOVERNORS = {
    "agree", "promise", "pledge", "vow", "decide", "resolve", "commit", "undertake", "offer",
    "invite", "ready", "instruct", "order", "willing", "determine", "express", "readiness", "willingness",
    "commitment", "decision",
}
#: Governors whose complement is what they ask for, not something that happened.
APPEAL_GOVERNORS = {"urge", "ask", "call", "appeal", "press", "demand", "request", "encourage", "want", "warn", "threaten",
                    "insist", "refuse", "decline"}
SPEECH_VERBS = {"say", "state", "tell", "announce", "declare", "add", "note", "claim", "report", "confirm", "insist", "stress", "warn"}
NEG_GOVERNORS = {"refuse", "fail", "decline", "deny", "avoid", "cancel", "postpone", "reject", "rule"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
HYPOTHETICAL_AUX = {"could", "might", "may"}
CONDITION_MARKS = {"if", "unless", "whether"}
FUTURE_ADJ = {"upcoming", "planned", "proposed", "scheduled", "forthcoming", "expected", "future", "next"}
OBJECT_CONTROL = {"invite", "urge", "ask", "instruct", "order", "persuade", "encourage", "allow", "help", "call", "direct", "tell", "force"}
CLIMB_DEPS = {"xcomp", "advcl", "conj", "pcomp", "prep", "pobj", "acl", "relcl", "ccomp", "dobj", "npadvmod", "appos", "attr", "acomp"}
COUNTRY_NOUNS = {"country", "nation", "republic", "state", "kingdom", "neighbour", "neighbor", "emirate"}
COUNTRY_PRONOUNS = {"it", "its", "they", "their"}
BILATERAL_MODS = {"joint", "bilateral", "combined"}
LOCATIVE = {"in", "at", "to", "into", "inside"}
MAX_CLIMB = 5
#: A multilateral symmetric event is coded as every pair among at most this many parties.
MAX_PARTIES = 6


@dataclass
class _Ctx:
    doc: Doc
    da: DocActors


def extract_events(doc: Doc, da: DocActors, patterns: PatternSet, include_negated: bool = False) -> list[RawEvent]:
    """Every event the patterns code in a parsed document, in reading order."""
    ctx = _Ctx(doc, da)
    out: list[RawEvent] = []
    for sent in sentences(doc)[0]:
        found: list[tuple[Token, Pattern, RawEvent]] = []
        for tok in sent:
            appealed = _appealed(tok)
            for pat in _candidates(tok, patterns):
                if appealed and not pat.governs:
                    continue  # "urged X to supply arms": the supplying has not happened
                for ev in _code(ctx, tok, pat):
                    if ev.modality == "negated" and not include_negated:
                        continue
                    found.append((tok, pat, ev))
        out.extend(ev for tok, pat, ev in found if not _superseded(tok, pat, found))
    return out


def _candidates(tok: Token, patterns: PatternSet) -> tuple[Pattern, ...]:
    lemma = tok.lemma_.lower()
    if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "NOUN" and tok.dep_ == "ROOT" and tok.tag_ == "VBZ"):
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
    return any(SCORE.match(t.text) for t in tok.subtree)


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


PEOPLE_NOUNS = {"delegation", "team", "leader", "official", "minister", "president", "premier", "envoy", "ambassador",
                "chancellor", "king", "queen", "prince", "emir", "secretary", "counterpart", "diplomat", "general",
                "commander", "chief", "head", "spokesman", "spokesperson", "mission", "foreign", "prime", "side"}


def _is_person(ctx: _Ctx, tok: Token) -> bool:
    """A subject that can travel as a visitor: a person, a title, a delegation."""
    return (tok.i in ctx.da.name_at or any(a.person for a in ctx.da.get(tok.i))
            or tok.lemma_.lower() in PEOPLE_NOUNS or tok.lower_ in ("he", "she", "they", "who"))


def _noun_matches(tok: Token, p: Pattern) -> bool:
    for n in p.nouns:
        words = n.split()
        if len(words) > 1 and [t.lower_ for t in tok.doc[max(0, tok.i - len(words) + 1) : tok.i + 1]] != words:
            if tok.lemma_.lower() != words[-1] or len(words) > 1:
                continue
        return True
    return False


def _superseded(tok: Token, pat: Pattern, found: list[tuple[Token, Pattern, RawEvent]]) -> bool:
    """A commitment's own event gives way to the event its complement names ("agreed to
    visit", "agreed to hold talks"); an event buried deeper in a complement that names none
    ("pledged to settle the conflict through negotiations") gives way to the commitment."""
    if pat.complement:
        return _coded_head(tok, found)
    for other, p, _ in found:
        if not p.complement or other.i == tok.i or tok.i in _complement_heads(other):
            continue
        inside = tok.i in {t.i for c in other.children if c.dep_ in ("xcomp", "ccomp") for t in c.subtree}
        if inside and not _coded_head(other, found) and not _own_clause_between(tok, other):
            return True
    return False


def _own_clause_between(tok: Token, governor: Token) -> bool:
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


def _complement_heads(tok: Token) -> set[int]:
    """The complement verb of a commitment, and its object ("agreed to hold talks": hold, talks)."""
    heads = {c.i for c in tok.children if c.dep_ in ("xcomp", "ccomp")}
    for c in tok.children:
        if c.dep_ in ("xcomp", "ccomp"):
            heads |= {g.i for g in c.children if g.dep_ in ("dobj", "nsubjpass")}
    return heads


def _coded_head(tok: Token, found: list[tuple[Token, Pattern, RawEvent]]) -> bool:
    return any(other.i in _complement_heads(tok) and not p.complement for other, p, _ in found)


# -- pattern checks ------------------------------------------------------------------

def _objects(tok: Token) -> list[Token]:
    if tok.pos_ in ("NOUN", "PROPN"):
        return [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for c in c.children if c.dep_ == "pobj"]
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    if not objs and any(c.dep_ == "auxpass" for c in tok.children):
        objs = _stranded_subject(tok)
    for o in list(objs):
        objs += [c for c in o.children if c.dep_ == "conj"]
        # "50 tonnes of rice", "a batch of vaccines": the stuff is the object
        objs += [g for c in o.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
    if tok.lemma_.lower() in WITH_OBJECT_VERBS:  # "supply the Kenyan army with helicopters"
        objs += _preps(tok, "with")
    return objs


#: How far left of a passive verb a subject split off by a misparse is looked for.
STRANDED_WINDOW = 6


def _stranded_subject(verb: Token) -> list[Token]:
    """The subject of a passive verb whose parse attached it elsewhere
    ("… and diplomatic relations between both countries were established")."""
    for t in reversed(verb.doc[max(sent_of(verb).start, verb.i - STRANDED_WINDOW) : verb.i]):
        if t.is_punct:
            break
        if t.pos_ == "NOUN" and t.dep_ not in ("pobj", "compound", "amod"):
            return [t]
    return []


def _lemma_set(tokens: list[Token]) -> set[str]:
    out = set()
    for t in tokens:
        out.add(t.lemma_.lower())
        out.add(t.lower_)
        for c in t.lefts:
            if c.dep_ in ("compound", "amod"):
                out.add(c.lemma_.lower())
                out.add(c.lower_)
    return out


def _passes(ctx: _Ctx, tok: Token, p: Pattern) -> bool:
    objs = _objects(tok)
    if p.object and not (_lemma_set(objs) & p.object):
        return False
    if p.object_or_none and objs and not (_lemma_set(objs) & p.object_or_none):
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
    if p.particle_or_prep and not any(c.lower_ in p.particle_or_prep for c in tok.children if c.dep_ in ("prt", "prep")):
        return False
    if p.xcomp and not any(c.dep_ in ("xcomp", "ccomp") and c.lemma_.lower() in p.xcomp or
                           c.dep_ == "prt" and c.lower_ in p.xcomp for c in tok.children):
        return False  # "ordered French troops to leave", "ordered 60 Russians out"
    return True


# -- argument slots ------------------------------------------------------------------

def actors_at(ctx: _Ctx, tok: Token, depth: int = 0) -> list[Actor]:
    """Actors a phrase headed by ``tok`` refers to, following modifiers and coordination."""
    found = list(ctx.da.get(tok.i))
    for c in tok.children:  # "her Kazakhstan counterpart Nurlan Yermekbayev": the person
        if c.dep_ == "appos" and any(a.person for a in ctx.da.get(c.i)):
            found = [a for a in ctx.da.get(c.i) if a.person]
            break
    if not found and depth < 3:
        left = sorted((t for c in tok.lefts if c.dep_ in ("compound", "amod", "poss", "nmod", "det")
                       for t in c.subtree), key=lambda t: -t.i)
        hit = next((t for t in left if ctx.da.get(t.i)), None)
        if hit is not None:
            found = list(ctx.da.get(hit.i))
            for c in hit.conjuncts:  # "the Indian and US navies"
                found += list(ctx.da.get(c.i))
        for c in tok.children:
            if found:
                break
            if c.dep_ == "appos":
                found += actors_at(ctx, c, depth + 1)
            elif c.dep_ == "prep" and tok.pos_ in ("NOUN", "PROPN") and (
                    c.lower_ in ("of", "from", "by") or c.lower_ == "for" and tok.lemma_.lower() in SPEAKS_FOR):
                for g in c.children:
                    if g.dep_ == "pobj":
                        found += actors_at(ctx, g, depth + 1)
    for c in tok.children:
        if c.dep_ == "conj" or (c.dep_ == "appos" and found and ctx.da.get(c.i) and
                                any(a.country for a in ctx.da.get(c.i)) and not any(a.person for a in found)):
            found += actors_at(ctx, c, depth + 1)  # "Saudi Arabia, the UAE, Bahrain and Egypt"
    if depth == 0 and found:
        # a misparsed coordination ("US President Donald Trump and North Korean leader Kim Jong Un")
        left = [t for c in tok.lefts if c.dep_ in ("compound", "appos", "nmod", "amod") for t in c.subtree]
        if any(t.dep_ == "cc" and t.lower_ in ("and", "&") for t in left):
            found += [a for t in left for a in ctx.da.get(t.i) if a.person or not a.matched_by.endswith("location")]
    return _dedupe(found)


def _dedupe(actors: list[Actor]) -> list[Actor]:
    seen, out = set(), []
    for a in actors:
        k = (a.key, a.person)
        if k not in seen:
            seen.add(k)
            out.append(a)
    return out


#: Verbs that always take an object: with none, "soldiers killed in a clash" is passive.
TRANSITIVE_ONLY = {"kill", "arrest", "detain", "expel", "wound", "injure", "capture", "execute", "abduct",
                   "kidnap", "deport", "jail", "sentence", "shoot", "seize", "sanction", "invite"}


def _is_passive(v: Token) -> bool:
    """Passive, including reduced passives of headlines ("Twenty soldiers killed in clash")."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children):
        return True
    if v.pos_ != "VERB" or any(c.dep_ in ("dobj", "aux") for c in v.children):
        return False
    return v.lemma_.lower() in TRANSITIVE_ONLY and v.tag_ in ("VBN", "VBD") and any(
        c.dep_ in ("prep", "agent") for c in v.children) and not any(c.dep_ == "ccomp" for c in v.children)


def _verb_of(tok: Token) -> Token | None:
    """The verb governing a noun trigger (its light verb: "held talks", "aid was sent")."""
    h = tok
    for _ in range(3):
        if h.dep_ == "prep" and h.lower_ in NON_AGENT_PREPS:
            return None  # "raised their alert after Turkish naval drills": not the drills' actors
        if h.dep_ in ("dobj", "nsubjpass", "pobj", "prep", "attr", "nsubj", "compound", "amod") and h.head.i != h.i:
            h = h.head
            if h.pos_ in ("VERB", "AUX"):
                return h
        else:
            break
    return None


def subject(ctx: _Ctx, v: Token) -> list[Actor]:
    """The acting subject of a clause, inherited through control and coordination."""
    for _ in range(MAX_CLIMB):
        for c in v.children:
            if c.dep_ == "agent":
                return [a for g in c.children if g.dep_ == "pobj" for a in actors_at(ctx, g)]
        if _is_passive(v):
            if v.dep_ == "ccomp" and v.head.lemma_.lower() in SPEECH_VERBS:
                return subject(ctx, v.head)  # "New Delhi announced that Australia had been invited"
            return []
        nsubj = next((c for c in v.children if c.dep_ in ("nsubj", "csubj")), None)
        if nsubj is not None:
            if nsubj.tag_ in ("WDT", "WP") or nsubj.lower_ in ("that", "which", "who"):
                return actors_at(ctx, v.head) if v.dep_ == "relcl" else []
            found = actors_at(ctx, nsubj)
            if not found and nsubj.lower_ in REPORTED_PRONOUNS and v.dep_ == "ccomp" and v.head.lemma_.lower() in SPEECH_VERBS:
                return subject(ctx, v.head)  # "X said it would ...": it is X
            return found or _pronoun_marker(nsubj)
        if v.dep_ in ("acl", "relcl") and v.head.pos_ in ("NOUN", "PROPN"):
            acts = actors_at(ctx, v.head)
            if acts:
                return acts
        if v.dep_ == "xcomp" and v.head.lemma_.lower() in OBJECT_CONTROL:
            dobj = next((c for c in v.head.children if c.dep_ == "dobj"), None)
            if dobj is not None and (found := actors_at(ctx, dobj)):
                return found
            # "instructed the government to provide aid": an unnamed government is the instructor's own
        if v.dep_ == "xcomp" and _is_passive(v.head):  # "Tokayev is slated to visit India"
            sp = next((c for c in v.head.children if c.dep_ == "nsubjpass"), None)
            if sp is not None:
                return actors_at(ctx, sp) or _pronoun_marker(sp)
        if v.dep_ not in CLIMB_DEPS or v.head.i == v.i:
            return []
        v = v.head
    return []


#: People who act for someone named after "for" ("a spokesman for the Secretary-General").
SPEAKS_FOR = {"spokesman", "spokesperson", "spokeswoman", "representative", "envoy", "minister", "adviser",
              "advisor", "commissioner", "negotiator"}
#: Prepositions that set a noun event beside the clause, not inside it: its verb's subject is not its actor.
NON_AGENT_PREPS = {"after", "before", "amid", "despite", "following", "since", "until", "over", "against", "about",
                   "because"}
#: Nouns whose "to"-infinitive is a plan or commitment ("no plans to hold talks", "its readiness to help").
PLAN_NOUNS = {"plan", "intention", "decision", "readiness", "willingness", "offer", "promise", "pledge",
              "commitment", "bid", "attempt", "proposal", "agreement", "threat", "demand", "call", "request"}
#: Verbs whose thing given can come after "with" ("supply the army with helicopters").
WITH_OBJECT_VERBS = {"supply", "provide", "equip", "arm", "furnish", "help", "assist"}
#: Verbs that stop or cut what their object names ("halted aid", "suspended talks").
STOP_VERBS = {"suspend", "halt", "cut", "freeze", "stop", "withhold", "end", "reduce", "slash", "cancel", "scrap",
              "terminate", "postpone", "block", "deny", "refuse", "reject"}
REPORTED_PRONOUNS = {"it", "they", "he", "she", "we"}
VEHICLES = {"plane", "aircraft", "flight", "ship", "vessel", "cargo", "consignment", "shipment", "convoy", "train", "truck", "jet"}

_DYAD_OTHER = Actor(text="", matched_by="dyad-complement")


def _pronoun_marker(tok: Token) -> list[Actor]:
    """'it'/'they' or "the Central Asian republic": the dyad member the other slot is not."""
    if tok.lower_ in COUNTRY_PRONOUNS:
        return [_DYAD_OTHER]
    if tok.lemma_.lower() in COUNTRY_NOUNS and tok.tag_ == "NN" and any(c.lower_ in ("the", "this", "that") for c in tok.children):
        return [_DYAD_OTHER]
    return []


def _preps(tok: Token, word: str) -> list[Token]:
    """Objects of the preposition ``word`` under ``tok`` ("to" may be parsed as a dative)."""
    return [g for c in tok.children if c.dep_ in ("prep", "dative") and c.lower_ == word
            for g in c.children if g.dep_ == "pobj"]


def slot(ctx: _Ctx, tok: Token, name: str) -> list[Actor]:
    noun = tok.pos_ in ("NOUN", "PROPN")
    verb = _verb_of(tok) if noun else tok
    if name.endswith("+"):  # deep: the first states anywhere inside the slot's phrase
        heads = _slot_heads(tok, name[:-1], verb, noun)
        for h in heads:
            for t in sorted(h.subtree, key=lambda t: t.i):
                acts = [a for a in ctx.da.get(t.i) if a.key]
                if acts:
                    return _dedupe(acts)
        return []
    if name == "comp_subj":  # "demanded that Manila remove …", "urged that X …"
        for c in tok.children:
            if c.dep_ in ("ccomp", "xcomp"):
                ns = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
                if ns is not None:
                    return actors_at(ctx, ns) or _pronoun_marker(ns)
        return []
    if name == "subj":
        if noun and tok.dep_ in ("nsubj", "nsubjpass"):
            return []  # "The expulsion of X by Y deepened …": the noun is its verb's subject, not its actor
        return subject(ctx, verb) if verb is not None else []
    if name == "obj":
        if noun:
            return []
        objs = [c for c in tok.children if c.dep_ in (("nsubjpass", "nsubj") if _is_passive(tok) else ("dobj",))]
        if not objs and _is_passive(tok):
            objs = _stranded_subject(tok)
        return [a for o in objs for a in (actors_at(ctx, o) or _pronoun_marker(o))]
    if name == "dative":
        heads = [c for c in tok.children if c.dep_ in ("dative", "iobj")]
        heads = [g for h in heads for g in ([x for x in h.children if x.dep_ == "pobj"] if h.pos_ == "ADP" else [h])]
        return [a for h in heads for a in (actors_at(ctx, h) or _pronoun_marker(h))]
    if name == "poss":
        return [a for c in tok.children if c.dep_ == "poss" for a in (actors_at(ctx, c) or _pronoun_marker(c))]
    if name == "np":
        head = tok.head if tok.dep_ in ("compound", "amod") else tok
        if not noun:
            heads = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")] or (
                _stranded_subject(tok) if _is_passive(tok) else [])
            toks = [t for h in heads for t in h.subtree]
        else:
            toks = [t for t in head.subtree if t.i <= head.i] + [t for g in _preps(head, "between") for t in g.subtree]
        return _dedupe([a for t in toks if t.i != tok.i for a in ctx.da.get(t.i)])
    if name == "loc":
        hosts = [tok] + ([verb] if verb is not None and verb.i != tok.i else [])
        found: list[Actor] = []
        for h in hosts:
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in LOCATIVE:
                    for t in c.subtree:
                        found += [a for a in ctx.da.get(t.i) if a.country]
                elif c.dep_ in ("npadvmod",) or (c.dep_ == "dobj" and h.lemma_ in ("visit", "tour")):
                    found += [a for t in c.subtree for a in ctx.da.get(t.i) if a.country]
            if found:
                break
        return _dedupe(found)
    if name.startswith("prep:"):
        word = name[5:]
        hosts = [tok]
        if noun and verb is not None:
            hosts.append(verb)
        if not noun:
            hosts += [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        out: list[Actor] = []
        for h in hosts:
            for g in _preps(h, word):
                out += actors_at(ctx, g) or _pronoun_marker(g)
            if out:
                break
        return _dedupe(out)
    return []


def _slot_heads(tok: Token, name: str, verb: Token | None, noun: bool) -> list[Token]:
    if name == "obj":
        return [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    if name.startswith("prep:"):
        hosts = [tok] + ([verb] if noun and verb is not None else [])
        return [g for h in hosts for g in _preps(h, name[5:])]
    return []


def _fill(ctx: _Ctx, tok: Token, slots: tuple[str, ...]) -> tuple[list[Actor], str]:
    for name in slots:
        acts = slot(ctx, tok, name)
        if acts:
            return acts, name
    return [], ""


# -- modality --------------------------------------------------------------------------

def _governors(tok: Token) -> list[Token]:
    """The clause verb of a trigger and the verbs/adjectives that govern it, nearest first.

    Complements (xcomp, ccomp) and prepositional complements climb to their governor;
    a conjunct shares its first conjunct's governors ("agreed to unite … and provide"),
    and a purpose clause its main verb's. Other adverbial clauses ("as X met Y") and
    coordinated main clauses do not inherit their neighbour's modality.
    """
    noun = tok.pos_ in ("NOUN", "PROPN")
    clause = (_verb_of(tok) or tok) if noun else tok
    chain = [clause] if clause.i != tok.i else []
    h = clause
    for _ in range(6):
        if h.head.i == h.i:
            break
        if h.dep_ == "conj":
            h = h.head  # a sibling: not a governor, but its governors are ours
            continue
        purpose = h.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in h.children)
        plan = h.dep_ == "acl" and h.head.lemma_.lower() in PLAN_NOUNS  # "no plans to hold talks"
        if h.dep_ in ("xcomp", "ccomp", "pcomp", "prep", "pobj", "dobj") or purpose or plan:
            h = h.head
            chain.append(h)
            if h.dep_ == "ccomp" and h.lemma_.lower() in SPEECH_VERBS:
                break
        else:
            break
    return chain


def modality(tok: Token) -> tuple[str, bool]:
    """(negated | hypothetical | intended | asserted, committed) for a trigger.

    ``committed`` is true when a commitment verb governs the event ("agreed to
    visit", "invited X to visit"): the event takes its intent code but the
    commitment itself is asserted.
    """
    chain = [tok] + _governors(tok)
    near = chain[:3]
    if any(c.dep_ == "neg" for t in near for c in t.children) or any(
            c.lower_ in ("no", "never") for t in near for c in t.children) or any(
            t.lemma_.lower() in NEG_GOVERNORS for t in chain[1:]):
        return "negated", False
    marks = {c.lower_ for t in chain for c in t.children if c.dep_ == "mark"}
    auxes = {c.lower_ for t in chain for c in t.children if c.dep_ == "aux"}
    inverted = any(c.dep_ == "aux" and c.lower_ in ("should", "were", "had") and c.is_sent_start for t in chain for c in t.children)
    conditioned = any(c.dep_ == "advcl" and (any(m.lower_ in CONDITION_MARKS for m in c.children) or
                                             any(a.dep_ == "aux" and a.lower_ == "should" and a.is_sent_start for a in c.children))
                      for t in chain[:2] for c in t.children)
    if marks & CONDITION_MARKS or auxes & HYPOTHETICAL_AUX or inverted or conditioned:
        return "hypothetical", False
    governors = {t.lemma_.lower() for t in chain[1:]}
    scheduled = bool(auxes & FUTURE_AUX or "would" in auxes or governors & SCHEDULE_GOVERNORS)
    if len(chain) > 1 and chain[1].lemma_ == "be" and tok.dep_ == "xcomp" and any(c.lower_ == "to" for c in tok.children):
        scheduled = True  # "Latvia is to deport …"
    if tok.pos_ in ("NOUN", "PROPN") and (any(c.lower_ in FUTURE_ADJ for c in tok.children) or any(
            c.dep_ == "acl" and any(g.lower_ == "to" for g in c.children) for c in tok.children)):
        scheduled = True
    committed = bool(governors & COMMIT_GOVERNORS)
    if scheduled and not committed:
        return "intended", False
    if committed and any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for t in chain[1:] for c in t.children):
        return "intended", True
    return "asserted", committed


def _appealed(tok: Token) -> bool:
    """Is the trigger the thing someone urges, asks, demands or threatens, rather than an act?"""
    for t in _governors(tok):
        if t.lemma_.lower() in APPEAL_GOVERNORS:
            return True
        if t.lemma_.lower() in SPEECH_VERBS:
            return False
    return False


# -- coding ------------------------------------------------------------------------------

def _refined(tok: Token, p: Pattern) -> tuple[str, str | None]:
    scope = {t.lemma_.lower() for t in tok.subtree} | {t.lower_ for t in tok.subtree}
    if tok.dep_ in ("compound", "amod"):
        scope |= {t.lemma_.lower() for t in tok.head.subtree}
    verb = _verb_of(tok) if tok.pos_ in ("NOUN", "PROPN") else None
    if verb is not None:
        scope |= {verb.lemma_.lower()}
    for r in p.refine:
        if r.words & scope:
            return r.code or p.code, r.intent or (p.intent if not r.code else None)
    return p.code, p.intent


def _clause_actors(ctx: _Ctx, tok: Token, exclude: set[str]) -> list[Actor]:
    """Other actors in the trigger's clause (widening to governing clauses), nearest after it first."""
    root = tok
    for _ in range(MAX_CLIMB):
        while root.dep_ != "ROOT" and root.pos_ not in ("VERB", "AUX"):
            root = root.head
        toks = sorted(root.subtree, key=lambda t: (t.i < tok.i, abs(t.i - tok.i)))
        for t in toks:
            acts = [a for a in ctx.da.get(t.i) if a.key and a.key not in exclude]
            if acts:
                return _dedupe(acts + [a for c in t.conjuncts for a in ctx.da.get(c.i) if a.key and a.key not in exclude])
        if root.dep_ not in ("acl", "relcl", "advcl", "xcomp", "pcomp", "conj") or root.head.i == root.i:
            break
        root = root.head
    return []


def _sentence_countries(ctx: _Ctx, tok: Token) -> list[Actor]:
    """States named in the sentence as actors (not as places, not organisations)."""
    return _dedupe([a for t in sent_of(tok) for a in ctx.da.get(t.i)
                    if a.country and not a.matched_by.endswith("location")])


def _predicate(tok: Token) -> bool:
    """Is a trigger the event its clause reports, not a topic ("optimistic about resuming talks")?"""
    if tok.pos_ in ("VERB", "AUX"):
        return True
    return tok.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "ROOT", "appos", "conj")


def _resolve_markers(acts: list[Actor], other: list[Actor], dyad: tuple[Actor, ...]) -> list[Actor]:
    out = []
    for a in acts:
        if a is _DYAD_OTHER:
            keys = {o.key for o in other if o is not _DYAD_OTHER}
            cands = [d for d in dyad if d.key not in keys]
            if len(dyad) == 2 and len(cands) == 1 and keys:
                out.append(Actor(text="(dyad)", name=cands[0].name, country=cands[0].country,
                                 matched_by="dyad-complement"))
        else:
            out.append(a)
    return out


def _code(ctx: _Ctx, tok: Token, p: Pattern) -> list[RawEvent]:
    if not _passes(ctx, tok, p):
        return []
    if p.object_not and _lemma_set(_objects(tok)) & p.object_not:
        return []  # "struck a deal", "hit a record high"
    if tok.pos_ in ("NOUN", "PROPN") and p.code < "09" and (v := _verb_of(tok)) is not None \
            and v.lemma_.lower() in STOP_VERBS:
        return []  # "suspended military aid": coded by the stopping verb, not as aid
    if p.subject_not and any(c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in p.subject_not for c in tok.children):
        return []
    if _sporting(tok):
        return []  # "Brazil beat Argentina 2-1", "Italian fans invaded the pitch"
    if p.subject_person and not any(_is_person(ctx, c) for c in tok.children if c.dep_ == "nsubj"):
        return []
    sources, s_slot = _fill(ctx, tok, p.source)
    targets, t_slot = _fill(ctx, tok, p.target)
    sources = [a for a in sources if not (a.matched_by.endswith("location") and s_slot not in ("loc",))] or sources
    dyad = ctx.da.dyad
    sources, targets = _resolve_markers(sources, targets, dyad), _resolve_markers(targets, sources, dyad)
    rule = f"{p.id}:{s_slot or '-'}>{t_slot or '-'}"
    if p.symmetric:
        parties = _dedupe([a for a in sources + targets if a.key])
        if sum(1 for a in parties if a.country) >= 2 and "np" in (s_slot, t_slot):
            parties = [a for a in parties if a.country]  # "joint UN peacekeeping": the UN is the frame
        keys = {a.key for a in parties}
        if len(keys) < 2 and _predicate(tok):
            others = [a for a in _sentence_countries(ctx, tok) if a.key not in keys]
            mods = {c.lower_ for c in tok.subtree}
            if len(keys) == 1 and len({a.key for a in others}) == 1:
                parties, rule = parties + others[:1], rule + "+sentence"
            elif len(keys) == 0 and len({a.key for a in others}) == 2:
                parties, rule = others[:2], rule + "+sentence"
            elif len(dyad) == 2 and (keys <= {d.key for d in dyad}) and (keys or mods & BILATERAL_MODS or p.nouns):
                parties = parties + [d for d in dyad if d.key not in keys]
                rule += "+dyad"
        pairs: list[tuple[Actor, Actor | None]] = [
            (a, b) for k, a in enumerate(parties[:MAX_PARTIES]) for b in parties[k + 1 : MAX_PARTIES]]
        return _emit(ctx, tok, p, pairs, rule)
    elif sources and not targets and not p.no_fallback:
        others = _clause_actors(ctx, tok, {a.key for a in sources if a.key})
        if others:
            targets, rule = others[:1], rule + "+clause"
        else:
            present = _clause_actors(ctx, tok, set())
            if present and all(a.key in {x.key for x in sources} for a in present) \
                    and any(a.matched_by.endswith("location") for a in present):
                return []  # "Turkish police arrested 40 suspects in Istanbul": inside one country
    sides: list[Actor | None] = list(targets) or [None]
    return _emit(ctx, tok, p, [(s, t) for s in sources for t in sides], rule)


def _emit(ctx: _Ctx, tok: Token, p: Pattern, pairs: list[tuple[Actor, Actor | None]], rule: str) -> list[RawEvent]:
    if not pairs:
        return []
    mod, committed = modality(tok)
    code, intent = _refined(tok, p)
    if (mod == "intended" or committed) and intent:
        code = intent
    doc = ctx.doc
    sent = sent_of(tok)
    s0, s1 = doc[sent.start].idx, doc[sent.end - 1].idx + len(doc[sent.end - 1].text)
    out, seen = [], set()
    for s, t in pairs:
        key = (s.key, t.key if t is not None else None)
        if s.key is None or (t is not None and s.key == t.key) or key in seen:
            continue
        seen.add(key)
        out.append(RawEvent(s, t, code, mod, p.id, rule, tok.i, s0, s1, p.symmetric))
    return out
