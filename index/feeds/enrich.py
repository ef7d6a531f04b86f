"""``papers enrich``: arXiv ids, links, authors and dates for papers that have none.

Most bundled papers come from page dumps with a title and an abstract only. For each
paper without an arXiv id, the Hugging Face papers search (``GET {base}/papers/search
?q=TITLE``, what ``huggingface_hub``'s ``list_papers`` calls) is asked, and only a
result whose title is the same once normalised (case, accents, punctuation) is taken —
never a guess. The matches are saved as a source file and imported, so they merge into
their papers (same title) and survive any rebuild. Titles the search did not know are
remembered and not asked again unless ``refresh``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from index.feeds.fetching import FetchProgress
from index.feeds.http import Client, FetchError
from index.feeds.log import FetchLog
from index.feeds.settings import FeedSettings
from index.importing import FileImport, import_files
from index.locations import Locations
from index.paper import Paper, title_key
from index.store.generations import IndexStore

SEARCH_LIMIT = 10


@dataclass
class EnrichReport:
    asked: int = 0
    matched: int = 0
    unknown: int = 0
    failed: list[str] = field(default_factory=list)
    imports: list[FileImport] = field(default_factory=list)


def papers_to_enrich(store: IndexStore, refresh: bool = False) -> list[Paper]:
    """Papers without an arXiv id (and, unless ``refresh``, not already looked up in vain)."""
    log = FetchLog(store.locs.data_dir).read().get("enrich", {})
    return [
        paper for paper in store.iter_papers() if not paper.arxiv_id and (refresh or title_key(paper.title) not in log)
    ]


def enrich(
    locs: Locations,
    store: IndexStore,
    settings: FeedSettings,
    client: Client,
    papers: list[Paper],
    progress: FetchProgress | None = None,
) -> EnrichReport:
    report = EnrichReport()
    matched: list[object] = []
    unknown: list[tuple[str, ...]] = []
    url = f"{settings.hf_api}/papers/search"
    for number, paper in enumerate(papers):
        if progress:
            progress("Looking up titles", number, len(papers))
        if number:
            client.sleep(settings.hf_pause)
        report.asked += 1
        try:
            body = client.get(url, {"q": paper.title[:250], "limit": SEARCH_LIMIT})
            items = json.loads(body)
        except FetchError as error:
            report.failed.append(str(error))
            continue
        except ValueError:
            report.failed.append(f"{url}?q=…: not valid JSON (truncated?)")
            continue
        found = _same_title(paper, items if isinstance(items, list) else [])
        if found is None:
            report.unknown += 1
            unknown.append(("enrich", title_key(paper.title)))
        else:
            report.matched += 1
            matched.append(found)
    if progress:
        progress("Looked up titles", len(papers), len(papers))
    if matched:
        folder = Path(tempfile.mkdtemp(prefix="papers-enrich-"))
        try:
            path = folder / f"hf-enrich-{date.today()}.json"
            path.write_text(json.dumps(matched, ensure_ascii=False), encoding="utf-8")
            report.imports = import_files(locs, store, [path])
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    FetchLog(locs.data_dir).record(unknown)
    return report


def _same_title(paper: Paper, items: list[object]) -> object | None:
    wanted = title_key(paper.title)
    for item in items:
        if not isinstance(item, dict):
            continue
        inner = item.get("paper") if isinstance(item.get("paper"), dict) else item
        if isinstance(inner, dict) and isinstance(inner.get("title"), str) and inner.get("id"):
            if title_key(inner["title"]) == wanted:
                return item
    return None
