"""What reading one input file gives: papers, marks carried by exports, and problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from index.paper import Paper


@dataclass
class Problem:
    """Something in an input file that could not be read; it names the place."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass
class ParsedFile:
    """What one file gave: its papers (in file order) and what was skipped."""

    source: str
    layout: str
    papers: list[Paper] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    marks: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Marks carried by a ``papers export --with-marks`` file, by paper id."""
