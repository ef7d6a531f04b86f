"""Every use of Whoosh's private parts, in one place (whoosh-reloaded 2.7.5, pinned ``~=``).

Small, measured fixes applied where an index is opened (:func:`apply`), and fast reads
of what Whoosh stores in a fixed layout. A future Whoosh fork changes only this file;
``tests/test_whoosh_internals.py`` fails loudly if the internals read here change.
Each piece says what it fixes or buys, measured with ``tests/bench/run.py``.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from whoosh import columns
from whoosh.codec import whoosh3
from whoosh.filedb import structfile
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

_applied = False


def _cached_reader(self, fieldname, column):
    # Whoosh caches a per-document column reader only when the column exists; for a
    # field without lengths (ids, spelling fields) it stats the file again on every
    # posting written. Caching the "no column" answer too cut index time by ~30%
    # (2,000 papers: 320 -> 450 papers/s). Segment files never change once written,
    # so the cached answer cannot go stale.
    try:
        return self._readers[fieldname]
    except KeyError:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
        return reader


class _ViewReader(io.RawIOBase):
    """A read-only file over a memoryview that copies only what is read."""

    def __init__(self, view: memoryview):
        super().__init__()
        self._view = view
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = max(0, min(len(buffer), len(self._view) - self._pos))
        buffer[:count] = self._view[self._pos : self._pos + count]
        self._pos += count
        return count

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: len(self._view)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos


def _buffer_file_init(self, buf, name=None, onclose=None):
    # Whoosh wraps each part of a memory-mapped segment in BytesIO(buf), which copies
    # the whole part (the stored fields of 50k papers: ~60 ms) every time a reader opens
    # one. At 100k papers, opening the library and its first listing spent 1.4 s there.
    self._buf = buf
    self._name = name
    self.file = io.BufferedReader(_ViewReader(buf))
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


def apply() -> None:
    """Install the fixes (idempotent)."""
    global _applied
    if _applied:
        return
    whoosh3.W3PerDocReader._cached_reader = _cached_reader
    structfile.BufferFile.__init__ = _buffer_file_init
    _applied = True


_COLUMN_DTYPES = {"b": "i1", "B": "u1", "h": ">i2", "H": ">u2", "i": ">i4", "I": ">u4", "l": ">i4", "L": ">u4"}
"""Whoosh packs fixed-width numbers with struct's "!": big-endian, standard sizes."""


def numeric_column_array(column, doccount: int) -> np.ndarray | None:
    """Every value of a fixed-width numeric column reader of one segment, in one call.

    Whoosh hands out one value per Python call (~4 µs each: 0.4 s at 100k papers, all of
    it in the reader's first paint); its fixed-width values are one slice of the
    memory-mapped file. None for a column stored any other way.
    """
    if not isinstance(column, columns.NumericColumn.Reader) or column._typecode not in _COLUMN_DTYPES:
        return None
    raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
    stored = np.frombuffer(raw, dtype=_COLUMN_DTYPES[column._typecode])[:doccount]
    values = np.empty(doccount, dtype=np.int64)
    values[: len(stored)] = stored
    values[len(stored) :] = column._default  # trailing documents holding the default were never written
    return values


# -- postings and field lengths, read straight into numpy (see index.search.vectorized) ----


POSTINGS_MAGIC = b"W3Bl"
"""Whoosh's W3 codec starts every term's postings with these bytes."""
_BLOCK_LENGTH = struct.Struct("!i")
BYTE_TO_LENGTH = np.array([byte_to_length(n) for n in range(256)], dtype=np.float64)
"""Whoosh stores a field's length in a byte (a log scale); this table is its decoding."""


@dataclass
class RawPostings:
    """A term's postings in one segment: local doc numbers, weights, and the raw values
    (each a packed count plus pickled position deltas, for fields with positions)."""

    ids: np.ndarray
    weights: np.ndarray
    values: list[bytes] | None


class ReadInterrupted(Exception):
    """``interrupted()`` turned true between two blocks of a term's postings."""


