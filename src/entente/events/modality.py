"""Modality: whether an event happened, is intended, hypothetical or negated.

A trigger's modality is read from its own clause and the verbs that govern it:
negation, conditions, modal and future auxiliaries, planning and commitment
governors ("plans to", "agreed to"), and appeals or threats whose complement
is asked for rather than done.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..nlp import infinitive
from .arguments import PLAN_NOUNS, SPEECH_VERBS, verb_of

#: Governors that put their complement in the future: "is slated to visit", "plans to sign".
SCHEDULE_GOVERNORS = {
    "plan", "intend", "expect", "slate", "slated", "schedule", "due", "set", "aim", "seek", "hope", "want",
    "prepare", "likely", "poised", "going", "consider", "look", "wish", "try", "propose",
}


#: Governors whose act is itself a commitment: "agreed to boost" is an asserted intent (03x).
COMMIT_GOVERNORS = {
    "agree", "promise", "pledge", "vow", "decide", "resolve", "commit", "undertake", "offer",
    "invite", "ready", "instruct", "order", "willing", "determine", "express", "readiness", "willingness",
    "commitment", "decision",
}


#: Prepositions of the occasion an act happened at, not of what it is about ("agreed at the summit").
SETTING_PREPS = {"at", "during", "after", "before", "since", "following", "amid", "throughout"}


#: Governors whose complement is what they ask for, not something that happened.
APPEAL_GOVERNORS = {"urge", "ask", "call", "appeal", "press", "demand", "request", "encourage", "want", "warn", "threaten",
                    "insist", "refuse", "decline", "apply", "petition", "plead", "beg", "lobby", "implore", "exhort",
                    "invite", "invitation"}
#: Words that report a charge, not a fact: what X is accused of is X's accuser's event (112), not X's act.
ALLEGATION_GOVERNORS = {"accuse", "allege", "accusation", "allegation", "charge", "claim", "suspect", "suspicion",
                        "rumour", "rumor", "speculation", "blame"}


#: Nouns of a sign or evidence that something will be or was: "no indication that X will meet Y".
EVIDENCE_NOUNS = {"indication", "sign", "evidence", "suggestion", "hint", "proof", "confirmation"}

#: Governors whose complement is only permitted ("allowed Ukraine to strike inside Russia"): not yet done.
PERMISSION_GOVERNORS = {"allow", "permit", "authorise", "authorize", "let", "enable", "empower", "license", "licence"}

#: Participles that report a finding or belief about someone ("found to be assisting", "believed to have
#: supplied"): what follows is charged, not told as done. As active verbs ("a report found") they report.
FINDING_PARTICIPLES = {"find", "believe", "think", "suspect", "allege", "rumour", "rumor"}

NEG_GOVERNORS = {"refuse", "fail", "decline", "deny", "avoid", "cancel", "postpone", "reject", "rule"}
#: Governors of an act one will not do: "is reluctant to commit to a meeting" is a refusal.
RELUCTANT_GOVERNORS = {"reluctant", "unwilling", "loath", "loth", "disinclined"}
#: Governors of the will to act, whose negation refuses the act: "has no intention to talk with".
WILL_GOVERNORS = {"intend", "intention", "intent", "plan", "want", "wish", "willing", "ready", "prepared", "desire",
                  "interest", "interested", "inclined", "point"}


FUTURE_AUX = {"will", "shall", "'ll", "wo"}


HYPOTHETICAL_AUX = {"could", "might", "may", "should", "must", "ought"}


CONDITION_MARKS = {"if", "unless", "whether"}


FUTURE_ADJ = {"upcoming", "planned", "proposed", "scheduled", "forthcoming", "expected", "future", "next"}


# -- modality --------------------------------------------------------------------------

#: Acts whose content may carry a condition without the act being one: "offered a ceasefire if an
#: inquiry was begun", "threatened to strike if ...", "Iran's offer of a truce if ...".
CONDITIONAL_ACTS = {"offer", "propose", "proposal", "promise", "pledge", "threaten", "threat", "warn", "warning",
                    "vow", "suggest", "suggestion"}


#: Nouns of acts of speech whose "to"-infinitive is their content: the offer or threat itself was made.
SPEECH_ACT_NOUNS = {"offer", "proposal", "promise", "pledge", "threat", "warning", "demand", "call", "request",
                    "appeal", "invitation", "ultimatum", "vow"}


#: Nouns whose "to"-infinitive is what ought or may be done, not what was: "Israel's obligations to allow
#: the UN to provide assistance", "the right to defend itself".
MODAL_NOUNS = {"obligation", "duty", "right", "responsibility", "ability", "capacity", "freedom", "mandate", "need"}


#: Nouns whose "of" phrase is only thought of: "opposed the idea of Ukraine becoming a member".
IDEA_NOUNS = {"idea", "prospect", "possibility", "notion", "likelihood", "spectre", "specter", "scenario"}


def governors(tok: Token) -> list[Token]:
    """The clause verb of a trigger and the verbs/adjectives that govern it, nearest first.

    Complements (xcomp, ccomp) and prepositional complements climb to their governor;
    a conjunct shares its first conjunct's governors ("agreed to unite … and provide"),
    and a purpose clause its main verb's. Other adverbial clauses ("as X met Y") and
    coordinated main clauses do not inherit their neighbour's modality.
    """
    noun = tok.pos_ in ("NOUN", "PROPN")
    clause = (verb_of(tok) or tok) if noun else tok
    chain = [clause] if clause.i != tok.i else []
    h = clause
    for _ in range(6):
        if h.head.i == h.i:
            break
        if h.dep_ == "conj":
            h = h.head  # a sibling: not a governor, but its governors are ours
            continue
        purpose = h.dep_ == "advcl" and infinitive(h)
        # "no plans to hold talks", "the accusation that it is planning to invade"
        plan = h.dep_ == "acl" and h.head.lemma_.lower() in PLAN_NOUNS | ALLEGATION_GOVERNORS | MODAL_NOUNS and (
            infinitive(h)  # "plans to hold talks"
            or any(c.dep_ == "mark" and c.lower_ == "that" for c in h.children))  # "the accusation that ..."
        # "there is no indication his visit will include talks": what a sign or evidence noun says
        evidence = h.dep_ in ("acl", "ccomp") and h.head.lemma_.lower() in EVIDENCE_NOUNS
        if h.dep_ in ("xcomp", "ccomp", "pcomp", "prep", "pobj", "dobj") or purpose or plan or evidence:
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
    chain = [tok] + governors(tok)
    if any(t.lemma_.lower() in RELUCTANT_GOVERNORS for t in chain[1:3]):
        return "negated", False
    near = chain[:3]
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "nsubj" and len(chain) > 1 and chain[1].lemma_ == "be":
        near = chain[:1]  # "the detention of the boats was not the first": what is denied is said of it
    near += [t.head for t in near if t.dep_ == "acomp"]  # "is not willing to hold talks": the copula's "not"
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
    governing = {t.lemma_.lower() for t in chain[1:]} | {t.lower_ for t in chain[1:]}
    if conditioned and tok.lemma_.lower() in CONDITIONAL_ACTS and not auxes & (HYPOTHETICAL_AUX | FUTURE_AUX | {"would"}):
        conditioned = False  # "Iran offered a ceasefire if an inquiry was begun": the offer was made; its terms hold the if
    counterfactual = bool(auxes & {"would", "could", "might"}) and "have" in auxes and any(
        t.tag_ == "VBN" for t in chain[:2])  # "he would have objected": it did not happen
    # "a bill that would impose sanctions", "a deal that would force Ukraine to cede land": what a thing
    # would do, told in a relative clause, is its effect if it comes about
    effect = any(t.dep_ == "relcl" and t.head.pos_ == "NOUN" and any(
        c.dep_ == "aux" and c.lower_ in ("would", "could", "might") for c in t.children) for t in chain[:3])
    if marks & CONDITION_MARKS or auxes & HYPOTHETICAL_AUX or inverted or conditioned or counterfactual or effect \
            or _thought_of(tok) or _speculated(chain) or _needed_first(chain) \
            or any(t.pos_ == "NOUN" and t.lemma_.lower() in MODAL_NOUNS for t in chain[1:]) \
            or any(_after_modal_noun(t) for t in chain) \
            or any(t.lemma_.lower() in PERMISSION_GOVERNORS and t.pos_ == "VERB" for t in chain[1:]):
        return "hypothetical", False
    scheduled = bool(auxes & FUTURE_AUX or "would" in auxes or governing & (SCHEDULE_GOVERNORS | PLAN_NOUNS))
    if len(chain) > 1 and chain[1].lemma_ == "be" and tok.dep_ == "xcomp" and any(c.lower_ == "to" for c in tok.children):
        scheduled = True  # "Latvia is to deport …"
    if tok.pos_ in ("NOUN", "PROPN") and (any(c.lower_ in FUTURE_ADJ for c in tok.children) or any(
            c.dep_ == "acl" and any(g.lower_ == "to" for g in c.children) for c in tok.children)
            and tok.lemma_.lower() not in SPEECH_ACT_NOUNS):
        scheduled = True  # "talks to be held", but not "Gorbachev's offer Saturday to proceed": an offer made
    if _aim(tok) or (tok.dep_ in ("dobj", "nsubjpass") and _aim(tok.head)):
        return "hypothetical", False  # "in order to open a route", "so as to boost trade": an aim, not an act
    # "the formula he agreed upon at their summit meeting": a commitment made at an event does not commit to it
    setting = 1 if _at_occasion(tok) else next(
        (k for k, t in enumerate(chain) if t.pos_ == "ADP" and t.lower_ in SETTING_PREPS), len(chain))
    committed = bool({t.lemma_.lower() for t in chain[1:setting]} & COMMIT_GOVERNORS)
    if scheduled and not committed:
        return "intended", False
    if committed and any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for t in chain[1:] for c in t.children):
        return "intended", True
    return "asserted", committed


def refusal(tok: Token) -> bool:
    """Is a negated act one its actor says it will not do ("will not negotiate", "has no intention to talk",
    "is not willing to hold talks", "is reluctant to meet"), not one that did not happen ("did not meet")?"""
    chain = [tok] + governors(tok)
    if any(t.lemma_.lower() in RELUCTANT_GOVERNORS for t in chain[1:3]):
        return True
    for t in chain[:4]:
        negated = any(c.dep_ == "neg" or c.lower_ in ("no", "never") for c in t.children) or (
            t.dep_ == "acomp" and any(c.dep_ == "neg" for c in t.head.children))
        if not negated:
            continue
        if t.pos_ in ("VERB", "AUX") and not any(c.dep_ == "auxpass" for c in t.children) and any(
                c.dep_ == "aux" and c.lower_ in FUTURE_AUX | {"would", "can", "ca"} for c in t.children):
            return True  # "will not negotiate", "won't accept", "cannot agree"
        if t.lemma_.lower() in WILL_GOVERNORS:
            return True  # "not willing to", "no intention to", "no plans to", "no point in"
    return any(t.lemma_.lower() in WILL_GOVERNORS and any(c.lower_ == "no" for c in t.children) for t in chain[1:4])


#: Those whose reading of events is analysis, not a report: "Some experts said Kim was trying to pressure
#: Washington", "Trade analysts say Tokyo is likely to propose talks".
SPECULATORS = {"expert", "analyst", "observer", "commentator", "pundit", "scholar", "academic", "economist",
               "strategist", "researcher", "watcher", "insider"}


def _speculated(chain: list[Token]) -> bool:
    """Is the trigger in what analysts or experts say, think or expect?"""
    for t in chain[1:]:
        if t.pos_ in ("VERB", "AUX") and any(c.dep_ == "nsubj" and c.lemma_.lower() in SPECULATORS for c in t.children):
            return True
    return False


def _at_occasion(tok: Token) -> bool:
    """Is a noun trigger the occasion its clause's act happened at ("agreed at their summit meeting")?"""
    h = tok
    while h.dep_ in ("compound", "pobj") and h.head.i != h.i:
        h = h.head
        if h.dep_ == "prep" and h.lower_ in SETTING_PREPS:
            return True
    return False


