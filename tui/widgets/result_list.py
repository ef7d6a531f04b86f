"""The result list: one row per paper on Textual's Line API, so 100k rows stay instant.

Only visible rows are rendered (``render_line``), each row's Strip is cached, and rows
whose page is not loaded yet ask the screen for it (``PageWanted``) as they scroll
into view or the cursor nears them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from index import EMPTY, Marks, Paper
from tui.widgets.line_view import LineView
from tui.widgets.rows import PAGE_SIZE, RowSource, RowStyles, row_strip
from tui.widgets.styling import foreground_style

LOOKAHEAD = 50
"""Fetch the next page when the cursor comes this close to the end of the loaded rows."""


class ResultList(LineView, can_focus=True):
    """The papers matching the search, with a cursor."""

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False, id="cursor-up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="cursor-down"),
        Binding("home,g", "cursor_first", "First", show=False, id="cursor-first"),
        Binding("end,G", "cursor_last", "Last", show=False, id="cursor-last"),
        Binding("pageup", "page_up", "Page up", show=False, id="page-up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="page-down"),
        Binding("enter", "select_paper", "Open", id="open-paper", tooltip="Read the abstract (marks it read)"),
    ]

    COMPONENT_CLASSES = {
        "result-list--cursor",
        "result-list--match",
        "result-list--star",
        "result-list--unread",
        "result-list--meta",
        "result-list--tag",
    }

    DEFAULT_CSS = """
    ResultList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        & > .result-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .result-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .result-list--match { color: $text-warning; text-style: bold underline; }
        & > .result-list--star { color: $text-warning; }
        & > .result-list--unread { color: $text-accent; }
        & > .result-list--meta { color: $text-muted; }
        & > .result-list--tag { color: $text-success; }
    }
    """

    @dataclass
    class PaperHighlighted(Message):
        """The cursor is on ``paper`` (None: the list is empty)."""

        paper: Paper | None
        row: int

    @dataclass
    class PaperSelected(Message):
        """The user asked to read ``paper`` (enter, or a double click)."""

        paper: Paper
        row: int

    class ReleaseKeys(Message):
        """Replay the keys held while the rows were on their way (see :meth:`hold_keys`)."""

    @dataclass
    class PageWanted(Message):
        """Rows from ``offset`` on are needed for the rows of search ``generation``."""

        generation: int
        offset: int

    def __init__(self, marks: Callable[[str], Marks] = lambda _id: EMPTY, **kwargs) -> None:
        super().__init__(**kwargs)
        self.marks = marks
        """Looks up a paper's marks (the screen passes the state store's ``get``)."""
        self.source = RowSource()
        self.cursor = 0
        self._requested: set[int] = set()
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)
        self._width = 0
        self._styles: dict[tuple[bool, bool], RowStyles] = {}
        """Row styles by (cursor row, focused), computed once per theme."""
        self._announced: tuple[str | None, int] | None = None
        self._held: list[events.Key] | None = None

    # -- data from the screen ---------------------------------------------------
    def _update_virtual_size(self) -> None:
        self.set_virtual_size(Size(self.scrollable_content_region.width, self.source.total))
        # After the scrollbar came or went: the rows' width is what is left beside it.
        self._width = max(0, self.scrollable_content_region.width)

    def show(self, source: RowSource, cursor: int = 0) -> None:
        """Show new rows (a new search, related papers…), cursor on ``cursor``."""
        self.source = source
        self._requested = set(source.pages)
        self._announced = None
        self._update_virtual_size()
        self.refresh()
        self.move_cursor(cursor, announce=True)
        if cursor == 0:
            self.scroll_to(y=0, animate=False, immediate=True)

    def add_page(self, generation: int, offset: int, hits: list) -> None:
        """A page fetched for ``PageWanted`` arrived (dropped when the search changed since)."""
        if generation != self.source.generation:
            return
        self.source.add_page(offset, hits)
        self.refresh()
        self._announce()

    def refresh_marks(self) -> None:
        """Marks changed (here or in another instance): redraw the rows (a row's strip is
        cached under its marks, so a changed row is drawn anew)."""
        self.refresh()

    # -- keys that arrive before the rows they are meant for ------------------------
    def hold_keys(self) -> None:
        """Keep the keys that reach the list until :meth:`release_keys`.

        "kernel⏎js" typed in one go: the j and s are meant for the rows of "kernel",
        which are still being searched when they arrive. Held, they act on those rows.
        """
        if self._held is None:
            self._held = []

    def release_keys(self) -> None:
        """Replay held keys, after any key already queued here (so their order is kept)."""
        if self._held is not None:
            self.post_message(self.ReleaseKeys())

    def on_key(self, event: events.Key) -> None:
        if self._held is not None:
            self._held.append(event)
            event.stop()
            event.prevent_default()

    async def on_result_list_release_keys(self, message: ReleaseKeys) -> None:
        held, self._held = self._held or [], None
        for event in held:
            # What the app does with a key its focused widget did not use: run the bindings
            # of the focused widget and its ancestors (the screen's paper actions among them).
            await self.app._check_bindings(event.key)

    @property
    def highlighted(self) -> Paper | None:
        hit = self.source.hit(self.cursor)
        return hit.paper if hit else None

    # -- cursor ----------------------------------------------------------------
    def move_cursor(self, row: int, announce: bool = False) -> None:
        row = max(0, min(row, self.source.total - 1))
        if row != self.cursor:
            self.refresh_line(self.cursor)
            self.cursor = row
            self.refresh_line(row)
        self._want_rows_near(row)
        self.scroll_to_region(Region(0, row, 1, 1), animate=False, force=True, immediate=True)
        self._announce(force=announce)

    def _announce(self, force: bool = False) -> None:
        """Post PaperHighlighted when the paper under the cursor changed (or just loaded)."""
        paper = self.highlighted
        key = (paper.id if paper else None, self.cursor)
        if paper is None and self.source.total and not force:
            return  # its page is on the way; announce when it lands
        if force or key != self._announced:
            self._announced = key
            self.post_message(self.PaperHighlighted(paper, self.cursor))

    def _want_rows_near(self, row: int) -> None:
        for wanted in (row, row + LOOKAHEAD):
            page = self.source.missing_page(min(wanted, self.source.total - 1))
            if page is not None and page not in self._requested:
                self._requested.add(page)
                self.post_message(self.PageWanted(self.source.generation, page * PAGE_SIZE))

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_cursor_first(self) -> None:
        self.move_cursor(0)

    def action_cursor_last(self) -> None:
        self.move_cursor(self.source.total - 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_select_paper(self) -> None:
        paper = self.highlighted
        if paper is not None:
            self.post_message(self.PaperSelected(paper, self.cursor))

    def on_click(self, event: events.Click) -> None:
        row = self.scroll_offset.y + event.y
        if 0 <= row < self.source.total:
            self.move_cursor(row)
            if event.chain >= 2:
                self.action_select_paper()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        self._update_virtual_size()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # theme or focus style changed: cached colours are stale
        self._styles.clear()

    # -- rendering ---------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        row = self.scroll_offset.y + y
        width = self._width  # (the region's width is worked out anew at every call)
        if row >= self.source.total:
            return Strip.blank(width, self._row_styles(False).base)
        hit = self.source.hit(row)
        if hit is None:
            self._want_rows_near(row)  # a placeholder until its page lands
            return row_strip(None, EMPTY, [], width, self._row_styles(False))
        # Keyed by what the row shows, not where: typing on keeps many of the same papers
        # (in new places), and their rows are not drawn again.
        marks = self.marks(hit.paper.id)
        spans = self.source.results.title_spans(hit.paper) if self.source.results is not None else []
        key = (hit.paper.id, marks, tuple(spans), width, row == self.cursor, self.has_focus)
        strip = self._strips.get(key)
        if strip is None:
            strip = row_strip(hit, marks, spans, width, self._row_styles(row == self.cursor))
            self._strips[key] = strip
        return strip

    def _row_styles(self, cursor: bool) -> RowStyles:
        key = (cursor, self.has_focus)
        styles = self._styles.get(key)
        if styles is None:
            base = self.rich_style
            if cursor:
                base = base + self.get_component_rich_style("result-list--cursor")
            styles = RowStyles(
                base=base,
                match=foreground_style(self, "result-list--match"),
                star=foreground_style(self, "result-list--star"),
                unread=foreground_style(self, "result-list--unread"),
                meta=foreground_style(self, "result-list--meta"),
                tag=foreground_style(self, "result-list--tag"),
            )
            self._styles[key] = styles
        return styles
