"""papers engine: reading paper dumps, the Whoosh index and queries, the user's state.

The layers (see ``docs/architecture.md``), each a sub-package, depend one way::

    sources  ->  store  ->  search          state (apart)
    (files)     (Whoosh)   (queries)        (the user's marks)

with the paper model, locations, exports, imports and the terminal-safety boundary
beside them. This module is the engine's public API: ``tui/`` imports from here only
(``tests/test_layers.py`` and ``make lint`` enforce both rules). Names load on first
use, so ``papers --version`` does not import Whoosh.

The engine is UI-free on purpose: it never imports ``textual``, ``rich`` or ``tui``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Loaded now (it is small): the function ``locations`` shares its module's name, and a
# later ``import index.locations`` anywhere would otherwise leave the module in its place.
from index.locations import Locations, locations  # noqa: E402

if TYPE_CHECKING:
    from index.excerpts import Span, excerpt, match_window
    from index.export import FORMATS, export_papers
    from index.feeds.enrich import enrich, papers_to_enrich
    from index.feeds.fetching import FetchProgress, FetchReport, arxiv_units, days, fetch, hf_units
    from index.feeds.http import Client as FetchClient
    from index.feeds.http import FetchError
    from index.feeds.settings import FeedSettings, feed_settings
    from index.importing import FileImport, import_files
    from index.paper import Paper
    from index.safe_text import json_safe, plural, safe_url, terminal_safe
    from index.search.language import QUERY_SYNTAX, SORTS, Sort
    from index.search.library import (
        AmbiguousId,
        Hit,
        IndexDamaged,
        Library,
        QueryError,
        SearchCancelled,
        SearchResults,
    )
    from index.state.marks import EMPTY, Marks, normalize_tag
    from index.state.sessions import begin_reader_session, last_reader_start
    from index.state.store import ReadOnlyState, StateError, StateStore
    from index.store.generations import BuildReport, IndexBusy, IndexStore, Progress

_PUBLIC: dict[str, str | tuple[str, str]] = {
    "enrich": "index.feeds.enrich",
    "papers_to_enrich": "index.feeds.enrich",
    "FetchProgress": "index.feeds.fetching",
    "FetchReport": "index.feeds.fetching",
    "arxiv_units": "index.feeds.fetching",
    "days": "index.feeds.fetching",
    "fetch": "index.feeds.fetching",
    "hf_units": "index.feeds.fetching",
    "FetchClient": ("index.feeds.http", "Client"),
    "FetchError": "index.feeds.http",
    "FeedSettings": "index.feeds.settings",
    "feed_settings": "index.feeds.settings",
    "begin_reader_session": "index.state.sessions",
    "last_reader_start": "index.state.sessions",
    "FORMATS": "index.export",
    "export_papers": "index.export",
    "FileImport": "index.importing",
    "import_files": "index.importing",
    "Paper": "index.paper",
    "json_safe": "index.safe_text",
    "plural": "index.safe_text",
    "safe_url": "index.safe_text",
    "terminal_safe": "index.safe_text",
    "Span": "index.excerpts",
    "excerpt": "index.excerpts",
    "match_window": "index.excerpts",
    "SORTS": "index.search.language",
    "AmbiguousId": "index.search.library",
    "Hit": "index.search.library",
    "IndexDamaged": "index.search.library",
    "Library": "index.search.library",
    "QueryError": "index.search.library",
    "SearchCancelled": "index.search.library",
    "SearchResults": "index.search.library",
    "Sort": "index.search.language",
    "QUERY_SYNTAX": "index.search.language",
    "EMPTY": "index.state.marks",
    "Marks": "index.state.marks",
    "normalize_tag": "index.state.marks",
    "ReadOnlyState": "index.state.store",
    "StateError": "index.state.store",
    "StateStore": "index.state.store",
    "BuildReport": "index.store.generations",
    "IndexBusy": "index.store.generations",
    "IndexStore": "index.store.generations",
    "Progress": "index.store.generations",
}

__all__ = [
    "__version__",
    "Locations",
    "locations",
    "enrich",
    "papers_to_enrich",
    "FetchProgress",
    "FetchReport",
    "arxiv_units",
    "days",
    "fetch",
    "hf_units",
    "FetchClient",
    "FetchError",
    "FeedSettings",
    "feed_settings",
    "begin_reader_session",
    "last_reader_start",
    "FORMATS",
    "export_papers",
    "FileImport",
    "import_files",
    "Paper",
    "json_safe",
    "plural",
    "safe_url",
    "terminal_safe",
    "Span",
    "excerpt",
    "match_window",
    "SORTS",
    "AmbiguousId",
    "Hit",
    "IndexDamaged",
    "Library",
    "QueryError",
    "SearchCancelled",
    "SearchResults",
    "Sort",
    "QUERY_SYNTAX",
    "EMPTY",
    "Marks",
    "normalize_tag",
    "ReadOnlyState",
    "StateError",
    "StateStore",
    "BuildReport",
    "IndexBusy",
    "IndexStore",
    "Progress",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its module the first time it is asked for (PEP 562)."""
    where = _PUBLIC.get(name)
    if where is None:
        raise AttributeError(f"module 'index' has no attribute {name!r}")
    module, attribute = where if isinstance(where, tuple) else (where, name)
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value