def segment_postings(
    segment, fieldname: str, term: bytes, with_values: bool = False, interrupted: Callable[[], bool] | None = None
) -> RawPostings | None:
    """The postings of ``term`` in one segment reader, or None when it has none.

    Whoosh reads these block by block through Python objects (~10 µs a posting once
    scored); here the blocks are decompressed one by one and decoded all at once (see
    :func:`_fast_blocks`). Ids come as int32 and weights as float32 (what Whoosh stores):
    half the memory of 64-bit arrays. ``interrupted`` is asked between blocks (a
    background reader giving way to a search).
    """
    terms = segment._terms
    try:
        info = terms.term_info(fieldname, term)
    except TermNotFound:
        return None
    if info.is_inlined():
        ids, weights, values = info.inlined_postings()
        return RawPostings(
            np.asarray(ids, dtype=np.int32),
            np.asarray(weights, dtype=np.float32),
            list(values) if with_values else None,
        )
    offset, length = info.extent()
    if isinstance(length, tuple):  # whoosh-reloaded 2.7.5 reads the length as a 1-tuple
        (length,) = length
    buffer = terms._postfile.get(offset, length)
    if buffer[:4] != POSTINGS_MAGIC:
        raise struct.error(f"postings of {fieldname}:{term!r} do not start with {POSTINGS_MAGIC!r}")
    blocks = list(_blocks(buffer, interrupted))
    if not with_values:
        fast = _fast_blocks(blocks)
        if fast is not None:
            return fast
    id_parts, weight_parts, values = [], [], []
    for count, data in blocks:
        block_ids, block_weights, block_values = pickle.loads(data)
        id_parts.append(np.cumsum(np.asarray(block_ids, dtype=np.int32), dtype=np.int32))  # stored as deltas
        if block_weights is None:
            weight_parts.append(np.ones(count, dtype=np.float32))
        elif isinstance(block_weights, float):
            weight_parts.append(np.full(count, block_weights, dtype=np.float32))
        else:
            weight_parts.append(np.asarray(block_weights, dtype=np.float32))  # a tuple of float32 values
        if with_values:
            values.extend(block_values)
    return RawPostings(np.concatenate(id_parts), np.concatenate(weight_parts), values if with_values else None)


def _blocks(buffer, interrupted: Callable[[], bool] | None):
    """(posting count, decompressed pickle) of each block of a term's postings."""
    position = 4
    last = False
    while not last:
        if interrupted is not None and interrupted():
            raise ReadInterrupted()
        (block_length,) = _BLOCK_LENGTH.unpack_from(buffer, position)
        position += _BLOCK_LENGTH.size
        last = block_length < 0
        end = position + abs(block_length)
        stream = io.BytesIO(buffer[position:end])
        count, _maxid, _maxweight, compression, _minlength, _maxlength = pickle.load(stream)
        data = buffer[position + stream.tell() : end]
        yield count, zlib.decompress(data) if compression else bytes(data)
        position = end


_PROTO_2 = b"\x80\x02"
_MARK, _TUPLE, _BINPUT, _LONG_BINPUT, _NONE, _BINFLOAT = (ord(c) for c in "(tqrNG")
_TUPLE_N = {1: 0x85, 2: 0x86, 3: 0x87}


