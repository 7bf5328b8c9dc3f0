"""Dating from other sentences: the frame that opened a past narrative, and the body sentence a
bullet summary sums up.

In: a parsed document, its ``TimeRef`` expressions and a sentence. Out: the expression of another
sentence that dates it, or None.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ..model import TimeRef
from ..nlp import doc_text, owner_clause, sent_of, sentences
from .attachment import attachment, tensed, times_in, usable


def previous_sentence(doc: Doc, sent: Span) -> Span | None:
    """The sentence before ``sent``, or None for the first."""
    if sent.start == 0:
        return None
    return sent_of(doc[sent.start - 1])


#: A background frame ("In 2011, …") carries a past narrative on over at most this many sentences.
FRAME_REACH = 6


def background_frame(doc: Doc, sent: Span, trigger: Token, times: list[TimeRef], pub: str | None) -> TimeRef | None:
    """The frame that opens the past narrative a sentence goes on with: the nearest earlier time is a
    year or month set at the start of its sentence ("In 2011, massive protests broke out"), before the
    story's month, and every sentence since, this one too, is told in the simple past without a time."""
    if tensed(owner_clause(trigger)).tag_ != "VBD" or not pub or times_in(sent, times):
        return None
    back = previous_sentence(doc, sent)
    for _ in range(FRAME_REACH):
        if back is None or back.root.tag_ not in ("VBD", "VBN"):
            return None
        found = times_in(back, times)
        if found:
            t = found[0]
            if t.start - back.start_char <= 3 and usable(t) and t.precision in ("year", "month") and \
                    t.value is not None and t.value < pub[: len(t.value)]:
                return t
            return None
        back = previous_sentence(doc, back)
    return None


#: Marks that open the lines of a bullet summary.
BULLETS = ("- ", "• ", "* ", "– ", "· ")


#: Words a bullet's subject must share with the body sentence it sums up ("UN legal counsel" and "the
#: UN's legal counsel"): its head and one more.
SUMMARY_SHARED_WORDS = 2


def summarised(doc: Doc, sent: Span, times: list[TimeRef]) -> TimeRef | None:
    """The time of the body sentence a bullet-summary line sums up in the present tense ("- UN legal
    counsel asserts that …" and "the UN's legal counsel on Monday said …"): the one whose subject has
    the bullet's subject's head and another of its words, with a time on its main verb; none when
    such sentences disagree."""
    if not _bullet(doc, sent) or sent.root.tag_ not in ("VBZ", "VBP"):
        return None
    subj = next((c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return None
    words = {w.lower_ for w in subj.subtree if w.is_alpha and not w.is_stop}
    found: dict[str | None, TimeRef] = {}
    for other in sentences(doc)[0]:
        if other.start == sent.start or _bullet(doc, other):
            continue
        their = next((c for c in other.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if their is None or their.lemma_.lower() != subj.lemma_.lower() or \
                len(words & {w.lower_ for w in their.subtree if w.is_alpha}) < SUMMARY_SHARED_WORDS:
            continue
        for t in times_in(other, times):
            if usable(t) and getattr(attachment(doc, t), "i", -1) == other.root.i:
                found.setdefault(t.value, t)
    return next(iter(found.values())) if len(found) == 1 else None


def _bullet(doc: Doc, sent: Span) -> bool:
    """Does the sentence stand on a line opened by a bullet (which the parser may split off)?"""
    line_start = doc_text(doc).rfind("\n", 0, sent.start_char) + 1
    return doc_text(doc)[line_start : sent.end_char].lstrip().startswith(BULLETS)
