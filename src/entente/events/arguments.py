"""Arguments: who an event's source and target are, read from the dependency parse.

``slot`` fills one named argument slot of a trigger (subject, object, dative,
possessor, noun phrase, location, a preposition's object, a "that" clause's
subject), following coordination, appositions, passives and their "by" agents,
control and raising verbs ("invited X to visit", "is slated to visit"), light
verbs ("held talks") and pronouns ("X said it would ...").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml
from spacy.tokens import Doc, Span, Token

from ..actors.resolve import DocActors
from ..errors import DataFileError
from ..model import Actor, RawEvent
from ..nlp import infinitive, owner_clause, sent_of, sentences

SPEECH_VERBS = {"say", "state", "tell", "announce", "declare", "add", "note", "claim", "report", "confirm", "insist", "stress", "warn"}


#: Verbs that make someone do something: the one made to act is the object ("forced Iran to make
#: concessions", "the threats prompted Mexico to yield").
COMPELLING = {"force", "compel", "prompt", "pressure", "pressurise", "pressurize", "press", "push", "oblige", "coerce", "drive", "spur"}
OBJECT_CONTROL = {"invite", "urge", "ask", "instruct", "order", "persuade", "encourage", "allow", "help", "call", "direct",
                  "tell"} | COMPELLING
#: Verbs whose object is sent or called somewhere to do something: in the passive, the purpose is the
#: object's ("the envoy was summoned by the ministry to explain", "troops were sent by Paris to help").
SUMMONING = OBJECT_CONTROL | {"summon", "send", "dispatch", "call", "bring", "recall"}


CLIMB_DEPS = {"xcomp", "advcl", "conj", "pcomp", "prep", "pobj", "acl", "relcl", "ccomp", "dobj", "npadvmod", "appos", "attr", "acomp"}


COUNTRY_NOUNS = {"country", "nation", "republic", "state", "kingdom", "neighbour", "neighbor", "emirate", "ally",
                 "superpower", "monarchy"}


COUNTRY_PRONOUNS = {"it", "its", "they", "their"}


LOCATIVE = {"in", "at", "to", "into", "inside"}


MAX_CLIMB = 5


@dataclass
class Context:
    """What coding one document needs besides the trigger: its parse, its actors, and the events
    read so far (earlier sentences in ``prior``, this sentence's in ``current``)."""

    doc: Doc
    da: DocActors
    prior: list[RawEvent] = field(default_factory=list)
    current: list[RawEvent] = field(default_factory=list)
    _objects: dict[int, list[Token]] = field(default_factory=dict)

    def objects(self, tok: Token) -> list[Token]:
        """``objects(tok)``, computed once per token: every pattern of a trigger checks it."""
        if tok.i not in self._objects:
            self._objects[tok.i] = objects(tok)
        return self._objects[tok.i]


# -- nouns that refer back to events ------------------------------------------------------

#: An event that a noun refers back to ("condemned the launch") lies at most this many sentences back;
#: a noun that can mean any event ("the move", "the decision") looks only this far.
REFERENCE_WINDOW = 8
GENERIC_REFERENCE_WINDOW = 2
#: Determiners that make a noun point back at something already told.
REFERRING_DETERMINERS = {"the", "this", "these", "that", "those", "such", "its", "their", "his", "her", "latest",
                         "recent", "last"}
ANY_ROOT = "any"


@cache
def event_references() -> dict[str, frozenset[str] | None]:
    """Noun lemma -> the CAMEO roots of the events it can refer back to (None: any), from
    ``data/event_references.yaml``."""
    raw = yaml.safe_load(resources.files("entente.data").joinpath("event_references.yaml").read_text("utf-8"))
    out: dict[str, frozenset[str] | None] = {}
    for fam in (raw or {}).get("families", []):
        roots = [str(r) for r in fam.get("roots", [])]
        if not roots or not fam.get("nouns"):
            raise DataFileError(f"event_references.yaml: a family needs nouns and roots: {fam!r}")
        for noun in fam["nouns"]:
            out[str(noun).lower()] = None if roots == [ANY_ROOT] else frozenset(roots)
    return out


def recent_events(ctx: Context, tok: Token, window: int, current: bool = True) -> Iterator[RawEvent]:
    """The events read before ``tok``, latest first, at most ``window`` sentences back (those of ``tok``'s
    own sentence too when ``current``)."""
    index = sentences(ctx.doc)[1]
    here = index[tok.i]
    for ev in reversed(ctx.prior + ctx.current if current else ctx.prior):
        if ev.trigger >= tok.i:
            continue
        if here - index[ev.trigger] > window:
            return
        yield ev


def referent_actors(ctx: Context, noun: Token, exclude: set[str | None]) -> list[Actor]:
    """The actor of the earlier event a noun refers back to ("Japan condemned the launch" -> the
    launcher), when the noun names no actor itself and points back ("the", "these", a plural)."""
    if noun.pos_ not in ("NOUN", "PROPN") or noun.lemma_.lower() not in event_references():
        return []
    roots = event_references()[noun.lemma_.lower()]
    dets = {c.lower_ for c in noun.children if c.dep_ in ("det", "poss", "amod")}
    if not dets & REFERRING_DETERMINERS and noun.tag_ != "NNS":
        return []
    if any(ctx.da.get(t.i) for t in noun.subtree if t.i != noun.i):
        return []  # "the Russian strikes" names its actor: that is the slot's own business
    window = REFERENCE_WINDOW if roots is not None else GENERIC_REFERENCE_WINDOW
    candidates: list[tuple[int, Actor]] = []
    for ev in recent_events(ctx, noun, window):
        if (roots is None or ev.code[:2] in roots) and ev.source.key not in exclude and ev.modality != "negated":
            candidates.append((ev.trigger, ev.source))
    # "These continued provocations only deepen North Korea's isolation": of the recent acts, the one
    # whose actor the sentence names, else the latest
    named = {a.key for t in sent_of(noun) for a in ctx.da.get(t.i)}
    chosen = next((c for c in candidates if c[1].key in named), candidates[0] if candidates else None)
    if chosen is None:
        return []
    # "In a joint statement, Russia and Syria accused …" … "rejected these accusations": all who made it
    return dedupe([a for trigger, a in candidates if trigger == chosen[0]])


PEOPLE_NOUNS = {"delegation", "team", "leader", "official", "minister", "president", "premier", "envoy", "ambassador",
                "chancellor", "king", "queen", "prince", "emir", "secretary", "counterpart", "diplomat", "general",
                "commander", "chief", "head", "spokesman", "spokesperson", "mission", "foreign", "prime", "side"}


def is_person(ctx: Context, tok: Token) -> bool:
    """A subject that can travel as a visitor: a person, a title, a delegation."""
    return (tok.i in ctx.da.name_at or any(a.person for a in ctx.da.get(tok.i))
            or tok.lemma_.lower() in PEOPLE_NOUNS or tok.lower_ in ("he", "she", "they", "who"))


# -- pattern checks ------------------------------------------------------------------

#: How many object heads one trigger gathers at most (lists and nested amounts).
MAX_OBJECTS = 12
#: Nouns whose object comes after a preposition of their own: "plans for new tariffs".
AMOUNT_OF = {"plan": "for", "proposal": "for", "package": "of"}
#: Words of money that take what they buy with "in": "$2 billion in aid", "300 mln dlrs in tariffs".
MONEY_WORDS = {"million", "billion", "trillion", "mln", "bln", "dlrs", "dollar", "euro", "pound", "yen", "yuan", "$",
               "bn", "m", "worth"}


def _amount(o: Token) -> bool:
    """Whether a noun is a sum of money ("$300 million", "300 mln dlrs", "5 billion dollars")."""
    return o.lemma_.lower() in MONEY_WORDS or o.tag_ == "$" or any(
        c.lower_ in MONEY_WORDS or c.tag_ == "$" for c in o.children if c.dep_ in ("nummod", "compound", "quantmod"))


#: Nouns of stopping whose "on" phrase is what they stop: "the hold on U.S. aid", "a freeze on loans".
STOPPING_NOUNS = {"hold", "freeze", "halt", "suspension", "cutoff", "cut-off", "delay", "pause", "moratorium", "ban",
                  "cap", "limit", "curb"}


def opening_participle(tok: Token) -> bool:
    """A sentence-opening participle the parser read as a modifier ("Welcoming Gorbachev's offer, Reagan
    said ...", with "Welcoming" hung on "leader")."""
    return tok.tag_ == "VBG" and tok.dep_ == "amod" and tok.i == sent_of(tok).start


def _phrase_top(tok: Token) -> Token:
    h = tok
    while h.dep_ in ("compound", "poss", "amod", "nmod") and h.head.i != h.i:
        h = h.head
    return h


def objects(tok: Token) -> list[Token]:
    if tok.pos_ in ("NOUN", "PROPN"):
        return preps(tok, "of") + (preps(tok, "on") if tok.lemma_.lower() in STOPPING_NOUNS else [])
    if opening_participle(tok):
        return [_phrase_top(tok.head)]
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")] or [
        c for c in tok.children if c.dep_ in ("attr", "oprd")]  # "became a member of NATO"
    if not objs and any(c.dep_ == "auxpass" for c in tok.children):
        objs = stranded_subject(tok)
    if not objs and tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.pos_ in ("NOUN", "PROPN"):
        objs = [tok.head]  # "tariffs imposed by China", "the ban, passed by Israel's parliament"
    objs += [c for o in objs for c in o.children if c.dep_ == "conj"]
    # "50 tonnes of rice", "a batch of vaccines": the stuff is the object
    objs += [g for o in objs for c in o.children if c.dep_ == "prep" and c.lower_ == "of"
             for g in c.children if g.dep_ == "pobj"]
    for o in objs:  # grows as it goes: "plans for 300 mln dlrs in tariffs"
        if len(objs) > MAX_OBJECTS:
            break
        # "$300 million in tariffs", "plans for new sanctions": the amount or the plan is of the thing
        word = AMOUNT_OF.get(o.lemma_.lower()) or ("in" if _amount(o) else None)
        if word:
            objs += [g for c in o.children if c.dep_ == "prep" and c.lower_ == word for g in c.children if g.dep_ == "pobj"]
    if tok.lemma_.lower() in WITH_OBJECT_VERBS:  # "supply the Kenyan army with helicopters"
        objs += preps(tok, "with")
    # "sent a flotilla with relief supplies", "a convoy carrying aid": what a carrier carries is sent
    if any(o.lemma_.lower() in CARRIERS for o in objs):  # the parser may hang "with aid" on the verb
        objs += [g for o in objs if o.lemma_.lower() in CARRIERS for g in _carried(o)] + preps(tok, "with")
    return objs


