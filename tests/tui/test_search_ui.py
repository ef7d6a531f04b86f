"""The reader as a user drives it: startup, typing, errors, sorting, paging, layouts."""

from __future__ import annotations

import asyncio

from reader_helpers import reader, settle, wait_until
from textual.widgets import Input

from tui.screens.help import HelpScreen
from tui.widgets.result_list import ResultList
from tui.widgets.status import StatusLine
from tui.widgets.viewer import PaperViewer


def status_text(screen) -> str:
    return screen.query_one(StatusLine).describe().plain


def test_opens_on_the_library_newest_first_in_the_search_box():
    async def scenario():
        async with reader(in_list=False) as (app, pilot, screen):
            assert screen.results.total == 790
            assert status_text(screen).startswith("790 papers · newest first")
            listing = screen.query_one(ResultList)
            assert isinstance(app.focused, Input), "type to search, from the first key"
            dates = [listing.source.hit(row).paper.date for row in range(20)]
            known = [d for d in dates if d]
            assert known == sorted(known, reverse=True)
            assert screen.selected is listing.source.hit(0).paper

    asyncio.run(scenario())


def test_typing_narrows_results_and_highlights():
    async def scenario():
        async with reader() as (app, pilot, screen):
            await pilot.press("slash")
            assert isinstance(app.focused, Input)
            await pilot.press(*"diffusion")
            await settle(pilot)
            assert screen.search_text == "diffusion"
            assert 0 < screen.results.total < 790
            assert status_text(screen).startswith(f"{screen.results.total} papers · by relevance")
            first = screen.query_one(ResultList).source.hit(0).paper
            assert "diffusion" in (first.title + first.abstract).lower()
            assert screen.highlights.title_spans(first) or screen.highlights.abstract_spans(first)
            narrower = screen.results.total
            await pilot.press("space", *"planning")
            await settle(pilot)
            assert 0 < screen.results.total < narrower

    asyncio.run(scenario())


def test_prefix_matches_while_typing():
    async def scenario():
        async with reader() as (app, pilot, screen):
            await pilot.press("slash", *"diffus")
            await settle(pilot)
            assert screen.results.total > 0, "the word being typed matches as a prefix"

    asyncio.run(scenario())


def test_query_error_shows_in_status_and_keeps_results():
    async def scenario():
        async with reader() as (app, pilot, screen):
            await pilot.press("slash", *"diffusion ")
            await settle(pilot)
            found = screen.results.total
            await pilot.press(*"(" * 17)  # deeper than the parser allows
            await settle(pilot)
            assert "nested" in screen.error
            assert status_text(screen).startswith("⚠")
            assert screen.query_one(StatusLine).has_class("-error")
            assert screen.query_one(ResultList).source.total == found, "the previous results stay"
            await pilot.press("backspace")
            await settle(pilot)
            assert not screen.error and screen.results.total == found

    asyncio.run(scenario())


def test_did_you_mean_in_status():
    async def scenario():
        async with reader() as (app, pilot, screen):
            await pilot.press("slash", *"reinforcment lerning ")
            await settle(pilot)
            suggestion = screen.results.suggestion  # the engine's word; its quality is tested in tests/
            assert suggestion and suggestion.strip() != "reinforcment lerning"
            # Nothing matches the typo: the suggestion's papers are shown, and said so.
            assert screen.results.corrected and screen.results.total > 0
            assert f"showing “{suggestion}” (tab takes it)" in status_text(screen)

    asyncio.run(scenario())


def test_sort_cycles_relevance_date_upvotes():
    async def scenario():
        async with reader() as (app, pilot, screen):
            await pilot.press("slash", *"reinforcement", "escape")
            await settle(pilot)
            assert screen.sort == "relevance"
            await pilot.press("S")
            await settle(pilot)
            assert screen.sort == "date" and screen.results.sort == "date"
            assert "by date" in status_text(screen)
            await pilot.press("S")
            await settle(pilot)
            assert screen.results.sort == "upvotes"
            votes = [hit.paper.upvotes or 0 for hit in screen.results.hits[:30]]
            assert votes == sorted(votes, reverse=True)
            await pilot.press("S")
            await settle(pilot)
            assert screen.sort == "relevance"

    asyncio.run(scenario())


def test_cursor_keys_and_paging_in_more_rows():
    async def scenario():
        async with reader() as (app, pilot, screen):
            listing = screen.query_one(ResultList)
            assert len(listing.source.pages) == 1, "only the first page is fetched up front"
            await pilot.press("j", "j", "down")
            assert listing.cursor == 3
            await pilot.press("k")
            assert listing.cursor == 2
            await pilot.press("pagedown")
            assert listing.cursor > 10
            await pilot.press("G")
            await settle(pilot)
            assert listing.cursor == 789
            assert listing.source.hit(789) is not None, "the last page was fetched on demand"
            assert screen.selected is listing.source.hit(789).paper
            await pilot.press("g")
            assert listing.cursor == 0 and screen.selected is listing.source.hit(0).paper

    asyncio.run(scenario())


def test_narrow_layout_toggles_between_list_and_viewer():
    async def scenario():
        async with reader(size=(80, 24)) as (app, pilot, screen):
            listing, viewer = screen.query_one(ResultList), screen.query_one(PaperViewer)
            assert screen.has_class("-narrow")
            assert listing.display and not viewer.display
            await pilot.press("enter")
            await pilot.pause()
            assert viewer.display and not listing.display
            assert screen.selected.title in viewer.text
            await pilot.press("escape")
            await pilot.pause()
            assert listing.display and not viewer.display and app.focused is listing

    asyncio.run(scenario())


