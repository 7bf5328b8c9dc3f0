"""The per-document pipeline: one pure function from a ``Document`` to a ``DocResult``.

It holds no state between documents except loaded, read-only resources (the
spaCy model, the knowledge base, the patterns), so the same function runs in
one process, in a process pool and on Spark executors.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from spacy.tokens import Doc

from . import nlp as nlp_mod
from .actors.kb import KB, load_kb
from .actors.resolve import DocActors, find_actors, person_actor
from .claims.extract import find_claims
from .documents.cleaning import clean
from .errors import NotProseError, TooLongError
from .events.codebook import lookup
from .events.coding import extract_events
from .events.merging import merge_events
from .events.patterns import load_patterns
from .model import Actor, CleanDoc, DocResult, Document, Event, Evidence, Mention, RawEvent
from .options import Options
from .time.datelines import dateline_country, runs_ahead, today
from .time.dates import find_times
from .time.timing import DatingContext, EventTime, date_event, infer_pub_date


def content_hash(doc: Document) -> str:
    """The version of a document's text: the hash of its text (whitespace-folded)."""
    return hashlib.sha1(" ".join(doc.text.split()).encode("utf-8", "surrogatepass")).hexdigest()[:16]


#: A text in which fewer than this share of the non-space characters are letters is not prose
#: (news copy is about 80% letters; a table of figures 40%): rows of punctuation, digits or
#: markup, which the parser cannot read and the tokenizer takes quadratic time over.
MIN_LETTER_SHARE = 0.2


def check_document(doc: Document, options: Options = Options()) -> None:
    """Refuse, before any work, a document the pipeline should not process: longer than
    ``options.max_chars``, or not prose (``MIN_LETTER_SHARE``)."""
    where = doc.path or doc.id
    if options.max_chars and len(doc.text) > options.max_chars:
        raise TooLongError(where, f"text is {len(doc.text):,} characters, over --max-chars {options.max_chars:,}: "
                                  "split it into articles, or raise --max-chars (0: no limit)")
    visible = len(doc.text) - sum(doc.text.count(c) for c in " \n\r\t")
    letters = sum(map(str.isalpha, doc.text))
    if visible and letters < MIN_LETTER_SHARE * visible:
        raise NotProseError(where, f"only {letters / visible:.0%} of its characters are letters: not prose, not parsed")


def process_document(doc: Document, options: Options = Options()) -> DocResult:
    """Run every per-document stage on one article.

    0. Check it: not too long, prose (``check_document``).
    1. Clean: boilerplate out, header metadata read, offsets kept.
    2. Parse with spaCy.
    3. Find and resolve actors.
    4. Code events from the parse.
    5. Date each event; re-resolve people at the event date.
    6. Merge mentions of the same happening into one event.
    7. Find the figures it states (claims), each attached to its event.
    """
    return process_batch([doc], options)[0]


def process_batch(docs: list[Document], options: Options = Options()) -> list[DocResult]:
    """``process_document`` for several documents, parsing them in ``nlp.pipe`` batches
    (``nlp.parse``: batching the neural layers is faster, and the parses are the same as
    one at a time).

    Each result depends only on its own document: this is a map, not a corpus step.
    """
    kb = load_kb(options.actors_files)
    # 0.
    for doc in docs:
        check_document(doc, options)
    # 1.
    cleaned = [_clean(doc, options, kb) for doc in docs]
    # 2.
    parsed = nlp_mod.parse([cd.text for cd in cleaned])
    return [_finish(cd, p, options) for cd, p in zip(cleaned, parsed, strict=True)]


def _clean(doc: Document, options: Options, kb: KB) -> CleanDoc:
    if options.pub_date:
        doc = replace(doc, date=options.pub_date, date_origin="cli")
    return clean(doc, kb.place_names())


