"""What ``F`` in the reader and ``papers view list`` share with the command line: fetching
today's papers (with arXiv ids for papers still lacking one) and a view's counts."""

from __future__ import annotations

from datetime import date

from index import (
    FetchClient,
    FetchProgress,
    IndexStore,
    Library,
    Locations,
    StateStore,
    arxiv_units,
    enrich,
    feed_settings,
    fetch,
    hf_units,
    papers_to_enrich,
    plural,
)

ENRICH_PER_FETCH = 100
"""Papers ``F`` looks up per press (the rest on the next, or with ``papers enrich``)."""


def fetch_today(locs: Locations, state: StateStore, progress: FetchProgress) -> tuple[str, list[str]]:
    """Fetch today's Hugging Face papers and configured arXiv categories, then look up
    arXiv ids; returns a one-line summary and one line per failure."""
    settings = feed_settings(locs.config_file)
    today = date.today()
    units = hf_units([today]) + arxiv_units(list(settings.arxiv_categories), [today])
    store = IndexStore(locs)
    with FetchClient.from_settings(settings) as client:
        report = fetch(locs, store, settings, units, client, marks=state, progress=progress)
        failures = [*settings.problems, *(f"{r.unit.label}: {r.error}" for r in report.failed)]
        found = 0
        candidates = papers_to_enrich(store)[:ENRICH_PER_FETCH]
        if candidates:
            looked_up = enrich(locs, store, settings, client, candidates, progress)
            failures += looked_up.failed[:3]
            found = looked_up.matched
    parts = [f"{plural(report.added, 'new paper')}, {report.merged} updated"]
    if found:
        parts.append(f"arXiv ids found for {plural(found, 'paper')}")
    return "; ".join(parts), failures


def view_counts(library: Library, query: str) -> dict[str, int]:
    """How many papers a view holds, how many of them are unread, and how many are new."""
    counts = {}
    for key, extra in (("total", ""), ("unread", " is:unread"), ("new", " is:new")):
        try:
            counts[key] = library.search(f"({query}){extra}", limit=1).total
        except Exception:  # a view saved before the query language changed: no count
            counts[key] = 0
    return counts
