"""The help screen: every key of the reader, with the user's keymap overrides applied."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from index import QUERY_SYNTAX, terminal_safe

KEYMAP_HINT = 'Change keys in config.toml: [keymap] then binding-id = "keys", e.g. star-paper = "x".'
FOCUS_HINT = (
    "The reader opens in the search box: type to search. enter, ↓ or tab go to the list, "
    "where the keys below act on the paper under the cursor; / comes back to the box."
)


class HelpScreen(ModalScreen[None]):
    """Lists ``sections`` of bindings: (heading, bindings)."""

    BINDINGS = [Binding("escape,question_mark", "close", "Close", id="close-help")]

    def __init__(
        self, sections: Sequence[tuple[str, Iterable[BindingType]]], keymap: dict[str, str], config: str
    ) -> None:
        super().__init__()
        self.sections = sections
        self.keymap = keymap
        self.config = config

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog", classes="dialog help-dialog"):
            yield Label("Keys", classes="dialog-title")
            yield Label(FOCUS_HINT, classes="dialog-hint")
            yield Static(self.key_table(), id="help-keys")
            yield Label("Query syntax", classes="dialog-title help-heading")
            yield Static(self.syntax_table(), id="help-syntax")
            yield Label(
                f"{KEYMAP_HINT}\nConfig file: {terminal_safe(self.config)}", markup=False, classes="dialog-hint"
            )
            yield Label("esc close · ctrl+p runs any of these by name", classes="dialog-hint")

    def key_table(self) -> Table:
        table = Table(box=None, show_header=False, pad_edge=False, expand=True)
        table.add_column("keys", style="bold", no_wrap=True)
        table.add_column("what")
        table.add_column("id", style="dim", no_wrap=True)
        for heading, bindings in self.sections:
            table.add_row(Text(heading, style="bold underline"), "", "")
            seen: set[str] = set()
            for binding in bindings:
                if not isinstance(binding, Binding) or binding.id in seen or binding.system:
                    continue
                seen.add(binding.id or binding.action)
                keys = self.keymap.get(binding.id or "", binding.key)
                shown = " ".join(self.app.get_key_display(binding.with_key(key.strip())) for key in keys.split(","))
                what = binding.description + (f" — {binding.tooltip}" if binding.tooltip else "")
                table.add_row(shown, what, binding.id or "")
        return table

    @staticmethod
    def syntax_table() -> Table:
        table = Table(box=None, show_header=False, pad_edge=False, expand=True)
        table.add_column("type", style="bold")
        table.add_column("finds")
        for example, meaning in QUERY_SYNTAX:
            table.add_row(example, meaning)
        return table

    def action_close(self) -> None:
        self.dismiss(None)
