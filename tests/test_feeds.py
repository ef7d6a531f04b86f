"""Today's papers: ``papers fetch hf|arxiv``, ``papers enrich``, saved views, ``is:new`` and
``papers serve``, through the real command line against a real HTTP server on 127.0.0.1
(never the internet)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import ROOT, run_papers
from feed_server import Answer, FeedServer, atom_feed, feed_server, hf_record

FAST = {
    "PAPERS_HTTP_TIMEOUT": "1",
    "PAPERS_HTTP_BACKOFF": "0.05",
    "PAPERS_HTTP_RETRIES": "2",
    "PAPERS_ARXIV_PAUSE": "0",
    "PAPERS_HF_PAUSE": "0",
}


def env_for(server: FeedServer) -> dict[str, str]:
    return {**FAST, "PAPERS_HF_API": f"{server.url}/api", "PAPERS_ARXIV_API": f"{server.url}/api/query"}


def search(query: str) -> list[dict]:
    result = run_papers("search", query, "--json", "--limit", "50")
    return [json.loads(line) for line in result.stdout.splitlines()]


def days_asked(server: FeedServer) -> list[str]:
    return [path.split("date=")[1].split("&")[0] for path in server.requests if "daily_papers" in path]


def test_fetch_hf_keeps_what_came_and_names_each_failure(built_home):
    config = FeedServer(
        hf_days={
            "2025-11-17": [
                Answer(
                    body=json.dumps(
                        [
                            hf_record(
                                "2511.00001",
                                "Sparse Autoencoders Find Circuits",
                                upvotes=5,
                                githubRepo="https://github.com/a/sae",
                            ),
                            hf_record("2511.00002", "Scaling Test-Time Compute Wisely"),
                            hf_record("2511.00003", "A Benchmark for Tool Use"),
                        ]
                    ).encode()
                )
            ],
            "2025-11-18": [
                Answer(429, b'{"error": "slow down"}', headers={"Retry-After": "0"}),
                Answer(
                    body=json.dumps(
                        [
                            hf_record("2511.00004", "Diffusion Policies Revisited"),
                            hf_record("2511.00002", "Scaling Test-Time Compute Wisely", upvotes=40),
                        ]
                    ).encode()
                ),
            ],
            "2025-11-19": [Answer(500, b'{"error": "Internal Error"}')],
            "2025-11-20": [Answer(kind="hang")],
            "2025-11-21": [Answer(body=json.dumps([hf_record("2511.00009", "Cut Short")]).encode(), kind="truncate")],
        }
    )
    with feed_server(config) as server:
        result = run_papers("fetch", "hf", "--from", "2025-11-17", "--to", "2025-11-21", env=env_for(server))
        assert result.returncode == 1, result.stderr
        errors = [line for line in result.stderr.splitlines() if "Hugging Face 2025-11-" in line]
        assert len(errors) == 3
        assert "2025-11-19" in errors[0] and "HTTP 500: Internal Error" in errors[0]
        assert "2025-11-20" in errors[1] and "timed out" in errors[1]
        assert "2025-11-21" in errors[2] and "truncated" in errors[2]
        assert "Traceback" not in result.stderr
        assert "4 added, 1 merged" in result.stderr and "3 failed" in result.stderr
        scaling = search('"scaling test-time compute wisely"')[0]
        assert scaling["upvotes"] == 40 and scaling["arxiv_id"] == "2511.00002"
        assert scaling["author_names"] == ["Ada Lovelace"], "a hidden author stays hidden"
        assert search('"sparse autoencoders find circuits"')[0]["links"][0] == "https://github.com/a/sae"

        # Again: the days that are over and came in are not asked for again.
        server.requests.clear()
        again = run_papers("fetch", "hf", "--from", "2025-11-17", "--to", "2025-11-21", env=env_for(server))
        assert "2025-11-17" not in days_asked(server) and "2025-11-18" not in days_asked(server)
        assert "0 added" in again.stderr and "2 skipped (fetched before" in again.stderr
        server.requests.clear()
        run_papers("fetch", "hf", "--date", "2025-11-17", "--refresh", env=env_for(server))
        assert days_asked(server) == ["2025-11-17"]


def test_html_pages_empty_days_and_no_network(built_home):
    config = FeedServer(
        hf_days={
            "2025-11-10": [Answer(body=b"<!DOCTYPE html><html><body>Sign in</body></html>", content_type="text/html")],
            "2025-11-11": [Answer(body=b"[]")],
        }
    )
    with feed_server(config) as server:
        result = run_papers("fetch", "hf", "--from", "2025-11-10", "--to", "2025-11-11", env=env_for(server))
        assert result.returncode == 1
        assert (
            "got an HTML page instead of JSON" in result.stderr and result.stderr.count("Hugging Face 2025-11-1") == 1
        )
    offline = run_papers("fetch", "hf", "--date", "2025-11-12", env={**FAST, "PAPERS_HF_API": "http://127.0.0.1:9/api"})
    assert offline.returncode == 1 and "cannot connect" in offline.stderr and "Traceback" not in offline.stderr


def test_nothing_touches_the_network_unless_asked(built_home):
    env = {**FAST, "PAPERS_HF_API": "http://127.0.0.1:9/api", "PAPERS_ARXIV_API": "http://127.0.0.1:9/q"}
    for command in (("search", "diffusion"), ("stats",), ("show", "2401.01234"), ("export", "x")):
        result = run_papers(*command, env=env)
        assert "cannot connect" not in result.stderr


def test_fetch_arxiv_categories(built_home):
    config = FeedServer(
        arxiv={
            "cs.LG": Answer(
                body=atom_feed(
                    [
                        ("2511.10001v2", "Grokking in Linear Models", "We explain grokking with linear models."),
                        ("2511.10002v1", "Curriculum Dropout for Vision Transformers", "Dropout that anneals."),
                    ]
                ),
                content_type="application/atom+xml",
            )
        }
    )
    with feed_server(config) as server:
        result = run_papers("fetch", "arxiv", "cs.LG", "bad.XX", env=env_for(server))
        assert result.returncode == 1
        assert "arXiv bad.XX" in result.stderr and "HTTP 400" in result.stderr
        assert "2 added" in result.stderr
        asked = [path for path in server.requests if "cs.LG" in path][0]
        assert "submittedDate" in asked and "sortBy=submittedDate" in asked
    grokking = json.loads(run_papers("show", "arXiv:2511.10001v2", "--json").stdout)
    assert grokking["title"] == "Grokking in Linear Models" and grokking["url"] == "https://arxiv.org/abs/2511.10001"
    assert grokking["author_names"] == ["Grace Hopper"]
    assert run_papers("reindex").returncode == 0  # the raw feed was kept: a rebuild offline keeps the papers
    assert search("grokking linear")[0]["arxiv_id"] == "2511.10001"


def test_enrich_fills_ids_only_on_an_exact_title_match(built_home):
    exact = "Discrete Key-Value Bottleneck"
    near = "Pointer Networks"
    config = FeedServer(
        search={
            exact.lower(): [
                hf_record("2207.11240", "Discrete Key Value Bottleneck!", day="2022-07-23"),  # punctuation only differs
                hf_record("2301.99999", "Something Else Entirely"),
            ],
            near.lower(): [hf_record("1506.03134", "Pointer Networks: An Extended Study")],  # not the same title
        }
    )
    with feed_server(config) as server:
        result = run_papers("enrich", env=env_for(server))
        assert result.returncode == 0, result.stderr
        assert "1 found with an arXiv id" in result.stderr
        again = run_papers("enrich", env=env_for(server))
        assert "looked up before" in again.stderr  # misses are remembered
    found = json.loads(run_papers("show", "2207.11240", "--json").stdout)
    assert found["title"] == exact and found["url"] == "https://huggingface.co/papers/2207.11240"
    assert found["date"] == "2022-07-23" and found["author_names"] == ["Ada Lovelace"]
    pointer = search(f'"{near}"')[0]
    assert pointer["arxiv_id"] is None, "never a guess"


def test_saved_views_with_counts(built_home):
    assert run_papers("view", "add", "rl", "reinforcement", "learning").returncode == 0
    assert run_papers("view", "add", "broken", "foo:bar").returncode == 2
    (first,) = [row["id"] for row in search("reinforcement learning")[:1]]
    run_papers("read", first)
    rows = [json.loads(line) for line in run_papers("view", "list", "--json").stdout.splitlines()]
    assert [row["name"] for row in rows] == ["rl"]
    assert rows[0]["total"] == rows[0]["unread"] + 1 > 10 and rows[0]["new"] == 0
    assert "rl  reinforcement learning" in run_papers("view", "list").stdout
    assert run_papers("view", "rm", "rl").returncode == 0
    assert run_papers("view", "rm", "rl").returncode == 1
    state = json.loads((built_home / "data" / "state.json").read_text())
    assert state["views"] == {}


def test_is_new_means_imported_since_the_last_reader_session(built_home, tmp_path):
    from index.locations import locations
    from index.state.sessions import begin_reader_session

    first = tmp_path / "first.json"
    first.write_text(json.dumps([hf_record("2511.20001", "First Arrival")]))
    run_papers("import", str(first))
    assert [row["title"] for row in search("is:new")] == ["First Arrival"], "no reader session yet: all imports"
    begin_reader_session(locations(built_home).data_dir)
    assert search("is:new") == []
    second = tmp_path / "second.json"
    second.write_text(json.dumps([hf_record("2511.20002", "Second Arrival")]))
    run_papers("import", str(second))
    assert [row["title"] for row in search("is:new")] == ["Second Arrival"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.timeout(120)
def test_serve_puts_the_reader_on_localhost(built_home):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not page:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    page = response.read().decode()
            except OSError:
                time.sleep(0.3)
        assert "papers" in page and "<html" in page.lower()
    finally:
        process.terminate()
        _out, err = process.communicate(timeout=30)
    assert f"serving the reader at http://127.0.0.1:{port}" in err
