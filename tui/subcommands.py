"""The subcommands of ``papers``: thin wrappers that print what ``index/`` answers.

Everything they print goes through ``tui.output`` (plain in a pipe, coloured on a
terminal, third-party text made safe); errors become one ``UserError`` line.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable

from index import (
    AmbiguousId,
    IndexBusy,
    IndexDamaged,
    IndexStore,
    Library,
    Locations,
    Marks,
    Paper,
    QueryError,
    StateError,
    StateStore,
    import_files,
    locations,
)
from tui import output
from tui.errors import UserError
from tui.opening import import_line, open_library, open_state, tell_notices
from tui.progress import indexing_progress


def run(args: argparse.Namespace) -> int:
    locs = locations()
    handler: Callable[[argparse.Namespace, Locations], int] = COMMANDS[args.command]
    try:
        return handler(args, locs)
    except BrokenPipeError:
        raise  # the reader of our output went away (| head): main() ends quietly
    except AmbiguousId as error:
        raise UserError(str(error), exit_code=2) from None
    except QueryError as error:
        raise UserError(str(error), exit_code=2) from None
    except (StateError, IndexDamaged) as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"{error.filename or ''}: {error.strerror or error}".lstrip(": ")) from None


def cmd_search(args: argparse.Namespace, locs: Locations) -> int:
    state = open_state(locs)
    library = open_library(locs, state)
    # Scripts (--json) get exactly what they asked for; people get what they meant.
    library.count()  # open the index first: --stats times the search, not start-up
    results = library.search(" ".join(args.query), sort=args.sort, limit=args.limit, correct=not args.json)
    tell_notices(library)
    if results.corrected:
        output.error(f"no papers match {results.query!r}; showing results for {results.suggestion!r}")
    printer = output.Printer()
    if args.json:
        for hit in results.hits:
            printer.json(output.paper_json(hit.paper, state.get(hit.paper.id), hit.score))
    else:
        printer.results(results, state)
    if not results.hits:
        hint = f" — did you mean: {results.suggestion}?" if results.suggestion else ""
        output.error(f"no papers match {results.query!r}{hint}")
    elif sys.stderr.isatty() and not args.json and not args.stats:
        print(output.summary(results), file=sys.stderr)
    if args.stats:
        sys.stdout.flush()  # after the results, also when both go to one terminal or file
        print(output.engine_stats(results), file=sys.stderr)
    return 0


def find_paper(library: Library, reference: str) -> Paper:
    paper = library.get(reference)
    if paper is None:
        raise UserError(
            f"no paper with id {reference!r} (give an id or its prefix from papers search, an arXiv id, "
            "or an arXiv / Hugging Face paper URL)"
        )
    return paper


def cmd_show(args: argparse.Namespace, locs: Locations) -> int:
    state = open_state(locs)
    library = open_library(locs, state)
    paper = find_paper(library, args.id)
    printer = output.Printer()
    if args.json:
        printer.json(output.paper_json(paper, state.get(paper.id)), indent=1)
    else:
        printer.paper(paper, state.get(paper.id))
    return 0


def cmd_stats(args: argparse.Namespace, locs: Locations) -> int:
    state = open_state(locs)
    library = open_library(locs, state)
    tags = state.tag_counts()
    stats = {
        "papers": library.count(),
        "starred": len(state.starred_ids()),
        "tagged": sum(1 for marks in state.items().values() if marks.tags),
        "read": len(state.read_ids()),
        "notes": len(state.noted_ids()),
        "tags": dict(sorted(tags.items())),
        "index": str(library.store.current_dir()),
        "state_file": str(locs.state_file),
        "data_dir": str(locs.data_dir),
    }
    if args.json:
        output.Printer().json(stats, indent=1)
    else:
        output.Printer().stats(stats)
    return 0


def cmd_import(args: argparse.Namespace, locs: Locations) -> int:
    state = open_state(locs)
    store = open_library(locs, state).store
    paths = [Path(name) for name in args.files]
    label = f"Importing {paths[0].name}" if len(paths) == 1 else f"Importing {len(paths)} files"
    try:
        with indexing_progress(label) as progress:
            outcomes = import_files(locs, store, paths, marks=state, progress=progress)
    except IndexBusy as error:
        raise UserError(str(error)) from None
    except KeyboardInterrupt:
        raise UserError("interrupted: nothing was imported; the library is as it was", 130) from None
    printer = output.Printer()
    for outcome in outcomes:
        for problem in outcome.problems:
            output.error(problem)
        printer.line(import_line(outcome))
    return 0 if all(outcome.ok for outcome in outcomes) else 1


def cmd_reindex(args: argparse.Namespace, locs: Locations) -> int:
    store = IndexStore(locs)
    try:
        with indexing_progress("Rebuilding index") as progress:
            report = store.rebuild(progress)
    except IndexBusy as error:
        raise UserError(str(error)) from None
    output.build_summary(report)
    return 0


def _each_paper(
    args: argparse.Namespace, locs: Locations, ids: list[str], change: Callable[[StateStore, str], Marks]
) -> int:
    state = open_state(locs)
    library = open_library(locs, state)
    papers = [find_paper(library, paper_id) for paper_id in ids]  # all ids valid before any change
    printer = output.Printer()
    for paper in papers:
        marks = change(state, paper.id)
        if getattr(args, "json", False):
            printer.json(output.marks_json(paper, marks))
        else:
            printer.mark(paper, marks)
    return 0


def cmd_star(args, locs):
    return _each_paper(args, locs, args.ids, lambda state, pid: state.set_starred(pid, True))


def cmd_unstar(args, locs):
    return _each_paper(args, locs, args.ids, lambda state, pid: state.set_starred(pid, False))


def cmd_read(args, locs):
    return _each_paper(args, locs, args.ids, lambda state, pid: state.set_read(pid, True))


def cmd_unread(args, locs):
    return _each_paper(args, locs, args.ids, lambda state, pid: state.set_read(pid, False))


def cmd_tag(args, locs):
    return _each_paper(args, locs, [args.id], lambda state, pid: state.add_tags(pid, args.tags))


def cmd_untag(args, locs):
    return _each_paper(args, locs, [args.id], lambda state, pid: state.remove_tags(pid, args.tags))


def cmd_note(args: argparse.Namespace, locs: Locations) -> int:
    if args.text is None:
        state = open_state(locs)
        paper = find_paper(open_library(locs, state), args.id)
        note = state.get(paper.id).note
        if args.json:
            output.Printer().json(output.marks_json(paper, state.get(paper.id)))
        elif note:
            output.Printer().line(output.terminal_safe(note, multiline=True))
        return 0
    text = sys.stdin.read() if args.text == "-" else args.text
    return _each_paper(args, locs, [args.id], lambda state, pid: state.set_note(pid, text.strip()))


def cmd_export(args: argparse.Namespace, locs: Locations) -> int:
    from index import export_papers

    state = open_state(locs)
    library = open_library(locs, state)
    query = " ".join(args.query) or "is:starred"
    results = library.search(query, sort="date", limit=max(library.count(), 1))
    papers = [hit.paper for hit in results.hits]
    text = export_papers(papers, state.get, args.format, with_marks=args.with_marks)
    if args.output:
        private = args.format != "json" or args.with_marks  # stars, tags and notes are the user's own
        write_export(Path(args.output), text, private)
        print(f"exported {output.plural(len(papers), 'paper')} to {output.terminal_safe(args.output)}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    if not papers:
        output.error(f"no papers match {query!r}")
    return 0


def write_export(path: Path, text: str, private: bool) -> None:
    """Write an export; one that holds marks or notes is created readable by the user only."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    with open(os.open(path, flags, 0o600 if private else 0o644), "w", encoding="utf-8") as handle:
        if private:
            os.fchmod(handle.fileno(), 0o600)  # an existing file keeps its mode on open
        handle.write(text)


def _loaded(name: str) -> Callable[[argparse.Namespace, Locations], int]:
    """A command of ``tui.fetch_commands``, imported when run (the HTTP client costs every
    other command a tenth of a second to load)."""

    def command(args: argparse.Namespace, locs: Locations) -> int:
        from tui import fetch_commands

        return getattr(fetch_commands, name)(args, locs)

    return command


COMMANDS: dict[str, Callable[[argparse.Namespace, Locations], int]] = {
    "search": cmd_search,
    "show": cmd_show,
    "stats": cmd_stats,
    "import": cmd_import,
    "reindex": cmd_reindex,
    "star": cmd_star,
    "unstar": cmd_unstar,
    "read": cmd_read,
    "unread": cmd_unread,
    "tag": cmd_tag,
    "untag": cmd_untag,
    "note": cmd_note,
    "export": cmd_export,
    "fetch": _loaded("cmd_fetch"),
    "enrich": _loaded("cmd_enrich"),
    "view": _loaded("cmd_view"),
    "serve": _loaded("cmd_serve"),
}
