"""What has been fetched already (``fetched.json`` beside the state file).

A day of a feed is fetched once it is over: fetching it again adds nothing, so it is
skipped unless the user asks (``--refresh``). Today's page still grows and is fetched
every time. Titles that the Hugging Face search did not know are remembered too, so
``papers enrich`` does not ask about them again. Written like the state file: under a
lock, to a temp file, renamed into place (two instances never lose an entry).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from filelock import FileLock

from index.durable import fsync_folder, write_atomic

FILE_NAME = "fetched.json"


class FetchLog:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE_NAME
        self._lock = FileLock(str(self.path) + ".lock", timeout=30)

    def read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # a lost log only means fetching a day again
        return data if isinstance(data, dict) else {}

    def has(self, *keys: str) -> bool:
        """Whether the entry at ``keys`` (``"hf", "2025-11-24"``) was recorded."""
        node: Any = self.read()
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                return False
            node = node[key]
        return True

    def record(self, entries: list[tuple[str, ...]]) -> None:
        """Record each ``(*keys)`` path with the time now, in one locked write."""
        if not entries:
            return
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

        def change(data: dict[str, Any]) -> None:
            for keys in entries:
                _set(data, keys, stamp)

        self._update(change)

    def _update(self, change: Callable[[dict[str, Any]], None]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            data = self.read()
            change(data)
            write_atomic(self.path, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8"))
            fsync_folder(self.path.parent)


def _set(data: dict[str, Any], keys: tuple[str, ...], value: str) -> None:
    node = data
    for key in keys[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    node[keys[-1]] = value