def _finish(cd: CleanDoc, parsed: Doc, options: Options) -> DocResult:
    """Stages 3 to 7 on a cleaned and parsed document."""
    kb = load_kb(options.actors_files)
    patterns = load_patterns(options.pattern_files)
    nlp = nlp_mod.load()
    doc = cd.doc
    pub, origin = _normal_date(cd.pub_date), cd.pub_date_origin
    day = today(cd.dateline, pub)
    if pub is None and day is not None:
        pub, origin = day, "dateline"
    ahead = runs_ahead(cd.dateline, kb)
    times = find_times(cd.text, day, ahead=ahead)
    # 3.
    da = find_actors(parsed, kb, nlp, pub, home=dateline_country(cd.dateline, kb))
    # 4.
    raw = extract_events(parsed, da, patterns, options.include_negated)
    # 5.
    chash = content_hash(doc)
    dating = DatingContext(parsed, times, day, ahead=ahead, events=raw)
    events = []
    for n, r in enumerate(raw):
        when = date_event(parsed, r, times, day, raw, dating)
        if r.modality == "asserted" and _after(when.value, dating.latest):
            # dated after its article: planned ("opens a state visit on Monday"), not done
            r = replace(r, modality="intended", code=patterns.intent_code(r.pattern, r.code) or r.code)
        events.append(_event(cd, chash, n, r, when, kb))
    # 6.
    events = merge_events(events)
    # 7.
    claims = find_claims(cd, events)
    inferred = infer_pub_date(events) if pub is None else None
    mentions = _mentions(cd, parsed, da)
    trace = (f"publication date: {pub} ({origin})" if pub else
             f"publication date: unknown; latest date in text {inferred[0]} ({inferred[1]!r})" if inferred else
             "publication date: unknown",) + tuple(f"cleaner {d}" for d in cd.dropped)
    learned = tuple(
        {"name": name, "country": a.country, "igo": a.igo, "sector": a.sector, "doc": doc.id,
         "evidence": da.learned_evidence.get(name, ""), "matched_by": a.matched_by}
        for name, a in da.learned.items()
    )
    return DocResult(
        doc=doc, content_hash=chash, pub_date=pub or (inferred[0] if inferred else None),
        pub_date_origin=origin if pub else ("inferred" if inferred else None),
        text=cd.text, events=tuple(events), mentions=tuple(mentions), claims=tuple(claims), learned=learned,
        trace=trace,
    )


def _after(value: str | None, latest: str | None) -> bool:
    """Is a date later than the latest day an event that happened can have?"""
    return bool(value and latest and value > latest[: len(value)])


def _normal_date(value: str | None) -> str | None:
    if not value:
        return None
    from .time.dates import parse_date

    d = parse_date(value)
    if d is None:
        try:
            import dateutil.parser

            d = dateutil.parser.parse(value).date()
        except (ValueError, OverflowError):
            return None
    return d.isoformat()


def _evidence(cd: CleanDoc, start: int, end: int) -> Evidence:
    s, e = cd.original_span(start, end)
    return Evidence(sentence=cd.doc.text[s:e], start=s, end=e)


def _at_date(a: Actor | None, kb: KB, date: str | None) -> Actor | None:
    if a is None or a.person is None or a.person not in kb.people:
        return a
    b = person_actor(kb, a.person, a.text, date, a.matched_by.split("-former")[0])
    return b if (b.country or b.igo) else a


def _event(cd: CleanDoc, chash: str, n: int, r: RawEvent, when: EventTime, kb: KB) -> Event:
    code = lookup(r.code)
    source = _at_date(r.source, kb, when.value)
    target = _at_date(r.target, kb, when.value)
    assert source is not None
    ev = _evidence(cd, r.sent_start, r.sent_end)
    # the document's id is part of the event's: the same text from two sources gives two documents
    eid = hashlib.sha1(f"{cd.doc.id}|{chash}|{n}|{r.trigger}|{r.code}|{source.key}|{target.key if target else ''}"
                       .encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return Event(
        event_id=eid, doc=cd.doc.id, source=source, target=target, cameo=code.code, root=code.root,
        goldstein=code.goldstein, quad_class=code.quad_class, plover=code.plover,
        date=when.value, date_precision=when.precision, date_source=when.source,
        modality=r.modality, evidence=ev, rule=r.rule, mentions=(ev,),
    )


def _mentions(cd: CleanDoc, parsed: Doc, da: DocActors) -> list[Mention]:
    """Actor mentions with offsets into the original text, one per span and actor."""
    sent_of = nlp_mod.sentences(parsed)[1]  # per token, its sentence
    out = []
    for s, e, actors in da.spans:
        start, end = cd.original_span(parsed[s].idx, parsed[e - 1].idx + len(parsed[e - 1].text))
        for a in actors:
            out.append(Mention(doc=cd.doc.id, start=start, end=end, actor=a, sentence=sent_of[s]))
    return out


def parse_only(text: str) -> Doc:
    """Parse a text with the shared model (for ``explain`` and tests)."""
    return nlp_mod.load()(text)
