"""Which stored document an incoming one is: its source, its id, whether it needs writing.

A document is keyed by its source (``Document.source_key``: the file, or the file and the
record) and versioned by its content hash. For each incoming document, in order:

1. a source seen earlier in the same batch: already done;
2. a stored source with the same text and provenance: already stored (unless forced);
   with another text or provenance: written again under the same ``doc_id``, replacing
   the old version's rows;
3. a new source whose text is stored under a source that no longer exists (a moved file,
   or a document migrated from a store without source keys): that document is adopted,
   its key and path updated, and it is written again only if its provenance differs;
4. a new source: written under its own id, or, when another source has that id, under
   the id with its folders (``sub2/story``), or with a hash of its key as a last resort.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Protocol, TypeVar

from ..model import Document
from .provenance import Provenance

#: Source keys written by the migration from schema version 2, which did not record sources.
LEGACY_KEY_PREFIX = "v2:"
#: Hex digits of the key hash that makes an id unique when the folders do not.
ID_HASH_DIGITS = 8


@dataclass(frozen=True, slots=True)
class StoredDoc:
    """What the store holds for one source."""

    doc_id: str
    content_hash: str
    provenance: Provenance | None
    path: str | None


def legacy_key(path: str | None, doc_id: str) -> str:
    return f"{LEGACY_KEY_PREFIX}{path or ''}#{doc_id}"


def source_gone(key: str) -> bool:
    """Is a stored source key one that no run can produce again: a legacy key, or a file that is gone?"""
    if key.startswith(LEGACY_KEY_PREFIX):
        return True
    path = key.split("#", 1)[0]
    return os.path.isabs(path) and not os.path.exists(path)


def id_candidates(doc: Document) -> list[str]:
    """Ids for a document, preferred first: its own, then with more and more of its folders
    (and, for a record, its file's name), then with a hash of its source key."""
    prefix: list[str] = []
    if doc.path and not doc.path.startswith("<"):
        p = PurePath(doc.path)
        prefix = [part for part in p.parent.parts if part not in ("/", "\\", ".", "..")]
        if "#" in doc.source_key and p.stem != doc.id:
            prefix.append(p.stem)
    out = [doc.id] + ["/".join([*prefix[-k:], doc.id]) for k in range(1, len(prefix) + 1)]
    digest = hashlib.sha1(doc.source_key.encode("utf-8", "surrogatepass")).hexdigest()[:ID_HASH_DIGITS]
    return out + [f"{doc.id}~{digest}"]


class DocIds:
    """Hands out ids no other source has."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken = set(taken)

    def assign(self, doc: Document) -> str:
        for candidate in id_candidates(doc):
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        n = 2
        while f"{doc.id}~{n}" in self.taken:  # every candidate taken: only if ids were chosen to collide
            n += 1
        self.taken.add(f"{doc.id}~{n}")
        return f"{doc.id}~{n}"


@dataclass
class Decision:
    """What to do with one incoming document."""

    write: bool  # process and store it (False: already stored)
    doc_id: str  # the id it is stored under
    replaces: str | None = None  # the stored document whose rows it replaces
    moved_from: str | None = None  # the stored source key it takes over (a moved or migrated document)
    reasons: tuple[str, ...] = ()  # why a stored document is written again


class Planner:
    """Decides, document by document, against what the store holds (see the module docstring).

    ``stored``: source key -> stored document, for every source the documents may meet (their
    own, those with their texts); ``taken``: further doc_ids other sources have.
    """

    def __init__(self, stored: dict[str, StoredDoc], prov: Provenance, force: bool = False,
                 taken: Iterable[str] = (), gone: Callable[[str], bool] = source_gone) -> None:
        self.stored = dict(stored)
        self.prov = prov
        self.force = force
        self.gone = gone
        self.seen: set[str] = set()
        self.ids = DocIds([*taken, *(s.doc_id for s in self.stored.values())])
        self.by_hash: dict[str, list[str]] = {}  # content hash -> stored source keys
        for key, s in sorted(self.stored.items(), key=lambda kv: kv[1].doc_id):
            self.by_hash.setdefault(s.content_hash, []).append(key)

    def decide(self, doc: Document, content_hash: str, prov: Provenance | None = None) -> Decision | None:
        """The decision for one document, or None when its source was already seen in this batch."""
        key = doc.source_key
        if key in self.seen:
            return None
        self.seen.add(key)
        prov = prov or self.prov
        old = self.stored.get(key)
        moved_from = None
        if old is None:
            moved_from = self._movable(content_hash)
            if moved_from is not None:
                old = self.stored.pop(moved_from)
                self.stored[key] = old
        if old is None:
            decision = Decision(True, self.ids.assign(doc))
            self.stored[key] = StoredDoc(decision.doc_id, content_hash, prov, doc.path)
            return decision
        reasons = self._reasons(old, content_hash, prov)
        self.stored[key] = StoredDoc(old.doc_id, content_hash, prov, doc.path)
        return Decision(bool(reasons), old.doc_id, old.doc_id if reasons else None, moved_from, tuple(reasons))

    def _reasons(self, old: StoredDoc, content_hash: str, prov: Provenance) -> list[str]:
        if old.content_hash != content_hash:
            return ["changed text"]
        if old.provenance is None:
            return ["unknown provenance"]
        if old.provenance != prov:
            return old.provenance.differences(prov)
        return ["--force"] if self.force else []

    def _movable(self, content_hash: str) -> str | None:
        for key in self.by_hash.get(content_hash, ()):
            if key in self.stored and key not in self.seen and self.gone(key):
                self.by_hash[content_hash].remove(key)
                return key
        return None


class Counts(Protocol):
    """The two counts a reading loop keeps: documents read, and those already stored."""

    read: int
    already: int


Item = TypeVar("Item")


def planned(items: Iterable[Document | Item], planner: Planner, content_hash: Callable[[Document], str],
            counts: Counts, skipped: Callable[[Document, Decision | None], None] | None = None,
            ) -> Iterator[Document | Item]:
    """The documents of ``items`` that ``planner`` says to write, under the ids it gives them; anything
    else in ``items`` (a read error) passes through. Every document read is counted, and so is every one
    already stored or seen in this batch, which ``skipped`` is also told of with its decision."""
    for item in items:
        if not isinstance(item, Document):
            yield item
            continue
        counts.read += 1
        d = planner.decide(item, content_hash(item))
        if d is None or not d.write:
            counts.already += 1
            if skipped is not None:
                skipped(item, d)
            continue
        yield replace(item, id=d.doc_id) if d.doc_id != item.id else item
