"""``papers fetch``: a day of Hugging Face daily papers, or of new arXiv submissions in a
category, at a time — each saved raw, all imported in one transaction.

A *unit* is one request series that gives one saved file: a day of daily papers (paged
with ``limit``/``p``), or a category's submissions on one day (paged with
``start``/``max_results``, three seconds apart, as arXiv asks). A unit that fails is
reported in one line and the others are still kept; a day already fetched (and over)
is skipped unless ``refresh``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from index.feeds.http import Client, FetchError
from index.feeds.log import FetchLog
from index.feeds.settings import FeedSettings
from index.importing import FileImport, MarksMerger, import_files
from index.locations import Locations
from index.sources.atom import parse_atom
from index.store.generations import IndexStore

HF_PAGE = 100
"""Records per daily-papers request (the API's maximum)."""
HF_MAX_PAGES = 20
ARXIV_PAGE = 200
ARXIV_MAX = 30_000
"""arXiv serves at most this many results of one query."""
ARXIV_PAUSE = 3.0
"""Seconds between arXiv requests, as its API terms ask."""

FetchProgress = Callable[[str, int, int], None]
"""``progress(what, done, total)``: what is being fetched, and how far along."""


@dataclass
class Unit:
    """One day of one feed."""

    feed: str
    """``hf`` or ``arxiv``."""
    day: date
    category: str = ""

    @property
    def label(self) -> str:
        return f"arXiv {self.category} {self.day}" if self.feed == "arxiv" else f"Hugging Face {self.day}"

    @property
    def log_keys(self) -> tuple[str, ...]:
        return ("arxiv", self.category, self.day.isoformat()) if self.feed == "arxiv" else ("hf", self.day.isoformat())

    @property
    def file_name(self) -> str:
        if self.feed == "arxiv":
            return f"arxiv-{self.category}-{self.day}.xml"
        return f"hf-daily-{self.day}.json"


@dataclass
class UnitResult:
    unit: Unit
    outcome: str
    """``fetched``, ``skipped`` (fetched before) or ``failed``."""
    error: str = ""
    records: int = 0


@dataclass
class FetchReport:
    units: list[UnitResult] = field(default_factory=list)
    imports: list[FileImport] = field(default_factory=list)

    @property
    def failed(self) -> list[UnitResult]:
        return [result for result in self.units if result.outcome == "failed"]

    @property
    def added(self) -> int:
        return sum(outcome.added for outcome in self.imports)

    @property
    def merged(self) -> int:
        return sum(outcome.merged for outcome in self.imports)


def days(start: date, end: date) -> list[date]:
    """Every day from ``start`` to ``end``, inclusive, oldest first."""
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def hf_units(dates: list[date]) -> list[Unit]:
    return [Unit("hf", day) for day in dates]


def arxiv_units(categories: list[str], dates: list[date]) -> list[Unit]:
    return [Unit("arxiv", day, category) for category in categories for day in dates]


def fetch(
    locs: Locations,
    store: IndexStore,
    settings: FeedSettings,
    units: list[Unit],
    client: Client,
    refresh: bool = False,
    marks: MarksMerger | None = None,
    progress: FetchProgress | None = None,
    today: date | None = None,
) -> FetchReport:
    """Fetch ``units`` (skipping days fetched before unless ``refresh``), then import what
    came in one transaction."""
    today = today or date.today()
    log = FetchLog(locs.data_dir)
    report = FetchReport()
    folder = Path(tempfile.mkdtemp(prefix="papers-fetch-"))
    try:
        files: list[Path] = []
        done_units: list[Unit] = []
        for number, unit in enumerate(units, start=1):
            if progress:
                progress(f"Fetching {unit.label}", number - 1, len(units))
            if not refresh and unit.day < today and log.has(*unit.log_keys):
                report.units.append(UnitResult(unit, "skipped"))
                continue
            try:
                body, records = _fetch_unit(unit, settings, client)
            except FetchError as error:
                report.units.append(UnitResult(unit, "failed", str(error)))
                continue
            path = folder / unit.file_name
            path.write_bytes(body)
            files.append(path)
            done_units.append(unit)
            report.units.append(UnitResult(unit, "fetched", records=records))
        if progress:
            progress("Fetched", len(units), len(units))
        if files:
            report.imports = import_files(
                locs,
                store,
                files,
                marks=marks,
                progress=(lambda d, t: progress("Importing", d, t)) if progress else None,
            )
        # A day is over once it is before today: its page will not change any more.
        log.record([unit.log_keys for unit in done_units if unit.day < today])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return report


def _fetch_unit(unit: Unit, settings: FeedSettings, client: Client) -> tuple[bytes, int]:
    if unit.feed == "arxiv":
        return _arxiv_day(unit, settings.arxiv_api, client, settings.arxiv_pause)
    return _hf_day(unit, settings.hf_api, client)


def _hf_day(unit: Unit, base: str, client: Client) -> tuple[bytes, int]:
    records: list[object] = []
    for page in range(HF_MAX_PAGES):
        url = f"{base}/daily_papers"
        body = client.get(url, {"date": unit.day.isoformat(), "limit": HF_PAGE, "p": page})
        try:
            data = json.loads(body)
        except ValueError:
            raise FetchError(f"{url}?date={unit.day}: not valid JSON (truncated?)") from None
        if not isinstance(data, list):
            raise FetchError(f"{url}?date={unit.day}: expected a list of papers, got {type(data).__name__}")
        records += data
        if len(data) < HF_PAGE:
            break
    # Saved as the API gave the records (all pages in one array): `papers import` reads it.
    return json.dumps(records, ensure_ascii=False).encode("utf-8"), len(records)


def _arxiv_day(unit: Unit, base: str, client: Client, pause: float = ARXIV_PAUSE) -> tuple[bytes, int]:
    day = unit.day.strftime("%Y%m%d")
    query = f"cat:{unit.category} AND submittedDate:[{day}0000 TO {day}2359]"
    pages: list[bytes] = []
    count = 0
    for start in _offsets():
        if start:
            client.sleep(pause)
        params: dict[str, str | int] = {
            "search_query": query,
            "start": start,
            "max_results": ARXIV_PAGE,
            "sortBy": "submittedDate",
            "sortOrder": "descending",
        }
        body = client.get(base, params, expect="xml")
        parsed = parse_atom(body, unit.file_name)
        if parsed.problems and not parsed.papers:
            raise FetchError(f"{base} ({unit.category} {unit.day}): {parsed.problems[0].message}")
        pages.append(body)
        count += len(parsed.papers)
        # Trust the entries, not totalResults (arXiv has been known to misreport it).
        if len(parsed.papers) < ARXIV_PAGE:
            break
    return _one_feed(pages), count


def _offsets() -> Iterator[int]:
    yield from range(0, ARXIV_MAX, ARXIV_PAGE)


def _one_feed(pages: list[bytes]) -> bytes:
    """Pages of one query as one Atom feed (the entries of all, the head of the first)."""
    if len(pages) == 1:
        return pages[0]
    first = pages[0]
    end = first.rfind(b"</feed>")
    entries = []
    for page in pages[1:]:
        start, stop = page.find(b"<entry"), page.rfind(b"</feed>")
        if start >= 0 and stop > start:
            entries.append(page[start:stop])
    return first[:end] + b"".join(entries) + first[end:]