#: Vehicles an act sends or lets in, whose load is the act's object.
CARRIERS = {"convoy", "flotilla", "fleet", "ship", "vessel", "boat", "plane", "aircraft", "airplane", "jet", "flight",
            "truck", "lorry", "train", "shipment", "consignment", "cargo", "airlift", "column", "caravan", "tanker"}


def _carried(carrier: Token) -> list[Token]:
    """A carrier's load: "with aid", "of aid", "carrying aid", "loaded with aid", "laden with aid"."""
    out = preps(carrier, "with") + preps(carrier, "of")
    for c in carrier.children:
        if c.dep_ == "acl" and c.lemma_.lower() in ("carry", "load", "lade", "bring", "transport", "deliver"):
            out += [g for g in c.children if g.dep_ == "dobj"] + preps(c, "with")
    return out + [g for o in list(out) for g in preps(o, "of")]  # "a convoy of trucks with aid"


#: How far left of a passive verb a subject split off by a misparse is looked for.
STRANDED_WINDOW = 6


def stranded_subject(verb: Token) -> list[Token]:
    """The subject of a passive verb whose parse attached it elsewhere
    ("… and diplomatic relations between both countries were established")."""
    for t in reversed(verb.doc[max(sent_of(verb).start, verb.i - STRANDED_WINDOW) : verb.i]):
        if t.is_punct:
            break
        if t.pos_ == "NOUN" and t.dep_ not in ("pobj", "compound", "amod"):
            return [t]
    return []


def lemma_set(tokens: list[Token]) -> set[str]:
    out = set()
    for t in tokens:
        out.add(t.lemma_.lower())
        out.add(t.lower_)
        for c in t.lefts:
            if c.dep_ in ("compound", "amod"):
                out.add(c.lemma_.lower())
                out.add(c.lower_)
    return out


