"""How the command line prints papers, results and stats, for people and for scripts.

On a terminal: coloured (unless ``NO_COLOR`` or a dumb terminal), wrapped to its width.
Into a pipe or file: plain lines, never wrapped or padded, no colour, so ``grep``,
``head`` and ``cut`` see one record per line. Third-party text reaches either only
through ``terminal_safe`` (JSON through ``json_safe``).
"""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from index import BuildReport, Marks, Paper, SearchResults, StateStore, json_safe, match_window, plural, terminal_safe

EXCERPT_WIDTH = 220
"""Characters of abstract shown under each search result."""


def wants_color(stream: TextIO) -> bool:
    """Colour only for a terminal that can show it and a user who did not opt out (no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM", "") != "dumb"


class Printer:
    """Writes to standard output the way the stream calls for (terminal or pipe)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty()
        self._console = (
            Console(
                file=self.stream,
                highlight=False,
                markup=False,
                emoji=False,
                soft_wrap=False,
                # color_system=None: no colour and no bold/dim either (NO_COLOR, dumb terminals).
                color_system="auto" if wants_color(self.stream) else None,
            )
            if self.tty
            else None
        )

    def line(self, text: str = "") -> None:
        """One line of already-safe plain text."""
        print(text, file=self.stream)

    def rich(self, renderable: Any) -> None:
        assert self._console is not None
        self._console.print(renderable)

    # -- papers ----------------------------------------------------------------------
    def results(self, results: SearchResults, state: StateStore) -> None:
        for hit in results.hits:
            paper, marks = hit.paper, state.get(hit.paper.id)
            text, spans = match_window(paper.abstract, results.abstract_spans(paper), width=EXCERPT_WIDTH)
            if not self.tty:
                star = "★ " if marks.starred else ""
                self.line(f"{paper.id}  {_date(paper)}  {star}{terminal_safe(paper.title)}")
                if text:
                    self.line("    " + terminal_safe(text))
                continue
            line = Text(f"{hit.rank + 1:>3}. ")
            line.append("★ " if marks.starred else "")
            line.append_text(_highlighted(paper.title, results.title_spans(paper), "bold"))
            line.append(f"  [{paper.id}]", style="dim")
            self.rich(line)
            meta = meta_line(paper)
            if marks.tags:
                meta += "  " + " ".join(f"#{terminal_safe(tag)}" for tag in marks.tags)
            if meta:
                self.rich(Text("     " + meta, style="dim"))
            self.rich(Padding(_highlighted(text, spans), (0, 0, 0, 5)))

    def paper(self, paper: Paper, marks: Marks) -> None:
        title = ("★ " if marks.starred else "") + terminal_safe(paper.title)
        fields = [
            ("id", paper.id),
            ("arxiv", paper.arxiv_id or ""),
            ("link", terminal_safe(paper.primary_link)),
            ("tags", " ".join(f"#{terminal_safe(tag)}" for tag in marks.tags)),
            ("read", "yes" if marks.read else ""),
            ("from", ", ".join(terminal_safe(source) for source in paper.sources)),
        ]
        meta = meta_line(paper)
        if self.tty:
            self.rich(Text(title, style="bold"))
            if meta:
                self.rich(Text(meta, style="dim"))
            for name, value in fields:
                if value:
                    self.rich(Text(f"{name + ':':<6} {value}", style="dim"))
            self.rich(Text())
            self.rich(Text(terminal_safe(paper.abstract, multiline=True)))
        else:
            self.line(title)
            if meta:
                self.line(meta)
            for name, value in fields:
                if value:
                    self.line(f"{name + ':':<6} {value}")
            self.line()
            self.line(terminal_safe(paper.abstract))
        if paper.links:
            self.line()
            for number, link in enumerate(paper.links, start=1):
                self.line(f"[{number}] {terminal_safe(link)}")
        if marks.note:
            self.line()
            self.line("note:")
            for note_line in terminal_safe(marks.note, multiline=True).splitlines():
                self.line("  " + note_line)

    def json(self, value: Any, indent: int | None = None) -> None:
        self.line(json_safe(value, indent=indent))

    def stats(self, stats: dict[str, Any]) -> None:
        self.line(
            " · ".join(
                [
                    plural(stats["papers"], "paper"),
                    f"{stats['starred']:,} starred",
                    f"{stats['tagged']:,} tagged",
                    f"{stats['read']:,} read",
                    plural(stats["notes"], "note"),
                ]
            )
        )
        if stats["tags"]:
            self.line("tags: " + ", ".join(f"{terminal_safe(name)} ({count})" for name, count in stats["tags"].items()))
        self.line(f"index:      {terminal_safe(stats['index'])}")
        self.line(f"state file: {terminal_safe(stats['state_file'])}")
        self.line(f"data:       {terminal_safe(stats['data_dir'])}")

    def mark(self, paper: Paper, marks: Marks) -> None:
        flags = ["★" if marks.starred else "☆", "read" if marks.read else "unread"]
        tags = " ".join(f"#{terminal_safe(tag)}" for tag in marks.tags)
        title = terminal_safe(paper.title)
        if self.tty and len(title) > 70:
            title = title[:69] + "…"
        self.line("  ".join(part for part in (paper.id, " ".join(flags), tags, title) if part))


