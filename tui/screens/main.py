"""The reader's main screen: search box, result list, abstract viewer, status line, footer.

It owns the reader's state as reactive vars (the search vars come from
``SearchingScreen``, the selected paper and its marks from ``PaperScreen``; the layout
is here) and feeds the widgets with ``data_bind``; widgets and the palette report what
the user did with messages. See ``docs/architecture.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import var
from textual.widgets import Footer, Input

from index import EMPTY, SORTS, Library, Paper, QueryError, SearchResults, StateStore, plural, terminal_safe
from tui.engine_thread import EngineThread, Skipped
from tui.feeding import fetch_today, view_counts
from tui.idle import IDLE_SECONDS, IdleWork
from tui.messages import JumpToPaper, ReaderReady, RunPaperAction, SetFilter, SetQuery, SetSort
from tui.palette import PaletteData, PaperCommands
from tui.screens.help import HelpScreen
from tui.screens.paper_screen import PaperScreen
from tui.screens.searching import SearchingScreen
from tui.screens.views_picker import ViewRow, ViewsPicker
from tui.widgets.result_list import ResultList
from tui.widgets.safe_input import SearchBox
from tui.widgets.status import StatusLine
from tui.widgets.viewer import PaperViewer

HOLD_KEYS_AT_MOST = 2.0
"""Seconds the list keeps keys for rows still being searched, at most (a slow search)."""
FULL_FOOTER_WIDTH = 80
"""Columns from which the footer has room for its spacing and the palette hint."""
POLL_SECONDS = 2.0
"""How often to look for another instance's marks or a rebuilt index."""
JUMP_LIMIT = 8
"""Papers the palette offers per query: enough to pick from without drowning the commands."""


