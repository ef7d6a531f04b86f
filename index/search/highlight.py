"""Highlights as structured spans: ``(start, end)`` character offsets into a text.

The reader colours them with rich ``Text`` and the command line with ANSI or JSON, so
the engine hands out positions, never markup. A word matches when its analysed form
(lower-cased, stemmed) is one the query searched for, or it starts with a searched
prefix.
"""

from __future__ import annotations

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
    spans: list[Span] = []
    # removestops=False: a stop word can be part of a prefix being typed ("the*").
    for token in _ANALYZER(text, chars=True, removestops=False):
        raw = text[token.startchar : token.endchar].lower()
        if token.text in words or (prefixes and raw.startswith(prefixes)):
            spans.append((token.startchar, token.endchar))
    return spans
