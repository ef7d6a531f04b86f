"""Write real SVG captures of the reader into ``screenshots/`` (``make screenshots``).

Runs the app headless against a throwaway PAPERS_HOME holding the bundled corpus (the
index is built on the way, a few seconds) with a few marks, so the pictures show what
a user sees on a fresh install after starring and tagging a little.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_reader(size: tuple[int, int]):
    from tui.app import PapersApp
    from tui.screens.main import MainScreen

    app = PapersApp()
    context = app.run_test(size=size)
    pilot = await context.__aenter__()
    for _ in range(3000):
        if isinstance(app.screen, MainScreen) and app.screen.results is not None:
            break
        await pilot.pause(0.02)
    await settle(pilot)
    return app, pilot, context


async def capture(name: str, size: tuple[int, int], keys: tuple[str, ...] = ()) -> Path:
    app, pilot, context = await open_reader(size)
    try:
        await pilot.press(*keys)
        await settle(pilot)
        await pilot.pause(0.2)  # completions are computed in a worker of their own
        path = Path(app.save_screenshot(filename=f"{name}.svg", path=str(OUT)))
    finally:
        await context.__aexit__(None, None, None)
    print(f"wrote {path.relative_to(ROOT)}")
    return path


def add_marks() -> None:
    from index.locations import locations
    from index.search.library import Library
    from index.state.store import StateStore

    locs = locations()
    state = StateStore(locs.state_file)
    library = Library.open(locs, marks=state)
    newest = library.search("", limit=3).hits
    state.set_starred(newest[0].paper.id, True)
    state.add_tags(newest[0].paper.id, ["causal", "toread"])
    state.add_tags(newest[2].paper.id, ["rl"])
    state.set_read(newest[1].paper.id, True)
    library.close()


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    # The reader opens in the search box: typing searches, enter goes to the list.
    await capture("library-120x40", (120, 40), ("enter",))
    await capture("search-highlights-120x40", (120, 40), (*"diffusion planning", "enter"))
    await capture("tag-editor-120x40", (120, 40), ("enter", "t", *"rl to"))
    await capture("library-80x24", (80, 24))
    await capture("viewer-80x24", (80, 24), ("enter", "enter"))
    await capture("help-120x40", (120, 40), ("enter", "question_mark"))


DEMO_HOME = Path(tempfile.gettempdir()) / "papers-demo"
"""A fixed throwaway home: the help screen shows the config path, and it should not
change from one run to the next."""


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    shutil.rmtree(DEMO_HOME, ignore_errors=True)
    os.environ["PAPERS_HOME"] = str(DEMO_HOME)
    os.environ["PAPERS_CLIPBOARD"] = "off"
    try:
        add_marks()
        asyncio.run(main())
    finally:
        shutil.rmtree(DEMO_HOME, ignore_errors=True)
