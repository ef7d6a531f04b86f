"""Trust at first contact: typing right after launch searches and marks nothing, and every
paper action hits the paper under the cursor when its key is read, whatever else
arrives in the same burst."""

from __future__ import annotations

import asyncio

import pytest
from reader_helpers import reader, settle, wait_for_reader, wait_until
from textual import events
from textual.widgets import Input

from index.safe_text import has_unsafe
from index.state.store import StateStore
from tui.screens.links import LinksPicker
from tui.screens.note_editor import NoteEditor
from tui.screens.tag_editor import TagEditor
from tui.widgets.paper_text import citation
from tui.widgets.result_list import ResultList
from tui.widgets.viewer import PaperViewer


def burst(app, *keys: str) -> None:
    """Keys queued in one go, as one read from the terminal delivers them (no pause between)."""
    names = {"/": "slash", " ": "space", "\r": "enter"}
    for key in keys:
        app.post_message(events.Key(names.get(key, key), None if key == "\r" else key))


def test_typing_at_launch_searches_and_changes_no_mark(locs):
    from tui.app import PapersApp

    async def scenario():
        app = PapersApp()
        async with app.run_test(size=(100, 30)) as pilot:
            burst(app, *"diffusion")  # before the library has even opened
            await wait_for_reader(pilot)
            await wait_until(pilot, lambda: app.screen.results is not None and app.screen.results.query == "diffusion")
            screen = app.screen
            assert isinstance(app.focused, Input) and screen.query_one(Input).value == "diffusion"
            assert 0 < screen.results.total < 790
            burst(app, *" planning")
            await settle(pilot)
            assert screen.query_one(Input).value == "diffusion planning"
        assert not locs.state_file.exists(), "no mark was made by typing"

    asyncio.run(scenario())


def test_q_and_question_mark_while_loading_are_part_of_the_query():
    from tui.app import PapersApp

    async def scenario():
        app = PapersApp()
        async with app.run_test(size=(100, 30)) as pilot:
            burst(app, *"q-learning?")
            await wait_for_reader(pilot)
            assert app.is_running
            assert app.screen.query_one(Input).value == "q-learning?"

    asyncio.run(scenario())


@pytest.mark.parametrize("keys", ["q-learning?", "quantum", "kernel\rjs", "paste"])
def test_keys_read_while_the_reader_is_being_built_are_typed_in_order(keys, locs, monkeypatch):
    """The window between the library opening and the search box taking focus: keys read
    then used to reach a bare screen, where "q" quit the app and the rest were lost."""
    from tui.app import PapersApp
    from tui.screens.main import MainScreen

    push = PapersApp.push_screen

    def push_then_type(self, screen, *args, **kwargs):
        pushed = push(self, screen, *args, **kwargs)
        if isinstance(screen, MainScreen):  # the reader is on top, not mounted yet
            if keys == "paste":
                burst(self, "q")
                self.post_message(events.Paste("uantum\x1b[2J error"))
                burst(self, *"s?")
            else:
                burst(self, *keys)
        return pushed

    monkeypatch.setattr(PapersApp, "push_screen", push_then_type)

    async def scenario():
        app = PapersApp()
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for_reader(pilot)
            await settle(pilot)
            assert app.is_running
            value = app.screen.query_one(Input).value
            if keys == "paste":  # typed, pasted (its ESC made harmless), typed: in that order
                assert value.startswith("quantum") and value.endswith(" errors?") and "\x1b" not in value
                return
            query, _, list_keys = keys.partition("\r")
            assert value == query
            if list_keys:  # enter went to the list, then j moved down and s starred that paper
                listing = app.screen.query_one(ResultList)
                await wait_until(pilot, lambda: StateStore(locs.state_file).starred_ids())
                assert listing.cursor == 1
                assert StateStore(locs.state_file).starred_ids() == {listing.source.hit(1).paper.id}

    asyncio.run(scenario())


def test_enter_and_keys_in_the_same_burst_reach_the_list(locs):
    async def scenario():
        async with reader(in_list=False) as (app, pilot, screen):
            burst(app, *"kernel", "\r", "j", "s")
            await settle(pilot)
            listing = screen.query_one(ResultList)
            assert screen.query_one(Input).value == "kernel", "the s after enter is not typed into the box"
            assert app.focused is listing and listing.cursor == 1
            second = listing.source.hit(1).paper
            assert StateStore(locs.state_file).starred_ids() == {second.id}

    asyncio.run(scenario())


