"""``papers fetch``, ``papers enrich``, ``papers view`` and ``papers serve``: the subcommands
that bring papers in, name queries, and put the reader in a browser."""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta

from index import (
    FetchClient,
    IndexBusy,
    Locations,
    arxiv_units,
    days,
    enrich,
    feed_settings,
    fetch,
    hf_units,
    last_reader_start,
    papers_to_enrich,
    plural,
    terminal_safe,
)
from tui import output
from tui.errors import UserError
from tui.feeding import view_counts
from tui.opening import import_line, open_library, open_state
from tui.progress import fetch_progress


def cmd_fetch(args: argparse.Namespace, locs: Locations) -> int:
    today = date.today()
    if args.feed == "hf":
        if args.end is not None and args.start is None:
            raise UserError("--to goes with --from (papers fetch hf --from 2025-11-01 --to 2025-11-07)", exit_code=2)
        if args.date:
            dates = [args.date]
        elif args.start:
            dates = days(args.start, args.end or today)
        else:
            dates = days(today - timedelta(days=(args.days or 1) - 1), today)
        if not dates or dates[-1] > today:
            raise UserError("the days to fetch must be today or earlier, --from before --to", exit_code=2)
        units = hf_units(dates)
    else:
        units = arxiv_units(args.categories, days(today - timedelta(days=args.days - 1), today))
    settings = feed_settings(locs.config_file)
    for problem in settings.problems:
        output.error(problem)
    state = open_state(locs)
    store = open_library(locs, state).store
    try:
        with FetchClient.from_settings(settings) as client, fetch_progress() as progress:
            report = fetch(locs, store, settings, units, client, args.refresh, marks=state, progress=progress)
    except IndexBusy as error:
        raise UserError(str(error)) from None
    except KeyboardInterrupt:
        raise UserError("interrupted: nothing was imported; the library is as it was", 130) from None
    printer = output.Printer()
    for result in report.failed:
        output.error(f"{result.unit.label}: {result.error}")
    for outcome in report.imports:
        printer.line(import_line(outcome, outcome.path.name))  # saved as a source under this name
    skipped = [result for result in report.units if result.outcome == "skipped"]
    fetched = [result for result in report.units if result.outcome == "fetched"]
    summary = [
        f"fetched {plural(len(fetched), 'day')} ({sum(r.records for r in fetched)} records)",
        f"{report.added} added",
        f"{report.merged} merged",
    ]
    if skipped:
        summary.append(f"{len(skipped)} skipped (fetched before; --refresh fetches again)")
    if report.failed:
        summary.append(f"{len(report.failed)} failed")
    print("papers: " + ", ".join(summary), file=sys.stderr)
    return 1 if report.failed else 0


def cmd_enrich(args: argparse.Namespace, locs: Locations) -> int:
    settings = feed_settings(locs.config_file)
    state = open_state(locs)
    store = open_library(locs, state).store
    papers = papers_to_enrich(store, refresh=args.refresh)[: args.limit]
    if not papers:
        print("papers: every paper has an arXiv id or was looked up before (--refresh asks again)", file=sys.stderr)
        return 0
    try:
        with FetchClient.from_settings(settings) as client, fetch_progress() as progress:
            report = enrich(locs, store, settings, client, papers, progress)
    except IndexBusy as error:
        raise UserError(str(error)) from None
    for failure in report.failed:
        output.error(failure)
    print(
        f"papers: looked up {plural(report.asked, 'title')}: {report.matched} found with an arXiv id, "
        f"{report.unknown} unknown to Hugging Face, {len(report.failed)} failed",
        file=sys.stderr,
    )
    return 1 if report.failed else 0


def cmd_view(args: argparse.Namespace, locs: Locations) -> int:
    state = open_state(locs)
    printer = output.Printer()
    if args.action == "add":
        query = " ".join(args.query)
        library = open_library(locs, state)
        library.parse(query)  # a view that cannot run is refused now, not every time it is opened
        state.save_view(args.name, query)
        printer.line(f"saved view {terminal_safe(args.name)}: {terminal_safe(query)}")
        return 0
    if args.action == "rm":
        if not state.remove_view(args.name):
            raise UserError(f"no view named {args.name!r} (papers view list shows them)")
        printer.line(f"removed view {terminal_safe(args.name)}")
        return 0
    library = open_library(locs, state)
    library.new_since = last_reader_start(locs.data_dir)
    rows = []
    for name, query in state.views().items():
        rows.append({"name": name, "query": query, **view_counts(library, query)})
    if args.json:
        for row in rows:
            printer.json(row)
    elif not rows:
        print("papers: no saved views (papers view add NAME QUERY)", file=sys.stderr)
    for row in rows if not args.json else ():
        printer.line(
            f"{terminal_safe(row['name'])}  {terminal_safe(row['query'])}  "
            f"{row['total']} total · {row['unread']} unread · {row['new']} new"
        )
    return 0


def cmd_serve(args: argparse.Namespace, locs: Locations) -> int:
    from textual_serve.server import Server

    command = f"{sys.executable} -m tui.cli"
    where = f"http://{args.host}:{args.port}"
    print(f"papers: serving the reader at {where} (ctrl+c stops)", file=sys.stderr)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print("papers: listening beyond this machine: anyone who reaches it can use your library", file=sys.stderr)
    Server(command, host=args.host, port=args.port, title="papers").serve()
    return 0
