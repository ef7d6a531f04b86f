"""How the command line fails: one line on stderr, made terminal-safe, and an exit code.

Kept apart from the subcommands so that ``papers --help`` and ``--version`` load
nothing of the engine.
"""

from __future__ import annotations

import sys

from index import terminal_safe


class UserError(Exception):
    """A failure to report as one line; ``exit_code`` 1 runtime, 2 usage or query."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


def say_error(message: object) -> None:
    """One line on stderr, prefixed like every message of the command (queries and file
    names in it are third-party text: made safe)."""
    print(f"papers: {terminal_safe(str(message))}", file=sys.stderr)
