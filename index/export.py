"""Exports of a list of papers: BibTeX for reference managers, a Markdown reading list,
JSON that ``papers import`` reads back (marks included on request), and CSV for spreadsheets.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from index.excerpts import excerpt
from index.paper import Paper
from index.safe_text import json_safe, spreadsheet_safe, terminal_safe
from index.state.marks import Marks

FORMATS = ("bibtex", "markdown", "json", "csv")
CSV_COLUMNS = ("id", "title", "date", "authors", "org", "upvotes", "url", "starred", "tags", "note", "abstract")
EXCERPT_LENGTH = 200
"""Characters of abstract shown under each paper of the Markdown reading list."""

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Words that make a poor citation key ("on2024the"); the first other word names the paper.
_STOPWORDS = frozenset(
    "a an the and or of on in for to with from by at as is are via towards toward into over under"
    " do does can how what why when where which who your our we you its their this that these those".split()
)
_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_PATTERN = re.compile("|".join(re.escape(char) for char in _LATEX_SPECIALS))
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>|$])")  # "$" starts math on GitHub


def export_papers(papers: list[Paper], marks: Callable[[str], Marks], fmt: str, with_marks: bool = False) -> str:
    """The papers as text in ``fmt`` (one of :data:`FORMATS`), in the order given.

    ``marks`` looks up the user's marks of a paper id (``StateStore.get``). BibTeX,
    Markdown and CSV always show stars, tags and notes; JSON carries them only with
    ``with_marks`` (an export meant for sharing should not leak a private note).
    """
    # Exports are read in terminals (``papers export | less``) and text editors: control
    # characters from third-party text are shown, not sent. JSON escapes them instead,
    # so it stays exactly the data.
    if fmt == "bibtex":
        return terminal_safe(to_bibtex(papers, marks), multiline=True)
    if fmt == "markdown":
        return terminal_safe(to_markdown(papers, marks), multiline=True)
    if fmt == "json":
        return to_json(papers, marks, with_marks)
    if fmt == "csv":
        return terminal_safe(to_csv(papers, marks), multiline=True)
    raise ValueError(f"unknown export format {fmt!r} (choose one of {', '.join(FORMATS)})")


# -- BibTeX --------------------------------------------------------------------------


def to_bibtex(papers: list[Paper], marks: Callable[[str], Marks]) -> str:
    """One ``@article`` (arXiv papers) or ``@misc`` entry per paper, with unique stable keys."""
    keys = citation_keys(papers)
    return "\n".join(_bibtex_entry(paper, key, marks(paper.id)) for paper, key in zip(papers, keys, strict=True))


def citation_keys(papers: list[Paper]) -> list[str]:
    """``surname``/org/``anon`` + year/``nd`` + first significant title word, unique in the list.

    Papers sharing a key get ``a``, ``b``, ... in the order of their ids, so a paper's
    key depends only on which papers are exported, not on the order they are listed in.
    """
    bases = [_base_key(paper) for paper in papers]
    keys = list(bases)
    taken = set(bases)
    groups: dict[str, list[int]] = {}
    for position, base in enumerate(bases):
        groups.setdefault(base, []).append(position)
    for base, positions in groups.items():
        if len(positions) == 1:
            continue
        suffixes = _suffixes()
        for position in sorted(positions, key=lambda p: (papers[p].id, p)):
            key = base + next(suffixes)
            while key in taken:  # "smith2024deep" + "a" might be another paper's plain key
                key = base + next(suffixes)
            taken.add(key)
            keys[position] = key
    return keys


def _suffixes():
    """a, b, ..., z, aa, ab, ... without end."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    width = 1
    while True:
        for number in range(len(letters) ** width):
            suffix = ""
            for _ in range(width):
                number, digit = divmod(number, len(letters))
                suffix = letters[digit] + suffix
            yield suffix
        width += 1


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _surname(name: str) -> str:
    name = name.strip()
    if "," in name:  # "Smith, Jane"
        return name.split(",", 1)[0]
    parts = name.split()
    return parts[-1] if parts else ""


def _base_key(paper: Paper) -> str:
    who = ""
    if paper.author_names:
        who = _ascii_word(_surname(paper.author_names[0]))
    if not who and paper.org:
        who = _ascii_word(paper.org)[:20]
    who = who or "anon"
    year = str(paper.year) if paper.year else "nd"
    word = ""
    for candidate in re.split(r"[\s\-:/]+", paper.title):
        candidate = _ascii_word(candidate)
        if candidate and candidate not in _STOPWORDS:
            word = candidate
            break
    return who + year + word


def latex_escape(text: str) -> str:
    """Text with LaTeX's special characters escaped (for any BibTeX field but URLs)."""
    return _LATEX_PATTERN.sub(lambda match: _LATEX_SPECIALS[match.group(0)], text)


def _bibtex_title(title: str) -> str:
    # Styles lower-case titles; braces keep acronyms and names like "BERT" or "GPT-4" as written.
    words = []
    for word in title.split(" "):
        escaped = latex_escape(word)
        words.append("{" + escaped + "}" if any(char.isupper() for char in word[1:]) else escaped)
    return " ".join(words)


