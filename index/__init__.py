"""papers engine: reading paper dumps, the Whoosh index and queries, the user's state.

This package is UI-free on purpose: it never imports ``textual``, ``rich`` or ``tui``,
so scripts and the command line start fast and the engine can be tested alone
(``tests/test_import_hygiene.py`` enforces it).
"""

__version__ = "0.1.0"
