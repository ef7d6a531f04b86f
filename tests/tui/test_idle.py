"""The reader's chores for pauses: postings read ahead, garbage collected (tui/idle.py)."""

from __future__ import annotations

import asyncio
import gc

from reader_helpers import reader, wait_until

import tui.idle
from tui.idle import IdleWork


def test_the_reader_reads_postings_ahead_after_its_first_results():
    async def scenario():
        async with reader() as (_app, pilot, screen):
            library = screen.library

            def warmed() -> bool:
                return library._postings is not None and library._postings[1].warmed

            await wait_until(pilot, warmed, timeout=60)
            assert library._postings[1].has("abstract", "learn", positions=True)
            await pilot.press("slash", *"learning")
            await wait_until(pilot, lambda: screen.results is not None and screen.results.query == "learning")
            assert library.fallbacks == []

    asyncio.run(scenario())


def test_a_pause_collects_garbage_once_and_typing_starts_over(monkeypatch):
    collected = []
    monkeypatch.setattr(gc, "collect", lambda *args: collected.append(1) or 0)
    monkeypatch.setattr(gc, "freeze", lambda: None)
    monkeypatch.setattr(tui.idle, "IDLE_SECONDS", 0.0)
    work = IdleWork(library=None)  # type: ignore[arg-type]  (no reading ahead here)
    work.tick()
    assert collected == [], "nothing happened since the last collection"
    work.activity()
    work.tick()
    work.tick()
    assert collected == [1]
    work.activity()
    work.tick()
    assert collected == [1, 1]
