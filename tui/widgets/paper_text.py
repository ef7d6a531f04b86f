"""One paper as rich ``Text`` for the viewer: title, meta, tags, note, abstract, links.

Pure functions (no widgets), so tests and the links picker share them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from index import Marks, Paper, SearchResults, safe_url, terminal_safe


def paper_links(paper: Paper) -> list[str]:
    """The paper's links: primary (canonical page or title search) first, its PDF when it
    has an arXiv id, then the links in its abstract; without repeats."""
    links = [paper.primary_link]
    if paper.arxiv_id:
        links.append(f"https://arxiv.org/pdf/{paper.arxiv_id}")
    links.extend(link for link in paper.links if link not in links)
    return links


def citation(paper: Paper) -> str:
    """A Markdown citation ``[Title](url)``; brackets in the title are escaped."""
    title = paper.title.replace("[", r"\[").replace("]", r"\]")
    return f"[{title}]({paper.primary_link})"


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
    # Every third-party string goes through terminal_safe (index.safe_text): one control
    # character becomes one visible character, so highlight spans still line up.
    # The title links to the paper's page (OSC 8, in terminals that show hyperlinks).
    page = safe_url(paper.primary_link)
    title = Text(terminal_safe(paper.title), style=styles.title + Style(link=page) if page else styles.title)
    abstract = Text(terminal_safe(paper.abstract, multiline=True) or "(no abstract)")
    if results is not None:
        for start, end in results.title_spans(paper):
            title.stylize(styles.match, start, end)
        for start, end in results.abstract_spans(paper):
            abstract.stylize(styles.match, start, end)
    text.append_text(title)
    text.append("\n")
    meta = [terminal_safe(paper.byline() or "authors unknown")]
    if paper.date:
        meta.append(paper.date.isoformat())  # the same form as the result list
    if paper.upvotes is not None:
        meta.append(f"▲ {paper.upvotes} upvote" + ("s" if paper.upvotes != 1 else ""))
    meta.append("read" if marks.read else "unread")
    text.append(" · ".join(meta), styles.meta)
    if paper.sources:
        text.append("\nfrom " + terminal_safe(", ".join(paper.sources)), styles.meta)
    if marks.starred or marks.tags:
        text.append("\n")
        if marks.starred:
            text.append("★ starred  ", styles.tag)
        text.append(terminal_safe(" ".join(f"#{tag}" for tag in marks.tags)), styles.tag)
    if marks.note:
        text.append("\n\nNote", styles.heading)
        if marks.note_updated_at:
            text.append(f"  (edited {terminal_safe(marks.note_updated_at[:10])})", styles.meta)
        text.append("\n")
        text.append(terminal_safe(marks.note, multiline=True), styles.note)
    text.append("\n\n")
    text.append_text(abstract)
    text.append("\n\nLinks", styles.heading)
    for number, link in enumerate(paper_links(paper), start=1):
        text.append(f"\n[{number}] ", styles.link_number)
        # An OSC 8 hyperlink only for a clean http(s) URL; anything else is plain text.
        url = safe_url(link)
        text.append(terminal_safe(link), Style(link=url) if url else None)
    return text
