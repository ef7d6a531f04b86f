"""The reader app, kept thin: locations, keymap, theme, the first screen, clipboard and browser."""

from __future__ import annotations

from textual import events, on, work
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel

from index import Locations, locations, safe_url, terminal_safe
from tui import clipboard
from tui.engine_thread import EngineThread
from tui.keymap import binding_ids, load_keymap
from tui.messages import CopyRequested, OpenRequested, ReaderReady
from tui.screens.loading import LoadingScreen

COPY_TOAST_SECONDS = 2.5
"""How long "Copied …" stays up: long enough to read, gone before the next glance."""


class PapersApp(App[int]):
    """A keyboard-driven reader for research-paper abstracts."""

    CSS_PATH = "app.tcss"
    TITLE = "papers"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        # priority so it works from every pane; Textual drops it while a text box has focus.
        Binding("q", "quit", "Quit", priority=True, id="quit", tooltip="Quit papers (marks are already saved)"),
    ]

    def __init__(self, locs: Locations | None = None) -> None:
        super().__init__()
        self.locs = locs or locations()
        self.user_keymap, self.keymap_problems = load_keymap(self.locs.config_file, binding_ids(PapersApp))
        """Binding id -> keys from ``[keymap]`` in config.toml (shown in the help screen)."""
        self.engine = EngineThread()
        """The one thread every engine call runs on (see tui.engine_thread)."""
        self.held_input: list[events.Key | events.Paste] = []
        """Typed while the reader was being built, for it once it is ready (see ``on_event``)."""

    def on_unmount(self) -> None:
        self.engine.shutdown()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "quit" and isinstance(self.screen, LoadingScreen) and not self.screen.failed:
            return False  # "q" while the library opens is the start of a query ("quantum")
        return True

    async def on_event(self, event: events.Event) -> None:
        # Between the library opening (the reader is pushed) and the reader's search box
        # taking focus, a key has nowhere to go: Textual would hand it to the bare screen
        # (lost, or a paper key on no paper) and "q" would quit. Keys typed in that window,
        # common when a burst is typed at launch over SSH, are held and replayed in order.
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded and self.building_reader():
            if not (isinstance(event, events.Key) and event.key == "ctrl+c"):
                self.held_input.append(event)
                return
        await super().on_event(event)

    def building_reader(self) -> bool:
        """The screen on top is the reader, pushed but not ready for input yet."""
        return not getattr(self.screen, "accepts_input", True)

    @on(ReaderReady)
    async def hand_on_held_input(self, message: ReaderReady) -> None:
        # Posted to the app's own queue, so every key read before this one is already
        # held: replaying now keeps the order typed.
        message.screen.accepts_input = True
        held, self.held_input = self.held_input, []
        for event in held:
            await super().on_event(event)

    def get_default_screen(self) -> LoadingScreen:
        # The first screen from the very start: keys typed before anything is drawn (a
        # burst right after launch) already reach it and become the first query.
        return LoadingScreen(self.locs, self.engine)

    def on_mount(self) -> None:
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
        for problem in self.keymap_problems:
            self.notify(problem, title="config.toml", severity="warning", timeout=10, markup=False)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification passes here: titles and messages quote papers, paths and
        queries, so they are made terminal-safe (and never read as markup when they do)."""
        super().notify(
            terminal_safe(message, multiline=True),
            title=terminal_safe(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    @on(CopyRequested)
    def copy_requested(self, message: CopyRequested) -> None:
        self.copy_in_background(message.text, message.what or "text")

    @on(OpenRequested)
    def open_requested(self, message: OpenRequested) -> None:
        url = safe_url(message.url)
        if url is None:
            self.notify(f"Not a web link, not opened: {message.url}", severity="warning", timeout=4, markup=False)
            return
        self.open_in_background(url)

    # Helpers (tmux, xclip, a browser) may take a moment or hang: never on the UI thread.
    @work(thread=True, group="clipboard", exit_on_error=False)
    def copy_in_background(self, text: str, what: str) -> list[str]:
        """Copy through every method that can reach the user's clipboard, then say what happened."""
        done = clipboard.copy_text(_OnUiThread(self), text)
        self.call_from_thread(self.say, clipboard.describe(text, done, what))
        return done

    @work(thread=True, group="clipboard", exit_on_error=False)
    def open_in_background(self, url: str) -> None:
        """Open in a browser only when the browser would be on the user's own screen."""
        if clipboard.is_local_graphical() and clipboard.open_in_browser(url):
            self.call_from_thread(self.say, f"Opened {url}")
            return
        done = clipboard.copy_text(_OnUiThread(self), url)
        reason = "Over SSH" if clipboard.is_remote() else "No browser here"
        self.call_from_thread(self.say, f"{reason}: {clipboard.describe(url, done, 'link instead')}")

    def say(self, message: str, title: str = "") -> None:
        """A short notification of user data (titles, URLs): never parsed as markup.

        Short-lived and titled only when it helps: three copies in a row must not cover
        half the list for seconds.
        """
        self.notify(message, title=title, timeout=COPY_TOAST_SECONDS, markup=False)


class _OnUiThread:
    """Lets a worker thread send OSC 52: the terminal driver may only be used from the UI thread."""

    def __init__(self, app: App) -> None:
        self.app = app

    def copy_to_clipboard(self, text: str) -> None:
        self.app.call_from_thread(self.app.copy_to_clipboard, text)
