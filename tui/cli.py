"""The ``papers`` command: the reader with no arguments, subcommands for scripts and SSH.

Textual is imported only when the reader opens, so ``papers search …`` starts fast.
Exit codes: 0 ok, 1 runtime error (the message says what to do), 2 usage error or bad
query. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from typing import NoReturn, Sequence

from index import QUERY_SYNTAX, SORTS, __version__
from tui.errors import UserError, say_error

EXAMPLES = """\
examples:
  papers                                   open the reader on your library
  papers search "offline q-learning"       ranked papers, best first
  papers search 'tag:rl upvotes:>=2' --sort date --json
  papers show arXiv:2401.01234             one paper (id or prefix, arXiv id, arXiv/HF URL)
  papers import arxiv-cs.LG.jsonl          add papers from dumps or JSON files
  papers export is:starred --format bibtex -o refs.bib

query language:
{syntax}
files: PAPERS_HOME=DIR keeps every file of papers under DIR (see `papers stats`).
""".format(syntax="\n".join(f"  {example:<52} {meaning}" for example, meaning in QUERY_SYNTAX))


ID_HELP = "paper id or unique prefix, arXiv id (arXiv:2401.01234v2), arXiv or Hugging Face paper URL"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse prints usage + exits 2; keep it to one line
        self.exit(2, f"papers: {message} (see papers --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="papers",
        description="A keyboard-driven terminal reader for research-paper abstracts.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"papers {__version__}")
    parser.add_argument("--no-mouse", action="store_true", help="reader: do not capture the mouse (slow links)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    search = sub.add_parser("search", help="search the library")
    search.add_argument("query", nargs="+", help="query words (joined with spaces)")
    search.add_argument("--limit", type=_positive, default=20, help="at most N papers (default 20)")
    search.add_argument("--sort", choices=SORTS, default="relevance")
    search.add_argument("--json", action="store_true", help="one JSON object per line")
    search.add_argument(
        "--stats", action="store_true", help="after the results, print 'N papers · M ms' to stderr (engine time)"
    )

    show = sub.add_parser("show", help="show one paper")
    show.add_argument("id", metavar="ID", help=ID_HELP)
    show.add_argument("--json", action="store_true")

    stats = sub.add_parser("stats", help="library counts and file locations")
    stats.add_argument("--json", action="store_true")

    imp = sub.add_parser("import", help="add Daily Papers dumps or JSON/JSONL files")
    imp.add_argument("files", nargs="+", metavar="FILE")

    sub.add_parser("reindex", help="rebuild the search index from the sources")

    for name, helptext in (
        ("star", "star papers"),
        ("unstar", "remove stars"),
        ("read", "mark read"),
        ("unread", "mark unread"),
    ):
        marks = sub.add_parser(name, help=helptext)
        marks.add_argument("ids", nargs="+", metavar="ID", help=ID_HELP)
        marks.add_argument("--json", action="store_true", help="one JSON object per paper")

    for name, helptext in (("tag", "add tags to a paper"), ("untag", "remove tags from a paper")):
        tags = sub.add_parser(name, help=helptext)
        tags.add_argument("id", metavar="ID", help=ID_HELP)
        tags.add_argument("tags", nargs="+", metavar="TAG")
        tags.add_argument("--json", action="store_true", help="the paper's marks as JSON")

    note = sub.add_parser("note", help="show or set a paper's note ('-' reads standard input)")
    note.add_argument("id", metavar="ID", help=ID_HELP)
    note.add_argument("text", nargs="?", help="the note; '' clears it; omit to print it")
    note.add_argument("--json", action="store_true", help="the paper's marks as JSON")

    export = sub.add_parser("export", help="export papers (default: the starred ones)")
    export.add_argument("query", nargs="*", help="which papers (default: is:starred)")
    export.add_argument("--format", choices=("bibtex", "markdown", "json", "csv"), default="bibtex")
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    export.add_argument("--with-marks", action="store_true", help="json: include stars, tags, notes")

    fetch = sub.add_parser("fetch", help="fetch new papers: Hugging Face daily papers or arXiv listings")
    feeds = fetch.add_subparsers(dest="feed", metavar="FEED", parser_class=_Parser, required=True)
    hf = feeds.add_parser("hf", help="Hugging Face daily papers (default: today)")
    when = hf.add_mutually_exclusive_group()
    when.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="one day")
    when.add_argument("--from", dest="start", type=_day, metavar="YYYY-MM-DD", help="from this day (to --to or today)")
    when.add_argument("--days", type=_positive, metavar="N", help="the last N days, today included")
    hf.add_argument("--to", dest="end", type=_day, metavar="YYYY-MM-DD", help="with --from: the last day")
    arxiv = feeds.add_parser("arxiv", help="new submissions in arXiv categories (default: today)")
    arxiv.add_argument("categories", nargs="+", metavar="CATEGORY", help="e.g. cs.LG cs.CL")
    arxiv.add_argument("--days", type=_positive, default=1, metavar="N", help="the last N days (default 1: today)")
    for feed_parser in (hf, arxiv):
        feed_parser.add_argument("--refresh", action="store_true", help="fetch days fetched before again")

    enrich = sub.add_parser("enrich", help="find arXiv ids, authors and dates for papers without them")
    enrich.add_argument("--refresh", action="store_true", help="also ask about titles not found before")
    enrich.add_argument("--limit", type=_positive, metavar="N", help="at most N papers this time")

    view = sub.add_parser("view", help="saved views: a name for a query")
    views = view.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser, required=True)
    add = views.add_parser("add", help="save a view")
    add.add_argument("name")
    add.add_argument("query", nargs="+")
    listing = views.add_parser("list", help="views with their counts (total, unread, new)")
    listing.add_argument("--json", action="store_true")
    remove = views.add_parser("rm", help="remove a view")
    remove.add_argument("name")

    serve = sub.add_parser("serve", help="run the reader in a web browser (textual-serve)")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    serve.add_argument("--port", type=_positive, default=8000)
    return parser


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (use YYYY-MM-DD)") from None


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            return open_reader(args)
        from tui import subcommands  # the engine loads only for a subcommand

        return subcommands.run(args)
    except KeyboardInterrupt:
        print("papers: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `papers search x | head` closed the pipe: not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except UserError as error:
        say_error(error)
        return error.exit_code
    except Exception as error:  # a bug: still one line, unless the user asks for the traceback
        if os.environ.get("PAPERS_DEBUG"):
            raise
        say_error(f"unexpected error ({type(error).__name__}: {error}); PAPERS_DEBUG=1 shows the traceback")
        return 1


def open_reader(args: argparse.Namespace) -> int:
    """Open the full-screen reader, refusing clearly where it cannot work."""
    web = os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")  # under `papers serve`
    if not web and (not sys.stdout.isatty() or not sys.stdin.isatty()):
        raise UserError(
            "the reader needs a terminal; for scripts use a subcommand: "
            "papers search QUERY, papers show ID, papers stats (see papers --help)",
            exit_code=1,
        )
    if not web and os.environ.get("TERM", "") in ("", "dumb"):
        raise UserError(
            "the reader cannot draw on TERM=dumb; set TERM (e.g. xterm-256color) "
            "or use a subcommand: papers search QUERY (see papers --help)",
            exit_code=1,
        )
    from tui.launch import run_reader  # Textual loads only here

    return run_reader(no_mouse=args.no_mouse)


if __name__ == "__main__":
    sys.exit(main())
