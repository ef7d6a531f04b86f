"""Highlights as structured spans: ``(start, end)`` character offsets into a text.

The reader colours them with rich ``Text`` and the command line with ANSI or JSON, so
the engine hands out positions, never markup. A word matches when its analysed form
(lower-cased, stemmed) is one the query searched for, or it starts with a searched
prefix.
"""

from __future__ import annotations

import functools
from typing import Iterable

from index.excerpts import Span
from index.store.analysis import text_analyzer

_ANALYZER = text_analyzer()


def find_spans(text: str, words: Iterable[str], prefixes: Iterable[str] = ()) -> list[Span]:
    """Spans of ``text`` matching the analysed ``words`` or the raw ``prefixes``."""
    words = set(words)
    prefixes = tuple(prefixes)
    if not text or not (words or prefixes):
        return []
    return [
        (start, end)
        for start, end, analysed, raw in _tokens(text)
        if analysed in words or (prefixes and raw.startswith(prefixes))
    ]


@functools.lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """Each word of ``text``: where it is, its analysed form and its lower-case self.

    Cached: as a query is typed, the same titles are highlighted again at every key with
    a slightly different prefix, and analysing (stemming) a title is most of the cost of
    drawing its row.
    """
    # removestops=False: a stop word can be part of a prefix being typed ("the*").
    return tuple(
        (token.startchar, token.endchar, token.text, text[token.startchar : token.endchar].lower())
        for token in _ANALYZER(text, chars=True, removestops=False)
    )