def test_wide_layout_shows_both_panes():
    async def scenario():
        async with reader(size=(120, 40)) as (app, pilot, screen):
            assert screen.has_class("-wide")
            listing, viewer = screen.query_one(ResultList), screen.query_one(PaperViewer)
            assert listing.display and viewer.display
            assert listing.region.x < viewer.region.x, "side by side"
            await pilot.press("j")
            assert screen.selected.title in viewer.text

    asyncio.run(scenario())


def test_escape_leaves_search_box_then_filter():
    async def scenario():
        async with reader() as (app, pilot, screen):
            await pilot.press("slash", "x", "escape")
            assert app.focused is screen.query_one(ResultList)
            screen.filter = "is:starred"
            await settle(pilot)
            assert screen.results.total == 0
            await pilot.press("escape")
            await settle(pilot)
            assert screen.filter == "" and screen.results.total > 0

    asyncio.run(scenario())


def test_help_screen_lists_every_key():
    async def scenario():
        async with reader() as (app, pilot, screen):
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            table = app.screen.key_table()
            ids = set(table.columns[2].cells)
            for binding_id in (
                "star-paper",
                "tag-paper",
                "edit-note",
                "copy-link",
                "copy-citation",
                "pick-link",
                "open-in-browser",
                "related-papers",
                "cycle-sort",
                "cursor-down",
                "quit",
                "help",
            ):
                assert binding_id in ids
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen

    asyncio.run(scenario())


def test_q_quits_but_types_in_the_search_box():
    async def scenario():
        async with reader() as (app, pilot, screen):
            await pilot.press("slash", "q")
            assert screen.query_one(Input).value == "q"
            assert app.is_running
            await pilot.press("escape", "q")
            await wait_until(pilot, lambda: not app.is_running, timeout=5)

    asyncio.run(scenario())


def test_keys_arriving_in_one_burst_land_in_the_search_box(locs):
    """Over SSH "/diffusion" can arrive in one read: no letter may run as a command (s = star…)."""
    from textual import events

    async def scenario():
        async with reader() as (app, pilot, screen):
            for char in "/diffusion":
                app.post_message(events.Key("slash" if char == "/" else char, char))
            await settle(pilot)
            assert screen.query_one(Input).value == "diffusion"
            assert not locs.state_file.exists() or '"starred"' not in locs.state_file.read_text()
            await pilot.press("slash", "b")
            assert screen.query_one(Input).value == "diffusion/b", "inside the box / is just a character"

    asyncio.run(scenario())


def test_text_pasted_on_the_list_becomes_the_query():
    from textual import events

    async def scenario():
        async with reader() as (app, pilot, screen):
            screen.query_one(ResultList).post_message(events.Paste("  offline\nreinforcement "))
            await settle(pilot)
            assert isinstance(app.focused, Input)
            assert screen.search_text == "offline reinforcement"
            assert 0 < screen.results.total < 790

    asyncio.run(scenario())


def test_a_long_search_shows_its_best_hits_so_far_then_the_final_ranking(monkeypatch):
    import index.search.collecting
    from tui.screens.searching import SearchingScreen

    # Make "learning" (~600 matches) as slow to collect as a common word at 100k papers.
    monkeypatch.setattr(index.search.collecting, "CHECK_EVERY", 100)
    monkeypatch.setattr(index.search.collecting, "FIRST_PROGRESS", 0.0)
    monkeypatch.setattr(index.search.collecting, "PROGRESS_EVERY", 0.0)

    async def scenario():
        async with reader() as (app, pilot, screen):
            await pilot.press("slash", *"learning", "enter")
            await settle(pilot)
            final = screen.results
            assert final.complete and final.total > 500
            assert status_text(screen).startswith(f"{final.total} papers · by relevance")

            # Replay what the user saw meanwhile: a best-so-far of the same search...
            reports = []
            screen.library.clear_cache()
            screen.library.search("learning", limit=200, typing=True, partial=reports.append)
            early = reports[0]
            screen.post_message(SearchingScreen.SearchPartial(screen._latest, early))
            await settle(pilot)
            listing = screen.query_one(ResultList)
            assert listing.source.total == len(early.hits) < final.total
            assert status_text(screen).startswith(f"{early.total}+ papers so far, still searching")
            # ...on which the user moves to a paper that the final ranking also has...
            final_ids = [hit.paper.id for hit in final.hits]
            row = next(i for i, hit in enumerate(early.hits) if i and hit.paper.id in final_ids)
            for _ in range(row):
                await pilot.press("j")
            chosen = listing.highlighted
            # ...and when the final ranking lands, the cursor stays on that paper.
            screen.post_message(SearchingScreen.SearchDone(screen._latest, final, None))
            await settle(pilot)
            assert listing.source.total == final.total
            assert listing.highlighted == chosen and listing.cursor == final_ids.index(chosen.id)
            # A best-so-far of an older search is dropped.
            screen.post_message(SearchingScreen.SearchPartial(screen._latest - 1, early))
            await settle(pilot)
            assert listing.source.total == final.total

    asyncio.run(scenario())


def test_the_abstract_is_drawn_line_by_line_and_can_be_selected_with_the_mouse():
    async def scenario():
        async with reader(size=(120, 40)) as (app, pilot, screen):
            viewer = screen.query_one(PaperViewer)
            await settle(pilot)
            width = viewer.scrollable_content_region.width
            assert all(viewer.render_line(y).cell_length == width for y in range(10))
            line = next(i for i, text in enumerate(viewer._plain) if len(text) > 20)
            await pilot.mouse_down(viewer, offset=(1, line))
            await pilot.hover(viewer, offset=(11, line))
            await pilot.mouse_up(viewer, offset=(11, line))
            await pilot.pause(0.1)
            assert app.screen.get_selected_text() == viewer._plain[line][:10]

    asyncio.run(scenario())
