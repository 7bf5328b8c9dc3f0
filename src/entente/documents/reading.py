"""Reading documents: files, folders (recursive) and stdin, in txt, HTML, JSON(L) and CSV.

``read_documents`` yields a ``Document`` for every readable article and an
``InputError`` (not raised) for every file or record that cannot be read, so
the caller reports it in one line and the batch goes on. It reads lazily, file
by file (JSON Lines line by line): nothing in one input can stop the others.

- Every file found in a folder is either read or named with the reason it is not
  (another format, no suffix, hidden, not a regular file); an empty folder is named too.
- Text with a byte-order mark is read as UTF-8, UTF-16 or UTF-32 whatever ``encoding``
  says; ``encoding`` applies to stdin as to files.
- File names that are not UTF-8 are shown with ``\\xNN`` escapes; lone surrogates in
  JSON strings ("\\ud800") become U+FFFD (one character for one, so offsets hold).
- Each document carries its source key (``Document.source_key``): its file's absolute
  path, or the file and the record's id or position.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

from ..errors import (
    BinaryFileError,
    EmptyInputError,
    EncodingError,
    FormatError,
    InputError,
    UnsupportedFileError,
)
from ..model import Document

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
JSON_LINES_SUFFIXES = {".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | CSV_SUFFIXES

#: A single article larger than this is not news copy; 20 MB is ~3 million words.
MAX_ARTICLE_BYTES = 20_000_000
#: A JSON or CSV file is read whole (a JSON Lines file line by line): past this, use JSON Lines.
MAX_RECORDS_BYTES = 1_000_000_000
#: A share of NUL or control bytes above this marks a binary file.
BINARY_CONTROL_RATIO = 0.05
#: Bytes looked at to tell binary from text, and UTF-16 without a byte-order mark.
HEAD_BYTES = 8192
#: Share of NUL bytes at odd (or even) offsets from which a file looks like UTF-16 without a BOM.
UTF16_NUL_RATIO = 0.3

RECORD_FIELDS = ("id", "title", "date", "url", "source")
STDIN = "<stdin>"
#: Byte-order marks, longest first (a UTF-32 LE mark starts with the UTF-16 LE one).
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_SURROGATE = re.compile("[\ud800-\udfff]")


def shown(path: str | os.PathLike[str]) -> str:
    """A path as text that can be printed and stored: bytes that are not UTF-8 as ``\\xNN``."""
    return os.fspath(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def clean_str(s: str) -> str:
    """``s`` with lone surrogates (from JSON escapes) replaced by U+FFFD, one character for one."""
    return _SURROGATE.sub("\ufffd", s) if _SURROGATE.search(s) else s


def read_documents(
    paths: Iterable[str], encoding: str = "utf-8", stdin: IO[Any] | None = None
) -> Iterator[Document | InputError]:
    """Yield documents (or the errors of unreadable inputs) from files, folders or ``-``."""
    for raw in paths:
        if raw == "-":
            yield from _read_stdin(stdin if stdin is not None else sys.stdin, encoding)
            continue
        path = Path(raw)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except (OSError, ValueError) as exc:  # a name too long, a NUL in it
            yield InputError(shown(raw), f"cannot read: {exc}")
            continue
        if is_dir:
            yield from _read_folder(path, encoding)
        elif exists:
            yield from read_file(path, encoding)
        else:
            yield InputError(shown(raw), "no such file or folder")


def _read_folder(folder: Path, encoding: str) -> Iterator[Document | InputError]:
    """Every file under ``folder``, in path order; hidden folders and links to folders are named
    once and not entered; an empty folder is named."""
    found = False
    for path, problem in _walk(folder):
        found = True
        if problem:
            yield UnsupportedFileError(shown(path), problem)
        else:
            yield from read_file(path, encoding)
    if not found:
        yield EmptyInputError(shown(folder), "no files in this folder")


def _walk(folder: Path) -> Iterator[tuple[Path, str | None]]:
    """(path, why it is not read or None) for everything under ``folder``, sorted by name at each level."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield folder, f"cannot read this folder: {exc.strerror or exc}"
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            linked_dir = not is_dir and entry.is_symlink() and path.is_dir()
        except OSError as exc:
            yield path, f"cannot read: {exc.strerror or exc}"
            continue
        if linked_dir:
            yield path, "link to a folder: not followed (give the folder itself)"
        elif is_dir and entry.name.startswith("."):
            yield path, "hidden folder: not read (give its files by name to read them)"
        elif is_dir:
            yield from _walk(path)
        else:
            yield path, _folder_problem(path)


