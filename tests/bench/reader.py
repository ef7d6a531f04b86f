"""The reader's own latency, headless: first paint and keystroke to painted results.

    PAPERS_HOME=/path/to/built/home python tests/bench/reader.py

- first paint: from process start (this script re-execs itself, passing the parent's
  clock, so Python start-up and imports count) to the first frame that shows rows of
  the first search's results.
- keystroke: "/" focuses the search box, then queries are typed one key at a time; each
  key is timed from just before it is pressed to the first frame that shows the final
  (complete) results of the search that key started. The next key waits for that.
  The library's search cache is emptied before every timed key, so each one is a
  first-time search. Keys whose query fails (old results stay) are counted, not timed.
- ``PAPERS_BENCH_PROFILE=file`` also profiles the UI thread while keys are typed.
- burst: a whole query sent at once (as a fast typist or a paste over SSH delivers it),
  timed to the frame showing the final query's results.

"A frame" is the moment Textual hands a screen update to the terminal: ``App._display``
after it has built the escape codes (built here too although the headless driver
drops them), for an update in which ``ResultList.render_line`` drew those rows.
Progress goes to stderr; the last line of stdout is JSON (``run.py`` reads it):
``first_paint_ms``, ``keystroke_p50_ms``, ``keystroke_p95_ms``, and to see where time goes:
``first_rows_*`` (key to the first frame with any of its rows, a best-so-far included),
``to_search_*`` (key to the search starting), ``engine_*`` (search start to results
posted), ``to_frame_*`` (results posted to the frame), ``burst_ms``, and for start-up
``imports_ms``, ``open_ms`` (to the first search asked for), ``first_search_ms``.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

STARTED_ENV = "PAPERS_BENCH_STARTED"
"""Set by the parent to its ``time.time()`` just before starting the measured child."""
WAIT_SECONDS = 60.0
"""Give up when nothing is painted for this long after a key (or after start)."""
TOTAL_SECONDS = 1800.0
"""The parent kills a child that runs longer than this."""
SIZE = (120, 40)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from queries import ONE_TERM, TWO_TERMS, TYPED  # noqa: E402

# Taken first thing in the child, to turn perf_counter() stamps into wall-clock times.
WALL_OFFSET = time.time() - time.perf_counter()


def typed_queries() -> list[str]:
    """What gets typed key by key: the words behind ``TYPED``'s prefixes, single words, a few pairs."""
    # "rei", "rein", … "reinforc": the last prefix of each run is the word being typed.
    words = [prefix for i, prefix in enumerate(TYPED) if not TYPED[i + 1 :] or not TYPED[i + 1].startswith(prefix)]
    return words + ONE_TERM + TWO_TERMS[:3]


BURSTS = ["reinforcement learning", "diffusion", "language models", "kernel methods", "uncertainty"]


PROFILE_ENV = "PAPERS_BENCH_PROFILE"
"""A file name: profile the UI thread (cProfile) while keys are typed, into that file."""


def _ui_profiler():
    if not os.environ.get(PROFILE_ENV):
        return None
    import cProfile

    profile = cProfile.Profile()
    profile.enable()
    return profile


def p50_p95(values: list[float]) -> tuple[float, float]:
    """Median and 95th percentile the way ``run.py`` computes them (0, 0 when empty)."""
    if not values:
        return 0.0, 0.0
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def say(message: str) -> None:
    """Progress for the person running it (stdout is kept for the JSON line)."""
    print(f"reader bench: {message}", file=sys.stderr, flush=True)


class Recorder:
    """What the hooks saw, by search generation, in ``time.perf_counter()`` seconds."""

    def __init__(self) -> None:
        self.drawn: dict[int, object] = {}
        """Generation -> RowSource drawn by ``render_line`` since the last frame."""
        self.shown: dict[int, float] = {}
        """First frame with rows of this search (a best-so-far counts)."""
        self.final: dict[int, float] = {}
        """First frame with the complete results of this search."""
        self.rows: dict[int, int] = {}
        self.queries: dict[int, str] = {}
        self.started: dict[int, float] = {}
        """When ``search()`` asked for it (the key has been handled by then)."""
        self.done: dict[int, float] = {}
        """When the engine posted its results (the UI thread has not seen them yet)."""
        self.failed: set[int] = set()
        self.frame = asyncio.Event()
        """Set on every frame and every posted search outcome: waiters re-check then."""

    def settled(self, generation: int) -> Callable[[], bool]:
        """Whether search ``generation`` has its complete results painted, or failed."""
        return lambda: generation in self.final or generation in self.failed

    async def wait(self, ready: Callable[[], bool], what: str) -> None:
        """Wait (without polling) until ``ready()``; exit with a message after WAIT_SECONDS."""
        deadline = time.perf_counter() + WAIT_SECONDS
        while not ready():
            self.frame.clear()
            try:
                await asyncio.wait_for(self.frame.wait(), max(0.0, deadline - time.perf_counter()))
            except asyncio.TimeoutError:
                if not ready():
                    raise SystemExit(f"reader bench: nothing painted for {what} in {WAIT_SECONDS:.0f} s") from None


