"""How the command line prints papers, results and stats for people and for scripts."""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from index.highlight import excerpt
from index.library import SearchResults
from index.paper import Paper
from index.search_index import BuildReport
from index.state import Marks, StateStore

_console = Console(highlight=False, soft_wrap=False)


def paper_json(paper: Paper, marks: Marks, score: float | None = None) -> dict[str, Any]:
    """The JSON record of design.md: the paper plus its marks and score."""
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


def _meta(paper: Paper) -> str:
    parts = []
    if paper.author_names:
        shown = ", ".join(paper.author_names[:3])
        parts.append(shown + (f" +{len(paper.author_names) - 3}" if len(paper.author_names) > 3 else ""))
    elif paper.author_count:
        parts.append(f"{paper.author_count} author{'s' if paper.author_count != 1 else ''}")
    if paper.org:
        parts.append(paper.org)
    if paper.date:
        parts.append(paper.date.isoformat())
    if paper.upvotes is not None:
        parts.append(f"▲{paper.upvotes}")
    return " · ".join(parts)


def _highlighted(text: str, spans: list[tuple[int, int]], style: str = "bold yellow") -> Text:
    rich_text = Text(text)
    for start, end in spans:
        rich_text.stylize(style, start, end)
    return rich_text


def print_results(results: SearchResults, state: StateStore) -> None:
    if not results.hits:
        hint = f" — did you mean: {results.suggestion}?" if results.suggestion else ""
        print(f"no papers match {results.query!r}{hint}", file=sys.stderr)
        return
    for hit in results.hits:
        paper, marks = hit.paper, state.get(hit.paper.id)
        line = Text(f"{hit.rank + 1:>3}. ")
        line.append("★ " if marks.starred else "")
        line.append_text(_highlighted(paper.title, results.title_spans(paper), "bold"))
        line.append(f"  [{paper.id}]", style="dim")
        _console.print(line)
        meta = _meta(paper)
        if marks.tags:
            meta += "  " + " ".join(f"#{tag}" for tag in marks.tags)
        if meta:
            _console.print(Text("     " + meta, style="dim"))
        text, spans = excerpt(paper.abstract, results.abstract_spans(paper), width=220)
        _console.print(Padding(_highlighted(text, spans), (0, 0, 0, 5)))
    shown = f"{results.offset + 1}-{results.offset + len(results.hits)}"
    suggestion = f" · did you mean: {results.suggestion}?" if results.suggestion else ""
    print(
        f"{shown} of {results.total} papers · sorted by {results.sort} · {results.elapsed_ms:.0f} ms{suggestion}",
        file=sys.stderr,
    )


def print_paper(paper: Paper, marks: Marks) -> None:
    _console.print(Text(("★ " if marks.starred else "") + paper.title, style="bold"))
    meta = _meta(paper)
    if meta:
        _console.print(Text(meta, style="dim"))
    _console.print(Text(f"id {paper.id} · {paper.primary_link}", style="dim"))
    if marks.tags:
        _console.print("tags: " + " ".join(f"#{tag}" for tag in marks.tags))
    _console.print()
    _console.print(Text(paper.abstract))
    if paper.links:
        _console.print()
        for number, link in enumerate(paper.links, start=1):
            _console.print(f"[{number}] {link}", markup=False)
    if marks.note:
        _console.print()
        _console.print(Text("note: " + marks.note, style="italic"))
    if paper.sources:
        _console.print(Text("sources: " + ", ".join(paper.sources), style="dim"))


def print_stats(stats: dict[str, Any]) -> None:
    print(
        f"{stats['papers']} papers · {stats['starred']} starred · {stats['tagged']} tagged · "
        f"{stats['read']} read · {stats['notes']} notes"
    )
    if stats["tags"]:
        print("tags: " + ", ".join(f"{name} ({count})" for name, count in stats["tags"].items()))
    print(f"index:      {stats['index']}")
    print(f"state file: {stats['state_file']}")
    print(f"data:       {stats['data_dir']}")


def build_summary(report: BuildReport, always: bool = False) -> None:
    """One line after an index (re)build, so scripts and logs see what happened."""
    print(
        f"papers: indexed {report.papers} papers from {report.records} records in {report.seconds:.1f} s",
        file=sys.stderr,
    )
    for problem in report.problems:
        print(f"papers: skipped {problem}", file=sys.stderr)


def mark_line(paper: Paper, marks: Marks) -> str:
    flags = ["★" if marks.starred else "☆", "read" if marks.read else "unread"]
    tags = " ".join(f"#{tag}" for tag in marks.tags)
    return f"{paper.id}  {' '.join(flags)}  {tags}  {paper.title[:70]}".rstrip()