def _after_modal_noun(t: Token) -> bool:
    """An infinitive right after a modal noun, wherever the parser hung it ("Israel's obligations to
    allow the UN to provide aid", parsed as an adverbial clause of the main verb)."""
    to = next((c for c in t.children if c.dep_ == "aux" and c.lower_ == "to"), None)
    if to is None or to.i == 0:
        return False
    before = t.doc[to.i - 1]
    return before.pos_ == "NOUN" and before.lemma_.lower() in MODAL_NOUNS


#: Nouns of a way that opens onto an act: "opened the door to negotiations", "paved the way for talks".
WAY_NOUNS = {"door", "way", "path", "road", "avenue"}


def _thought_of(tok: Token) -> bool:
    """Is the event only the content of an idea ("the idea of Ukraine becoming a member", "the prospect
    of sanctions on Japan", "open the door to negotiations")? An idea noun at most four arcs up, through
    its "of" (a way noun, through its "to" or "for")."""
    h = tok
    for _ in range(4):
        if h.head.i == h.i:
            return False
        if h.head.lemma_.lower() in IDEA_NOUNS:
            # through its "of", or a gerund parsed as the idea noun's own clause ("the idea of X becoming")
            return (h.dep_ == "prep" and h.lower_ == "of") or (h.dep_ == "acl" and h.tag_ == "VBG")
        if h.dep_ == "prep" and h.lower_ in ("to", "for") and (h.head.lemma_.lower() in WAY_NOUNS or any(
                c.dep_ == "dobj" and c.lemma_.lower() in WAY_NOUNS for c in h.head.children)):
            return True  # "the door to negotiations", or "opened the door to …" with the "to" on the verb
        h = h.head
    return False


