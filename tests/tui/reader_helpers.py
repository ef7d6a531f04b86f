"""Pilot helpers shared by the reader's tests: run the app headless and wait for it."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


async def workers_done(pilot) -> None:
    """Wait for the running workers. One cancelled meanwhile is no failure: the reader's
    exclusive workers (searches, index checks) are cancelled by newer ones by design."""
    from textual.worker import WorkerCancelled

    for _ in range(100):
        try:
            await pilot.app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            await pilot.pause()
    raise AssertionError("workers kept being cancelled")


async def wait_until(pilot, condition, timeout: float = 90.0) -> None:
    """Let the app run until ``condition()`` holds (workers finish, messages land).

    The timeout only catches a reader that never gets there, so it is generous and
    measured by the clock: a loaded 2-core CI machine (``pytest -n 4``) is many times
    slower than a quiet one. A reader that quit fails at once.
    """
    deadline = time.monotonic() + timeout
    while True:
        await workers_done(pilot)
        await pilot.pause()
        if condition():
            return
        if not pilot.app.is_running:
            raise AssertionError("the app quit before getting there")
        if time.monotonic() > deadline:
            raise AssertionError(f"the reader did not get there in {timeout:.0f} s")
        await pilot.pause(0.02)


async def wait_for_reader(pilot) -> None:
    """Wait for the main screen and its first results."""
    from tui.screens.main import MainScreen

    await wait_until(pilot, lambda: isinstance(pilot.app.screen, MainScreen) and pilot.app.screen.results is not None)


async def settle(pilot) -> None:
    """Let every running worker finish and the messages they posted be handled."""
    for _ in range(3):
        await workers_done(pilot)
        await pilot.pause()


@asynccontextmanager
async def reader(size: tuple[int, int] = (100, 30), in_list: bool = True) -> AsyncIterator:
    """Run the reader headless; yields (app, pilot, main screen) once results are shown.

    The reader opens in the search box; ``in_list`` moves to the list first (enter), as
    a user does before using the list's keys.
    """
    from tui.app import PapersApp

    app = PapersApp()
    async with app.run_test(size=size) as pilot:
        await wait_for_reader(pilot)
        if in_list:
            await pilot.press("enter")
        yield app, pilot, app.screen
