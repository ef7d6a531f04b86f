"""A damaged index is rebuilt, never fatal; files holding the user's marks are private."""

from __future__ import annotations

import json
import os
import stat

from conftest import run_papers

from index.locations import locations
from index.search.library import Library


def segment_file(index_dir):
    folder = index_dir / (index_dir / "CURRENT").read_text().strip()
    return max((path for path in folder.iterdir() if path.suffix == ".seg"), key=lambda path: path.stat().st_size)


def overwrite_middle(path, size: int = 2048) -> None:
    with path.open("r+b") as handle:
        handle.seek(path.stat().st_size // 2)
        handle.write(os.urandom(size))


def test_a_segment_overwritten_in_the_middle_is_rebuilt_on_the_next_search(built_home):
    locs = locations(built_home)
    before = run_papers("search", "diffusion", "--json", "--limit", "5").stdout
    overwrite_middle(segment_file(locs.index_dir))
    result = run_papers("search", "diffusion", "--json", "--limit", "5")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "index files changed since they were written" in result.stderr and "indexed 790 papers" in result.stderr
    assert result.stdout == before


def test_damage_found_while_searching_rebuilds_once_and_retries(built_home, monkeypatch):
    """Bit rot that keeps the file's size and time is only seen when a read fails."""
    import zlib

    locs = locations(built_home)
    library = Library.open(locs)
    calls = []
    original = library._matching

    def failing_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise zlib.error("Error -3 while decompressing data: invalid block type")
        return original(*args, **kwargs)

    monkeypatch.setattr(library, "_matching", failing_once)
    results = library.search("diffusion")
    assert results.total > 0 and len(calls) == 2
    assert len(library.notices) == 1 and "damaged (error); rebuilt it" in library.notices[0]
    assert "marks are untouched" in library.notices[0]


def test_damage_that_a_rebuild_does_not_cure_is_a_clear_error(built_home, monkeypatch):
    import struct

    import pytest

    from index.search.library import IndexDamaged

    library = Library.open(locations(built_home))

    def always(*args, **kwargs):
        raise struct.error("unpack requires a buffer of 4 bytes")

    monkeypatch.setattr(library, "_matching", always)
    with pytest.raises(IndexDamaged, match="even after a rebuild"):
        library.search("diffusion")
    with pytest.raises(IndexDamaged):
        library.search("diffusion")


def test_exports_with_marks_and_imported_copies_are_private(built_home, tmp_path):
    (paper,) = [
        json.loads(line) for line in run_papers("search", "kernel", "--json", "--limit", "1").stdout.splitlines()
    ]
    run_papers("star", paper["id"])
    run_papers("note", paper["id"], "private thoughts")
    for fmt in ("bibtex", "markdown", "csv"):
        out = tmp_path / f"out.{fmt}"
        out.write_text("")
        out.chmod(0o644)  # an existing file is tightened too
        assert run_papers("export", "--format", fmt, "-o", str(out)).returncode == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o600, fmt
    marks = tmp_path / "marks.json"
    assert run_papers("export", "--format", "json", "--with-marks", "-o", str(marks)).returncode == 0
    assert stat.S_IMODE(marks.stat().st_mode) == 0o600
    source = tmp_path / "mine.json"
    source.write_text(json.dumps([{"title": "A Private Paper", "abstract": "x"}]))
    source.chmod(0o644)
    assert run_papers("import", str(source)).returncode == 0
    (copy,) = [path for path in locations(built_home).sources_dir.iterdir() if not path.name.startswith(".")]
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
