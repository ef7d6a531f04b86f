"""A scrolling Line-API view whose content height changes without a screen layout."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.scroll_view import ScrollView


class LineView(ScrollView):
    """The base of the result list and the abstract viewer.

    Their content height (rows found, wrapped lines) changes at nearly every keystroke.
    It is the virtual size, a layout reactive on Widget: each change laid out the whole
    screen. Their own size never depends on it, so only the scrollbars are brought up to
    date; a scrollbar that appears or goes asks for a layout itself.
    """

    virtual_size = Reactive(Size(0, 0), layout=False)

    def set_virtual_size(self, size: Size) -> None:
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)
