r"""Relevance: BM25 over weighted fields, computed the way SQLite's FTS5 computes ``bm25()``,
from the postings of the term index (:mod:`.terms`) instead of by the database, match by match.

For a query of units (words) :math:`i` and an item :math:`d`:

.. math::

    score(d) = \sum_i idf_i \, \frac{f_i(d) \, (k_1 + 1)}
                                    {f_i(d) + k_1 \left(1 - b + b \, |d| / avgdl\right)}

where :math:`f_i(d)` is the weighted frequency of unit :math:`i` in :math:`d` (each occurrence
counts its field's weight), :math:`|d|` the item's length in tokens (every field, unweighted),
:math:`avgdl` the mean length over the index, :math:`k_1 = 1.2`, :math:`b = 0.75`, and

.. math:: idf_i = \ln \frac{N - n_i + 0.5}{n_i + 0.5} \text{, or } 10^{-6} \text{ if that is } \le 0

with :math:`N` the items indexed and :math:`n_i` those having unit :math:`i`: a word in half the
items or more gets :math:`10^{-6}`, as FTS5 floors it (a small positive idf is kept).
Source: Robertson & Zaragoza (2009), *The Probabilistic Relevance Framework: BM25 and Beyond*;
SQLite's ``ext/fts5/fts5_aux.c`` (``fts5Bm25Function``).

>>> unit = Postings(rows=np.array([0, 2]), weights=np.array([10.0, 1.0]), hits=2)
>>> bm25([unit], np.array([10.0, 10.0, 10.0, 10.0]), documents=10, average_length=10.0).round(4)
array([2.4038, 0.    , 1.2238, 0.    ])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

K1: Final = 1.2
B: Final = 0.75
#: The idf of a unit in half the items or more (FTS5's floor).
IDF_FLOOR: Final = 1e-6


@dataclass(frozen=True, slots=True)
class Postings:
    """One unit of a query: the rows (distinct) of the items having it, its weighted frequency
    in each, and in how many indexed items it is (``hits``, counting items without a row)."""

    rows: np.ndarray
    weights: np.ndarray
    hits: int


def idf(hits: int, documents: int) -> float:
    """The inverse document frequency of a unit in ``hits`` of ``documents`` items.

    >>> round(idf(1, 100), 4), idf(60, 100)
    (4.1947, 1e-06)
    """
    value = math.log((documents - hits + 0.5) / (hits + 0.5))
    return value if value > 0 else IDF_FLOOR


def bm25(
    units: Sequence[Postings], lengths: np.ndarray, *, documents: int, average_length: float
) -> np.ndarray:
    """The score of every row (``lengths``: each row's length in tokens) for the query of
    ``units``; 0 for a row without any of them."""
    scores = np.zeros(len(lengths), dtype=np.float64)
    if not units or documents <= 0 or average_length <= 0:
        return scores
    norms = K1 * (1.0 - B + B * lengths / average_length)
    for unit in units:
        if not len(unit.rows):
            continue
        frequency = unit.weights
        scores[unit.rows] += (
            idf(unit.hits, documents) * frequency * (K1 + 1.0) / (frequency + norms[unit.rows])
        )
    return scores


def best(scores: np.ndarray, years: np.ndarray, title_ranks: np.ndarray, count: int) -> np.ndarray:
    """The positions of the ``count`` best of ``scores``, in order: by score compared to 9
    decimals (closer is a tie), then ``years`` (newest first), then ``title_ranks``. Only the
    scores that could make the cut are sorted.

    >>> best(np.array([1.0, 3.0, 3.0, 2.0]), np.array([2000, 2001, 2003, 2000]),
    ...      np.array([0, 1, 2, 3]), 3).tolist()
    [2, 1, 3]
    """
    rounded = np.round(scores, 9)
    candidates = np.arange(len(scores))
    if 0 < count < len(scores):
        cut = np.partition(rounded, len(scores) - count)[len(scores) - count]
        candidates = np.flatnonzero(rounded >= cut)
    order = np.lexsort(
        (
            title_ranks[candidates],
            -years[candidates].astype(np.int64),
            -rounded[candidates],
        )
    )
    return candidates[order][:count]