def paper_json(paper: Paper, marks: Marks, score: float | None = None) -> dict[str, Any]:
    """The JSON record scripts read (README, "Using it"): the paper plus its marks and score."""
    data = paper.to_dict()
    data.update(
        primary_link=paper.primary_link,
        starred=marks.starred,
        tags=list(marks.tags),
        read=marks.read is not None,
        note=marks.note or None,
        score=score,
    )
    return data


def marks_json(paper: Paper, marks: Marks) -> dict[str, Any]:
    """What a mark command did, for scripts (``papers star ID --json``)."""
    return {
        "id": paper.id,
        "title": paper.title,
        "starred": marks.starred,
        "tags": list(marks.tags),
        "read": marks.read is not None,
        "note": marks.note or None,
    }


def meta_line(paper: Paper) -> str:
    """Authors (and organisation), date and upvotes in one safe line."""
    parts = [paper.byline(), paper.org if paper.author_names else None]
    if paper.date:
        parts.append(paper.date.isoformat())
    if paper.upvotes is not None:
        parts.append(f"▲{paper.upvotes}")
    return terminal_safe(" · ".join(part for part in parts if part))


def _date(paper: Paper) -> str:
    return paper.date.isoformat() if paper.date else "-" * 10


def _highlighted(text: str, spans: list[tuple[int, int]], style: str = "bold yellow") -> Text:
    # Replacing control characters maps each to one character, so spans still line up.
    rich_text = Text(terminal_safe(text))
    for start, end in spans:
        rich_text.stylize(style, start, end)
    return rich_text


def summary(results: SearchResults) -> str:
    """The line under search results (stderr): which hits, how sorted, how long."""
    shown = f"{results.offset + 1}-{results.offset + len(results.hits)}"
    suggestion = f" · did you mean: {terminal_safe(results.suggestion)}?" if results.suggestion else ""
    return (
        f"{shown} of {plural(results.total, 'paper')} · sorted by {results.sort} · "
        f"{results.elapsed_ms:.0f} ms{suggestion}"
    )


def engine_stats(results: SearchResults) -> str:
    """``papers search --stats``: matches and the time spent inside the engine."""
    ms = results.elapsed_ms
    shown = f"{ms:.1f}" if ms < 10 else f"{ms:.0f}"  # a tenth only where it tells something
    return f"{plural(results.total, 'paper')} · {shown} ms"


def build_summary(report: BuildReport) -> None:
    """One line after an index (re)build, so scripts and logs see what happened (and why,
    when it is news: not on first use)."""
    if report.reason not in ("no index yet", "rebuild asked for"):
        error(f"rebuilding the search index: {report.reason}")
    error(f"indexed {plural(report.papers, 'paper')} from {plural(report.records, 'record')} in {report.seconds:.1f} s")
    for problem in report.problems:
        error(f"skipped {problem}")


def error(message: str) -> None:
    """One line on stderr, prefixed like every message of the command."""
    print(f"papers: {terminal_safe(message)}", file=sys.stderr)
