"""Normalisation: put indicators of different units on one scale.

Every normaliser takes an array and returns one of the same shape; a 2-D array is normalised
column by column (one column per indicator, one row per country). NaN marks a country
without data: it stays NaN and does not enter the statistics.

:data:`NORMALISERS` holds the family by name (STYLE §2). :func:`cap` is a pre-treatment
(the 2020+ TII cut-off), not a normaliser.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Protocol, TypeAlias

import numpy as np
import numpy.typing as npt

from egov.errors import MethodologyError

FloatArray: TypeAlias = npt.NDArray[np.float64]


class Normaliser(Protocol):
    """``normalise(x) -> y``: one array in, one array of the same shape out."""

    def __call__(self, x: FloatArray, /) -> FloatArray: ...


def _as_float(x: FloatArray) -> FloatArray:
    values = np.asarray(x, dtype=np.float64)
    if values.ndim not in (1, 2):
        raise MethodologyError(f"expected a 1-D or 2-D array, got {values.ndim} dimensions")
    present = ~np.isnan(values)
    if not present.any(axis=0).all():
        raise MethodologyError("cannot normalise: no value (all NaN)")
    return values


def min_max(x: FloatArray, *, lower: float = 0.0, upper: float = 1.0) -> FloatArray:
    r"""Rescale ``x`` linearly onto ``[lower, upper]``; NaN stays NaN.

    .. math:: y_i = lower + (upper - lower) \frac{x_i - \min x}{\max x - \min x}

    Used for OSI and EPI on raw questionnaire points, over assessed countries (spec §3.1,
    [R] annex wording; [D] OSI and EPI reach exactly 0 and 1 in every edition 2008-2024), and
    as the last step of the TII/HCI composite from 2012 (spec §3.2 step 4, [V] S2016-annex).
    A constant ``x`` has no range: MethodologyError. Source: OECD & JRC (2008), *Handbook
    on Constructing Composite Indicators*.

    >>> min_max(np.array([2.0, 4.0, 6.0])).tolist()
    [0.0, 0.5, 1.0]
    >>> min_max(np.array([2.0, np.nan, 6.0]), lower=1.0, upper=3.0).tolist()
    [1.0, nan, 3.0]
    """
    values = _as_float(x)
    low = np.nanmin(values, axis=0)
    high = np.nanmax(values, axis=0)
    span = high - low
    if np.any(span == 0):
        raise MethodologyError("cannot min-max normalise: every value is the same (zero range)")
    scaled: FloatArray = lower + (upper - lower) * (values - low) / span
    return scaled


def z_score(x: FloatArray, *, ddof: int = 0) -> FloatArray:
    r"""Standardise ``x``: subtract the mean, divide by the standard deviation; NaN stays NaN.

    .. math:: z_i = \frac{x_i - \mu}{\sigma}, \quad
              \sigma = \sqrt{\frac{1}{N - ddof} \sum_i (x_i - \mu)^2}

    The Survey uses the population deviation, ``ddof = 0`` (spec §3.2 step 2, [V]
    S2016-annex, egovkb-method). In the TII/HCI composite ``ddof`` cancels in the final
    min-max (spec §3.2, consequences). Zero deviation: MethodologyError.

    >>> z_score(np.array([1.0, 2.0, 3.0])).round(4).tolist()
    [-1.2247, 0.0, 1.2247]
    >>> z_score(np.array([1.0, 2.0, 3.0]), ddof=1).tolist()
    [-1.0, 0.0, 1.0]
    """
    values = _as_float(x)
    count = np.sum(~np.isnan(values), axis=0)
    if np.any(count <= ddof):
        raise MethodologyError(f"cannot standardise: need more than ddof={ddof} values")
    mean = np.nanmean(values, axis=0)
    deviation = np.nanstd(values, axis=0, ddof=ddof)
    if np.any(deviation == 0):
        raise MethodologyError("cannot standardise: every value is the same (zero deviation)")
    standard: FloatArray = (values - mean) / deviation
    return standard


def cap(x: FloatArray, *, upper: float) -> FloatArray:
    r"""Cut values above ``upper`` down to ``upper``; NaN stays NaN.

    .. math:: y_i = \min(x_i, upper)

    From 2020 every TII indicator is capped at 120 per 100 inhabitants before the z-score
    (spec §3.2 step 1, [V] S2022-A197).

    >>> cap(np.array([95.0, 135.0, np.nan]), upper=120.0).tolist()
    [95.0, 120.0, nan]
    """
    capped: FloatArray = np.minimum(np.asarray(x, dtype=np.float64), upper)
    return capped


def percent(x: FloatArray) -> FloatArray:
    r"""A share in percent onto 0..1: fixed goalposts 0 and 100; NaN stays NaN.

    .. math:: y_i = x_i / 100

    HCI before 2012 is 2/3 adult literacy + 1/3 gross enrolment, each as a share of 100
    (spec §3.3, §4.2, [V] UNPAN-2008); nothing caps an enrolment ratio above 100 %.

    >>> percent(np.array([99.0, 45.5])).tolist()
    [0.99, 0.455]
    """
    share: FloatArray = np.asarray(x, dtype=np.float64) / 100.0
    return share


#: The normalisers by name; ``editions.yaml`` refers to these keys.
NORMALISERS: Final[Mapping[str, Normaliser]] = MappingProxyType(
    {"min_max": min_max, "z_score": z_score, "percent": percent}
)
