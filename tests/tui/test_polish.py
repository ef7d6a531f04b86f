"""Small things a first session runs into: counts that read right, one date format, a sort
change that starts at the top, a footer that fits 60 columns, help that shows the query
syntax, and copy notifications that stay small and short-lived."""

from __future__ import annotations

import asyncio

from reader_helpers import reader, settle, wait_until
from textual.widgets import Footer

from index import QUERY_SYNTAX
from tui.app import COPY_TOAST_SECONDS
from tui.palette import SORT_HELP
from tui.screens.help import HelpScreen
from tui.widgets.result_list import ResultList
from tui.widgets.status import StatusLine
from tui.widgets.viewer import PaperViewer


def footer_text(app) -> str:
    return " ".join(str(widget.render()) for widget in app.screen.query_one(Footer).query("*"))


def test_one_paper_reads_as_one_paper():
    async def scenario():
        async with reader(in_list=False) as (app, pilot, screen):
            await pilot.press(*'"discrete key-value bottleneck"')
            await settle(pilot)
            assert screen.query_one(StatusLine).describe().plain.startswith("1 paper · ")

    asyncio.run(scenario())


def test_the_viewer_shows_dates_as_the_list_does():
    async def scenario():
        async with reader(size=(120, 40)) as (app, pilot, screen):
            paper = screen.query_one(ResultList).highlighted
            assert paper.date is not None  # the library opens newest first
            assert paper.date.isoformat() in screen.query_one(PaperViewer).text

    asyncio.run(scenario())


def test_a_sort_change_starts_at_the_top():
    async def scenario():
        async with reader() as (app, pilot, screen):
            listing = screen.query_one(ResultList)
            await pilot.press("pagedown", "pagedown")
            assert listing.cursor > 20
            await pilot.press("S")
            await settle(pilot)
            assert screen.results.sort == "date" and listing.cursor == 0 and listing.scroll_offset.y == 0

    asyncio.run(scenario())


def test_the_footer_fits_60_columns():
    async def scenario():
        async with reader(size=(60, 20)) as (app, pilot, screen):
            await settle(pilot)
            await pilot.pause(0.1)
            footer = screen.query_one(Footer)
            assert footer.compact and not footer.show_command_palette
            keys = [child for child in footer.query("FooterKey")]
            assert keys and max(key.region.right for key in keys) <= 60
            assert any("Quit" in str(key.render()) for key in keys)

    asyncio.run(scenario())


def test_the_palette_tells_the_sorts_apart():
    assert len(set(SORT_HELP.values())) == 3
    assert "newest first" in SORT_HELP["date"] and "best match" in SORT_HELP["relevance"]


def test_help_shows_the_query_syntax_and_the_focus_model():
    async def scenario():
        async with reader() as (app, pilot, screen):
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            syntax = app.screen.syntax_table()
            examples = list(syntax.columns[0].cells)
            assert examples == [example for example, _meaning in QUERY_SYNTAX]
            assert any("is:starred" in example for example in examples)
            shown = " ".join(str(label.render()) for label in app.screen.query("Label"))
            assert "opens in the search box" in shown

    asyncio.run(scenario())


def test_copy_notifications_are_short_lived_one_liners(monkeypatch):
    from textual.app import App

    monkeypatch.setattr(App, "copy_to_clipboard", lambda self, text: None)

    async def scenario():
        async with reader() as (app, pilot, screen):
            await pilot.press("y", "j", "y", "j", "y")
            await wait_until(pilot, lambda: len(app._notifications) == 3)
            for notification in app._notifications:
                assert notification.timeout == COPY_TOAST_SECONDS <= 3
                assert notification.title == "" and "\n" not in notification.message
                assert notification.message.startswith("Copied link: ")

    asyncio.run(scenario())


def test_the_reader_survives_its_state_file_turning_to_damage(locs):
    async def scenario():
        async with reader() as (app, pilot, screen):
            await pilot.press("s")
            await settle(pilot)
            locs.state_file.write_text('{"schema_version": 1, "papers": {"x": {"tags": 5}}}')
            screen.poll_changes()
            await settle(pilot)
            assert app.is_running
            assert any("unreadable" in n.message for n in app._notifications)
            await pilot.press("j", "s")  # the next change repairs the file under the lock
            await settle(pilot)
            assert app.is_running and len(screen.state.starred_ids()) == 2

    asyncio.run(scenario())


def test_a_damaged_index_found_while_typing_is_rebuilt_and_said(monkeypatch):
    import zlib

    async def scenario():
        async with reader(in_list=False) as (app, pilot, screen):
            library = screen.library
            original = library._matching
            failures = []

            def failing_once(*args, **kwargs):
                if not failures:
                    failures.append(1)
                    raise zlib.error("invalid block type")
                return original(*args, **kwargs)

            monkeypatch.setattr(library, "_matching", failing_once)
            await pilot.press(*"kernel")
            await settle(pilot)
            screen.poll_changes()
            await settle(pilot)
            assert screen.results.query == "kernel" and screen.results.total > 0
            assert any("rebuilt it from your sources" in n.message for n in app._notifications)

    asyncio.run(scenario())
