"""One long-lived thread for every engine call of the reader.

Whoosh searchers are per thread and keep warm caches (sort columns, doc lengths), so a
fresh thread per keystroke would reopen them every time. Every engine call — opening
the library, a search, a page, related papers, the palette's title search, noticing a
rebuilt index — is an async Textual worker awaiting :meth:`EngineThread.run`: one
mechanism. The UI thread never blocks, an exclusive worker group cancels the previous
search (``wanted()`` turns false and a running search stops within a few ms), and a
call whose caller was cancelled before its turn is skipped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class Skipped(Exception):
    """The caller no longer wanted the result when its turn came."""


class EngineThread:
    """Runs engine calls one at a time, in order, on its own thread."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="papers-engine")

    async def run(self, call: Callable[[], T], wanted: Callable[[], bool] = lambda: True) -> T:
        """Run ``call`` on the engine thread and await its result (raises :class:`Skipped`
        when ``wanted()`` is false by the time its turn comes)."""

        def guarded() -> T:
            if not wanted():
                raise Skipped()
            return call()

        return await asyncio.wrap_future(self._pool.submit(guarded))

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
