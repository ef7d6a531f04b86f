"""Read JSON / JSONL paper records in the shapes researchers actually have.

- Hugging Face daily-papers API records: ``{"paper": {"id", "title", "summary",
  "authors": [{"name"}], "publishedAt", "upvotes", "githubRepo", "projectPage"}, ...}``
  (or the inner object alone);
- arXiv metadata snapshot lines: ``{"id", "title", "abstract", "authors",
  "update_date", "versions", "authors_parsed", ...}``;
- our own export (``papers export --format json``): ``{"papers": [paper dicts]}``
  or a list of them, optionally with a ``marks`` object per paper.

A file is a JSON array, an object wrapping one (``{"papers": […]}``, ``{"data": […]}``),
a single record, or JSON Lines, told apart by content, never by name; gzip-compressed
files are read as such. One bad record never stops an import: a record with a wrong
type is repaired or skipped with one line naming the file and the record (its number
in an array, its line in JSON Lines), a truncated file yields the records before the
cut and one line saying where it ends.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from index.paper import Paper, find_links
from index.sources.parsed import ParsedFile, Problem

WRAPPER_KEYS = ("papers", "data")
"""Keys of an object that wraps the list of records (our export, some API dumps)."""
MAX_NUMBER_DIGITS = 30
"""Longer integers are not counts of anything; Python would refuse past 4,300 digits anyway."""
GZIP_MAGIC = b"\x1f\x8b"


class NotJson(ValueError):
    """The whole file is not JSON of any shape we read."""


class RecordError(ValueError):
    """One record cannot be used; the message says why."""


def _bounded_int(digits: str) -> int | float:
    # Called by the JSON parser for every integer: a 5,000-digit number would raise for
    # the whole file, so it becomes infinity and only its own field is dropped.
    return int(digits) if len(digits) <= MAX_NUMBER_DIGITS else math.inf


def _loads(text: str) -> Any:
    return json.loads(text, parse_int=_bounded_int)


def looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("[", "{")


def open_binary(path: Path) -> IO[bytes]:
    """``path`` opened for reading, decompressed on the fly when it is gzip (by content)."""
    handle = path.open("rb")
    if handle.read(2) == GZIP_MAGIC:
        handle.close()
        return gzip.GzipFile(path, "rb")  # type: ignore[return-value]
    handle.seek(0)
    return handle


# -- whole documents ---------------------------------------------------------------------


def parse_json(text: str, source: str, path: str | None = None) -> ParsedFile:
    """Parse a JSON document (or JSON Lines text) into papers; bad records become problems."""
    path = path or source
    parsed = ParsedFile(source, "json")
    for where, line, record in _records(text, path, parsed):
        _add_record(parsed, path, where, record, line)
    return parsed


Place = tuple[str, "int | None", Any]
"""(which record, its line when the file is JSON Lines, the record)."""


def _records(text: str, path: str, parsed: ParsedFile) -> Iterator[Place]:
    try:
        whole = _loads(text)
    except json.JSONDecodeError as error:
        if _looks_like_lines(text):
            yield from _json_lines_text(text, path, parsed)
            return
        yield from _salvage(text, path, parsed, f"line {error.lineno} column {error.colno}: {error.msg}")
        return
    except (RecursionError, ValueError):
        # One record nested thousands deep: read the records one by one instead.
        yield from _salvage(text, path, parsed, "nested too deeply")
        return
    records = _unwrap(whole)
    if records is None:
        yield "record", 1, whole
        return
    for number, record in enumerate(records, start=1):
        yield f"record {number}", None, record


def _unwrap(document: Any) -> list[Any] | None:
    """The list of records a document holds, or None for a single record."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in WRAPPER_KEYS:
            if isinstance(document.get(key), list):
                return document[key]
    return None


def _looks_like_lines(text: str) -> bool:
    lines = [line for line in text.split("\n", 3)[:3] if line.strip()]
    return len(lines) > 1 and all(line.lstrip().startswith("{") and line.rstrip().endswith("}") for line in lines[:1])


def _json_lines_text(text: str, path: str, parsed: ParsedFile) -> Iterator[Place]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = _loads(line)
        except json.JSONDecodeError as error:
            parsed.problems.append(Problem(path, f"malformed JSON ({error.msg}, column {error.colno})", number))
            continue
        except (RecursionError, ValueError):
            parsed.problems.append(Problem(path, "record skipped: nested too deeply", number))
            continue
        yield from _line_records(record, number)