@pytest.mark.parametrize("key", list("stnuyYlor"))
def test_every_paper_action_in_a_burst_hits_the_paper_under_the_cursor(key, locs, monkeypatch):
    copied: list[str] = []
    from textual.app import App

    monkeypatch.setattr(App, "copy_to_clipboard", lambda self, text: copied.append(text))

    async def scenario():
        async with reader() as (app, pilot, screen):
            listing = screen.query_one(ResultList)
            first, second = listing.source.hit(0).paper, listing.source.hit(1).paper
            burst(app, "j", key)  # one read: down, then the action
            await settle(pilot)
            assert listing.cursor == 1 or key == "r"  # r replaces the list with related papers
            state = StateStore(locs.state_file)
            if key == "s":
                assert state.starred_ids() == {second.id}
            elif key == "u":
                assert state.read_ids() == {second.id}
            elif key == "t":
                assert isinstance(app.screen, TagEditor) and app.screen.paper_title == second.title
            elif key == "n":
                assert isinstance(app.screen, NoteEditor) and app.screen.paper_title == second.title
            elif key == "l":
                assert isinstance(app.screen, LinksPicker) and app.screen.paper_title == second.title
            elif key == "y":
                await wait_until(pilot, lambda: copied)
                assert copied == [second.primary_link]
            elif key == "Y":
                await wait_until(pilot, lambda: copied)
                assert copied == [citation(second)]
            elif key == "o":  # no local browser here: it copies the link instead
                await wait_until(pilot, lambda: copied)
                assert copied == [second.primary_link]
            elif key == "r":
                await wait_until(pilot, lambda: screen.results is not None and bool(screen.results.label))
                assert screen.search_text == f"related:{second.id}"
                assert second.title[:40] in screen.results.label
            assert first.id not in state.starred_ids() | state.read_ids()

    asyncio.run(scenario())


def test_a_hostile_record_is_drawn_as_visible_text(built_papers_with_hostile_record):
    async def scenario():
        async with reader(size=(120, 40), in_list=False) as (app, pilot, screen):
            burst(app, *"hostile", "\r", "y")
            await settle(pilot)
            listing = screen.query_one(ResultList)
            await wait_until(pilot, lambda: listing.source.total == 1)
            strips = [listing.render_line(y) for y in range(3)]
            rendered = "".join(segment.text for strip in strips for segment in strip)
            assert "Hostile title ␛]52;c;" in rendered and not has_unsafe(rendered)
            viewer_text = screen.query_one(PaperViewer).text
            assert "␛[2J" in str(viewer_text) and not has_unsafe(str(viewer_text).replace("\n", " "))
            await settle(pilot)
            for notification in app._notifications:
                assert not has_unsafe(notification.message) and not has_unsafe(notification.title)

    asyncio.run(scenario())


@pytest.fixture
def built_papers_with_hostile_record(reader_home, tmp_path):
    import json
    import subprocess
    import sys

    hostile = "\x1b]52;c;ZWNobyBwd25lZA==\x1b\\ \x1b[2J\x07\x9b31m"
    record = {"paper": {"id": "2401.99999", "title": f"Hostile title {hostile}", "summary": f"x {hostile}"}}
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps([record]))
    subprocess.run([sys.executable, "-m", "tui.cli", "import", str(path)], check=True, capture_output=True)
    return reader_home


def test_tab_takes_the_did_you_mean_suggestion():
    async def scenario():
        async with reader(in_list=False) as (app, pilot, screen):
            await pilot.press(*"reinforcment lerning")
            await settle(pilot)
            assert screen.results.suggestion == "reinforcement learning"
            assert "(tab takes it)" in screen.query_one("#status").describe().plain
            await pilot.press("tab")
            await settle(pilot)
            assert screen.query_one("#search").value == "reinforcement learning "
            assert isinstance(app.focused, Input), "still typing"
            assert screen.results.total > 0 and not screen.results.corrected
            await pilot.press("tab")  # no suggestion now: tab goes to the list
            assert isinstance(app.focused, ResultList)

    asyncio.run(scenario())
