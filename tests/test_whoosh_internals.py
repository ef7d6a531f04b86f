"""``index/store/whoosh_internals.py`` reads Whoosh's private structures directly.

Each reader is checked here against Whoosh's own public reading of the same index, so
an upgrade of the fork that changes a block layout, a codec or a private name fails
here, loudly and by name, rather than as quietly different search results.
"""

from __future__ import annotations

import importlib.metadata
import pickle
import random

import numpy as np
import pytest
from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage

from index.store import whoosh_internals as internals
from index.store.schema import make_schema

WORDS = "learning policy reward model diffusion kernel agent language vision robot".split()


@pytest.fixture(scope="module")
def reader(tmp_path_factory):
    """An index of 3 segments (one with deletions), long postings (several 128-posting
    blocks) and short ones (inlined in the term info), repeated words (positions)."""
    folder = tmp_path_factory.mktemp("internals")
    index = FileStorage(str(folder)).create_index(make_schema())
    rng = random.Random(3)
    number = 0
    for _segment in range(3):
        writer = index.writer()
        for _ in range(400):
            words = [rng.choice(WORDS) for _ in range(rng.randint(3, 40))]
            writer.add_document(
                id=f"p{number}",
                title=" ".join(words[:5]) + (" singular" if number == 7 else ""),
                abstract=" ".join(words),
                author="Ada Lovelace",
                date_key=number,
            )
            number += 1
        writer.commit(merge=False)  # one segment per commit
    writer = index.writer()
    for gone in range(450, 520):
        writer.delete_by_term("id", f"p{gone}")
    writer.commit(merge=False)
    searcher = index.searcher()
    yield searcher.reader()
    searcher.close()


def test_the_fork_is_the_version_these_readers_were_written_for():
    # A new version may well still work: run this file, then widen the pin in pyproject.
    assert importlib.metadata.version("whoosh-reloaded") == "2.7.5"


def test_the_index_has_what_the_checks_need(reader):
    leaves = list(reader.leaf_readers())
    assert len(leaves) == 3 and any(segment.has_deletions() for segment, _ in leaves)


@pytest.mark.parametrize("field", ["title", "abstract", "author"])
def test_postings_read_from_blocks_are_whooshs_postings(reader, field):
    for segment, _offset in reader.leaf_readers():
        for term in list(segment.lexicon(field)):
            raw = internals.segment_postings(segment, field, term, with_values=True)
            matcher = segment.postings(field, term)
            ids, weights, values = [], [], []
            while matcher.is_active():
                ids.append(matcher.id())
                weights.append(matcher.weight())
                values.append(matcher.value())
                matcher.next()
            # Whoosh's matcher skips deleted documents; the raw reader keeps them (the
            # postings cache drops them with deleted_docs).
            deleted = set(internals.deleted_docs(segment).tolist()) if segment.has_deletions() else set()
            keep = [i not in deleted for i in raw.ids.tolist()]
            assert raw.ids[keep].tolist() == ids, (field, term)
            assert np.allclose(raw.weights[keep], weights), (field, term)
            assert [v for v, k in zip(raw.values, keep, strict=True) if k] == values, (field, term)
            # Without values, the blocks' pickles are read directly (or unpickled when
            # laid out otherwise): the same ids and weights either way.
            bare = internals.segment_postings(segment, field, term)
            assert bare.values is None and bare.ids.tolist() == raw.ids.tolist(), (field, term)
            assert bare.weights.tolist() == raw.weights.tolist(), (field, term)
    assert internals.segment_postings(segment, "title", b"no-such-word") is None


def test_long_postings_span_several_blocks_and_short_ones_are_inlined(reader):
    segment, _ = next(iter(reader.leaf_readers()))
    assert len(internals.segment_postings(segment, "abstract", b"learn").ids) > 128
    assert len(internals.segment_postings(segment, "title", b"singular").ids) == 1


