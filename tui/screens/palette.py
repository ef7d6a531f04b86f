"""Command palette (ctrl+p) commands: jump to a paper by title, filter, sort, and every key.

The main screen lists this provider in its ``COMMANDS``, so ``self.screen`` is it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from index.library import SORTS, QueryError
from index.paper import Paper
from index.safe_text import plural, terminal_safe
from tui.screens.engine import Skipped

if TYPE_CHECKING:
    from tui.screens.main import MainScreen

SORT_HELP = {
    "relevance": "best match first (newest first when nothing is typed)",
    "date": "newest first, undated papers last",
    "upvotes": "most upvoted first",
}
JUMP_LIMIT = 8
"""Papers offered per palette query: enough to pick from without drowning the commands."""


def tag_filter(tag: str) -> str:
    """The query for papers with ``tag`` (quoted when it holds anything but word characters)."""
    return f"tag:{tag}" if tag.replace("-", "").replace("_", "").isalnum() else f'tag:"{tag}"'


class PaperCommands(Provider):
    """Filters, sorts and key actions by name, plus "jump to paper" from the library."""

    @property
    def main(self) -> MainScreen:
        return self.screen  # type: ignore[return-value]

    def commands(self) -> Iterator[tuple[str, Callable[[], Any], str]]:
        main = self.main
        yield "Show starred papers", partial(setattr, main, "filter", "is:starred"), "filter is:starred"
        yield "Show unread papers", partial(setattr, main, "filter", "is:unread"), "filter is:unread"
        yield "Show papers with notes", partial(setattr, main, "filter", "has:note"), "filter has:note"
        if main.filter:
            yield "Clear the filter", partial(setattr, main, "filter", ""), f"now: {main.filter}"
        for tag, count in main.state.tag_counts().items():
            yield (
                f"Filter by tag: {terminal_safe(tag)}",
                partial(setattr, main, "filter", tag_filter(tag)),
                plural(count, "paper"),
            )
        for sort in SORTS:
            yield f"Sort by {sort}", partial(setattr, main, "sort", sort), SORT_HELP[sort]
        for binding in main.BINDINGS:
            if binding.id not in ("back", "focus-list"):  # keys that only make sense as keys
                # Called directly: from the palette a paper action is deliberate, wherever focus was.
                action = getattr(main, f"action_{binding.action}")
                yield binding.description, action, binding.tooltip or f"key {binding.key}"

    async def discover(self) -> Hits:
        for name, command, help_text in self.commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self.commands():
            if (score := matcher.match(name)) > 0:
                yield Hit(score, matcher.highlight(name), command, text=name, help=help_text)
        for paper in await self.find_papers(query):
            label = f"Jump to paper: {terminal_safe(paper.title)}"
            score = max(matcher.match(label), 0.01)  # the engine found it; keep it even if fuzzy disagrees
            yield Hit(score, matcher.highlight(label), partial(self.main.jump_to, paper), text=label, help=paper.id)

    async def find_papers(self, query: str) -> list[Paper]:
        main = self.main
        try:
            future = main.engine.submit(lambda: main.library.search(f"title:({query})", limit=JUMP_LIMIT, typing=True))
            results = await asyncio.wrap_future(future)
        except (QueryError, Skipped, RuntimeError):
            return []  # half-typed palette text is not worth an error
        return [hit.paper for hit in results.hits]
