"""Fixtures for the reader's tests: a private PAPERS_HOME with a ready index, and a Pilot helper.

The bundled corpus is indexed once per session (a few seconds) and its cache folder
copied into each test's home, so every test starts from a clean state file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SESSION_ENV_TO_CLEAR = ("TMUX", "SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT", "DISPLAY", "WAYLAND_DISPLAY", "NO_COLOR")


@pytest.fixture(scope="session")
def prebuilt_cache(tmp_path_factory) -> Path:
    from index.locations import locations
    from index.store.generations import IndexStore

    home = tmp_path_factory.mktemp("reader-prebuilt")
    locs = locations(home)
    IndexStore(locs).ensure()
    return locs.cache_dir


@pytest.fixture(autouse=True)
def reader_home(tmp_path, monkeypatch, prebuilt_cache) -> Path:
    """Every test gets its own PAPERS_HOME (with the index already built) and OSC 52 only."""
    home = tmp_path / "reader-home"
    shutil.copytree(prebuilt_cache, home / "cache")
    monkeypatch.setenv("PAPERS_HOME", str(home))
    monkeypatch.setenv("PAPERS_CLIPBOARD", "osc52")
    for name in SESSION_ENV_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def locs(reader_home):
    from index.locations import locations

    return locations(reader_home)
