"""The status line: hit count, sort order, filter, search time, did-you-mean, or an error."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from index import SearchResults, plural, terminal_safe


class StatusLine(Widget):
    """One line under the panes; the screen binds its fields to its own state.

    A plain widget with ``render()`` rather than a ``Static``: its size never changes, and
    ``Static.update`` asks for a layout of the whole screen, which made every keystroke
    repaint every widget. Its fields are reactives that repaint (never relayout) it.
    """

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
        &.-error { color: $text-error; text-style: bold; }
    }
    """

    results: reactive[SearchResults | None] = reactive(None, layout=False)
    """The current search (None until the first one lands)."""
    sort: reactive[str] = reactive("relevance", layout=False)
    filter: reactive[str] = reactive("", layout=False)
    """The filter from the command palette (``tag:rl``, ``is:starred``…)."""
    error: reactive[str] = reactive("", layout=False)
    """Why the typed query cannot run; shown instead of the counts."""
    context: reactive[str] = reactive("", layout=False)
    """A fixed list being shown instead of the search ("related to …")."""
    activity: reactive[str] = reactive("", layout=False)
    """Work going on in the background ("Fetching Hugging Face 2025-11-25 (1/2)…")."""

    def watch_error(self, error: str) -> None:
        self.set_class(bool(error), "-error")

    def render(self) -> Text:
        return self.describe()

    def describe(self) -> Text:
        text = self._describe()
        if self.activity:
            text = Text(f"{terminal_safe(self.activity)} · ") + text
        return text

    def _describe(self) -> Text:
        if self.error:
            return Text(f"⚠ {terminal_safe(self.error)}")
        if self.context:
            return Text(f"{terminal_safe(self.context)} · esc returns")
        results = self.results
        if results is None:
            return Text("searching…")
        parts = [plural(results.total, "paper")]
        if not results.complete:
            parts = [f"{results.total:,}+ papers so far, still searching…"]
        if results.corrected:
            parts = [f"nothing matches; showing “{terminal_safe(results.suggestion)}” (tab takes it)", *parts]
        if results.label:
            parts = [f"{plural(results.total, 'paper')} {terminal_safe(results.label)} · esc goes back"]
        parts.append("newest first" if results.newest_first else f"by {self.sort}")
        if self.filter:
            parts.append(f"filter {terminal_safe(self.filter)}")
        parts.append(f"{results.elapsed_ms:.0f} ms")
        text = Text(" · ".join(parts))
        if results.suggestion and not results.corrected:
            text.append(f" · did you mean: {terminal_safe(results.suggestion)}? (tab)", "bold")
        return text
