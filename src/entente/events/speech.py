"""Speech acts: what a statement does, read from what it says.

A reporting verb ("said", "told reporters", "added") whose complement

1. obliges another actor ("X said Y must withdraw", "Y needs to do more") is a demand (10)
   or an appeal (02) to that actor;
2. judges another actor or its act harshly ("Y's reckless action is a grave threat", "the
   sanctions are illegal") is a disapproval (111); one that charges it with wrongdoing ("Y
   violated our airspace") is an accusation (112);
3. threatens on a condition about another actor ("we will respond strongly if Y continues",
   "Y will face consequences") is a threat (130);
4. refuses ("we will never accept Y's terms") is a rejection (120);
5. tells of another actor's hostile act against the speaker ("X said Y shelled its villages")
   is, first of all, an accusation (112).

Verbs of calling and describing ("called the vote illegitimate", "described the deal as a
sell-out") judge their object in the same way. The statement is dated and qualified like its
reporting verb; the words are in ``data/speech.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from spacy.tokens import Span, Token

from ..errors import DataFileError
from ..model import Actor, RawEvent
from ..nlp import doc_text, sent_of, sentences
from .arguments import Context, actors_at, dedupe, named_last, referent_actors, subject
from .modality import modality

#: Roots of reported acts that, told by their victim, accuse their actor (force, coercion, assault, fighting).
HOSTILE_ROOTS = {"15", "16", "17", "18", "19", "20"}
FUTURE_MODALS = {"will", "would", "'ll", "shall", "wo"}
#: Verbs of knowing: "Y should know/understand that ..." warns rather than asks Y to act.
COGNITIVE_VERBS = {"know", "understand", "realise", "realize", "remember", "recognise", "recognize", "note",
                   "be", "bear", "learn", "see"}
#: Subjects that report without being actors: a law or a study "says" what it contains.
DOCUMENT_NOUNS = {"act", "law", "bill", "rule", "regulation", "constitution", "treaty", "charter", "report",
                  "study", "survey", "poll", "data", "figure", "document", "text", "draft", "code", "article"}
CONDITION_MARKS = {"if", "unless"}


@dataclass(frozen=True, slots=True)
class SpeechLexicon:
    reporting: frozenset[str]
    obligation: tuple[tuple[frozenset[str], str], ...]  # (words, code), demand first
    negative: frozenset[str]
    accusing: frozenset[str]
    describing: frozenset[str]
    refusing: frozenset[str]
    responding: frozenset[str]
    consequences: frozenset[str]


def _words(raw: dict, key: str) -> frozenset[str]:
    value = raw.get(key)
    if not isinstance(value, list) or not value:
        raise DataFileError(f"speech.yaml: {key!r} must be a non-empty list")
    return frozenset(str(w).lower() for w in value)


@cache
def lexicon() -> SpeechLexicon:
    """The words of ``data/speech.yaml``."""
    raw = yaml.safe_load(resources.files("entente.data").joinpath("speech.yaml").read_text("utf-8")) or {}
    obligation = tuple((frozenset(str(w).lower() for w in spec["words"]), str(spec["code"]))
                       for spec in (raw.get("obligation") or {}).values())
    return SpeechLexicon(
        reporting=_words(raw, "reporting"), obligation=obligation, negative=_words(raw, "negative"),
        accusing=_words(raw, "accusing"), describing=_words(raw, "describing"), refusing=_words(raw, "refusing"),
        responding=_words(raw, "responding"), consequences=_words(raw, "consequences"))


def speech_events(ctx: Context, sent: Span, found: list[RawEvent]) -> list[RawEvent]:
    """The events that the statements of one sentence are, beside those its patterns coded."""
    lex = lexicon()
    out: list[RawEvent] = []
    reported = False
    for verb in sent:
        if verb.pos_ != "VERB":
            continue
        lemma = verb.lemma_.lower()
        if lemma in lex.reporting:
            reported = True
            for content in _contents(verb):
                out += _statement(ctx, sent, verb, content, found, lex)
        elif lemma in lex.describing:
            out += _description(ctx, sent, verb, lex)
    if not reported and (attribution := _attribution(ctx, sent, lex)) is not None:
        out += _statement(ctx, sent, attribution, sent.root, found, lex)  # a quotation told in the next sentence
    return _new(out, found)


#: A quotation sentence is attributed by a reporting verb at most this many sentences away.
QUOTE_REACH = 1


def _attribution(ctx: Context, sent: Span, lex: SpeechLexicon) -> Token | None:
    """The reporting verb of a sentence that is all quotation ('"We will respond." "…," he said.'): the
    one of the next sentence, or of the previous one when that ends by opening the quotation."""
    if not sent.text.lstrip().startswith('"') or sent.root.pos_ not in ("VERB", "AUX"):
        return None
    spans, index = sentences(ctx.doc)
    n = index[sent.start]
    text = doc_text(ctx.doc)
    for k in (n + 1, n - 1):
        if not 0 <= k < len(spans) or "\n" in text[min(spans[k].start_char, sent.start_char): max(spans[k].end_char, sent.end_char)][1:-1]:
            continue
        other = spans[k]
        if k < n and not other.text.rstrip().endswith((":", '"', ',"')):
            continue
        verb = next((t for t in other if t.pos_ == "VERB" and t.lemma_.lower() in lex.reporting
                     and any(c.dep_ == "nsubj" for c in t.children)), None)
        if verb is not None:
            return verb
    return None


def _contents(verb: Token) -> list[Token]:
    """What a reporting verb reports: its clause complement, or the quotation it is attached to
    ('"…," the minister said', parsed with the quotation as the head)."""
    own = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.pos_ in ("VERB", "AUX")]
    if own:
        return own
    if verb.dep_ in ("parataxis", "ccomp") and verb.head.pos_ in ("VERB", "AUX") and verb.head.i < verb.i:
        return [verb.head]
    return []


def _statement(ctx: Context, sent: Span, verb: Token, content: Token, found: list[RawEvent],
               lex: SpeechLexicon) -> list[RawEvent]:
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return []  # "it was said", "he was quoted as saying"
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is not None and subj.lemma_.lower() in DOCUMENT_NOUNS:
        return []
    speakers = [a for a in subject(ctx, verb) if a.key]
    mod, _ = modality(verb)
    if not speakers or mod in ("negated", "hypothetical"):
        return []
    keys = {a.key for a in speakers}
    events: list[tuple[list[Actor], str, str]] = []  # (targets, code, rule)
    clauses = [content, *[c for c in content.conjuncts if c.pos_ in ("VERB", "AUX")]]
    for clause in clauses:
        events += _obligations(ctx, clause, keys, lex)
        events += _judgements(ctx, clause, keys, lex)
        events += _threats(ctx, clause, keys, lex)
        events += _refusals(ctx, clause, keys, lex)
    events += _accusations(content, found, keys)
    return [_event(ctx, sent, verb, s, t, code, rule, mod)
            for targets, code, rule in events for s in speakers for t in targets if t.key not in keys]


def _others(actors: Iterable[Actor], keys: set[str | None]) -> list[Actor]:
    return dedupe([a for a in actors if a.key and a.key not in keys])


def _subject_actors(ctx: Context, clause: Token, keys: set[str | None]) -> list[Actor]:
    """The actors a clause is about: its subject's, or the actor of the earlier act its subject
    refers back to ("the sanctions are illegal")."""
    subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")), None)
    if subj is None:
        return []
    if subj.dep_ == "csubj" or subj.lower_ == "what":  # "what they did to us is …": the doers
        subj = next((c for c in subj.subtree if c.dep_ == "nsubj" and c.i != subj.i), subj)
    return _others(actors_at(ctx, subj), keys) or _others(referent_actors(ctx, subj, keys), keys) or \
        _quoted_other(ctx, subj, keys)


#: Pronouns a speaker uses for another party ("they have to help us", "what they did to us").
OTHER_PRONOUNS = {"they", "them"}
#: How many sentences back the party a quoted "they" stands for may have been named.
QUOTED_PRONOUN_WINDOW = 2


def _quoted_other(ctx: Context, pron: Token, keys: set[str | None]) -> list[Actor]:
    """A speaker's "they": not the speaker (who says "we") but, when the speaker is one of the story's
    pair of states, the other ("Mr. Trump said that 'they have to help us'" in a story on the US and
    China); else the state or organisation named last before it that is not the speaker's own."""
    if pron.lower_ not in OTHER_PRONOUNS or not _quoted(pron):
        return []  # "the ambassadors said they opposed …": in reported speech, "they" are the speakers
    dyad = {d.key for d in ctx.da.dyad}
    if len(dyad) == 2 and keys & dyad:  # one of the story's pair speaks of the other
        return [d for d in ctx.da.dyad if d.key not in keys]
    found = named_last(ctx, pron, QUOTED_PRONOUN_WINDOW, lambda _t, a: bool(a.key) and a.key not in keys
                       and not a.person and not a.matched_by.endswith("location"))
    return [found] if found is not None else []


