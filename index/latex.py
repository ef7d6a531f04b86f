"""LaTeX text commands as the characters they stand for: ``Djokovi\\'{c}`` is Djoković.

arXiv metadata and the abstracts on Hugging Face carry LaTeX accents (``T\\"ULU 3``,
``Mat\\'ern``, ``\\L ojasiewicz``) and escaped punctuation (``25\\%``). Decoded when a
record is read, they read right in the reader and match what people type (with the
analyzer's accent folding, ``Tulu 3`` finds TÜLU 3). Math (``$\\Lambda_{\\alpha}$``)
stays as written; the analyzer reads its Greek letters.
"""

from __future__ import annotations

import re
import unicodedata

_COMBINING = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}
_LETTERS = {
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "ss": "ß",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
}
_ESCAPED = {"%": "%", "&": "&", "_": "_", "#": "#"}

# \'e  \'{e}  {\'e}  \"{\i}   (symbol accents need no space before their letter)
_SYMBOL_ACCENT = re.compile(r"\{?\\(['`^\"~=.])\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))\}?")
# \c{c}  \v s  {\v{s}}   (letter accents need braces or a space)
_LETTER_ACCENT = re.compile(r"\{?\\([uvHckrdb])(?:\{\s*(\\?[A-Za-z])\s*\}|\s+([A-Za-z]))\}?")
# \o  \L ojasiewicz  {\ss}  \aa{}  (a whole command, not the start of \left or \ie)
_LETTER = re.compile(r"\{?\\(ae|AE|oe|OE|aa|AA|ss|o|O|l|L|i|j)(?![A-Za-z])(?:\{\}|\s)?\}?")
_ESCAPE = re.compile(r"\\([%&_#])")


def _accented(accent: str, letter: str) -> str:
    base = {"\\i": "i", "\\j": "j"}.get(letter, letter)
    return unicodedata.normalize("NFC", base + _COMBINING[accent])


def decode_latex(text: str) -> str:
    """``text`` with LaTeX accents, special letters and escaped punctuation decoded."""
    if "\\" not in text:
        return text
    text = _SYMBOL_ACCENT.sub(lambda m: _accented(m.group(1), m.group(2) or m.group(3)), text)
    text = _LETTER_ACCENT.sub(lambda m: _accented(m.group(1), m.group(2) or m.group(3)), text)
    text = _LETTER.sub(lambda m: _LETTERS[m.group(1)], text)
    return _ESCAPE.sub(lambda m: _ESCAPED[m.group(1)], text)