# -- argument slots ------------------------------------------------------------------

#: Nouns for a group of actors whose members a list names ("Kyiv's European allies, including France and
#: Germany", "other partners, such as Japan"): the listed members are the actors.
GROUP_NOUNS = {"ally", "partner", "country", "nation", "state", "member", "neighbour", "neighbor", "government",
               "leader", "power", "democracy", "economy", "official", "minister", "diplomat", "backer", "donor",
               "signatory", "participant", "party", "capital", "rival", "adversary", "supporter"}


def _listed(ctx: Context, tok: Token, depth: int) -> list[Actor]:
    """The members a group noun lists after "including" or "such as"."""
    out: list[Actor] = []
    for c in tok.children:
        if c.dep_ == "prep" and (c.lower_ == "including" or c.lower_ == "as" and any(g.lower_ == "such" for g in c.children)):
            out += [a for g in c.children if g.dep_ == "pobj" for a in actors_at(ctx, g, depth + 1)]
    return out


def actors_at(ctx: Context, tok: Token, depth: int = 0) -> list[Actor]:
    """Actors a phrase headed by ``tok`` refers to, following modifiers and coordination."""
    if tok.lemma_.lower() in GROUP_NOUNS and depth < 3 and (listed := _listed(ctx, tok, depth)):
        return dedupe(listed)
    found = list(ctx.da.get(tok.i))
    for c in tok.children:  # "her Kazakhstan counterpart Nurlan Yermekbayev": the person
        if c.dep_ == "appos" and any(a.person for a in ctx.da.get(c.i)):
            found = [a for a in ctx.da.get(c.i) if a.person]
            break
    if not found and depth == 0:
        poss = next((c for c in tok.children if c.dep_ == "poss" and c.lower_ in COUNTRY_PRONOUNS), None)
        if poss is not None:
            found = _antecedent(ctx, poss)  # "its border posts", "their embassy"
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
        if c.dep_ == "conj" and _describes(c):
            continue  # "China, North Korea's main ally, ...": a description of China, not a second actor
        if c.dep_ == "conj" or (c.dep_ == "appos" and found and ctx.da.get(c.i) and
                                any(a.country for a in ctx.da.get(c.i)) and not any(a.person for a in found)):
            found += actors_at(ctx, c, depth + 1)  # "Saudi Arabia, the UAE, Bahrain and Egypt"
        elif found and (partner := _along_with(c)) is not None:
            found += actors_at(ctx, partner, depth + 1)  # "Mexico, along with the European Community, ..."
    if depth == 0 and found:
        # a misparsed coordination ("US President Donald Trump and North Korean leader Kim Jong Un")
        left = [t for c in tok.lefts if c.dep_ in ("compound", "appos", "nmod", "amod") for t in c.subtree]
        if any(t.dep_ == "cc" and t.lower_ in ("and", "&") for t in left):
            found += [a for t in left for a in ctx.da.get(t.i) if a.person or not a.matched_by.endswith("location")]
    return dedupe(found)


#: Nouns that describe an actor by its relation to another ("North Korea's main ally"); after a comma
#: they are an apposition, even when the parser makes them a conjunct.
RELATIONAL_NOUNS = {"ally", "partner", "neighbour", "neighbor", "rival", "friend", "enemy", "foe", "backer",
                    "patron", "supporter", "sponsor", "benefactor", "adversary", "creditor", "client", "proxy",
                    "protector", "guarantor", "mentor", "nemesis"}


def _describes(conj: Token) -> bool:
    """A conjunct that is really an apposition describing the first actor by a relation."""
    return conj.lemma_.lower() in RELATIONAL_NOUNS and any(c.dep_ == "poss" for c in conj.children)


def dedupe(actors: list[Actor]) -> list[Actor]:
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