class MainScreen(PaperScreen):
    """Search, list, read; every mark is saved the moment it is made."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    COMMANDS = {PaperCommands}
    BINDINGS = [
        # priority: checked as the key arrives, so the keys typed right after it (one burst
        # over SSH) already go to the search box; check_action lets "/" type inside the box.
        Binding("slash", "focus_search", "Search", priority=True, id="focus-search", tooltip="Type a query"),
        Binding("escape", "back", "Back", priority=True, id="back", tooltip="Back to the list"),
        # Handled by the search box itself as the key is read (see SearchBox); listed here
        # for the footer, the help screen and the keymap.
        Binding("enter,down,tab", "focus_list", "Results", id="focus-list", tooltip="From the search box to the list"),
        *PaperScreen.PAPER_KEYS,
        Binding("S", "cycle_sort", "Sort", show=False, id="cycle-sort", tooltip="Relevance, date, upvotes"),
        Binding("v", "open_views", "Views", show=False, id="open-views", tooltip="Saved views with their counts"),
        Binding("F", "fetch_papers", "Fetch", show=False, id="fetch-papers", tooltip="Today's new papers"),
        Binding("question_mark", "help", "Help", id="help", tooltip="Every key"),
    ]

    highlights: var[SearchResults | None] = var(None)
    """The search the listed rows came from, for highlighting (None for related papers)."""
    viewing: var[bool] = var(False)
    """The reader is reading the abstract (narrow: viewer replaces the list; wide: viewer focused)."""
    fetching: var[str] = var("")
    """What ``F`` is doing now (shown in the status line), or "" when it is not running."""

    class IndexChanged(Message):
        """The index on disk was rebuilt or updated by another process."""

    def __init__(self, library: Library, engine: EngineThread, state: StateStore, initial_query: str = "") -> None:
        super().__init__(library, engine, state)
        self.initial_query = initial_query
        self.accepts_input = False
        """Until the search box has focus the app holds what is typed (see PapersApp.on_event)."""
        self.query_before_related: tuple[str, str] | None = None
        """The search to go back to (esc) from ``related:ID``, and the paper it was on."""
        self._messages_shown = 0
        self.idle = IdleWork(library)
        """Reading ahead and garbage collection, kept for the user's pauses."""

    def compose(self) -> ComposeResult:
        search = SearchBox(
            self.leave_search_box,
            placeholder='Search: words, "phrases", tag:rl is:unread date:2024 upvotes:>=10',
            id="search",
        )
        search.cursor_blink = False  # a blinking cursor repaints twice a second: wasted bytes over SSH
        yield search
        with Horizontal(id="panes"):
            yield ResultList(marks=self.state.get, id="results")
            yield PaperViewer(id="viewer").data_bind(
                paper=MainScreen.selected, marks=MainScreen.selected_marks, results=MainScreen.highlights
            )
        yield StatusLine(id="status").data_bind(
            MainScreen.results,
            MainScreen.sort,
            MainScreen.filter,
            MainScreen.error,
            MainScreen.context,
            activity=MainScreen.fetching,
        )
        yield Footer()

    def on_mount(self) -> None:
        # The reader opens in the search box (like fzf): typing at once searches and can
        # never star, tag or copy anything; enter, ↓ or tab go to the list, / comes back.
        search = self.query_one("#search", Input)
        self.set_focus(search)
        if self.initial_query:
            search.value = self.initial_query  # typed while the library was opening
            search.cursor_position = len(self.initial_query)
        self.search()
        self.show_state_messages()
        self.tell_new_papers()
        if self.state.read_only:
            self.notify(
                "Your marks file is read-only here: changes will not be saved", severity="warning", markup=False
            )
        self.set_interval(POLL_SECONDS, self.poll_changes)
        self.set_interval(IDLE_SECONDS / 2, self.idle.tick)
        self.app.post_message(ReaderReady(self))

    def on_unmount(self) -> None:
        self.idle.close()

    def search(self, keep_paper: str | None = None) -> None:
        self.idle.activity()
        super().search(keep_paper)

    @on(SearchingScreen.SearchDone)
    def read_ahead(self) -> None:
        # After the first results are painted (and again after an index change: a new
        # generation starts with a cold cache). A running warm-up makes this a no-op.
        self.call_after_refresh(self.idle.warm)

    def on_resize(self, event: events.Resize) -> None:
        # Below 80 columns the footer drops its spacing and the palette hint (ctrl+p still
        # works, and ? lists it) so that every shown key fits: at 60 it read "q Qu".
        footer = self.query_one(Footer)
        footer.compact = event.size.width < FULL_FOOTER_WIDTH
        footer.show_command_palette = event.size.width >= FULL_FOOTER_WIDTH

    def watch_viewing(self, viewing: bool) -> None:
        self.set_class(viewing, "-viewing")
        self.refresh_bindings()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, (ResultList, Input)):
            self.viewing = False  # back at the list or the search box: the abstract is put away
        self.refresh_bindings()  # esc's footer entry depends on what has focus

    # -- widgets to state ----------------------------------------------------------
    @on(Input.Changed, "#search")
    def update_query(self, event: Input.Changed) -> None:
        if not event.value.startswith("related:"):
            self.query_before_related = None  # a new search: esc no longer goes back
        self.search_text = event.value

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
        self.set_focus(self.query_one(PaperViewer))

    @on(events.Paste)
    def paste_into_search(self, event: events.Paste) -> None:
        """Text pasted on the list becomes the query (a leading "/" is the search key itself)."""
        if isinstance(self.focused, Input):
            return
        event.stop()
        text = " ".join(event.text.split())
        search = self.query_one("#search", Input)
        self.set_focus(search)
        # Queued after the box's Focus (which selects all), so the paste replaces the old query.
        search.post_message(events.Paste(text[1:] if text.startswith("/") else text))

    # -- keys ------------------------------------------------------------------------
    def action_focus_search(self) -> None:
        # set_focus now, not widget.focus() (which waits its turn in the queue): see the binding.
        self.set_focus(self.query_one("#search", Input))

    def action_focus_list(self) -> None:
        self.viewing = False
        self.set_focus(self.result_list)

    def leave_search_box(self, key: str, typed: str) -> None:
        """enter / ↓ / tab in the search box, called as the key is read (see SearchBox).

        tab takes the did-you-mean suggestion when the status line shows one.
        """
        suggestion = self.results.suggestion if self.results is not None else None
        if key == "tab" and suggestion and not self.search_pending(typed):
            self.take_suggestion(suggestion)
            return
        self.action_focus_list()
        if self.search_pending(typed):
            # Keys typed after enter are meant for the rows of what was typed before it.
            self.result_list.hold_keys()
            self.set_timer(HOLD_KEYS_AT_MOST, self.result_list.release_keys)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        in_search_box = isinstance(self.focused, Input)
        if action == "focus_search" and in_search_box:
            return False  # Textual cannot tell that "/" is a printable key for the box: let it type
        if action == "focus_list":
            return in_search_box  # shown in the footer there; elsewhere enter opens a paper
        if action in self.PAPER_ACTIONS:
            # Only while the list or the abstract has focus: a key that reaches the screen
            # from anywhere else (the box, or before focus lands) must never change a mark.
            return isinstance(self.focused, (ResultList, PaperViewer))
        if action == "back":
            # Only when there is somewhere to go back to; otherwise esc is free (and hidden in the footer).
            return (
                isinstance(self.focused, Input)
                or self.viewing
                or bool(self.context or self.filter)
                or (self.query_before_related is not None)
            )
        return True

    def action_back(self) -> None:
        """esc: leave the search box, the abstract, related papers, a jumped-to paper, then
        the filter."""
        if isinstance(self.focused, Input) or self.viewing:
            self.action_focus_list()
        elif self.query_before_related is not None:
            query, self.keep_on_next_search = self.query_before_related
            self.set_query(query)
        elif self.context:
            self.restore_search()
        elif self.filter:
            self.filter = ""

    def show_related(self, paper: Paper) -> None:
        """``r``: the search becomes ``related:ID`` (shown in the box); esc goes back."""
        if self.query_before_related is None:
            self.query_before_related = (self.search_text, paper.id)
        self.set_query(f"related:{paper.id}")

    def take_suggestion(self, suggestion: str) -> None:
        self.set_query(suggestion + " ")

    def set_query(self, text: str) -> None:
        """Put ``text`` in the search box (which searches for it), cursor at its end."""
        search = self.query_one("#search", Input)
        search.value = text
        search.cursor_position = len(text)

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.notify(f"Sorted by {self.sort}", timeout=2, markup=False)

    def action_help(self) -> None:
        sections = [
            ("Moving", ResultList.BINDINGS),
            ("Reading", self.BINDINGS),
            ("Everywhere", [*self.app.BINDINGS, Binding("ctrl+p", "command_palette", "Command palette", id="palette")]),
        ]
        keymap = getattr(self.app, "user_keymap", {})
        self.app.push_screen(HelpScreen(sections, keymap, str(self.library.locs.config_file)))

    # -- the command palette ---------------------------------------------------------
    def palette_data(self) -> PaletteData:
        """What the palette offers now (see ``tui.palette.PaletteSource``)."""
        return PaletteData(
            filter=self.filter,
            tag_counts=self.state.tag_counts(),
            views=self.state.views(),
            paper_keys=list(PaperScreen.PAPER_KEYS),
            find_papers=self.find_papers,
        )

    async def find_papers(self, text: str) -> list[Paper]:
        """Papers whose title matches palette text, from the engine thread."""
        try:
            results = await self.engine.run(
                lambda: self.library.search(f"title:({text})", limit=JUMP_LIMIT, typing=True)
            )
        except (QueryError, Skipped, RuntimeError):
            return []  # half-typed palette text is not worth an error
        return [hit.paper for hit in results.hits]

    @on(SetFilter)
    def set_filter(self, message: SetFilter) -> None:
        self.filter = message.query

    @on(SetSort)
    def set_sort(self, message: SetSort) -> None:
        self.sort = message.sort

    @on(SetQuery)
    def run_query(self, message: SetQuery) -> None:
        self.set_query(message.text)

    @on(JumpToPaper)
    def jump_to(self, message: JumpToPaper) -> None:
        """Show one paper from the palette, in place of the search until esc."""
        self.post_message(self.FixedList([message.paper], f"jumped to “{terminal_safe(message.paper.title[:50])}”"))

    @on(RunPaperAction)
    def run_paper_action(self, message: RunPaperAction) -> None:
        # Not through check_action: from the palette a paper action is deliberate.
        if message.action in self.PAPER_ACTIONS:
            getattr(self, f"action_{message.action}")()

    # -- new papers, views, fetching -----------------------------------------------------
    @work(group="counts", exit_on_error=False)
    async def tell_new_papers(self) -> None:
        """At start: how many papers arrived since the previous session (is:new)."""
        found = await self.engine.run(lambda: self.library.search("is:new", limit=1))
        if found.total:
            self.notify(
                f"{plural(found.total, 'new paper')} since your last session: type is:new, or ctrl+p → Show new papers",
                timeout=8,
                markup=False,
            )

    @work(group="counts", exit_on_error=False)
    async def action_open_views(self) -> None:
        views = self.state.views()

        def count() -> list[ViewRow]:
            return [ViewRow(name, query, **view_counts(self.library, query)) for name, query in views.items()]

        rows = await self.engine.run(count)
        query = await self.app.push_screen_wait(ViewsPicker(rows))
        if query:
            self.set_query(query)

    def action_fetch_papers(self) -> None:
        if self.fetching:
            self.notify("Already fetching", timeout=2, markup=False)
            return
        self.fetching = "Fetching today's papers…"
        self.fetch_papers()

    @work(thread=True, group="fetch", exit_on_error=False)
    def fetch_papers(self) -> None:
        """Today's Hugging Face papers and configured arXiv categories, then arXiv ids for
        papers without one; off the UI thread (network), progress in the status line."""

        def progress(what: str, done: int, total: int) -> None:
            self.post_message(self.Fetching(what, done, total))

        try:
            summary, failures = fetch_today(self.library.locs, self.state, progress)
        except Exception as error:  # a feed problem is a notification, never a crash
            summary, failures = "", [f"{type(error).__name__}: {error}"]
        self.post_message(self.Fetched(summary, failures))

    @dataclass
    class Fetching(Message):
        what: str
        done: int
        total: int

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, MainScreen.Fetching)

    @dataclass
    class Fetched(Message):
        summary: str
        failures: list[str]

    @on(Fetching)
    def show_fetching(self, message: Fetching) -> None:
        self.fetching = f"{message.what} ({message.done}/{message.total})…" if message.total else f"{message.what}…"

    @on(Fetched)
    def show_fetched(self, message: Fetched) -> None:
        self.fetching = ""
        for failure in message.failures[:3]:
            self.notify(failure, title="Fetch failed", severity="error", timeout=10, markup=False)
        if len(message.failures) > 3:
            self.notify(f"…and {len(message.failures) - 3} more failures", severity="error", markup=False)
        if message.summary:
            self.notify(message.summary, title="Fetched", timeout=6, markup=False)
        self.check_index()  # the new papers appear now, not at the next poll

    # -- other instances -------------------------------------------------------------
    def poll_changes(self) -> None:
        """Show marks another instance saved, and pick up a rebuilt index."""
        if self.state.reload_if_changed():
            self.marks_changed()
        self.show_state_messages()
        self.check_index()

    @work(exclusive=True, group="reload", exit_on_error=False)
    async def check_index(self) -> None:
        try:
            changed = await self.engine.run(self.library.reload)
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
        """Say what the state file or the engine had to do on their own (a repair, a rebuild)."""
        for message in self.state.messages[self._messages_shown :]:
            self.notify(message, title="Marks file", severity="warning", timeout=10, markup=False)
        self._messages_shown = len(self.state.messages)
        while self.library.notices:
            self.notify(self.library.notices.pop(0), title="Search index", severity="warning", timeout=10, markup=False)
