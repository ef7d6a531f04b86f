"""The 1M-paper benchmark: ``make bench-1m`` (not part of ``make bench``: ~2.5 hours here,
almost all of it the import at ~110-130 papers/s).

    python tests/bench/million.py [--papers 1000000] [--compare-with 100000] [--workdir DIR]
    python tests/bench/million.py --home DIR    # searches and the reader only, on a library

Generates the corpus (``make_corpus.py``), imports it through ``papers import`` as a
user would (peak memory measured, compared with a 100k import to show it is flat in N),
then times searches with postings cold and cached (``run.py``'s query mix) and the
reader's first paint and keystrokes (``reader.py``). Writes ``tests/bench/results-1m.md``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_corpus import write_corpus  # noqa: E402
from queries import KINDS  # noqa: E402
from run import bench_import, bench_queries, bench_reader, machine, p50_p95  # noqa: E402

COMPARED_WITH = 100_000
"""A smaller import (default) whose peak memory the big one's is compared with."""


def say(message: str) -> None:
    print(f"bench-1m: {message}", file=sys.stderr, flush=True)


def import_rows(papers: int, compared_with: int, folder: Path) -> list[str]:
    """Generate and import both sizes; the import row. Libraries stay in ``folder``."""
    imports = {}
    for count in (compared_with, papers):
        started = time.perf_counter()
        corpus = write_corpus(count, folder / f"corpus-{count}.jsonl")
        say(f"{count:,} papers generated in {time.perf_counter() - started:.0f} s; importing (papers import)…")
        imports[count] = bench_import(corpus, folder / f"home-{count}", count)
        say(f"{count:,} imported: {imports[count]['rate']:.0f} papers/s, peak {imports[count]['peak_mib']:.0f} MiB")
        corpus.unlink()
    small, big = imports[compared_with], imports[papers]
    return [
        f"| import | **{big['rate']:.0f} papers/s**, {big['seconds'] / 60:.0f} min | peak {big['peak_mib']:.0f} MiB at "
        f"{papers:,} vs {small['peak_mib']:.0f} MiB at {compared_with:,} (×{big['peak_mib'] / small['peak_mib']:.2f}"
        f" for ×{papers // compared_with} the papers) |"
    ]


def search_rows(home: Path, repeats: int) -> list[str]:
    """Searches (cold, cached, raw Whoosh for one word) and the reader on an imported library."""
    rows = []
    say("timing searches…")
    # Raw Whoosh for one-word queries only: its phrases and pairs take up to a minute each here.
    cached, cold, raw, cold_open = bench_queries(home, repeats, raw_kinds=("1-term",))
    rows.append(f"| open + first query | {cold_open * 1000:.0f} ms | |")
    for kind in KINDS:
        cached_p50, cached_p95 = p50_p95(cached[kind])
        cold_p50, cold_p95 = p50_p95(cold[kind])
        raw_cell = "raw Whoosh {:.1f} / {:.1f} ms".format(*p50_p95(raw[kind])) if kind in raw else "raw Whoosh not run"
        rows.append(
            f"| {kind} p50 / p95 | **{cached_p50:.1f} / {cached_p95:.1f} ms** cached | cold {cold_p50:.1f} / "
            f"{cold_p95:.1f} ms; {raw_cell} |"
        )
    speedup = p50_p95(raw["1-term"])[1] / max(p50_p95(cached["1-term"])[1], 1e-3)
    rows.append(f"| 1-term p95, raw Whoosh ÷ ours (cached) | **{speedup:.0f}×** | |")
    say("timing the reader…")
    reader = bench_reader(home)
    if reader:
        rows.append(f"| reader first paint | **{reader['first_paint_ms']:.0f} ms** | |")
        rows.append(
            f"| keystroke → final ranking painted p50 / p95 | **{reader['keystroke_p50_ms']:.0f} / "
            f"{reader['keystroke_p95_ms']:.0f} ms** | |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=1_000_000)
    parser.add_argument("--compare-with", type=int, default=COMPARED_WITH, help="the smaller import for memory")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--workdir", type=Path, help="where the corpus and library go (default: a temporary folder)")
    parser.add_argument("--output", type=Path, default=HERE / "results-1m.md")
    parser.add_argument("--home", type=Path, help="time searches on this imported library (no generating, importing)")
    args = parser.parse_args()
    if args.home:
        rows = search_rows(args.home, args.repeats)
        command = f"--home {args.home}"
    else:
        with tempfile.TemporaryDirectory(dir=args.workdir) as scratch:
            rows = import_rows(args.papers, args.compare_with, Path(scratch))
            rows += search_rows(Path(scratch) / f"home-{args.papers}", args.repeats)
        command = f"--papers {args.papers} --compare-with {args.compare_with}"
    header = [
        f"Machine: {machine()}. Run: `python tests/bench/million.py {command}` on {time.strftime('%Y-%m-%d')}.",
        "",
        f"| {args.papers:,} papers | ours | notes |",
        "| --- | --- | --- |",
    ]
    text = "\n".join(header + rows) + "\n"
    print(text)
    args.output.write_text(text)
    say(f"written to {args.output}")


if __name__ == "__main__":
    main()
