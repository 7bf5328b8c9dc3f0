"""Actors: find and resolve every actor mention in a parsed document.

1. Gazetteer: country names, adjectives, capitals, cities, IGOs and known people
   are matched from the knowledge base's forms (``matching.FormMatcher``).
2. Roles: a matched country that modifies a role noun ("Indian troops",
   "Kazakhstan's Defence Minister") takes that noun's sector.
3. Learned actors: a name bound by a title or apposition to a country
   ("General Nurlan Yermekbayev, the Defence Minister of Kazakhstan") is
   remembered; later mentions of the name or surname, and close spelling
   variants of it, resolve to the same actor.
4. References: "he"/"she", "the minister", "both countries", "the duo" resolve
   within the article by simple recency rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process
from spacy.tokens import Doc, Span, Token

from ..model import NON_STATE_SECTORS, Actor
from ..nlp import sent_of, sentences, with_pos
from ..nlp import words as token_texts
from .kb import KB, Entry, Person
from .matching import FormMatcher

#: Two names are spelling variants at or above this similarity (rapidfuzz ratio):
#: Yermekbayev/Yermekbayeva scores 95, Kassym-Zhomart/Kassym-Jomart 96.
NAME_VARIANT_RATIO = 88
#: Prefix that two variant surnames must share, so unrelated names never merge.
VARIANT_PREFIX = 4
#: How far back (in sentences) "he"/"she"/"the minister" may look.
PRONOUN_WINDOW = 3
LOCATIVE_PREPS = {"in", "at", "to", "from", "into", "near", "across", "through", "inside", "outside", "towards", "toward"}
HOST_PREPS = {"to", "in", "at"}  # "Ambassador of X to Y": Y is the host, not the principal
PERSON_PRONOUNS = {"he", "she", "him", "her", "his"}
TITLE_HEADS = {"minister", "president", "premier", "ambassador", "chancellor", "secretary", "envoy", "king", "prime", "general",
               "counterpart", "leader", "spokesperson", "spokesman", "spokeswoman", "official", "diplomat",
               "representative", "negotiator", "undersecretary", "commander", "chief", "head", "officer"}


@dataclass
class DocActors:
    """Actors found in one document: per token, per learned name, and the dyad."""

    by_token: dict[int, tuple[Actor, ...]] = field(default_factory=dict)
    spans: list[tuple[int, int, tuple[Actor, ...]]] = field(default_factory=list)
    learned: dict[str, Actor] = field(default_factory=dict)  # name → actor
    learned_evidence: dict[str, str] = field(default_factory=dict)
    dyad: tuple[Actor, ...] = ()
    names: list[Span] = field(default_factory=list)  # person-name spans (see person_names)
    name_at: dict[int, Span] = field(default_factory=dict)

    def get(self, i: int) -> tuple[Actor, ...]:
        return self.by_token.get(i, ())

    def set_span(self, start: int, end: int, actors: tuple[Actor, ...]) -> None:
        self.spans.append((start, end, actors))
        for i in range(start, end):
            self.by_token[i] = actors

    def named_last(self, doc: Doc, i: int, window: int, keep: Callable[[Token, Actor], bool]) -> Actor | None:
        """The actor named last before token ``i``, in its sentence or at most ``window`` sentences
        back, that ``keep`` accepts (given the word it is named at)."""
        spans, index = sentences(doc)
        first = spans[max(0, index[i] - window)].start
        for k in range(i - 1, first - 1, -1):
            found = [a for a in self.get(k) if keep(doc[k], a)]
            if found:
                return found[0]
        return None


_MATCHERS: dict[tuple[int, int], tuple[FormMatcher, FormMatcher]] = {}


def matchers(kb: KB, nlp) -> tuple[FormMatcher, FormMatcher]:
    """Case-insensitive and exact-case matchers over every surface form."""
    key = (id(kb), id(nlp.vocab))
    if key not in _MATCHERS:
        lower_forms = [f for f in kb.forms if f not in kb.case_sensitive]
        lower = FormMatcher(nlp, (kb.written.get(f, f) for f in lower_forms), "LOWER")
        exact = FormMatcher(nlp, kb.case_sensitive, "ORTH")
        _MATCHERS[key] = (lower, exact)
    return _MATCHERS[key]


def find_actors(doc: Doc, kb: KB, nlp, date: str | None = None, home: str | None = None) -> DocActors:
    """Resolve the actor mentions of a parsed document; see the module docstring. ``home`` is the
    country of the story's dateline, whose government an office named without a country is."""
    out = DocActors()
    lower, exact = matchers(kb, nlp)
    raw = lower(doc) + exact(doc)
    # 1. longest non-overlapping gazetteer spans
    taken: set[int] = set()
    for s, e in sorted(raw, key=lambda se: (-(se[1] - se[0]), se[0])):
        if taken.intersection(range(s, e)):
            continue
        span = doc[s:e]
        entries = kb.lookup(span.text)
        if not entries or not _plausible(span, entries, kb):
            continue
        actor = _resolve_span(span, entries, kb, date)
        if actor is None:
            continue
        if actor.country and not actor.person and (then := kb.at_date(actor.country, date)) != actor.country:
            actor = replace(actor, country=then, name=kb.country_name(then))  # "Moscow" in 1987: the Soviet Union
        taken.update(range(s, e))
        out.set_span(s, e, (actor,))
    _fuzzy_places(doc, kb, out, taken)
    _un_organs(doc, kb, out)
    # 2. roles: extend a country mention over the role noun it modifies
    for s, e, actors in list(out.spans):
        _attach_role(doc, s, e, actors[0], kb, out)
    out.names = person_names(doc, kb, out)
    out.name_at = {i: span for span in out.names for i in range(span.start, span.end)}
    # 3. learned actors and their later mentions
    _learn_names(doc, kb, out, home)
    _resolve_names(doc, kb, out, date)
    _reuse_names(doc, out)
    _reuse_organisation_heads(doc, out)
    # 4. references
    _resolve_halves(doc, out)
    out.dyad = _main_dyad(out, doc)
    _resolve_references(doc, kb, out)
    _resolve_titles(doc, kb, out, date, home)
    _resolve_organisation_nouns(doc, kb, out)
    return out


#: Nouns after a country adjective that name a place or thing, not the state ("the Indian Ocean").
NOT_ACTOR_HEADS = {"ocean", "sea", "gulf", "subcontinent", "peninsula", "fries", "cuisine", "food", "restaurant",
                   "language", "toast", "dressing", "sprouts", "cheese", "wine", "tea", "rupee", "dollar", "yen",
                   "plateau", "desert", "basin", "mountains", "steppe", "archipelago", "strait"}


#: A misspelt state, adjective, capital or organisation ("Phillipines", "Tadjikistan") matches its form at or
#: above this rapidfuzz ratio; below it, near-namesakes (Austria/Australia score 87) stay apart.
FUZZY_RATIO = 90
#: Only words this long are tried: short ones are too close to each other to correct.
FUZZY_MIN_LENGTH = 6
FUZZY_KINDS = ("name", "adjective", "demonym", "capital", "igo")
_FUZZY_INDEX: dict[int, dict[str, list[str]]] = {}


def _fuzzy_index(kb: KB) -> dict[str, list[str]]:
    """Single-word state, adjective, capital and IGO forms by their first two letters (built once per KB)."""
    if id(kb) not in _FUZZY_INDEX:
        index: dict[str, list[str]] = {}
        for form, entries in kb.forms.items():
            if " " not in form and len(form) >= FUZZY_MIN_LENGTH and any(e.kind in FUZZY_KINDS for e in entries):
                index.setdefault(form[:2], []).append(form)
        _FUZZY_INDEX[id(kb)] = index
    return _FUZZY_INDEX[id(kb)]