def _fast_blocks(blocks: list[tuple[int, bytes]]) -> RawPostings | None:
    """Ids and weights of every block, read from their pickles without unpickling them,
    or None when a block is not laid out as this expects (then ``pickle.loads`` it is).

    A block is ``pickle.dumps((ids, weights, values), 2)``, and protocol 2 pickles each
    value (bytes) as a call to ``codecs.encode``: unpickling costs ~85 µs a block, most
    of it for values that only phrases read. Ids are deltas, so after each block's first
    (any size) they are under 256 in any common word: one ``K`` opcode and a byte each.
    Weights are ``None`` (all 1), one float for all, or ``G`` + an 8-byte big-endian
    float each. Each block is checked with bytes operations; the numbers are decoded
    for all blocks at once.
    """
    counts = np.fromiter((count for count, _ in blocks), dtype=np.int64, count=len(blocks))
    firsts = np.empty(len(blocks), dtype=np.int64)
    deltas: list[bytes] = []
    constant = np.ones(len(blocks), dtype=np.float64)
    listed = np.zeros(len(blocks), dtype=bool)
    records: list[bytes] = []
    try:
        for index, (count, data) in enumerate(blocks):
            read = _read_block(data, count)
            if read is None:
                return None
            firsts[index], block_deltas, block_weights = read
            deltas.append(block_deltas)
            if isinstance(block_weights, bytes):
                listed[index] = True
                records.append(block_weights)
            elif block_weights is not None:
                constant[index] = block_weights
    except (IndexError, ValueError, struct.error):
        return None  # cut short: pickle.loads will say what is wrong
    starts = np.cumsum(counts) - counts
    steps = np.empty(int(counts.sum()), dtype=np.int64)
    rest = np.ones(len(steps), dtype=bool)
    rest[starts] = False
    steps[rest] = np.frombuffer(b"".join(deltas), dtype=np.uint8)
    steps[starts] = firsts
    running = np.cumsum(steps)
    ids = running - np.repeat(running[starts] - firsts, counts)  # each block restarts from 0
    weights = np.repeat(constant, counts)
    if records:
        table = np.frombuffer(b"".join(records), dtype=np.uint8).reshape(-1, 9)
        if not (table[:, 0] == _BINFLOAT).all():
            return None
        weights[np.repeat(listed, counts)] = np.ascontiguousarray(table[:, 1:]).view(">f8").ravel()
    return RawPostings(ids.astype(np.int32), weights.astype(np.float32), None)


def _read_block(data: bytes, count: int) -> tuple[int, bytes, float | bytes | None] | None:
    """(first id, the other id deltas as bytes, weights: None, a float or the float
    records) of one block's pickle, or None when it is laid out otherwise."""
    if data[:2] != _PROTO_2 or count < 1:
        return None
    at = 2
    if count > 3:
        if data[at] != _MARK:
            return None
        at += 1
    opcode = data[at]
    if opcode == _BININT1:
        first, at = data[at + 1], at + 2
    elif opcode == _BININT2:
        first, at = data[at + 1] | data[at + 2] << 8, at + 3
    elif opcode == _BININT:
        first, at = int.from_bytes(data[at + 1 : at + 5], "little", signed=True), at + 5
    else:
        return None
    end = at + 2 * (count - 1)
    if data[at:end:2] != b"K" * (count - 1):
        return None  # a gap of 256 documents or more
    deltas = data[at + 1 : end : 2]
    if data[end] != (_TUPLE if count > 3 else _TUPLE_N[count]):
        return None
    at = end + 1
    if data[at] == _BINPUT:  # the tuple's memo entry
        at += 2
    elif data[at] == _LONG_BINPUT:
        at += 5
    else:
        return None
    opcode = data[at]
    if opcode == _NONE:
        return first, deltas, None
    if opcode == _MARK and count > 3:
        at += 1
    elif opcode != _BINFLOAT:
        return None
    elif count == 1 or data[at + 9] not in (_BINFLOAT, _TUPLE_N.get(count)):
        return first, deltas, struct.unpack_from(">d", data, at + 1)[0]  # one weight for all
    floats = data[at : at + 9 * count]
    if len(floats) != 9 * count:
        return None  # cut short
    return first, deltas, floats


