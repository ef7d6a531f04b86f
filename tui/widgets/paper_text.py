"""One paper as rich ``Text`` for the viewer: title, meta, tags, note, abstract, links.

Pure functions (no widgets), so tests and the links picker share them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from index.library import SearchResults
from index.marks import Marks
from index.paper import Paper

MAX_AUTHORS = 3


def paper_links(paper: Paper) -> list[str]:
    """The paper's links, primary (canonical page or title search) first, without repeats."""
    links = [paper.primary_link]
    links.extend(link for link in paper.links if link not in links)
    return links


def citation(paper: Paper) -> str:
    """A Markdown citation ``[Title](url)``; brackets in the title are escaped."""
    title = paper.title.replace("[", r"\[").replace("]", r"\]")
    return f"[{title}]({paper.primary_link})"


def byline(paper: Paper) -> str:
    """Who wrote it, as far as the sources say."""
    names = paper.author_names
    if names:
        shown = ", ".join(names[:MAX_AUTHORS])
        return shown + (f" et al. ({len(names)} authors)" if len(names) > MAX_AUTHORS else "")
    if paper.org:
        return paper.org
    if paper.author_count:
        return f"{paper.author_count} author" + ("s" if paper.author_count != 1 else "")
    return "authors unknown"


@dataclass(frozen=True)
class PaperStyles:
    title: Style = Style(bold=True)
    match: Style = Style(bold=True, underline=True)
    meta: Style = Style(dim=True)
    tag: Style = Style()
    note: Style = Style(italic=True)
    heading: Style = Style(bold=True)
    link_number: Style = Style(bold=True)


def paper_text(
    paper: Paper | None, marks: Marks, results: SearchResults | None, styles: PaperStyles = PaperStyles()
) -> Text:
    """Everything the viewer shows about ``paper``, query terms highlighted."""
    if paper is None:
        return Text("No paper here. Type to search; esc clears a filter.", style=styles.meta)
    text = Text()
    title = Text(paper.title, style=styles.title)
    abstract = Text(paper.abstract or "(no abstract)")
    if results is not None:
        for start, end in results.title_spans(paper):
            title.stylize(styles.match, start, end)
        for start, end in results.abstract_spans(paper):
            abstract.stylize(styles.match, start, end)
    text.append_text(title)
    text.append("\n")
    meta = [byline(paper)]
    if paper.date:
        meta.append(paper.date.strftime("%-d %b %Y"))
    if paper.upvotes is not None:
        meta.append(f"▲ {paper.upvotes} upvote" + ("s" if paper.upvotes != 1 else ""))
    meta.append("read" if marks.read else "unread")
    text.append(" · ".join(meta), styles.meta)
    if paper.sources:
        text.append("\nfrom " + ", ".join(paper.sources), styles.meta)
    if marks.starred or marks.tags:
        text.append("\n")
        if marks.starred:
            text.append("★ starred  ", styles.tag)
        text.append(" ".join(f"#{tag}" for tag in marks.tags), styles.tag)
    if marks.note:
        text.append("\n\nNote", styles.heading)
        if marks.note_updated_at:
            text.append(f"  (edited {marks.note_updated_at[:10]})", styles.meta)
        text.append("\n")
        text.append(marks.note, styles.note)
    text.append("\n\n")
    text.append_text(abstract)
    text.append("\n\nLinks", styles.heading)
    for number, link in enumerate(paper_links(paper), start=1):
        text.append(f"\n[{number}] ", styles.link_number)
        text.append(link, Style(link=link))
    return text
