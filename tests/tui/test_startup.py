"""Starting the reader: first-run indexing with progress, a damaged marks file, the keymap loader."""

from __future__ import annotations

import asyncio
import shutil

from reader_helpers import wait_for_reader
from textual.widgets import ProgressBar

from tui import launch
from tui.app import PapersApp
from tui.keymap import load_keymap
from tui.screens.loading import LoadingScreen


def test_first_run_indexes_with_a_progress_bar(locs):
    shutil.rmtree(locs.cache_dir)  # no index yet: the bundled corpus is indexed on first run

    async def scenario():
        app = PapersApp()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, LoadingScreen)
            assert app.screen.query_one(ProgressBar).display
            seen_progress: list[float] = []
            for _ in range(3000):  # watch the bar move while the indexing worker runs
                if not isinstance(app.screen, LoadingScreen):
                    break
                seen_progress.append(app.screen.query_one(ProgressBar).progress)
                await pilot.pause(0.02)
            await wait_for_reader(pilot)
            assert app.screen.results.total == 790
            assert any(progress > 0 for progress in seen_progress)

    asyncio.run(scenario())


def test_damaged_marks_file_is_reported_not_fatal(locs):
    locs.data_dir.mkdir(parents=True, exist_ok=True)
    locs.state_file.write_text('{"papers": {')

    async def scenario():
        app = PapersApp()
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for_reader(pilot)
            assert any(n.title == "Marks file" for n in app._notifications)

    asyncio.run(scenario())


def test_keymap_loader(tmp_path):
    config = tmp_path / "config.toml"
    assert load_keymap(config) == ({}, [])
    config.write_text('[keymap]\nstar-paper = " x , ctrl+s "\nbad = 3\nunknown = "z"\n')
    keymap, problems = load_keymap(config, known_ids={"star-paper", "bad"})
    assert keymap == {"star-paper": "x,ctrl+s"}
    assert len(problems) == 2
    config.write_text("keymap = 1\n")
    assert load_keymap(config)[0] == {}


def test_run_reader_returns_the_exit_code(monkeypatch):
    calls: list[dict] = []
    monkeypatch.setattr(PapersApp, "run", lambda self, **kwargs: calls.append(kwargs))
    assert launch.run_reader(no_mouse=True) == 0
    assert calls == [{"mouse": False}]
