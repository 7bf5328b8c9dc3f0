"""One person, many spellings: the name variants of a corpus merged, with the evidence for each merge.

Articles spell a name as their sources transliterate it: Kassym-Zhomart and
Kassym-Jomart Tokayev, Nurlan Yermekbayev and (a typo, or a Russian feminine
ending) Yermekbayeva. Two kinds of merge are made:

- **knowledge base**: the knowledge base already lists the spelling as an alias of the
  person; the merge records which articles used it;
- **spelling**: a name the knowledge base does not know is the same person as one it,
  or another article, does: same country, similar full name once transliterations
  are folded (zh/j, kh/h, diacritics), and a compatible first name. Two people the
  knowledge base lists apart are never merged (Nursultan Nazarbayev and Dariga Nazarbayeva).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from ..model import Mention

#: Similarity (0-100, rapidfuzz ratio of folded full names) above which an unknown name is a
#: known one: "nurlan yermekbayeva" / "nurlan yermekbayev" score 97; "dariga nazarbayeva" /
#: "nursultan nazarbayev" 68.
NAME_SIMILARITY = 90
#: First names must also agree this well (or one be the other's initial).
FIRST_NAME_SIMILARITY = 80
#: A knowledge-base alias read in the corpus is reported as a variant spelling only when it is
#: this similar to the canonical name: Kassym-Zhomart/Kassym-Jomart Tokayev score 100, while
#: phrases holding a name ("Nazarbayev University" 49, "President Xi" 27) are not spellings.
ALIAS_SIMILARITY = 70
#: Characters of context kept around a name in a merge's evidence.
CONTEXT_CHARS = 70
#: Transliteration pairs folded before comparing (Russian/Kazakh names in English copy).
FOLDS = (("dzh", "j"), ("zh", "j"), ("kh", "h"), ("yu", "iu"), ("ya", "ia"), ("y", "i"), ("-", " "))


@dataclass(frozen=True, slots=True)
class NameMerge:
    """One spelling taken as another name of a person."""

    canonical: str
    variant: str
    country: str | None
    method: str  # knowledge base | spelling
    score: float  # rapidfuzz ratio of the folded names, 0-100
    evidence: tuple[dict[str, str], ...]  # where each spelling was read: {doc, form, context}


def fold(name: str) -> str:
    """A name lower-cased, without diacritics, transliteration variants folded."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    for a, b in FOLDS:
        s = s.replace(a, b)
    return " ".join(s.split())


def similarity(a: str, b: str) -> float:
    return max(fuzz.ratio(a.lower(), b.lower()), fuzz.ratio(fold(a), fold(b)))


def _first_names_agree(a: str, b: str) -> bool:
    fa, fb = fold(a).split(), fold(b).split()
    if len(fa) < 2 or len(fb) < 2:
        return True  # a bare surname says nothing against
    x, y = fa[0].rstrip("."), fb[0].rstrip(".")
    return x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)) \
        or fuzz.ratio(x, y) >= FIRST_NAME_SIMILARITY


def _full_form(form: str, person: str) -> bool:
    """Whether a surface form is a full name in its own right, not a short reference ("Tokayev")."""
    tokens = re.split(r"[\s-]+", form.lower())
    if len(tokens) < 2 or not all(t[:1].isupper() for t in form.split()):
        return False
    return not set(tokens) <= set(re.split(r"[\s-]+", person.lower()))


def _context(text: str, form: str) -> str:
    at = text.find(form)
    if at < 0:
        return ""
    lo, hi = max(0, at - CONTEXT_CHARS), min(len(text), at + len(form) + CONTEXT_CHARS)
    return ("…" if lo else "") + " ".join(text[lo:hi].split()) + ("…" if hi < len(text) else "")


def merge_names(mentions: Sequence[Mention], articles: Mapping[str, Any] | None = None,
                known: set[str] | None = None) -> list[NameMerge]:
    """The name variants of the people mentioned in a corpus.

    ``articles`` maps doc ids to objects with a ``text`` (for the evidence context);
    ``known`` are the people of the knowledge base (loaded when not given).
    """
    if known is None:
        from .kb import load_kb

        known = set(load_kb(()).people)
    articles = articles or {}
    forms: dict[str, Counter[str]] = defaultdict(Counter)  # person -> surface forms
    seen_in: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)  # (person, form) -> docs, in order
    country: dict[str, str | None] = {}
    for m in mentions:
        p = m.actor.person
        if not p:
            continue
        form = " ".join(m.actor.text.split())
        forms[p][form] += 1
        seen_in[(p, form)].setdefault(m.doc)
        country.setdefault(p, m.actor.country or (f"IGO:{m.actor.igo}" if m.actor.igo else None))

    def evidence(person: str, form: str) -> list[dict[str, str]]:
        docs = seen_in.get((person, form), {})
        return [{"doc": d, "form": form, "context": _context(getattr(articles.get(d), "text", ""), form)}
                for d in docs]

    out: list[NameMerge] = []
    # knowledge-base aliases used in the corpus
    for p in sorted(forms):
        if p not in known:
            continue
        for form in sorted(forms[p]):
            if form != p and _full_form(form, p) and similarity(form, p) >= ALIAS_SIMILARITY:
                out.append(NameMerge(p, form, country.get(p), "knowledge base", round(similarity(form, p), 1),
                                     tuple(evidence(p, form) + evidence(p, p))))
    # unknown names that are a known (or more frequent) spelling of someone
    by_country: dict[str | None, list[str]] = defaultdict(list)
    for p in forms:
        by_country[country.get(p)].append(p)
    for people in by_country.values():
        ranked = sorted(people, key=lambda p: (p not in known, -sum(forms[p].values()), p))
        for k, p in enumerate(ranked):
            if p in known:
                continue
            for q in ranked[:k]:
                score = similarity(p, q)
                if score >= NAME_SIMILARITY and _first_names_agree(p, q) and p != q:
                    ev = [e for f in forms[p] for e in evidence(p, f)] + evidence(q, q)[:2]
                    out.append(NameMerge(q, p, country.get(p), "spelling", round(score, 1), tuple(ev)))
                    break
    return _resolve_chains(out)


def _resolve_chains(merges: list[NameMerge]) -> list[NameMerge]:
    """Point every variant at the final canonical name (a → b → c becomes a → c)."""
    target = {m.variant: m.canonical for m in merges if m.method == "spelling"}
    out = []
    for m in merges:
        c = m.canonical
        for _ in range(len(target)):
            if c not in target:
                break
            c = target[c]
        out.append(m if c == m.canonical else NameMerge(c, m.variant, m.country, m.method, m.score, m.evidence))
    return out


def roles_text(person: str, date: str | None) -> str | None:
    """The person's role on a date, from the knowledge base ("Defence Minister"), or None."""
    from .kb import load_kb

    p = load_kb(()).people.get(person)
    if p is None:
        return None
    role, former = p.role_at(date)
    if role is None:
        return None
    return ("former " if former else "") + re.sub(r"\s+", " ", role.title)