OPENING_QUOTES = {"“", "‘"}
CLOSING_QUOTES = {"”", "’"}


def _quoted(tok: Token) -> bool:
    """Is a word inside a quotation opened in its sentence ('"they have to help us"')?"""
    inside = False
    for t in tok.doc[sent_of(tok).start : tok.i]:  # the sentence from the index: Token.sent scans the doc
        if t.text in OPENING_QUOTES or (t.text == '"' and not inside):
            inside = True
        elif t.text in CLOSING_QUOTES or t.text == '"':
            inside = False
    return inside


def _obligations(ctx: Context, clause: Token, keys: set[str | None], lex: SpeechLexicon) -> list[tuple[list[Actor], str, str]]:
    """"Y must withdraw", "Y has to help", "Y needs to do more", "Y should stop"."""
    words = {c.lower_ for c in clause.children if c.dep_ == "aux"}
    if clause.lemma_.lower() in ("have", "need") and any(c.dep_ == "xcomp" for c in clause.children):
        words.add(f"{clause.lower_} to")
    if any(c.dep_ == "neg" for c in clause.children):
        return []  # "Y must not ..." forbids: a demand too, but the code would be wrong; left out
    if clause.lemma_.lower() in COGNITIVE_VERBS:
        return []  # "the U.S. should know that ...": a warning, not a call to act
    for group, code in lex.obligation:
        if words & group:
            subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            targets = _others(subject(ctx, clause), keys) or (_quoted_other(ctx, subj, keys) if subj is not None else [])
            return [(targets, code, "speech.obligation:subj>comp_subj")] if targets else []
    return []


