"""The abstract viewer: the selected paper as rich Text in a scrolling Static."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import var
from textual.widgets import Static

from index import EMPTY, Marks, Paper, SearchResults
from tui.widgets.paper_text import PaperStyles, paper_text
from tui.widgets.styling import foreground_style


class PaperViewer(VerticalScroll, can_focus=True):
    """Shows one paper; the screen binds ``paper``, ``marks`` and ``results`` to it."""

    COMPONENT_CLASSES = {"viewer--match", "viewer--meta", "viewer--tag", "viewer--title"}

    DEFAULT_CSS = """
    PaperViewer {
        padding: 0 1;
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

    def compose(self) -> ComposeResult:
        yield Static(id="paper-text")

    _redraw_pending = False

    def on_mount(self) -> None:
        self.redraw()

    def watch_paper(self, old: Paper | None, new: Paper | None) -> None:
        if old is None or new is None or old.id != new.id:
            self.scroll_home(animate=False)
        self.schedule_redraw()

    def watch_marks(self) -> None:
        self.schedule_redraw()

    def watch_results(self) -> None:
        self.schedule_redraw()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self.redraw()

    def schedule_redraw(self) -> None:
        """Redraw once after the current message: a new search changes all three vars at once."""
        if not self._redraw_pending:
            self._redraw_pending = True
            self.call_next(self.redraw)

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
        self.query_one("#paper-text", Static).update(paper_text(self.paper, self.marks, self.results, styles))

    @property
    def text(self) -> str:
        """The plain text shown (for tests and screen readers)."""
        return paper_text(self.paper, self.marks, self.results).plain
