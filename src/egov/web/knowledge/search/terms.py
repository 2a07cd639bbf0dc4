"""The term index: for each term of the full-text index, the items that have it and its weighted
frequency in each, so a search ranks every match with a few array operations
(:mod:`.ranking`) instead of having the database score each match in turn.

Two tables, the same on both databases (migration 0003), in chunks of :data:`CHUNK` item ids
(``item_id >> 9``):

- ``knowledge_search_term (term, chunk, postings)``: the items of the chunk having the term,
  with its weighted frequency (each occurrence counts its field's weight);
- ``knowledge_search_length (chunk, postings)``: each indexed item's length in tokens.

Postings are packed little-endian pairs (:data:`POSTING`: the item id less the chunk's first
id, uint16; the value, float32). The terms are the backend's own
(:meth:`~.Backend.frequencies`): FTS5's tokens on SQLite, the vectors' lexemes on PostgreSQL.

Derived from the full-text index a chunk at a time (:func:`rebuild`): when an item is indexed
or removed, its chunk is read again, so no write needs to know what an item held before.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

import numpy as np
from django.db.backends.utils import CursorWrapper

TERMS: Final = "knowledge_search_term"
LENGTHS: Final = "knowledge_search_length"
SHIFT: Final = 9
#: Item ids per chunk: a change of one item rewrites the postings of this many.
CHUNK: Final = 1 << SHIFT
POSTING: Final = np.dtype([("offset", "<u2"), ("value", "<f4")])
#: After every string that starts with a prefix (byte order of UTF-8, as both databases
#: compare these columns).
_LAST: Final = "\U0010ffff"


@dataclass(frozen=True, slots=True)
class Unit:
    """One word of a query in the index's terms: any of ``terms``, or any term starting with
    one of ``prefixes`` (an item having several counts them all)."""

    terms: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()


class Source(Protocol):
    def frequencies(
        self, cursor: CursorWrapper, first: int, stop: int
    ) -> list[tuple[str, int, float, int]]: ...


def chunk_of(item_id: int) -> int:
    return item_id >> SHIFT


def clear(cursor: CursorWrapper) -> None:
    cursor.execute(f"DELETE FROM {TERMS}")
    cursor.execute(f"DELETE FROM {LENGTHS}")


def rebuild(cursor: CursorWrapper, source: Source, chunks: Iterable[int]) -> None:
    """Read the ``chunks`` again from the full-text index of ``source``."""
    for chunk in sorted(set(chunks)):
        first = chunk << SHIFT
        rows = source.frequencies(cursor, first, first + CHUNK)
        cursor.execute(f"DELETE FROM {TERMS} WHERE chunk = %s", [chunk])
        cursor.execute(f"DELETE FROM {LENGTHS} WHERE chunk = %s", [chunk])
        if not rows:
            continue
        cursor.executemany(
            f"INSERT INTO {TERMS} (term, chunk, postings) VALUES (%s, %s, %s)",
            [(term, chunk, postings) for term, postings in _encoded(rows, first)],
        )
        ids = np.fromiter((row[1] for row in rows), dtype=np.int64, count=len(rows))
        counts = np.fromiter((row[3] for row in rows), dtype=np.float64, count=len(rows))
        items, which = np.unique(ids, return_inverse=True)
        cursor.execute(
            f"INSERT INTO {LENGTHS} (chunk, postings) VALUES (%s, %s)",
            [chunk, _packed(items - first, np.bincount(which, weights=counts))],
        )


def _packed(offsets: np.ndarray, values: np.ndarray) -> bytes:
    packed = np.empty(len(offsets), dtype=POSTING)
    packed["offset"] = offsets
    packed["value"] = values
    return packed.tobytes()


def _encoded(rows: Sequence[tuple[str, int, float, int]], first: int) -> list[tuple[str, bytes]]:
    """``(term, postings)`` of rows sorted by term, then item id."""
    offsets = np.fromiter((row[1] - first for row in rows), dtype=np.int64, count=len(rows))
    values = np.fromiter((row[2] for row in rows), dtype=np.float64, count=len(rows))
    packed = _packed(offsets, values)
    size = POSTING.itemsize
    starts = [0, *(i for i in range(1, len(rows)) if rows[i][0] != rows[i - 1][0]), len(rows)]
    return [
        (rows[start][0], packed[start * size : stop * size])
        for start, stop in itertools.pairwise(starts)
    ]


def _decoded(rows: Sequence[tuple[int, bytes]]) -> tuple[np.ndarray, np.ndarray]:
    """The ids and values of the postings of ``(chunk, postings)`` rows, in their order."""
    if not rows:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
    postings = np.frombuffer(b"".join(blob for _chunk, blob in rows), dtype=POSTING)
    firsts = np.repeat(
        np.fromiter((chunk << SHIFT for chunk, _blob in rows), dtype=np.int64, count=len(rows)),
        [len(blob) // POSTING.itemsize for _chunk, blob in rows],
    )
    return firsts + postings["offset"], postings["value"].astype(np.float64)


def postings(cursor: CursorWrapper, units: Sequence[Unit]) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each of ``units``, the ids of the items having it (sorted, distinct) and its weighted
    frequency in each (one query for them all)."""
    exact: dict[str, list[int]] = {}
    prefixes: dict[str, list[int]] = {}
    for number, unit in enumerate(units):
        for term in unit.terms:
            exact.setdefault(term, []).append(number)
        for prefix in unit.prefixes:
            prefixes.setdefault(prefix, []).append(number)
    found: list[list[tuple[int, bytes]]] = [[] for _unit in units]
    read: list[set[str]] = [set() for _unit in units]  # the terms each unit found
    if exact or prefixes:
        where, params = [], []
        if exact:
            where.append(f"term IN ({', '.join(['%s'] * len(exact))})")
            params += list(exact)
        for prefix in prefixes:
            where.append("(term >= %s AND term < %s)")
            params += [prefix, prefix + _LAST]
        cursor.execute(
            f"SELECT term, chunk, postings FROM {TERMS} WHERE {' OR '.join(where)}"
            " ORDER BY term, chunk",
            params,
        )
        for term, chunk, blob in cursor.fetchall():
            numbers = list(exact.get(term, ()))
            numbers += [n for prefix, ns in prefixes.items() if term.startswith(prefix) for n in ns]
            for number in dict.fromkeys(numbers):
                found[number].append((chunk, bytes(blob)))
                read[number].add(term)
    merged = []
    for rows, terms in zip(found, read, strict=True):
        ids, weights = _decoded(rows)
        if len(terms) > 1:  # an item may have more than one of them
            ids, weights = _summed(ids, weights)
        merged.append((ids, weights))
    return merged


def _summed(ids: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``ids`` (sorted) and the sum of the ``weights`` (all positive) of each:
    counted into an array as long as the highest id when the ids are dense enough, else by
    sorting (``np.unique``, several times slower)."""
    if not len(ids):
        return ids, weights
    if int(ids.max()) <= 16 * len(ids):
        sums = np.bincount(ids, weights=weights)
        found = np.flatnonzero(sums)
        return found, sums[found]
    found, which = np.unique(ids, return_inverse=True)
    return found, np.bincount(which, weights=weights)


def lengths(cursor: CursorWrapper) -> tuple[np.ndarray, np.ndarray]:
    """The ids of the indexed items (sorted) and their lengths in tokens."""
    cursor.execute(f"SELECT chunk, postings FROM {LENGTHS} ORDER BY chunk")
    return _decoded([(chunk, bytes(blob)) for chunk, blob in cursor.fetchall()])
