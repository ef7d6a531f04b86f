"""What every subcommand starts with: the state file and the library, opened with
progress and messages on stderr; and the one line an import prints per file."""

from __future__ import annotations

from index import FileImport, IndexBusy, Library, Locations, StateStore, last_reader_start
from tui import output
from tui.errors import UserError
from tui.progress import indexing_progress


def open_state(locs: Locations) -> StateStore:
    state = StateStore(locs.state_file)
    for message in state.messages:
        output.error(message)
    return state


def open_library(locs: Locations, state: StateStore | None = None) -> Library:
    """Open the index (building it with progress when needed); marks made under a paper's
    former id move onto it."""
    try:
        with indexing_progress("Indexing papers") as progress:
            library = Library.open(locs, marks=state, progress=progress)
    except IndexBusy as error:
        raise UserError(str(error)) from None
    report = library.build_report
    if report is not None:
        output.build_summary(report)
    if state is not None and not state.read_only:
        library.adopt_marks(state)
    # is:new from the command line: papers that arrived since the last reader session began.
    library.new_since = last_reader_start(locs.data_dir)
    return library


def tell_notices(library: Library) -> None:
    """Say what the engine had to do on its own (a damaged index rebuilt)."""
    for notice in library.notices:
        output.error(notice)
    library.notices.clear()


def import_line(outcome: FileImport, name: str | None = None) -> str:
    """The one line ``papers import`` prints per file (stdout), naming the file."""
    name = output.terminal_safe(name or str(outcome.path))
    if outcome.outcome == "duplicate":
        return f"{name}: already imported (same content as {output.terminal_safe(outcome.same_as)}); nothing changed"
    if outcome.outcome == "unreadable":
        return f"{name}: not imported"
    if outcome.outcome == "empty":
        return f"{name}: no papers found; not imported"
    skipped = sum(1 for problem in outcome.problems if " repaired: " not in problem)
    repaired = len(outcome.problems) - skipped
    parts = [f"{outcome.added} added", f"{outcome.merged} merged", f"{skipped} skipped"]
    if repaired:
        parts.append(f"{repaired} repaired")
    if outcome.marks_restored:
        parts.append(f"marks restored on {outcome.marks_restored}")
    return f"{name}: " + ", ".join(parts)
