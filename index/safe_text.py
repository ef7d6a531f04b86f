"""The one boundary between third-party text and a terminal.

Titles, abstracts, authors, organisations, links, notes, tags, file names and the
user's own query all come from outside. Written raw, an ``ESC ] 52`` in a title sets
the user's clipboard, ``ESC [ 2J`` clears their screen and ``\\x9b`` (a one-byte CSI
that many terminals honour) starts any sequence at all. Every output path — the
reader's widgets and notifications, the command line's plain and JSON output, the
exports — passes such text through :func:`terminal_safe` (or :func:`json_safe` for
JSON, which must stay lossless) before it is written.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

# C0 controls become their visible Control Pictures (ESC -> ␛, BEL -> ␇), DEL -> ␡.
_VISIBLE = {code: chr(0x2400 + code) for code in range(0x20)}
_VISIBLE[0x7F] = "\u2421"
# C1 controls (U+0080-U+009F; UTF-8 encodes them as C2 80-C2 9F, and some terminals act
# on them) and the bidirectional overrides, which can make text read other than it is.
_REPLACED = [*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_LINE_BREAKS = {0x2028: " ", 0x2029: " "}

_SINGLE_LINE = str.maketrans({**_VISIBLE, **dict.fromkeys(_REPLACED, "\ufffd"), **_LINE_BREAKS, 0x09: " "})
# Multi-line text keeps its newlines; a carriage return (CRLF notes) becomes a space.
# Every mapping is one character to one, so highlight offsets into the text stay right.
_MULTI_LINE = str.maketrans(
    {**_VISIBLE, **dict.fromkeys(_REPLACED, "\ufffd"), **_LINE_BREAKS, 0x09: " ", 0x0A: "\n", 0x0D: " "}
)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def terminal_safe(text: object, multiline: bool = False) -> str:
    """``text`` with nothing a terminal would act on: control characters shown or replaced.

    With ``multiline`` a newline stays a newline (abstracts, notes); otherwise it is
    shown as ␊ so one record stays on one line. Each character maps to exactly one, so
    offsets computed on the original (highlight spans) still apply.
    """
    text = text if isinstance(text, str) else str(text)
    if not _UNSAFE.search(text):
        return text  # the common case costs one regex scan
    return text.translate(_MULTI_LINE if multiline else _SINGLE_LINE)


def has_unsafe(text: str) -> bool:
    """Whether ``text`` holds anything :func:`terminal_safe` would change."""
    return bool(_UNSAFE.search(text))


def json_safe(value: Any, indent: int | None = None) -> str:
    """``value`` as JSON that is exactly the data yet safe to print on a terminal.

    ``json.dumps`` already escapes C0 controls; C1 controls, DEL and the bidirectional
    overrides would go out raw with ``ensure_ascii=False``, so they are escaped too.
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an ``http(s)`` URL that is safe to hyperlink or open, else ``None``.

    OSC 8 hyperlinks and "open in browser" only ever take these: a ``file:`` or
    ``javascript:`` link, or one carrying control characters, is shown as text only.
    """
    if not url or _UNSAFE.search(url) or any(char.isspace() for char in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (``=HYPERLINK(…)``).

    OWASP's advice: prefix a cell that starts with ``= + - @`` (or tab / carriage
    return) with an apostrophe, which spreadsheets hide and treat as "this is text".
    """
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def plural(count: int, word: str) -> str:
    """``1 paper``, ``2 papers``, ``1,234 papers``: counts the user reads say it right."""
    return f"{count:,} {word}" + ("" if count == 1 else "s")
