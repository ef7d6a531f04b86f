"""Every use of Whoosh's private parts, in one place (whoosh-reloaded 2.7.5, pinned ``~=``).

Small, measured fixes applied where an index is opened (:func:`apply`), and fast reads
of what Whoosh stores in a fixed layout. A future Whoosh fork changes only this file;
``tests/test_whoosh_internals.py`` fails loudly if the internals read here change.
Each piece says what it fixes or buys, measured with ``tests/bench/run.py``.
"""

from __future__ import annotations

import io
import sys
from array import array

from whoosh import columns
from whoosh.codec import whoosh3
from whoosh.filedb import structfile

_applied = False


def _cached_reader(self, fieldname, column):
    # Whoosh caches a per-document column reader only when the column exists; for a
    # field without lengths (ids, spelling fields) it stats the file again on every
    # posting written. Caching the "no column" answer too cut index time by ~30%
    # (2,000 papers: 320 -> 450 papers/s). Segment files never change once written,
    # so the cached answer cannot go stale.
    try:
        return self._readers[fieldname]
    except KeyError:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
        return reader


class _ViewReader(io.RawIOBase):
    """A read-only file over a memoryview that copies only what is read."""

    def __init__(self, view: memoryview):
        super().__init__()
        self._view = view
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = max(0, min(len(buffer), len(self._view) - self._pos))
        buffer[:count] = self._view[self._pos : self._pos + count]
        self._pos += count
        return count

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: len(self._view)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos


def _buffer_file_init(self, buf, name=None, onclose=None):
    # Whoosh wraps each part of a memory-mapped segment in BytesIO(buf), which copies
    # the whole part (the stored fields of 50k papers: ~60 ms) every time a reader opens
    # one. At 100k papers, opening the library and its first listing spent 1.4 s there.
    self._buf = buf
    self._name = name
    self.file = io.BufferedReader(_ViewReader(buf))
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


def apply() -> None:
    """Install the fixes (idempotent)."""
    global _applied
    if _applied:
        return
    whoosh3.W3PerDocReader._cached_reader = _cached_reader
    structfile.BufferFile.__init__ = _buffer_file_init
    _applied = True


def numeric_column_values(column, doccount: int) -> list[int] | None:
    """Every value of a fixed-width numeric column reader of one segment, in one call.

    Whoosh hands out one value per Python call (~4 µs each: 0.4 s at 100k papers, all of
    it in the reader's first paint); its fixed-width values are one slice of the
    memory-mapped file. None for a column stored any other way.
    """
    if not isinstance(column, columns.NumericColumn.Reader) or column._typecode not in "bBhHiIlL":
        return None
    raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
    stored = array(column._typecode, raw)
    if sys.byteorder == "little":
        stored.byteswap()  # Whoosh writes them big-endian ("!")
    # Trailing documents holding the default were never written.
    return stored.tolist() + [column._default] * (doccount - len(stored))
