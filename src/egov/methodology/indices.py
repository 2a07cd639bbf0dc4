"""The Survey's indices: EGDI from its components, and OSI, TII, HCI, EPI from their inputs.

All functions take frames or Series indexed by country (ISO3) and return a Series with the
same index. Method names come from the edition's :class:`EditionMethod`; a callable may be
passed instead of a name for a what-if.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from egov.errors import MethodologyError
from egov.methodology.aggregate import AGGREGATORS, Aggregator
from egov.methodology.editions import (
    COMPONENTS,
    EQUAL_THIRDS,
    ComponentMethod,
    ComponentWeights,
    OsiMethod,
)
from egov.methodology.families import choose
from egov.methodology.normalise import NORMALISERS, FloatArray, Normaliser, cap, min_max

#: OSI before 2022: one questionnaire, weight 1 (spec §5).
ONE_SUBINDEX: Final = OsiMethod()


def _normaliser(method: str | Normaliser) -> Normaliser:
    return choose("normaliser", NORMALISERS, method) if isinstance(method, str) else method


def _aggregator(method: str | Aggregator) -> Aggregator:
    return choose("aggregator", AGGREGATORS, method) if isinstance(method, str) else method


def _mask(flags: pd.Series[bool] | None, index: pd.Index[str]) -> npt.NDArray[np.bool_] | None:
    if flags is None:
        return None
    missing = index.difference(flags.index)
    if len(missing):
        raise MethodologyError(f"no assessed flag for {', '.join(map(str, missing[:5]))}")
    return flags.reindex(index).to_numpy(dtype=bool)


def composite(
    indicators: FloatArray,
    weights: Sequence[float] | FloatArray,
    *,
    upper: float | None = None,
    normaliser: str | Normaliser = "z_score",
    aggregator: str | Aggregator = "arithmetic_mean",
    rescale: bool = True,
) -> FloatArray:
    r"""Composite of several indicators: cap, standardise, weighted mean, rescale to 0..1.

    .. math::
        z_{ci} = \frac{\min(x_{ci}, u) - \mu_i}{\sigma_i}, \quad
        k_c = \frac{\sum_i w_i z_{ci}}{\sum_i w_i}, \quad
        K_c = \frac{k_c - \min k}{\max k - \min k}

    The TII and HCI method from 2012 (spec §3.2, [V] S2016-annex, S2022-A197 for the 120
    cap from 2020). ``indicators`` has one row per country and one column per indicator; a
    row with any NaN is left out of the statistics and gets NaN. ``upper`` is the cap (None:
    no cap). The mean and ``ddof`` of the z-score cancel in the rescale: only the ratios of
    the deviations matter.

    >>> x = np.array([[95.0, 40.0], [60.0, 8.0], [20.0, 0.5]])
    >>> composite(x, [0.5, 0.5]).round(4).tolist()
    [1.0, 0.3667, 0.0]
    """
    matrix = np.asarray(indicators, dtype=np.float64)
    vector = np.asarray(weights, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[1] != vector.shape[0]:
        raise MethodologyError(
            f"{matrix.shape[-1]} indicator columns but {vector.shape[0]} weights"
        )
    complete = ~np.isnan(matrix).any(axis=1)
    if not complete.any():
        raise MethodologyError("no country has every indicator")
    rows = matrix[complete]
    if upper is not None:
        rows = cap(rows, upper=upper)
    standard = _normaliser(normaliser)(rows)
    combined = _aggregator(aggregator)(standard, vector)
    if rescale:
        combined = min_max(combined)
    result = np.full(matrix.shape[0], np.nan)
    result[complete] = combined
    return result


def component_index(indicators: pd.DataFrame, method: ComponentMethod) -> pd.Series[float]:
    """TII or HCI of one edition from its indicator columns (spec §3.2, §4).

    ``indicators`` needs a column for each of ``method.indicators``. A published-only
    edition (``method.published_only``, 2003-2010: goalposts not recoverable, spec §3.3 [P])
    raises MethodologyError.

    >>> method = ComponentMethod(indicators=("internet", "mobile"), weights=(0.5, 0.5))
    >>> frame = pd.DataFrame({"internet": [95.0, 60.0, 20.0], "mobile": [40.0, 8.0, 0.5]},
    ...                      index=["A", "B", "C"])
    >>> component_index(frame, method).round(4).tolist()
    [1.0, 0.3667, 0.0]
    """
    if method.published_only:
        raise MethodologyError(
            "this edition's component is published only: its goalposts are not recoverable"
        )
    missing = [name for name in method.indicators if name not in indicators]
    if missing:
        raise MethodologyError(f"missing indicator columns: {', '.join(missing)}")
    values = composite(
        indicators.loc[:, list(method.indicators)].to_numpy(dtype=np.float64),
        method.weights,
        upper=method.cap,
        normaliser=method.normaliser,
        aggregator=method.aggregator,
        rescale=method.rescaled,
    )
    return pd.Series(values, index=indicators.index, name="index")


def tii(indicators: pd.DataFrame, method: ComponentMethod) -> pd.Series[float]:
    """Telecommunication Infrastructure Index: :func:`component_index` with the TII method.

    Indicators per edition: spec §4.1 (e.g. 2020-2022: internet users %, fixed broadband,
    active mobile broadband, mobile-cellular, each capped at 120 [V] S2022-A197).
    """
    return component_index(indicators, method).rename("tii")


def hci(indicators: pd.DataFrame, method: ComponentMethod) -> pd.Series[float]:
    """Human Capital Index: :func:`component_index` with the HCI method.

    2014+: 1/3 adult literacy + 2/9 gross enrolment + 2/9 expected + 2/9 mean years of
    schooling (spec §4.2; components [V] QoG-hci, weights [R]).
    """
    return component_index(indicators, method).rename("hci")


def osi(
    points: pd.DataFrame,
    *,
    maxpoints: Mapping[str, float],
    method: OsiMethod = ONE_SUBINDEX,
    assessed: pd.Series[bool] | None = None,
) -> pd.Series[float]:
    r"""Online Service Index from questionnaire points per subindex (spec §5 rule [P], §3.1).

    .. math:: raw_c = \sum_s W_s \frac{points_{cs}}{maxpoints_s}, \quad
              OSI_c = \frac{raw_c - \min raw}{\max raw - \min raw}

    ``points`` has one column per subindex of ``method.subindex_weights``. The min-max runs
    over assessed countries only; with ``assessed`` given the others get OSI 0 (rule E3).

    >>> points = pd.DataFrame({"osq": [40.0, 25.0, 10.0]}, index=["A", "B", "C"])
    >>> osi(points, maxpoints={"osq": 50.0}).round(4).tolist()
    [1.0, 0.5, 0.0]
    """
    names = [name for name, _weight in method.subindex_weights]
    missing = [name for name in names if name not in points or name not in maxpoints]
    if missing:
        raise MethodologyError(f"missing points or maximum for subindices: {', '.join(missing)}")
    shares = points.loc[:, names].to_numpy(dtype=np.float64) / np.array(
        [maxpoints[name] for name in names], dtype=np.float64
    )
    weights = np.array([weight for _name, weight in method.subindex_weights], dtype=np.float64)
    raw = shares @ weights
    return _normalised(raw, points.index, method.normaliser, assessed, "osi")


def epi(
    points: pd.Series[float],
    *,
    normaliser: str | Normaliser = "min_max",
    assessed: pd.Series[bool] | None = None,
) -> pd.Series[float]:
    r"""E-Participation Index: min-max of the raw e-participation points (spec §6).

    .. math:: EPI_c = \frac{p_c - \min p}{\max p - \min p}

    [V] egovkb-rc-ko (lowest total subtracted, divided by the range); [D] exactly 0..1 in
    every edition. With ``assessed`` given, the others get 0.

    >>> epi(pd.Series([45.0, 30.0, 3.0], index=["KOR", "B", "C"])).round(4).tolist()
    [1.0, 0.6429, 0.0]
    """
    raw: FloatArray = np.asarray(points.to_numpy(dtype=np.float64, na_value=np.nan))
    return _normalised(raw, points.index, normaliser, assessed, "epi")


def _normalised(
    raw: FloatArray,
    index: pd.Index[str],
    normaliser: str | Normaliser,
    assessed: pd.Series[bool] | None,
    name: str,
) -> pd.Series[float]:
    flags = _mask(assessed, index)
    values = np.where(flags, raw, np.nan) if flags is not None else raw
    normalised = _normaliser(normaliser)(values)
    if flags is not None:
        normalised = np.where(flags, normalised, 0.0)
    return pd.Series(normalised, index=index, name=name)


def stage_shares(points: pd.DataFrame, maxima: Mapping[str, int]) -> pd.DataFrame:
    r"""Percentage of the available points scored in each e-participation stage, and in all.

    .. math:: share_{cs} = 100 \frac{points_{cs}}{max_s}, \quad
              total_c = 100 \frac{\sum_s points_{cs}}{\sum_s max_s}

    2010 maxima 8 (e-information), 33 (e-consultation), 16 (e-decision-making), total 57
    reproduce the Survey's Table 5.2 percentages (spec §6, [D] S2010-ch5); e.g. Korea 7, 26, 12.

    >>> korea = pd.DataFrame({"e-information": [7], "e-consultation": [26],
    ...                       "e-decision-making": [12]}, index=["KOR"])
    >>> maxima = {"e-information": 8, "e-consultation": 33, "e-decision-making": 16}
    >>> stage_shares(korea, maxima).round(2).loc["KOR"].tolist()
    [87.5, 78.79, 75.0, 78.95]
    """
    missing = [stage for stage in maxima if stage not in points]
    if missing:
        raise MethodologyError(f"missing stage columns: {', '.join(missing)}")
    stages = list(maxima)
    scored = points.loc[:, stages].astype("float64")
    denominators = pd.Series(maxima, dtype="float64")
    shares = scored.div(denominators, axis="columns") * 100.0
    shares["total"] = scored.sum(axis=1) / float(denominators.sum()) * 100.0
    return shares


def egdi(
    components: pd.DataFrame,
    *,
    weights: ComponentWeights = EQUAL_THIRDS,
    aggregator: str | Aggregator = "arithmetic_mean",
    assessed: pd.Series[bool] | None = None,
) -> pd.Series[float]:
    r"""E-Government Development Index from OSI, TII and HCI.

    .. math:: EGDI_c = w_{OSI}\,OSI_c + w_{TII}\,TII_c + w_{HCI}\,HCI_c

    Rule E1: equal thirds (2003-2005, 2012-2024; [V] egovkb-method, S2016-annex; [D] max
    residual 7.4e-5). Rule E2: 0.34 / 0.33 / 0.33 in 2008 and 2010 ([D] least squares,
    residual 7e-6 in 2010). Rule E3: with ``assessed`` given, a not-assessed country gets
    EGDI 0 whatever its components (spec §2). The weights come from
    ``EditionMethod.egdi_weights``.

    Worked check, Republic of Korea 2010 (spec §2): 0.878544, published 0.87854; equal thirds
    would give 0.877317.

    >>> korea = pd.DataFrame({"osi": [1.0], "tii": [0.63902], "hci": [0.99293]}, index=["KOR"])
    >>> egdi(korea, weights=ComponentWeights(0.34, 0.33, 0.33)).round(6).tolist()
    [0.878544]
    >>> egdi(korea).round(6).tolist()
    [0.877317]
    """
    missing = [name for name in COMPONENTS if name not in components]
    if missing:
        raise MethodologyError(f"missing component columns: {', '.join(missing)}")
    matrix = components.loc[:, list(COMPONENTS)].to_numpy(dtype=np.float64, na_value=np.nan)
    values = _aggregator(aggregator)(matrix, weights.as_array())
    flags = _mask(assessed, components.index)
    if flags is not None:
        values = np.where(flags, values, 0.0)
    return pd.Series(values, index=components.index, name="egdi")
