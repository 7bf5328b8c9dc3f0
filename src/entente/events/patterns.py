"""Event patterns, loaded from ``data/patterns/*.yaml`` (the format is documented in its README.md)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataFileError
from .codebook import codebook

SLOTS = {"subj", "obj", "dative", "agent", "poss", "np", "aimed", "aidgiver", "loc", "capital", "comp_subj"}


@dataclass(frozen=True, slots=True)
class Refinement:
    words: frozenset[str]
    code: str | None
    intent: str | None


@dataclass(frozen=True, slots=True)
class Pattern:
    id: str
    verbs: frozenset[str]
    nouns: frozenset[str]
    code: str
    intent: str | None
    source: tuple[str, ...]
    target: tuple[str, ...]
    object: frozenset[str] = frozenset()
    object_or_none: frozenset[str] = frozenset()
    object_actor: bool = False
    object_place: bool = False
    modifiers: frozenset[str] = frozenset()
    particle_or_prep: frozenset[str] = frozenset()
    refine: tuple[Refinement, ...] = ()
    symmetric: bool = False
    complement: bool = False
    governs: bool = False
    subject_not: frozenset[str] = frozenset()
    no_fallback: bool = False
    subject_person: bool = False
    object_not: frozenset[str] = frozenset()
    xcomp: frozenset[str] = frozenset()
    infinitive: bool = False
    require_target: bool = False
    implicit_organisation: bool = False


@dataclass(frozen=True, slots=True)
class PatternSet:
    patterns: tuple[Pattern, ...]
    by_verb: dict[str, tuple[Pattern, ...]]
    by_noun: dict[str, tuple[Pattern, ...]]
    trigger_words: frozenset[str]
    symmetric_ids: frozenset[str]  # the ids of patterns for things both sides do together

    def intent_code(self, pattern_id: str, code: str) -> str | None:
        """The code a pattern gives the planned form of an event it coded as ``code`` (a visit 042 is
        an intent to meet 036), or None when it has none."""
        p = next((p for p in self.patterns if p.id == pattern_id), None)
        if p is None:
            return None
        refined = next((r.intent for r in p.refine if r.code == code and r.intent), None)
        return refined or p.intent


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # libyaml's: ~4x faster
    """YAML without YAML 1.1's "on/off/yes/no" booleans: in a word list, on is a particle."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def load_yaml(text: str) -> Any:
    """Parse a pattern file."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506  # a SafeLoader subclass


def _words(v: Any) -> frozenset[str]:
    return frozenset(str(x).lower() for x in (v or []))


def _check_code(code: str | None, pid: str) -> None:
    if code is not None and code not in codebook():
        raise DataFileError(f"patterns: {pid}: unknown CAMEO code {code!r}")


def parse_patterns(data: Any, name: str = "patterns.yaml") -> list[Pattern]:
    if not isinstance(data, list):
        raise DataFileError(f"{name}: expected a list of patterns")
    out = []
    for raw in data:
        pid = raw.get("id") if isinstance(raw, dict) else None
        if not pid or "code" not in raw or not (raw.get("verbs") or raw.get("nouns")):
            raise DataFileError(f"{name}: pattern needs id, code and verbs or nouns: {raw!r}")
        for slot in [*raw.get("source", []), *raw.get("target", [])]:
            if str(slot).rstrip("+") not in SLOTS and not str(slot).startswith("prep:"):
                raise DataFileError(f"{name}: {pid}: unknown slot {slot!r}")
        refine = tuple(
            Refinement(_words(r.get("words")), r.get("code"), r.get("intent")) for r in raw.get("refine", [])
        )
        for code in [raw["code"], raw.get("intent"), *(r.code for r in refine), *(r.intent for r in refine)]:
            _check_code(code, pid)
        out.append(Pattern(
            id=pid, verbs=_words(raw.get("verbs")), nouns=_words(raw.get("nouns")),
            code=str(raw["code"]), intent=raw.get("intent"),
            source=tuple(raw.get("source", ["subj"])), target=tuple(raw.get("target", ["obj"])),
            object=_words(raw.get("object")), object_or_none=_words(raw.get("object_or_none")),
            object_actor=bool(raw.get("object_actor")), object_place=bool(raw.get("object_place")),
            modifiers=_words(raw.get("modifiers")),
            particle_or_prep=_words(raw.get("particle_or_prep")), refine=refine,
            symmetric=bool(raw.get("symmetric")), complement=bool(raw.get("complement")),
            governs=bool(raw.get("governs")), subject_not=_words(raw.get("subject_not")),
            no_fallback=bool(raw.get("no_fallback")), subject_person=bool(raw.get("subject_person")),
            object_not=_words(raw.get("object_not")), xcomp=_words(raw.get("xcomp")),
            infinitive=bool(raw.get("infinitive")), require_target=bool(raw.get("require_target")),
            implicit_organisation=bool(raw.get("implicit_organisation")),
        ))
    return out


@cache
def _load(extra: tuple[str, ...]) -> PatternSet:
    folder = resources.files("entente.data").joinpath("patterns")
    try:
        pats = []
        for item in sorted(folder.iterdir(), key=lambda f: f.name):
            if item.name.endswith(".yaml"):
                pats += parse_patterns(load_yaml(item.read_text("utf-8")), item.name)
        for path in extra:
            pats += parse_patterns(load_yaml(Path(path).read_text("utf-8")), path)
    except yaml.YAMLError as exc:
        raise DataFileError(f"patterns: not valid YAML: {exc}") from exc
    by_verb: dict[str, list[Pattern]] = defaultdict(list)
    by_noun: dict[str, list[Pattern]] = defaultdict(list)
    for p in pats:
        for v in p.verbs:
            by_verb[v].append(p)
        for n in p.nouns:
            by_noun[n.split()[-1]].append(p)
    return PatternSet(
        patterns=tuple(pats),
        by_verb={k: tuple(v) for k, v in by_verb.items()},
        by_noun={k: tuple(v) for k, v in by_noun.items()},
        trigger_words=frozenset(by_verb) | frozenset(by_noun),
        symmetric_ids=frozenset(p.id for p in pats if p.symmetric),
    )


def load_patterns(extra: tuple[str, ...] = ()) -> PatternSet:
    """The shipped patterns plus any user files; built once per set of files."""
    return _load(tuple(extra))
