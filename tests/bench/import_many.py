"""Import N records as one file and as many small files (``papers import day-*.json``).

Many files share one index transaction, so they should cost about what one file costs.

    python tests/bench/import_many.py 9581 500
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.make_corpus import generate  # noqa: E402


def papers(home: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        env=dict(os.environ, PAPERS_HOME=str(home)),
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("records", type=int, nargs="?", default=9581)
    parser.add_argument("files", type=int, nargs="?", default=500)
    args = parser.parse_args()
    records = list(generate(args.records))
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        one = root / "one.jsonl"
        one.write_text("".join(json.dumps(record) + "\n" for record in records))
        many = []
        per_file = -(-len(records) // args.files)
        for number in range(args.files):
            chunk = records[number * per_file : (number + 1) * per_file]
            if chunk:
                path = root / f"day-{number:04d}.json"
                path.write_text(json.dumps(chunk))
                many.append(str(path))
        timings = {}
        for name, files in (("one file", [str(one)]), (f"{len(many)} files", many)):
            home = root / name.replace(" ", "-")
            papers(home, "stats")  # the bundled index is built first, outside the timing
            timings[name] = papers(home, "import", *files)
        for name, seconds in timings.items():
            print(f"{args.records:,} records as {name:>10}: {seconds:6.1f} s ({args.records / seconds:,.0f} records/s)")


if __name__ == "__main__":
    main()