def _fuzzy_places(doc: Doc, kb: KB, out: DocActors, taken: set[int]) -> None:
    """Misspellings and transliterations of states and organisations ("the Phillipines", "Tadjikistan"):
    an unknown capitalised word close enough to one known form takes its meaning."""
    index = _fuzzy_index(kb)
    for i, text in enumerate(token_texts(doc)):
        if i in taken or len(text) < FUZZY_MIN_LENGTH or not text[0].isupper() or not text.isalpha():  # is_alpha
            continue
        tok = doc[i]
        if tok.pos_ not in ("PROPN", "ADJ", "NOUN") or kb.lookup(tok.text):
            continue
        low = tok.lower_
        best = process.extractOne(low, index.get(low[:2], ()), scorer=fuzz.ratio, score_cutoff=FUZZY_RATIO)
        if best is None:
            continue
        entries = kb.lookup(best[0])
        actor = _resolve_span(doc[tok.i : tok.i + 1], entries, kb, None) if entries else None
        if actor is not None and not actor.person:
            taken.add(tok.i)
            out.set_span(tok.i, tok.i + 1, (replace(actor, matched_by=actor.matched_by + "-fuzzy"),))


#: Capitalised words of time, which never start a person's name ("on Sunday Iran seized ...").
TIME_NAMES = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april may "
                       "june july august september october november december".split())


def _plausible(span: Span, entries: list[Entry], kb: KB | None = None) -> bool:
    """Reject gazetteer hits that are ordinary words here ("us", "Chad" as a name…)."""
    if span.text.islower() and all(e.kind in ("name", "capital", "city", "region", "person", "igo") for e in entries):
        return False  # proper names are capitalised in news copy
    kinds = {e.kind for e in entries}
    if kinds & {"name", "capital", "city", "region"} and not kinds & {"person", "igo"}:
        doc = span.doc
        before = doc[span.start - 1] if span.start else None
        after = doc[span.end] if span.end < len(doc) else None
        # "Michael Jordan", "Israel Adesanya": a place name inside a person's name
        if before is not None and before.pos_ == "PROPN" and before.text.istitle() and before.is_alpha \
                and before.lower_ not in TITLE_WORDS and before.lower_ not in TIME_NAMES:  # "on Sunday Iran seized"
            if after is None or not after.text.istitle():
                return False
        # "Israel Adesanya": a first name that is a state, followed by an unknown surname
        if after is not None and after.pos_ == "PROPN" and after.text.istitle() and after.is_alpha and kb is not None \
                and after.lower_ not in TITLE_WORDS and after.lower_ not in kb.sector_nouns \
                and after.lower_ not in kb.sector_titles and not kb.lookup(after.text) and len(span) == 1 \
                and (after.i + 1 >= len(doc) or not doc[after.i + 1].text.istitle()):
            return False
    if span.end < len(span.doc) and span.doc[span.end].lower_ in NOT_ACTOR_HEADS:
        return False
    if kinds & {"name", "capital", "city", "region", "adjective"} and _in_law_name(span):
        return False
    return True


#: Capitalised heads of the names of laws and programmes: a state named inside one is not an actor
#: ("the Hong Kong Human Rights and Democracy Act would impose sanctions": a US law).
LAW_HEADS = {"Act", "Bill", "Law"}


def _in_law_name(span: Span) -> bool:
    """Is ``span`` a modifier inside a capitalised name that ends in "Act", "Bill" or "Law"?"""
    doc = span.doc
    i = span.end
    while i < len(doc) and i - span.end < 8 and (doc[i].text.istitle() or doc[i].lower_ in ("and", "of", "for", "-")):
        if doc[i].text in LAW_HEADS:
            return True
        i += 1
    return False


def _resolve_span(span: Span, entries: list[Entry], kb: KB, date: str | None) -> Actor | None:
    kinds = {e.kind for e in entries}
    e = entries[0]
    if "person" in kinds:
        e = next(x for x in entries if x.kind == "person")
        return person_actor(kb, e.person or span.text, span.text, date, "kb-person")
    if e.kind == "institution":
        return Actor(text=span.text, name=e.name, country=e.country, sector=e.sector, matched_by="institution")
    if e.kind == "organisation":
        if span.text.islower():
            return None  # "the party congress", "a fed-up voter": proper names are capitalised
        doc = span.doc
        before = doc[span.start - 1].text if span.start else ""
        after = doc[span.end].text if span.end < len(doc) else ""
        if e.sector == "MED" and ((before, after) == ("(", ")") or "/" in (before, after)):
            return None  # a credit, "SEOUL (Reuters) -", "Issei Kato / Reuters": the agency is no actor
        sector = e.earlier[1] if e.earlier and date and date < e.earlier[0][: len(date)] else e.sector
        return Actor(text=span.text, name=e.name, country=e.country, sector=sector, matched_by="organisation")
    if e.kind == "igo":
        return Actor(text=span.text, name=e.name, igo=e.igo, parent=kb.igo_root(e.igo), matched_by="igo")
    if e.kind in ("capital", "city", "region"):  # a region is a place, like a city
        root = span.root
        locative = root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPS
        if e.kind in ("city", "region") or locative:
            return Actor(text=span.text, name=e.name, country=e.country, matched_by=f"{e.kind}-location")
        return Actor(text=span.text, name=e.name, country=e.country, sector="GOV", matched_by="capital-government")
    if e.kind == "name" and _after_its_place(span, e.country, kb):
        return Actor(text=span.text, name=e.name, country=e.country, matched_by="name-location")
    return Actor(text=span.text, name=e.name, country=e.country, matched_by=e.kind)


#: Organs of the UN that news names without "UN" ("the Security Council voted"), and the knowledge
#: base's name for each.
UN_ORGANS = {("Security", "Council"): "UN Security Council", ("General", "Assembly"): "UN General Assembly"}


def _un_organs(doc: Doc, kb: KB, out: DocActors) -> None:
    """ "The Security Council" and "the General Assembly" with nothing before them that names another
    body ("Russia's Security Council", "the National Security Council") are the UN's."""
    texts = token_texts(doc)  # read from the array: no Token made per word of every document
    for k in range(1, len(texts) - 1):
        name = UN_ORGANS.get((texts[k], texts[k + 1]))
        if name is None or out.get(k) or out.get(k + 1) or texts[k - 1].lower() != "the":
            continue
        entries = kb.lookup(name)
        if entries:
            actor = _resolve_span(doc[k : k + 2], entries, kb, None)
            if actor is not None:
                out.set_span(k, k + 2, (replace(actor, text=doc[k : k + 2].text),))


#: How many words a place named before its country may have ("Rio de Janeiro, Brazil").
PLACE_WORDS = 3


def _after_its_place(span: Span, country: str | None, kb: KB) -> bool:
    """A country named after one of its own places, as an address ("in Reykjavik, Iceland"): where,
    not who."""
    doc = span.doc
    if span.start < 2 or doc[span.start - 1].text != "," or country is None:
        return False
    for n in range(1, PLACE_WORDS + 1):
        if span.start - 1 - n < 0:
            break
        words = doc[span.start - 1 - n : span.start - 1]
        if any(x.kind in ("capital", "city", "region") and x.country == country for x in kb.lookup(words.text)):
            return True
    return False