def install_hooks(rec: Recorder) -> None:
    """Wrap the app's classes (before the app starts) so that frames and searches are stamped."""
    from textual.app import App

    from tui.screens.main import MainScreen
    from tui.screens.searching import SearchingScreen
    from tui.widgets.result_list import ResultList

    loop = asyncio.get_running_loop()
    render_line = ResultList.render_line
    display = App._display
    search = MainScreen.search
    post_message = MainScreen.post_message

    def drawing_render_line(self, y):
        if self.source.generation >= 1:
            rec.drawn[self.source.generation] = self.source
        return render_line(self, y)

    def stamping_display(self, screen, renderable):
        display(self, screen, renderable)
        if renderable is None or self._batch_count:
            return  # nothing went out: what was drawn goes with the next frame
        if self.is_headless and hasattr(renderable, "render_segments"):
            renderable.render_segments(self.console)  # the escape codes a real terminal would be sent
        now = time.perf_counter()
        for generation, source in rec.drawn.items():
            rec.shown.setdefault(generation, now)
            if source.results is None or source.results.complete:
                rec.final.setdefault(generation, now)
            rec.rows[generation] = source.total
            rec.queries[generation] = source.results.query if source.results is not None else ""
        rec.drawn.clear()
        rec.frame.set()

    def stamping_search(self, keep_paper=None):
        search(self, keep_paper)
        rec.started[self._latest] = time.perf_counter()

    def stamping_post_message(self, message):
        # Called from the search worker thread: only stamp, and wake the waiter on the UI loop.
        if isinstance(message, SearchingScreen.SearchDone):
            rec.done.setdefault(message.generation, time.perf_counter())
        elif isinstance(message, SearchingScreen.SearchFailed):
            rec.failed.add(message.generation)
            loop.call_soon_threadsafe(rec.frame.set)  # an unchanged error message repaints nothing
        return post_message(self, message)

    ResultList.render_line = drawing_render_line
    App._display = stamping_display
    MainScreen.search = stamping_search
    MainScreen.post_message = stamping_post_message


async def clear_search_cache(screen) -> None:
    """Forget cached searches on the engine thread (the library is not shared across threads)."""
    await screen.engine.run(screen.library.clear_cache)


async def clear_box(pilot, screen, rec: Recorder) -> None:
    """ctrl+u empties the search box; wait for that search to paint too (not timed)."""
    before = screen._latest
    await pilot.press("ctrl+u")
    target = screen._latest
    if target != before:
        await rec.wait(rec.settled(target), "clearing the box")


async def type_query(pilot, screen, rec: Recorder, text: str, timings: dict[str, list[float]], keys: list) -> None:
    """Type ``text`` key by key, timing each key to its painted results (``keys``: (ms, query) per key)."""
    for char in text:
        await clear_search_cache(screen)
        before = screen._latest
        t0 = time.perf_counter()
        await pilot.press(char)
        target = screen._latest
        if target == before:
            continue  # the key did not change the query: nothing to wait for
        await rec.wait(rec.settled(target), f"key {char!r} of {text!r}")
        if target in rec.failed:
            timings["errors"].append(0.0)
            continue
        timings["keystroke"].append((rec.final[target] - t0) * 1000)
        keys.append((timings["keystroke"][-1], rec.queries[target]))
        timings["first_rows"].append((rec.shown[target] - t0) * 1000)
        timings["to_search"].append((rec.started[target] - t0) * 1000)
        timings["engine"].append((rec.done[target] - rec.started[target]) * 1000)
        timings["to_frame"].append((rec.final[target] - rec.done[target]) * 1000)


