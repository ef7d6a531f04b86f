"""End to end: the installed ``papers`` in a real terminal (tmux), driven like a person
over SSH: launch on a fresh library, type a query, star the top hit, copy its link,
quit, relaunch, and the star is still there."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

PAPERS = Path(sys.executable).with_name("papers")


class Terminal:
    """One tmux server of our own (never the user's), one window running a command."""

    def __init__(self, socket: str, width: int = 120, height: int = 40):
        self.base = ["tmux", "-L", socket, "-f", "/dev/null"]
        self.width, self.height = width, height

    def tmux(self, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run([*self.base, *args], capture_output=True, text=True, input=stdin, timeout=20)
        return result.stdout

    def start(self, command: str, env: dict[str, str]) -> None:
        exports = " ".join(f"{key}={value}" for key, value in env.items())
        self.tmux(
            "new-session",
            "-d",
            "-x",
            str(self.width),
            "-y",
            str(self.height),
            "-s",
            "e2e",
            f"env TERM=xterm-256color {exports} {command}; sleep 30",
        )
        # OSC 52 from the app reaches tmux's own buffers, as over SSH inside tmux.
        self.tmux("set-option", "-g", "set-clipboard", "on")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "e2e", key)
            time.sleep(0.15)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "e2e", "-l", text)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "e2e")

    def wait_for(self, predicate, what: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; screen:\n{screen}")

    def kill(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def terminal():
    term = Terminal(f"papers-e2e-{os.getpid()}")
    yield term
    term.kill()


def test_search_star_copy_quit_relaunch(terminal, papers_home):
    assert PAPERS.exists(), "install the project first (make test does)"
    env = {"PAPERS_HOME": str(papers_home), "PAPERS_CLIPBOARD": ""}
    title = "Discrete Key-Value Bottleneck"
    terminal.start(str(PAPERS), env)
    # First run builds the index with progress, then the library appears.
    terminal.wait_for(lambda s: "790" in s and "papers" in s.lower(), "the library after first-run indexing", 120)
    terminal.keys("/")
    terminal.type("discrete key-value bottleneck")
    terminal.wait_for(lambda s: title in s, "the search result")
    terminal.keys("Escape")
    terminal.keys("s")
    state_file = papers_home / "data" / "state.json"
    deadline = time.monotonic() + 10
    while not state_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    marks = json.loads(state_file.read_text())["papers"]
    assert [entry.get("starred") for entry in marks.values()] == [True]
    terminal.keys("y")
    deadline = time.monotonic() + 10
    buffer = ""
    while "huggingface.co/papers" not in buffer and time.monotonic() < deadline:
        buffer = terminal.tmux("show-buffer")
        time.sleep(0.2)
    assert buffer.strip() == "https://huggingface.co/papers?q=Discrete+Key-Value+Bottleneck"
    terminal.keys("q")
    terminal.wait_for(lambda s: "Bottleneck" not in s, "the app to quit", 20)

    terminal.kill()
    terminal.start(str(PAPERS), env)
    terminal.wait_for(lambda s: "790" in s, "the library on relaunch", 60)
    terminal.keys("/")
    terminal.type("is:starred")
    screen = terminal.wait_for(lambda s: title in s, "the starred paper after relaunch")
    row = next(line for line in screen.splitlines() if title in line)
    assert "★" in row