#: How sure a resolution is, by the rule that made it (the first word of ``matched_by``): a name or
#: title in the knowledge base is near certain; a reference read from context much less so.
CONFIDENCE = {
    "kb": 0.95, "name": 0.95, "igo": 0.95, "abbrev": 0.9, "organisation": 0.9, "institution": 0.9,
    "adjective": 0.9, "demonym": 0.9, "capital": 0.85, "city": 0.8, "region": 0.8, "learned": 0.8,
    "name-in-article": 0.8, "half": 0.75, "title": 0.65, "group": 0.6, "definite": 0.6, "plural": 0.6, "pronoun": 0.55,
    "dyad": 0.5,
}
#: A misspelling corrected by fuzzy matching is less sure than the form it matched.
FUZZY_CONFIDENCE_FACTOR = 0.85


def confidence(a: Actor) -> float:
    """How sure the resolution of an actor is, 0 to 1 (see ``CONFIDENCE``)."""
    how = a.matched_by
    first = next((k for k in sorted(CONFIDENCE, key=len, reverse=True) if how.startswith(k)), None)
    score = CONFIDENCE.get(first or "", 0.5)
    return round(score * (FUZZY_CONFIDENCE_FACTOR if "-fuzzy" in how else 1.0), 2)


def person_actor(kb: KB, person: str, text: str, date: str | None, how: str) -> Actor:
    """A known person resolved at ``date``: their country and sector then (ELI if former)."""
    p = kb.people.get(person)
    if p is None:
        return Actor(text=text, name=person, matched_by=how)
    role, former = p.role_at(date)
    country = role.country if role else p.country
    igo = role.igo if role else p.igo
    sector = "ELI" if former else (role.sector if role else None)
    return Actor(text=text, name=p.name, country=country, igo=igo, sector=sector,
                 matched_by=how + ("-former" if former else ""), person=p.name,
                 parent=kb.igo_root(igo) if igo and not country else None)  # the High Commissioner acts for the UN


def _phrase_sector(doc: Doc, head: Token, kb: KB) -> str | None:
    """The sector signalled by a role noun and its compounds ("Defence Minister" → MIL,
    "Ministry of Defence" → MIL, "security forces" → COP, "a former minister" → ELI)."""
    if any(c.lower_.rstrip("-") in kb.former_markers or c.lower_ in ("ex", "ex-") for c in head.lefts):
        return "ELI"
    if (of := _child(head, "prep", "of")) is not None:  # "Minister of Defence", "Ministry of Foreign Affairs"
        obj = _child(of, "pobj")
        if obj is not None:
            tail = " ".join(t.lower_ for t in obj.subtree if t.dep_ != "prep" and t.i <= obj.i)
            for phrase in (f"{head.lower_} of {tail}", f"{head.lemma_.lower()} of {tail}",
                           f"{head.lemma_.lower()} of {obj.lower_}"):
                if (sector := kb.title_sector(phrase)) is not None:
                    return sector
    words = [t for t in head.lefts if t.dep_ in ("compound", "amod") and t.pos_ in ("NOUN", "PROPN", "ADJ")] + [head]
    for k in range(len(words) - 1):
        phrase = " ".join(w.lower_ for w in words[k:])  # surface form first: "security forces"
        if (sector := kb.title_sector(phrase)) is not None:
            return sector
    for k in range(len(words) - 1):
        phrase = " ".join(w.lemma_.lower() if w is head else w.lower_ for w in words[k:])
        if (sector := kb.title_sector(phrase)) is not None:
            return sector
    own = kb.title_sector(head.lower_) or kb.title_sector(head.lemma_.lower())
    if own in ("MIL", "COP"):  # "Syrian opposition forces", "rebel fighters": the forces are the opposition's
        for w in words[:-1]:
            before = doc[w.i - 1].lower_ if w.i else ""
            if before in ("-", "anti", "counter"):
                continue  # "anti-terrorist units" fight them
            if (sector := kb.title_sector(w.lower_) or kb.title_sector(w.lemma_.lower())) in NON_STATE_SECTORS:
                return sector
    return own


def _attach_role(doc: Doc, s: int, e: int, actor: Actor, kb: KB, out: DocActors) -> None:
    if actor.country is None and actor.igo is None:
        return
    if actor.matched_by.startswith("organisation"):
        return  # "Hamas officials", "Gazprom executives": the organisation's own sector stands
    root = doc[s:e].root
    head = root.head
    # "the Minister of Defence of Kazakhstan", "the Embassy of India in Kazakhstan"
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ in ("NOUN", "PROPN"):
        holder = root.head.head
        sector = _phrase_sector(doc, holder, kb)
        if sector is not None and not any(a.person for a in out.get(holder.i)):
            # the sector goes on the country's own tokens: the holder noun may govern several
            # countries ("the foreign ministers of South Korea and Japan")
            new = replace(actor, text=doc[holder.left_edge.i if holder.left_edge.i >= holder.i - 3 else holder.i: e].text,
                          sector=sector, matched_by=actor.matched_by + "+role")
            out.set_span(s, e, (new,))
            if holder.i not in out.by_token and not root.conjuncts:
                out.by_token[holder.i] = (new,)  # "the president" of "the president of Ukraine" is Ukraine's
            return
    # "Indian troops", "Kazakhstan President", "India's Defence Minister", "Kazakh side"
    while root.dep_ in ("amod", "compound", "poss", "nmod") and head.pos_ in ("NOUN", "PROPN") and head.i != root.i:
        if head.i in out.by_token and out.by_token[head.i][0].person:
            return  # the head is a known person: they keep their own actor
        sector = _phrase_sector(doc, head, kb)
        if sector is None and head.dep_ in ("compound",) and head.head.pos_ in ("NOUN", "PROPN"):
            root, head = head, head.head
            continue
        if sector is None:
            return
        if root.dep_ != "poss" and any(out.get(t.i) and out.get(t.i)[0].country != actor.country
                                       for c in head.children if c.dep_ == "poss" for t in c.subtree):
            return  # "the United States' top North Korean official", "China's Korea envoy": the owner's
        new = replace(actor, text=doc[min(s, head.left_edge.i if head.left_edge.i >= s - 3 else s): head.i + 1].text,
                      sector=sector, matched_by=actor.matched_by + "+role")
        # "U.S. and South Korean forces": the role noun stands for every coordinated state
        group = (new, *(replace(a, sector=sector, matched_by=a.matched_by + "+role") for c in root.conjuncts
                        for a in out.get(c.i) if a.country and a.country != actor.country and not a.person))
        for i in range(min(s, head.i), head.i + 1):
            if i not in out.by_token or i >= s:
                out.by_token[i] = (new,) if i < head.i else group
        out.spans.append((s, head.i + 1, (new,)))
        return


def _child(tok: Token, dep: str, lower: str | None = None) -> Token | None:
    for c in tok.children:
        if c.dep_ == dep and (lower is None or c.lower_ == lower):
            return c
    return None


# -- learned actors ----------------------------------------------------------------