def _bibtex_entry(paper: Paper, key: str, marks: Marks) -> str:
    fields: list[tuple[str, str]] = [("title", "{" + _bibtex_title(paper.title) + "}")]
    if paper.author_names:
        fields.append(("author", "{" + " and ".join(latex_escape(name) for name in paper.author_names) + "}"))
    if paper.org:
        fields.append(("organization", "{" + latex_escape(paper.org) + "}"))
    if paper.arxiv_id:
        arxiv = latex_escape(paper.arxiv_id)
        fields += [
            ("journal", "{arXiv preprint arXiv:" + arxiv + "}"),
            ("eprint", "{" + arxiv + "}"),
            ("archivePrefix", "{arXiv}"),
        ]
    if paper.date:
        fields += [("year", "{" + str(paper.date.year) + "}"), ("month", _MONTHS[paper.date.month - 1])]
    # URLs are verbatim in BibTeX (hyperref/url packages); escaping would break them.
    fields.append(("url", "{" + paper.primary_link.replace("{", "%7B").replace("}", "%7D") + "}"))
    if paper.abstract:
        fields.append(("abstract", "{" + latex_escape(paper.abstract) + "}"))
    note = _marks_note(marks)
    if note:
        fields.append(("note", "{" + latex_escape(note) + "}"))
    if marks.tags:
        fields.append(("keywords", "{" + latex_escape(", ".join(marks.tags)) + "}"))
    kind = "article" if paper.arxiv_id else "misc"
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def _marks_note(marks: Marks) -> str:
    parts = []
    if marks.tags:
        parts.append("Tags: " + ", ".join(marks.tags))
    if marks.starred:
        parts.append("starred")
    if marks.note:
        # A blank line inside a BibTeX field is a paragraph break (\\par), which breaks some styles.
        parts.append(" ".join(marks.note.split()))
    return "; ".join(parts)


# -- Markdown ------------------------------------------------------------------------


def to_markdown(papers: list[Paper], marks: Callable[[str], Marks]) -> str:
    """A reading list with a checkbox per paper (ticked when read), ready to paste into notes."""
    today = datetime.now(timezone.utc).date().isoformat()
    count = f"{len(papers)} paper" + ("" if len(papers) == 1 else "s")
    lines = ["# Reading list", "", f"{count}, exported {today}.", ""]
    for paper in papers:
        lines += _markdown_item(paper, marks(paper.id))
    return "\n".join(lines).rstrip("\n") + "\n"


def _markdown_escape(text: str) -> str:
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def _markdown_url(url: str) -> str:
    # A bare ")" or space would end the link target early.
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _who(paper: Paper) -> str:
    # In a reading list the organisation that posted it says most; else the first author.
    return paper.org or paper.byline(max_names=1)


def _markdown_item(paper: Paper, marks: Marks) -> list[str]:
    box = "[x]" if marks.read else "[ ]"
    line = f"- {box} [{_markdown_escape(paper.title)}]({_markdown_url(paper.primary_link)})"
    details = [part for part in (_markdown_escape(_who(paper)), paper.date.isoformat() if paper.date else "") if part]
    if details:
        line += " — " + ", ".join(details)
    if marks.starred:
        line += " ★"
    if marks.tags:
        line += " " + " ".join(f"`#{tag}`" for tag in marks.tags)
    lines = [line]
    if paper.abstract:
        lines.append("  " + _markdown_escape(excerpt(paper.abstract, EXCERPT_LENGTH)))
    if marks.note:
        lines.append("")
        for note_line in marks.note.strip().splitlines():
            lines.append(("  > " + _markdown_escape(note_line)) if note_line.strip() else "  >")
    lines.append("")
    return lines


# -- JSON ----------------------------------------------------------------------------


def to_json(papers: list[Paper], marks: Callable[[str], Marks], with_marks: bool = False) -> str:
    """``{"exported_at", "count", "papers"}``, which ``papers import`` reads back (marks included)."""
    records: list[dict[str, Any]] = []
    for paper in papers:
        record = paper.to_dict()
        record["primary_link"] = paper.primary_link
        if with_marks:
            record["marks"] = marks(paper.id).to_dict()
        records.append(record)
    document = {
        "exported_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "count": len(records),
        "papers": records,
    }
    return json_safe(document, indent=1) + "\n"


# -- CSV -----------------------------------------------------------------------------


def to_csv(papers: list[Paper], marks: Callable[[str], Marks]) -> str:
    """One row per paper under :data:`CSV_COLUMNS`; lists are joined with ``"; "``; no cell can
    start a spreadsheet formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for paper in papers:
        mark = marks(paper.id)
        if paper.author_names:
            authors = "; ".join(paper.author_names)
        else:
            authors = f"{paper.author_count} authors" if paper.author_count else ""
        row: list[str | int] = [
            paper.id,
            paper.title,
            paper.date.isoformat() if paper.date else "",
            authors,
            paper.org or "",
            "" if paper.upvotes is None else paper.upvotes,
            paper.primary_link,
            "yes" if mark.starred else "",
            "; ".join(mark.tags),
            mark.note,
            paper.abstract,
        ]
        writer.writerow([spreadsheet_safe(cell) if isinstance(cell, str) else cell for cell in row])
    return buffer.getvalue()
