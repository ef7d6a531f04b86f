"""The rows behind the result list: pages of hits fetched on demand, and one row's text.

The engine answers in pages (``limit``/``offset``), so a list of 100k hits holds only
the pages the user has looked at; a missing row is a placeholder until its page comes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from index import Hit, Marks, Paper, SearchResults, terminal_safe

PAGE_SIZE = 200
"""Hits fetched per request: a few screens ahead, cheap enough to fetch per keystroke."""
TAG_WIDTH = 16
WIDE_ROW = 70
"""Rows at least this wide have room for tags."""


@dataclass
class RowSource:
    """What the list shows: ``total`` rows, of which the loaded pages are known."""

    total: int = 0
    pages: dict[int, list[Hit]] = field(default_factory=dict)
    results: SearchResults | None = None
    """The search the rows came from (for highlights); None for a fixed list such as related papers."""
    generation: int = 0
    """Which search this is: a page that arrives for an older search is dropped."""

    @classmethod
    def from_results(cls, results: SearchResults, generation: int) -> RowSource:
        # A best-so-far (incomplete) search has only its first page: no more rows to page in.
        rows = results.total if results.complete else len(results.hits)
        source = cls(total=rows, results=results, generation=generation)
        source.add_page(results.offset, results.hits)
        return source

    @classmethod
    def from_papers(cls, papers: Iterable[Paper], generation: int) -> RowSource:
        hits = [Hit(paper, rank) for rank, paper in enumerate(papers)]
        source = cls(total=len(hits), generation=generation)
        for start in range(0, len(hits), PAGE_SIZE):
            source.pages[start // PAGE_SIZE] = hits[start : start + PAGE_SIZE]
        return source

    def add_page(self, offset: int, hits: list[Hit]) -> None:
        self.pages[offset // PAGE_SIZE] = list(hits)

    def hit(self, row: int) -> Hit | None:
        """The hit at ``row``, or None while its page is not loaded."""
        page, index = divmod(row, PAGE_SIZE)
        hits = self.pages.get(page)
        if hits is None or index >= len(hits):
            return None
        return hits[index]

    def missing_page(self, row: int) -> int | None:
        """The page holding ``row`` when it still has to be fetched."""
        if not 0 <= row < self.total:
            return None
        page = row // PAGE_SIZE
        return None if page in self.pages else page

    def row_of(self, paper_id: str) -> int | None:
        """The row of a paper among the loaded pages."""
        for page, hits in self.pages.items():
            for index, hit in enumerate(hits):
                if hit.paper.id == paper_id:
                    return page * PAGE_SIZE + index
        return None


@dataclass(frozen=True)
class RowStyles:
    """Rich styles for the parts of a row, taken from the list's component classes."""

    base: Style = Style()
    match: Style = Style(bold=True, underline=True)
    star: Style = Style()
    unread: Style = Style()
    meta: Style = Style(dim=True)
    tag: Style = Style()


def render_row(hit: Hit | None, marks: Marks, spans: list[tuple[int, int]], width: int, styles: RowStyles) -> Text:
    """One row, exactly ``width`` cells: star, unread marker, title, tags, date, upvotes."""
    row = Text(style=styles.base, no_wrap=True, overflow="ellipsis", end="")
    if hit is None:
        row.append("   …", styles.meta)
        row.truncate(width, pad=True)
        return row
    paper = hit.paper
    row.append("★" if marks.starred else " ", styles.star)
    row.append("•" if not marks.read else " ", styles.unread)
    row.append(" ")
    right = _right_columns(paper, marks, width, styles)
    # terminal_safe maps each control character to one character, so spans still line up.
    title = Text(terminal_safe(paper.title), no_wrap=True, overflow="ellipsis", end="")
    for start, end in spans:
        title.stylize(styles.match, start, end)
    room = max(1, width - row.cell_len - right.cell_len - 1)
    title.truncate(room, overflow="ellipsis", pad=True)
    row.append_text(title)
    row.append(" ")
    row.append_text(right)
    row.truncate(width, overflow="ellipsis", pad=True)
    return row


def _right_columns(paper: Paper, marks: Marks, width: int, styles: RowStyles) -> Text:
    right = Text(no_wrap=True, end="")
    if width >= WIDE_ROW and marks.tags:
        tags = terminal_safe(" ".join(f"#{tag}" for tag in marks.tags))
        if cell_len(tags) > TAG_WIDTH:
            tags = tags[: TAG_WIDTH - 1] + "…"
        right.append(tags, styles.tag)
        right.append(" ")
    right.append(paper.date.isoformat() if paper.date else " " * 10, styles.meta)
    votes = f"{'▲' + str(paper.upvotes):>5}" if paper.upvotes is not None else " " * 5
    right.append(" " + votes, styles.meta)
    return right
