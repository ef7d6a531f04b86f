"""Marks from the reader reach the state file at once: star, tags, note, read; and other instances' changes show."""

from __future__ import annotations

import asyncio
import json

from reader_helpers import reader, settle, wait_until
from textual.widgets import Input, TextArea

from index.state.store import StateStore
from tui.screens.note_editor import NoteEditor
from tui.screens.tag_editor import LastWordSuggester, TagEditor, parse_tag_edit
from tui.widgets.result_list import ResultList
from tui.widgets.viewer import PaperViewer


def marks_on_disk(locs, paper_id: str) -> dict:
    return json.loads(locs.state_file.read_text())["papers"].get(paper_id, {})


def test_star_toggles_and_is_saved_at_once(locs):
    async def scenario():
        async with reader() as (app, pilot, screen):
            paper = screen.selected
            await pilot.press("s")
            assert marks_on_disk(locs, paper.id).get("starred") is True
            assert screen.selected_marks.starred
            row = screen.query_one(ResultList).render_line(0).text
            assert row.startswith("★")
            await pilot.press("s")
            assert "starred" not in marks_on_disk(locs, paper.id)

    asyncio.run(scenario())


def test_opening_marks_read_and_u_toggles(locs):
    async def scenario():
        async with reader() as (app, pilot, screen):
            paper = screen.selected
            assert screen.query_one(ResultList).render_line(0).text[1] == "•", "unread marker"
            await pilot.press("enter")
            assert marks_on_disk(locs, paper.id).get("read")
            await pilot.press("escape", "u")
            assert "read" not in marks_on_disk(locs, paper.id)
            await pilot.press("u")
            assert marks_on_disk(locs, paper.id).get("read")
            assert screen.query_one(ResultList).render_line(0).text[1] == " "

    asyncio.run(scenario())


def test_tag_editor_adds_and_removes(locs):
    async def scenario():
        async with reader() as (app, pilot, screen):
            paper = screen.selected
            await pilot.press("t")
            assert isinstance(app.screen, TagEditor)
            await pilot.press(*"rl robots", "enter")
            await pilot.pause()
            assert marks_on_disk(locs, paper.id)["tags"] == ["rl", "robots"]
            assert "#rl #robots" in screen.query_one(PaperViewer).text
            await pilot.press("t", *"-robots llm", "enter")
            await pilot.pause()
            assert marks_on_disk(locs, paper.id)["tags"] == ["llm", "rl"]
            await pilot.press("t", *"nothing", "escape")
            await pilot.pause()
            assert marks_on_disk(locs, paper.id)["tags"] == ["llm", "rl"], "esc cancels"

    asyncio.run(scenario())


def test_tag_editor_completes_existing_tags(locs):
    StateStore(locs.state_file).add_tags("0000000000", ["reinforcement", "robots"])

    async def scenario():
        async with reader() as (app, pilot, screen):
            paper = screen.selected
            await pilot.press("t", *"rei")
            await pilot.pause(0.1)
            editor = app.screen.query_one(Input)
            assert editor._suggestion == "reinforcement"
            await pilot.press("right", "enter")
            await pilot.pause()
            assert marks_on_disk(locs, paper.id)["tags"] == ["reinforcement"]

    asyncio.run(scenario())


def test_tag_edit_parsing_and_suggestions():
    assert parse_tag_edit(" RL, -old llm rl ").add == ("rl", "llm")
    assert parse_tag_edit("-old").remove == ("old",)
    suggester = LastWordSuggester(["robots", "rl"], case_sensitive=False)
    assert asyncio.run(suggester.get_suggestion("llm -rob")) == "llm -robots"
    assert asyncio.run(suggester.get_suggestion("llm ")) is None


def test_note_editor_saves_with_ctrl_s(locs):
    async def scenario():
        async with reader() as (app, pilot, screen):
            paper = screen.selected
            await pilot.press("n")
            assert isinstance(app.screen, NoteEditor)
            app.screen.query_one(TextArea).insert("Read section 3 again")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert marks_on_disk(locs, paper.id)["note"] == "Read section 3 again"
            assert "Read section 3 again" in screen.query_one(PaperViewer).text
            await pilot.press("n")
            app.screen.query_one(TextArea).text = "not this"
            await pilot.press("escape")
            await pilot.pause()
            assert marks_on_disk(locs, paper.id)["note"] == "Read section 3 again", "esc cancels"

    asyncio.run(scenario())


def test_changes_from_another_instance_show_up(locs):
    async def scenario():
        async with reader() as (app, pilot, screen):
            paper = screen.selected
            other = StateStore(locs.state_file)  # a second reader, e.g. another SSH session
            other.set_starred(paper.id, True)
            other.add_tags(paper.id, ["elsewhere"])
            screen.poll_changes()  # what the 2 s timer does
            await settle(pilot)
            assert screen.selected_marks.starred
            assert "#elsewhere" in screen.query_one(PaperViewer).text
            assert screen.query_one(ResultList).render_line(0).text.startswith("★")

    asyncio.run(scenario())


def test_keymap_from_config_overrides_keys(locs):
    locs.data_dir.mkdir(parents=True, exist_ok=True)
    locs.config_file.write_text('[keymap]\nstar-paper = "x"\ncursor-down = "down,ctrl+n"\n')

    async def scenario():
        async with reader() as (app, pilot, screen):
            await pilot.press("ctrl+n")
            paper = screen.selected
            assert screen.query_one(ResultList).cursor == 1
            await pilot.press("x")
            assert marks_on_disk(locs, paper.id).get("starred") is True
            await pilot.press("s")
            assert marks_on_disk(locs, paper.id).get("starred") is True, "s is no longer star"

    asyncio.run(scenario())


def test_a_misspelt_binding_id_in_the_keymap_is_reported(locs):
    locs.data_dir.mkdir(parents=True, exist_ok=True)
    locs.config_file.write_text('[keymap]\nstar-papers = "x"\ncopy-link = "c"\n')

    async def scenario():
        async with reader() as (app, pilot, screen):
            warnings = [n.message for n in app._notifications]
            assert any("star-papers" in message for message in warnings)
            assert not any("copy-link" in message for message in warnings)
            assert app.user_keymap == {"copy-link": "c"}

    asyncio.run(scenario())


def test_broken_config_warns_and_keeps_default_keys(locs):
    locs.data_dir.mkdir(parents=True, exist_ok=True)
    locs.config_file.write_text("[keymap\n")

    async def scenario():
        async with reader() as (app, pilot, screen):
            assert any("config.toml" in n.message or n.title == "config.toml" for n in app._notifications)
            paper = screen.selected
            await pilot.press("s")
            await wait_until(pilot, lambda: marks_on_disk(locs, paper.id).get("starred") is True)

    asyncio.run(scenario())