def _folder_problem(path: Path) -> str | None:
    """Why a file found in a folder is not read, or None to read it."""
    if path.name.startswith("."):
        return "hidden file: not read in a folder (give it by name to read it)"
    suffix = path.suffix.lower()
    if not suffix:
        return "no file suffix: not read in a folder (rename it .txt, or give it by name to read it as text)"
    if suffix not in SUFFIXES:
        return (f"unsupported file type {suffix}: entente reads .txt, .md, .html, .json, .jsonl and .csv "
                "(convert it, e.g. to .txt)")
    return None


def source_path(path: Path | Any) -> str:
    """The absolute path a file's documents are keyed by (shown as text)."""
    if not isinstance(path, Path):
        return str(path)  # a file Spark read, named by its URI
    try:
        return shown(os.path.realpath(path))
    except (OSError, ValueError):
        return shown(os.path.abspath(path))


def read_file(path: Path | Any, encoding: str = "utf-8") -> Iterator[Document | InputError]:
    """Yield the documents in one file, by its suffix (unknown suffixes read as text).

    ``path`` is a ``Path`` or an object with ``read_bytes``, ``suffix``, ``stem`` and ``str``
    (a file the Spark executors read).
    """
    name = shown(str(path))
    suffix = path.suffix.lower()
    try:
        if isinstance(path, Path):
            _check_regular(path, name, suffix)
            if suffix in JSON_LINES_SUFFIXES:
                yield from _json_lines_file(path, name, encoding)
                return
        data = path.read_bytes()
        text = decode(data, name, encoding)
        stem, key = shown(path.stem), source_path(path)
        if suffix in HTML_SUFFIXES:
            yield _html_document(text, stem, name, key)
        elif suffix in JSON_SUFFIXES:
            yield from _json_documents(text, stem, name, key)
        elif suffix in CSV_SUFFIXES:
            yield from _csv_documents(text, stem, name, key)
        else:
            if not text.strip():
                raise EmptyInputError(name, "file is empty")
            yield Document(id=stem, text=text, path=name, key=key)
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(name, f"cannot read: {exc.strerror or exc}")
    except MemoryError:
        yield InputError(name, "not enough memory to read it: split it into smaller files")


