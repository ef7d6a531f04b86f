"""The reader fetches today's papers with F (against a real server on 127.0.0.1): progress
in the status line, the reader responsive meanwhile, new papers listed when done, a
failure a notification; saved views with v; new papers announced at start."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import date
from pathlib import Path

from reader_helpers import reader, settle, wait_until

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from feed_server import Answer, FeedServer, feed_server, hf_record  # noqa: E402

FAST = {"PAPERS_HTTP_TIMEOUT": "1", "PAPERS_HTTP_BACKOFF": "0.05", "PAPERS_HTTP_RETRIES": "1", "PAPERS_HF_PAUSE": "0"}


def serve_today(records: list[dict]) -> FeedServer:
    return FeedServer(hf_days={date.today().isoformat(): [Answer(body=json.dumps(records).encode())]})


def test_f_fetches_todays_papers_and_lists_them(monkeypatch):
    config = serve_today([hf_record("2511.30001", "Fresh Off The Press Paper", upvotes=9)])
    with feed_server(config) as server:
        for name, value in {**FAST, "PAPERS_HF_API": f"{server.url}/api"}.items():
            monkeypatch.setenv(name, value)

        async def scenario():
            async with reader() as (app, pilot, screen):
                listing = screen.query_one("ResultList")
                second = listing.source.hit(1).paper
                await pilot.press("F", "j")  # the reader stays responsive while it fetches
                assert listing.highlighted == second
                await wait_until(pilot, lambda: any(n.title == "Fetched" for n in app._notifications), timeout=60)
                assert not screen.fetching
                # The new paper (today's) is listed first; the cursor stayed on its paper.
                await settle(pilot)
                assert listing.source.hit(0).paper.title == "Fresh Off The Press Paper"
                assert listing.highlighted == second
                assert any(n.title == "Fetched" and "1 new paper" in n.message for n in app._notifications)
                await pilot.press("slash", *"fresh off the press")
                await settle(pilot)
                assert screen.results.hits[0].paper.title == "Fresh Off The Press Paper"

        asyncio.run(scenario())


def test_a_failed_fetch_is_a_notification(monkeypatch):
    config = FeedServer(hf_days={date.today().isoformat(): [Answer(500, b'{"error": "down"}')]})
    with feed_server(config) as server:
        for name, value in {**FAST, "PAPERS_HF_API": f"{server.url}/api"}.items():
            monkeypatch.setenv(name, value)

        async def scenario():
            async with reader() as (app, pilot, screen):
                await pilot.press("F")
                await wait_until(pilot, lambda: not screen.fetching, timeout=60)
                failures = [n for n in app._notifications if n.title == "Fetch failed"]
                assert failures and "HTTP 500" in failures[0].message
                assert app.is_running

        asyncio.run(scenario())


def test_views_list_with_counts_runs_the_chosen_query(locs):
    from index.state.store import StateStore

    StateStore(locs.state_file).save_view("kernels", "kernel")

    async def scenario():
        async with reader() as (app, pilot, screen):
            await pilot.press("v")
            for _ in range(500):  # the views worker waits for the picker: poll, do not wait for it
                if type(app.screen).__name__ == "ViewsPicker":
                    break
                await pilot.pause(0.02)
            row = app.screen.rows[0]
            assert (row.name, row.query) == ("kernels", "kernel") and row.total > 0 and row.unread == row.total
            await pilot.press("enter")
            await pilot.pause(0.1)
            await settle(pilot)
            assert screen.query_one("#search").value == "kernel"
            assert screen.results.query == "kernel"

    asyncio.run(scenario())


def test_new_papers_are_announced_at_start(locs, tmp_path):
    import subprocess

    source = tmp_path / "arrivals.json"
    source.write_text(json.dumps([hf_record("2511.40001", "A Paper That Just Arrived")]))
    subprocess.run([sys.executable, "-m", "tui.cli", "import", str(source)], check=True, capture_output=True)

    async def scenario():
        async with reader() as (app, pilot, screen):
            await wait_until(pilot, lambda: any("1 new paper" in n.message for n in app._notifications))
            assert screen.library.search("is:new").total == 1

    asyncio.run(scenario())
