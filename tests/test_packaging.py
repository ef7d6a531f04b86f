"""What users install is what is tested: build the wheel, install it (not editable) into a
fresh virtual environment, and open the reader from there.

An editable install (what ``make test`` uses) finds modules in the checkout, so a package
missing from the wheel (``tui/screens`` without ``__init__.py``) went unnoticed until a
user ran ``pipx install``.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

READER_SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    import tui, index
    from tui.app import PapersApp
    from tui.screens.main import MainScreen

    async def main():
        app = PapersApp()
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(1500):
                if isinstance(app.screen, MainScreen) and app.screen.results is not None:
                    break
                await pilot.pause(0.02)
            print("rows", app.screen.results.total)
        print("from", tui.__file__, index.__file__)

    asyncio.run(main())
    """
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # Built from a clean copy: setuptools reuses a build/ folder, whose stale files once
    # made a wheel look complete.
    source = tmp_path_factory.mktemp("source") / "papers"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "tests"
        ),
    )
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("papers-*.whl")
    return built


def test_the_wheel_holds_every_module_and_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {
        str(path.relative_to(ROOT))
        for package in ("index", "tui")
        for path in (ROOT / package).rglob("*")
        if path.suffix in (".py", ".tcss", ".txt") and "__pycache__" not in path.parts
    }
    assert wanted - names == set()
    assert "tui/screens/__init__.py" in names and "tui/widgets/__init__.py" in names
    assert len([name for name in names if name.startswith("index/sources/data/")]) == 5


def test_the_installed_wheel_opens_the_reader(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    # The dependencies come from the test environment (no download), behind the wheel's own
    # packages: a path in a .pth file is not a site dir, so the checkout's editable-install
    # hook there never runs and cannot hide a missing module.
    (purelib,) = (env_dir / "lib").glob("python3*/site-packages")
    (purelib / "test-deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    env = dict(os.environ, PAPERS_HOME=str(tmp_path / "home"), PYTHONPATH="", PYTHONSAFEPATH="1")
    version = subprocess.run(
        [str(env_dir / "bin" / "papers"), "--version"], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert version.returncode == 0 and version.stdout.startswith("papers ")
    search = subprocess.run(
        [str(env_dir / "bin" / "papers"), "search", "diffusion", "--limit", "2"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert search.returncode == 0, search.stderr
    assert len(search.stdout.splitlines()) == 4
    opened = subprocess.run(
        [str(python), "-c", READER_SCRIPT], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300
    )
    assert opened.returncode == 0, opened.stderr[-3000:]
    assert "rows 790" in opened.stdout
    assert str(env_dir) in opened.stdout.split("from", 1)[1], "imported from the installed wheel, not the checkout"