def _negative_words(tokens: Iterable[Token], lex: SpeechLexicon) -> list[Token]:
    return [t for t in tokens if t.lemma_.lower() in lex.negative or t.lower_ in lex.negative]


def _judgements(ctx: Context, clause: Token, keys: set[str | None], lex: SpeechLexicon) -> list[tuple[list[Actor], str, str]]:
    """"Y's reckless action is a grave threat", "the sanctions are illegal", "Y violated our airspace"."""
    if any(c.dep_ == "neg" for c in clause.children):
        return []
    targets = _subject_actors(ctx, clause, keys)
    if not targets:
        return []
    if clause.lemma_.lower() in lex.accusing:
        return [(targets, "112", "speech.accusation:subj>comp_subj")]
    own = [t for t in clause.subtree if not _inside_clause(t, clause)]
    if _negative_words(own, lex):
        return [(targets, "111", "speech.judgement:subj>comp_subj")]
    return []


def _inside_clause(tok: Token, top: Token) -> bool:
    """Is a token inside a clause nested under ``top`` (not ``top``'s own words)?"""
    h = tok
    while h.i != top.i:
        if h.dep_ in ("ccomp", "advcl", "relcl", "acl", "xcomp") and h.pos_ in ("VERB", "AUX"):
            return True
        if h.head.i == h.i:
            return True
        h = h.head
    return False


#: What a promised response answers when it threatens ("will respond to the US tariffs").
HOSTILE_ACTS = {"tariff", "sanction", "attack", "strike", "aggression", "provocation", "threat", "duty", "levy",
                "ban", "escalation", "incursion", "invasion", "embargo", "blockade", "restriction", "measure"}


def _threats(ctx: Context, clause: Token, keys: set[str | None], lex: SpeechLexicon) -> list[tuple[list[Actor], str, str]]:
    """"We will respond strongly if Y continues", "Y will face consequences (if ...)"."""
    future = {c.lower_ for c in clause.children if c.dep_ == "aux"} & FUTURE_MODALS
    if not future or any(c.dep_ == "neg" for c in clause.children):
        return []
    lemma = clause.lemma_.lower()
    condition = next((c for c in clause.children if c.dep_ == "advcl" and
                      any(m.lower_ in CONDITION_MARKS for m in c.children if m.dep_ == "mark")), None)
    objects = {g.lemma_.lower() for c in clause.children if c.dep_ in ("dobj", "prep") for g in c.subtree}
    if lemma in ("face", "pay", "suffer", "meet") and objects & lex.consequences:
        targets = _subject_actors(ctx, clause, keys)
        if targets:
            return [(targets, "130", "speech.threat:comp_subj")]
    if condition is not None and (lemma in lex.responding or f"{lemma} {_object_word(clause)}" in lex.responding):
        targets = _others(subject(ctx, condition), keys)
        if targets:
            return [(targets, "130", "speech.threat:condition_subj")]
    if lemma in lex.responding:
        # "her government would respond to the U.S. tariffs": a reply promised to another's hostile act
        for c in clause.children:
            if c.dep_ == "prep" and c.lower_ in ("to", "against"):
                acts = [g for g in c.children if g.dep_ == "pobj" and g.lemma_.lower() in HOSTILE_ACTS]
                targets = _others([a for g in acts for t in g.subtree for a in ctx.da.get(t.i) if a.key][:1], keys)
                if targets:
                    return [(targets, "130", "speech.threat:prep:to")]
    return []


