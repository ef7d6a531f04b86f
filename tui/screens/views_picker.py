"""The saved views: each with how many papers it holds, how many are unread and new;
enter runs one (its query goes into the search box)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from index import terminal_safe


@dataclass(frozen=True)
class ViewRow:
    name: str
    query: str
    total: int
    unread: int
    new: int


class ViewsPicker(ModalScreen[str | None]):
    """Dismisses with the chosen view's query, or None."""

    BINDINGS = [Binding("escape", "close", "Close", id="close-views")]

    def __init__(self, rows: list[ViewRow]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Label("Saved views", classes="dialog-title")
            if self.rows:
                yield OptionList(*[Option(self.label(row), id=str(n)) for n, row in enumerate(self.rows)], id="views")
                yield Label("enter runs the view · esc close", classes="dialog-hint")
            else:
                yield Label(
                    'No saved views yet. Save one from the shell: papers view add "to read" "is:unread tag:rl"',
                    classes="dialog-hint",
                )
                yield Label("esc close", classes="dialog-hint")

    @staticmethod
    def label(row: ViewRow) -> Text:
        text = Text(terminal_safe(row.name), style="bold")
        text.append(f"  {row.total:,} · {row.unread:,} unread · {row.new:,} new", style="dim")
        text.append(f"\n  {terminal_safe(row.query)}", style="dim")
        return text

    @on(OptionList.OptionSelected)
    def choose(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.rows[event.option_index].query)

    def action_close(self) -> None:
        self.dismiss(None)
