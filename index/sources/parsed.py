"""What reading one input file gives: papers, marks carried by exports, and problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

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
    stream: Iterable[Paper] | None = None
    """For JSON Lines: a re-iterable stream read from disk on each pass, instead of ``papers``."""
    problems: list[Problem] = field(default_factory=list)
    marks: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Marks carried by a ``papers export --with-marks`` file, by paper id."""

    def iter_papers(self) -> Iterable[Paper]:
        """The file's papers, streamed when the file is JSON Lines."""
        return self.stream if self.stream is not None else self.papers
