"""The rows behind the result list: pages of hits fetched on demand, and one row's text.

The engine answers in pages (``limit``/``offset``), so a list of 100k hits holds only
the pages the user has looked at; a missing row is a placeholder until its page comes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

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


def row_strip(hit: Hit | None, marks: Marks, spans: list[tuple[int, int]], width: int, styles: RowStyles) -> Strip:
    """One row, exactly ``width`` cells: star, unread marker, title, tags, date, upvotes.

    Built as segments directly: a keystroke redraws every visible row, and going through
    rich ``Text`` (append, stylize, truncate, render) cost ~0.3 ms a row, a third of a
    frame at 40 rows.
    """
    base = styles.base
    meta = base + styles.meta
    if hit is None:
        return Strip([Segment("   …", meta)]).adjust_cell_length(width, base)
    paper = hit.paper
    left = [
        Segment("★" if marks.starred else " ", base + styles.star),
        Segment("•" if not marks.read else " ", base + styles.unread),
        Segment(" ", base),
    ]
    right = _right_columns(paper, marks, width, base, styles)
    right_width = sum(segment.cell_length for segment in right)
    room = max(1, width - 3 - right_width - 1)
    # terminal_safe maps each control character to one character, so spans still line up.
    title = _title_segments(terminal_safe(paper.title), spans, room, base, base + styles.match)
    row = Strip([*left, *title, Segment(" ", base), *right])
    if row.cell_length > width:  # too narrow for the right columns: cut, and say so
        row = Strip([*row.crop(0, width - 1), Segment("…", base)])
    return row.adjust_cell_length(width, base)


def _title_segments(title: str, spans: list[tuple[int, int]], room: int, plain: Style, match: Style) -> list[Segment]:
    """The title in exactly ``room`` cells (cut with an ellipsis, or padded), matches styled."""
    if cell_len(title) > room:
        title = set_cell_size(title, room - 1) + "…"
        spans = [(start, min(end, len(title) - 1)) for start, end in spans if start < len(title) - 1]
    segments = []
    at = 0
    for start, end in sorted(spans):
        if start < at:
            continue
        if start > at:
            segments.append(Segment(title[at:start], plain))
        segments.append(Segment(title[start:end], match))
        at = end
    if at < len(title):
        segments.append(Segment(title[at:], plain))
    used = sum(segment.cell_length for segment in segments)
    if used < room:
        segments.append(Segment(" " * (room - used), plain))
    return segments


def _right_columns(paper: Paper, marks: Marks, width: int, base: Style, styles: RowStyles) -> list[Segment]:
    right = []
    if width >= WIDE_ROW and marks.tags:
        tags = terminal_safe(" ".join(f"#{tag}" for tag in marks.tags))
        if cell_len(tags) > TAG_WIDTH:
            tags = set_cell_size(tags, TAG_WIDTH - 1) + "…"
        right += [Segment(tags, base + styles.tag), Segment(" ", base)]
    date = paper.date.isoformat() if paper.date else " " * 10
    votes = f"{'▲' + str(paper.upvotes):>5}" if paper.upvotes is not None else " " * 5
    right.append(Segment(f"{date} {votes}", base + styles.meta))
    return right