def _needed_first(chain: list[Token]) -> bool:
    """Is the trigger's clause what must wait for something else ("an agreement was needed before Tokyo
    extended fresh loans"): a "before"/"until" clause of a clause of need or obligation?"""
    for t in chain[:3]:
        if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("before", "until") for c in t.children):
            head = t.head
            return head.lemma_.lower() in NEED_WORDS or any(
                c.lower_ in ("must", "should") or c.lemma_.lower() in NEED_WORDS for c in head.children)
    return False


NEED_WORDS = {"need", "require", "necessary", "needed", "required", "essential", "prerequisite", "condition"}


def _aim(t: Token) -> bool:
    """Is ``t`` the verb of an explicit purpose clause ("in order to X", "so as to X")?"""
    if not infinitive(t):
        return False
    if t.dep_ == "acl" and t.head.lower_ == "order" and t.head.head.lower_ == "in":
        return True
    return t.dep_ == "advcl" and {c.lower_ for c in t.children if c.dep_ == "mark"} >= {"so", "as"}


#: Nouns that make what their "of" phrase names a topic: "not to lose sight of the occupation of Crimea".
TOPIC_NOUNS = {"sight", "issue", "question", "matter", "subject", "topic", "problem", "fact", "reality", "memory",
               "history", "legacy", "lesson", "lessons", "consequence", "consequences", "cost", "costs"}