#: Words that make a run of proper nouns an organisation, place or event rather than a person.
NOT_NAME_WORDS = {
    "center", "centre", "ministry", "department", "council", "organization", "organisation", "agency",
    "force", "forces", "corps", "university", "bank", "company", "corporation", "party", "army", "navy",
    "committee", "commission", "office", "service", "group", "court", "assembly", "parliament", "union",
    "league", "exercise", "summit", "times", "news", "post", "airport", "airlines", "institute", "fund",
    "republic", "kingdom", "state", "states", "house", "palace", "square", "street", "day", "week", "month",
    "year", "sea", "ocean", "river", "valley", "mountains", "island", "islands", "province", "region",
    "district", "city", "block", "sector", "covid-19", "covid", "airways", "network", "media",
    "guard", "police", "agreement", "treaty", "accord", "conference", "forum", "games", "olympics", "cup",
    "programme", "program", "initiative", "corridor", "project", "operation", "mission", "strait",
    "gulf", "peninsula", "declaration", "charter", "convention", "statement", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may",
    "june", "july", "august", "september", "october", "november", "december",
}
TITLE_WORDS = {"mr", "mrs", "ms", "dr", "gen", "general", "lt", "lieutenant", "colonel", "col", "major", "maj",
               "captain", "capt", "admiral", "adm", "marshal", "sir", "dame", "lord", "lady", "sheikh", "prince",
               "princess", "king", "queen", "emir", "sultan", "president", "minister", "prime", "premier",
               "chancellor", "secretary", "ambassador", "envoy", "governor", "senator", "deputy", "vice", "chief",
               "chairman", "chairwoman", "chair", "speaker", "foreign", "defence", "defense", "interior", "home",
               "external", "affairs", "state", "smt", "shri", "pm", "mp", "h.e.", "excellency", "then", "former",
               "commander", "spokesman", "spokesperson", "director", "head", "leader", "first", "pope",
               "cardinal", "ayatollah", "crown", "aerospace", "industry", "and", "of", "justice", "finance"}


def person_names(doc: Doc, kb: KB, out: DocActors) -> list[Span]:
    """Person-name spans: runs of proper nouns, titles stripped, that are not places,
    organisations or dates ("Defence Minister Rajnath Singh" → "Rajnath Singh").

    A cheap stand-in for statistical NER, which costs about half of the spaCy pass.
    """
    spans: list[Span] = []
    i, n = 0, len(doc)
    propn = set(with_pos(doc, "PROPN"))
    while i < n:
        if i not in propn or not _name_token(doc[i]):  # a name token is a PROPN
            i += 1
            continue
        j = i
        while j < n and (_name_token(doc[j]) or (doc[j].text == "-" and j + 1 < n and _name_token(doc[j + 1])
                                                 and not doc[j].whitespace_)):
            j += 1
        run = [t for t in doc[i:j]]
        while run and (run[0].lower_.rstrip(".") in TITLE_WORDS or run[0].lower_ in kb.sector_titles
                       or run[0].text == "-" or any(a.person is None for a in out.get(run[0].i))
                       or run[0].lower_ in kb.sector_nouns):
            run = run[1:]  # "Kazakh Energy Minister Askar Beisenov" → "Askar Beisenov"
        words = {t.lower_ for t in run}
        if run and run[-1].tag_ == "NNPS" and len(run) == 1:
            run = []  # a plural is a group, not a person ("Tunisian Islamists", "the Democrats")
        if run and not (words & NOT_NAME_WORDS) and not any(
                a.person is None for t in run for a in out.get(t.i)) and any(t.text[:1].isupper() for t in run):
            spans.append(doc[run[0].i : run[-1].i + 1])
        i = max(j, i + 1)
    return spans


def _name_token(tok: Token) -> bool:
    return tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.is_alpha or (
        tok.pos_ == "PROPN" and "-" in tok.text and tok.text[:1].isupper())


def _name_spans(doc: Doc, out: DocActors) -> list[Span]:
    return out.names


def _context_tokens(doc: Doc, name: Span) -> tuple[list[Token], list[Token]]:
    left: list[Token] = []
    i = name.start - 1
    if i > 0 and doc[i].text == "," and name.end < len(doc) and doc[name.end].text in (",", "."):
        i -= 1  # "The Iranian Deputy Foreign Minister, Ali Rezaei, arrived": the title stands before
    while i >= 0 and len(left) < 10:
        t = doc[i]
        if t.is_punct and t.text not in ("'s", "’s", "-"):
            break
        if t.pos_ in ("VERB", "AUX", "SCONJ", "CCONJ") or t.lower_ in ("and", "with", "by"):
            break
        left.insert(0, t)
        i -= 1
    right: list[Token] = []
    if name.end < len(doc) and doc[name.end].text == ",":
        j = name.end + 1
        while j < len(doc) and len(right) < 16:
            t = doc[j]
            if t.text in (",", ".", ";", "(") or t.pos_ in ("VERB", "AUX"):
                break
            right.append(t)
            j += 1
    return left, right


def _title_in(tokens: list[Token], kb: KB) -> tuple[str | None, str | None]:
    words = [t.lower_ for t in tokens]
    lemmas = [t.lemma_.lower() for t in tokens]
    best: tuple[str | None, str | None] = (None, None)
    for n in range(5, 0, -1):
        for k in range(len(words) - n + 1):
            for seq in (words[k : k + n], lemmas[k : k + n]):
                phrase = " ".join(seq)
                if (sector := kb.sector_titles.get(phrase)) is not None:
                    return phrase, sector
    for t in tokens:
        if t.lemma_.lower() in TITLE_HEADS:
            best = (t.lemma_.lower(), "GOV")
    return best


#: Titles of those sent to a country: "special envoy to Ukraine Kurt Volker" is not Ukraine's.
ENVOY_WORDS = {"envoy", "ambassador", "emissary", "representative", "consul", "charge", "chargé", "commissioner",
               "negotiator", "mediator"}


def _context_country(tokens: list[Token], out: DocActors) -> Actor | None:
    """The state a title names its holder for ("Polish central bank head"), else the one it names as the
    place of office ("the minister in Kabul"); never the host of an envoy ("envoy to Ukraine")."""
    principal, host = None, None
    envoy = any(t.lemma_.lower() in ENVOY_WORDS or t.lower_ in ENVOY_WORDS for t in tokens)
    for t in tokens:
        for a in out.get(t.i):
            if a.country is None or a.person:
                continue
            prev = t.doc[t.i - 1].lower_ if t.i else ""
            if prev in HOST_PREPS or (t.dep_ == "pobj" and t.head.lower_ in HOST_PREPS):
                host = host or a
            else:
                principal = principal or a
    return principal or (None if envoy else host)


def _learn_names(doc: Doc, kb: KB, out: DocActors, home: str | None = None) -> None:
    """A name with a title beside it is that title's holder, of the state the title names ("Iranian
    Charge d'Affaires Mohammad Baqeri"), or else, in a datelined story, of the dateline's state if the title is
    one of a government ("KUWAIT - ... Foreign Undersecretary Suleiman al-Shaheen")."""
    for name in _name_spans(doc, out):
        if any(out.get(i) and out.get(i)[0].person for i in range(name.start, name.end)):
            continue  # a known person
        left, right = _context_tokens(doc, name)
        title, sector = _title_in(left + right, kb)
        direct = bool(left) and out.get(left[-1].i) and left[-1].dep_ in ("poss", "compound", "amod")
        # a title just before the name gives its country first ("Polish central bank head X, in talks in Washington")
        sides = (left, right) if direct or _title_in(left, kb)[0] else (right, left)
        country = _context_country(sides[0], out) or _context_country(sides[1], out)
        if country is None and home and title is not None and sector in STATE_BODY_SECTORS and left \
                and title not in ENVOY_WORDS and not _learned_already(name, out):
            country = Actor(text=name.text, name=kb.country_name(home), country=home, sector=sector)
        if country is None:
            continue
        if title is None and not direct:
            continue
        if name[-1].dep_ == "compound" and name[-1].head.pos_ == "NOUN" and name[-1].head.i == name.end:
            continue  # "US Chinook helicopter": a make or a model, not a person
        if (country.sector or "")[:3] in NON_STATE_SECTORS:
            sector = country.sector  # "Taliban spokesman Zabihullah Mujahid" speaks for the Taliban
        full = _strip_titles(name, kb)
        actor = replace(country, text=name.text, name=full, sector=sector or country.sector,
                        matched_by="learned-apposition" if right else "learned-title", person=full)
        out.learned[full] = actor
        sentence = sent_of(name[0]).text
        out.learned_evidence[full] = sentence
        out.set_span(name.start, name.end, (actor,))


