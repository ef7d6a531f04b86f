"""Cost of one mark change: lock, re-read, apply, temp file + fsync, .bak, replace.

    python tests/bench/marks.py [--marks 1000] [--changes 300]

Prefills a state file with ``--marks`` marked papers (a heavy user), then times
``--changes`` single changes the way the reader makes them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from index.state.store import StateStore  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marks", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = StateStore(Path(folder) / "state.json")
        store.merge_marks({f"{n:010x}": {"starred": True, "tags": ["rl", f"t{n % 50}"]} for n in range(args.marks)})
        timings = []
        for n in range(args.changes):
            started = time.perf_counter()
            store.toggle_star(f"{n % args.marks:010x}")
            timings.append((time.perf_counter() - started) * 1000)
        size = (Path(folder) / "state.json").stat().st_size
    timings.sort()
    print(
        f"one mark change with {args.marks} marked papers ({size / 1024:.0f} KiB file): "
        f"p50 {statistics.median(timings):.2f} ms, p95 {timings[int(0.95 * len(timings))]:.2f} ms"
    )


if __name__ == "__main__":
    main()
