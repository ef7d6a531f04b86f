"""The postings cache behind the vectorized evaluator: bounded, shared, read ahead politely."""

from __future__ import annotations

import threading
import time

import index.search.postings as postings_module
from index.search.postings import PostingsCache


def test_reading_ahead_fills_the_cache_and_makes_searches_cache_hits(library):
    assert library.warm_postings() > 50
    cache = library._postings[1]
    assert cache.warmed and cache.has("abstract", "learn", positions=True) and cache.has("title", "model")
    size = cache.size
    assert library.warm_postings() == 0, "a second read-ahead of the same generation does nothing"
    library.search("learning models")
    assert cache.size == size, "every word of a common query was already read"


def test_the_cache_stays_within_its_memory_bound(library):
    library.search("x")  # opens the searcher
    reader = library._searcher().reader()
    cache = PostingsCache(reader, limit=8 * 1024)  # a few of the commonest words
    leaves = list(reader.leaf_readers())
    for word in ["learn", "model", "polici", "reward", "languag", "agent", "data", "train", "method"]:
        cache.get(leaves, "abstract", word)
        assert cache.size <= 8 * 1024 or len(cache._items) == 1
    assert not cache.has("abstract", "learn"), "the least recently used went first"
    cache.clear_terms()
    assert cache.size == 0 and not cache.has("abstract", "method")


def test_reading_ahead_gives_way_to_a_search_and_takes_up_the_word_again(library, monkeypatch):
    library.search("x")
    reader = library._searcher().reader()
    cache = PostingsCache(reader)
    leaves = list(reader.leaf_readers())
    monkeypatch.setattr(postings_module, "QUIET_SECONDS", 0.05)
    cache.search_started()  # a search is running when the read-ahead starts
    read: list[int] = []
    thread = threading.Thread(target=lambda: read.append(cache.warm(leaves, [("abstract", "learn")], lambda: False)))
    thread.start()
    time.sleep(0.2)
    assert thread.is_alive() and not cache.has("abstract", "learn"), "it waits while a search runs"
    cache.search_ended()
    thread.join(timeout=30)
    assert read == [1] and cache.has("abstract", "learn")


def test_a_read_interrupted_between_blocks_leaves_nothing_half_read(library):
    from index.store.whoosh_internals import ReadInterrupted

    library.search("x")
    reader = library._searcher().reader()
    cache = PostingsCache(reader)
    leaves = list(reader.leaf_readers())
    try:
        cache.get(leaves, "abstract", "learn", interrupted=lambda: True)
    except ReadInterrupted:
        pass
    else:
        raise AssertionError("the read was not interrupted")
    assert not cache.has("abstract", "learn") and cache.size == 0
