"""The words of every title and abstract, with counts: what did-you-mean draws from.

The index holds stems ("reinforc"), which cannot tell a misspelling from a word (the
misspelt "reinforcment" stems to a real stem) and read badly as suggestions. A Whoosh
spelling field for abstracts would keep whole words but doubled indexing time; a
plain word list, counted as papers are written and saved beside each generation
(``words.tsv``), costs a few percent.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from whoosh.spelling import ListCorrector

from index.durable import write_atomic
from index.store.analysis import fold

FILE_NAME = "words.tsv"
_WORD = re.compile(r"[^\W\d_]{3,24}")
PRUNE_AT = 400_000
"""Distinct words kept before those seen once are dropped (memory stays flat)."""


class Vocabulary:
    """Lower-case words and how often they occur."""

    def __init__(self, counts: Counter[str] | None = None) -> None:
        self.counts: Counter[str] = counts if counts is not None else Counter()
        self._sorted: list[str] | None = None
        self._folded: dict[str, str] | None = None

    def add(self, text: str) -> None:
        self.counts.update(_WORD.findall(text.lower()))
        if len(self.counts) > PRUNE_AT:
            # A word seen once is most likely a typo or a name: not worth suggesting.
            self.counts = Counter({word: count for word, count in self.counts.items() if count > 1})
        self._sorted = self._folded = None

    def save(self, folder: Path) -> None:
        lines = [f"{word}\t{count}\n" for word, count in sorted(self.counts.items())]
        # Atomic: an import rewrites the live generation's list while a reader may read it.
        write_atomic(folder / FILE_NAME, "".join(lines).encode("utf-8"))

    @classmethod
    def load(cls, folder: Path) -> Vocabulary:
        counts: Counter[str] = Counter()
        try:
            text = (folder / FILE_NAME).read_text(encoding="utf-8")
        except OSError:
            return cls(counts)  # an index from before the word list: no suggestions
        for line in text.splitlines():
            word, _, count = line.partition("\t")
            if word and count.isdigit():
                counts[word] = int(count)
        return cls(counts)

    def knows(self, word: str) -> bool:
        """Whether ``word`` (any case, with or without accents) occurs in the library."""
        word = word.lower()
        if word in self.counts:
            return True
        if self._folded is None:
            self._folded = {fold(known): known for known in self.counts}
        return fold(word) in self._folded

    def suggest(self, word: str) -> str | None:
        """The likeliest word within two edits of ``word`` (same first letter), or None."""
        if not self.counts:
            return None
        if self._sorted is None:
            self._sorted = sorted(self.counts)
        candidates = ListCorrector(self._sorted)._suggestions(word.lower(), 2, 1)
        ranked = sorted(candidates, key=lambda item: (-item[0], -self.counts[item[1]]))
        return ranked[0][1] if ranked else None
