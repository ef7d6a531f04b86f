"""Collecting hits: exact counts in one pass, and searches that stop when superseded.

Whoosh's default top-N collector skips low-scoring blocks, but then ``len(results)``
runs the whole query a second time to count. Scoring every match instead counts as it
goes; for the common words that dominate latency, skipping saved nothing anyway.
"""

from __future__ import annotations

from typing import Callable

from whoosh import collectors

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


class CancellableCollector(collectors.WrappingCollector):
    """Collects like its child, but gives up as soon as ``cancelled()`` says so."""

    def __init__(self, child: collectors.Collector, cancelled: Callable[[], bool]):
        super().__init__(child)
        self.cancelled = cancelled

    def collect_matches(self) -> None:
        collect = self.child.collect
        for count, sub_docnum in enumerate(self.child.matches()):
            if not count % CHECK_EVERY and self.cancelled():
                raise SearchCancelled()
            collect(sub_docnum)
