"""The result list on the Line API: 100k rows, pages fetched on demand, rows cached."""

from __future__ import annotations

import asyncio

from textual import on
from textual.app import App, ComposeResult

from index.paper import Paper
from index.search.library import Hit
from index.state.marks import EMPTY, Marks
from tui.widgets.result_list import ResultList
from tui.widgets.rows import PAGE_SIZE, RowSource, RowStyles, row_strip

TOTAL = 100_000


def fake_page(offset: int) -> list[Hit]:
    count = min(PAGE_SIZE, TOTAL - offset)
    return [Hit(Paper.new(f"Paper number {offset + i}"), offset + i) for i in range(count)]


class ListApp(App):
    """A result list over 100k fake rows, answering PageWanted like the main screen does."""

    def __init__(self) -> None:
        super().__init__()
        self.requested: list[int] = []
        self.highlighted: list[Paper | None] = []

    def compose(self) -> ComposeResult:
        yield ResultList()

    def on_mount(self) -> None:
        source = RowSource(total=TOTAL, generation=1)
        source.add_page(0, fake_page(0))
        self.query_one(ResultList).show(source)
        self.query_one(ResultList).focus()

    @on(ResultList.PageWanted)
    def load(self, message: ResultList.PageWanted) -> None:
        self.requested.append(message.offset)
        self.query_one(ResultList).add_page(message.generation, message.offset, fake_page(message.offset))

    @on(ResultList.PaperHighlighted)
    def remember(self, message: ResultList.PaperHighlighted) -> None:
        self.highlighted.append(message.paper)


def test_100k_rows_jump_to_end_fetches_only_the_pages_seen():
    async def scenario():
        app = ListApp()
        async with app.run_test(size=(80, 24)) as pilot:
            listing = app.query_one(ResultList)
            assert listing.virtual_size.height == TOTAL
            await pilot.press("G")
            await pilot.pause()
            assert listing.cursor == TOTAL - 1
            assert app.highlighted[-1].title == f"Paper number {TOTAL - 1}"
            assert len(listing.source.pages) <= 3, "only the first and last pages are loaded"
            await pilot.press("g", *["pagedown"] * 10)
            await pilot.pause()
            assert listing.cursor > 200 and listing.source.hit(listing.cursor) is not None
            assert len(app.requested) == len(set(app.requested)), "each page is asked for once"

    asyncio.run(scenario())


def test_a_page_for_an_older_search_is_dropped():
    async def scenario():
        app = ListApp()
        async with app.run_test(size=(80, 24)):
            listing = app.query_one(ResultList)
            listing.add_page(generation=99, offset=PAGE_SIZE, hits=fake_page(0))
            assert PAGE_SIZE // PAGE_SIZE not in listing.source.pages

    asyncio.run(scenario())


def test_row_layout_fits_the_width_exactly():
    paper = Paper.new("A very long title " * 10, upvotes=1234)
    match = RowStyles().match
    for width in (12, 40, 79, 120):
        row = row_strip(Hit(paper, 0), Marks(starred=True, tags=("rl", "llm")), [(2, 6)], width, RowStyles())
        assert row.cell_length == width
        assert row.text.startswith("★•")
        if width >= 40:
            assert "▲1234" in row.text and "A very long title" in row.text and "…" in row.text
            assert [s.text for s in row if s.style == match] == ["very"]
    assert "#llm #rl" in row_strip(Hit(paper, 0), Marks(tags=("rl", "llm")), [], 100, RowStyles()).text
    placeholder = row_strip(None, EMPTY, [], 30, RowStyles())
    assert placeholder.cell_length == 30 and "…" in placeholder.text
    wide = row_strip(Hit(Paper.new("大規模言語モデル " * 8), 0), EMPTY, [(0, 2)], 50, RowStyles())
    assert wide.cell_length == 50 and wide.text.rstrip().endswith("…")