def _check_regular(path: Path, name: str, suffix: str) -> None:
    """Refuse what is not a regular file (a named pipe would block forever) or is too large."""
    st = path.stat()
    if not stat.S_ISREG(st.st_mode):
        raise UnsupportedFileError(name, "not a regular file (a named pipe, socket or device): not read")
    limit = MAX_RECORDS_BYTES if suffix in JSON_SUFFIXES | CSV_SUFFIXES else MAX_ARTICLE_BYTES
    if st.st_size > limit and suffix not in JSON_LINES_SUFFIXES:
        hint = "use JSON Lines, which is read line by line" if limit == MAX_RECORDS_BYTES else \
            "split it or use JSON Lines, one article per line"
        raise InputError(name, f"file is {st.st_size:,} bytes, too large for one read (limit {limit:,}): {hint}")


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``data`` names, if any."""
    return next((enc for bom, enc in BOMS if data.startswith(bom)), None)


def decode(data: bytes, name: str, encoding: str = "utf-8") -> str:
    """Decode bytes to text, refusing binary data with a clear message.

    A byte-order mark decides the encoding (UTF-8, UTF-16, UTF-32); otherwise ``encoding``.
    """
    if not data.strip():
        raise EmptyInputError(name, "file is empty")
    _check_codec(name, encoding)
    bom = bom_encoding(data)
    wide = _is_wide(encoding)
    if bom is None and not wide:
        _refuse_binary(data[:HEAD_BYTES], name)
    try:
        text = data.decode(bom or encoding)
    except UnicodeDecodeError as exc:
        raise EncodingError(
            name,
            f"file is not {bom or encoding} (bad byte at offset {exc.start}): try --encoding latin-1 or cp1252",
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise EmptyInputError(name, "file is empty")
    return text


def _check_codec(name: str, encoding: str) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise EncodingError(name, f"unknown encoding {encoding!r}: use e.g. utf-8, latin-1, cp1252, utf-16") from None


def _is_wide(encoding: str) -> bool:
    """UTF-16 and UTF-32 text holds NUL bytes."""
    try:
        return codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    except LookupError:
        return False


def _refuse_binary(head: bytes, name: str) -> None:
    if b"\x00" in head:
        odd, even = head[1::2].count(0), head[0::2].count(0)
        if max(odd, even) > UTF16_NUL_RATIO * (len(head) / 2) and min(odd, even) < max(odd, even) / 10:
            order = "le" if odd > even else "be"
            raise BinaryFileError(name, f"file looks like UTF-16 without a byte-order mark: try --encoding utf-16-{order}")
        raise BinaryFileError(name, "file is binary (NUL bytes), not text")
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if controls / len(head) > BINARY_CONTROL_RATIO:
        raise BinaryFileError(name, "file is binary (control bytes), not text")


def _read_stdin(stream: IO[Any], encoding: str) -> Iterator[Document | InputError]:
    """Standard input: bytes decoded with ``encoding`` (or its byte-order mark), then read as
    JSON, JSON Lines, HTML or text by what it starts with."""
    try:
        raw = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        text = raw if isinstance(raw, str) else decode(raw, STDIN, encoding)
    except InputError as exc:
        yield exc
        return
    except OSError as exc:
        yield InputError(STDIN, f"cannot read: {exc.strerror or exc}")
        return
    stripped = text.lstrip()
    if not stripped:
        yield EmptyInputError(STDIN, "no input on stdin")
    elif stripped.startswith(("{", "[")):
        yield from _json_documents(text, "stdin", STDIN, STDIN)
    elif stripped.lower().startswith(("<!doctype", "<html")):
        try:
            yield _html_document(text, "stdin", STDIN, STDIN)
        except InputError as exc:
            yield exc
    else:
        text = clean_str(text)
        yield Document(id="stdin", text=text, path=STDIN, key=_stdin_key(text))


def _stdin_key(text: str) -> str:
    """Standard input is not a file that changes: its texts are told apart by their content."""
    return f"{STDIN}#sha={hashlib.sha1(text.encode('utf-8', 'replace')).hexdigest()[:16]}"


# -- records --------------------------------------------------------------------------------------
class _Records:
    """Turns the records of one file into documents: ids, keys, and ids that repeat."""

    def __init__(self, stem: str, name: str, key: str) -> None:
        self.stem, self.name, self.key = stem, name, key
        self.ids: dict[str, int] = {}

    def document(self, rec: object, n: int, single: bool) -> Document:
        default_id = self.stem if single else f"{self.stem}:{n}"
        if not isinstance(rec, dict):
            raise FormatError(self.name, f"record {n} is not an object with a 'text' field")
        text = rec.get("text")
        if not isinstance(text, str) or not text.strip():
            raise EmptyInputError(self.name, f"record {default_id} has no 'text'")
        fields = {k: _field(rec.get(k)) for k in RECORD_FIELDS}
        rid = fields["id"]
        if rid is not None:
            if rid in self.ids:
                raise FormatError(self.name, f"record {n} repeats id {rid!r} of record {self.ids[rid]}: skipped "
                                             "(ids must be unique within a file)")
            self.ids[rid] = n
        text = clean_str(text)
        if self.key == STDIN:
            key = f"{STDIN}#id={rid}" if rid is not None else _stdin_key(text)
        else:
            key = f"{self.key}#id={rid}" if rid is not None else f"{self.key}#record={n}"
        return Document(
            id=rid or default_id, text=text, path=self.name, title=fields["title"], date=fields["date"],
            url=fields["url"], source=fields["source"], date_origin="meta" if fields["date"] else None, key=key,
        )

    def documents(self, items: Iterable[tuple[int, object]], single: bool) -> Iterator[Document | InputError]:
        for n, rec in items:
            try:
                yield self.document(rec, n, single)
            except InputError as exc:
                yield exc


def _field(value: object) -> str | None:
    """A record's metadata field as text: strings and numbers; nothing for empty values, lists or objects."""
    if value is None or value == "" or isinstance(value, list | dict):
        return None
    return clean_str(str(value))


def _loads(text: str, name: str, line: int | None = None) -> Any:
    """JSON, or a ``FormatError`` saying where it broke (``line``: the line of a JSON Lines record)."""
    where = f" on line {line}" if line is not None else ""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        at = f"on line {line}, column {exc.colno}" if line is not None else f"at line {exc.lineno} column {exc.colno}"
        raise FormatError(name, f"broken JSON {at}: {exc.msg}") from None
    except RecursionError:
        raise FormatError(name, f"JSON{where} nested too deeply to be a record") from None
    except ValueError as exc:  # a number with more digits than Python converts
        raise FormatError(name, f"JSON{where} cannot be read: {exc}") from None


