"""Term postings as numpy arrays, kept in a memory-bounded LRU cache.

Reading a term's postings from Whoosh's blocks (one unpickle and one zlib call per
128 postings) is the floor of every search: ~60 ms for a word in 92k of 100k papers.
Once read they are arrays, and scoring them is ~100x faster than Whoosh's matchers;
so they are cached (per index generation), and a background thread warms the most
frequent terms while the reader is idle (``warm``), giving way to any search.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from index.store.whoosh_internals import ReadInterrupted, decode_positions, deleted_docs, segment_postings

CACHE_BYTES = 384 * 2**20
"""Memory the cache may hold (8 bytes a posting): the 100 commonest words of a
1M-paper library fill about half of it."""
WARM_SHARE = 0.5
"""Warming stops at this share of the cache, leaving the rest to what is searched."""
QUIET_SECONDS = 0.3
"""Warming waits until no search has run for this long (the user is not typing)."""


@dataclass
class TermPostings:
    """Where a term occurs in one field: global doc numbers (sorted int32), weights
    (float32, as Whoosh stores them)."""

    ids: np.ndarray
    weights: np.ndarray
    positions: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    """(CSR offsets, flat positions), read when a phrase first needs them."""

    @property
    def nbytes(self) -> int:
        extra = sum(part.nbytes for part in self.positions) if self.positions else 0
        return self.ids.nbytes + self.weights.nbytes + extra


EMPTY = TermPostings(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))


class PostingsCache:
    """Postings of (field, term) over every segment of one index generation, cached.

    Shared by the threads that search one generation; each reads through its own
    segment readers (``leaves``), since Whoosh's are not made for sharing.
    """

    def __init__(self, reader, limit: int = CACHE_BYTES) -> None:
        self.offsets = [offset for _segment, offset in reader.leaf_readers()]
        self.deleted = [deleted_docs(segment) for segment, _offset in reader.leaf_readers()]
        self.limit = limit
        self.size = 0
        self._lock = threading.RLock()
        self._items: OrderedDict[tuple[str, str], TermPostings] = OrderedDict()
        self._documents: dict[str, np.ndarray] = {}
        self._searching = 0
        self._last_search = 0.0
        self.warmed = False
        """Read-ahead is done for this generation (set by ``Library.warm_postings``)."""

    # -- searches come first -----------------------------------------------------------
    def search_started(self) -> None:
        with self._lock:
            self._searching += 1

    def search_ended(self) -> None:
        with self._lock:
            self._searching -= 1
            self._last_search = time.monotonic()

    def searching(self) -> bool:
        """A search runs, or ran moments ago (more keystrokes are likely on their way)."""
        return self._searching > 0 or time.monotonic() - self._last_search < QUIET_SECONDS

    # -- reading -----------------------------------------------------------------------
    def get(
        self,
        leaves: list,
        fieldname: str,
        text: str,
        positions: bool = False,
        interrupted: Callable[[], bool] | None = None,
    ) -> TermPostings:
        """The postings of ``fieldname:text``, read through ``leaves`` (the caller's
        segment readers) on a miss. Raises ``ReadInterrupted`` if ``interrupted()``."""
        key = (fieldname, text)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                if not positions or found.positions is not None:
                    return found
        read = self._read(leaves, fieldname, text, positions, interrupted)
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= old.nbytes
            self._items[key] = read
            self.size += read.nbytes
            while self.size > self.limit and len(self._items) > 1:
                _key, evicted = self._items.popitem(last=False)
                self.size -= evicted.nbytes
        return read

    def document_array(self, name: str, read: Callable[[], np.ndarray]) -> np.ndarray:
        """An array with a value per document (field lengths, the live documents), read
        once per generation (outside the cache's memory bound: a few MB at 1M papers)."""
        found = self._documents.get(name)
        if found is None:
            found = read()
            with self._lock:
                found = self._documents.setdefault(name, found)
        return found

    def clear_terms(self) -> None:
        """Forget every term's postings (kept: the per-document arrays)."""
        with self._lock:
            self._items.clear()
            self.size = 0
            self.warmed = False

    def has(self, fieldname: str, text: str, positions: bool = False) -> bool:
        found = self._items.get((fieldname, text))
        return found is not None and (not positions or found.positions is not None)

    def _read(self, leaves, fieldname: str, text: str, positions: bool, interrupted) -> TermPostings:
        term = text.encode("utf-8")
        ids, weights, offsets, flats = [], [], [], []
        base = 0
        for (segment, offset), deleted in zip(leaves, self.deleted, strict=True):
            raw = segment_postings(segment, fieldname, term, with_values=positions, interrupted=interrupted)
            if raw is None:
                continue
            keep = None if deleted is None else ~np.isin(raw.ids, deleted)
            local = raw.ids if keep is None else raw.ids[keep]
            ids.append(local + np.int32(offset))
            weights.append(raw.weights if keep is None else raw.weights[keep])
            if positions and raw.values is not None:
                starts, flat = decode_positions(raw.values)
                if keep is not None:
                    starts, flat = _select_rows(starts, flat, keep)
                offsets.append(starts[1:] + base)
                flats.append(flat)
                base += len(flat)
        if not ids:
            return EMPTY
        read = TermPostings(np.concatenate(ids), np.concatenate(weights))
        if positions:
            read.positions = (
                np.concatenate([np.zeros(1, dtype=np.int64), *offsets]),
                np.concatenate(flats) if flats else np.zeros(0, dtype=np.int64),
            )
        return read

    def warm(
        self, leaves: list, terms: Iterable[tuple[str, str]], stop: Callable[[], bool], positions: bool = False
    ) -> int:
        """Read ``terms`` (with their positions) into the cache one by one while no search
        runs: a term being read when one starts is dropped between two blocks and read
        again later. Stops when ``stop()`` says so or the cache is half full. Returns how
        many were read."""
        read = 0

        def interrupted() -> bool:
            return self.searching() or stop()

        for fieldname, text in terms:
            while True:
                while self.searching() and not stop():
                    time.sleep(0.05)
                if stop() or self.size > self.limit * WARM_SHARE:
                    return read
                if self.has(fieldname, text, positions):
                    break
                try:
                    self.get(leaves, fieldname, text, positions, interrupted=interrupted)
                except ReadInterrupted:
                    continue
                read += 1
                break
            time.sleep(0.001)  # let the UI thread take the GIL between terms
        return read


def gather_rows(offsets: np.ndarray, flat: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows ``rows`` of a CSR structure (``offsets``, ``flat``): each row's length,
    and their values one after the other."""
    counts = offsets[rows + 1] - offsets[rows]
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return counts, flat[np.repeat(offsets[rows], counts) + within]


def _select_rows(starts: np.ndarray, flat: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of a CSR structure where ``keep`` is true, as a CSR structure."""
    counts, values = gather_rows(starts, flat, np.flatnonzero(keep))
    new_starts = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=new_starts[1:])
    return new_starts, values
