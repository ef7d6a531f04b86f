"""Listing without a query: every paper (optionally within date/upvote ranges), newest
or most upvoted first, straight from the sort-key columns.

The empty query is what the reader paints first. Through Whoosh's matcher and sorting
collector it cost 640 ms at 100k papers; reading the column once (cached per index
generation) and taking the top N with ``heapq`` costs ~10 ms after a ~90 ms first read.
"""

from __future__ import annotations

import heapq
from typing import Callable, Sequence

from index.search.ranges import ColumnRange
from index.store.whoosh_internals import numeric_column_values

ColumnValues = Callable[[str], list[int]]


def list_by_column(
    reader, values: ColumnValues, sort_column: str, ranges: Sequence[ColumnRange], count: int
) -> tuple[int, list[int]]:
    """(total, docnums of the first ``count`` papers by ``sort_column`` descending)."""
    docs: Sequence[int] | list[int] = range(reader.doc_count_all())
    if reader.has_deletions():
        docs = [docnum for docnum in docs if not reader.is_deleted(docnum)]
    for wanted in ranges:
        column = values(wanted.column)
        docs = [docnum for docnum in docs if wanted.accepts(column[docnum])]
    keys = values(sort_column)
    # nlargest is stable: papers with equal keys (undated ones) keep index order.
    return len(docs), heapq.nlargest(count, docs, key=keys.__getitem__)


def read_numeric_column(reader, name: str) -> list[int]:
    """Every document's value in a numeric column, by global docnum.

    Whoosh hands out one value per Python call (~4 µs each: 0.4 s at 100k papers, all
    of it in the reader's first paint); a segment's fixed-width values are one slice
    of the memory-mapped file, converted in a single call here.
    """
    values: list[int] = []
    for segment, _offset in reader.leaf_readers():
        column = segment.column_reader(name, translate=False)
        doccount = segment.doc_count_all()
        whole = numeric_column_values(column, doccount)
        values.extend(whole if whole is not None else (column[docnum] for docnum in range(doccount)))
    return values
