"""One event per happening: merge mentions of the same event within an article.

Two events are the same happening when they have the same dyad (either order
when symmetric), the same three-digit CAMEO code, compatible dates (equal at
the coarser precision, or one undated) and compatible people on each side.
The merged event keeps the most specific code and date and lists every mention.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from functools import cache

from ..model import Actor, Event, Evidence, actor_key
from ..time.dates import parse_date
from .patterns import load_patterns


def dyad_key(e: Event, symmetric: bool) -> tuple[str | None, ...]:
    pair = (actor_key(e.source), actor_key(e.target))
    return tuple(sorted(pair, key=lambda x: x or "")) if symmetric else pair


def is_symmetric(e: Event) -> bool:
    """Did the event come from a pattern for things both sides do together (or a partner fallback)?"""
    return e.rule.split(":")[0] in _symmetric_ids() or "+sentence" in e.rule or "+dyad" in e.rule


@cache
def _symmetric_ids() -> frozenset[str]:
    """The shipped symmetric pattern ids, computed once (``is_symmetric`` runs for every pair of events)."""
    return load_patterns().symmetric_ids


def compatible_dates(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return True
    n = min(len(a), len(b))
    return a[:n] == b[:n]


#: A publication-date fallback can stand for an event this many days earlier ("Modi holds talks").
PUBLICATION_SLACK_DAYS = 7


def _compatible_event_dates(a: Event, b: Event) -> bool:
    """Equal at the coarser precision; a date that is only the publication date is an upper bound."""
    if compatible_dates(a.date, b.date):
        return True
    for x, y in ((a, b), (b, a)):
        if x.date_source == "publication" and y.date_source != "publication" and x.date and y.date:
            dx, dy = parse_date(x.date), parse_date(y.date)
            if dx and dy and timedelta(0) <= dx - dy <= timedelta(days=PUBLICATION_SLACK_DAYS):
                return True
            # a plan dated only by its article is a lower bound ("will meet ..." and "talks on Friday")
            if dx and dy and x.modality == "intended" and timedelta(0) <= dy - dx <= timedelta(days=PUBLICATION_SLACK_DAYS):
                return True
    return False


def _compatible_people(a: Actor | None, b: Actor | None) -> bool:
    if a is None or b is None or a.person is None or b.person is None:
        return True
    if a.person == b.person:
        return True
    short, full = sorted((a.person.split(), b.person.split()), key=len)
    return len(short) < len(full) and set(short) <= set(full)  # "Yun" and "Joseph Yun"


def same_happening(a: Event, b: Event) -> bool:
    sym = is_symmetric(a) and is_symmetric(b)
    if is_symmetric(a) != is_symmetric(b):
        return False  # "recognised X" and "established relations", "trained X" and "a joint exercise" are two acts
    if a.cameo[:3] != b.cameo[:3] or dyad_key(a, sym) != dyad_key(b, sym):
        return False
    if not _compatible_event_dates(a, b):
        return False
    pairs = [(a.source, b.source), (a.target, b.target)]
    if sym and actor_key(a.source) != actor_key(b.source):
        pairs = [(a.source, b.target), (a.target, b.source)]
    return all(_compatible_people(x, y) for x, y in pairs)


def _better(a: Event, b: Event, mentions: tuple[Evidence, ...]) -> Event:
    """Fold b into a: the more specific code, date and actors win; ``mentions`` are the merged ones."""
    if b.target is not None and actor_key(b.source) != actor_key(a.source) and actor_key(b.source) == actor_key(a.target):
        b = replace(b, source=b.target, target=b.source)  # a symmetric event told the other way round
    code_from = b if len(b.cameo) > len(a.cameo) else a
    date_from = a
    if b.date and (not a.date or len(b.date) > len(a.date) or (a.date_source == "publication" and b.date_source != "publication")):
        date_from = b
    return replace(
        a,
        cameo=code_from.cameo, root=code_from.root, goldstein=code_from.goldstein,
        quad_class=code_from.quad_class, plover=code_from.plover,
        date=date_from.date, date_precision=date_from.date_precision, date_source=date_from.date_source,
        source=a.source if a.source.person or not b.source.person else b.source,
        target=a.target if (a.target and a.target.person) or not (b.target and b.target.person) else b.target,
        mentions=mentions,
        rule="|".join(dict.fromkeys(a.rule.split("|") + b.rule.split("|"))),
    )


def _block(e: Event) -> tuple[object, ...]:
    """What two events must share to be one happening (``same_happening`` checks these first). Merging
    keeps it: the merged event has the first one's code family, dyad and symmetry."""
    sym = is_symmetric(e)
    return sym, e.cameo[:3], dyad_key(e, sym)


def _absorb_targetless(events: list[Event]) -> list[Event]:
    """One sentence that tells one act twice, once with its target and once without ("North Korea's
    most recent missile launch, on Aug. 29, was the first to fly over Japan"): the event without a
    target is folded into the one with it, and lends it its date when that is more specific."""
    with_target: dict[tuple[object, ...], int] = {}
    for k, e in enumerate(events):
        if e.target is not None:
            with_target.setdefault((e.evidence, actor_key(e.source), e.cameo[:3], e.modality), k)
    if not with_target:
        return events
    out = list(events)
    dropped: set[int] = set()
    for k, e in enumerate(events):
        j = with_target.get((e.evidence, actor_key(e.source), e.cameo[:3], e.modality)) if e.target is None else None
        if j is not None:
            out[j] = _better(out[j], e, out[j].mentions)
            dropped.add(k)
    return [e for k, e in enumerate(out) if k not in dropped]


def merge_events(events: list[Event]) -> list[Event]:
    """Merge events of one article that report the same happening (first mention first).

    Each event is compared only with the kept events of its block (``_block``), in the order
    they were kept, and mentions are gathered in a list: linear in the events of a long
    document, with the same result as comparing every pair.
    """
    events = _absorb_targetless(events)
    out: list[Event] = []
    mentions: list[list[Evidence]] = []
    seen: list[set[Evidence]] = []
    blocks: dict[tuple[object, ...], list[int]] = {}
    for e in events:
        block = blocks.setdefault(_block(e), [])
        for k in block:
            if same_happening(out[k], e):
                out[k] = _better(out[k], e, out[k].mentions)
                for m in e.mentions:
                    if m not in seen[k]:
                        seen[k].add(m)
                        mentions[k].append(m)
                break
        else:
            block.append(len(out))
            out.append(e)
            mentions.append(list(e.mentions))
            seen.append(set(e.mentions))
    return [replace(e, mentions=tuple(m)) if len(m) != len(e.mentions) else e for e, m in zip(out, mentions, strict=True)]
