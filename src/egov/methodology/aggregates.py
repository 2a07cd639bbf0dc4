"""Aggregates: mean, median, count and share of an index for any grouping of countries.

World, regional, sub-regional, income-group and special-group (LDC, LLDC, SIDS) values are
unweighted arithmetic means over the assessed Member States (spec §10 [D]: the 2010 world mean
0.4406 and the 2020 world and regional means of the official file are reproduced exactly;
§2 rule E3 leaves not-assessed countries out).

A grouping arrives either as a Series of labels indexed by ISO3 (one group per country: region,
income group; NaN = in no group) or as a DataFrame of boolean columns (a country may belong to
several: LDC, LLDC, SIDS), or ``None`` for the world. Every considered country must appear in
the grouping's index: a missing country would silently change an average.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from egov.errors import MethodologyError
from egov.methodology.normalise import FloatArray

#: The label of the one group that holds every considered country.
WORLD: Final = "World"
#: Columns of :func:`group_aggregates`.
AGGREGATE_COLUMNS: Final = ("mean", "median", "count", "share")
#: Columns of :func:`group_spread`.
SPREAD_COLUMNS: Final = ("minimum", "lower_quartile", "upper_quartile", "maximum", "std")


def _considered(values: pd.Series[float], considered: pd.Series[bool] | None) -> pd.Series[float]:
    keep = values.notna().to_numpy()
    if considered is not None:
        flags = (
            considered
            if considered.index.equals(values.index)
            else (considered.reindex(values.index, fill_value=False))
        )
        keep &= flags.to_numpy(dtype=bool, na_value=False)
    pool = values[keep].astype("float64")
    if pool.empty:
        raise MethodologyError("no country is considered: an aggregate needs at least one value")
    return pool


def _aligned(pool: pd.Series[float], grouping: pd.Series[str] | pd.DataFrame) -> npt.NDArray[Any]:
    """The grouping's rows for the pooled countries, in pool order; every one must be there."""
    if grouping.index.equals(pool.index):
        return grouping.to_numpy()
    positions = grouping.index.get_indexer(pool.index)
    if (positions < 0).any():
        missing = pool.index[positions < 0]
        listed = ", ".join(map(str, missing[:5]))
        raise MethodologyError(f"{len(missing)} considered countries have no group: {listed}")
    return grouping.to_numpy()[positions]


