"""Aggregation: combine several normalised columns into one value per row.

Every aggregator takes ``values`` of shape ``(countries, parts)`` and ``weights`` of shape
``(parts,)`` and returns one value per country; a NaN part makes that country's result NaN.
Weights need not sum to 1: they are divided by their sum. :data:`AGGREGATORS` holds the
family by name (STYLE §2).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Protocol

import numpy as np

from egov.errors import MethodologyError
from egov.methodology.normalise import FloatArray


class Aggregator(Protocol):
    """``aggregate(values, weights) -> one value per row``."""

    def __call__(self, values: FloatArray, weights: FloatArray, /) -> FloatArray: ...


def _checked(values: FloatArray, weights: FloatArray) -> tuple[FloatArray, FloatArray]:
    matrix = np.asarray(values, dtype=np.float64)
    vector = np.asarray(weights, dtype=np.float64)
    if matrix.ndim != 2 or vector.ndim != 1 or matrix.shape[1] != vector.shape[0]:
        raise MethodologyError(
            f"values {matrix.shape} and weights {vector.shape} do not fit: "
            "expected (countries, parts) and (parts,)"
        )
    if np.any(vector < 0) or not vector.sum() > 0:
        raise MethodologyError("weights must be non-negative with a positive sum")
    return matrix, vector


def arithmetic_mean(values: FloatArray, weights: FloatArray) -> FloatArray:
    r"""Weighted arithmetic mean of each row.

    .. math:: y_c = \frac{\sum_i w_i x_{ci}}{\sum_i w_i}

    EGDI is the weighted arithmetic mean of OSI, TII and HCI (spec §2, rules E1/E2), and the
    TII/HCI composite is the weighted mean of indicator z-scores (spec §3.2 step 3).

    >>> arithmetic_mean(np.array([[1.0, 0.5, 0.0]]), np.array([0.34, 0.33, 0.33])).round(3)
    array([0.505])
    """
    matrix, vector = _checked(values, weights)
    mean: FloatArray = (matrix @ vector) / vector.sum()
    return mean


def geometric_mean(values: FloatArray, weights: FloatArray) -> FloatArray:
    r"""Weighted geometric mean of each row (an alternative, not used by the Survey).

    .. math:: y_c = \prod_i x_{ci}^{w_i / \sum_j w_j}

    A zero part gives zero: a weak component cannot be compensated. Negative values (such as
    z-scores) have no geometric mean: MethodologyError. Source: OECD & JRC (2008),
    *Handbook on Constructing Composite Indicators*, §6.

    >>> geometric_mean(np.array([[1.0, 0.25], [0.0, 1.0]]), np.array([1.0, 1.0])).tolist()
    [0.5, 0.0]
    """
    matrix, vector = _checked(values, weights)
    if np.any(matrix < 0):
        raise MethodologyError("the geometric mean needs non-negative values")
    share = vector / vector.sum()
    with np.errstate(divide="ignore"):
        logs = np.log(matrix)
    # 0 * log(0) would be NaN; a zero-weight part must not count at all.
    logs[:, share == 0] = 0.0
    mean: FloatArray = np.exp(logs @ share)
    return mean


#: The aggregators by name; ``editions.yaml`` refers to these keys.
AGGREGATORS: Final[Mapping[str, Aggregator]] = MappingProxyType(
    {"arithmetic_mean": arithmetic_mean, "geometric_mean": geometric_mean}
)