def _learned_already(name: Span, out: DocActors) -> bool:
    """Whether a name, or its last word, is one the article has already given a state."""
    return any(_surname(known) == name[-1].text for known in out.learned) or any(
        a.person and _surname(a.person) == name[-1].text for _, _, actors in out.spans for a in actors)


def _strip_titles(name: Span, kb: KB) -> str:
    words = [t for t in name if t.lower_ not in TITLE_HEADS and not kb.sector_titles.get(t.lower_)]
    return "".join(t.text_with_ws for t in words).strip() or name.text


def _surname(name: str) -> str:
    return name.split()[-1]


def _resolve_names(doc: Doc, kb: KB, out: DocActors, date: str | None) -> None:
    """Later mentions of learned names, and spelling variants of known people."""
    learned = list(out.learned.values())
    by_prefix = _people_by_surname_prefix(kb)
    for i in with_pos(doc, "PROPN"):
        tok = doc[i]
        if tok.i in out.by_token or len(tok.text) < 4 or not tok.text[0].isupper():
            continue
        if _after_the(tok):
            continue
        # learned: full-name or surname match, exact or a close variant
        for a in learned:
            sur = _surname(a.name or "")
            if _variant(tok.text, sur):
                actor = replace(a, text=tok.text, matched_by="learned-name")
                _mark_name(doc, tok, actor, out)
                break
        else:
            ent = out.name_at.get(tok.i)
            if ent is None or len(ent) < 2:
                continue
            for p, alias in by_prefix.get(_surname(ent.text)[:VARIANT_PREFIX].lower(), ()):
                if fuzz.ratio(ent.text, alias) >= NAME_VARIANT_RATIO and _variant(_surname(ent.text), _surname(alias)):
                    actor = person_actor(kb, p.name, ent.text, date, "kb-person-variant")
                    out.set_span(ent.start, ent.end, (actor,))
                    break


#: A bare name part shorter than this is not reused ("Li", "Ma" are too common to trust).
MIN_NAME_PART = 3


def _after_the(tok: Token) -> bool:
    """"The North warned": a name part after "the" is no person ("the Smith government" is, as a modifier)."""
    return tok.i > 0 and tok.doc[tok.i - 1].lower_ == "the" and tok.dep_ != "compound"


def _reuse_names(doc: Doc, out: DocActors) -> None:
    """Within one article, a part of a person's name already mentioned in full stands for that person
    ("Kim Jong Un … Kim", "Hillary Clinton … Clinton"): the first or last word, when no other person
    of the article shares it."""
    parts: dict[str, set[str]] = {}
    actor_of: dict[str, Actor] = {}
    for _s, _e, actors in out.spans:
        for a in actors:
            if a.person and (a.country or a.igo) and " " in a.person:
                words = a.person.split()
                for w in {words[0], words[-1]}:
                    parts.setdefault(w, set()).add(a.person)
                actor_of.setdefault(a.person, a)
    if not parts:
        return
    for i, text in enumerate(token_texts(doc)):
        if text not in parts:
            continue
        tok = doc[i]
        if tok.i in out.by_token or tok.pos_ != "PROPN" or len(tok.text) < MIN_NAME_PART or not tok.text[0].isupper():
            continue
        if _after_the(tok):
            continue
        people = parts.get(tok.text)
        if people is None or len(people) != 1:
            continue
        person = next(iter(people))
        run = out.name_at.get(tok.i)
        if run is not None and any(t.text not in person.split() for t in run):
            continue  # "Kim Yo Jong" is not "Kim Jong Un"
        out.by_token[tok.i] = (replace(actor_of[person], text=tok.text, matched_by="name-in-article"),)
        out.spans.append((tok.i, tok.i + 1, out.by_token[tok.i]))


def _reuse_organisation_heads(doc: Doc, out: DocActors) -> None:
    """Within one article, the end of an organisation's full name stands for it: "the Community",
    "the Security Council", "the Court" after "the European Community", "the U.N. Security Council",
    "the International Court of Justice", when no other organisation of the article ends the same way.
    A one-word end needs "the" before it; a longer one any lower-case word ("the 15-member Security
    Council", "other Security Council members"), never a name ("Russia's Security Council" is Russia's)."""
    tails: dict[tuple[str, ...], dict[str, Actor]] = {}
    first: dict[tuple[str, ...], int] = {}
    for s, e, actors in out.spans:
        words = [t.text for t in doc[s:e] if t.text[:1].isupper() and t.text.isalpha()]
        whole = len(words) < e - s  # "U.N. Security Council": "Security Council" is already a part
        for a in actors:
            if not a.igo or a.person or len(words) < 2:
                continue
            for n in range(1, len(words) + whole):
                tail = tuple(words[-n:])
                if len(tail[0]) > MIN_NAME_PART:
                    tails.setdefault(tail, {})[a.key or ""] = a
                    first[tail] = min(first.get(tail, s), s)
    longest = max((len(t) for t in tails), default=0)
    texts = token_texts(doc)
    heads = {t[0] for t in tails}
    for i, text in enumerate(texts):
        if text not in heads:
            continue  # no organisation's name ends with a run starting here
        tok = doc[i]
        for n in range(longest, 0, -1):
            tail = tuple(texts[tok.i : tok.i + n])
            found = tails.get(tail)
            if found is None or len(found) != 1 or tok.i <= first[tail] or tok.i == 0:
                continue
            span = range(tok.i, tok.i + n)
            before, after = doc[tok.i - 1], doc[tok.i + n] if tok.i + n < len(doc) else None
            if any(i in out.by_token for i in span) or (after is not None and after.pos_ == "PROPN"):
                continue
            if before.lower_ != "the" and (n == 1 or not before.text[:1].islower()):
                continue
            actor = replace(next(iter(found.values())), text=doc[tok.i : tok.i + n].text, matched_by="name-in-article")
            for i in span:
                out.by_token[i] = (actor,)
            out.spans.append((tok.i, tok.i + n, (actor,)))
            break


_PREFIX_INDEX: dict[int, dict[str, list[tuple[Person, str]]]] = {}


def _people_by_surname_prefix(kb: KB) -> dict[str, list[tuple[Person, str]]]:
    """Multi-word names of known people, by the first letters of the surname (built once per KB)."""
    if id(kb) not in _PREFIX_INDEX:
        index: dict[str, list[tuple[Person, str]]] = {}
        for p in kb.people.values():
            for alias in (p.name, *p.aliases):
                if " " in alias:
                    index.setdefault(_surname(alias)[:VARIANT_PREFIX].lower(), []).append((p, alias))
        _PREFIX_INDEX[id(kb)] = index
    return _PREFIX_INDEX[id(kb)]


def _variant(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) < 5 or len(b) < 5 or a[:VARIANT_PREFIX].lower() != b[:VARIANT_PREFIX].lower():
        return False
    return fuzz.ratio(a.lower(), b.lower()) >= NAME_VARIANT_RATIO


def _mark_name(doc: Doc, tok: Token, actor: Actor, out: DocActors) -> None:
    ent = out.name_at.get(tok.i)
    start, end = (ent.start, ent.end) if ent is not None and tok.i == ent.end - 1 else (tok.i, tok.i + 1)
    # "Yermekbayev Atamkulov": only the matching token
    out.set_span(start, end, (actor,))


# -- references ---------------------------------------------------------------------