def appealed(tok: Token) -> bool:
    """Is the trigger the thing someone urges, asks, demands or threatens, rather than an act? An act
    that is only the topic of what is asked ("begged lawmakers not to lose sight of the occupation") is not."""
    if tok.pos_ in ("NOUN", "PROPN"):
        h = tok
        while h.dep_ == "conj" and h.head.i != h.i:
            h = h.head
        if h.dep_ == "pobj" and h.head.lower_ in ("of", "about") and h.head.head.lemma_.lower() in TOPIC_NOUNS:
            return False
    for t in governors(tok):
        if t.lemma_.lower() in APPEAL_GOVERNORS | ALLEGATION_GOVERNORS:
            return True
        if t.lemma_.lower() in FINDING_PARTICIPLES and t.tag_ == "VBN" and (
                t.dep_ == "acl" or any(c.dep_ == "auxpass" for c in t.children)):
            return True  # "companies found to be assisting Syria", "is believed to have supplied": a charge
        if t.lemma_.lower() in ("look", "count") and any(c.dep_ == "prep" and c.lower_ in ("to", "on", "upon")
                                                         for c in t.children):
            return True  # "we look to China to lift the sanctions": what China is looked to for is not done
        if t.lemma_.lower() == "tell" and any(c.dep_ == "xcomp" for c in t.children) and \
                any(c.dep_ in ("dobj", "dative") for c in t.children):
            return True  # "told Japan to open its market": what Japan is told to do is not done
        if t.lemma_.lower() in SPEECH_VERBS:
            return False
    return False