def _line_records(record: Any, number: int) -> Iterator[Place]:
    inner = _unwrap(record) if isinstance(record, dict) else None
    if inner is None:
        yield "record", number, record
        return
    for position, item in enumerate(inner, start=1):  # a wrapper on one line: a minified export
        yield f"record {position}", number, item


def _salvage(text: str, path: str, parsed: ParsedFile, why: str) -> Iterator[Place]:
    """Records of an array that ``json.loads`` refused whole: each decoded on its own, so one
    bad or truncated record costs only itself (and a cut-off file one line)."""
    start = _array_start(text)
    if start is None:
        raise NotJson(why)
    number = 0
    for number, chunk in enumerate(_array_items(text, start), start=1):
        if chunk is None:
            parsed.problems.append(
                Problem(path, f"file ends inside record {number} (truncated?); the {number - 1} before it were read")
            )
            return
        try:
            yield f"record {number}", None, _loads(chunk)
        except RecursionError:
            parsed.problems.append(Problem(path, f"record {number} skipped: nested too deeply"))
        except ValueError as error:
            parsed.problems.append(Problem(path, f"record {number} skipped: malformed JSON ({error})"))


def _array_start(text: str) -> int | None:
    """Where the list of records opens: the document itself, or a wrapper's list."""
    stripped = len(text) - len(text.lstrip())
    if text[stripped : stripped + 1] == "[":
        return stripped + 1
    for key in WRAPPER_KEYS:
        at = text.find(f'"{key}"')
        if at >= 0:
            bracket = text.find("[", at)
            if bracket >= 0 and text[at + len(key) + 2 : bracket].strip() == ":":
                return bracket + 1
    return None


def _array_items(text: str, position: int) -> Iterator[str | None]:
    """The source text of each item of the array whose items start at ``position``; a final
    ``None`` if the text ends before the array closes. Linear, and never recursive."""
    depth, in_string, escaped, start = 0, False, False, None
    for index in range(position, len(text)):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
            if start is None:
                start = index
        elif char in "[{":
            depth += 1
            if start is None:
                start = index
        elif char in "]}":
            if depth == 0:  # the array itself closes
                if start is not None:
                    yield text[start:index]
                return
            depth -= 1
        elif char == "," and depth == 0:
            if start is not None:
                yield text[start:index]
            start = None
        elif start is None and not char.isspace():
            start = index
    yield None  # the text ended before the array closed


# -- JSON Lines, streamed ----------------------------------------------------------------


def is_json_lines(path: Path) -> bool:
    """Whether ``path`` starts with a complete JSON object on its first line (JSONL)."""
    with open_binary(path) as handle:
        first = handle.readline(1 << 20).strip()
    try:
        return isinstance(_loads(first.decode("utf-8-sig")), dict)
    except (UnicodeDecodeError, RecursionError, ValueError):
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
        with open_binary(self.path) as handle:
            try:
                for number, raw in enumerate(handle, start=1):
                    if not raw.strip():
                        continue
                    try:
                        record = _loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
                    except UnicodeDecodeError:
                        parsed.problems.append(Problem(where, "not UTF-8 text", number))
                        continue
                    except json.JSONDecodeError as error:
                        parsed.problems.append(
                            Problem(where, f"malformed JSON ({error.msg}, column {error.colno})", number)
                        )
                        continue
                    except (RecursionError, ValueError):
                        parsed.problems.append(Problem(where, "record skipped: nested too deeply", number))
                        continue
                    for place, line, item in _line_records(record, number):
                        paper = _add_record(parsed, where, place, item, line, keep=False)
                        if paper is not None:
                            yield paper
            except (OSError, EOFError) as error:  # a truncated or corrupt .gz
                parsed.problems.append(
                    Problem(where, f"file ends early or is damaged ({error}); read what came before")
                )


def stream_json_lines(path: Path, source: str) -> ParsedFile:
    """A ParsedFile whose ``papers`` streams from ``path`` (see :class:`JsonLinesStream`)."""
    parsed = ParsedFile(source, "jsonl")
    parsed.stream = JsonLinesStream(path, parsed)
    return parsed


