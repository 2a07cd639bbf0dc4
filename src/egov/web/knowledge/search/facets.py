"""The facets of every published item, held in memory as arrays, so counting them for any set
of matches costs a few array operations instead of a join over every tag of every match; and
what ranking needs of each item and of the whole index (its length in tokens, how many items
are indexed, their mean length: :mod:`.ranking`).

One :class:`FacetTable` per process and database, read from the items and their tags (the
source of truth; nothing is copied into the database) and the lengths the term index keeps
(:mod:`.terms`). It is read again when the index changes:
every change of the index writes a new token into ``knowledge_search_state`` (:func:`touch`,
in the writing transaction), and each search compares that token, and that the highest item
it holds is still a published item (which catches a table emptied under it, as tests do),
before using the table.

A METER sub-theme tag also counts for its pillar (``C1`` → ``C``: a sub-theme's id is its
pillar's id and a number, :mod:`egov.frameworks.meter_schema`).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import scipy.sparse  # type: ignore[import-untyped]
from django.db import connection

from ..models import Item, ItemStatus, ItemTag
from . import terms

#: The facets, in the order pages show them.
FACETS: Final = ("type", "country", "region", "theme", "meter", "stage", "year", "language")
#: Facets read from tags, by tag kind.
TAG_FACETS: Final = ("country", "region", "theme", "meter", "stage")
_DIGITS: Final = "0123456789"


@dataclass(frozen=True, slots=True)
class Column:
    """One facet: the pairs (item row, value number) of every published item."""

    values: tuple[str, ...]
    numbers: Mapping[str, int]
    rows: np.ndarray
    codes: np.ndarray

    @classmethod
    def of(cls, pairs: Iterable[tuple[int, str]]) -> Column:
        unique = sorted(set(pairs))
        values = tuple(sorted({value for _row, value in unique}))
        numbers = {value: number for number, value in enumerate(values)}
        rows = np.fromiter((row for row, _value in unique), dtype=np.intp, count=len(unique))
        codes = np.fromiter(
            (numbers[value] for _row, value in unique), dtype=np.int32, count=len(unique)
        )
        return cls(values, numbers, rows, codes)

    def counts(self, mask: np.ndarray) -> dict[str, int]:
        """``value → number of items`` among the rows where ``mask`` is true (non-zero only)."""
        found = np.bincount(self.codes[mask[self.rows]], minlength=len(self.values))
        return {self.values[number]: int(found[number]) for number in np.flatnonzero(found)}

    def having(self, values: Sequence[str], size: int) -> np.ndarray:
        """The rows with any of ``values``."""
        mask = np.zeros(size, dtype=bool)
        wanted = [self.numbers[value] for value in values if value in self.numbers]
        if wanted:
            mask[self.rows[np.isin(self.codes, wanted)]] = True
        return mask


@dataclass(frozen=True, slots=True)
class FacetTable:
    """Every published item as a row: its id, year, place in title order, length in tokens and
    its facets; and how many items the full-text index holds, and their mean length."""

    token: str
    ids: np.ndarray  # sorted
    years: np.ndarray  # -1 without a year
    title_ranks: np.ndarray
    browse: np.ndarray  # rows by year (newest first), then title
    columns: Mapping[str, Column]
    lengths: np.ndarray  # 0 when not indexed
    documents: int = 0
    average_length: float = 0.0
    #: Labels of the values, by language and facet (:mod:`.labels`), filled as searches ask.
    labels: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    #: Values (every facet's, one facet after the other) × rows: 1 where the item has it.
    _matrix: scipy.sparse.csr_matrix = field(init=False)
    _row_of: np.ndarray = field(init=False)  # by item id: its row, or -1 (4 bytes per id)

    def __post_init__(self) -> None:
        row_of = np.full(int(self.ids[-1]) + 1 if len(self.ids) else 0, -1, dtype=np.int32)
        row_of[self.ids] = np.arange(len(self.ids), dtype=np.int32)
        object.__setattr__(self, "_row_of", row_of)
        columns = list(self.columns.values())
        starts = np.cumsum([0, *(len(column.values) for column in columns)])
        codes = [column.codes + start for column, start in zip(columns, starts[:-1], strict=True)]
        empty = [np.empty(0, dtype=np.intp)]
        values = np.concatenate(codes + empty)
        matrix = scipy.sparse.csr_matrix(
            (
                np.ones(len(values), dtype=np.int32),
                (values, np.concatenate([c.rows for c in columns] + empty)),
            ),
            shape=(int(starts[-1]), self.size),
        )
        object.__setattr__(self, "_matrix", matrix)

    def counts(self, mask: np.ndarray) -> dict[str, dict[str, int]]:
        """For each facet, ``value → number of items`` among the rows where ``mask`` is true
        (non-zero only): one product of the values × rows matrix with the mask."""
        found = self._matrix @ mask.view(np.uint8)
        counted: dict[str, dict[str, int]] = {}
        start = 0
        for name, column in self.columns.items():
            part = found[start : start + len(column.values)]
            counted[name] = {column.values[n]: int(part[n]) for n in np.flatnonzero(part)}
            start += len(column.values)
        return counted

    @property
    def size(self) -> int:
        return len(self.ids)

    def rows_of(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(rows, found)``: the row of each id and whether it is a published item."""
        inside = (ids >= 0) & (ids < len(self._row_of))
        rows = np.full(len(ids), -1, dtype=np.int64)
        rows[inside] = self._row_of[ids[inside]]
        return rows, rows >= 0

    def mask_of(self, ids: np.ndarray) -> np.ndarray:
        rows, found = self.rows_of(ids)
        mask = np.zeros(self.size, dtype=bool)
        mask[rows[found]] = True
        return mask


