"""The performance benchmark: ``make bench`` (not part of ``make test``).

    python tests/bench/run.py [--sizes 10000,100000] [--repeats 3]

For each size N, on a corpus generated from the bundled one (``make_corpus.py``):
import rate through ``papers import`` (ours) against naive single-writer Whoosh, peak
memory, and query latency p50/p95 per query kind for ours (the ``index/`` API), raw
Whoosh (the same query object on a warm searcher), naive Whoosh (fresh searcher and
default parser per query) and SQLite FTS5. The reader's first paint and keystroke to
painted results come from ``reader.py`` when it can run. Prints a Markdown table and
writes it to ``tests/bench/results.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import fts5  # noqa: E402
from make_corpus import write_corpus  # noqa: E402
from queries import KINDS  # noqa: E402

PYTHON = sys.executable


def p50_p95(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def measured_run(args: list[str], env: dict) -> tuple[float, int, subprocess.CompletedProcess]:
    """Run a command; return seconds, peak RSS (KiB) of it and its children, the result."""
    probe = (
        "import resource, subprocess, sys, json;"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "print(json.dumps([r.returncode, r.stdout, r.stderr, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))"
    )
    started = time.perf_counter()
    out = subprocess.run([PYTHON, "-c", probe, *args], capture_output=True, text=True, env=env, check=True)
    seconds = time.perf_counter() - started
    code, stdout, stderr, peak = json.loads(out.stdout)
    return seconds, peak, subprocess.CompletedProcess(args, code, stdout, stderr)


def bench_import(corpus: Path, home: Path, count: int) -> dict:
    env = dict(os.environ, PAPERS_HOME=str(home))
    papers = [PYTHON, "-m", "tui.cli"]
    subprocess.run([*papers, "stats"], env=env, check=True, capture_output=True, cwd=ROOT)  # bundled index first
    seconds, peak, result = measured_run([*papers, "import", str(corpus)], env)
    if result.returncode != 0:
        raise SystemExit(f"import failed: {result.stderr}")
    return {"seconds": seconds, "rate": count / seconds, "peak_mib": peak / 1024}


def bench_naive_import(corpus: Path, folder: Path) -> dict:
    seconds, peak, result = measured_run(
        [PYTHON, str(HERE / "naive.py"), "index", str(corpus), str(folder)], dict(os.environ)
    )
    stats = json.loads(result.stdout)
    return {"seconds": seconds, "rate": stats["papers"] / stats["seconds"], "peak_mib": peak / 1024}


def bench_queries(home: Path, repeats: int, raw_kinds: tuple[str, ...] | None = None) -> tuple[dict, dict, dict, float]:
    """Ours with postings cold and cached, raw Whoosh (for ``raw_kinds``, default all:
    at 1M papers one raw phrase takes a minute); and the cold open + first query."""
    from index.locations import locations
    from index.search.library import Library
    from index.search.query import cap_prefixes, resolve_marks
    from index.state.store import StateStore

    locs = locations(home)
    started = time.perf_counter()
    library = Library.open(locs, marks=StateStore(locs.state_file))
    library.search("learning")
    cold_open = time.perf_counter() - started
    cold: dict[str, list[float]] = {}
    cached: dict[str, list[float]] = {}
    raw: dict[str, list[float]] = {}
    searcher = library._searcher()
    for kind, texts in KINDS.items():
        typing = kind == "prefix-as-you-type"
        for _ in range(repeats):
            for text in texts:
                # Cold: no postings read yet (as for a word nobody searched since start-up).
                library.clear_cache(postings=True)
                t = time.perf_counter()
                library.search(text, limit=50, typing=typing)
                cold.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
                # Cached postings, a first-time search all the same (results not cached).
                library.clear_cache()
                t = time.perf_counter()
                library.search(text, limit=50, typing=typing)
                cached.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
                if raw_kinds is not None and kind not in raw_kinds:
                    continue
                q = resolve_marks(
                    cap_prefixes(library.parse(text, typing=typing).query, searcher.reader()), library.marks
                )
                t = time.perf_counter()
                results = searcher.search(q, limit=50)
                _ = [hit["data"] for hit in results]
                len(results)
                raw.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
    library.close()
    return cached, cold, raw, cold_open


def bench_naive_queries(folder: Path, repeats: int) -> dict:
    out = subprocess.run(
        [PYTHON, str(HERE / "naive.py"), "query", str(folder), str(repeats)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def bench_fts5(corpus: Path, folder: Path, repeats: int) -> tuple[dict, float]:
    started = time.perf_counter()
    connection = fts5.build(corpus, folder / "fts.db")
    build_seconds = time.perf_counter() - started
    timings: dict[str, list[float]] = {}
    for kind, texts in KINDS.items():
        for _ in range(repeats):
            for text in texts:
                timings.setdefault(kind, []).append(fts5.timed_query(connection, text, kind == "prefix-as-you-type"))
    return timings, build_seconds


def bench_reader(home: Path) -> dict | None:
    script = HERE / "reader.py"
    if not script.exists():
        return None
    env = dict(os.environ, PAPERS_HOME=str(home))
    out = subprocess.run([PYTHON, str(script)], capture_output=True, text=True, env=env, cwd=ROOT)
    if out.returncode != 0:
        print(f"reader benchmark failed: {out.stderr[-400:]}", file=sys.stderr)
        return None
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"reader at {home}: {json.dumps(figures)}", file=sys.stderr)  # the breakdown, for the notes
    return figures


def run_size(count: int, repeats: int) -> list[str]:
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        corpus = write_corpus(count, folder / f"corpus-{count}.jsonl")
        ours_import = bench_import(corpus, folder / "home", count)
        naive_import = bench_naive_import(corpus, folder / "naive")
        rows.append(
            f"| {count:,} | import papers/s | **{ours_import['rate']:.0f}** (peak {ours_import['peak_mib']:.0f} MiB)"
            f" | — | — | {naive_import['rate']:.0f} (peak {naive_import['peak_mib']:.0f} MiB) | see build |"
        )
        cached, cold, raw, cold_open = bench_queries(folder / "home", repeats)
        naive = bench_naive_queries(folder / "naive", repeats)
        fts, fts_build = bench_fts5(corpus, folder, repeats)
        fts_rate = f"build {count / fts_build:.0f}/s"
        rows.append(f"| {count:,} | open + first query | {cold_open * 1000:.0f} ms | — | — | — | {fts_rate} |")
        for kind in KINDS:
            cells = []
            for timings in (cached, cold, raw, naive, fts):
                p50, p95 = p50_p95(timings[kind])
                cells.append(f"{p50:.1f} / {p95:.1f}")
            cells[0] = f"**{cells[0]}**"
            rows.append(f"| {count:,} | {kind} p50 / p95 ms | " + " | ".join(cells) + " |")
        speedup = p50_p95(raw["1-term"])[1] / max(p50_p95(cached["1-term"])[1], 1e-3)
        rows.append(f"| {count:,} | 1-term p95, raw Whoosh ÷ ours (cached) | **{speedup:.0f}×** | — | — | — | — |")
        reader = bench_reader(folder / "home")
        if reader:
            rows.append(f"| {count:,} | reader first paint | **{reader['first_paint_ms']:.0f} ms** | — | — | — | — |")
            rows.append(
                f"| {count:,} | keystroke → first rows painted p50 / p95 | **{reader['first_rows_p50_ms']:.0f} / "
                f"{reader['first_rows_p95_ms']:.0f} ms** | — | — | — | — |"
            )
            rows.append(
                f"| {count:,} | keystroke → final ranking painted p50 / p95 | **{reader['keystroke_p50_ms']:.0f} / "
                f"{reader['keystroke_p95_ms']:.0f} ms** | — | — | — | — |"
            )
    return rows


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, Python {platform.python_version()}, {platform.system()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="papers performance benchmark")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", type=Path, default=HERE / "results.md")
    args = parser.parse_args()
    header = [
        f"Machine: {machine()}. Run: `python tests/bench/run.py --sizes {args.sizes}` on {time.strftime('%Y-%m-%d')}.",
        "",
        "| papers | measure | ours, postings cached | ours, postings cold | raw Whoosh, same query | naive Whoosh "
        "| SQLite FTS5 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    rows: list[str] = []
    for size in (int(s) for s in args.sizes.split(",")):
        rows += run_size(size, args.repeats)
        print("\n".join(header + rows), flush=True)
    args.output.write_text("\n".join(header + rows) + "\n")
    print(f"\nwritten to {args.output}")


if __name__ == "__main__":
    main()
