"""The search half of the reader: query, filter and sort in; pages of results out.

Searches are async workers on the engine thread (see ``tui.engine_thread``): each
keystroke's search replaces the last one (a running search stops within a few ms), and
results are shown only if their search is still the latest (``generation``). A long
search (a common word in a big library) shows the best hits found so far while it goes
on, then its final ranking. A query error goes to the status line and the previous
results stay. Fixed lists (related papers, a jumped-to paper) replace the search until
esc, which brings back the search and its cursor. See ``docs/architecture.md`` for
the way of a keystroke from the search box to a painted row.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from textual import on, work
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from index import Library, Paper, QueryError, SearchCancelled, SearchResults, Sort
from tui.engine_thread import EngineThread, Skipped
from tui.widgets.result_list import ResultList
from tui.widgets.rows import PAGE_SIZE, RowSource

PAINT_PAUSE = 0.02
"""Seconds a long search pauses after handing over its best hits so far (~a frame)."""


class SearchingScreen(Screen):
    """A screen with a :class:`ResultList` fed from the library by the vars below."""

    search_text: var[str] = var("", init=False)
    """What is typed in the search box."""
    sort: var[Sort] = var("relevance", init=False)
    filter: var[str] = var("", init=False)
    """A filter set from the command palette, ANDed with the query (``tag:rl``, ``is:starred``)."""
    results: var[SearchResults | None] = var(None)
    """The first page of the current search (None until it lands)."""
    error: var[str] = var("")
    """Why the typed query cannot run (shown in the status line)."""
    context: var[str] = var("")
    """Set while a fixed list (related papers, a jumped-to paper) replaces the search."""

    @dataclass
    class SearchDone(Message):
        generation: int
        results: SearchResults
        keep_paper: str | None

    @dataclass
    class SearchPartial(Message):
        """The best hits so far of a search still running."""

        generation: int
        results: SearchResults

        def can_replace(self, message: Message) -> bool:
            # Only the newest best-so-far matters: drop a queued older one.
            return isinstance(message, SearchingScreen.SearchPartial)

    @dataclass
    class SearchFailed(Message):
        generation: int
        error: str

    @dataclass
    class PageLoaded(Message):
        generation: int
        results: SearchResults

    @dataclass
    class FixedList(Message):
        """Papers to show instead of the search, e.g. related papers."""

        papers: list[Paper]
        label: str

    def __init__(self, library: Library, engine: EngineThread) -> None:
        super().__init__()
        self.library = library
        self.engine = engine
        self._generation = 0
        """The search whose rows are shown."""
        self._latest = 0
        """The newest search asked for (results of older ones are dropped)."""
        self._search_args: tuple[str, Sort] = ("", "relevance")
        self.keep_on_next_search: str | None = None
        """A paper to put the cursor on when the next search lands (going back to a search)."""
        self._saved: tuple[RowSource, int] | None = None

    @property
    def result_list(self) -> ResultList:
        return self.query_one(ResultList)

    def watch_search_text(self) -> None:
        self.search()

    def watch_filter(self) -> None:
        self.refresh_bindings()
        self.search()

    def watch_sort(self) -> None:
        # A new order starts at its top: keeping the cursor's paper left the view mid-list
        # among undated papers after switching to the date sort.
        self.search()

    def watch_context(self) -> None:
        self.refresh_bindings()

    def search(self, keep_paper: str | None = None) -> None:
        """Start the search for the current query, filter and sort (replacing any running one)."""
        keep_paper = keep_paper or self.keep_on_next_search
        self.keep_on_next_search = None
        self._latest += 1
        text = " ".join(part for part in (self.filter, self.search_text.strip()) if part)
        self._search_args = (text, self.sort)
        self.run_search(text, self.sort, self._latest, keep_paper)

    @work(exclusive=True, group="search", exit_on_error=False)
    async def run_search(self, text: str, sort: Sort, generation: int, keep_paper: str | None) -> None:
        worker = get_current_worker()

        def wanted() -> bool:
            return not worker.is_cancelled

        def partial(results: SearchResults) -> None:
            if wanted():
                self.post_message(self.SearchPartial(generation, results))
                # Called on the engine thread, which holds the GIL while it scores: step
                # aside so the UI thread paints these rows now, not at half speed.
                time.sleep(PAINT_PAUSE)

        try:
            results = await self.search_on_engine(text, sort, 0, wanted, partial)
        except (Skipped, SearchCancelled):
            return
        except QueryError as error:
            if wanted():
                self.post_message(self.SearchFailed(generation, str(error)))
            return
        if wanted():
            self.post_message(self.SearchDone(generation, results, keep_paper))

    async def search_on_engine(
        self,
        text: str,
        sort: Sort,
        offset: int,
        wanted: Callable[[], bool],
        partial: Callable[[SearchResults], None] | None = None,
    ) -> SearchResults:
        """One page of a search, on the engine thread.

        Skipped if no longer ``wanted`` when its turn comes, stopped mid-match if it
        stops being wanted (raises :class:`Skipped` or :class:`SearchCancelled`).
        """
        return await self.engine.run(
            lambda: self.library.search(
                text,
                sort=sort,
                limit=PAGE_SIZE,
                offset=offset,
                typing=True,
                cancelled=lambda: not wanted(),
                partial=partial,
                correct=True,
            ),
            wanted=wanted,
        )

    @on(SearchDone)
    def show_results(self, message: SearchDone) -> None:
        if message.generation != self._latest:
            return  # a newer search is on its way
        self._generation = message.generation
        self._saved = None
        self.context = ""
        self.error = ""
        self.results = message.results
        self.show_rows(message.results, message.generation, message.keep_paper)

    @on(SearchPartial)
    def show_partial_results(self, message: SearchPartial) -> None:
        if message.generation != self._latest:
            return
        self.results = message.results
        self.error = ""
        self.show_rows(message.results, message.generation)

    def show_rows(self, results: SearchResults, generation: int, keep_paper: str | None = None) -> None:
        """Show a search's rows with the cursor on ``keep_paper`` (else the top).

        Once the user has moved in an earlier answer of the same search (its best hits
        so far), the paper they moved to stays under the cursor instead.
        """
        listing = self.result_list
        moved_to = listing.highlighted if listing.source.generation == generation and listing.cursor else None
        if moved_to is not None:
            keep_paper = moved_to.id
        source = RowSource.from_results(results, generation)
        row = source.row_of(keep_paper) if keep_paper else None
        listing.show(source, cursor=row or 0)
        listing.release_keys()

    def search_pending(self, typed: str | None = None) -> bool:
        """Whether the rows shown are not yet those of the latest search (or of ``typed``,
        text in the search box whose search has not even started)."""
        if typed is not None and typed != self.search_text:
            return True
        return self.result_list.source.generation != self._latest

    @on(SearchFailed)
    def show_query_error(self, message: SearchFailed) -> None:
        if message.generation == self._latest:
            self.error = message.error
            self.result_list.release_keys()  # the rows shown stay: keys act on them

    @on(ResultList.PageWanted)
    def fetch_page(self, message: ResultList.PageWanted) -> None:
        if message.generation == self._generation and not self.context:
            self.load_page(*self._search_args, message.generation, message.offset)

    @work(group="pages", exit_on_error=False)
    async def load_page(self, text: str, sort: Sort, generation: int, offset: int) -> None:
        try:
            results = await self.search_on_engine(text, sort, offset, lambda: generation == self._generation)
        except (Skipped, SearchCancelled, QueryError):
            return
        self.post_message(self.PageLoaded(generation, results))

    @on(PageLoaded)
    def add_page(self, message: PageLoaded) -> None:
        self.result_list.add_page(message.generation, message.results.offset, message.results.hits)

    @on(FixedList)
    def show_fixed_list(self, message: FixedList) -> None:
        """Show papers instead of the search until esc (the search and its cursor are kept)."""
        self.workers.cancel_group(self, "search")
        if self._saved is None:
            self._saved = (self.result_list.source, self.result_list.cursor)
        self._latest += 1
        self._generation = self._latest
        self.context = message.label
        self.result_list.show(RowSource.from_papers(message.papers, self._generation))
        self.set_focus(self.result_list)

    def restore_search(self) -> None:
        source, cursor = self._saved or (RowSource(), 0)
        self._saved = None
        self.context = ""
        self._generation = source.generation
        self.result_list.show(source, cursor=cursor)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker failures surface: a notification, never a crash."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.notify(
                f"{type(error).__name__}: {error}", title="Something went wrong", severity="error", markup=False
            )
