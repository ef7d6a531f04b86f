"""The reader's main screen: search box, result list, abstract viewer, status line, footer.

It owns the reader's state as reactive vars (query, sort, filter, results, selected
paper) and feeds the widgets with ``data_bind``; widgets report what the user did with
messages. Searches run on the engine thread via exclusive workers, so each keystroke
cancels the last one. Actions on the paper under the cursor are in ``paper_actions``.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer, Input
from textual.worker import Worker, WorkerState, get_current_worker

from index.library import SORTS, Library, QueryError, SearchResults
from index.marks import EMPTY, Marks
from index.paper import Paper
from index.state import StateStore
from tui.screens.engine import EngineThread, Skipped
from tui.screens.help import HelpScreen
from tui.screens.palette import PaperCommands
from tui.screens.paper_actions import PaperActions
from tui.widgets.result_list import ResultList
from tui.widgets.rows import PAGE_SIZE, RowSource
from tui.widgets.status import StatusLine
from tui.widgets.viewer import PaperViewer

POLL_SECONDS = 2.0
"""How often to look for another instance's marks or a rebuilt index."""


class MainScreen(PaperActions, Screen):
    """Search, list, read; every mark is saved the moment it is made."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    COMMANDS = {PaperCommands}
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="focus-search", tooltip="Type a query"),
        Binding("escape", "back", "Back", show=False, priority=True, id="back", tooltip="Back to the list"),
        Binding("down", "focus_list", "To the list", show=False, id="focus-list"),
        Binding("s", "star_paper", "Star", id="star-paper", tooltip="Star or unstar the paper"),
        Binding("t", "tag_paper", "Tag", id="tag-paper", tooltip="Add tags (foo) or remove them (-foo)"),
        Binding("n", "edit_note", "Note", show=False, id="edit-note", tooltip="Write a note (ctrl+s saves)"),
        Binding("u", "toggle_read", "Read/unread", show=False, id="toggle-read"),
        Binding("y", "copy_link", "Copy link", show=False, id="copy-link", tooltip="Copy the paper's main link"),
        Binding("Y", "copy_citation", "Copy citation", show=False, id="copy-citation", tooltip="[Title](url)"),
        Binding("l", "pick_link", "Links", show=False, id="pick-link", tooltip="Pick a link to copy (1-9)"),
        Binding("o", "open_in_browser", "Open in browser", show=False, id="open-in-browser"),
        Binding("r", "related_papers", "Related", show=False, id="related-papers", tooltip="Papers like this one"),
        Binding("S", "cycle_sort", "Sort", show=False, id="cycle-sort", tooltip="Relevance, date, upvotes"),
        Binding("question_mark", "help", "Help", id="help", tooltip="Every key"),
    ]

    query: var[str] = var("", init=False)
    """What is typed in the search box."""
    sort: var[str] = var("relevance", init=False)
    filter: var[str] = var("", init=False)
    """A filter set from the command palette, ANDed with the query (``tag:rl``, ``is:starred``)."""
    results: var[SearchResults | None] = var(None)
    """The first page of the current search (None until it lands)."""
    highlights: var[SearchResults | None] = var(None)
    """The search the listed rows came from, for highlighting (None for related papers)."""
    error: var[str] = var("")
    context: var[str] = var("")
    """Set while a fixed list (related papers, a jumped-to paper) replaces the search."""
    selected: var[Paper | None] = var(None)
    selected_marks: var[Marks] = var(EMPTY)
    viewing: var[bool] = var(False)
    """The reader is reading the abstract (narrow: viewer replaces the list; wide: viewer focused)."""

    @dataclass
    class SearchDone(Message):
        generation: int
        results: SearchResults
        keep_paper: str | None

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

    class IndexChanged(Message):
        """The index on disk was rebuilt or updated by another process."""

    def __init__(self, library: Library, state: StateStore) -> None:
        super().__init__()
        self.library = library
        self.state = state
        self.engine = EngineThread()
        self._generation = 0
        self._latest = 0
        self._search_args: tuple[str, str] = ("", "relevance")
        self._saved: tuple[RowSource, int] | None = None
        self._messages_shown = 0

    def compose(self) -> ComposeResult:
        search = Input(placeholder="Search: words, \"phrases\", tag:rl is:unread date:2024 upvotes:>=10", id="search")
        search.cursor_blink = False  # a blinking cursor repaints twice a second: wasted bytes over SSH
        yield search
        with Horizontal(id="panes"):
            yield ResultList(marks=self.state.get, id="results")
            yield PaperViewer(id="viewer").data_bind(
                paper=MainScreen.selected, marks=MainScreen.selected_marks, results=MainScreen.highlights
            )
        yield StatusLine(id="status").data_bind(
            MainScreen.results, MainScreen.sort, MainScreen.filter, MainScreen.error, MainScreen.context
        )
        yield Footer()

    @property
    def result_list(self) -> ResultList:
        return self.query_one(ResultList)

    def on_mount(self) -> None:
        self.result_list.focus()
        self.search()
        self.show_state_messages()
        if self.state.read_only:
            self.notify("Your marks file is read-only here: changes will not be saved", severity="warning")
        self.set_interval(POLL_SECONDS, self.poll_changes)

    def on_unmount(self) -> None:
        self.engine.shutdown()

    # -- searching ---------------------------------------------------------------
    def watch_query(self) -> None:
        self.search()

    def watch_filter(self) -> None:
        self.search()

    def watch_sort(self) -> None:
        self.search(keep_paper=self.selected.id if self.selected else None)

    def watch_viewing(self, viewing: bool) -> None:
        self.set_class(viewing, "-viewing")

    def search(self, keep_paper: str | None = None) -> None:
        """Start the search for the current query, filter and sort (replacing any running one)."""
        self._latest += 1
        text = " ".join(part for part in (self.filter, self.query.strip()) if part)
        self._search_args = (text, self.sort)
        self.run_search(text, self.sort, self._latest, keep_paper)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, text: str, sort: str, generation: int, keep_paper: str | None) -> None:
        worker = get_current_worker()
        try:
            results = self.engine.call(
                lambda: self.library.search(text, sort=sort, limit=PAGE_SIZE, typing=True),  # type: ignore[arg-type]
                wanted=lambda: not worker.is_cancelled,
            )
        except Skipped:
            return
        except QueryError as error:
            if not worker.is_cancelled:
                self.post_message(self.SearchFailed(generation, str(error)))
            return
        if not worker.is_cancelled:
            self.post_message(self.SearchDone(generation, results, keep_paper))

    @on(SearchDone)
    def show_results(self, message: SearchDone) -> None:
        if message.generation != self._latest:
            return  # a newer search is on its way
        self._generation = message.generation
        self._saved = None
        self.context = ""
        self.error = ""
        self.results = message.results
        source = RowSource.from_results(message.results, message.generation)
        row = source.row_of(message.keep_paper) if message.keep_paper else None
        self.result_list.show(source, cursor=row or 0)

    @on(SearchFailed)
    def show_query_error(self, message: SearchFailed) -> None:
        if message.generation == self._latest:
            self.error = message.error

    @on(ResultList.PageWanted)
    def fetch_page(self, message: ResultList.PageWanted) -> None:
        if message.generation == self._generation and not self.context:
            self.load_page(*self._search_args, message.generation, message.offset)

    @work(thread=True, group="pages", exit_on_error=False)
    def load_page(self, text: str, sort: str, generation: int, offset: int) -> None:
        try:
            results = self.engine.call(
                lambda: self.library.search(text, sort=sort, limit=PAGE_SIZE, offset=offset, typing=True),  # type: ignore[arg-type]
                wanted=lambda: generation == self._generation,
            )
        except (Skipped, QueryError):
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
        self.result_list.focus()
        self.viewing = False

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
            self.notify(f"{type(error).__name__}: {error}", title="Something went wrong", severity="error")

    # -- widgets to state ----------------------------------------------------------
    @on(Input.Changed, "#search")
    def update_query(self, event: Input.Changed) -> None:
        self.query = event.value

    @on(Input.Submitted, "#search")
    def submit_query(self) -> None:
        self.result_list.focus()

    @on(ResultList.PaperHighlighted)
    def highlight_paper(self, message: ResultList.PaperHighlighted) -> None:
        self.highlights = self.result_list.source.results
        self.selected = message.paper
        self.selected_marks = self.state.get(message.paper.id) if message.paper else EMPTY

    @on(ResultList.PaperSelected)
    def open_paper(self, message: ResultList.PaperSelected) -> None:
        """Read a paper: show its abstract and mark it read."""
        if not self.state.get(message.paper.id).read:
            self.save_marks(message.paper, lambda: self.state.set_read(message.paper.id, True))
        self.viewing = True
        self.query_one(PaperViewer).focus()

    # -- keys ------------------------------------------------------------------------
    def action_focus_search(self) -> None:
        self.viewing = False
        self.query_one("#search", Input).focus()

    def action_focus_list(self) -> None:
        self.viewing = False
        self.result_list.focus()

    def action_back(self) -> None:
        """esc: leave the search box, the abstract, the related list, then the filter."""
        if isinstance(self.focused, Input) or self.viewing:
            self.action_focus_list()
        elif self.context:
            self.restore_search()
        elif self.filter:
            self.filter = ""
        else:
            self.result_list.focus()

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]  # type: ignore[index]
        self.notify(f"Sorted by {self.sort}", timeout=2)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    # -- other instances -------------------------------------------------------------
    def poll_changes(self) -> None:
        """Show marks another instance saved, and pick up a rebuilt index."""
        if self.state.reload_if_changed():
            self.marks_changed()
        self.show_state_messages()
        self.check_index()

    @work(thread=True, exclusive=True, group="reload", exit_on_error=False)
    def check_index(self) -> None:
        try:
            changed = self.engine.call(self.library.reload)
        except Skipped:
            return
        if changed:
            self.post_message(self.IndexChanged())

    @on(IndexChanged)
    def reload_results(self) -> None:
        if not self.context:
            self.search(keep_paper=self.selected.id if self.selected else None)

    def marks_changed(self) -> None:
        self.result_list.refresh_marks()
        if self.selected is not None:
            self.selected_marks = self.state.get(self.selected.id)

    def show_state_messages(self) -> None:
        for message in self.state.messages[self._messages_shown :]:
            self.notify(message, title="Marks file", severity="warning", timeout=10)
        self._messages_shown = len(self.state.messages)
