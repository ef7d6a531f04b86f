"""End to end: the installed ``papers`` in a real terminal (tmux), driven like a person over
SSH: first keystrokes right after launch, bursts in the list, a hostile record, copying,
quitting and relaunching."""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import pytest
from tmux_terminal import Terminal

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

PAPERS = Path(sys.executable).with_name("papers")
HOSTILE = "\x1b]52;c;ZWNobyBwd25lZA==\x1b\\ \x1b[2J\x07\x9b31m"


@pytest.fixture
def terminal():
    term = Terminal()
    yield term
    term.kill()


def marks(home: Path) -> dict:
    path = home / "data" / "state.json"
    return json.loads(path.read_text())["papers"] if path.exists() else {}


def wait_for(condition, timeout: float = 60) -> None:
    """Poll until ``condition()`` holds. Only a hang fails here: a loaded CI machine is slow."""
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)


def test_search_star_copy_quit_relaunch(terminal, papers_home):
    assert PAPERS.exists(), "install the project first (make test does)"
    env = {"PAPERS_HOME": str(papers_home), "PAPERS_CLIPBOARD": ""}
    title = "Discrete Key-Value Bottleneck"
    terminal.start(str(PAPERS), env)
    # Typed at once, while the first run is still indexing: it becomes the query.
    terminal.type("discrete key-value bottleneck")
    terminal.wait_for(lambda s: title in s and "1 paper " in s, "the search result after first-run indexing", 120)
    assert marks(papers_home) == {}, "typing never changes a mark"
    terminal.keys("Enter", "s")
    wait_for((papers_home / "data" / "state.json").exists)
    assert [entry.get("starred") for entry in marks(papers_home).values()] == [True]
    terminal.keys("y")
    wait_for(terminal.buffers)
    time.sleep(0.5)  # a second (wrong) buffer would come right after the first
    assert terminal.buffers() == ["https://huggingface.co/papers?q=Discrete+Key-Value+Bottleneck"], "one buffer a copy"
    terminal.keys("q")
    terminal.wait_for(lambda s: "Bottleneck" not in s, "the app to quit", 60)

    terminal.start(str(PAPERS), env)
    terminal.wait_for(lambda s: "790 papers" in s, "the library on relaunch", 60)
    terminal.type("is:starred")
    screen = terminal.wait_for(lambda s: title in s and "1 paper " in s, "the starred paper after relaunch")
    row = next(line for line in screen.splitlines() if title in line and "▊" not in line)
    assert "★" in row


def test_a_burst_in_the_list_stars_the_paper_under_the_cursor(terminal, built_home):
    env = {"PAPERS_HOME": str(built_home), "PAPERS_CLIPBOARD": "off"}
    terminal.start(str(PAPERS), env)
    terminal.wait_for(lambda s: "790 papers" in s, "the library")
    terminal.type("diffusion")
    first = terminal.wait_for(lambda s: "papers · by relevance" in s, "the results")
    rows = [line for line in first.splitlines() if line.startswith(" •")][:4]
    terminal.keys("Enter")
    terminal.type("jsjs")  # one write: down, star, down, star
    terminal.wait_for(lambda s: sum(line.startswith("★") for line in s.splitlines()) >= 2, "two stars")
    time.sleep(0.5)  # a wrong third star would come right after
    starred = {paper_id for paper_id, entry in marks(built_home).items() if entry.get("starred")}
    screen = terminal.screen()
    starred_rows = [line for line in screen.splitlines() if line.startswith("★")]
    assert len(starred) == 2 and len(starred_rows) == 2
    assert [row[2:].strip() for row in starred_rows] == [row[2:].strip() for row in rows[1:3]], (
        "rows 2 and 3 — the ones under the cursor when each s was read"
    )


def test_a_hostile_record_cannot_write_to_the_terminal(terminal, built_home, tmp_path):
    record = {
        "paper": {
            "id": "2401.99999",
            "title": f"Hostile title {HOSTILE}",
            "summary": f"Abstract {HOSTILE}",
            "authors": [{"name": f"Eve {HOSTILE}"}],
            "publishedAt": "2024-01-02T00:00:00.000Z",
            "upvotes": 3,
        }
    }
    source = tmp_path / "hostile.json"
    source.write_text(json.dumps([record]))
    import subprocess

    subprocess.run(
        [str(PAPERS), "import", str(source)],
        env={"PAPERS_HOME": str(built_home), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )
    terminal.start(str(PAPERS), {"PAPERS_HOME": str(built_home), "PAPERS_CLIPBOARD": "off"})
    terminal.wait_for(lambda s: "791 papers" in s, "the library")
    terminal.type("hostile")
    terminal.keys("Enter", "Enter")  # to the list, then open the abstract
    screen = terminal.wait_for(lambda s: "Abstract ␛]52;c;" in s, "the hostile record, shown as text")
    assert "Hostile title ␛]52;c;ZWNobyBwd25lZA==␛\\ ␛[2J␇" in screen
    assert screen.splitlines()[1].startswith("▊") and "hostile" in screen.splitlines()[1], "the screen is intact"
    assert "1 paper " in screen
    assert terminal.buffers() == [], "no clipboard buffer appeared"