#: The article's first sentences name its subject: their mentions count this many times.
LEAD_SENTENCES, LEAD_WEIGHT = 3, 3


def _main_dyad(out: DocActors, doc: Doc | None = None) -> tuple[Actor, ...]:
    """The article's main pair of states: a pair coordinated in the lead ("India and
    Kazakhstan"), else the two states mentioned most (the lead weighted up)."""
    counts: Counter[str] = Counter()
    first: dict[str, Actor] = {}
    lead_end = 0
    if doc is not None:
        sents = sentences(doc)[0][:LEAD_SENTENCES]
        lead_end = sents[-1].end if sents else 0
        pairs: Counter[tuple[str, str]] = Counter()
        for tok in doc[:lead_end]:
            for c in tok.conjuncts:
                ca = [x.country for x in out.get(tok.i) if x.country and not x.matched_by.endswith("location")]
                cb = [x.country for x in out.get(c.i) if x.country and not x.matched_by.endswith("location")]
                if ca and cb and ca[0] != cb[0]:
                    pairs[(ca[0], cb[0]) if ca[0] < cb[0] else (cb[0], ca[0])] += 1
        if pairs:
            (x, y), _ = pairs.most_common(1)[0]
            return (Actor(text=x, name=x, country=x, matched_by="dyad"), Actor(text=y, name=y, country=y, matched_by="dyad"))
    for _s, _e, actors in out.spans:
        for a in actors:
            if a.country and not a.matched_by.endswith("location"):
                counts[a.country] += LEAD_WEIGHT if _s < lead_end else 1
                first.setdefault(a.country, Actor(text=a.country, name=a.name if not a.person else a.country,
                                                  country=a.country, matched_by="dyad"))
    top = [c for c, _ in counts.most_common(2)]
    return tuple(first[c] for c in top) if len(top) == 2 else ()


#: "the North", "the South": the half of a divided pair the article names in full (North/South Korea,
#: North/South Sudan).
HALVES = ("North", "South")


def _resolve_halves(doc: Doc, out: DocActors) -> None:
    """ "the North warned the South": each stands for the country the article names as "North …" or
    "South …" (North Korea, South Korea), when it names exactly one."""
    named: dict[str, Counter[str]] = {h: Counter() for h in HALVES}
    refs: dict[str, Actor] = {}
    for s, _e, actors in out.spans:
        first = doc[s].text
        for a in actors:
            if first in named and a.country and not a.person:
                named[first][a.country] += 1
                refs.setdefault(a.country, a)
    if not any(named.values()):
        return
    for i, text in enumerate(token_texts(doc)):
        if text not in HALVES:
            continue
        tok = doc[i]
        if tok.i in out.by_token or len(named[tok.text]) != 1:
            continue
        prev = doc[tok.i - 1].lower_ if tok.i else ""
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if prev != "the" or (nxt is not None and nxt.pos_ == "PROPN"):
            continue  # "the North Atlantic", "South Africa"
        actor = replace(refs[next(iter(named[tok.text]))], text=tok.text, sector=None, matched_by="half-reference")
        out.set_span(tok.i, tok.i + 1, (actor,))


#: Nouns by which news names again an organisation it has named ("NATO … the alliance", "the EU …
#: the bloc"), with the kinds of organisation (igos.yaml) each can stand for; None for any kind.
ORGANISATION_NOUNS: dict[str, frozenset[str] | None] = {
    "alliance": frozenset({"military"}), "bloc": frozenset({"regional", "forum", "military"}),
    "organisation": None, "organization": None, "union": frozenset({"regional"}), "grouping": None,
}
#: How many sentences back "the alliance" may look for the organisation it names again.
ORGANISATION_NOUN_WINDOW = 3


def _resolve_organisation_nouns(doc: Doc, kb: KB, out: DocActors) -> None:
    """"The alliance", "the bloc", "the organisation": the organisation of a fitting kind named last,
    at most a few sentences back. Only a bare definite noun: "a new alliance", "the alliance's
    summit" (possessor aside), "an alliance of rebels" and "the Atlantic alliance" (named) are left."""
    for i, word in enumerate(token_texts(doc)):
        if word.lower() not in ORGANISATION_NOUNS or i in out.by_token:
            continue
        tok, kinds = doc[i], ORGANISATION_NOUNS[word.lower()]
        if tok.pos_ != "NOUN" or tok.dep_ == "compound":
            continue
        if [c.lower_ for c in tok.children if c.dep_ not in ("case", "punct")] != ["the"] and \
                not (tok.dep_ == "poss" and [c.lower_ for c in tok.children if c.dep_ == "det"] == ["the"]):
            continue
        named = out.named_last(doc, i, ORGANISATION_NOUN_WINDOW, _organisation_of(kb, kinds))
        if named is not None:
            out.set_span(i, i + 1, (replace(named, text=f"the {tok.text}", matched_by="organisation-noun"),))


def _organisation_of(kb: KB, kinds: frozenset[str] | None) -> Callable[[Token, Actor], bool]:
    """Accepts an organisation (not a person, not a state) of one of ``kinds`` (any, for None)."""
    return lambda _t, a: bool(a.igo and not a.person and not a.country
                              and (kinds is None or kb.igos.get(a.igo, {}).get("kind") in kinds))


def _resolve_references(doc: Doc, kb: KB, out: DocActors) -> None:
    plural = kb.plural_actors or frozenset({"both countries", "the two countries", "both sides", "the two sides", "the duo", "both ministers", "the two ministers", "both leaders", "the two leaders", "each other"})
    persons: list[tuple[int, Actor]] = []  # (sentence start, actor) in reading order
    women: set[str] = set()  # the persons known as women, by title or given name
    subjects: list[tuple[int, Actor]] = []  # the persons among them named as subjects or possessors
    sents = sentences(doc)[0]
    lowers = [t.lower_ for t in doc]
    first_words = {p.split()[0] for p in plural}
    # persons[window:] and subjects[swindow:] are those of the last PRONOUN_WINDOW sentences (both lists
    # are in reading order): found without scanning every person named so far
    window = swindow = 0
    for n, sent in enumerate(sents):
        while window < len(persons) and n - persons[window][0] > PRONOUN_WINDOW:
            window += 1
        while swindow < len(subjects) and n - subjects[swindow][0] > PRONOUN_WINDOW:
            swindow += 1
        # plural references first: they need the persons seen so far
        for k in range(sent.start, sent.end):
            if lowers[k] not in first_words:
                continue
            for size in (3, 2):
                if k + size > sent.end or " ".join(lowers[k : k + size]) not in plural:
                    continue
                phrase = doc[k : k + size]
                if any(i in out.by_token for i in range(k, k + size)):
                    continue
                if any(w in phrase.text.lower() for w in ("minister", "leader", "duo")):
                    pair = _last_two_countries([a for _, a in persons])
                else:
                    pair = _just_named_pair(doc, out, sents, n, k) or out.dyad
                if len(pair) == 2:
                    actors = tuple(replace(a, text=phrase.text, matched_by="plural-reference") for a in pair)
                    out.set_span(k, k + size, actors)
        for tok in sent:
            acts = out.get(tok.i)
            if acts and acts[0].person and (acts[0].country or acts[0].igo):
                if _woman(doc, tok, acts[0], kb):
                    women.add(acts[0].person or "")
                if not persons or persons[-1][1] is not acts[0]:
                    persons.append((n, acts[0]))
                if _salient(tok):
                    subjects.append((n, acts[0]))
                continue
            if tok.i in out.by_token or not persons or n - persons[-1][0] > PRONOUN_WINDOW:
                continue
            if tok.lower_ not in PERSON_PRONOUNS and tok.lemma_.lower() not in TITLE_HEADS:
                continue
            recent = [a for _, a in persons[window:]]
            if tok.lower_ in PERSON_PRONOUNS and tok.dep_ in ("nsubj", "nsubjpass", "poss", "dobj", "pobj", "agent"):
                # a subject "he" continues the last person who was a subject or a possessor ("Trump's call
                # with Zelenskiy, when he asked ..."); an object "him" is the last person named; "she" is a
                # woman's, "he" is not (given_names.yaml)
                topical = [a for _, a in subjects[swindow:]] if tok.dep_ in ("nsubj", "nsubjpass") else []
                own_subject = _clause_subject(tok, out)
                if own_subject is not None and not _fits(tok, own_subject, women) and (
                        tok.lower_ in MALE_PRONOUNS or _fitting(tok, recent, women) is not None):
                    own_subject = None  # "he" is no woman; "she" is the woman named, not the man
                a = own_subject or _fitting(tok, topical, women) or _fitting(tok, recent, women) or (topical or recent)[-1]
                if tok.dep_ in OBJECT_DEPS and (own := _own_subject(tok, out)) is not None and a.name == own.name:
                    # "Gorbachev, who had talks with her": an object "her" is never its clause's own subject
                    # (that would be "herself"), so it is the person named before that one
                    a = next((b for b in reversed(recent) if b.name != own.name), a)
                out.by_token[tok.i] = (replace(a, text=tok.text, matched_by="pronoun"),)
            elif tok.lemma_.lower() in TITLE_HEADS and tok.pos_ in ("NOUN", "PROPN") and _definite(tok) \
                    and not any(out.get(c.i) for c in tok.subtree if c.i != tok.i):
                a = recent[-1]
                out.by_token[tok.i] = (replace(a, text=f"the {tok.text}", matched_by="definite-title"),)