async def burst(pilot, screen, rec: Recorder, text: str) -> float:
    """Send every key of ``text`` at once; milliseconds until its final results are painted."""
    from textual import events
    from textual.keys import _character_to_key

    await clear_search_cache(screen)
    before = screen._latest
    t0 = time.perf_counter()
    for char in text:
        # What Pilot.press does for one key, minus its waits between keys.
        key = events.Key(char if char.isalnum() else _character_to_key(char), char)
        key.set_sender(pilot.app)
        pilot.app._driver.send_message(key)
    query = text.strip()

    def painted() -> list[int]:
        return [g for g in rec.final if g > before and rec.queries.get(g) == query]

    await rec.wait(lambda: bool(painted()), f"burst {text!r}")
    return (min(rec.final[g] for g in painted()) - t0) * 1000


async def bench(started: float) -> dict:
    """Run the app headless, measure, quit; the numbers for the JSON line."""
    import tui.cli  # noqa: F401  (what the `papers` command loads before the app)
    from tui.launch import load_reader  # as the `papers` command loads the reader
    from tui.screens.main import MainScreen

    PapersApp = load_reader()  # noqa: N806

    imported = time.perf_counter()

    rec = Recorder()
    install_hooks(rec)
    app = PapersApp()
    async with app.run_test(size=SIZE) as pilot:

        def with_rows() -> list[int]:
            return [g for g in rec.final if rec.rows.get(g, 0) > 0]

        await rec.wait(lambda: bool(with_rows()), "the first search")
        first = min(with_rows(), key=rec.final.__getitem__)
        first_paint = (rec.final[first] + WALL_OFFSET - started) * 1000
        say(f"first paint {first_paint:.0f} ms ({rec.rows[first]} rows in the first search)")
        # Where start-up goes: imports; opening the library until the main screen asks for the first
        # search; that search in the engine (the rest, up to first_paint, is the UI getting it on screen).
        startup = {
            "imports_ms": (imported + WALL_OFFSET - started) * 1000,
            "open_ms": (rec.started[first] - imported) * 1000,
            "first_search_ms": (rec.done[first] - rec.started[first]) * 1000,
        }
        screen = app.screen
        assert isinstance(screen, MainScreen), f"expected the main screen, not {screen!r}"

        await pilot.press("slash")
        timings: dict[str, list[float]] = {
            k: [] for k in ("keystroke", "first_rows", "to_search", "engine", "to_frame", "errors")
        }
        keys: list[tuple[float, str]] = []
        profile = _ui_profiler()
        for text in typed_queries():
            await clear_box(pilot, screen, rec)
            await type_query(pilot, screen, rec, text, timings, keys)
            say(f"typed {text!r}: {len(timings['keystroke'])} keys timed so far")
        if profile is not None:
            profile.disable()
            profile.dump_stats(os.environ[PROFILE_ENV])
            say(f"UI thread profile of the typing written to {os.environ[PROFILE_ENV]}")
        bursts = []
        for text in BURSTS:
            await clear_box(pilot, screen, rec)
            bursts.append(await burst(pilot, screen, rec, text))
            say(f"burst {text!r}: {bursts[-1]:.0f} ms")
        await clear_box(pilot, screen, rec)
    say("slowest keys: " + ", ".join(f"{query!r} {ms:.0f} ms" for ms, query in sorted(keys)[-8:]))

    p50, p95 = p50_p95(timings["keystroke"])
    out = {
        "first_paint_ms": round(first_paint, 1),
        "keystroke_p50_ms": round(p50, 1),
        "keystroke_p95_ms": round(p95, 1),
    }
    out["keystroke_max_ms"] = round(max(timings["keystroke"], default=0.0), 1)
    out["keystrokes"] = len(timings["keystroke"])
    out["query_errors"] = len(timings["errors"])
    # Where a key's time goes: key handling until the search starts, the engine, results to the frame.
    for name in ("first_rows", "to_search", "engine", "to_frame"):
        low, high = p50_p95(timings[name])
        out[f"{name}_p50_ms"], out[f"{name}_p95_ms"] = round(low, 1), round(high, 1)
    out["burst_ms"] = round(statistics.median(bursts), 1)
    out["burst_max_ms"] = round(max(bursts), 1)
    out.update((name, round(ms, 1)) for name, ms in startup.items())
    return out


def main() -> int:
    """Parent: start the measured child with our clock. Child: measure and print the JSON line."""
    started = os.environ.get(STARTED_ENV)
    if started is None:
        env = dict(os.environ, PAPERS_CLIPBOARD="off", **{STARTED_ENV: repr(time.time())})
        try:
            return subprocess.run([sys.executable, __file__], env=env, timeout=TOTAL_SECONDS).returncode
        except subprocess.TimeoutExpired:
            say(f"gave up after {TOTAL_SECONDS:.0f} s")
            return 1
    result = asyncio.run(bench(float(started)))
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
