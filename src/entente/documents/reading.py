"""Reading documents: files, folders (recursive) and stdin, in txt, HTML, JSON(L) and CSV.

``read_documents`` yields a ``Document`` for every readable article and an
``InputError`` (not raised) for every file or record that cannot be read, so
the caller reports it in one line and the batch goes on.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import BinaryFileError, EmptyInputError, EncodingError, FormatError, InputError
from ..model import Document

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | CSV_SUFFIXES

#: A single article larger than this is not news copy; 20 MB is ~3 million words.
MAX_ARTICLE_BYTES = 20_000_000
#: A share of NUL or control bytes above this marks a binary file.
BINARY_CONTROL_RATIO = 0.05

RECORD_FIELDS = ("id", "title", "date", "url", "source")


def read_documents(
    paths: Iterable[str], encoding: str = "utf-8", stdin: io.TextIOBase | None = None
) -> Iterator[Document | InputError]:
    """Yield documents (or the errors of unreadable inputs) from files, folders or ``-``."""
    for raw in paths:
        if raw == "-":
            stream = stdin if stdin is not None else sys.stdin
            yield from _read_stdin(stream.read())
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in SUFFIXES and not child.name.startswith("."):
                    yield from read_file(child, encoding)
        elif path.exists():
            yield from read_file(path, encoding)
        else:
            yield InputError(raw, "no such file or folder")


def read_file(path: Path, encoding: str = "utf-8") -> Iterator[Document | InputError]:
    """Yield the documents in one file, by its suffix (unknown suffixes read as text)."""
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(name, f"cannot read: {exc.strerror or exc}")
        return
    try:
        text = decode(data, name, encoding)
        suffix = path.suffix.lower()
        if suffix in HTML_SUFFIXES:
            yield _html_document(text, path.stem, name)
        elif suffix in JSON_SUFFIXES:
            yield from _json_documents(text, path.stem, name)
        elif suffix in CSV_SUFFIXES:
            yield from _csv_documents(text, path.stem, name)
        else:
            if len(data) > MAX_ARTICLE_BYTES:
                raise InputError(name, f"file is {len(data):,} bytes, too large for one article (limit {MAX_ARTICLE_BYTES:,}): split it or use JSON Lines")
            if not text.strip():
                raise EmptyInputError(name, "file is empty")
            yield Document(id=path.stem, text=text, path=name)
    except InputError as exc:
        yield exc


def decode(data: bytes, name: str, encoding: str = "utf-8") -> str:
    """Decode bytes to text, refusing binary data with a clear message."""
    if not data.strip():
        raise EmptyInputError(name, "file is empty")
    head = data[:8192]
    if b"\x00" in head:
        raise BinaryFileError(name, "file is binary (NUL bytes), not text")
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if controls / len(head) > BINARY_CONTROL_RATIO:
        raise BinaryFileError(name, "file is binary (control bytes), not text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise EncodingError(
            name,
            f"file is not {encoding} (bad byte at offset {exc.start}): try --encoding latin-1 or cp1252",
        ) from None
    except LookupError:
        raise EncodingError(name, f"unknown encoding {encoding!r}") from None
    return text.removeprefix("\ufeff")


def _read_stdin(text: str) -> Iterator[Document | InputError]:
    stripped = text.lstrip()
    if not stripped:
        yield EmptyInputError("<stdin>", "no input on stdin")
    elif stripped.startswith(("{", "[")):
        yield from _json_documents(text, "stdin", "<stdin>")
    elif stripped.lower().startswith(("<!doctype", "<html")):
        try:
            yield _html_document(text, "stdin", "<stdin>")
        except InputError as exc:
            yield exc
    else:
        yield Document(id="stdin", text=text, path="<stdin>")


def _record_document(rec: object, default_id: str, name: str) -> Document:
    if not isinstance(rec, dict):
        raise FormatError(name, f"record {default_id} is not an object")
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        raise EmptyInputError(name, f"record {default_id} has no 'text'")
    fields = {k: (str(rec[k]) if rec.get(k) not in (None, "") else None) for k in RECORD_FIELDS}
    return Document(
        id=fields["id"] or default_id,
        text=text,
        path=name,
        title=fields["title"],
        date=fields["date"],
        url=fields["url"],
        source=fields["source"],
        date_origin="meta" if fields["date"] else None,
    )


def _json_documents(text: str, stem: str, name: str) -> Iterator[Document | InputError]:
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            records = json.loads(stripped)
        except json.JSONDecodeError as exc:
            yield FormatError(name, f"broken JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
            return
        items = list(enumerate(records, 1))
    elif stripped.startswith("{") and not stripped.split("\n", 1)[0].rstrip().endswith("}"):
        # one pretty-printed object (a JSON Lines record closes on its own line)
        try:
            items = [(1, json.loads(stripped))]
        except json.JSONDecodeError as exc:
            yield FormatError(name, f"broken JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
            return
    else:
        items = []
        # split on "\n" only: str.splitlines() also breaks at U+2028 and U+0085, which
        # JSON (ensure_ascii=False) leaves unescaped inside strings
        for lineno, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                items.append((lineno, json.loads(line)))
            except json.JSONDecodeError as exc:
                yield FormatError(name, f"broken JSON on line {lineno}: {exc.msg}")
    single = len(items) == 1
    for n, rec in items:
        try:
            yield _record_document(rec, stem if single else f"{stem}:{n}", name)
        except InputError as exc:
            yield exc


def _csv_documents(text: str, stem: str, name: str) -> Iterator[Document | InputError]:
    try:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise FormatError(name, "CSV needs a 'text' column (optional: id,title,date,url,source)")
        rows = list(reader)
    except csv.Error as exc:
        raise FormatError(name, f"broken CSV: {exc}") from None
    for n, row in enumerate(rows, 1):
        try:
            yield _record_document(row, f"{stem}:{n}", name)
        except InputError as exc:
            yield exc


def _html_document(html: str, stem: str, name: str) -> Document:
    import trafilatura  # slow import; only HTML needs it

    if "<" not in html:
        raise FormatError(name, "not HTML: no tags found (rename it .txt?)")
    try:
        text = trafilatura.extract(
            html, include_comments=False, include_tables=False, favor_recall=True
        )
        meta = trafilatura.extract_metadata(html)
    except (ValueError, TypeError) as exc:
        raise FormatError(name, f"broken HTML: {exc}") from None
    if not text or not text.strip():
        raise EmptyInputError(name, "HTML page has no main text")
    date = getattr(meta, "date", None) if meta else None
    return Document(
        id=stem,
        text=text,
        path=name,
        title=getattr(meta, "title", None) if meta else None,
        date=date,
        url=getattr(meta, "url", None) if meta else None,
        source=getattr(meta, "sitename", None) if meta else None,
        date_origin="meta" if date else None,
    )