def _json_documents(text: str, stem: str, name: str, key: str) -> Iterator[Document | InputError]:
    records = _Records(stem, name, key)
    stripped = text.strip()
    if stripped.startswith("[") or (stripped.startswith("{") and not stripped.split("\n", 1)[0].rstrip().endswith("}")):
        # an array, or one pretty-printed object (a JSON Lines record closes on its own line)
        try:
            data = _loads(stripped, name)
        except InputError as exc:
            yield exc
            return
        if isinstance(data, list):
            if not data:
                yield EmptyInputError(name, "JSON array holds no records")
                return
            yield from records.documents(enumerate(data, 1), single=len(data) == 1)
        elif isinstance(data, dict):
            yield from records.documents([(1, data)], single=True)
        else:
            yield FormatError(name, f"JSON holds a {type(data).__name__}, not records")
        return
    # split on "\n" only: str.splitlines() also breaks at U+2028 and U+0085, which
    # JSON (ensure_ascii=False) leaves unescaped inside strings
    lines = [(n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    yield from _json_lines(lines, records)


def _json_lines(lines: Iterable[tuple[int, str | InputError]], records: _Records) -> Iterator[Document | InputError]:
    """The records of JSON Lines, numbered by line; a line that is not JSON is one error, the
    others are read. A file of one line names its record by the file (its stem)."""
    it = iter(lines)
    first = next(it, None)
    if first is None:
        yield EmptyInputError(records.name, "file is empty")
        return
    second = next(it, None)
    head = [first] if second is None else [first, second]
    for lineno, line in itertools.chain(head, it):
        if isinstance(line, InputError):
            yield line
            continue
        try:
            rec = _loads(line, records.name, lineno)
        except InputError as exc:
            yield exc
            continue
        yield from records.documents([(lineno, rec)], single=second is None)


def _json_lines_file(path: Path, name: str, encoding: str) -> Iterator[Document | InputError]:
    """A JSON Lines file, read line by line (a file of UTF-16 or UTF-32 is read whole)."""
    with path.open("rb") as f:
        head = f.read(HEAD_BYTES)
        bom = bom_encoding(head)
        first = head.lstrip(codecs.BOM_UTF8).lstrip().split(b"\n", 1)[0].rstrip()
        whole = first.startswith(b"[") or (first.startswith(b"{") and not first.endswith(b"}"))  # not one per line
        if (bom and bom != "utf-8-sig") or _is_wide(encoding) or whole:
            text = decode(head + f.read(), name, encoding)
            yield from _json_documents(text, shown(path.stem), name, source_path(path))
            return
        if not head.strip():
            raise EmptyInputError(name, "file is empty")
        _check_codec(name, encoding)
        _refuse_binary(head, name)
        f.seek(len(codecs.BOM_UTF8) if bom else 0)
        records = _Records(shown(path.stem), name, source_path(path))
        yield from _json_lines(_decoded_lines(f, name, encoding), records)


def _decoded_lines(f: IO[bytes], name: str, encoding: str) -> Iterator[tuple[int, str | InputError]]:
    """The non-blank lines of a binary file as text, numbered from 1, or the error of a line
    that does not decode."""
    for n, raw in enumerate(f, 1):
        if not raw.strip():
            continue
        try:
            yield n, raw.decode(encoding).rstrip("\r\n")
        except UnicodeDecodeError as exc:
            yield n, EncodingError(name, f"line {n} is not {encoding} (bad byte at column {exc.start + 1}): "
                                         "try --encoding latin-1 or cp1252")


def _csv_documents(text: str, stem: str, name: str, key: str) -> Iterator[Document | InputError]:
    csv.field_size_limit(max(csv.field_size_limit(), MAX_ARTICLE_BYTES))  # an article is one field
    try:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise FormatError(name, "CSV needs a 'text' column (optional: id,title,date,url,source)")
        rows = list(reader)
    except csv.Error as exc:
        raise FormatError(name, f"broken CSV: {exc}") from None
    if not rows:
        raise EmptyInputError(name, "CSV has a header but no rows")
    yield from _Records(stem, name, key).documents(enumerate(rows, 1), single=False)


class _TextOf(HTMLParser):
    """The text of an HTML page without its markup, scripts and styles: the fallback when the
    main-text extractor finds nothing (a page nested thousands of levels deep)."""

    SKIP = frozenset({"script", "style", "noscript", "template", "head", "title"})
    BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
                        "blockquote", "pre", "td", "header", "footer"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)

    def text(self) -> str:
        paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", "".join(self.parts)))
        return "\n\n".join(p for p in paragraphs if p)


def plain_text(html: str) -> str:
    """The text of an HTML page, paragraph by paragraph (no main-text detection)."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    return parser.text()


def _html_document(html: str, stem: str, name: str, key: str) -> Document:
    import trafilatura  # slow import; only HTML needs it

    if "<" not in html:
        raise FormatError(name, "not HTML: no tags found (rename it .txt?)")
    text, meta = None, None
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
        meta = trafilatura.extract_metadata(html)
    except (ValueError, TypeError, RecursionError):  # a page too deep or too broken for lxml
        pass
    if not text or not text.strip():
        text = plain_text(html)  # the extractor found nothing: keep the page's text rather than lose it
    if not text.strip():
        raise EmptyInputError(name, "HTML page has no text")
    text = clean_str(text)
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
        key=key,
    )