def decode_positions(values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Positions of every posting as one flat array, and where each posting's start
    (CSR offsets, one more than postings).

    Whoosh stores a posting's positions as a packed count, then ``pickle.dumps(deltas,
    2)``: ``\x80\x02]q\x00``, then one ``K``/``M``/``J`` opcode per delta (1, 2 or 4
    bytes), between ``(``...``e`` when there are several. Unpickling each posting in a
    loop costs ~5 µs (0.5 s for a word in 92k of 100k papers); here all postings are
    read in step, one numpy pass per delta. Anything else is unpickled the slow way.
    """
    if not values:
        return np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32)
    sizes = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    starts = np.zeros(len(values), dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])
    buffer = np.frombuffer(b"".join(values), dtype=np.uint8)
    counts = _big_endian_uint32(buffer, starts)
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    header_ok = sizes >= 4 + len(_PICKLED_LIST) + 3
    for place, byte in enumerate(_PICKLED_LIST):
        header_ok &= buffer[np.minimum(starts + 4 + place, len(buffer) - 1)] == byte
    regular = header_ok & (counts >= 1) & (counts <= _PICKLE_BATCH)
    deltas = np.zeros(int(offsets[-1]), dtype=np.int64)
    pointer = starts + 4 + len(_PICKLED_LIST) + (counts > 1)  # past "(" (MARK) when several
    rows = np.flatnonzero(regular)
    for step in range(int(counts[rows].max()) if len(rows) else 0):
        rows = rows[counts[rows] > step]
        at = pointer[rows]
        opcode = buffer[at]
        one = buffer[np.minimum(at + 1, len(buffer) - 1)].astype(np.int64)
        two = buffer[np.minimum(at + 2, len(buffer) - 1)].astype(np.int64)
        value = np.where(opcode == _BININT2, one | (two << 8), one)
        wide = opcode == _BININT
        if wide.any():
            value[wide] = _little_endian_int32(buffer, at[wide] + 1)
        bad = (opcode != _BININT1) & (opcode != _BININT2) & ~wide
        if bad.any():
            regular[rows[bad]] = False
        deltas[offsets[rows] + step] = value
        pointer[rows] += np.where(opcode == _BININT1, 2, np.where(opcode == _BININT2, 3, 5))
    for row in np.flatnonzero(~regular):  # not the layout above: Whoosh's own decoding
        body = values[row][4:]
        row_deltas = pickle.loads(body if body.endswith(b".") else body + b".")
        deltas[offsets[row] : offsets[row] + len(row_deltas)] = row_deltas
    # Deltas to positions: a running sum that restarts at each posting.
    running = np.cumsum(deltas)
    before = np.concatenate(([0], running))[offsets[:-1]]
    return offsets, (running - np.repeat(before, counts)).astype(np.int32)


_PICKLED_LIST = b"\x80\x02]q\x00"
"""pickle protocol 2: PROTO 2, EMPTY_LIST, BINPUT 0."""
_BININT1, _BININT2, _BININT = ord("K"), ord("M"), ord("J")
_PICKLE_BATCH = 1000
"""Pickle appends list items in batches of 1000: longer lists take the slow path."""


def _big_endian_uint32(buffer: np.ndarray, at: np.ndarray) -> np.ndarray:
    parts = [buffer[at + i].astype(np.int64) for i in range(4)]
    return (parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]


def _little_endian_int32(buffer: np.ndarray, at: np.ndarray) -> np.ndarray:
    parts = [buffer[at + i].astype(np.int64) for i in range(4)]
    value = parts[0] | (parts[1] << 8) | (parts[2] << 16) | (parts[3] << 24)
    return np.where(value >= 2**31, value - 2**32, value)


def field_length_bytes(segment, fieldname: str) -> np.ndarray:
    """Every document's length byte for ``fieldname`` in one segment (0: no such field)."""
    doccount = segment.doc_count_all()
    perdoc = segment._perdoc
    column = perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
    if column is None:
        return np.zeros(doccount, dtype=np.uint8)
    values = numeric_column_array(column, doccount)
    if values is None:
        return np.asarray([column[docnum] for docnum in range(doccount)], dtype=np.uint8)
    return values.astype(np.uint8)


def deleted_docs(segment) -> np.ndarray | None:
    """Local doc numbers deleted from one segment (None when there are none)."""
    if not segment.has_deletions():
        return None
    return np.fromiter(sorted(segment._perdoc.deleted_docs()), dtype=np.int32)


def bm25f_b(weighting, fieldname: str) -> float:
    """BM25F's B for one field (Whoosh keeps per-field values in a private dict)."""
    return weighting._field_B.get(fieldname, weighting.B)


def multiterm_words(q, reader) -> list[str]:
    """The indexed words a wildcard-like query stands for, as its matcher expands them."""
    return [w.decode("utf-8") if isinstance(w, bytes) else w for w in q._btexts(reader) if w]
