"""How scientific text becomes terms: what a researcher types must meet what papers say.

- every letter and digit run is a word, one letter or digit included (``Q``-learning,
  ``3``D, GPT-``4``); runs split where letters meet digits, so ``GPT4`` is ``gpt 4``
  like ``GPT-4``;
- hyphens, slashes and other punctuation only separate: ``Q-learning`` is the words
  ``q learning`` at consecutive positions, so the query ``q-learning`` (a phrase of its
  parts, see the schema's ``multitoken_query``) finds "Q-learning" and "Q learning",
  and ``learning`` alone finds it too;
- accents and special letters fold (``Schrödinger`` = ``schrodinger``, ``Łojasiewicz``
  = ``lojasiewicz``), in every text field and in author names;
- a Greek letter is also its name (``τ`` = ``tau``, ``μ`` = ``mu``), and LaTeX letters
  too (``$\\Lambda_{\\alpha}$`` indexes ``lambda alpha``); other LaTeX commands
  (``\\textbf``) are formatting and say nothing;
- English stop words are dropped (positions renumbered, so phrases still meet) and
  words are stemmed (``learning`` = ``learned``), except in author and org names.

Every token keeps its character offsets in the original text, so highlights follow the
same analysis as search.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from whoosh.analysis import CompositeAnalyzer, StemFilter, Token, Tokenizer
from whoosh.analysis.filters import STOP_WORDS

GREEK_NAMES = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψω",
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma sigma "
        "tau upsilon phi chi psi omega".split(),
        strict=True,
    )
)
"""Lower-case Greek letter -> name (upper case folds to lower first; ς and σ are sigma)."""
_LATEX_GREEK = {name: name for name in GREEK_NAMES.values()} | {
    "ell": "ell",
    "infty": "infty",
    "nabla": "nabla",
    "partial": "partial",
    "varepsilon": "epsilon",
    "vartheta": "theta",
    "varphi": "phi",
    "varsigma": "sigma",
    "varrho": "rho",
    "varpi": "pi",
}
# Letters NFKD leaves whole: fold them by hand.
_SPECIAL = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ŀ": "l", "ħ": "h"}
)
# Math symbols people write in titles, read as the names LaTeX gives them.
_SYMBOLS = {"ℓ": "ell", "∞": "infty", "∇": "nabla", "∂": "partial"}
_RUN = re.compile(r"\\[A-Za-z]+|[^\W_]+|[ℓ∞∇∂]")
_ASCII_PIECE = re.compile(r"[0-9]+|[A-Za-z]+")
# Letters, digits (superscripts too: G²RPO is g 2 rpo, as G^2RPO is) and Greek apart.
_SUPERSCRIPTS = "\u00b2\u00b3\u00b9\u2070-\u2079\u2080-\u2089"
_GREEK = "\u0370-\u03ff\u1f00-\u1fff"
_PIECE = re.compile(rf"[\d{_SUPERSCRIPTS}]+|[{_GREEK}]+|[^\W\d_{_GREEK}{_SUPERSCRIPTS}]+")


def fold(text: str) -> str:
    """Lower case, accents and special letters folded: ``Ł`` -> ``l``, ``Ü`` -> ``u``."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).translate(_SPECIAL)


def words(run: str) -> Iterator[tuple[str, int, int]]:
    """The words of one run of letters and digits: (word, start, end) within the run."""
    if run.isascii():
        if run.isalpha() or run.isdigit():
            yield run.lower(), 0, len(run)
            return
        for piece in _ASCII_PIECE.finditer(run):
            yield piece.group(0).lower(), piece.start(), piece.end()
        return
    if run in _SYMBOLS:
        yield _SYMBOLS[run], 0, len(run)
        return
    for piece in _PIECE.finditer(run):
        word = fold(piece.group(0))
        if len(word) == 1 and word in GREEK_NAMES:
            word = GREEK_NAMES[word]  # a symbol (τ-bench, μP): its name; Greek words stay Greek
        if word:
            yield word, piece.start(), piece.end()


class ScientificTokenizer(Tokenizer):
    """Words of scientific text (see the module doc), with optional stop-word removal."""

    def __init__(self, stoplist: frozenset[str] = STOP_WORDS) -> None:
        self.stoplist = stoplist

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ScientificTokenizer) and other.stoplist == self.stoplist

    def __hash__(self) -> int:
        return hash(self.stoplist)

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            # A whole value as one term (prefix and wildcard text): folded like the words.
            token.text = token.original = fold(value)
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        stoplist = self.stoplist if removestops else frozenset()
        pos = start_pos
        for match in _RUN.finditer(value):
            run = match.group(0)
            if run[0] == "\\":
                found = _LATEX_GREEK.get(run[1:].lower())
                pieces: Iterator[tuple[str, int, int]] | tuple[tuple[str, int, int], ...] = (
                    ((found, 0, len(run)),) if found else ()
                )
            else:
                pieces = words(run)
            for word, start, end in pieces:
                if word in stoplist:
                    continue
                token.text = word
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = word
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar = start_char + match.start() + start
                    token.endchar = start_char + match.start() + end
                pos += 1
                yield token


def text_analyzer() -> CompositeAnalyzer:
    """Titles and abstracts: scientific words, stop words out, English stemming."""
    return ScientificTokenizer() | StemFilter()


def name_analyzer() -> CompositeAnalyzer:
    """Author and organisation names: the same words, folded, never stemmed or dropped."""
    return CompositeAnalyzer(ScientificTokenizer(stoplist=frozenset()))
