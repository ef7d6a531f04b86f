"""The abstract viewer: the selected paper as rich Text, wrapped and drawn line by line.

A ``Static`` in a scrolling container was the obvious widget, but its height follows
its text, so every new paper under the cursor (nearly every keystroke of a search)
laid out the whole screen and wrapped and drew the abstract again. Here the text is
wrapped once per paper and width into strips (the Line API), only the visible lines
are drawn, and a new text only moves the scrollbar: no layout.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.reactive import var
from textual.selection import Selection
from textual.strip import Strip

from index import EMPTY, Marks, Paper, SearchResults
from tui.widgets.line_view import LineView
from tui.widgets.paper_text import PaperStyles, paper_text
from tui.widgets.styling import foreground_style


class PaperViewer(LineView, can_focus=True):
    """Shows one paper; the screen binds ``paper``, ``marks`` and ``results`` to it."""

    COMPONENT_CLASSES = {"viewer--match", "viewer--meta", "viewer--tag", "viewer--title"}

    DEFAULT_CSS = """
    PaperViewer {
        padding: 0 1;
        overflow-x: hidden;
        overflow-y: auto;
        /* The scrollbar's column is always kept: a text that becomes taller than the
           pane must not change the width it was wrapped to. */
        scrollbar-gutter: stable;
        & > .viewer--title { text-style: bold; color: $text; }
        & > .viewer--match { color: $text-warning; text-style: bold underline; }
        & > .viewer--meta { color: $text-muted; }
        & > .viewer--tag { color: $text-success; }
    }
    """

    paper: var[Paper | None] = var(None)
    """The paper shown (None: nothing to show)."""
    marks: var[Marks] = var(EMPTY)
    """Its star, tags, read time and note."""
    results: var[SearchResults | None] = var(None)
    """The search it was found by, for highlighting query terms."""

    _redraw_pending = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._text = Text()
        self._shown: tuple[str, tuple] | None = None
        """What the text shows (plain text and styled spans), to skip drawing the same again."""
        self._lines: list[Strip] = []
        self._plain: list[str] = []
        self._wrapped_at = -1
        self._base = Style()
        self._drawn: dict[tuple[int, int], Strip] = {}
        """Finished lines by (line, width): scrolling and repaints reuse them."""

    @property
    def allow_select(self) -> bool:
        return True

    @property
    def text(self) -> str:
        """The plain text shown (for tests and screen readers)."""
        return self._text.plain

    def on_mount(self) -> None:
        self.redraw()

    def watch_paper(self, old: Paper | None, new: Paper | None) -> None:
        if old is None or new is None or old.id != new.id:
            self.scroll_home(animate=False, immediate=True)
        self.schedule_redraw()

    def watch_marks(self) -> None:
        self.schedule_redraw()

    def watch_results(self) -> None:
        self.schedule_redraw()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self._shown = None  # the theme changed: the same text in new colours
            self.redraw()

    def schedule_redraw(self) -> None:
        """Redraw once, after the frame being prepared: a new search changes all three vars
        at once, and the rows of the list (what a typing user looks at) are painted first;
        the abstract follows in the next frame (~8 ms later) instead of doubling this one."""
        if not self._redraw_pending:
            self._redraw_pending = True
            self.call_after_refresh(self.redraw)

    def redraw(self) -> None:
        self._redraw_pending = False
        if not self.is_mounted:
            return
        styles = PaperStyles(
            title=foreground_style(self, "viewer--title"),
            match=foreground_style(self, "viewer--match"),
            meta=foreground_style(self, "viewer--meta"),
            tag=foreground_style(self, "viewer--tag"),
        )
        text = paper_text(self.paper, self.marks, self.results, styles)
        shown = (text.plain, tuple(text.spans))
        if shown == self._shown:
            # Typing on often keeps the same paper on top with the same highlights.
            return
        self._shown = shown
        self._text = text
        self._wrap()
        self.refresh()

    # -- lines ---------------------------------------------------------------------
    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._wrapped_at:
            self._wrap()
            self.refresh()

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width
        self._wrapped_at = width
        if width <= 0:
            self._lines, self._plain = [], []
        else:
            console = self.app.console
            # The widget's own style, worked out once here (it walks every ancestor).
            self._base = base = self.rich_style
            lines = self._text.wrap(console, width, overflow="fold")
            self._plain = [line.plain for line in lines]
            self._lines = [Strip(line.render(console)).apply_style(base) for line in lines]
        self._drawn.clear()
        self.set_virtual_size(Size(max(width, 0), len(self._lines)))

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self._wrapped_at
        drawn = self._drawn.get((index, width))
        if drawn is not None:
            return drawn
        if index >= len(self._lines):
            drawn = Strip.blank(max(width, 0), self._base)
        else:
            strip = self._lines[index]
            selection = self.text_selection
            if selection is not None and (span := selection.get_span(index)) is not None:
                start, end = span
                end = len(self._plain[index]) if end == -1 else end
                selected = self.screen.get_component_rich_style("screen--selection")
                before, chosen, after = [*strip.divide([start, end, strip.cell_length]), Strip([]), Strip([])][:3]
                strip = Strip.join([before, chosen.apply_style(selected), after])
            # Offsets tell a mouse selection which character is under the pointer.
            drawn = strip.adjust_cell_length(width, self._base).apply_offsets(0, index)
        self._drawn[(index, width)] = drawn
        return drawn

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        return selection.extract("\n".join(self._plain)), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._drawn.clear()
        self.refresh()
