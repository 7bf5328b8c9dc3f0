"""Safe output: text from articles never acts as code in what entente writes.

Everything entente prints or writes carries text read from articles (titles, URLs,
sentences, names), which a hostile page can fill with anything. These functions make
it inert in each kind of output:

- ``safe_url``: only ``http`` and ``https`` URLs become links (no ``javascript:``,
  ``data:``, ``file:``), whatever control characters or case hide the scheme;
- ``markdown``: text in Markdown with its HTML and its link, image, code, emphasis and table
  syntax escaped, on one line;
- ``spreadsheet_cell``: a CSV or TSV cell that starts with ``=``, ``+``, ``-``, ``@``
  (or a tab or carriage return) gets a leading ``'``, so a spreadsheet shows it rather
  than running it as a formula (OWASP's advice on CSV injection). Numbers are left as
  they are (a negative Goldstein weight is not a formula). ``--raw`` turns this off;
- ``terminal``, ``one_line``: control characters (ANSI escape sequences) shown as ``\\xNN``
  in a line written to a terminal; a message folded onto one line.

HTML output escapes everything with ``html.escape`` (see ``brief.py``).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

#: The schemes a link may have.
LINK_SCHEMES = frozenset({"http", "https"})
#: What starts a spreadsheet formula, and what spreadsheets strip before looking (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_PREFIX = "'"
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
#: Characters that make links, images, code, emphasis or table cells anywhere in a Markdown line,
#: escaped with a backslash (HTML's become entities: a backslash before ``<`` is not read as an
#: escape by every Markdown); a list marker or heading at the start of a text is escaped too
#: (``_MARKDOWN_START``).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]|])")
_MARKDOWN_START = re.compile(r"^(\d+)?([-+=.)#>*])")
#: ASCII and C1 control characters (a terminal reads escape sequences in them).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: What browsers drop from a URL before reading its scheme ("java\tscript:", " javascript:").
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f]")


def safe_url(url: object) -> str | None:
    """``url`` if it is an absolute http or https URL with a host, else None (never a link)."""
    if not isinstance(url, str):
        return None
    trimmed = url.strip()
    try:
        parts = urlsplit(_URL_NOISE.sub("", trimmed))
    except ValueError:
        return None
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.netloc or _URL_NOISE.search(trimmed):
        return None
    return trimmed


def markdown(text: object, start: bool = False) -> str:
    """``text`` as inert Markdown: on one line, ``<``/``>``/``&`` as entities, link, image, code,
    emphasis and table syntax escaped; with ``start``, also a list marker or heading it begins with (for text
    that starts a line or a list item)."""
    s = " ".join(str(text).split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MARKDOWN_SPECIAL.sub(r"\\\1", s)
    return _MARKDOWN_START.sub(lambda m: (m.group(1) or "") + "\\" + m.group(2), s) if start else s


def spreadsheet_cell(value: Any) -> Any:
    """A value for a CSV or TSV cell: text that a spreadsheet would run as a formula gets a leading ``'``."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS) or _NUMBER.fullmatch(value):
        return value
    return FORMULA_PREFIX + value


def terminal(text: str) -> str:
    """``text`` with control characters shown as ``\\xNN``, for a line written to a terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def one_line(text: str) -> str:
    """A message on one line, without control characters (a YAML error spans several lines)."""
    return terminal(" ".join(text.split()))
