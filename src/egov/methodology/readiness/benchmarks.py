r"""How an assessment stands against published data and other assessments (spec ``meter.md`` §3.6).

:func:`objective_scores` turns each pillar's published indicators into an objective score,

.. math:: O_p = 100 \cdot \frac{1}{|slots_p|} \sum_{slot} pct(x_{c, i(slot)})

where ``i(slot)`` is the first indicator of the slot's preference chain the country has a
value for, and ``pct`` its percentile rank (``method="average"``, so in ``(0, 1]``) among the
countries with a value. :func:`corroboration` sets the self-assessed pillar scores against it;
:func:`distribution_position` places an assessment among the other published ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from egov.errors import MethodologyError
from egov.methodology.ranking import competition_rank
from egov.methodology.readiness.profile import Readiness
from egov.methodology.readiness.scores import COMBINED, TOLERANCE

if TYPE_CHECKING:  # egov.frameworks imports egov.methodology: a runtime import would cycle
    from egov.frameworks.meter_schema import MeterFramework

#: Columns of :func:`objective_scores`.
OBJECTIVE_COLUMNS: Final = (
    "pillar",
    "slot",
    "chain",
    "indicator",
    "value",
    "percentile",
    "region",
    "region_rank",
    "region_count",
    "score",
)
#: Columns of :func:`corroboration`.
CORROBORATION_COLUMNS: Final = ("pillar", "self_score", "objective_score", "difference", "flag")
#: Columns of :func:`distribution_position`.
POSITION_COLUMNS: Final = (
    "measure",
    "count",
    "minimum",
    "lower_quartile",
    "median",
    "upper_quartile",
    "maximum",
    "own",
    "percentile",
)
#: Below this many other assessments with a value, :func:`distribution_position` shows no
#: statistic: with one or two, a minimum or maximum would be another country's own score.
MINIMUM_PEERS: Final = 3


def _first_present(indicators: pd.DataFrame, iso3: str, chain: tuple[str, ...]) -> str | None:
    if iso3 not in indicators.index:
        return None
    for code in chain:
        if code in indicators.columns and pd.notna(indicators.at[iso3, code]):
            return code
    return None


def objective_scores(
    framework: MeterFramework,
    indicators: pd.DataFrame,
    iso3: str,
    regions: pd.Series[str] | None = None,
) -> pd.DataFrame:
    """The objective score of each pillar from the country's published indicators.

    The formula is in the module text. A country that is not in ``indicators`` (not assessed
    in that edition, or no edition imported) has no usable indicator: every score is NaN.

    Parameters
    ----------
    framework
        Its pillars' ``objective`` slots, each a preference chain of indicator codes.
    indicators
        The countries of the country's latest edition (index ISO3), one column per
        indicator code (``osi``, ``hci``, ``osi.IF``, …); a column may be missing or empty.
    iso3
        The assessed country.
    regions
        Optional region of each country (index ISO3) for the regional standing.

    Returns
    -------
    pandas.DataFrame
        One row per (pillar, slot), pillars in framework order: :data:`OBJECTIVE_COLUMNS`.
        ``chain`` is the slot's tuple of codes; ``indicator`` the one used (None when the
        country has none of them: the slot is left out of the mean), with the country's
        ``value`` and ``percentile`` (0-1); ``region_rank`` is the country's competition rank
        (highest value first) among the countries of its ``region`` with a value, and
        ``region_count`` their number (``<NA>`` without ``regions``). ``score`` is the
        pillar's objective score (0-100, NaN without a usable slot), repeated on each of its
        rows: ``frame.groupby("pillar", sort=False)["score"].first()`` gives one per pillar.

    Raises
    ------
    MethodologyError
        when the index repeats a country.
    """
    if not indicators.index.is_unique:
        raise MethodologyError("the indicators name a country twice")
    region: str | None = None
    if regions is not None and iso3 in regions.index and pd.notna(regions[iso3]):
        region = str(regions[iso3])
    rows: list[dict[str, object]] = []
    for pillar in framework.pillars:
        slots: list[dict[str, object]] = []
        used: list[float] = []
        for slot, chain in enumerate(pillar.objective):
            row: dict[str, object] = {
                "pillar": pillar.id,
                "slot": slot,
                "chain": chain,
                "indicator": None,
                "value": np.nan,
                "percentile": np.nan,
                "region": region,
                "region_rank": pd.NA,
                "region_count": pd.NA,
            }
            code = _first_present(indicators, iso3, chain)
            if code is not None:
                column = indicators[code].astype("float64")
                percentile = float(column.rank(pct=True, method="average")[iso3])
                used.append(percentile)
                row |= {"indicator": code, "value": float(column[iso3]), "percentile": percentile}
                if region is not None and regions is not None:
                    peers = column[regions.reindex(column.index) == region].dropna()
                    row |= {
                        "region_rank": competition_rank(peers)[iso3],
                        "region_count": len(peers),
                    }
            slots.append(row)
        score = 100 * float(np.mean(used)) if used else np.nan
        rows += [row | {"score": score} for row in slots]
    frame = pd.DataFrame(rows, columns=list(OBJECTIVE_COLUMNS))
    frame["region_rank"] = frame["region_rank"].astype("Int64")
    frame["region_count"] = frame["region_count"].astype("Int64")
    return frame


def corroboration(
    readiness: Readiness, objective: pd.DataFrame, *, scope: str = COMBINED
) -> pd.DataFrame:
    r"""Self-assessed pillar scores against the objective ones (:func:`objective_scores`).

    .. math:: difference_p = S_p - O_p

    ``flag`` is ``"higher"`` ("self-view higher than published data") when the difference
    reaches ``scoring.objective_difference``, ``"lower"`` when it reaches its negative, else
    None (also when either score is NaN). One row per pillar of the framework, columns
    :data:`CORROBORATION_COLUMNS`. An unknown ``scope``: MethodologyError.
    """
    if scope not in readiness.scopes:
        known = ", ".join(readiness.scopes)
        raise MethodologyError(f"no scope {scope!r} in this assessment; known: {known}")
    pillars = readiness.pillars[readiness.pillars["scope"] == scope]
    published = objective.groupby("pillar", sort=False)["score"].first()
    own = pillars["score"].to_numpy(dtype=np.float64)
    other = published.reindex(pillars["pillar"]).to_numpy(dtype=np.float64)
    difference = own - other
    threshold = readiness.framework.scoring.objective_difference
    flags = [
        "higher"
        if gap >= threshold - TOLERANCE
        else "lower"
        if gap <= -threshold + TOLERANCE
        else None
        for gap in difference.tolist()
    ]
    return pd.DataFrame(
        {
            "pillar": pillars["pillar"].tolist(),
            "self_score": own,
            "objective_score": other,
            "difference": difference,
            "flag": flags,
        }
    )


def distribution_position(scores: pd.DataFrame, own: pd.Series[float]) -> pd.DataFrame:
    r"""Where an assessment's scores fall among other published assessments.

    ``scores`` has one row per other assessment and one column per measure (the combined
    pillar scores by pillar id, and ``overall``); ``own`` the assessment's score by the same
    names. One row per column of ``scores``, columns :data:`POSITION_COLUMNS`: ``count`` of
    other assessments with a value; their ``minimum``, quartiles (linear interpolation) and
    ``maximum``; ``own``; and its mid-rank ``percentile`` among them,

    .. math:: pct = 100 \cdot \frac{\#\{x < own\} + \tfrac12 \#\{x = own\}}{count}

    To keep the others anonymous, every statistic and the percentile are NaN when fewer than
    :data:`MINIMUM_PEERS` others have a value (``count`` is still given).

    >>> others = pd.DataFrame({"C": [20.0, 40.0, 60.0, 80.0], "L": [50.0, 70.0, None, None]})
    >>> position = distribution_position(others, pd.Series({"C": 60.0, "L": 55.0}))
    >>> position[["measure", "count", "median", "percentile"]]
      measure  count  median  percentile
    0       C      4    50.0        62.5
    1       L      2     NaN         NaN
    """
    rows: list[dict[str, object]] = []
    for measure in scores.columns:
        values = scores[measure].dropna().to_numpy(dtype=np.float64)
        mine = float(own.get(measure, np.nan))
        row: dict[str, object] = {"measure": str(measure), "count": len(values), "own": mine}
        statistics = POSITION_COLUMNS[2:7]
        if len(values) >= MINIMUM_PEERS:
            quantiles = np.quantile(values, [0.0, 0.25, 0.5, 0.75, 1.0]).tolist()
            row |= dict(zip(statistics, quantiles, strict=True))
            below = np.count_nonzero(values < mine) + 0.5 * np.count_nonzero(values == mine)
            row["percentile"] = np.nan if np.isnan(mine) else 100 * below / len(values)
        else:
            row |= dict.fromkeys((*statistics, "percentile"), np.nan)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(POSITION_COLUMNS))
