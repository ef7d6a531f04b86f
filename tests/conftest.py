"""Shared fixtures: every test gets its own PAPERS_HOME, never the real home.

Building the bundled index takes a few seconds, so it is built once per session and
copied into each test's home that asks for ``built_home``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def papers_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("PAPERS_HOME", str(home))
    monkeypatch.setenv("PAPERS_CLIPBOARD", "off")
    return home


@pytest.fixture(scope="session")
def _prebuilt_home(tmp_path_factory) -> Path:
    from index.locations import locations
    from index.store.generations import IndexStore

    home = tmp_path_factory.mktemp("prebuilt")
    IndexStore(locations(home)).ensure()
    return home


@pytest.fixture
def built_home(papers_home, _prebuilt_home) -> Path:
    """A PAPERS_HOME whose index of the bundled corpus is already built."""
    shutil.copytree(_prebuilt_home, papers_home, dirs_exist_ok=True)
    return papers_home


@pytest.fixture
def library(built_home):
    from index.locations import locations
    from index.search.library import Library
    from index.state.store import StateStore

    locs = locations(built_home)
    lib = Library.open(locs, marks=StateStore(locs.state_file))
    yield lib
    lib.close()


def run_papers(*args: str, stdin: str | None = None, env: dict | None = None, timeout: float = 120):
    """Run the installed command line as a user would, in a subprocess."""
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        cwd=ROOT,
    )
