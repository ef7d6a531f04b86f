"""The state file's layout: reading its bytes into a document, and naming the damage.

File layout (indent 1, sorted keys, only non-default fields per paper)::

    {"papers": {"3f2a...": {"starred": true, "tags": ["rl"]}}, "schema_version": 1}
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1
"""The state file layout this code reads and writes; bump it with a migration in ``parse_state``."""


class Damaged(Exception):
    """The bytes of a state file are not a state file; ``str()`` says where and why."""


def parse_state(data: bytes) -> tuple[dict[str, Any], int]:
    """A state file's bytes as ``({"schema_version", "papers"}, version found)``.

    Files without ``schema_version`` (version 0) are either ``{"papers": {...}}`` or
    the bare ``{id: marks}`` mapping; both become version 1's shape here.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise Damaged(f"line {line} column {column}: not UTF-8 text") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        raise Damaged(f"line {error.lineno} column {error.colno}: {error.msg}") from None
    except RecursionError:
        raise Damaged("nested too deeply to be a state file") from None
    except ValueError as error:  # e.g. an integer of thousands of digits
        raise Damaged(f"unreadable value ({error})") from None
    if not isinstance(doc, dict):
        raise Damaged(f"line 1 column 1: expected a JSON object, found {type(doc).__name__}")
    version = doc.get("schema_version", 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise Damaged(f"schema_version {version!r} is not a whole number")
    if version > SCHEMA_VERSION:
        # A newer layout: read what looks familiar, never judge (or touch) the rest.
        papers = doc.get("papers")
        papers = {k: v for k, v in papers.items() if isinstance(v, dict)} if isinstance(papers, dict) else {}
        return {**doc, "papers": papers}, version
    if version == 0 and "papers" not in doc:
        doc = {"papers": doc}
    papers = doc.get("papers")
    if not isinstance(papers, dict):
        raise Damaged(f'"papers" should be an object, found {type(papers).__name__}')
    views = doc.get("views", {})
    if not isinstance(views, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in views.items()):
        raise Damaged('"views" should map view names to queries')
    for paper_id, entry in papers.items():
        if not isinstance(entry, dict):
            raise Damaged(f'the marks of paper "{paper_id}" should be an object, found {type(entry).__name__}')
        if version >= 1:
            _check_entry(paper_id, entry)
    return {**doc, "schema_version": version, "papers": papers}, version


_FIELD_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "starred": ((bool,), "true or false"),
    "tags": ((list,), "a list of tags"),
    "read": ((str, type(None)), "a time or null"),
    "note": ((str,), "text"),
    "note_updated_at": ((str, type(None)), "a time or null"),
}


def _check_entry(paper_id: str, entry: dict[str, Any]) -> None:
    """A version-1 entry holds each known field with its own type (unknown keys are a newer
    minor version's and are kept as they are). Anything else is damage, not a guess."""
    for name, (types, wanted) in _FIELD_TYPES.items():
        if name not in entry:
            continue
        value = entry[name]
        bad_tags = isinstance(value, list) and not all(isinstance(tag, str) for tag in value)
        if not isinstance(value, types) or bad_tags:
            found = json.dumps(value)[:40] if _dumpable(value) else type(value).__name__
            raise Damaged(f'paper "{paper_id[:40]}": "{name}" should be {wanted}, found {found}')


def _dumpable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (ValueError, RecursionError, TypeError):
        return False
    return True


Stamp = tuple[int, int, int]
"""(inode, mtime_ns, size): changes whenever another process replaces or edits the file."""


def stamp_of(stat: os.stat_result) -> Stamp:
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


@dataclass
class Loaded:
    """One read of the file: its document, the version it had, its bytes and stamp."""

    doc: dict[str, Any] = field(default_factory=lambda: {"schema_version": SCHEMA_VERSION, "papers": {}})
    version: int = SCHEMA_VERSION
    data: bytes | None = None
    stamp: Stamp | None = None
