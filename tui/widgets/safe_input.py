"""Text boxes that never hold a control character.

What is pasted into a box (a title copied from a web page, a query from a chat) is
third-party text too, and an ``Input`` draws its value as it is: an ``ESC`` in it would
reach the terminal. Every way text gets in — typing, pasting, setting ``value`` — is
cleaned here, a control character becoming a space.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from textual import events
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input, TextArea

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def without_controls(text: str) -> str:
    """``text`` with each control character replaced by a space."""
    return _CONTROL.sub(" ", text)


class SafeInput(Input):
    """An ``Input`` whose value never holds a control character."""

    def validate_value(self, value: str) -> str:
        return without_controls(value)

    def insert_text_at_cursor(self, text: str) -> None:
        super().insert_text_at_cursor(without_controls(text))

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(without_controls(text), start, end)

    def _on_paste(self, event: events.Paste) -> None:
        # Textual calls every class's _on_paste up the MRO: this one does the insert and
        # stops Input's from inserting the raw text again.
        event.prevent_default()
        event.stop()
        # A multi-line paste (an abstract, a title over two lines) becomes one line.
        text = " ".join(event.text.split()) if "\n" in event.text.strip() else event.text
        if not text:
            return
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)


class SafeTextArea(TextArea):
    """A ``TextArea`` (the note editor) that keeps newlines but no other control character."""

    async def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # TextArea's own _on_paste would insert the raw text too
        event.stop()
        if self.read_only:
            return
        text = "\n".join(without_controls(line) for line in event.text.splitlines())
        if result := self._replace_via_keyboard(text, *self.selection):
            self.move_cursor(result.end_location)


class SearchBox(SafeInput):
    """The reader's search box: enter, ↓ and tab hand over to the list, in key order.

    Keys of one burst ("kernel⏎js") are all queued here before the first is handled, so
    leaving cannot wait for a message or a binding (both run after the queued keys):
    it happens as the key is read, and any key read after focus moved on goes back to the
    app, which hands it to the widget that has focus now.
    """

    LEAVE_KEYS = ("enter", "down", "tab")

    # Input sets virtual_size (a layout reactive on Widget) to its text's width on every
    # change, so each keystroke laid out and repainted the whole screen: ~20 of the 50 ms
    # from results to frame at 120x40. The box's own size never depends on its text, and
    # horizontal scrolling reads virtual_size directly: a repaint is all it needs.
    virtual_size = Reactive(Size(0, 0), layout=False)

    def __init__(self, leave: Callable[[str, str], None], **kwargs) -> None:
        super().__init__(**kwargs)
        self.leave = leave
        """Called with the key and the box's value when a leave key is read (the screen
        moves focus, or with tab takes a did-you-mean suggestion)."""

    async def _on_key(self, event: events.Key) -> None:
        if self.screen.focused is not self:
            # Read after focus moved on: hand it back to the app as the input it is, so it
            # reaches whatever has focus now (and its priority keys, such as q, still work).
            event.prevent_default()
            event.stop()
            self.app.post_message(events.Key(event.key, event.character))
            return
        if event.key in self.LEAVE_KEYS:
            event.prevent_default()
            event.stop()
            self.leave(event.key, self.value)
            return
        await super()._on_key(event)