def _pillar(code: str) -> str | None:
    pillar = code.rstrip(_DIGITS)
    return pillar if pillar and pillar != code else None


def build(token: str) -> FacetTable:
    """The table read from the database (three queries)."""
    items = list(
        Item.objects.filter(status=ItemStatus.PUBLISHED)
        .order_by("id")
        .values_list("id", "type", "year", "language", "title")
    )
    ids = np.fromiter((item[0] for item in items), dtype=np.int64, count=len(items))
    row_of = {item[0]: row for row, item in enumerate(items)}
    years = np.fromiter(
        (item[2] if item[2] is not None else -1 for item in items), dtype=np.int32, count=len(items)
    )
    by_title = sorted(range(len(items)), key=lambda row: (items[row][4].casefold(), items[row][0]))
    title_ranks = np.empty(len(items), dtype=np.int32)
    title_ranks[by_title] = np.arange(len(items), dtype=np.int32)
    browse = np.lexsort((title_ranks, -years.astype(np.int64))).astype(np.int32)

    pairs: dict[str, list[tuple[int, str]]] = {name: [] for name in FACETS}
    for row, (_id, type_, year, language, _title) in enumerate(items):
        pairs["type"].append((row, type_))
        pairs["language"].append((row, language))
        if year is not None:
            pairs["year"].append((row, str(year)))
    tags = ItemTag.objects.filter(item__status=ItemStatus.PUBLISHED, kind__in=TAG_FACETS)
    for item_id, kind, code in tags.values_list("item_id", "kind", "code").iterator(2000):
        tagged = row_of.get(item_id)
        if tagged is None:  # published between the two queries: next time
            continue
        pairs[kind].append((tagged, code))
        if kind == ItemTag.Kind.METER and (pillar := _pillar(code)):
            pairs[kind].append((tagged, pillar))
    columns = {name: Column.of(found) for name, found in pairs.items()}
    with connection.cursor() as cursor:
        indexed, sizes = terms.lengths(cursor)
    lengths = np.zeros(len(items), dtype=np.float64)
    if len(ids):
        rows = np.minimum(np.searchsorted(ids, indexed), len(ids) - 1)
        present = ids[rows] == indexed
        lengths[rows[present]] = sizes[present]
    average = float(sizes.sum()) / len(sizes) if len(sizes) else 0.0
    return FacetTable(
        token, ids, years, title_ranks, browse, columns, lengths, len(indexed), average
    )


_TABLES: dict[tuple[str, ...], FacetTable] = {}
_LOCK = threading.Lock()


def _database() -> tuple[str, ...]:
    settings = connection.settings_dict
    return (connection.vendor, str(settings["NAME"]), str(settings["HOST"]), str(settings["PORT"]))


def table() -> FacetTable:
    """The facet table of the published items as they stand (read again when stale)."""
    key = _database()
    cached = _TABLES.get(key)
    last = int(cached.ids[-1]) if cached is not None and cached.size else 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT token FROM knowledge_search_state WHERE id = 1),"
            " (SELECT status FROM knowledge_item WHERE id = %s)",
            [last],
        )
        token, status = cursor.fetchone()
    if cached is not None and cached.token == token and (not last or status == "published"):
        return cached
    with _LOCK:
        fresh = build(str(token))
        _TABLES[key] = fresh
    return fresh


def touch() -> None:
    """Mark the index changed: every process reads its facet table again on its next search.
    Called inside the writing transaction (a rolled-back change leaves the old token)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE knowledge_search_state SET token = %s WHERE id = 1", [uuid.uuid4().hex]
        )
