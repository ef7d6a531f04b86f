"""A real terminal for end-to-end tests: one private tmux server, one window, driven with
``send-keys`` and read with ``capture-pane``, the way a person over SSH drives papers.

The server is our own (``-L`` socket, no config) and its start is checked and retried:
``new-session`` right after another server's ``kill-server`` sometimes fails.
"""

from __future__ import annotations

import shlex
import subprocess
import time
import uuid
from collections.abc import Callable


class TerminalError(AssertionError):
    """tmux did not do what the test asked (the message holds what it said)."""


class Terminal:
    def __init__(self, width: int = 120, height: int = 40) -> None:
        self.socket = f"papers-e2e-{uuid.uuid4().hex[:10]}"
        self.base = ["tmux", "-L", self.socket, "-f", "/dev/null"]
        self.width, self.height = width, height

    def tmux(self, *args: str, stdin: str | None = None, check: bool = False) -> subprocess.CompletedProcess:
        result = subprocess.run([*self.base, *args], capture_output=True, text=True, input=stdin, timeout=20)
        if check and result.returncode != 0:
            raise TerminalError(f"tmux {' '.join(args[:2])} failed: {result.stderr.strip()}")
        return result

    def start(self, command: str, env: dict[str, str], attempts: int = 5) -> None:
        """Run ``command`` in a fresh window; fails loudly if tmux never comes up."""
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        line = f"env TERM=xterm-256color {exports} {command}; sleep 600"
        for attempt in range(attempts):
            self.tmux("kill-server")
            result = self.tmux("new-session", "-d", "-x", str(self.width), "-y", str(self.height), "-s", "e2e", line)
            if result.returncode == 0 and self.tmux("has-session", "-t", "e2e").returncode == 0:
                # OSC 52 from the app reaches tmux's own buffers, as over SSH inside tmux.
                self.tmux("set-option", "-g", "set-clipboard", "on", check=True)
                return
            time.sleep(0.2 * (attempt + 1))
        raise TerminalError(f"tmux would not start a session after {attempts} tries: {result.stderr.strip()}")

    def keys(self, *keys: str, pause: float = 0.15) -> None:
        """Named keys one at a time (Enter, Escape, Down…), as a person presses them."""
        for key in keys:
            self.tmux("send-keys", "-t", "e2e", key, check=True)
            time.sleep(pause)

    def type(self, text: str) -> None:
        """Literal text in one write, as a fast typist's or a pasted burst arrives over SSH."""
        self.tmux("send-keys", "-t", "e2e", "-l", text, check=True)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "e2e").stdout

    def buffers(self) -> list[str]:
        names = self.tmux("list-buffers", "-F", "#{buffer_name}").stdout.split()
        return [self.tmux("show-buffer", "-b", name).stdout for name in names]

    def wait_for(self, predicate: Callable[[str], bool], what: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.2)
        raise TerminalError(f"timed out waiting for {what}; screen:\n{screen}")

    def kill(self) -> None:
        self.tmux("kill-server")
