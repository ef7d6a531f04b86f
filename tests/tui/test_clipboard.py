"""The clipboard chain: which methods run where, and that helpers never write on the screen."""

from __future__ import annotations

import os
import stat

import pytest

from tui import clipboard


class FakeApp:
    def __init__(self) -> None:
        self.copied: list[str] = []

    def copy_to_clipboard(self, text: str) -> None:
        self.copied.append(text)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, ("osc52",)),
        ({"TMUX": "/tmp/tmux-0/default,1,0"}, ("tmux",)),  # one buffer per copy, not two
        ({"DISPLAY": ":0"}, ("osc52", "native")),
        ({"WAYLAND_DISPLAY": "wayland-0", "TMUX": "x"}, ("tmux", "native")),
        ({"DISPLAY": ":0", "SSH_CONNECTION": "1 2 3 4"}, ("osc52",)),
        ({"DISPLAY": ":0", "SSH_TTY": "/dev/pts/1"}, ("osc52",)),
        ({"PAPERS_CLIPBOARD": "off", "TMUX": "x"}, ()),
        ({"PAPERS_CLIPBOARD": "tmux"}, ("tmux",)),
        ({"PAPERS_CLIPBOARD": "OSC52", "TMUX": "x"}, ("osc52",)),
        ({"PAPERS_CLIPBOARD": "native", "SSH_CONNECTION": "1 2 3 4"}, ("native",)),
        ({"PAPERS_CLIPBOARD": "bogus"}, ("osc52",)),
    ],
)
def test_chosen_methods(env, expected, monkeypatch):
    monkeypatch.setattr(clipboard.sys, "platform", "linux")
    assert clipboard.chosen_methods(env) == expected


def test_osc52_goes_through_the_app():
    app = FakeApp()
    assert clipboard.copy_text(app, "https://arxiv.org/abs/1", {"PAPERS_CLIPBOARD": "osc52"}) == ["osc52"]
    assert app.copied == ["https://arxiv.org/abs/1"]


def test_off_copies_nothing():
    app = FakeApp()
    assert clipboard.copy_text(app, "x", {"PAPERS_CLIPBOARD": "off"}) == []
    assert app.copied == []
    assert "Not copied" in clipboard.describe("x", [])


def fake_tool(folder, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def test_tmux_gets_the_text_on_stdin(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    out = tmp_path / "buffer.txt"
    fake_tool(bin_dir, "tmux", f'echo "$@" > {tmp_path}/args.txt\ncat > {out}\necho noise; echo noise >&2\n')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    app = FakeApp()
    done = clipboard.copy_text(app, "https://x.io/ü", {"TMUX": "1", "PAPERS_CLIPBOARD": ""})
    assert done == ["tmux"] and app.copied == []  # tmux forwards to the terminal itself (-w)
    assert out.read_text(encoding="utf-8") == "https://x.io/ü"
    assert (tmp_path / "args.txt").read_text().split() == ["load-buffer", "-w", "-"]


def test_old_tmux_without_w_falls_back(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    out = tmp_path / "buffer.txt"
    fake_tool(bin_dir, "tmux", f'[ "$2" = "-w" ] && exit 1\ncat > {out}\n')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert clipboard.copy_text(FakeApp(), "abc", {"PAPERS_CLIPBOARD": "tmux"}) == ["tmux"]
    assert out.read_text() == "abc"


def test_inside_tmux_osc52_is_the_fallback_when_tmux_fails(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_tool(bin_dir, "tmux", "exit 1\n")
    monkeypatch.setenv("PATH", str(bin_dir))
    app = FakeApp()
    assert clipboard.copy_text(app, "abc", {"TMUX": "1"}) == ["osc52"]
    assert app.copied == ["abc"]


def test_missing_or_hanging_helpers_fail_quietly(tmp_path, monkeypatch, capfd):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_tool(bin_dir, "tmux", "echo SHOULD-NOT-SHOW >&2\nsleep 10\n")
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setattr(clipboard, "HELPER_TIMEOUT", 0.3)
    assert clipboard.copy_text(FakeApp(), "abc", {"PAPERS_CLIPBOARD": "tmux"}) == []
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert clipboard.copy_text(FakeApp(), "abc", {"PAPERS_CLIPBOARD": "tmux"}) == []
    captured = capfd.readouterr()
    assert "SHOULD-NOT-SHOW" not in captured.err + captured.out


def test_native_never_prints_on_the_terminal(monkeypatch, capfd):
    # No X server here: pyperclip fails, and must fail silently (its errors would corrupt the screen).
    monkeypatch.setenv("DISPLAY", ":99")
    done = clipboard.copy_text(FakeApp(), "abc", {"PAPERS_CLIPBOARD": "native", "DISPLAY": ":99"})
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""
    assert done in ([], ["native"])


def test_describe_shortens_long_text():
    line = clipboard.describe("x" * 200, ["osc52", "tmux"])
    assert line.endswith("(osc52 + tmux)") and "…" in line and len(line) < 100
