"""The first screen: opens the state file and the library, building the index if needed.

On first run indexing takes a few seconds, so a progress bar shows it rather than a
blank screen. Failures (another instance indexing, an unreadable folder) are shown
here with what to do, instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Label, ProgressBar

from index import IndexStore, Library, Locations, StateStore, begin_reader_session, terminal_safe
from tui.engine_thread import EngineThread
from tui.idle import settle_memory
from tui.widgets.safe_input import without_controls


class LoadingScreen(Screen):
    """Shows indexing progress, then hands over to the main screen."""

    BINDINGS = [Binding("ctrl+c", "app.quit", "Quit", show=False, id="quit-loading")]

    @dataclass
    class Progress(Message):
        done: int
        total: int

        def can_replace(self, message: Message) -> bool:
            # Only the latest count matters: drop queued older ones (toolong's trick).
            return isinstance(message, LoadingScreen.Progress)

    @dataclass
    class Opened(Message):
        library: Library
        state: StateStore

    @dataclass
    class Failed(Message):
        error: str

    @dataclass
    class Building(Message):
        """The index has to be built first, and why."""

        reason: str

    def __init__(self, locs: Locations, engine: EngineThread) -> None:
        super().__init__()
        self.locs = locs
        self.engine = engine
        self.failed = False
        self.building = "Indexing papers…"
        self.typed = ""
        """What the user typed before the library was open: it becomes their first query."""

    def compose(self) -> ComposeResult:
        with Middle(), Center(id="loading"):
            yield Label("Opening your library…", id="loading-label", markup=False)
            yield ProgressBar(show_eta=False, id="loading-bar")
            yield Label("", id="loading-typed", markup=False)

    def on_mount(self) -> None:
        self.open_library()

    @work(exclusive=True, exit_on_error=False)
    async def open_library(self) -> None:
        try:
            # On the engine thread: the library's searchers are made on the thread that uses them.
            library, state = await self.engine.run(self.open_on_engine)
        except Exception as error:  # shown on screen; the user decides what to do
            self.post_message(self.Failed(f"{type(error).__name__}: {error}"))
            return
        self.post_message(self.Opened(library, state))

    def open_on_engine(self) -> tuple[Library, StateStore]:
        reason = IndexStore(self.locs).stale_reason()
        if reason is not None:
            self.post_message(self.Building(reason))
        state = StateStore(self.locs.state_file)
        library = Library.open(self.locs, marks=state, progress=self.report_progress)
        # is:new in this session: papers that arrived after the previous one started.
        library.new_since = begin_reader_session(self.locs.data_dir)
        if not state.read_only:
            library.adopt_marks(state)  # marks made under a paper's former id move onto it
        return library, state

    def on_key(self, event: events.Key) -> None:
        if self.app.screen is not self:
            # Queued here before the reader opened over this screen: hand it back to the
            # app, which holds it for the reader until the reader is ready.
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))
            return
        # "Type to search" holds from the first keystroke, even while the index opens.
        if event.key == "backspace":
            self.typed = self.typed[:-1]
        elif event.character and event.is_printable:
            self.typed += event.character
        else:
            return
        event.stop()
        self.query_one("#loading-typed", Label).update(f"Search: {terminal_safe(self.typed)}▏" if self.typed else "")

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        if self.app.screen is not self:
            self.app.post_message(events.Paste(event.text))
            return
        self.typed += without_controls(" ".join(event.text.split()))

    def report_progress(self, done: int, total: int) -> None:
        self.post_message(self.Progress(done, total))

    @on(Building)
    def say_why(self, message: Building) -> None:
        self.building = (
            "Indexing papers (first run only)…"
            if message.reason == "no index yet"
            else f"Rebuilding the search index ({terminal_safe(message.reason)})…"
        )

    @on(Progress)
    def show_progress(self, message: Progress) -> None:
        label = self.building if message.done < message.total else "Saving the index…"
        self.query_one("#loading-label", Label).update(label)
        self.query_one(ProgressBar).update(total=message.total or None, progress=message.done)

    @on(Opened)
    def show_library(self, message: Opened) -> None:
        from tui.screens.main import MainScreen

        if not self.app.is_running:
            return  # quit while the library opened: a reader pushed now would mount half torn down
        # Everything loaded so far (Textual, Whoosh, the open index) lives as long as the
        # app: keep it out of the garbage collector's full passes, which otherwise scan it
        # all and stalled one frame in twenty by ~100 ms (measured by tests/bench/reader.py).
        settle_memory()
        # Pushed over this screen (the app's default), which stays below, out of sight.
        self.app.push_screen(MainScreen(message.library, self.engine, message.state, initial_query=self.typed))
        # This screen stays below the reader, and whatever changes on it (its progress
        # bar) made Textual redraw the whole screen on top: five full redraws a keystroke
        # (measured headless with tests/bench/reader.py). Nothing here is seen again.
        self.query_one("#loading").remove()

    @on(Failed)
    def show_failure(self, message: Failed) -> None:
        self.failed = True
        self.query_one(ProgressBar).display = False
        self.query_one("#loading-label", Label).update(
            f"Could not open the library.\n{terminal_safe(message.error)}\n\n"
            "Try `papers reindex`, or `papers stats` for the paths. Press q to quit."
        )
