"""The layers of docs/architecture.md, held by a tool rather than by memory.

``make lint`` runs the same import-linter contracts (pyproject.toml); running them here
too means ``make test`` (what CI runs) fails on a stray import as well.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_the_import_contracts_hold():
    assert LINT_IMPORTS.exists() or shutil.which("lint-imports"), "install the test extras (make test does)"
    result = subprocess.run(
        [str(LINT_IMPORTS) if LINT_IMPORTS.exists() else "lint-imports", "--no-cache"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert "0 broken" in result.stdout


def test_help_and_version_load_no_whoosh_and_no_textual():
    code = (
        "import sys, tui.cli\n"
        "for argv in (['--version'], ['--help']):\n"
        "    try:\n"
        "        tui.cli.main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'whoosh', 'textual', 'rich'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "[]"
