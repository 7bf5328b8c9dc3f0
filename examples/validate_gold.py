"""Check examples/gold.jsonl against the articles in examples/articles/.

Each gold line must be valid JSON with the fields of the annotation guide, and
its evidence must occur verbatim in the text of its article (whitespace
normalised). Run: python examples/validate_gold.py
"""
import html
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles"
FIELDS = ["doc", "source", "target", "root", "code", "also", "symmetric",
          "date", "required", "evidence"]
ACTOR = re.compile(r"^(?:[A-Z]{3}|IGO:[A-Z]+)$")
DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


def load_docs():
    docs = {}
    for p in sorted(ARTICLES.iterdir()):
        if p.suffix == ".txt":
            docs[p.stem] = p.read_text(encoding="utf-8")
        elif p.suffix == ".html":
            raw = p.read_text(encoding="utf-8")
            m = re.search(r"<article[^>]*>(.*?)</article>", raw, re.S)
            body = re.sub(r"<[^>]+>", " ", m.group(1) if m else raw)
            docs[p.stem] = html.unescape(body)
        elif p.suffix == ".jsonl":
            for line in p.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    rec = json.loads(line)
                    docs[rec["id"]] = rec["title"] + "\n" + rec["text"]
    return {k: norm(v) for k, v in docs.items()}


def main():
    docs = load_docs()
    errors, per_doc = [], Counter()
    lines = (HERE / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines, 1):
        try:
            g = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {i}: invalid JSON ({e})")
            continue
        if list(g) != FIELDS:
            errors.append(f"line {i}: fields {list(g)}")
            continue
        if g["doc"] not in docs:
            errors.append(f"line {i}: unknown doc {g['doc']}")
            continue
        per_doc[g["doc"]] += 1
        for k in ("source", "target"):
            if not ACTOR.match(g[k]):
                errors.append(f"line {i}: bad {k} {g[k]!r}")
        if g["source"] == g["target"]:
            errors.append(f"line {i}: source == target")
        if not re.fullmatch(r"(0[1-9]|1\d|20)", g["root"]) or not g["code"].startswith(g["root"]):
            errors.append(f"line {i}: bad root/code {g['root']}/{g['code']}")
        if not all(re.fullmatch(r"(0[1-9]|1\d|20)", a) for a in g["also"]):
            errors.append(f"line {i}: bad also {g['also']}")
        if g["date"] is not None and not DATE.match(g["date"]):
            errors.append(f"line {i}: bad date {g['date']!r}")
        if not isinstance(g["symmetric"], bool) or not isinstance(g["required"], bool):
            errors.append(f"line {i}: symmetric/required must be booleans")
        if norm(g["evidence"]) not in docs[g["doc"]]:
            errors.append(f"line {i}: evidence not found in {g['doc']}: {g['evidence']!r}")
    for d in docs:
        print(f"{d:32s} {per_doc[d]:3d} gold events")
    print(f"{len(lines)} lines, {len(errors)} errors")
    for e in errors:
        print("  " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
