"""A fuzz corpus written into a folder: every kind of bad input that once stopped a batch, next
to good articles (the sample articles written for this project).

``build(folder, scale)`` writes it and returns what each entry should give. ``scale`` 1 is
the unit tests' size (seconds); the benchmark (``bench/sizes.py --fuzz``) uses the sizes of
the report (a 920 KB repeated sentence, 60 KB of punctuation, 250 KB of actors, 950 KB of
prose), which take minutes.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).parents[1]
ARTICLES = ROOT / "examples" / "articles"
#: The good articles: their events must all come out of a run over the whole folder.
GOOD = ("01_ind_kaz_uranium_2015.txt", "03_sau_irn_beijing_2023.txt", "09_gbr_rus_skripal_2018.txt")
SENTENCE = "India and China held talks on Tuesday. "
ACTORS = ("India, China, Russia, Kazakhstan, Pakistan, Iran, Turkey and Japan met officials from the United "
          "States, France, Germany, Brazil and Egypt in Geneva on Monday. ")


@dataclass
class Fuzz:
    """What the corpus holds: files that must be skipped when read (name -> words the reason must
    hold), files read but refused by the per-document checks, odd files that must be read, and the
    good articles."""

    folder: Path
    bad: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    odd: list[str] = field(default_factory=list)
    good: list[str] = field(default_factory=list)


def _prose(chars: int, seed: int = 3) -> str:
    """Paragraphs of the test sentences (written for this project), shuffled."""
    import yaml

    sentences = [s["text"] for s in yaml.safe_load((ROOT / "tests" / "data" / "sentences.yaml").read_text("utf-8"))]
    rng = random.Random(seed)
    out, size = [], 0
    while size < chars:
        para = " ".join(rng.sample(sentences, 3))
        out.append(para)
        size += len(para) + 2
    return "\n\n".join(out)


def build(folder: Path, scale: float = 1.0, fifo: bool = True) -> Fuzz:
    """Write the corpus into ``folder`` (created); see the module docstring."""
    folder.mkdir(parents=True, exist_ok=True)
    f = Fuzz(folder)

    def bad(name: str, data: bytes | str, why: str) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        f.bad[name] = why

    def odd(name: str | bytes, data: bytes | str) -> None:
        path = os.path.join(os.fsencode(folder), name if isinstance(name, bytes) else os.fsencode(name))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
        f.odd.append(os.fsdecode(name) if isinstance(name, bytes) else name)

    for name in GOOD:
        shutil.copy(ARTICLES / name, folder / name)
        f.good.append(name)
    n = max(1, int(scale))
    # JSON that stopped a batch
    bad("deep.json", "[" * 200_000 + "]" * 200_000, "nested too deeply")
    bad("deep_object.json", '{"text": ' * 50_000 + '"x"' + "}" * 50_000, "nested too deeply")
    bad("broken.json", '[{"text": "India and China held talks."}, {"text": ', "broken JSON")
    bad("empty_array.json", "[]", "no records")
    bad("scalar.json", '"just a string"', "not an object")
    bad("header_only.csv", "id,text,date\n", "no rows")
    bad("no_text_column.csv", "id,body\n1,India met China.\n", "'text' column")
    bad("repeated_ids.jsonl", '{"id": "x", "text": "India met China on Monday."}\n'
                              '{"id": "x", "text": "China met India on Tuesday."}\n', "repeats id")
    odd("lone_surrogate.json", '{"id": "surrogate", "text": "India and Kazakhstan held talks \\ud800 on Monday."}')
    # bytes that are not text, or text in another encoding
    bad("binary.txt", bytes(range(256)) * 4, "binary")
    bad("empty.txt", "", "empty")
    bad("blank.txt", "  \n\n \t\n", "empty")
    bad("latin1.txt", "Caf\xe9 diplomacy in Paris: France and Germany met.".encode("latin-1"), "--encoding")
    bad("utf16_no_bom.txt", "India and China held talks.".encode("utf-16-le"), "utf-16")
    odd("utf16.txt", "India and China held talks on Monday.".encode("utf-16"))
    odd("utf16_be.txt", b"\xfe\xff" + "Russia and Turkey met on Friday.".encode("utf-16-be"))
    odd("utf32.txt", "Japan and Brazil signed an accord on Wednesday.".encode("utf-32"))
    odd(b"name_\xff\xfe_latin1.txt", "Iran and Pakistan held talks on Sunday.")
    # files a folder holds that are not articles
    bad("report.docx", b"PK\x03\x04" + bytes(60), "unsupported file type .docx")
    bad("picture.png", b"\x89PNG\r\n\x1a\n" + bytes(40), "unsupported file type .png")
    bad("README", "India met China.", "no file suffix")
    bad(".hidden.txt", "India met China.", "hidden file")
    bad(".cache/notes.txt", "India met China.", "hidden folder")
    f.bad.pop(".cache/notes.txt")
    f.bad[".cache"] = "hidden folder"
    (folder / "empty_folder").mkdir(exist_ok=True)  # holds no input: not named (an empty folder given is)
    if fifo and hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.txt")
        f.bad["pipe.txt"] = "not a regular file"
    # documents that hung or exhausted the machine
    odd("punctuation.txt", ".,;:!?()[]" * (6_000 * n))
    odd("digits.txt", "1234 5678 9012 " * (2_000 * n))
    f.odd[-2:] = []
    f.refused.update({"punctuation.txt": "not prose", "digits.txt": "not prose"})
    odd("repeated.txt", SENTENCE * (int(800 * scale)))
    odd("actors.txt", ACTORS * (int(150 * scale)))
    odd("prose.txt", _prose(int(30_000 * scale)))
    odd("long_runs.txt", "India met China. " + "x" * 50_000 + " " + "!?" * 5_000 + " Russia met Iran on Monday.")
    # HTML nested too deep for the extractor: its text is kept
    odd("deep.html", "<html><body>" + "<div>" * 10_000 + "<p>Kazakhstan and India signed a trade pact on "
                     "Monday in Astana.</p>" + "</div>" * 10_000 + "</body></html>")
    # two files with one name in two folders, and the same text under two names
    odd("a/story.txt", "India and China held border talks on Monday in Beijing.")
    odd("b/story.txt", "Kazakhstan and India signed a trade pact on Monday in Astana.")
    odd("copy_of_01.txt", (ARTICLES / GOOD[0]).read_text("utf-8"))
    # records: a good one beside a broken line (the file is named once, for that line)
    odd("mixed.jsonl", json.dumps({"id": "rec-ok", "text": "France and Germany held talks on Monday."}) + "\n"
        + '{"id": "rec-bad", "text": \n')
    f.bad["mixed.jsonl"] = "broken JSON on line 2"
    bad("no_text.jsonl", json.dumps({"id": "rec-empty", "text": " "}) + "\n", "has no 'text'")
    return f
