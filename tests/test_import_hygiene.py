"""The engine stays UI-free: importing it never loads textual or rich."""

from __future__ import annotations

import subprocess
import sys


def test_index_never_loads_textual_or_rich():
    code = (
        "import sys, index, index.search.library, index.state.store, index.export, index.sources.files,"
        " index.store.generations;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'tui'));"
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_command_line_search_does_not_load_textual():
    code = "import sys, tui.cli; print(any(m.startswith('textual') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