#: Pronouns that name a woman, and those that name a man.
FEMALE_PRONOUNS = {"she", "her", "hers", "herself"}
MALE_PRONOUNS = {"he", "him", "his", "himself"}


def _woman(doc: Doc, tok: Token, a: Actor, kb: KB) -> bool:
    """Is a named person known as a woman: by her given name, or by a title just before the name in
    the text ("Mrs Thatcher", "Queen Elizabeth")?"""
    names, titles = kb.women_names, kb.women_titles
    if a.person and a.person.split()[0].lower() in names:
        return True
    first = tok
    while first.i > 0 and doc[first.i - 1].pos_ == "PROPN" and doc[first.i - 1].lower_ not in titles:
        first = doc[first.i - 1]
    return (first.i > 0 and doc[first.i - 1].lower_ in titles) or first.lower_ in names


def _fits(pronoun: Token, a: Actor, women: set[str]) -> bool:
    """Can a pronoun stand for a person: "he" never for a woman, "she" only for a woman where one is known."""
    if pronoun.lower_ in MALE_PRONOUNS:
        return (a.person or "") not in women
    return pronoun.lower_ not in FEMALE_PRONOUNS or (a.person or "") in women


def _fitting(pronoun: Token, candidates: list[Actor], women: set[str]) -> Actor | None:
    """The latest of ``candidates`` a pronoun fits; for "she" with no woman among them, none (the
    caller then takes the latest, as for any pronoun whose person's gender is unknown)."""
    return next((a for a in reversed(candidates) if _fits(pronoun, a, women)), None)


def _salient(tok: Token) -> bool:
    """Is a name token part of a subject or a possessor ("Donald Trump said", "Trump's call")?"""
    h = tok
    while h.dep_ in ("compound", "flat") and h.head.pos_ == "PROPN" and h.head.i != h.i:
        h = h.head
    if h.dep_ == "appos":
        h = h.head
    return h.dep_ in ("nsubj", "nsubjpass", "poss")


def _title_phrase(head: Token, kb: KB) -> str | None:
    """The office a title noun names, with its compounds ("the interior minister", "Secretary of
    State", "the Taoiseach"), if the knowledge base knows it as a title."""
    words = [t for t in head.lefts if t.dep_ in ("compound", "amod") and t.pos_ in ("NOUN", "PROPN", "ADJ")] + [head]
    phrases = [" ".join(w.lower_ for w in words[k:]) for k in range(len(words))]
    if (of := _child(head, "prep", "of")) is not None and (obj := _child(of, "pobj")) is not None:
        phrases.insert(0, f"{head.lower_} of {obj.lower_}")
    for p in phrases:
        if p in kb.country_titles or p in kb.sector_titles:
            return p
    return None


def _resolve_titles(doc: Doc, kb: KB, out: DocActors, date: str | None, home: str | None = None) -> None:
    """An office named without its country ("the chancellor", "the Taoiseach", "the Secretary of State")
    belongs to the country the title is unique to, or else to the state the sentence names before it
    ("In Berlin, the chancellor said ...", "Egypt's army removed the president"), or the one place it
    names after it ("took the oath of office in Washington"), or else, in a story with a dateline,
    to the dateline's country ("KUWAIT - ... the Foreign Ministry said"), as wire copy writes it.
    With a date, the person who held the office then is named ("the prime minister" of GBR on
    1997-05-02 is Tony Blair)."""
    spans, index = sentences(doc)
    for i in with_pos(doc, "NOUN", "PROPN"):
        tok = doc[i]
        if tok.i in out.by_token or tok.dep_ in ("compound", "amod"):
            continue
        if (group := _group_sector(tok, kb)) is not None:
            _resolve_group(tok, group, spans[index[tok.i]], out)
            continue
        phrase = _title_phrase(tok, kb)
        own = [t for c in tok.children if c.dep_ in ("poss", "compound", "amod", "nmod") or
               (c.dep_ == "prep" and c.lower_ == "of") for t in c.subtree]
        if phrase is None:
            if home and _definite(tok) and not any(c.dep_ == "poss" for c in tok.children) \
                    and not any(out.get(t.i) for t in own) and (sector := _body_sector(doc, tok, kb)):
                # "President Moon asked the military to ...": the body of whoever gives it orders
                body_of = _instructor(tok, out) or home
                out.set_span(tok.i, tok.i + 1, (Actor(text=tok.text, name=kb.country_name(body_of), country=body_of,
                                                      sector=sector, matched_by="dateline-context"),))
            continue
        if phrase not in kb.country_titles and not _definite(tok):
            continue
        if any(out.get(t.i) for t in own):
            continue  # "the president of Ukraine", "Ukraine's president": the role has its country
        country = kb.country_titles.get(phrase) or _sentence_state(spans[index[tok.i]], tok, out) or home
        if country is None:
            continue
        sector = kb.title_sector(phrase) or "GOV"
        holder = kb.holder(country, phrase, date)
        actor = person_actor(kb, holder.name, tok.text, date, "title-context") if holder else Actor(
            text=tok.text, name=kb.country_name(country), country=country, sector=sector, matched_by="title-context")
        if holder and not actor.country:
            continue
        out.set_span(tok.i, tok.i + 1, (actor,))


#: Bodies of a state that a datelined story names without their country ("the Foreign Ministry said").
STATE_BODY_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY"}


#: Body nouns too often another country's to give to the dateline's ("the administration" is mostly Washington's).
NOT_HOME_BODIES = {"administration", "regime", "junta", "authority", "authorities", "official", "officials"}


def _body_sector(doc: Doc, tok: Token, kb: KB) -> str | None:
    sector = _phrase_sector(doc, tok, kb)
    lemma = tok.lemma_.lower()
    return sector if sector in STATE_BODY_SECTORS and lemma not in kb.sector_titles and lemma not in NOT_HOME_BODIES \
        else None


