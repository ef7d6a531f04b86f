"""What the reader does while the user is not typing: read postings ahead, collect garbage.

Both would cost frames if they ran during a burst of keys, so both wait for a pause.

- Warming: a daemon thread reads the postings of the library's commonest words into the
  engine's cache (``Library.warm_postings``), so the first search for "learning" at 100k
  papers takes milliseconds, not a cold read. It gives way to every search on its own
  (between two blocks of a term) and stops when the reader closes.
- Garbage: Python's full (generation 2) collections scan every object the app holds and
  stalled frames by up to ~50 ms while typing (measured with tests/bench/reader.py).
  They are kept for pauses: automatic full collections are made rare, and a pause of a
  second runs one, then freezes what survived (never scanned again).
"""

from __future__ import annotations

import gc
import threading
import time

from index import Library

IDLE_SECONDS = 1.0
"""A pause this long is a pause (keys of one query come well within it)."""
FULL_COLLECTION_EVERY = 10_000
"""Generation-1 collections between automatic full ones (Python's default: 10)."""


def settle_memory() -> None:
    """Collect, then move what survived out of the collector's sight (start-up and pauses)."""
    gc.collect()
    gc.freeze()
    young, middle, _old = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)


class IdleWork:
    """The reader's background chores, run when the user pauses."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._last_activity = time.monotonic()
        self._settled = True
        self._closing = threading.Event()
        self._warming: threading.Thread | None = None

    def activity(self) -> None:
        """A key was typed or a search asked for."""
        self._last_activity = time.monotonic()
        self._settled = False

    def tick(self) -> None:
        """Called every so often on the UI thread: collect garbage once per pause."""
        if not self._settled and time.monotonic() - self._last_activity >= IDLE_SECONDS:
            self._settled = True
            settle_memory()

    def warm(self) -> None:
        """Start reading postings ahead (after the first paint, and after the index changed)."""
        if self._warming is not None and self._warming.is_alive():
            return  # it stops by itself on a stale generation; the next call starts anew
        self._warming = threading.Thread(target=self._warm, name="papers-warm", daemon=True)
        self._warming.start()

    def _warm(self) -> None:
        try:
            self.library.warm_postings(stop=self._closing.is_set)
        except Exception:  # noqa: BLE001 - reading ahead is optional; a search reports real trouble
            pass

    def close(self) -> None:
        self._closing.set()
