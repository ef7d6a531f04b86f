"""Listing without a query: every paper (optionally within date/upvote ranges), newest
or most upvoted first, straight from the sort-key columns.

The empty query is what the reader paints first. Through Whoosh's matcher and sorting
collector it cost 640 ms at 100k papers; reading the column once (cached per index
generation) and taking the top N with ``heapq`` costs ~10 ms after a ~90 ms first read.
"""

from __future__ import annotations

import heapq
import sys
from array import array
from typing import Callable, Sequence

from whoosh import columns

from index.column_filters import ColumnRange

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
        if isinstance(column, columns.NumericColumn.Reader) and column._typecode in "bBhHiIlL":
            raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
            stored = array(column._typecode, raw)
            if sys.byteorder == "little":
                stored.byteswap()  # Whoosh writes them big-endian ("!")
            values.extend(stored.tolist())
            # Trailing documents holding the default were never written.
            values.extend([column._default] * (doccount - len(stored)))
        else:
            values.extend(column[docnum] for docnum in range(doccount))
    return values
