"""One long-lived thread for engine calls, shared by every worker of the reader.

Whoosh searchers are per thread and keep warm caches (sort columns, doc lengths), so a
fresh thread per keystroke would reopen them every time. Thread workers hand their
engine call to this thread and wait; a call whose worker was cancelled meanwhile is
skipped, so fast typing never queues up stale searches.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class Skipped(Exception):
    """The caller no longer wanted the result when its turn came."""


class EngineThread:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="papers-engine")

    def submit(self, call: Callable[[], T], wanted: Callable[[], bool] = lambda: True) -> Future[T]:
        def run() -> T:
            if not wanted():
                raise Skipped()
            return call()

        return self._pool.submit(run)

    def call(self, call: Callable[[], T], wanted: Callable[[], bool] = lambda: True) -> T:
        """Run ``call`` on the engine thread and wait for it (from a worker thread)."""
        return self.submit(call, wanted).result()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
