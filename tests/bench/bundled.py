"""Engine figures on the bundled corpus: first-run index time and search latency.

    python tests/bench/bundled.py

Builds the index from scratch in a temporary PAPERS_HOME (what a user's first run
does), then times a fixed query mix through the ``index/`` API, typed and not.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from index.locations import locations  # noqa: E402
from index.search.library import Library  # noqa: E402

QUERIES = [
    "offline q-learning",
    "reinforcement learning",
    "kernel",
    "uncertainty quantification",
    '"policy optimization"',
    "title:diffusion",
    "reward model*",
    "date:2024",
    "upvotes:>=2",
    "(kernel OR quantile) AND regression",
    "contrastive",
    "llm reasoning",
    "reinf",
    "transformer attention",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        started = time.perf_counter()
        library = Library.open(locations(home))
        first_run = time.perf_counter() - started
        assert library.build_report is not None
        timings: dict[str, list[float]] = {"search": [], "typing": []}
        for _ in range(20):
            for query in QUERIES:
                for mode, typing in (("search", False), ("typing", True)):
                    library.clear_cache()  # first-time searches, not cache hits
                    t = time.perf_counter()
                    library.search(query, limit=50, typing=typing)
                    timings[mode].append((time.perf_counter() - t) * 1000)
        print(
            f"first-run index build: {first_run:.2f} s for {library.count()} papers "
            f"({library.build_report.records} records)"
        )
        for mode, values in timings.items():
            print(
                f"{mode:>7}: p50 {statistics.median(values):.1f} ms  p95 {percentile(values, 0.95):.1f} ms  "
                f"({len(values)} queries, limit 50)"
            )


if __name__ == "__main__":
    main()
