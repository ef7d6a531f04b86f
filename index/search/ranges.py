"""Date and upvote ranges answered from sort-key columns instead of Whoosh range queries.

Whoosh turns ``date:>=2022`` into a union of trie-term postings covering most of the
index: at 100k papers such a filter cost 0.8-3 s. A top-level range is instead lifted
out of the query and checked per matching paper against the ``date_key`` /
``votes_key`` columns (the same ones sorting reads), which costs microseconds a match.
Ranges under OR or NOT stay in the query, where Whoosh answers them as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

_COLUMNS = {"date": "date_key", "upvotes": "votes_key"}
_MISSING = {"date_key": 0, "votes_key": -1}
"""The column value of a paper without a date / upvote count: never inside a range."""


@dataclass(frozen=True)
class ColumnRange:
    """``low <= column value <= high`` (either bound may be open)."""

    column: str
    low: int | None
    high: int | None

    def accepts_array(self, values: np.ndarray) -> np.ndarray:
        """:meth:`accepts` for many values at once (a boolean mask)."""
        keep = values != _MISSING[self.column]
        if self.low is not None:
            keep &= values >= self.low
        if self.high is not None:
            keep &= values <= self.high
        return keep

    def accepts(self, value: int) -> bool:
        if value == _MISSING[self.column]:
            return False
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


def _as_range(node: wq.Query) -> ColumnRange | None:
    if isinstance(node, wq.DateRange) and node.fieldname == "date":
        low = node.startdate.date().toordinal() + (1 if node.startexcl else 0) if node.startdate else None
        high = node.enddate.date().toordinal() - (1 if node.endexcl else 0) if node.enddate else None
        return ColumnRange("date_key", low, high)
    if isinstance(node, wq.NumericRange) and node.fieldname == "upvotes":
        low = None if node.start is None else int(node.start) + (1 if node.startexcl else 0)
        high = None if node.end is None else int(node.end) - (1 if node.endexcl else 0)
        return ColumnRange("votes_key", low, high)
    return None


def lift_ranges(q: wq.Query) -> tuple[wq.Query, list[ColumnRange]]:
    """Split top-level AND-ed date/upvote ranges from the rest of the query."""
    conjuncts = list(q.subqueries) if isinstance(q, wq.And) else [q]
    kept: list[wq.Query] = []
    ranges: list[ColumnRange] = []
    for node in conjuncts:
        found = _as_range(node)
        if found is None:
            kept.append(node)
        else:
            ranges.append(found)
    if not ranges:
        return q, []
    rest = kept[0] if len(kept) == 1 else wq.And(kept) if kept else wq.Every()
    return rest, ranges