def _medians(
    values: FloatArray, codes: npt.NDArray[np.intp], counts: npt.NDArray[np.intp]
) -> FloatArray:
    """Median of ``values`` within each code 0..k-1 (every count > 0), in one sort."""
    ordered = values[np.lexsort((values, codes))]
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    medians: FloatArray = (ordered[starts + (counts - 1) // 2] + ordered[starts + counts // 2]) / 2
    return medians


def _pooled(
    values: pd.Series[float],
    grouping: pd.Series[str] | pd.DataFrame | None,
    considered: pd.Series[bool] | None,
) -> tuple[FloatArray, npt.NDArray[np.intp], list[str], int]:
    """The considered values, one entry per (country, group it is in), with their group codes
    (0..k-1, every code used), the group labels and the number of considered countries."""
    pool = _considered(values, considered)
    pooled: FloatArray = np.asarray(pool.to_numpy(dtype=np.float64))
    total = len(pooled)
    if grouping is None:
        labels: list[str] = [WORLD]
        codes = np.zeros(total, dtype=np.intp)
    elif isinstance(grouping, pd.DataFrame):
        members = _aligned(pool, grouping)
        member = np.where(pd.isna(members), False, members).astype(bool)
        labels = [str(column) for column in grouping.columns]
        empty = [
            label for label, count in zip(labels, member.sum(axis=0), strict=True) if not count
        ]
        if empty:
            raise MethodologyError(f"no considered country in group(s): {', '.join(empty)}")
        # one row per (country, group) it belongs to: overlapping groups become codes
        rows, codes = np.nonzero(member)
        order = np.argsort(codes, kind="stable")
        pooled, codes = pooled[rows[order]], codes[order].astype(np.intp)
    else:
        found, uniques = pd.factorize(pd.Series(_aligned(pool, grouping)), sort=True)
        labels = [str(label) for label in uniques]
        keep = found >= 0  # a NaN label is in no group
        pooled, codes = pooled[keep], found[keep].astype(np.intp)
    return pooled, codes, labels, total


def group_aggregates(
    values: pd.Series[float],
    grouping: pd.Series[str] | pd.DataFrame | None = None,
    *,
    considered: pd.Series[bool] | None = None,
) -> pd.DataFrame:
    r"""Mean, median, count and share of ``values`` in each group.

    .. math:: mean_g = \frac{1}{n_g} \sum_{c \in g \cap A} x_c, \quad
              share_g = \frac{n_g}{n_A}

    ``A`` is the set of considered countries that have a value (``considered`` True, by
    default every country with a value; pass the assessed flags of
    :func:`egov.methodology.status.assessed`), ``n_g = |g ∩ A|`` the count and ``share`` the
    group's part of ``A``. Label groups come out sorted by label, membership groups in column
    order; the world (``grouping=None``) is one row labelled :data:`WORLD`. A membership
    column with no considered country: MethodologyError (empty group).

    >>> egdi = pd.Series([0.9, 0.7, 0.3, 0.0], index=["DNK", "EST", "NER", "SOM"])
    >>> region = pd.Series(["Europe", "Europe", "Africa", "Africa"], index=egdi.index)
    >>> result = group_aggregates(egdi, region, considered=egdi.gt(0))
    >>> result.columns.tolist()
    ['mean', 'median', 'count', 'share']
    >>> result["mean"].round(4).to_dict(), result["count"].to_dict()
    ({'Africa': 0.3, 'Europe': 0.8}, {'Africa': 1, 'Europe': 2})
    >>> group_aggregates(egdi, considered=egdi.gt(0))["mean"].round(4).tolist()
    [0.6333]
    """
    pooled, codes, labels, total = _pooled(values, grouping, considered)
    counts = np.bincount(codes, minlength=len(labels))
    sums = np.bincount(codes, weights=pooled, minlength=len(labels))
    return pd.DataFrame(
        {
            "mean": sums / counts,
            "median": _medians(pooled, codes, counts),
            "count": counts.astype(np.int64),
            "share": counts / total,
        },
        index=pd.Index(labels, name="group"),
    )


def _quantiles(
    ordered: FloatArray, starts: npt.NDArray[np.intp], counts: npt.NDArray[np.intp], q: float
) -> FloatArray:
    """The ``q`` quantile within each group of ``ordered`` (sorted within groups), linear
    interpolation between the two nearest ranks (numpy's default, Excel's QUARTILE.INC)."""
    position = (counts - 1) * q
    below = np.floor(position).astype(np.intp)
    above = np.ceil(position).astype(np.intp)
    low, high = ordered[starts + below], ordered[starts + above]
    result: FloatArray = low + (position - below) * (high - low)
    return result


def group_spread(
    values: pd.Series[float],
    grouping: pd.Series[str] | pd.DataFrame | None = None,
    *,
    considered: pd.Series[bool] | None = None,
) -> pd.DataFrame:
    r"""Minimum, quartiles, maximum and standard deviation of ``values`` in each group.

    Over the same countries and groups, in the same order, as :func:`group_aggregates`
    (the columns :data:`SPREAD_COLUMNS`). Quartiles interpolate linearly between the nearest
    ranks (:func:`numpy.quantile`'s default); the standard deviation is the population one,
    since a group holds all its countries, not a sample of them:

    .. math:: sd_g = \sqrt{\frac{1}{n_g} \sum_{c \in g \cap A} (x_c - mean_g)^2}

    >>> egdi = pd.Series([0.9, 0.7, 0.5, 0.3, 0.0], index=["DNK", "EST", "FJI", "NER", "SOM"])
    >>> spread = group_spread(egdi, considered=egdi.gt(0))
    >>> spread.round(4).loc["World"].tolist()
    [0.3, 0.45, 0.75, 0.9, 0.2236]
    """
    pooled, codes, labels, _total = _pooled(values, grouping, considered)
    counts = np.bincount(codes, minlength=len(labels))
    means = np.bincount(codes, weights=pooled, minlength=len(labels)) / counts
    squares = np.bincount(codes, weights=(pooled - means[codes]) ** 2, minlength=len(labels))
    ordered: FloatArray = pooled[np.lexsort((pooled, codes))]
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.intp)
    return pd.DataFrame(
        {
            "minimum": ordered[starts],
            "lower_quartile": _quantiles(ordered, starts, counts, 0.25),
            "upper_quartile": _quantiles(ordered, starts, counts, 0.75),
            "maximum": ordered[starts + counts - 1],
            "std": np.sqrt(squares / counts),
        },
        index=pd.Index(labels, name="group"),
    )


def world_average(values: pd.Series[float], *, considered: pd.Series[bool] | None = None) -> float:
    r"""Unweighted mean over the considered countries (spec §10): the Survey's world average.

    .. math:: \bar{x} = \frac{1}{n_A} \sum_{c \in A} x_c

    >>> world_average(pd.Series([0.9, 0.3, 0.0]), considered=pd.Series([True, True, False]))
    0.6
    """
    return float(np.mean(_considered(values, considered).to_numpy()))
