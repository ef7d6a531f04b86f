"""Progress for long indexing work: a rich bar on a terminal, silence otherwise.

Non-terminal runs (scripts, CI) get one summary line from the caller instead, so logs
stay readable.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import contextmanager
from typing import Iterator

from index import Progress, terminal_safe


@contextmanager
def indexing_progress(label: str) -> Iterator[Progress | None]:
    """Yield a ``progress(done, total)`` callback that draws a bar on stderr, if a TTY."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        ProgressColumn,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as RichProgress
    from rich.text import Text

    class PapersPerSecond(ProgressColumn):
        def render(self, task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} papers/s read" if speed else "", style="progress.data.speed")

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        PapersPerSecond(),
        TimeRemainingColumn(),
    )
    with RichProgress(*columns, console=Console(stderr=True), transient=True) as bar:
        label_text = label
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            # The bar, its rate and its ETA follow the papers read and analysed. After the
            # last one Whoosh still sorts and writes its segments (a third of a 20k import):
            # say so rather than sit silently at 100%.
            label = "Saving index…" if total and done >= total else label_text
            bar.update(task, completed=done, total=total or None, description=label)

        yield update


FetchProgress = Callable[[str, int, int], None]


@contextmanager
def fetch_progress() -> Iterator[FetchProgress | None]:
    """Yield a ``progress(what, done, total)`` callback: one bar whose label says what is
    being fetched or imported, on stderr if a TTY."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as RichProgress

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with RichProgress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("Fetching", total=None)

        def update(what: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None, description=terminal_safe(what))

        yield update
