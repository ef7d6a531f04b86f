"""The Whoosh index is a cache: built on first use, rebuilt when missing, damaged or
of another schema, swapped in atomically, and paper ids never change across rebuilds."""

from __future__ import annotations

import json
import shutil

from index.locations import locations
from index.paper import Paper
from index.search.library import Library
from index.store.generations import IndexStore


def ids_and_papers(home):
    library = Library.open(locations(home))
    try:
        return {hit.paper.id: hit.paper for hit in library.search("", limit=5000).hits}
    finally:
        library.close()


def test_first_use_builds_the_bundled_index(papers_home):
    progress = []
    library = Library.open(locations(papers_home), progress=lambda done, total: progress.append((done, total)))
    assert library.build_report is not None and library.build_report.papers == 790
    assert progress[-1] == (852, 852)  # progress counts records read (852 make 790 papers)
    assert library.count() == 790
    library.close()
    # Second open uses the index as it is.
    again = Library.open(locations(papers_home))
    assert again.build_report is None
    again.close()


def test_ids_identical_across_rebuilds(built_home):
    before = ids_and_papers(built_home)
    IndexStore(locations(built_home)).rebuild()
    after = ids_and_papers(built_home)
    assert before == after and len(after) == 790


def test_deleted_index_is_rebuilt_with_the_same_ids(built_home):
    before = set(ids_and_papers(built_home))
    shutil.rmtree(locations(built_home).index_dir)
    assert set(ids_and_papers(built_home)) == before


def test_damaged_index_is_rebuilt(built_home):
    store = IndexStore(locations(built_home))
    folder = store.current_dir()
    for segment in folder.glob("*.seg"):
        segment.write_bytes(b"garbage")
    assert "damaged" in store.stale_reason()
    library = Library.open(locations(built_home))
    assert library.build_report is not None and library.count() == 790
    assert store.current_dir() != folder
    library.close()


def test_other_schema_version_is_rebuilt(built_home):
    store = IndexStore(locations(built_home))
    meta_file = store.current_dir() / "meta.json"
    meta = json.loads(meta_file.read_text())
    meta["schema_version"] = 0
    meta_file.write_text(json.dumps(meta))
    assert "schema" in store.stale_reason()
    library = Library.open(locations(built_home))
    assert library.build_report is not None
    library.close()


def test_rebuild_swaps_generations_and_keeps_the_previous_one(built_home):
    store = IndexStore(locations(built_home))
    first = store.current_dir()
    store.rebuild()
    second = store.current_dir()
    store.rebuild()
    third = store.current_dir()
    assert len({first, second, third}) == 3
    assert not first.exists() and second.exists() and third.exists()


def test_running_reader_picks_up_a_rebuilt_index(built_home):
    library = Library.open(locations(built_home))
    assert library.count() == 790
    assert library.reload() is False
    IndexStore(locations(built_home)).rebuild()
    assert library.reload() is True
    assert library.count() == 790
    library.close()


def test_adding_papers_incrementally_matches_a_rebuild(built_home):
    locs = locations(built_home)
    store = IndexStore(locs)
    new = [
        Paper.new("A Brand New Paper", abstract="About brand new things.", sources=["x.json"]),
        # Same title as a bundled paper: merges into it and fills its gaps.
        Paper.new("Discrete Key-Value Bottleneck", abstract="ignored", upvotes=9, sources=["x.json"]),
    ]
    with store.lock():
        report = store.add_papers([new])
    assert (report.added, report.merged, report.records) == (1, 1, 2)
    library = Library.open(locs)
    paper = library.get(new[1].id)
    assert paper.upvotes == 9 and paper.sources == ["004_2ccefa2f3753e25f.txt", "x.json"]
    assert library.count() == 791
    library.close()
