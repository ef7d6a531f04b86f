"""When reader sessions started (``session.json`` beside the state file): what is new.

A paper is *new* (``is:new``) when the file it first came from was imported after the
previous reader session started: what arrived since the user last sat down to read.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from index.durable import write_atomic

FILE_NAME = "session.json"


def _read(data_dir: Path) -> dict[str, float]:
    try:
        data = json.loads((data_dir / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {key: float(value) for key, value in data.items() if isinstance(value, (int, float))}


def begin_reader_session(data_dir: Path) -> float:
    """Note that a reader session starts now; returns when the previous one started (0: never)."""
    previous = _read(data_dir).get("reader_started", 0.0)
    data_dir.mkdir(parents=True, exist_ok=True)
    payload = {"previous_reader_started": previous, "reader_started": time.time()}
    write_atomic(data_dir / FILE_NAME, (json.dumps(payload, indent=1) + "\n").encode("utf-8"))
    return previous


def last_reader_start(data_dir: Path) -> float:
    """When the latest reader session started (0: never): ``is:new`` outside the reader."""
    return _read(data_dir).get("reader_started", 0.0)
