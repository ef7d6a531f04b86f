"""What the keys do to the paper under the cursor: marks (saved at once), copying, links,
related papers. ``PaperScreen`` adds them, with the user's state, to a searching screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.binding import Binding
from textual.reactive import var

from index import EMPTY, Library, Marks, Paper, StateError, StateStore
from tui.engine_thread import EngineThread
from tui.messages import CopyRequested, OpenRequested
from tui.screens.links import LinksPicker
from tui.screens.note_editor import NoteEditor
from tui.screens.searching import SearchingScreen
from tui.screens.tag_editor import TagEdit, TagEditor
from tui.widgets.paper_text import citation, paper_links


class PaperScreen(SearchingScreen):
    """A searching screen whose keys act on the paper under the list's cursor."""

    PAPER_KEYS: ClassVar[list[Binding]] = [
        Binding("s", "star_paper", "Star", id="star-paper", tooltip="Star or unstar the paper"),
        Binding("t", "tag_paper", "Tag", id="tag-paper", tooltip="Add tags (foo) or remove them (-foo)"),
        Binding("n", "edit_note", "Note", show=False, id="edit-note", tooltip="Write a note (ctrl+s saves)"),
        Binding("u", "toggle_read", "Read/unread", show=False, id="toggle-read"),
        Binding("y", "copy_link", "Copy link", show=False, id="copy-link", tooltip="Copy the paper's main link"),
        Binding("Y", "copy_citation", "Copy citation", show=False, id="copy-citation", tooltip="[Title](url)"),
        Binding("l", "pick_link", "Links", show=False, id="pick-link", tooltip="Pick a link to copy (1-9)"),
        Binding("o", "open_in_browser", "Open in browser", show=False, id="open-in-browser"),
        Binding("r", "related_papers", "Related", show=False, id="related-papers", tooltip="Papers like this one"),
    ]
    """The keys of the actions on the paper under the cursor (the palette runs them by name
    too). The screen that shows the list places them among its own ``BINDINGS``, which
    fixes their order in the footer."""
    PAPER_ACTIONS = frozenset(binding.action for binding in PAPER_KEYS)
    """Actions on the paper under the cursor (allowed only where a paper has focus)."""

    selected: var[Paper | None] = var(None)
    """The paper the viewer shows (follows the cursor, through the list's message)."""
    selected_marks: var[Marks] = var(EMPTY)

    def __init__(self, library: Library, engine: EngineThread, state: StateStore) -> None:
        super().__init__(library, engine)
        self.state = state

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
            self.show_related(paper)

    def show_related(self, paper: Paper) -> None:
        """Papers like ``paper``: the screen shows them as the search ``related:ID``."""
        raise NotImplementedError  # the screen with the search box decides how
