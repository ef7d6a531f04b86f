"""Copying text to the user's clipboard, wherever the user's terminal is.

Over SSH the clipboard that matters is the one on the user's machine, not the
server's, so the chain (README, "The reader") is:

1. outside tmux, OSC 52 through Textual's ``App.copy_to_clipboard`` (the terminal puts
   it on the local clipboard; works over SSH in most terminals);
2. inside tmux, ``tmux load-buffer -w -`` instead (tmux may swallow OSC 52, and ``-w``
   asks tmux to forward it to the outer terminal; both would leave two buffers), with
   OSC 52 as the fallback when tmux refuses;
3. pyperclip, only in a local graphical session, in a detached subprocess so that
   nothing it or its helpers (xclip, wl-copy…) print can land on the screen.

``PAPERS_CLIPBOARD=osc52|tmux|native|off`` picks a single method instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from typing import Protocol

METHODS = ("osc52", "tmux", "native")
HELPER_TIMEOUT = 2.0
"""Seconds a helper process may take; a hung tmux or xclip must not hang the reader."""


class Copier(Protocol):
    def copy_to_clipboard(self, text: str) -> None: ...


def is_remote(env: Mapping[str, str] | None = None) -> bool:
    """Whether we run inside an SSH session (the screen is on another machine)."""
    env = os.environ if env is None else env
    return bool(env.get("SSH_CONNECTION") or env.get("SSH_TTY") or env.get("SSH_CLIENT"))


def is_local_graphical(env: Mapping[str, str] | None = None) -> bool:
    """A local desktop session, where a native clipboard and a browser are the user's own."""
    env = os.environ if env is None else env
    if is_remote(env):
        return False
    # macOS and Windows have a native clipboard without DISPLAY.
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")) or sys.platform in ("darwin", "win32")


def chosen_methods(env: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The methods to try, in order: the user's one choice, or the whole chain."""
    env = os.environ if env is None else env
    choice = env.get("PAPERS_CLIPBOARD", "").strip().lower()
    if choice == "off":
        return ()
    if choice in METHODS:
        return (choice,)
    # Inside tmux, `load-buffer -w` fills tmux's buffer and forwards to the outer terminal
    # itself; OSC 52 as well would leave two identical buffers per copy. It stays the
    # fallback when tmux refuses (see copy_text).
    chain = ["tmux"] if env.get("TMUX") else ["osc52"]
    if is_local_graphical(env):
        chain.append("native")
    return tuple(chain)


def copy_text(app: Copier, text: str, env: Mapping[str, str] | None = None) -> list[str]:
    """Copy ``text`` with every chosen method; returns the names of those that worked."""
    env = os.environ if env is None else env
    done = []
    methods = list(chosen_methods(env))
    chosen_by_user = env.get("PAPERS_CLIPBOARD", "").strip().lower() in METHODS
    while methods:
        method = methods.pop(0)
        try:
            worked = _COPIERS[method](app, text)
        except Exception:  # a clipboard helper failing is never worth a crash
            worked = False
        if worked:
            done.append(method)
        elif method == "tmux" and not chosen_by_user and "osc52" not in methods + done:
            methods.insert(0, "osc52")  # tmux too old or gone: the terminal may still take OSC 52
    return done


def _copy_osc52(app: Copier, text: str) -> bool:
    app.copy_to_clipboard(text)
    return True


def _copy_tmux(app: Copier, text: str) -> bool:
    # -w (tmux >= 3.2) also sends the buffer to the outer terminal's clipboard;
    # older tmux refuses the flag, so fall back to a plain paste buffer.
    for command in (["tmux", "load-buffer", "-w", "-"], ["tmux", "load-buffer", "-"]):
        if run_detached(command, text):
            return True
    return False


def _copy_native(app: Copier, text: str) -> bool:
    script = "import sys, pyperclip; pyperclip.copy(sys.stdin.read())"
    return run_detached([sys.executable, "-c", script], text)


def run_detached(command: list[str], stdin_text: str = "") -> bool:
    """Run a helper that cannot draw on our screen; True when it exits 0 in time.

    stdout/stderr go to /dev/null and the helper gets its own session, so it has no
    controlling terminal to write to either.
    """
    try:
        completed = subprocess.run(
            command,
            input=stdin_text.encode("utf-8"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=HELPER_TIMEOUT,
            start_new_session=True,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return completed.returncode == 0


def open_in_browser(url: str) -> bool:
    """Open ``url`` in the local browser without letting the browser write on our screen."""
    return run_detached([sys.executable, "-m", "webbrowser", "-t", url])


def describe(text: str, methods: list[str], what: str = "", limit: int = 50) -> str:
    """One short notification line saying what was copied, and how."""
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    if not methods:
        # Show the text anyway: the user can still select it with the mouse.
        return f"Not copied (clipboard off or unavailable): {shown}"
    label = f"Copied {what}" if what else "Copied"
    return f"{label}: {shown}  ({' + '.join(methods)})"


_COPIERS = {"osc52": _copy_osc52, "tmux": _copy_tmux, "native": _copy_native}
