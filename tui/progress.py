"""Progress for long indexing work: a rich bar on a terminal, silence otherwise.

Non-terminal runs (scripts, CI) get one summary line from the caller instead, so logs
stay readable.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

Progress = Callable[[int, int], None]


@contextmanager
def indexing_progress(label: str) -> Iterator[Progress | None]:
    """Yield a ``progress(done, total)`` callback that draws a bar on stderr, if a TTY."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TaskProgressColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as RichProgress

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
    )
    with RichProgress(*columns, console=Console(stderr=True), transient=True) as bar:
        label_text = label
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            # After the last paper Whoosh still merges and writes its segment, which
            # takes about as long again: say so rather than sit silently at 100%.
            label = "Saving index…" if total and done >= total else label_text
            bar.update(task, completed=done, total=total or None, description=label)

        yield update
