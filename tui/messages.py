"""Requests that any screen, widget or the palette may post; the App or the screen answers.

Widgets and the palette never reach into a screen: they say what the user asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from textual.message import Message

from index import Paper, Sort


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


@dataclass
class SetFilter(Message):
    """Show only papers matching ``query`` (``is:starred``, ``tag:rl``; ``""`` clears it)."""

    query: str


@dataclass
class SetSort(Message):
    sort: Sort


@dataclass
class SetQuery(Message):
    """Put ``text`` in the search box (a saved view's query)."""

    text: str


@dataclass
class JumpToPaper(Message):
    """Show this one paper in place of the search, until esc."""

    paper: Paper


@dataclass
class RunPaperAction(Message):
    """Run a paper key's action by name (from the palette: deliberate, wherever focus was)."""

    action: str


class TakesInputWhenReady(Protocol):
    accepts_input: bool
    """False from the moment the screen is pushed until the app hands it held input."""


@dataclass
class ReaderReady(Message):
    """The reader's screen is mounted and its search box has focus.

    From the moment the reader is pushed until then, the app holds the keys and pastes it
    reads (there is nothing yet to type into, and "q" would quit) and hands them on, in
    the order typed, when this arrives (see ``PapersApp.on_event``).
    """

    screen: TakesInputWhenReady
