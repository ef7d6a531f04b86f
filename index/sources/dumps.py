"""Read text dumps of Hugging Face "Daily Papers" pages, in their two layouts.

*search* layout (the page's search results, copied as text)::

    Get trending papers in your email inbox once a day!
    Get trending papers in your email inbox!
    SubscribeFirst Title            <- "Subscribe" is glued to the first title
    First abstract
    Second Title
    ...

*daily* layout (a day's page): blank-line separated paragraphs; a header that ends
with the page date (``Nov 12``), then per paper a title, an abstract and usually a meta
paragraph::

      • 4 authors                   <- or an organisation: "tencent Tencent"
    ·
    Oct 13 2                        <- date, optionally followed by the upvote count

Dates rule: the site omits the year for dates in the year the page was made, so a
yearless page date takes the year after the newest explicit year in the dump (the
smallest year consistent with the page), or the current year when the dump has none.
A yearless paper date takes the page's year, or the year before when that would put it
after the page date, and it is never later than today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from index.paper import Paper
from index.sources.parsed import ParsedFile, Problem

MONTHS = {
    name: number for number, name in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), start=1)
}
_DATE_LINE = re.compile(r"^(?P<mon>[A-Z][a-z]{2}) (?P<day>\d{1,2})(?:, (?P<year>\d{4}))?(?: (?P<votes>\d+))?$")
_AUTHORS_LINE = re.compile(r"^\s*•\s*(?P<count>\d+) authors?$")
_SEARCH_HEADER = "Get trending papers"
_DAILY_HEADER = {"new", "Get trending papers in your email inbox!", "Subscribe", "Daily Papers"}


class UnknownLayout(ValueError):
    """The text is neither dump layout."""


def detect_layout(text: str) -> str | None:
    """``"search"``, ``"daily"`` or ``None``, decided by content, not by file name."""
    head = [line.strip() for line in text.splitlines()[:12]]
    if "Daily Papers" in head and "" in head:
        return "daily"
    body = [line for line in head if not line.startswith(_SEARCH_HEADER)]
    if head and head[0].startswith(_SEARCH_HEADER) and body and body[0].startswith("Subscribe"):
        return "search"
    return None


def parse_dump(text: str, source: str, path: str | None = None, today: date | None = None) -> ParsedFile:
    """Parse a dump of either layout; raises :class:`UnknownLayout` for anything else."""
    layout = detect_layout(text)
    if layout == "search":
        return _parse_search(text, source, path or source)
    if layout == "daily":
        return _parse_daily(text, source, path or source, today or date.today())
    raise UnknownLayout("not a Hugging Face Daily Papers dump (search or daily layout) nor JSON")


def _parse_search(text: str, source: str, path: str) -> ParsedFile:
    parsed = ParsedFile(source, "search")
    lines = text.split("\n")
    start = 0
    while start < len(lines) and lines[start].startswith(_SEARCH_HEADER):
        start += 1
    lines[start] = lines[start].removeprefix("Subscribe")
    while lines and not lines[-1].strip():
        lines.pop()
    number = start
    while number < len(lines):
        title = lines[number].strip()
        abstract = lines[number + 1].strip() if number + 1 < len(lines) else ""
        if not title:
            parsed.problems.append(Problem(path, "blank line where a title was expected", number + 1))
            number += 1
            continue
        if not abstract:
            what = "title with no abstract (file truncated?)"
            parsed.problems.append(Problem(path, f"{what}: {title[:60]!r}", number + 1))
        else:
            parsed.papers.append(Paper.new(title, abstract=abstract, sources=[source]))
        number += 2
    return parsed


@dataclass
class _Paragraph:
    text: str
    line: int


def _paragraphs(text: str) -> list[_Paragraph]:
    paragraphs: list[_Paragraph] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                first = number
            current.append(line)
        elif current:
            paragraphs.append(_Paragraph("\n".join(current), first))
            current = []
    if current:
        paragraphs.append(_Paragraph("\n".join(current), first))
    return paragraphs


def _is_meta(paragraph: str) -> bool:
    lines = [line.strip() for line in paragraph.split("\n")]
    return len(lines) == 3 and lines[1] == "·" and bool(_DATE_LINE.match(lines[2]))


def _page_year(paragraphs: list[_Paragraph], today: date) -> int:
    years = [
        int(match["year"])
        for paragraph in paragraphs
        for line in paragraph.text.split("\n")
        if (match := _DATE_LINE.match(line.strip())) and match["year"]
    ]
    return min(max(years) + 1, today.year) if years else today.year


def _resolve_date(match: re.Match[str], page: date | None, today: date) -> date:
    month, day = MONTHS[match["mon"]], int(match["day"])
    if match["year"]:
        return date(int(match["year"]), month, day)
    limit = min(page, today) if page else today
    year = limit.year
    if (month, day) > (limit.month, limit.day):
        year -= 1
    return _safe_date(year, month, day)


def _safe_date(year: int, month: int, day: int) -> date:
    # Feb 29 taken into a non-leap year by the rules above falls back to Feb 28.
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, day - 1)


def _parse_daily(text: str, source: str, path: str, today: date) -> ParsedFile:
    parsed = ParsedFile(source, "daily")
    paragraphs = _paragraphs(text)
    page: date | None = None
    body = 0
    # The header ends with the page date; everything before it is site chrome.
    for index, paragraph in enumerate(paragraphs[:10]):
        match = _DATE_LINE.match(paragraph.text.strip())
        if match:
            page_year = int(match["year"]) if match["year"] else _page_year(paragraphs, today)
            page = _safe_date(page_year, MONTHS[match["mon"]], int(match["day"]))
            body = index + 1
            break
        if paragraph.text.strip() not in _DAILY_HEADER and not paragraph.text.startswith("by"):
            body = index
            break
    index = body
    while index < len(paragraphs):
        title = paragraphs[index]
        if _is_meta(title.text):
            parsed.problems.append(Problem(path, "author/date block with no paper before it", title.line))
            index += 1
            continue
        if index + 1 >= len(paragraphs) or _is_meta(paragraphs[index + 1].text):
            what = "title with no abstract (file truncated?)"
            parsed.problems.append(Problem(path, f"{what}: {title.text[:60]!r}", title.line))
            index += 2 if index + 1 < len(paragraphs) else 1
            continue
        abstract = paragraphs[index + 1]
        fields: dict[str, object] = {}
        index += 2
        if index < len(paragraphs) and _is_meta(paragraphs[index].text):
            fields = _meta_fields(paragraphs[index].text, page, today)
            index += 1
        parsed.papers.append(Paper.new(title.text, abstract=abstract.text, sources=[source], **fields))
    return parsed


def _meta_fields(paragraph: str, page: date | None, today: date) -> dict[str, object]:
    who, _, when = (line.strip() for line in paragraph.split("\n"))
    fields: dict[str, object] = {}
    authors = _AUTHORS_LINE.match(who)
    if authors:
        fields["author_count"] = int(authors["count"])
    else:
        # An organisation line is "<handle> <display name>": keep the display name.
        handle, _, name = who.partition(" ")
        fields["org"] = name.strip() or handle
    match = _DATE_LINE.match(when)
    assert match is not None  # _is_meta checked it
    fields["date"] = _resolve_date(match, page, today)
    if match["votes"]:
        fields["upvotes"] = int(match["votes"])
    return fields
