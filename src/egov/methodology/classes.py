"""EGDI groups (Very high, High, Middle, Low) and the 16 rating classes.

Groups [V groups-page; egovkb-rc-ko] are closed on the lower side (spec §8):

==========  ====  =====================
group       code  interval
==========  ====  =====================
Very high   V     0.75 ≤ EGDI ≤ 1.00
High        H     0.50 ≤ EGDI < 0.75
Middle      M     0.25 ≤ EGDI < 0.50
Low         L     0.00 ≤ EGDI < 0.25
==========  ====  =====================

Rating classes (introduced 2020 [R, brief]) split each group into four, highest first
VH V3 V2 V1 · HV H3 H2 H1 · MH M3 M2 M1 · LM L3 L2 L1. A classifier returns the quarter
(1 = lowest, 4 = highest) of each country within its group; :data:`RATING_CLASS_METHODS`
holds the family by name (STYLE §2).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal, Protocol, TypeAlias, get_args

import numpy as np
import numpy.typing as npt
import pandas as pd

from egov.errors import MethodologyError
from egov.methodology.families import choose
from egov.methodology.normalise import FloatArray

#: Which class a value lying exactly on a class boundary joins.
TieSide: TypeAlias = Literal["lower", "upper"]
#: The quantile methods of :func:`numpy.quantile`.
QuantileMethod: TypeAlias = Literal[
    "inverted_cdf",
    "averaged_inverted_cdf",
    "closest_observation",
    "interpolated_inverted_cdf",
    "hazen",
    "weibull",
    "linear",
    "median_unbiased",
    "normal_unbiased",
    "lower",
    "higher",
    "midpoint",
    "nearest",
]
QUANTILE_METHODS: Final[tuple[QuantileMethod, ...]] = get_args(QuantileMethod)
TIE_SIDES: Final[tuple[TieSide, ...]] = get_args(TieSide)

#: Lower bound of each group, highest group first; each bound belongs to its group.
GROUP_LOWER_BOUNDS: Final[Mapping[str, float]] = MappingProxyType(
    {"V": 0.75, "H": 0.50, "M": 0.25, "L": 0.0}
)
GROUP_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {"V": "Very high", "H": "High", "M": "Middle", "L": "Low"}
)
#: Rating-class codes of each group, from the lowest quarter (1) to the highest (4).
RATING_CLASSES: Final[Mapping[str, tuple[str, str, str, str]]] = MappingProxyType(
    {
        "V": ("V1", "V2", "V3", "VH"),
        "H": ("H1", "H2", "H3", "HV"),
        "M": ("M1", "M2", "M3", "MH"),
        "L": ("L1", "L2", "L3", "LM"),
    }
)
_GROUP_WIDTH: Final = 0.25
#: Values this far above 1 still count as 1 (float noise of weights that sum to 1 ± 1 ulp).
_ABOVE_ONE: Final = 1e-9


class RatingClassifier(Protocol):
    """``classify(egdi, groups, …) -> quarter 1..4 within the group`` (``Int64``)."""

    def __call__(
        self,
        egdi: pd.Series[float],
        groups: pd.Series[str],
        /,
        *,
        quantile_method: QuantileMethod = "linear",
        tie_side: TieSide = "lower",
    ) -> pd.Series[int]: ...


def egdi_group(egdi: pd.Series[float]) -> pd.Series[str]:
    r"""The EGDI group code (V, H, M, L) of each value; NaN gets ``<NA>``.

    .. math:: V: 0.75 \le e \le 1,\ H: 0.5 \le e < 0.75,\ M: 0.25 \le e < 0.5,\
              L: 0 \le e < 0.25

    Lower bounds are closed (spec §8, [V] groups-page). Values outside [0, 1]:
    MethodologyError.

    >>> egdi_group(pd.Series([1.0, 0.75, 0.7499, 0.5, 0.25, 0.0])).tolist()
    ['V', 'V', 'H', 'H', 'M', 'L']
    """
    values = egdi.to_numpy(dtype=np.float64, na_value=np.nan)
    if np.any(values < 0) or np.any(values > 1 + _ABOVE_ONE):
        raise MethodologyError("EGDI must lie in [0, 1] to be grouped")
    codes = list(GROUP_LOWER_BOUNDS)
    conditions = [values >= bound for bound in GROUP_LOWER_BOUNDS.values()]
    chosen = np.select(conditions, codes, default="")
    group = pd.Series(chosen, index=egdi.index, dtype="string", name="group")
    return group.mask(group == "")


class CutsOf(Protocol):
    """``cuts_of(group_code, values_in_group) -> the three inner class boundaries``."""

    def __call__(self, code: str, within: FloatArray, /) -> FloatArray: ...


def _quarters(values: FloatArray, cuts: FloatArray, tie_side: TieSide) -> npt.NDArray[np.int64]:
    column = values[:, np.newaxis]
    above: npt.NDArray[np.bool_] = column > cuts if tie_side == "lower" else column >= cuts
    quarters: npt.NDArray[np.int64] = 1 + np.count_nonzero(above, axis=1)
    return quarters


def _classify(
    egdi: pd.Series[float],
    groups: pd.Series[str],
    tie_side: TieSide,
    cuts_of: CutsOf,
) -> pd.Series[int]:
    if not egdi.index.equals(groups.index):
        raise MethodologyError("EGDI values and groups must share one index")
    values = egdi.to_numpy(dtype=np.float64, na_value=np.nan)
    labels = groups.to_numpy(dtype=object, na_value="")
    quarters = np.zeros(len(values), dtype=np.int64)
    for code in GROUP_LOWER_BOUNDS:
        member = (labels == code) & ~np.isnan(values)
        if member.any():
            within = values[member]
            quarters[member] = _quarters(within, cuts_of(code, within), tie_side)
    quarter = pd.Series(pd.array(quarters, dtype="Int64"), index=egdi.index, name="quarter")
    return quarter.mask(quarters == 0)


def count_quartile(
    egdi: pd.Series[float],
    groups: pd.Series[str],
    *,
    quantile_method: QuantileMethod = "linear",
    tie_side: TieSide = "lower",
) -> pd.Series[int]:
    r"""Quarter of each country within its group, cut at the group's EGDI quartiles.

    .. math:: class_c = 1 + \#\{k \in \{Q_1, Q_2, Q_3\} : e_c > k\}

    with the quartiles of the group's values computed by ``quantile_method`` (numpy's names);
    ``tie_side="upper"`` puts a value equal to a quartile in the class above (``≥``). The
    defaults (``linear``, ``lower``) reproduce the top-class (VH) counts named by the Survey:
    14 in 2020, 15 in 2022, and give 19 in 2024 against 18 named — the United States (rank 19,
    0.91945, above Q3 = 0.9152) is the open question (spec §8, [D]).

    >>> egdi = pd.Series([0.95, 0.9, 0.85, 0.8, 0.6])
    >>> count_quartile(egdi, egdi_group(egdi)).tolist()
    [4, 3, 2, 1, 1]
    """

    def cuts_of(code: str, within: FloatArray) -> FloatArray:
        cuts: FloatArray = np.quantile(within, [0.25, 0.5, 0.75], method=quantile_method)
        return cuts

    return _classify(egdi, groups, tie_side, cuts_of)


def equal_width(
    egdi: pd.Series[float],
    groups: pd.Series[str],
    *,
    quantile_method: QuantileMethod = "linear",
    tie_side: TieSide = "lower",
) -> pd.Series[int]:
    r"""Quarter of each country within its group, cut into four intervals of 0.0625.

    .. math:: class_c = 1 + \#\{j \in \{1, 2, 3\} : e_c > b_g + 0.0625\,j\}

    ``b_g`` the group's lower bound; ``quantile_method`` is ignored. An alternative reading of
    "equally defined intervals"; contradicted by the published top classes (VH ≥ 0.9375 gives
    5 / 9 / 12 in 2020 / 2022 / 2024; spec §8). Pass ``tie_side="upper"`` to close the
    intervals on the lower side like the groups.

    >>> egdi = pd.Series([0.95, 0.9, 0.85, 0.8, 0.6])
    >>> equal_width(egdi, egdi_group(egdi)).tolist()
    [4, 3, 2, 1, 2]
    """

    def cuts_of(code: str, within: FloatArray) -> FloatArray:
        step = _GROUP_WIDTH / 4
        cuts: FloatArray = GROUP_LOWER_BOUNDS[code] + step * np.arange(1.0, 4.0)
        return cuts

    return _classify(egdi, groups, tie_side, cuts_of)


#: The rating-class methods by name; ``editions.yaml`` refers to these keys.
RATING_CLASS_METHODS: Final[Mapping[str, RatingClassifier]] = MappingProxyType(
    {"count_quartile": count_quartile, "equal_width": equal_width}
)


def rating_class(
    egdi: pd.Series[float],
    *,
    method: str = "count_quartile",
    quantile_method: QuantileMethod = "linear",
    tie_side: TieSide = "lower",
) -> pd.Series[str]:
    """The rating class (VH … L1) of each value; NaN gets ``<NA>``.

    The group comes from :func:`egdi_group`, the quarter within it from the classifier named
    ``method`` in :data:`RATING_CLASS_METHODS`. Pass the countries the Survey classes together
    (one edition's assessed countries): quartiles depend on who is in the group. Computed on
    the published (4-decimal) EGDI in the Survey (spec §8).

    >>> rating_class(pd.Series([0.95, 0.9, 0.85, 0.8, 0.6, 0.1])).tolist()
    ['VH', 'V3', 'V2', 'V1', 'H1', 'L1']
    """
    classify = choose("rating-class method", RATING_CLASS_METHODS, method)
    groups = egdi_group(egdi)
    quarter = classify(egdi, groups, quantile_method=quantile_method, tie_side=tie_side)
    codes = [
        RATING_CLASSES[group][position - 1] if group else None
        for group, position in zip(
            groups.to_numpy(dtype=object, na_value=""),
            quarter.to_numpy(dtype=np.int64, na_value=0).tolist(),
            strict=True,
        )
    ]
    return pd.Series(codes, index=egdi.index, dtype="string", name="rating_class")
