"""Highlights as structured spans: ``(start, end)`` character offsets into a text.

The reader colours them with rich ``Text`` and the command line with ANSI or JSON, so
the engine hands out positions, never markup. A word matches when its analysed form
(lower-cased, stemmed) is one the query searched for, or it starts with a searched
prefix.
"""

from __future__ import annotations

from typing import Iterable

from index.schema import text_analyzer

Span = tuple[int, int]
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


def excerpt(text: str, spans: list[Span], width: int = 240) -> tuple[str, list[Span]]:
    """A window of about ``width`` characters around the first match, spans shifted."""
    if len(text) <= width:
        return text, spans
    start = 0
    if spans:
        start = max(0, spans[0][0] - width // 4)
        # Start on a word boundary so the excerpt does not open mid-word.
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start > 0 else 0
    end = min(len(text), start + width)
    space = text.rfind(" ", start, end)
    if end < len(text) and space > start:
        end = space
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    kept = [(a + shift, b + shift) for a, b in spans if a >= start and b <= end]
    return prefix + text[start:end] + suffix, kept