def _instructor(tok: Token, out: DocActors) -> str | None:
    """The country of the subject of the verb a body is the object of ("Moon asked the military")."""
    if tok.dep_ not in ("dobj", "dative", "pobj"):
        return None
    verb = tok.head.head if tok.dep_ == "pobj" else tok.head
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    found = [a.country for t in (subj.subtree if subj is not None else ()) for a in out.get(t.i) if a.country]
    return found[0] if found else None


#: Sectors of groups named without their country ("the rebels", "militants", "the opposition", "the
#: junta"): they belong to the country their sentence, or else their article, is about.
GROUP_SECTORS = {"REB", "INS", "SEP", "OPP", "UAF"}
GROUP_GOVERNMENTS = {"junta", "regime"}


def _group_sector(tok: Token, kb: KB) -> str | None:
    lemma = tok.lemma_.lower()
    if lemma in GROUP_GOVERNMENTS and _definite(tok):
        return "GOV"
    sector = kb.sector_nouns.get(lemma) or kb.sector_nouns.get(tok.lower_)
    if sector in GROUP_SECTORS and (_definite(tok) or tok.tag_ in ("NNS", "NNPS")):
        return sector
    return None


def _resolve_group(tok: Token, sector: str, sent: Span, out: DocActors) -> None:
    """ "the rebels", "separatists", "the junta": the country of their sentence, else the article's main one."""
    if any(out.get(t.i) for c in tok.children if c.dep_ in ("poss", "compound", "amod", "nmod") for t in c.subtree):
        return
    country = _sentence_state(sent, tok, out) or (out.dyad[0].country if out.dyad else None)
    if country is None:
        return
    name = next((a.name for _s, _e, acts in out.spans for a in acts if a.country == country and not a.person), country)
    out.set_span(tok.i, tok.i + 1, (Actor(text=tok.text, name=name, country=country, sector=sector,
                                          matched_by="group-context"),))


def _sentence_state(sent: Span, tok: Token, out: DocActors) -> str | None:
    """The state a sentence places an unattached title in: the nearest one named before it, else the one
    place named after it."""
    before = [a for t in sent if t.i < tok.i for a in out.get(t.i) if a.country and not a.person]
    if before:
        return before[-1].country
    after = {a.country for t in sent if t.i > tok.i for a in out.get(t.i) if a.country and not a.person}
    places = {a.country for t in sent if t.i > tok.i for a in out.get(t.i)
              if a.country and (a.matched_by.endswith("location") or a.matched_by == "institution")}
    return next(iter(after)) if len(after) == 1 and places == after else None


def _just_named_pair(doc: Doc, out: DocActors, sents: list[Span], n: int, k: int) -> tuple[Actor, ...]:
    """The two states named just before "both countries": in its sentence before it, or else in the
    sentence before, when exactly two are ("China and Russia ... He called on both countries"), or
    two are the subjects, or two are not of the article's main pair."""
    for start, end in ((sents[n].start, k), (sents[n - 1].start, sents[n - 1].end) if n else (0, 0)):
        found: dict[str, Actor] = {}
        subjects: dict[str, Actor] = {}
        for i in range(start, end):
            if _speaker(doc[i]):
                continue  # "The United States noted that China … and Russia …": who speaks is not spoken of
            for a in out.get(i):
                if a.country and not a.person and not a.matched_by.endswith("location"):
                    found.setdefault(a.country, a)
                    if doc[i].dep_ in ("nsubj", "nsubjpass"):
                        subjects.setdefault(a.country, a)
        # all the states named, or else the two that act, or else the two besides the article's own pair
        # ("China supplies North Korea with oil and Russia employs its workers", in a story on North Korea)
        besides = {c: a for c, a in found.items() if c not in {d.country for d in out.dyad}}
        for named in (found, subjects, besides):
            if len(named) == 2:
                return tuple(named.values())
        if found:
            return ()
    return ()


def _speaker(tok: Token) -> bool:
    """Is a word (part of) the subject of a verb that reports a clause ("The United States noted that …")?"""
    h = tok
    while h.dep_ in ("compound", "amod", "det", "poss") and h.head.i != h.i:
        h = h.head
    return h.dep_ == "nsubj" and any(c.dep_ == "ccomp" for c in h.head.children)


def _clause_subject(tok: Token, out: DocActors) -> Actor | None:
    """A possessive pronoun refers to its clause's subject when that is a person
    ("Sitharaman met X on her visit": her = Sitharaman); a subject pronoun of a clause nested in
    another refers to that clause's subject ("the defence minister condemned what he called a
    cowardly act": he = the minister)."""
    if tok.dep_ == "nsubj":
        return _governing_subject(tok, out)
    if tok.dep_ != "poss":
        return None
    h = tok.head
    for _ in range(6):
        if h.pos_ in ("VERB", "AUX"):
            break
        if h.head.i == h.i:
            return None
        h = h.head
    for _ in range(3):  # a non-finite clause ("while instructing his government") takes its governor's subject
        subj = _subject_before(h, tok)
        if subj is not None:
            acts = [a for a in out.get(subj.i) if a.person] or [a for t in subj.subtree for a in out.get(t.i) if a.person]
            return acts[-1] if acts else None
        governor = _governing_clause(h, NON_FINITE_CLAUSES)
        if governor is None:
            return None
        h = governor
    return None


#: Clauses whose own missing subject is their governor's ("while instructing his government").
NON_FINITE_CLAUSES = {"advcl", "xcomp", "ccomp", "conj", "pcomp", "acl"}
#: Clauses nested in another whose subject pronoun refers to the outer subject.
NESTED_CLAUSES = {"ccomp", "relcl", "advcl", "xcomp", "acl", "pcomp"}


def _governing_clause(h: Token, deps: set[str]) -> Token | None:
    """The verb of the clause a clause ``h`` is nested in, when ``h`` hangs there by one of ``deps``."""
    if h.dep_ not in deps or h.head.i == h.i:
        return None
    h = h.head
    while h.pos_ not in ("VERB", "AUX") and h.head.i != h.i:
        h = h.head
    return h


#: Where a pronoun is an object of its clause.
OBJECT_DEPS = {"dobj", "pobj", "dative"}


def _own_subject(tok: Token, out: DocActors) -> Actor | None:
    """The person who is the subject of the clause an object pronoun is in (through a relative "who")."""
    verb = tok.head
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None and subj.lower_ in ("who", "that") and verb.dep_ == "relcl":
        subj = verb.head
    acts = [a for a in out.get(subj.i) if a.person] if subj is not None else []
    return acts[-1] if acts else None


def _subject_before(verb: Token, tok: Token) -> Token | None:
    """The subject of ``verb`` that stands before ``tok``."""
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < tok.i), None)


def _governing_subject(tok: Token, out: DocActors) -> Actor | None:
    verb = tok.head
    for _ in range(3):
        governor = _governing_clause(verb, NESTED_CLAUSES)
        if governor is None:
            return None
        verb = governor
        if (subj := _subject_before(verb, tok)) is None:
            continue
        acts = [a for a in out.get(subj.i) if a.person or (a.country and subj.lemma_.lower() in TITLE_HEADS)]
        return acts[-1] if acts else None
    return None


def _definite(tok: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)


def _last_two_countries(actors: list[Actor]) -> tuple[Actor, ...]:
    seen: dict[str, Actor] = {}
    for a in reversed(actors):
        if a.country and a.country not in seen:
            seen[a.country] = a
        if len(seen) == 2:
            break
    return tuple(reversed(list(seen.values())))
