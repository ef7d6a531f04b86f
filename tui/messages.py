"""App-wide requests that any screen or widget may post; the App answers them."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class CopyRequested(Message):
    """Put ``text`` on the user's clipboard (OSC 52, tmux, native: see tui.clipboard)."""

    text: str
    what: str = ""
    """What the text is ("link", "citation"), for the notification."""


@dataclass
class OpenRequested(Message):
    """Open ``url`` in a browser, or copy it when the browser would be on another machine."""

    url: str
