"""Durable file writes: what survives a crash, a kill or a power cut is old or new, never half.

Used for the user's state file and for the index's small pointer files.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to a temp file beside ``target``, fsync it, and rename it over ``target``.

    The temp file is named ``.<target name>.*.tmp`` so a later writer can sweep leftovers.
    """
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        # mkstemp creates the file 0600, and os.replace carries that mode onto the target.
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def fsync_folder(folder: Path) -> None:
    """Make renames inside ``folder`` durable; not possible (nor needed) on Windows."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