# -- one record --------------------------------------------------------------------------


def _add_record(
    parsed: ParsedFile, path: str, where: str, record: Any, line: int | None = None, keep: bool = True
) -> Paper | None:
    """Turn one record into a paper (kept in ``parsed.papers`` when ``keep``), noting repairs."""
    repairs: list[str] = []
    try:
        paper, marks = record_to_paper(record, parsed.source, repairs)
    except (RecordError, KeyError, TypeError, ValueError, OverflowError, RecursionError) as error:
        parsed.problems.append(Problem(path, f"{where} skipped: {error}", line))
        return None
    if repairs:
        parsed.problems.append(Problem(path, f"{where} repaired: {'; '.join(repairs)} (the rest was imported)", line))
    if marks:
        parsed.marks[paper.id] = marks
    if keep:
        parsed.papers.append(paper)
    return paper


def record_to_paper(record: Any, source: str, repairs: list[str] | None = None) -> tuple[Paper, dict[str, Any]]:
    """One record of any supported shape as a paper, plus its exported marks (if any).

    Fields of the wrong type are repaired where the meaning is clear (``"12"`` upvotes)
    or dropped, each with a note in ``repairs``; a record without a title is refused.
    """
    fix = _Fixer(repairs if repairs is not None else [])
    if not isinstance(record, dict):
        raise RecordError(f"expected an object, got {_kind(record)}")
    if isinstance(record.get("paper"), dict):
        return _huggingface(record["paper"], record, source, fix), {}
    if "summary" in record and "abstract" not in record:
        return _huggingface(record, record, source, fix), {}
    if "update_date" in record or "authors_parsed" in record or "versions" in record:
        return _arxiv(record, source, fix), {}
    if "title" in record and "abstract" in record:
        return _exported(record, source, fix)
    raise RecordError("not a Hugging Face, arXiv or papers export record (no title/abstract)")


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _shown(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "a huge number"
    if isinstance(value, (list, dict)):
        return f"a {_kind(value)}"
    text = repr(value)
    return text if len(text) <= 30 else text[:29] + "…"


class _Fixer:
    """Reads fields leniently but never silently: what it drops or changes is noted."""

    def __init__(self, repairs: list[str]) -> None:
        self.repairs = repairs

    def title(self, record: dict[str, Any]) -> str:
        title = record.get("title")
        if not isinstance(title, str) or not title.strip():
            raise RecordError("record has no title" if title in (None, "") else f"title is {_shown(title)}, not text")
        return title

    def text(self, value: Any, name: str) -> str | None:
        if value is None or isinstance(value, str):
            return value or None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            self.repairs.append(f"{name} {_shown(value)} read as text")
            return str(value)
        self.repairs.append(f"{name} {_shown(value)} is not text; dropped")
        return None

    def count(self, value: Any, name: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**12:
            return value
        if isinstance(value, float) and math.isfinite(value) and value.is_integer() and 0 <= value < 10**12:
            return int(value)
        if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 12:
            return int(value.strip())  # "12": a count written as text
        self.repairs.append(f"{name} {_shown(value)} is not a count; dropped")
        return None

    def names(self, value: Any, name: str = "authors") -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            flat = " ".join(value.split()).replace(" and ", ", ")
            return [part.strip() for part in flat.split(",") if part.strip()]
        if not isinstance(value, list):
            self.repairs.append(f"{name} {_shown(value)} is not a list; dropped")
            return []
        names, dropped = [], 0
        for item in value:
            if isinstance(item, dict) and item.get("hidden") is True:
                continue  # Hugging Face marks an author hidden who asked not to be shown
            if isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"].strip():
                names.append(item["name"].strip())
            elif isinstance(item, str) and item.strip():
                names.append(item.strip())
            elif not (isinstance(item, dict) and item.get("name") in (None, "")):
                dropped += 1
        if dropped:
            self.repairs.append(f"{dropped} {name} entr{'y' if dropped == 1 else 'ies'} without a name dropped")
        return names

    def day(self, value: Any, name: str = "date") -> date | None:
        if value is None or value == "":
            return None
        try:
            return _parse_date(value)
        except ValueError as error:
            self.repairs.append(f"{name}: {error}; dropped")
            return None

    def link(self, value: Any, name: str) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, str) and value.strip().startswith(("http://", "https://")):
            return value.strip()
        self.repairs.append(f"{name} {_shown(value)} is not a web link; dropped")
        return None


def _huggingface(paper: dict[str, Any], outer: dict[str, Any], source: str, fix: _Fixer) -> Paper:
    names = fix.names(paper.get("authors"))
    paper_id = fix.text(paper.get("id"), "id")
    org = paper.get("organization") or outer.get("organization")
    org_name = None
    if isinstance(org, dict):
        org_name = fix.text(org.get("fullname") or org.get("name"), "organization")
    elif org is not None:
        org_name = fix.text(org, "organization")
    abstract = fix.text(paper.get("summary"), "summary") or ""
    links = [
        link
        for link in (fix.link(paper.get("githubRepo"), "githubRepo"), fix.link(paper.get("projectPage"), "projectPage"))
        if link
    ]
    return Paper.new(
        fix.title(paper),
        abstract=abstract,
        author_names=names,
        author_count=len(names) or None,
        org=org_name,
        date=fix.day(paper.get("publishedAt") or outer.get("publishedAt"), "publishedAt"),
        upvotes=fix.count(paper.get("upvotes", outer.get("upvotes")), "upvotes"),
        url=f"https://huggingface.co/papers/{paper_id}" if paper_id else None,
        arxiv_id=paper_id,
        links=_merge_links(links, abstract),
        sources=[source],
    )


def _merge_links(extra: Iterable[str], abstract: str) -> list[str]:
    links = list(extra)
    links.extend(link for link in find_links(abstract) if link not in links)
    return links


def _arxiv(record: dict[str, Any], source: str, fix: _Fixer) -> Paper:
    names = _arxiv_authors(record, fix)
    arxiv_id = fix.text(record.get("id"), "id")
    versions = record.get("versions") or []
    first = (
        versions[0].get("created")
        if isinstance(versions, list) and versions and isinstance(versions[0], dict)
        else None
    )
    return Paper.new(
        fix.title(record),
        abstract=fix.text(record.get("abstract"), "abstract") or "",
        author_names=names,
        author_count=len(names) or None,
        date=fix.day(first, "versions") or fix.day(record.get("update_date"), "update_date"),
        url=f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None,
        arxiv_id=arxiv_id,
        sources=[source],
    )


def _arxiv_authors(record: dict[str, Any], fix: _Fixer) -> list[str]:
    parsed = record.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        # authors_parsed rows are [last, first, suffix].
        rows = [row for row in parsed if isinstance(row, list) and all(isinstance(part, str) for part in row)]
        if len(rows) == len(parsed):
            return [" ".join(part for part in (row[1:2] + row[:1] + row[2:]) if part).strip() for row in rows if row]
    return fix.names(record.get("authors"))


def _exported(record: dict[str, Any], source: str, fix: _Fixer) -> tuple[Paper, dict[str, Any]]:
    abstract = fix.text(record.get("abstract"), "abstract") or ""
    # Our own export says where the paper came from and which links it has (some were
    # not in the abstract); keep them so an export round-trips exactly.
    links = record.get("links")
    sources = record.get("sources")
    paper = Paper.new(
        fix.title(record),
        abstract=abstract,
        author_names=fix.names(record.get("author_names"), "author_names"),
        author_count=fix.count(record.get("author_count"), "author_count"),
        org=fix.text(record.get("org"), "org"),
        upvotes=fix.count(record.get("upvotes"), "upvotes"),
        url=fix.link(record.get("url"), "url"),
        arxiv_id=fix.text(record.get("arxiv_id"), "arxiv_id"),
        date=fix.day(record.get("date")),
        sources=[s for s in sources if isinstance(s, str)] or [source] if isinstance(sources, list) else [source],
        links=[link for link in links if isinstance(link, str)] if isinstance(links, list) else None,
    )
    marks = record.get("marks")
    return paper, marks if isinstance(marks, dict) else {}


def _parse_date(value: Any) -> date | None:
    """ISO dates and datetimes, and arXiv's RFC 2822 version stamps."""
    if not isinstance(value, str):
        raise ValueError(f"{_shown(value)} is not a date")
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return datetime.strptime(value, "%a, %d %b %Y %H:%M:%S %Z").date()
    except ValueError:
        raise ValueError(f"unreadable date {value[:40]!r}") from None
