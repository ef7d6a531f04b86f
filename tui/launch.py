"""Open the reader; the command line calls this only when it needs the full-screen app."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.app import PapersApp


def load_reader() -> type[PapersApp]:
    """Import the reader (Textual, Whoosh, numpy and our screens), the slowest part of its
    start. The garbage collector is paused meanwhile: importing creates ~200k objects,
    and the full collections they set off scanned them all again, ~200 ms of a ~900 ms
    import (measured with ``python -X importtime`` and tests/bench/reader.py's
    ``imports_ms``). Nothing imported is garbage; the reader collects once at first
    paint (tui.idle.settle_memory)."""
    gc.disable()
    try:
        from tui.app import PapersApp
        from tui.screens.main import MainScreen  # noqa: F401  (needed for the first paint anyway)
    finally:
        gc.enable()
    return PapersApp


def run_reader(no_mouse: bool = False) -> int:
    """Run the reader until the user quits; returns the process exit code."""
    app = load_reader()()
    result = app.run(mouse=not no_mouse)
    return result if isinstance(result, int) else (app.return_code or 0)
