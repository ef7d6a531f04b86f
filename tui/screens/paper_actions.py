"""What the keys do to the paper under the cursor: marks (saved at once), copying, links, related.

A mixin of the main screen, which provides ``state``, ``library``, ``engine``,
``selected``, ``selected_marks`` and ``result_list``.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.worker import get_current_worker

from index.library import Library
from index.marks import Marks
from index.paper import Paper
from index.state import StateError, StateStore
from tui.messages import CopyRequested, OpenRequested
from tui.screens.engine import EngineThread, Skipped
from tui.screens.links import LinksPicker
from tui.screens.note_editor import NoteEditor
from tui.screens.tag_editor import TagEdit, TagEditor
from tui.widgets.paper_text import citation, paper_links
from tui.widgets.result_list import ResultList

RELATED_LIMIT = 30
PAPER_ACTIONS = frozenset(
    {
        "star_paper",
        "tag_paper",
        "edit_note",
        "toggle_read",
        "copy_link",
        "copy_citation",
        "pick_link",
        "open_in_browser",
        "related_papers",
    }
)
"""Actions on the paper under the cursor (the screen allows them only from the list or viewer)."""


class PaperActions:
    """Paper actions for the main screen (a Screen subclass provides notify, app, workers)."""

    state: StateStore
    library: Library
    engine: EngineThread
    selected: Paper | None
    selected_marks: Marks
    result_list: ResultList

    def current_paper(self) -> Paper | None:
        """The paper under the cursor now, as the key is handled.

        Read from the list itself, never from ``selected``: that follows a message the
        list posts, which is handled only after the other keys of a burst ("js" would
        star the paper above the cursor).
        """
        paper = self.result_list.highlighted
        if paper is None:
            self.notify("No paper under the cursor", severity="warning", timeout=2, markup=False)
        return paper

    def save_marks(self, paper: Paper, change: Callable[[], Marks]) -> Marks | None:
        """Apply one change through the state store (written to disk before it returns)."""
        try:
            marks = change()
        except StateError as error:
            self.notify(str(error), title="Not saved", severity="error", markup=False)
            return None
        if self.selected is not None and self.selected.id == paper.id:
            self.selected_marks = marks
        self.result_list.refresh_marks()
        return marks

    def action_star_paper(self) -> None:
        if paper := self.current_paper():
            self.save_marks(paper, lambda: self.state.toggle_star(paper.id))

    def action_toggle_read(self) -> None:
        if paper := self.current_paper():
            read = bool(self.state.get(paper.id).read)
            self.save_marks(paper, lambda: self.state.set_read(paper.id, not read))

    def action_tag_paper(self) -> None:
        if not (paper := self.current_paper()):
            return

        def apply(edit: TagEdit | None) -> None:
            if edit is None:
                return
            if edit.add:
                self.save_marks(paper, lambda: self.state.add_tags(paper.id, edit.add))
            if edit.remove:
                self.save_marks(paper, lambda: self.state.remove_tags(paper.id, edit.remove))

        marks = self.state.get(paper.id)
        self.app.push_screen(TagEditor(paper.title, marks.tags, self.state.tag_counts()), apply)

    def action_edit_note(self) -> None:
        if not (paper := self.current_paper()):
            return

        def apply(note: str | None) -> None:
            if note is not None and self.save_marks(paper, lambda: self.state.set_note(paper.id, note)):
                self.notify("Note saved" if note.strip() else "Note removed", timeout=2, markup=False)

        self.app.push_screen(NoteEditor(paper.title, self.state.get(paper.id).note), apply)

    def action_copy_link(self) -> None:
        if paper := self.current_paper():
            self.app.post_message(CopyRequested(paper.primary_link, "link"))

    def action_copy_citation(self) -> None:
        if paper := self.current_paper():
            self.app.post_message(CopyRequested(citation(paper), "citation"))

    def action_pick_link(self) -> None:
        if paper := self.current_paper():
            self.app.push_screen(LinksPicker(paper.title, paper_links(paper)))

    def action_open_in_browser(self) -> None:
        if paper := self.current_paper():
            self.app.post_message(OpenRequested(paper.primary_link))

    def action_related_papers(self) -> None:
        if paper := self.current_paper():
            self.notify(f"Finding papers like “{paper.title}”…", timeout=1, markup=False)
            self.find_related(paper)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def find_related(self, paper: Paper) -> None:
        worker = get_current_worker()
        try:
            papers = self.engine.call(
                lambda: self.library.related(paper.id, RELATED_LIMIT), wanted=lambda: not worker.is_cancelled
            )
        except Skipped:
            return
        if not worker.is_cancelled:
            title = paper.title if len(paper.title) <= 50 else paper.title[:49] + "…"
            self.post_message(self.FixedList(papers, f"{len(papers)} related to “{title}”"))
