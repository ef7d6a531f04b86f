"""The subcommands of ``papers``: thin wrappers that print what ``index/`` answers."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable

from index.indexing import WriteReport
from index.library import Library, QueryError
from index.locations import Locations, locations
from index.paper import Paper
from index.parsed import ParsedFile
from index.search_index import IndexBusy, IndexStore
from index.sources import SourceError, content_hash, known_hashes, read_source, store_copy
from index.state import Marks, StateError, StateStore
from tui import output
from tui.progress import indexing_progress


class UserError(Exception):
    """A failure to report as one line; ``exit_code`` 1 runtime, 2 usage or query."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


def open_state(locs: Locations) -> StateStore:
    state = StateStore(locs.state_file)
    for message in state.messages:
        print(f"papers: {message}", file=sys.stderr)
    return state


def open_library(locs: Locations, state: StateStore | None = None) -> Library:
    """Open the index (building it with progress when needed)."""
    try:
        with indexing_progress("Indexing papers") as progress:
            library = Library.open(locs, marks=state, progress=progress)
    except IndexBusy as error:
        raise UserError(str(error)) from None
    report = library.build_report
    if report is not None:
        output.build_summary(report)
    return library


def run(args: argparse.Namespace) -> int:
    locs = locations()
    handler: Callable[[argparse.Namespace, Locations], int] = COMMANDS[args.command]
    try:
        return handler(args, locs)
    except QueryError as error:
        raise UserError(str(error), exit_code=2) from None
    except StateError as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"{error.filename or ''}: {error.strerror or error}".lstrip(": ")) from None


def cmd_search(args: argparse.Namespace, locs: Locations) -> int:
    state = open_state(locs)
    library = open_library(locs, state)
    results = library.search(" ".join(args.query), sort=args.sort, limit=args.limit)
    if args.json:
        for hit in results.hits:
            print(json.dumps(output.paper_json(hit.paper, state.get(hit.paper.id), hit.score), ensure_ascii=False))
    else:
        output.print_results(results, state)
    return 0


def _find(library: Library, paper_id: str) -> Paper:
    paper = library.get(paper_id)
    if paper is None:
        raise UserError(f"no paper with id {paper_id!r} (ids are shown by papers search)")
    return paper


def cmd_show(args: argparse.Namespace, locs: Locations) -> int:
    state = open_state(locs)
    library = open_library(locs, state)
    paper = _find(library, args.id)
    if args.json:
        print(json.dumps(output.paper_json(paper, state.get(paper.id)), ensure_ascii=False, indent=1))
    else:
        output.print_paper(paper, state.get(paper.id))
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
        print(json.dumps(stats, indent=1))
    else:
        output.print_stats(stats)
    return 0


def cmd_import(args: argparse.Namespace, locs: Locations) -> int:
    state = open_state(locs)
    store = open_library(locs, state).store
    skipped = False
    for name in args.files:
        path = Path(name)
        try:
            parsed = read_source(path, name=path.name)
            known = known_hashes(locs)
            digest = content_hash(path)
        except SourceError as error:
            print(f"papers: {error}", file=sys.stderr)
            skipped = True
            continue
        if digest in known:
            print(f"{path}: already imported (same content as {known[digest].name}); nothing changed")
            continue
        report = _import_one(store, path, parsed, digest, locs)
        for problem in parsed.problems:
            print(f"papers: {problem}", file=sys.stderr)
        skipped = skipped or bool(parsed.problems) or not report.records
        if not report.records:
            print(f"papers: {path}: no papers found; not imported", file=sys.stderr)
            continue
        changed = state.merge_marks(parsed.marks) if parsed.marks else 0
        extra = f", marks restored on {changed}" if changed else ""
        print(f"{path}: {report.added} added, {report.merged} merged, {len(parsed.problems)} skipped{extra}")
    return 1 if skipped else 0


def _import_one(store: IndexStore, path: Path, parsed: ParsedFile, digest: str, locs: Locations) -> WriteReport:
    """Copy the file into the data folder and add its papers, all or nothing."""
    try:
        with store.lock(), indexing_progress(f"Importing {path.name}") as progress:
            copy = store_copy(path, digest, locs)
            try:
                report = store.add_papers(parsed.iter_papers(), progress)
            except BaseException:
                # Nothing was committed: drop the copy so the next rebuild agrees with the index.
                copy.unlink(missing_ok=True)
                raise
            if not report.records:
                copy.unlink(missing_ok=True)
                store.refresh_meta()
    except TimeoutError:
        raise UserError(f"another papers process is indexing ({store.root / 'build.lock'}); try again soon") from None
    except KeyboardInterrupt:
        raise UserError(f"interrupted: nothing from {path} was imported; the library is as it was", 130) from None
    return report


def cmd_reindex(args: argparse.Namespace, locs: Locations) -> int:
    store = IndexStore(locs)
    try:
        with indexing_progress("Rebuilding index") as progress:
            report = store.rebuild(progress)
    except IndexBusy as error:
        raise UserError(str(error)) from None
    output.build_summary(report, always=True)
    return 0


def _each_paper(
    args: argparse.Namespace, locs: Locations, ids: list[str], change: Callable[[StateStore, str], Marks]
) -> int:
    state = open_state(locs)
    library = open_library(locs, state)
    papers = [_find(library, paper_id) for paper_id in ids]  # all ids valid before any change
    for paper in papers:
        marks = change(state, paper.id)
        print(output.mark_line(paper, marks))
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
        paper = _find(open_library(locs, state), args.id)
        note = state.get(paper.id).note
        if note:
            print(note)
        return 0
    text = sys.stdin.read() if args.text == "-" else args.text
    return _each_paper(args, locs, [args.id], lambda state, pid: state.set_note(pid, text.strip()))


def cmd_export(args: argparse.Namespace, locs: Locations) -> int:
    from index.export import export_papers

    state = open_state(locs)
    library = open_library(locs, state)
    query = " ".join(args.query) or "is:starred"
    results = library.search(query, sort="date", limit=max(library.count(), 1))
    papers = [hit.paper for hit in results.hits]
    text = export_papers(papers, state.get, args.format, with_marks=args.with_marks)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"exported {len(papers)} papers to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    if not papers:
        print(f"papers: no papers match {query!r}", file=sys.stderr)
    return 0


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
}
