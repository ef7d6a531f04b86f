"""Read JSON / JSONL paper records in the shapes researchers actually have.

- Hugging Face daily-papers API records: ``{"paper": {"id", "title", "summary",
  "authors": [{"name"}], "publishedAt", "upvotes"}, ...}`` (or the inner object alone);
- arXiv metadata snapshot lines: ``{"id", "title", "abstract", "authors",
  "update_date", "versions", "authors_parsed", ...}``;
- our own export (``papers export --format json``): ``{"papers": [paper dicts]}``
  or a list of them, optionally with a ``marks`` object per paper.

A file is a JSON array, a single object, or JSON Lines. Each bad record is reported with
its line (JSONL) or position (array) and the others still import.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator

from index.paper import Paper
from index.parsed import ParsedFile, Problem


class NotJson(ValueError):
    """The whole file is not JSON of any shape we read."""


def looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("[", "{")


def parse_json(text: str, source: str, path: str | None = None) -> ParsedFile:
    """Parse a JSON or JSONL file into papers; bad records become problems."""
    path = path or source
    parsed = ParsedFile(source, "json")
    for line, record in _records(text, path, parsed):
        try:
            paper, marks = record_to_paper(record, source)
        except (KeyError, TypeError, ValueError) as error:
            parsed.problems.append(Problem(path, f"record skipped: {error}", line))
            continue
        if marks:
            parsed.marks[paper.id] = marks
        parsed.papers.append(paper)
    return parsed


def _records(text: str, path: str, parsed: ParsedFile) -> list[tuple[int | None, Any]]:
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as whole_error:
        return _json_lines(text, path, parsed, whole_error)
    if isinstance(whole, dict) and isinstance(whole.get("papers"), list):
        whole = whole["papers"]
    if isinstance(whole, list):
        # A record's position is all we can name inside one JSON document.
        return [(None, item) for item in whole]
    return [(1, whole)]


def _json_lines(
    text: str, path: str, parsed: ParsedFile, whole_error: json.JSONDecodeError
) -> list[tuple[int | None, Any]]:
    records: list[tuple[int | None, Any]] = []
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            records.append((number, json.loads(line)))
        except json.JSONDecodeError as error:
            if number == 1 and len([x for x in lines if x.strip()]) == 1:
                raise NotJson(f"line {whole_error.lineno} column {whole_error.colno}: {whole_error.msg}") from None
            parsed.problems.append(Problem(path, f"malformed JSON ({error.msg}, column {error.colno})", number))
    if not records:
        raise NotJson(f"line {whole_error.lineno} column {whole_error.colno}: {whole_error.msg}")
    return records


def is_json_lines(path: Path) -> bool:
    """Whether ``path`` starts with a complete JSON object on its first line (JSONL)."""
    with path.open("rb") as handle:
        first = handle.readline(1 << 20).strip()
    try:
        return isinstance(json.loads(first.decode("utf-8-sig")), dict)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False


class JsonLinesStream:
    """The papers of a JSONL file, read line by line each time it is iterated.

    Memory stays flat however large the file is (an arXiv snapshot is gigabytes), and
    the index writers can take two passes over it. Problems and marks are collected
    into ``parsed`` afresh on every pass.
    """

    def __init__(self, path: Path, parsed: ParsedFile):
        self.path = path
        self.parsed = parsed

    def __iter__(self) -> Iterator[Paper]:
        parsed, where = self.parsed, str(self.path)
        parsed.problems.clear()
        parsed.marks.clear()
        with self.path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                try:
                    record = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
                except UnicodeDecodeError:
                    parsed.problems.append(Problem(where, "not UTF-8 text", number))
                    continue
                except json.JSONDecodeError as error:
                    parsed.problems.append(
                        Problem(where, f"malformed JSON ({error.msg}, column {error.colno})", number)
                    )
                    continue
                try:
                    paper, marks = record_to_paper(record, parsed.source)
                except (KeyError, TypeError, ValueError) as error:
                    parsed.problems.append(Problem(where, f"record skipped: {error}", number))
                    continue
                if marks:
                    parsed.marks[paper.id] = marks
                yield paper


def stream_json_lines(path: Path, source: str) -> ParsedFile:
    """A ParsedFile whose ``papers`` streams from ``path`` (see :class:`JsonLinesStream`)."""
    parsed = ParsedFile(source, "jsonl")
    parsed.stream = JsonLinesStream(path, parsed)
    return parsed


def record_to_paper(record: Any, source: str) -> tuple[Paper, dict[str, Any]]:
    """One record of any supported shape as a paper, plus its exported marks (if any)."""
    if not isinstance(record, dict):
        raise TypeError(f"expected an object, got {type(record).__name__}")
    if isinstance(record.get("paper"), dict):
        return _huggingface(record["paper"], record, source), {}
    if "summary" in record and "abstract" not in record:
        return _huggingface(record, record, source), {}
    if "update_date" in record or "authors_parsed" in record or "versions" in record:
        return _arxiv(record, source), {}
    if "title" in record and "abstract" in record:
        return _exported(record, source)
    raise ValueError("not a Hugging Face, arXiv or papers export record (no title/abstract)")


def _title(record: dict[str, Any]) -> str:
    title = record.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ValueError("record has no title")
    return title


def _huggingface(paper: dict[str, Any], outer: dict[str, Any], source: str) -> Paper:
    names = [a["name"] for a in paper.get("authors") or [] if isinstance(a, dict) and a.get("name")]
    paper_id = paper.get("id")
    org = paper.get("organization") or outer.get("organization")
    return Paper.new(
        _title(paper),
        abstract=paper.get("summary") or "",
        author_names=names,
        author_count=len(names) or None,
        org=(org.get("fullname") or org.get("name")) if isinstance(org, dict) else None,
        date=_parse_date(paper.get("publishedAt") or outer.get("publishedAt")),
        upvotes=_int_or_none(paper.get("upvotes", outer.get("upvotes"))),
        url=f"https://huggingface.co/papers/{paper_id}" if paper_id else None,
        arxiv_id=str(paper_id) if paper_id else None,
        sources=[source],
    )


def _arxiv(record: dict[str, Any], source: str) -> Paper:
    names = _arxiv_authors(record)
    arxiv_id = record.get("id")
    versions = record.get("versions") or []
    first = versions[0].get("created") if versions and isinstance(versions[0], dict) else None
    return Paper.new(
        _title(record),
        abstract=record.get("abstract") or "",
        author_names=names,
        author_count=len(names) or None,
        date=_parse_date(first) or _parse_date(record.get("update_date")),
        url=f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None,
        arxiv_id=str(arxiv_id) if arxiv_id else None,
        sources=[source],
    )


def _arxiv_authors(record: dict[str, Any]) -> list[str]:
    parsed = record.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        # authors_parsed rows are [last, first, suffix].
        return [" ".join(part for part in (row[1], row[0], *row[2:]) if part).strip() for row in parsed if row]
    authors = record.get("authors")
    if isinstance(authors, list):
        return [str(a) for a in authors]
    if isinstance(authors, str) and authors.strip():
        flat = " ".join(authors.split()).replace(" and ", ", ")
        return [name.strip() for name in flat.split(",") if name.strip()]
    return []


def _exported(record: dict[str, Any], source: str) -> tuple[Paper, dict[str, Any]]:
    fields = {
        key: record.get(key)
        for key in ("author_count", "org", "upvotes", "url", "arxiv_id")
        if record.get(key) is not None
    }
    # Our own export says where the paper came from and which links it has (some were
    # not in the abstract); keep them so an export round-trips exactly.
    links = record.get("links")
    paper = Paper.new(
        _title(record),
        abstract=record.get("abstract") or "",
        author_names=list(record.get("author_names") or []),
        date=_parse_date(record.get("date")),
        sources=[str(s) for s in record.get("sources") or []] or [source],
        links=[str(link) for link in links] if isinstance(links, list) else None,
        **fields,
    )
    marks = record.get("marks")
    return paper, marks if isinstance(marks, dict) else {}


def _int_or_none(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _parse_date(value: Any) -> date | None:
    """ISO dates and datetimes, and arXiv's RFC 2822 version stamps."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return datetime.strptime(value, "%a, %d %b %Y %H:%M:%S %Z").date()
    except ValueError:
        raise ValueError(f"unreadable date {value!r}") from None
