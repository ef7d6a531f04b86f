"""The links picker: a paper's links, numbered; 1-9 (or enter) copies one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from index import terminal_safe
from tui.messages import CopyRequested, OpenRequested


class LinksPicker(ModalScreen[None]):
    """Pick a link to copy; ``o`` opens the highlighted one in a browser instead."""

    BINDINGS = [
        Binding("escape", "dismiss_picker", "Close", id="close-links"),
        Binding("o", "open_link", "Open", id="open-link"),
        *[Binding(str(n), f"copy_number({n})", f"Copy link {n}", show=False) for n in range(1, 10)],
    ]

    def __init__(self, title: str, links: list[str]) -> None:
        super().__init__()
        self.paper_title = terminal_safe(title)
        self.links = links

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Label(f"Links of “{self.paper_title}”", markup=False, classes="dialog-title")
            yield OptionList(
                *[Option(Text(f"{n}  {terminal_safe(link)}"), id=str(n)) for n, link in enumerate(self.links, start=1)],
                id="link-list",
            )
            yield Label("1-9 or enter copy · o open · esc close", classes="dialog-hint")

    def action_copy_number(self, number: int) -> None:
        if 1 <= number <= len(self.links):
            self.copy(self.links[number - 1])

    @on(OptionList.OptionSelected)
    def copy_selected(self, event: OptionList.OptionSelected) -> None:
        self.copy(self.links[event.option_index])

    def copy(self, link: str) -> None:
        self.app.post_message(CopyRequested(link, "link"))
        self.dismiss(None)

    def action_open_link(self) -> None:
        index = self.query_one(OptionList).highlighted or 0
        self.app.post_message(OpenRequested(self.links[index]))
        self.dismiss(None)

    def action_dismiss_picker(self) -> None:
        self.dismiss(None)
