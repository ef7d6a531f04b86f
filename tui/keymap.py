"""The user's key overrides: ``[keymap]`` in ``config.toml``, binding id = "keys".

Example::

    [keymap]
    star-paper = "x"
    cursor-down = "down,ctrl+n"

A broken config file never stops the reader: the problems come back as messages for
a notification, and the default keys stay.
"""

from __future__ import annotations

import tomllib
from pathlib import Path


def load_keymap(path: Path, known_ids: set[str] | None = None) -> tuple[dict[str, str], list[str]]:
    """Read ``[keymap]`` from ``path``; returns (binding id -> keys, problems for the user)."""
    try:
        with open(path, "rb") as handle:
            config = tomllib.load(handle)
    except FileNotFoundError:
        return {}, []
    except (OSError, tomllib.TOMLDecodeError) as error:
        return {}, [f"{path}: {error}; using the default keys"]
    table = config.get("keymap", {})
    if not isinstance(table, dict):
        return {}, [f'{path}: [keymap] should be a table of binding-id = "keys"']
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in table.items():
        if not isinstance(keys, str) or not keys.strip():
            problems.append(f'{path}: keymap {binding_id} should be a string such as "ctrl+s"')
        elif known_ids is not None and binding_id not in known_ids:
            problems.append(f"{path}: keymap has no binding {binding_id!r} (see ? for the ids)")
        else:
            keymap[binding_id] = ",".join(key.strip() for key in keys.split(",") if key.strip())
    return keymap, problems
