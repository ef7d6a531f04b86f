"""The tag editor: one line where ``foo`` adds a tag and ``-foo`` removes one.

Existing tags complete as you type (right arrow or tab accepts the suggestion).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label

from index import normalize_tag, terminal_safe
from tui.widgets.safe_input import SafeInput


@dataclass(frozen=True)
class TagEdit:
    """What the user asked for: tags to add and tags to remove."""

    add: tuple[str, ...]
    remove: tuple[str, ...]


def parse_tag_edit(text: str) -> TagEdit:
    """``"rl -old  llm"`` -> add (rl, llm), remove (old); commas also separate."""
    add: list[str] = []
    remove: list[str] = []
    for word in text.replace(",", " ").split():
        target = remove if word.startswith("-") else add
        tag = normalize_tag(word.lstrip("-+"))
        if tag and tag not in target:
            target.append(tag)
    return TagEdit(tuple(add), tuple(remove))


class LastWordSuggester(SuggestFromList):
    """Complete the word being typed (after an optional ``-``) from the existing tags."""

    async def get_suggestion(self, value: str) -> str | None:
        head, _space, word = value.rpartition(" ")
        sign = "-" if word.startswith("-") else ""
        word = word.lstrip("-+")
        if not word:
            return None
        completed = await super().get_suggestion(word)
        if completed is None:
            return None
        return f"{head}{_space}{sign}{completed}"


class TagEditor(ModalScreen[TagEdit | None]):
    """Edit the tags of one paper; dismisses with a :class:`TagEdit`, or None on esc."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel-edit")]

    def __init__(self, title: str, tags: tuple[str, ...], counts: dict[str, int]) -> None:
        super().__init__()
        self.paper_title = terminal_safe(title)
        self.tags = tags
        # Most used tags first: they are the likeliest completions.
        self.known = sorted(counts, key=lambda tag: (-counts[tag], tag))

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Label(f"Tags for “{self.paper_title}”", markup=False, classes="dialog-title")
            current = terminal_safe(" ".join(f"#{tag}" for tag in self.tags)) or "(none yet)"
            yield Label(f"Now: {current}", markup=False, id="current-tags")
            editor = SafeInput(
                placeholder="tag to add, -tag to remove (space between several)",
                suggester=LastWordSuggester(self.known, case_sensitive=False),
                id="tag-input",
            )
            editor.cursor_blink = False
            yield editor
            known = terminal_safe(", ".join(self.known[:12])) or "none yet"
            yield Label(f"Existing: {known}", markup=False, classes="dialog-hint", id="known-tags")
            yield Label("enter save · → complete · esc cancel", classes="dialog-hint")

    @on(Input.Submitted, "#tag-input")
    def save(self, event: Input.Submitted) -> None:
        edit = parse_tag_edit(event.value)
        self.dismiss(edit if edit.add or edit.remove else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
