"""The note editor: a multi-line note on one paper; ctrl+s saves, esc cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from index import terminal_safe
from tui.widgets.safe_input import SafeTextArea


class NoteEditor(ModalScreen[str | None]):
    """Dismisses with the new note text ("" clears it), or None when cancelled."""

    BINDINGS = [
        # priority: TextArea would otherwise take the keys as text or its own commands.
        Binding("ctrl+s", "save", "Save", priority=True, id="save-note"),
        Binding("escape", "cancel", "Cancel", priority=True, id="cancel-edit"),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.paper_title = terminal_safe(title)
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog note-dialog"):
            yield Label(f"Note on “{self.paper_title}”", markup=False, classes="dialog-title")
            # A note imported from someone's export may hold control characters: shown as symbols.
            editor = SafeTextArea(
                terminal_safe(self.note, multiline=True), id="note-text", soft_wrap=True, show_line_numbers=False
            )
            editor.cursor_blink = False
            yield editor
            yield Label("ctrl+s save · esc cancel (an empty note removes it)", classes="dialog-hint")

    def on_mount(self) -> None:
        editor = self.query_one(SafeTextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(SafeTextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
