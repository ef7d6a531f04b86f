"""Open the reader; the command line calls this only when it needs the full-screen app."""

from __future__ import annotations


def run_reader(no_mouse: bool = False) -> int:
    """Run the reader until the user quits; returns the process exit code."""
    from tui.app import PapersApp

    app = PapersApp()
    result = app.run(mouse=not no_mouse)
    return result if isinstance(result, int) else (app.return_code or 0)
