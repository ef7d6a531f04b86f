"""Short pieces of an abstract: its lead for a reading list, or the part around a match.

Pure text (no Whoosh), shared by the exports and the command line.
"""

from __future__ import annotations

import re

Span = tuple[int, int]
"""``(start, end)`` character offsets of a highlighted word."""

_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z(\"'])")


def match_window(text: str, spans: list[Span], width: int = 240) -> tuple[str, list[Span]]:
    """A window of about ``width`` characters around the first match, spans shifted."""
    if len(text) <= width:
        return text, spans
    start = 0
    if spans:
        start = max(0, spans[0][0] - width // 4)
        # Start on a word boundary so the window does not open mid-word.
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start > 0 else 0
    end = min(len(text), start + width)
    space = text.rfind(" ", start, end)
    if end < len(text) and space > start:
        end = space
    prefix = "…" if start else ""
    body = text[start:end]
    if end < len(text):
        body = body.rstrip(",;:")
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    kept = [(a + shift, b + shift) for a, b in spans if a >= start and b <= end]
    return prefix + body + suffix, kept


def excerpt(text: str, limit: int = 200) -> str:
    """The first sentence of ``text``, or its first ``limit`` characters cut at a word."""
    match = _SENTENCE_END.search(text)
    if match and match.end() <= limit:
        return text[: match.end()]
    return match_window(text, [], limit)[0]