def _object_word(clause: Token) -> str:
    obj = next((c for c in clause.children if c.dep_ == "dobj"), None)
    return obj.lemma_.lower() if obj is not None else ""


def _refusals(ctx: Context, clause: Token, keys: set[str | None], lex: SpeechLexicon) -> list[tuple[list[Actor], str, str]]:
    """"We will never accept Y's demands", "it will not recognise Y"."""
    negated = any(c.dep_ == "neg" or c.lower_ == "never" for c in clause.children)
    if not negated or clause.lemma_.lower() not in lex.refusing:
        return []
    if not {c.lower_ for c in clause.children if c.dep_ == "aux"} & (FUTURE_MODALS | {"can", "could", "ca"}):
        return []
    targets: list[Actor] = []
    for obj in (c for c in clause.children if c.dep_ in ("dobj", "prep")):
        targets += [a for t in obj.subtree for a in ctx.da.get(t.i)]
        targets += referent_actors(ctx, obj, keys) if obj.dep_ == "dobj" else []
    targets = _others(targets, keys)
    return [(targets, "120", "speech.refusal:obj+")] if targets else []


def _accusations(content: Token, found: list[RawEvent], keys: set[str | None]) -> list[tuple[list[Actor], str, str]]:
    """"X said Y shelled its villages": a hostile act told by its victim accuses its actor."""
    inside = {t.i for t in content.subtree}
    out: list[tuple[list[Actor], str, str]] = []
    for e in found:
        if e.trigger not in inside or e.modality != "asserted" or e.code[:2] not in HOSTILE_ROOTS:
            continue
        if e.source.key in keys or e.target is None or e.target.key not in keys:
            continue
        out.append(([e.source], "112", "speech.accusation:reported>source"))
    return out


def _description(ctx: Context, sent: Span, verb: Token, lex: SpeechLexicon) -> list[RawEvent]:
    """"called the vote illegitimate", "described the deal as a sell-out": a harsh name disapproves."""
    if any(c.dep_ in ("prt", "prep") and c.lower_ in ("on", "for", "off", "up", "in") for c in verb.children
           if c.dep_ == "prt" or c.i == verb.i + 1):
        return []  # "called on", "called for", "called off"
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
    if obj is None:
        return []
    naming = [c for c in verb.children if c.dep_ in ("oprd", "xcomp", "ccomp", "attr") or
              (c.dep_ == "prep" and c.lower_ == "as")]
    naming += [c for c in obj.children if c.dep_ in ("appos", "oprd") or (c.dep_ == "prep" and c.lower_ == "as")]
    if not any(_negative_words(c.subtree, lex) for c in naming):
        return []
    speakers = [a for a in subject(ctx, verb) if a.key]
    mod, _ = modality(verb)
    if not speakers or mod in ("negated", "hypothetical"):
        return []
    keys = {a.key for a in speakers}
    targets = _others(actors_at(ctx, obj), keys) or _others(referent_actors(ctx, obj, keys), keys)
    return [_event(ctx, sent, verb, s, t, "111", "speech.description:subj>obj", mod) for s in speakers for t in targets]


def _event(ctx: Context, sent: Span, verb: Token, source: Actor, target: Actor, code: str, rule: str,
           mod: str) -> RawEvent:
    doc = ctx.doc
    s0, s1 = doc[sent.start].idx, doc[sent.end - 1].idx + len(doc[sent.end - 1].text)
    return RawEvent(source, target, code, mod, rule.split(":")[0], rule, verb.i, s0, s1, False)


def _new(events: list[RawEvent], found: list[RawEvent]) -> list[RawEvent]:
    """Drop speech events that repeat an event the patterns already coded in the sentence."""
    seen = {(e.source.key, e.target.key if e.target else None, e.code[:2]) for e in found}
    out = []
    for e in events:
        k = (e.source.key, e.target.key if e.target else None, e.code[:2])
        if k not in seen:
            seen.add(k)
            out.append(e)
    return out
