"""Copying links and citations, the links picker, opening over SSH, related papers and the palette."""

from __future__ import annotations

import asyncio

from reader_helpers import reader, settle, wait_until
from textual.command import CommandPalette

from index.paper import Paper
from tui.screens.links import LinksPicker
from tui.widgets.paper_text import citation, paper_links
from tui.widgets.result_list import ResultList
from tui.widgets.status import StatusLine


def record_copies(monkeypatch) -> list[str]:
    """What reached App.copy_to_clipboard (OSC 52)."""
    from textual.app import App

    copied: list[str] = []
    original = App.copy_to_clipboard

    def copy(self, text: str) -> None:
        copied.append(text)
        original(self, text)

    monkeypatch.setattr(App, "copy_to_clipboard", copy)
    return copied


def test_y_copies_primary_link_and_Y_a_markdown_citation(monkeypatch):
    copied = record_copies(monkeypatch)

    async def scenario():
        async with reader() as (app, pilot, screen):
            paper = screen.selected
            await pilot.press("y")
            await settle(pilot)
            assert copied == [paper.primary_link]
            assert app.clipboard == paper.primary_link
            await pilot.press("Y")
            await settle(pilot)
            assert copied[-1] == f"[{paper.title}]({paper.primary_link})"
            assert any("Copied" in n.message for n in app._notifications)

    asyncio.run(scenario())


def test_citation_escapes_brackets():
    paper = Paper.new("A [bracketed] title", url="https://arxiv.org/abs/1")
    assert citation(paper) == r"[A \[bracketed\] title](https://arxiv.org/abs/1)"


def test_links_picker_copies_the_numbered_link(monkeypatch):
    copied = record_copies(monkeypatch)

    async def scenario():
        async with reader() as (app, pilot, screen):
            await pilot.press("slash", *"github", "enter")  # papers whose abstracts link to code
            await settle(pilot)
            listing = screen.query_one(ResultList)
            row = next(r for r in range(listing.source.total) if len(paper_links(listing.source.hit(r).paper)) > 1)
            listing.move_cursor(row)
            await pilot.pause()
            links = paper_links(screen.selected)
            assert links[0] == screen.selected.primary_link
            await pilot.press("l")
            assert isinstance(app.screen, LinksPicker)
            await pilot.press("2")
            await settle(pilot)
            assert copied == [links[1]]
            assert app.screen is screen

    asyncio.run(scenario())


def test_open_over_ssh_copies_instead(monkeypatch):
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5555 10.0.0.2 22")
    monkeypatch.setenv("DISPLAY", ":0")
    opened: list[str] = []
    monkeypatch.setattr("tui.clipboard.open_in_browser", lambda url: opened.append(url) or True)
    copied = record_copies(monkeypatch)

    async def scenario():
        async with reader() as (app, pilot, screen):
            await pilot.press("o")
            await settle(pilot)
            assert opened == []
            assert copied == [screen.selected.primary_link]
            assert any("Over SSH: Copied link instead" in n.message for n in app._notifications)

    asyncio.run(scenario())


def test_open_in_a_local_graphical_session_opens_the_browser(monkeypatch):
    monkeypatch.setenv("DISPLAY", ":0")
    opened: list[str] = []
    monkeypatch.setattr("tui.clipboard.open_in_browser", lambda url: opened.append(url) or True)

    async def scenario():
        async with reader() as (app, pilot, screen):
            await pilot.press("o")
            await settle(pilot)
            assert opened == [screen.selected.primary_link]

    asyncio.run(scenario())


def test_related_papers_replace_the_list_until_escape():
    async def scenario():
        async with reader() as (app, pilot, screen):
            await pilot.press("j", "j")
            paper = screen.selected
            await pilot.press("r")
            await settle(pilot)
            listing = screen.query_one(ResultList)
            # The search box says what the list is, and esc brings the search back.
            assert screen.query_one("#search").value == f"related:{paper.id}"
            status = screen.query_one(StatusLine).describe().plain
            assert f"{listing.source.total} papers related to “" in status and "esc goes back" in status
            related = [listing.source.hit(r).paper.id for r in range(listing.source.total)]
            assert related and paper.id not in related
            await pilot.press("escape")
            await settle(pilot)
            assert screen.query_one("#search").value == ""
            assert listing.source.total == 790 and listing.cursor == 2 and screen.selected.id == paper.id

    asyncio.run(scenario())


async def run_palette_command(pilot, text: str) -> None:
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await pilot.press(*text)
    await pilot.pause(0.5)
    await pilot.press("enter")
    await settle(pilot)


def test_palette_filters_by_tag_and_shows_starred(locs):
    async def scenario():
        async with reader() as (app, pilot, screen):
            await pilot.press("t", *"toread", "enter", "j", "s")
            await run_palette_command(pilot, "filter by tag toread")
            assert screen.filter == "tag:toread"
            assert screen.results.total == 1
            assert "filter tag:toread" in screen.query_one(StatusLine).describe().plain
            await run_palette_command(pilot, "show starred")
            assert screen.filter == "is:starred" and screen.results.total == 1

    asyncio.run(scenario())


def test_palette_sorts_and_runs_key_actions(locs):
    async def scenario():
        async with reader() as (app, pilot, screen):
            await run_palette_command(pilot, "sort by upvotes")
            assert screen.sort == "upvotes" and screen.results.sort == "upvotes"
            await run_palette_command(pilot, "star")
            assert screen.selected_marks.starred

    asyncio.run(scenario())


def test_palette_jumps_to_a_paper_by_title():
    async def scenario():
        async with reader() as (app, pilot, screen):
            await run_palette_command(pilot, "hierarchical planning")
            assert screen.context.startswith("jumped to")
            assert "Hierarchical Planning" in screen.selected.title
            await pilot.press("escape")
            await settle(pilot)
            assert screen.query_one(ResultList).source.total == 790

    asyncio.run(scenario())