def test_common_words_take_the_fast_path_and_odd_blocks_do_not(reader):
    segment, _ = next(iter(reader.leaf_readers()))
    info = segment._terms.term_info("abstract", b"learn")
    offset, length = info.extent()
    length = length[0] if isinstance(length, tuple) else length
    blocks = list(internals._blocks(segment._terms._postfile.get(offset, length), None))
    assert len(blocks) > 1 and internals._fast_blocks(blocks) is not None
    # A gap of 256+ documents inside a block, varied weights, a block cut short.
    gapped = pickle.dumps(((300, 1, 400, 5), (1.0, 2.0, 1.0, 1.0), (b"ab", b"c", b"", b"x")), 2)
    assert internals._read_block(gapped, 4) is None
    varied = pickle.dumps(((300, 1, 2, 5), (1.0, 2.0, 1.0, 3.0), None), 2)
    first, deltas, weights = internals._read_block(varied, 4)
    assert (first, list(deltas), len(weights)) == (300, [1, 2, 5], 36)
    assert internals._fast_blocks([(4, varied[:20])]) is None
    assert internals._read_block(pickle.dumps(((7, 1), 2.0, (b"a", b"b")), 2), 2) == (7, b"\x01", 2.0)
    three = internals._read_block(pickle.dumps(((7, 1, 1), (2.0, 1.0, 3.0), (b"a", b"b", b"c")), 2), 3)
    assert three[:2] == (7, b"\x01\x01") and len(three[2]) == 27


def test_positions_decode_as_whoosh_decodes_them(reader):
    for segment, _offset in reader.leaf_readers():
        for word in (b"learn", b"polici", b"singular"):
            raw = internals.segment_postings(segment, "abstract", word, with_values=True)
            if raw is None:
                continue
            offsets, flat = internals.decode_positions(raw.values)
            matcher = segment.postings("abstract", word)
            expected = []
            while matcher.is_active():
                expected.append(list(matcher.value_as("positions")))
                matcher.next()
            deleted = set(internals.deleted_docs(segment).tolist()) if segment.has_deletions() else set()
            got = [
                flat[offsets[row] : offsets[row + 1]].tolist()
                for row, doc in enumerate(raw.ids.tolist())
                if doc not in deleted
            ]
            assert got == expected, word


def test_field_lengths_and_deletions_match_whoosh(reader):
    for segment, _offset in reader.leaf_readers():
        for field in ("title", "abstract", "org"):
            lengths = internals.BYTE_TO_LENGTH[internals.field_length_bytes(segment, field)]
            expected = [segment.doc_field_length(doc, field, 0) for doc in range(segment.doc_count_all())]
            assert lengths.tolist() == expected, field
        deleted = internals.deleted_docs(segment)
        expected_deleted = [doc for doc in range(segment.doc_count_all()) if segment.is_deleted(doc)]
        assert (deleted.tolist() if deleted is not None else []) == expected_deleted


def test_bm25f_parameters_and_multiterm_expansion(reader):
    from whoosh.scoring import BM25F

    weighting = BM25F(B=0.75, K1=1.2, title_B=0.5)
    assert internals.bm25f_b(weighting, "title") == 0.5
    assert internals.bm25f_b(weighting, "abstract") == 0.75
    assert internals.multiterm_words(wq.Wildcard("abstract", "l*n"), reader) == ["learn"]
    assert internals.multiterm_words(wq.Prefix("title", "pol"), reader) == ["polici"]


def test_positions_of_every_size_decode_as_whoosh_decodes_them():
    from whoosh.formats import Positions

    rng = random.Random(8)
    lists = [[rng.randrange(200)]]  # one small position (most postings)
    lists += [sorted(rng.sample(range(limit), size)) for limit, size in [(300, 5), (70_000, 40), (2**20, 3)]]
    lists += [sorted(rng.sample(range(5000), 1500))]  # pickled in two batches of appends
    lists += [[0], [255, 256], [65535, 65536]]  # each opcode's edges (K, M, J)
    values = [Positions().encode(positions) for positions in lists]
    values[1] = values[1].rstrip(b".")  # Whoosh may store a value without pickle's STOP
    offsets, flat = internals.decode_positions(values)
    assert [flat[offsets[i] : offsets[i + 1]].tolist() for i in range(len(lists))] == lists
    assert Positions().decode_positions(values[4]) == lists[4]
