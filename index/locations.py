"""Where every file of the app lives.

One env var, ``PAPERS_HOME``, puts everything under one folder (tests and users with
several libraries rely on it). Without it the user's own data (state file, imported
sources) goes to platformdirs' user data dir and the rebuildable index to the cache dir.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "papers"


@dataclass(frozen=True)
class Locations:
    """The folders and files the app uses; make one with :func:`locations`."""

    data_dir: Path
    """User data: the state file and the imported source files."""
    cache_dir: Path
    """Rebuildable things: the Whoosh index."""

    @property
    def state_file(self) -> Path:
        return self.data_dir / "state.json"

    @property
    def sources_dir(self) -> Path:
        """Copies of imported files, so the index can always be rebuilt from them."""
        return self.data_dir / "sources"

    @property
    def index_dir(self) -> Path:
        return self.cache_dir / "index"

    @property
    def config_file(self) -> Path:
        return self.data_dir / "config.toml"


def locations(home: str | os.PathLike[str] | None = None) -> Locations:
    """Resolve the app's folders: ``home`` argument, then ``PAPERS_HOME``, then platformdirs."""
    home = home or os.environ.get("PAPERS_HOME")
    if home:
        root = Path(home).expanduser()
        return Locations(data_dir=root / "data", cache_dir=root / "cache")
    import platformdirs

    return Locations(
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
    )
