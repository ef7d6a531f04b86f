"""Command palette (ctrl+p): jump to a paper by title, filter, sort, and every paper key.

A provider in the Textual way: it is handed its data through the small
:class:`PaletteSource` protocol (the screen that lists it in ``COMMANDS`` implements
it) and answers by posting messages (``tui.messages``) that the screen handles. It
never imports a screen or changes one directly.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol, cast

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.message import Message

from index import SORTS, Paper, plural, terminal_safe
from tui.messages import JumpToPaper, RunPaperAction, SetFilter, SetQuery, SetSort

SORT_HELP = {
    "relevance": "best match first (newest first when nothing is typed)",
    "date": "newest first, undated papers last",
    "upvotes": "most upvoted first",
}


@dataclass(frozen=True)
class PaletteData:
    """What the palette offers, taken when it opens."""

    filter: str = ""
    tag_counts: dict[str, int] = field(default_factory=dict)
    views: dict[str, str] = field(default_factory=dict)
    """Saved views: name -> query."""
    paper_keys: list[Binding] = field(default_factory=list)
    """Bindings of the actions on the paper under the cursor, runnable by name."""
    find_papers: Callable[[str], Awaitable[list[Paper]]] | None = None
    """Papers whose title matches what is typed (the engine's search; [] when unusable)."""


class PaletteSource(Protocol):
    def palette_data(self) -> PaletteData: ...


def tag_filter(tag: str) -> str:
    """The query for papers with ``tag`` (quoted when it holds anything but word characters)."""
    return f"tag:{tag}" if tag.replace("-", "").replace("_", "").isalnum() else f'tag:"{tag}"'


Command = tuple[str, Message, str]
"""(name shown, message posted to the screen when chosen, help text)."""


class PaperCommands(Provider):
    """Filters, sorts and paper keys by name, plus "jump to paper" from the library."""

    async def startup(self) -> None:
        self.data = cast(PaletteSource, self.screen).palette_data()

    def commands(self) -> Iterator[Command]:
        data = self.data
        yield "Show starred papers", SetFilter("is:starred"), "filter is:starred"
        yield "Show unread papers", SetFilter("is:unread"), "filter is:unread"
        yield "Show papers with notes", SetFilter("has:note"), "filter has:note"
        yield "Show new papers", SetFilter("is:new"), "imported since your last session (filter is:new)"
        for name, query in data.views.items():
            yield f"View: {terminal_safe(name)}", SetQuery(query), terminal_safe(query)
        if data.filter:
            yield "Clear the filter", SetFilter(""), f"now: {terminal_safe(data.filter)}"
        for tag, count in data.tag_counts.items():
            yield f"Filter by tag: {terminal_safe(tag)}", SetFilter(tag_filter(tag)), plural(count, "paper")
        for sort in SORTS:
            yield f"Sort by {sort}", SetSort(sort), SORT_HELP[sort]
        for binding in data.paper_keys:
            yield binding.description, RunPaperAction(binding.action), binding.tooltip or f"key {binding.key}"

    def post(self, message: Message) -> Callable[[], None]:
        # A palette command is called once, so a message object can be posted as it is.
        def command() -> None:
            self.screen.post_message(message)

        return command

    async def discover(self) -> Hits:
        for name, message, help_text in self.commands():
            yield DiscoveryHit(name, self.post(message), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, message, help_text in self.commands():
            if (score := matcher.match(name)) > 0:
                yield Hit(score, matcher.highlight(name), self.post(message), text=name, help=help_text)
        papers = await self.data.find_papers(query) if self.data.find_papers else []
        for paper in papers:
            label = f"Jump to paper: {terminal_safe(paper.title)}"
            score = max(matcher.match(label), 0.01)  # the engine found it; keep it even if fuzzy disagrees
            yield Hit(score, matcher.highlight(label), self.post(JumpToPaper(paper)), text=label, help=paper.id)
