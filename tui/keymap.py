"""The user's key overrides: ``[keymap]`` in ``config.toml``, binding id = "keys".

Example::

    [keymap]
    star-paper = "x"
    cursor-down = "down,ctrl+n"

A broken config file never stops the reader: the problems come back as messages for
a notification, and the default keys stay.
"""

from __future__ import annotations

import importlib
import pkgutil
import tomllib
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode

KEYED_PACKAGES = ("tui.screens", "tui.widgets")
"""Where the reader's screens and widgets live: their bindings are found, never listed."""


def binding_ids(*owners: type[DOMNode]) -> set[str]:
    """Every binding id a keymap may name (a typo in config.toml gets a warning): those of
    ``owners`` and of every screen and widget class in the reader's packages."""
    classes: list[type] = list(owners)
    for package_name in KEYED_PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__, f"{package_name}."):
            module = importlib.import_module(info.name)
            classes += [
                value
                for value in vars(module).values()
                if isinstance(value, type) and issubclass(value, DOMNode) and value.__module__ == module.__name__
            ]
    return {
        binding.id
        for cls in classes
        for binding in cls.__dict__.get("BINDINGS", [])
        if isinstance(binding, Binding) and binding.id
    }


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
