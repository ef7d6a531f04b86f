"""Collecting hits: exact counts in one pass, and searches that stop when superseded.

Whoosh's default top-N collector skips low-scoring blocks, but then ``len(results)``
runs the whole query a second time to count. Scoring every match instead counts as it
goes; for the common words that dominate latency, skipping saved nothing anyway.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from whoosh import collectors

from index.column_filters import ColumnRange

CHECK_EVERY = 512
"""Matches between two looks at the cancel flag: a few ms of work at Whoosh's pace."""


def counting_collector(limit: int, sortedby=None) -> collectors.Collector:
    """A collector that ranks the top ``limit`` and counts every match exactly."""
    if sortedby is not None:
        return collectors.SortingCollector(sortedby, limit=limit)
    collector = collectors.TopCollector(limit, usequality=False)
    # Whoosh also "replaces" the matcher as the minimum competitive score rises, turning
    # an OR into something that skips documents: with it on, the count came out at
    # 3,372 for a word in 9,787 papers. Off, every match is seen once.
    collector.replace = 0
    return collector


class SearchCancelled(Exception):
    """The caller no longer wants this search (the user typed on)."""


class GuardedCollector(collectors.WrappingCollector):
    """Collects like its child, keeping only papers inside ``ranges`` (see
    ``index.column_filters``) and giving up as soon as ``cancelled()`` says so."""

    def __init__(
        self,
        child: collectors.Collector,
        ranges: Sequence[ColumnRange] = (),
        cancelled: Callable[[], bool] | None = None,
    ):
        super().__init__(child)
        self.ranges = list(ranges)
        self.cancelled = cancelled or (lambda: False)
        self._columns: list[tuple[Any, ColumnRange]] = []

    def set_subsearcher(self, subsearcher, offset) -> None:
        super().set_subsearcher(subsearcher, offset)
        reader = subsearcher.reader()
        self._columns = [(reader.column_reader(r.column, translate=False), r) for r in self.ranges]

    def collect_matches(self) -> None:
        collect, columns, cancelled = self.child.collect, self._columns, self.cancelled
        for count, sub_docnum in enumerate(self.child.matches()):
            if not count % CHECK_EVERY and cancelled():
                raise SearchCancelled()
            if all(wanted.accepts(column[sub_docnum]) for column, wanted in columns):
                collect(sub_docnum)