def is_passive(v: Token) -> bool:
    """Passive, including reduced passives of headlines ("Twenty soldiers killed in clash")."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children):
        return True
    if v.pos_ != "VERB" or any(c.dep_ in ("dobj", "aux") for c in v.children):
        return False
    return v.lemma_.lower() in TRANSITIVE_ONLY and v.tag_ in ("VBN", "VBD") and any(
        c.dep_ in ("prep", "agent") for c in v.children) and not any(c.dep_ == "ccomp" for c in v.children)


#: How many arcs up a noun trigger looks for its verb: "explained the conditions during the first
#: round of talks with X" is four (talks, of, round, during).
VERB_REACH = 4


#: Nouns of an answer to what another did: "in response to the launch", "retaliation for these sanctions".
RESPONSE_NOUNS = {"response", "retaliation", "reprisal", "revenge", "answer", "riposte", "reaction", "retribution",
                  "protest"}


def verb_of(tok: Token) -> Token | None:
    """The verb governing a noun trigger (its light verb: "held talks", "aid was sent")."""
    h = tok
    for _ in range(VERB_REACH):
        if h.dep_ == "prep" and h.lower_ in NON_AGENT_PREPS and not (
                h.lower_ in PARTNER_PREPS and any(c.dep_ == "prep" and c.lower_ == "with" for c in tok.children)):
            # "raised their alert after Turkish naval drills": not the drills' actors; but "after a
            # meeting with Aquino, Shultz said ...": a meeting with a partner was the subject's own
            return None
        if h.i != tok.i and h.lemma_.lower() in RESPONSE_NOUNS:
            return None  # "imposed sanctions in response to two missile launches": the launches are another's
        if h.dep_ in ("dobj", "nsubjpass", "pobj", "prep", "attr", "nsubj", "compound", "amod") and h.head.i != h.i:
            h = h.head
            if h.pos_ in ("VERB", "AUX"):
                return h
        else:
            break
    return None


def subject(ctx: Context, v: Token) -> list[Actor]:
    """The acting subject of a clause, inherited through control and coordination."""
    prev: Token | None = None
    if opening_participle(v):
        v = sent_of(v).root  # "Welcoming Gorbachev's offer, Reagan said ...": Reagan welcomes
    for _ in range(MAX_CLIMB):
        if v.dep_ == "advcl" and is_passive(v.head) and v.head.lemma_.lower() in SUMMONING \
                and infinitive(v) \
                and (sp := next((c for c in v.head.children if c.dep_ == "nsubjpass"), None)) is not None \
                and (found := actors_at(ctx, sp)):
            return found
        for c in v.children:
            if c.dep_ == "agent":
                agents = [a for g in c.children if g.dep_ == "pobj" for a in actors_at(ctx, g)]
                if v.lemma_.lower() == "join" and (sp := next((g for g in v.children if g.dep_ == "nsubjpass"), None)):
                    # "the EC was joined by the United States in criticising Brazil": both criticise
                    return dedupe(actors_at(ctx, sp) + agents)
                return agents
        if is_passive(v):
            if v.lemma_.lower() in SCHEDULED_PASSIVES and (sp := next((c for c in v.children if c.dep_ == "nsubjpass"), None)):
                return actors_at(ctx, sp) or pronoun_marker(ctx, sp)  # "Yun is scheduled for talks with Seoul"
            if v.dep_ == "ccomp" and v.head.lemma_.lower() in SPEECH_VERBS and v.lemma_.lower() not in OBSERVED_ACTS:
                return subject(ctx, v.head)  # "New Delhi announced that Australia had been invited"
            # "Denmark was threatened with tariffs by the United States": a "by" the parser hung on the
            # verb's last phrase is the verb's agent
            agents = [a for c in v.children if c.dep_ == "prep" and c.lower_ != "by" for g in c.children if g.dep_ == "pobj"
                      for b in g.children if b.dep_ == "prep" and b.lower_ == "by" and b.i == g.i + 1
                      for x in b.children if x.dep_ == "pobj" for a in actors_at(ctx, x)]
            if not agents and prev is not None and prev.dep_ == "advcl" and prev.tag_ == "VBG" and v.dep_ == "ccomp" \
                    and v.head.lemma_.lower() in SPEECH_VERBS:
                # "X reported that the residence was hit, denouncing it as unacceptable": the reporter denounces
                return subject(ctx, v.head)
            return agents
        if v.tag_ == "VBN" and v.dep_ in ("acl", "advcl") and not any(c.dep_ in ("nsubj", "aux") for c in v.children) \
                and v.head.dep_ != "ROOT":
            # "emissions -- blamed for acid rain", "Asked about it, Putin said": a passive with no agent; but
            # the only verb of a sentence whose root the parser made its noun ("Kenyan activists protested
            # outside …") is that noun's act
            return []
        nsubj = next((c for c in v.children if c.dep_ in ("nsubj", "csubj")), None)
        if nsubj is not None:
            if nsubj.tag_ in ("WDT", "WP") or nsubj.lower_ in ("that", "which", "who"):
                return actors_at(ctx, v.head) if v.dep_ == "relcl" else []
            found = actors_at(ctx, nsubj)
            if not found and nsubj.lower_ in REPORTED_PRONOUNS and v.dep_ == "ccomp" and v.head.lemma_.lower() in SPEECH_VERBS:
                return subject(ctx, v.head)  # "X said it would ...": it is X
            if not found and (nsubj.lower_ == "we" or _bare_government(nsubj)) and (said := _reporting_verb(v)) is not None:
                # 'Abbas said: "We believe peace is possible and we are ready to ..."'; '"The government will
                # cooperate closely with ...," Suga said': the speaker's own
                return [a for a in subject(ctx, said) if a.country or a.igo]
            return found or pronoun_marker(ctx, nsubj)
        if (v.dep_ in ("acl", "relcl") or attributive(v)) and v.head.pos_ in ("NOUN", "PROPN"):
            acts = actors_at(ctx, v.head)
            if acts:
                return acts
        if v.dep_ == "xcomp" and v.head.lemma_.lower() in OBJECT_CONTROL:
            dobj = next((c for c in v.head.children if c.dep_ == "dobj"), None)
            if dobj is not None and (found := actors_at(ctx, dobj)):
                return found
            # "instructed the government to provide aid": an unnamed government is the instructor's own
        if v.dep_ == "pcomp" and v.tag_ == "VBG" and v.head.lower_ == "for" and (judged := _judged_for(v.head)) is not None:
            # "blasted South Korea for conducting a joint exercise", "criticism of Seoul for holding drills":
            # who is blamed or praised for an act did it
            return actors_at(ctx, judged)
        if v.dep_ == "xcomp" and is_passive(v.head):  # "Tokayev is slated to visit India"
            sp = next((c for c in v.head.children if c.dep_ == "nsubjpass"), None)
            if sp is not None:
                return actors_at(ctx, sp) or pronoun_marker(ctx, sp)
        if v.dep_ not in CLIMB_DEPS or v.head.i == v.i:
            return []
        prev, v = v, v.head
    return []


def _judged_for(prep: Token) -> Token | None:
    """The one blamed or praised "for" an act: the object of the verb ("blasted Seoul for …") or the
    "of" phrase of the noun ("its criticism of Seoul for …") the "for" hangs on."""
    gov = prep.head
    if gov.pos_ in ("VERB", "AUX"):
        obj = next((c for c in gov.children if c.dep_ == "dobj"), None)
        if obj is None or obj.pos_ == "PROPN" or not any(c.dep_ == "prep" and c.lower_ == "of" for c in obj.children):
            return obj  # "blasted Seoul for …", or "intensified its criticism of Seoul for …"
        gov = obj
    if gov.pos_ == "NOUN":
        return next((g for c in gov.children if c.dep_ == "prep" and c.lower_ == "of"
                     for g in c.children if g.dep_ == "pobj"), None)
    return None


def judges(ctx: Context, tok: Token) -> set[str | None]:
    """Who blames or praises the doer of an act "for" it ("North Korea intensified its criticism of
    Seoul for carrying out the joint exercise": North Korea): the judge is no party to the act."""
    v = tok if tok.pos_ in ("VERB", "AUX") else verb_of(tok)
    if v is None or v.dep_ != "pcomp" or v.head.lower_ != "for" or _judged_for(v.head) is None:
        return set()
    gov = v.head.head
    judging = gov if gov.pos_ in ("VERB", "AUX") else verb_of(gov)
    return {a.key for a in subject(ctx, judging)} if judging is not None else set()


def attributive(v: Token) -> bool:
    """A participle between a determiner and its noun, whose noun does it ("the visiting Polish leader")."""
    if v.dep_ != "amod" or v.tag_ != "VBG":
        return False
    det = next((c for c in v.head.children if c.dep_ == "det"), None)
    return det is not None and det.i < v.i < v.head.i


#: Acts that a speaker reports in the passive as a witness, not as their agent ("South Korea's military
#: said the missile was launched from near Pyongyang").
OBSERVED_ACTS = {"launch", "fire", "fly", "test", "detonate", "explode", "shell", "bomb", "strike", "hit", "attack",
                 "kill", "wound", "shoot", "down", "seize", "capture", "intercept", "sink", "damage", "destroy",
                 "detect", "spot", "track"}


#: Passives whose subject takes part in what they schedule ("X is scheduled for talks", "is set for a visit").
SCHEDULED_PASSIVES = {"schedule", "slate", "set", "expect", "due", "plan"}


#: How a quoted clause hangs from the verb that reports it.
QUOTE_DEPS = {"ccomp", "conj", "xcomp", "advcl", "parataxis"}


def _bare_government(tok: Token) -> bool:
    """"The government" with nothing naming whose it is."""
    return tok.lemma_.lower() in ("government", "administration", "cabinet") and \
        [c.lower_ for c in tok.children] == ["the"]


def _reporting_verb(v: Token) -> Token | None:
    """The verb of saying a quoted clause belongs to, if any ("X said: '... and we are ready ...'")."""
    for _ in range(MAX_CLIMB):
        if v.dep_ not in QUOTE_DEPS or v.head.i == v.i:
            return None
        v = v.head
        if v.lemma_.lower() in SPEECH_VERBS:
            return v
    return None


#: People who act for someone named after "for" ("a spokesman for the Secretary-General").
SPEAKS_FOR = {"spokesman", "spokesperson", "spokeswoman", "representative", "envoy", "minister", "adviser",
              "advisor", "commissioner", "negotiator"}


#: Prepositions that set a noun event beside the clause, not inside it: its verb's subject is not its actor.
NON_AGENT_PREPS = {"after", "before", "amid", "despite", "following", "since", "until", "over", "against", "about",
                   "because"}


#: ... of those, the ones after which a meeting "with" a partner is still the clause subject's.
PARTNER_PREPS = {"after", "before", "following"}


#: Nouns whose "to"-infinitive is a plan or commitment ("no plans to hold talks", "its readiness to help").
PLAN_NOUNS = {"plan", "intention", "intent", "desire", "wish", "aim", "goal", "decision", "readiness", "willingness",
              "offer", "promise", "pledge", "commitment", "bid", "attempt", "proposal", "agreement", "threat", "demand",
              "call", "request", "invitation"}


#: Verbs whose thing given can come after "with" ("supply the army with helicopters").
WITH_OBJECT_VERBS = {"supply", "provide", "equip", "arm", "furnish", "help", "assist"}


REPORTED_PRONOUNS = {"it", "they", "he", "she", "we"}


DYAD_OTHER = Actor(text="", matched_by="dyad-complement")


def _along_with(c: Token) -> Token | None:
    """The partner in "X, along with Y" or "X, together with Y" (a child of X's phrase), else None."""
    if c.dep_ != "prep":
        return None
    if c.lower_ == "along":
        c = next((g for g in c.children if g.dep_ == "prep" and g.lower_ == "with"), c)
    elif not (c.lower_ == "with" and any(g.lower_ == "together" for g in c.children)):
        return None
    return next((g for g in c.children if g.dep_ == "pobj" and c.lower_ == "with"), None)


def pronoun_marker(ctx: Context, tok: Token) -> list[Actor]:
    """'it'/'they' or "the Central Asian republic": the state or organisation it stands for.

    "its"/"their" is the clause's subject ("North Korea intensified its criticism"); a subject
    "it"/"they" continues the previous sentence's subject ("The GATT ruled ... It called on
    Washington ..."); otherwise the marker stands for the dyad member the other slot is not.
    """
    if tok.lower_ in COUNTRY_PRONOUNS:
        return _antecedent(ctx, tok) or [DYAD_OTHER]
    if tok.lower_ == "both" and tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ == "PRON":
        return _last_two_subjects(ctx, tok)
    if tok.lower_ == "them":
        return _listed_before(ctx, tok)
    if tok.lower_ in ("you", "your"):
        return _vocative(ctx, tok)
    if tok.lemma_.lower() in COUNTRY_NOUNS and tok.tag_ == "NN" and any(c.lower_ in ("the", "this", "that") for c in tok.children):
        return _speakers_own(ctx, tok) or _recent_state(ctx, tok) or [DYAD_OTHER]
    return []


def _vocative(ctx: Context, tok: Token) -> list[Actor]:
    """"you" in a sentence that opens by addressing someone ("Congresswoman Maxine Waters, we look to you
    to ..."): the one addressed."""
    verb = owner_clause(tok)
    for head in (c for c in verb.children if c.dep_ in ("npadvmod", "vocative", "dep") and c.i < tok.i):
        if any(t.text == "," for t in tok.doc[head.i + 1 : tok.i]) and \
                (found := [a for t in head.subtree for a in ctx.da.get(t.i) if a.key]):
            return found[:1]
    return []


def _speakers_own(ctx: Context, tok: Token) -> list[Actor]:
    """"The country" as the subject of what an official says is the official's own state ("Israeli Defence
    Minister Israel Katz said the country would continue to block aid")."""
    clause = tok.head
    if tok.dep_ != "nsubj" or clause.dep_ != "ccomp" or clause.head.lemma_.lower() not in SPEECH_VERBS:
        return []
    speaker = next((c for c in clause.head.children if c.dep_ == "nsubj"), None)
    states = [a for a in actors_at(ctx, speaker) if a.country] if speaker is not None else []
    return [Actor(text=tok.text, name=states[0].name, country=states[0].country, matched_by="speaker-country")] \
        if states else []


def _listed_before(ctx: Context, tok: Token) -> list[Actor]:
    """An object "them": the states of the list named last before it in its sentence ("talks with
    Japan, Canada and Mexico, threatening them with tariffs")."""
    for t in reversed(tok.doc[sent_of(tok).start : tok.i]):
        if t.dep_ == "conj" and ctx.da.get(t.i):
            first = t
            while first.dep_ == "conj" and first.head.i < first.i:
                first = first.head
            listed = dedupe([a for c in [first, *first.conjuncts] for a in actors_at(ctx, c) if a.key])
            return listed if len(listed) >= 2 else []
    return []


def _last_two_subjects(ctx: Context, tok: Token) -> list[Actor]:
    """A subject "both": the last two states that were subjects, in the two sentences before it
    ("Finland joined in 2023. Sweden became a member in 2024. ... both applied in May 2022")."""
    spans, index = sentences(ctx.doc)
    n = index[tok.i]
    found: list[Actor] = []
    for sent in reversed(spans[max(0, n - 2) : n]):
        for t in reversed(list(sent)):
            # a state left as the root of its sentence is its subject, misparsed ("Finland - which has
            # a long border with Russia - joined in 2023")
            if t.dep_ in ("nsubj", "nsubjpass") or (t.dep_ == "ROOT" and t.pos_ == "PROPN"):
                for a in _collective(actors_at(ctx, t)):
                    if a.country and a.key not in {f.key for f in found}:
                        found.append(a)
        if len(found) >= 2:
            return found[:2][::-1]
    return []


#: "the isolated country", "the kingdom" refers to a state named at most this many sentences back.
STATE_REFERENCE_WINDOW = 2


def _recent_state(ctx: Context, tok: Token) -> list[Actor]:
    """The state a definite "the country" refers to: the last one named before it, within a couple of
    sentences, that is not the subject of a clause it stands in ("India was quick to send tablets to the
    Central Asian republic")."""
    own = {a.key for up in tok.ancestors if up.pos_ in ("VERB", "AUX", "ADJ") for c in up.children
           if c.dep_ in ("nsubj", "nsubjpass") and c.i != tok.i for a in actors_at(ctx, c)}
    found = named_last(ctx, tok, STATE_REFERENCE_WINDOW, lambda t, a: bool(
        _collective([a]) and a.country and a.key not in own and not _where(t)))
    return [found] if found is not None else []


def named_last(ctx: Context, tok: Token, window: int, keep: Callable[[Token, Actor], bool]) -> Actor | None:
    """The actor named last before ``tok``, in its sentence or at most ``window`` sentences back, that
    ``keep`` accepts (given the word it is named at)."""
    return ctx.da.named_last(ctx.doc, tok.i, window, keep)


#: Prepositions of place: a state after them is where something happened, not who did it.
PLACE_PREPS = {"over", "in", "into", "near", "across", "around", "off", "inside", "within", "throughout", "above",
               "toward", "towards", "through"}


def _where(tok: Token) -> bool:
    """Is this mention a place ("a missile over Japan", "troops in Syria") rather than a party?"""
    h = tok
    while h.dep_ in ("compound", "amod", "poss") and h.head.i != h.i:
        h = h.head
    return h.dep_ == "pobj" and h.head.lower_ in PLACE_PREPS


def _collective(actors: list[Actor]) -> list[Actor]:
    """States and organisations, not persons: what "it" and "they" can stand for."""
    return [a for a in actors if a.key and not a.person and not a.matched_by.endswith("location")]


def _antecedent(ctx: Context, tok: Token) -> list[Actor]:
    if tok.dep_ == "poss":
        clause = tok.head
        while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
            clause = clause.head
        subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < tok.i), None)
        if subj is None or subj.i == tok.head.i:
            return []
        own = _collective(actors_at(ctx, subj))
        if tok.head.dep_ in ("dobj", "pobj") and tok.head.lemma_.lower() not in event_references():
            # "India attacked its border posts": what an actor's act hits is rarely its own; "its" is
            # the actor the statement is about (the speaker: "Pakistan said India attacked its posts")
            keys = {a.key for a in own}
            for up in clause.ancestors:
                if up.pos_ in ("VERB", "AUX"):
                    outer = next((c for c in up.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                    found = _collective(actors_at(ctx, outer)) if outer is not None else []
                    if found and not {a.key for a in found} & keys:
                        return found
            return []
        return own
    if tok.dep_ not in ("nsubj", "nsubjpass"):
        return []
    spans, index = sentences(ctx.doc)
    n = index[tok.i]
    if tok.lower_ == "they" and (pair := _coordinated_subject(ctx, tok, spans, n)):
        return pair  # "Trump and Abe spoke by phone, and they agreed to ..."
    if n == 0 or any(t.dep_ in ("nsubj", "nsubjpass") and t.i < tok.i and ctx.da.get(t.i) for t in spans[n]):
        return []  # an earlier subject of its own sentence is the likelier antecedent; leave it to the dyad
    prev = spans[n - 1]
    subj = next((t for t in prev if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"), None)
    return _collective(actors_at(ctx, subj)) if subj is not None else []


def _coordinated_subject(ctx: Context, tok: Token, spans: list[Span], n: int) -> list[Actor]:
    """The parties of the last coordinated subject before a subject "they", in its sentence or the one
    before ("Trump and Abe spoke by phone, and they agreed"), or of a meeting told just before it in its
    sentence: people too, when at least two are named."""
    for sent in (spans[n], spans[n - 1] if n else None):
        if sent is None:
            continue
        subjects = [t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.i < tok.i and t.conjuncts]
        for subj in reversed(subjects):
            parties = dedupe([a for t in (subj, *subj.conjuncts) for a in actors_at(ctx, t) if a.key])
            if len({a.key for a in parties}) >= 2:
                return parties
        if sent is spans[n]:
            # "Abe said he spoke to Trump and they agreed": the two who met or talked just before
            met = [(e.source, e.target) for e in ctx.current if e.symmetric and e.target is not None and e.trigger < tok.i]
            if met:
                return list(met[-1])
            if any(t.dep_ in ("nsubj", "nsubjpass") and t.i < tok.i for t in sent):
                return []  # a simple subject came between
    return []


def preps(tok: Token, word: str) -> list[Token]:
    """Objects of the preposition ``word`` under ``tok`` ("to" may be parsed as a dative). A noun's
    phrase after its "by" agent is the noun's, though parsed as the agent's ("the occupation by
    Russia of Crimea")."""
    found = [g for c in tok.children if c.dep_ in ("prep", "dative") and c.lower_ == word
             for g in c.children if g.dep_ == "pobj"]
    if not found:
        found = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == word
                 and not any(g.dep_ == "pobj" for g in c.children) for g in _stranded_object(c)]
    if not found and tok.pos_ == "NOUN" and word != "by":
        found = [g for agent in preps(tok, "by") for c in agent.children if c.dep_ == "prep" and c.lower_ == word
                 for g in c.children if g.dep_ == "pobj"]
    return found


def _stranded_object(prep: Token) -> list[Token]:
    """The object of a preposition left without one, when the parser took it for the subject of the
    infinitive after it ("cooperate with the United States to respond": "with" has no object, and
    "the United States" is the subject of "respond")."""
    verb = next((c for c in (*prep.children, *prep.head.children)
                 if c.dep_ in ("pcomp", "advcl", "xcomp") and c.i > prep.i), None)
    if verb is None:
        return []
    return [c for c in verb.children if c.dep_ == "nsubj" and c.left_edge.i == prep.i + 1]


#: Verbs of judging, perceiving or discussing an event: their subject is not the actor of the event
#: noun they take ("condemned the launch", "welcomed the visit", "saw the investigations as a problem").
ATTITUDE_VERBS = {
    "condemn", "criticize", "criticise", "denounce", "deplore", "decry", "slam", "blast", "welcome", "praise", "hail",
    "applaud", "commend", "laud", "salute", "reject", "dismiss", "oppose", "protest", "see", "view", "regard",
    "consider", "watch", "witness", "observe", "monitor", "discuss", "mention", "note", "describe", "call", "term",
    "label", "study", "examine", "review", "assess", "investigate", "probe", "blame", "fear", "question", "doubt",
    "ignore", "acknowledge", "recall", "remember", "regret", "lament", "mourn", "mark", "commemorate", "celebrate",
}


def object_phrase_of(tok: Token, verb: Token) -> bool:
    """Is a noun in the object phrase of ``verb`` (not beside its clause: "after a meeting with X")?"""
    h = tok
    while h.i != verb.i and h.head.i != h.i:
        if h.head.i == verb.i:
            return h.dep_ in ("dobj", "nsubjpass")
        h = h.head
    return False


def slot(ctx: Context, tok: Token, name: str) -> list[Actor]:
    noun = tok.pos_ in ("NOUN", "PROPN")
    verb = verb_of(tok) if noun else tok
    if name.endswith("+"):  # deep: the first states anywhere inside the slot's phrase
        heads = slot_heads(tok, name[:-1], verb, noun)
        for h in heads:
            for t in sorted(h.subtree, key=lambda t: t.i):
                acts = [a for a in ctx.da.get(t.i) if a.key]
                if acts:
                    return dedupe(acts)
        return []
    if name == "comp_subj":  # "demanded that Manila remove …", "urged that X …"
        for c in tok.children:
            if c.dep_ in ("ccomp", "xcomp"):
                ns = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
                if ns is not None:
                    return actors_at(ctx, ns) or pronoun_marker(ctx, ns)
        return []
    if name == "subj":
        if noun and tok.dep_ in ("nsubj", "nsubjpass"):
            return []  # "The expulsion of X by Y deepened …": the noun is its verb's subject, not its actor
        if noun and verb is not None and verb.lemma_.lower() in ATTITUDE_VERBS and object_phrase_of(tok, verb):
            return []  # "Japan condemned the launch", "welcomed the visit to China": not Japan's launch or visit
        return subject(ctx, verb) if verb is not None else []
    if name == "obj":
        if noun:
            return []
        objs = [c for c in tok.children if c.dep_ in (("nsubjpass", "nsubj") if is_passive(tok) else ("dobj",))]
        if not objs and is_passive(tok):
            objs = stranded_subject(tok)
        if not objs and opening_participle(tok):
            objs = objects(tok)
        return [a for o in objs for a in (actors_at(ctx, o) or pronoun_marker(ctx, o))]
    if name == "dative":
        heads = [c for c in tok.children if c.dep_ in ("dative", "iobj")]
        heads = [g for h in heads for g in ([x for x in h.children if x.dep_ == "pobj"] if h.pos_ == "ADP" else [h])]
        return [a for h in heads for a in (actors_at(ctx, h) or pronoun_marker(ctx, h))]
    if name == "agent":
        return [a for g in slot_heads(tok, "agent", verb, noun) for a in (actors_at(ctx, g) or pronoun_marker(ctx, g))]
    if name == "poss":
        return [a for c in tok.children if c.dep_ == "poss" for a in (actors_at(ctx, c) or pronoun_marker(ctx, c))]
    if name == "np":
        head = tok.head if tok.dep_ in ("compound", "amod") else tok
        if not noun:
            heads = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")] or (
                stranded_subject(tok) if is_passive(tok) else [])
            toks = [t for h in heads for t in h.subtree]
        else:
            toks = [t for t in head.subtree if t.i <= head.i and not aimed_at(t)] + [
                t for g in preps(head, "between") for t in g.subtree]
        return dedupe([a for t in toks if t.i != tok.i for a in ctx.da.get(t.i)])
    if name == "aidgiver":  # "U.S. military aid was stalled", "the hold on U.S. assistance": the aid's own state
        objs = objects(tok)
        return dedupe([a for o in objs for t in o.subtree if t.i <= o.i and t.dep_ in ("compound", "amod", "poss", "nmod")
                       for a in ctx.da.get(t.i) if a.country or a.igo])
    if name == "aimed":  # "China-specific tariffs", "anti-Russian sanctions": whom they are aimed at
        head = tok.head if tok.dep_ in ("compound", "amod") else tok
        return dedupe([a for t in head.subtree if t.i < head.i and aimed_at(t) for a in ctx.da.get(t.i)])
    if name == "capital":
        # "held talks in Beijing", "talks by Cook in Beijing": the government whose capital holds them
        hosts = [tok] + ([verb] if verb is not None and verb.i != tok.i else []) + (preps(tok, "by") if noun else [])
        return dedupe([a for h in hosts for c in h.children if c.dep_ == "prep" and c.lower_ == "in"
                       for g in c.children if g.dep_ == "pobj" for a in ctx.da.get(g.i)
                       if a.country and a.matched_by.startswith("capital")])
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
        return dedupe(found)
    if name.startswith("prep:"):
        word = name[5:]
        hosts = [tok]
        if noun and verb is not None:
            hosts.append(verb)
        if not noun:
            hosts += [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd")]
        out: list[Actor] = []
        for h in hosts:
            for g in preps(h, word):
                out += actors_at(ctx, g) or pronoun_marker(ctx, g)
            if out:
                break
        return dedupe(out)
    return []


def slot_heads(tok: Token, name: str, verb: Token | None, noun: bool) -> list[Token]:
    """The head words of a named slot's phrases (objects, prepositions' objects, datives)."""
    if name == "obj":
        return [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    if name.startswith("prep:"):
        hosts = [tok] + ([verb] if noun and verb is not None else [])
        return [g for h in hosts for g in preps(h, name[5:])]
    if name == "dative":
        heads = [c for c in tok.children if c.dep_ in ("dative", "iobj")]
        return [g for h in heads for g in ([x for x in h.children if x.dep_ == "pobj"] if h.pos_ == "ADP" else [h])]
    if name == "agent":  # a passive's "by" phrase
        return [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    return []


def referents(ctx: Context, tok: Token, target_slots: tuple[str, ...], sources: list[Actor]) -> tuple[list[Actor], str]:
    """Targets read through nouns that refer back to earlier events ("condemned the launch"), in the
    order of the pattern's target slots."""
    noun = tok.pos_ in ("NOUN", "PROPN")
    verb = verb_of(tok) if noun else tok
    exclude = {a.key for a in sources}
    for name in target_slots:
        for head in slot_heads(tok, name.rstrip("+"), verb, noun):
            for h in [head, *head.conjuncts]:
                found = referent_actors(ctx, h, exclude)
                if found:
                    return found, name
    return [], ""


def fill(ctx: Context, tok: Token, slots: tuple[str, ...]) -> tuple[list[Actor], str]:
    for name in slots:
        acts = slot(ctx, tok, name)
        if acts:
            return acts, name
    return [], ""


#: Roots whose target may be a place: visits and meetings go to a country, aid is sent to one, force and
#: attacks hit one.
PLACE_TARGET_ROOTS = {"04", "07", "14", "15", "17", "18", "19", "20"}
#: Prepositions that name where something comes from or when, never whom it is aimed at.
NOT_TARGET_PREPS = {"from", "since", "despite", "amid", "like", "unlike", "besides", "after", "before", "during",
                    "following"}


def clause_actors(ctx: Context, tok: Token, exclude: set[str], code: str | None = None) -> list[Actor]:
    """Other actors in the trigger's clause (widening to governing clauses), nearest after it first.

    Not those of another clause with a subject of its own ("as India prepared ..."), unless the
    trigger governs it ("condemned the decision, saying Israel ..."), not those after "since" or
    "despite" (nor "from", except for what is asked of someone: "restraint from both countries"),
    and places only for events that go to or hit a place.
    """
    root = tok
    places = code is None or code[:2] in PLACE_TARGET_ROOTS
    # "restraint from both countries" is asked of them; forces put on alert "to evacuate nationals from
    # Ivory Coast" are put on alert over it
    asks = code is not None and code[:2] in ("02", "10", "15")
    # what the trigger governs ("condemned the decision, saying Israel ..."), not a clause coordinated
    # with it ("condemned the attack and said the government would assist Tunisian authorities")
    own = {t.i for t in tok.subtree} - {t.i for c in tok.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")
                                        for t in c.subtree}
    ancestors = {a.i for a in tok.ancestors} | own
    for _ in range(MAX_CLIMB):
        while root.dep_ != "ROOT" and root.pos_ not in ("VERB", "AUX"):
            root = root.head
        toks = sorted(root.subtree, key=lambda t: (t.i < tok.i, abs(t.i - tok.i)))
        for t in toks:
            acts = [a for a in ctx.da.get(t.i) if a.key and a.key not in exclude
                    and (places or not a.matched_by.endswith("location"))]
            if acts and not _elsewhere(t, root, ancestors, asks):
                return dedupe(acts + [a for c in t.conjuncts for a in ctx.da.get(c.i) if a.key and a.key not in exclude])
        if root.dep_ not in ("acl", "relcl", "advcl", "xcomp", "pcomp", "conj") or root.head.i == root.i:
            break
        root = root.head
    return []


def _elsewhere(t: Token, root: Token, ancestors: set[int], asks: bool = False) -> bool:
    """Is a token in another clause with a subject of its own, or after a preposition of origin?"""
    h = t
    while h.i != root.i and h.head.i != h.i:
        if h.dep_ == "pobj" and h.head.lower_ in NOT_TARGET_PREPS and not (asks and h.head.lower_ == "from"):
            return True
        if h.pos_ in ("VERB", "AUX") and h.i not in ancestors and any(c.dep_ in ("nsubj", "nsubjpass") for c in h.children):
            return True
        h = h.head
    return False


#: Second halves of a compound that make the state named in its first half what it is aimed at or about.
AIMED_SUFFIXES = {"specific", "related", "focused", "targeted", "linked", "bound", "centric", "oriented"}


def aimed_at(t: Token) -> bool:
    """Is ``t`` the state of an "X-specific"/"X-related" compound, or of an "anti-X" one?"""
    doc = t.doc
    after = doc[t.i + 1 : t.i + 3]
    if len(after) == 2 and after[0].text == "-" and after[1].lower_ in AIMED_SUFFIXES:
        return True
    before = doc[max(t.i - 2, 0) : t.i]
    return (len(before) == 2 and before[0].lower_ == "anti" and before[1].text == "-") or (
        t.i > 0 and doc[t.i - 1].lower_ == "anti-")


def sentence_countries(ctx: Context, tok: Token) -> list[Actor]:
    """States named in the sentence as actors (not as places, not organisations)."""
    return dedupe([a for t in sent_of(tok) for a in ctx.da.get(t.i)
                    if a.country and not a.matched_by.endswith("location")])


def resolve_markers(acts: list[Actor], other: list[Actor], dyad: tuple[Actor, ...]) -> list[Actor]:
    out = []
    for a in acts:
        if a is DYAD_OTHER:
            keys = {o.key for o in other if o is not DYAD_OTHER}
            cands = [d for d in dyad if d.key not in keys]
            if len(dyad) == 2 and len(cands) == 1 and keys:
                out.append(Actor(text="(dyad)", name=cands[0].name, country=cands[0].country,
                                 matched_by="dyad-complement"))
        else:
            out.append(a)
    return out
