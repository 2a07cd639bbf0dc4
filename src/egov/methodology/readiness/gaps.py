r"""Divergence between stakeholder groups, gaps and the way forward (spec ``meter.md`` §3.4-§3.5).

Divergence of sub-theme ``j`` over the groups whose score is sufficient (at least two):

.. math:: div_j = \max_g S_{gj} - \min_g S_{gj}, \qquad divergent_j = div_j \ge threshold

with the highest and lowest group (the first in scope order on a tie). The within-group
spread is the sample standard deviation (``ddof=1``) of the respondent-level sub-theme scores
of the group's respondents whose own coverage reaches ``minimum_coverage``; NaN below two.

A gap is a sub-theme of a counted pillar whose combined score is sufficient and below the
target:

.. math::

    shortfall_j = \max(0, target - S_j), \qquad
    priority_j = w_p \, w_j \, shortfall_j \, (1 + boost \cdot [divergent_j])

with ``w_p = weight_p / Σ weight of the counted pillars`` and ``w_j`` the sub-theme's weight
(as in the pillar score: the file's weight or its number of statements) over the sum of its
pillar's sub-theme weights. Gaps are ordered by priority (descending, compared to
:data:`PRIORITY_DECIMALS` decimals so that equal products tie), then by lower combined
coverage, then framework order; the way forward is the first ``way_forward_size`` of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from egov.methodology.normalise import FloatArray
from egov.methodology.readiness.scores import (
    COMBINED,
    STAKEHOLDER_GROUPS,
    TOLERANCE,
    AnswerMatrix,
    BoolArray,
    Catalogue,
    RespondentScores,
    ScopeScores,
    Weighting,
    level_names,
)

if TYPE_CHECKING:  # egov.frameworks imports egov.methodology: a runtime import would cycle
    from egov.frameworks.meter_schema import MeterFramework

#: Columns of :attr:`Readiness.divergence`: one ``sd_<group>`` per stakeholder group.
DIVERGENCE_COLUMNS: Final = (
    "pillar",
    "subtheme",
    "groups",
    "divergence",
    "highest_group",
    "lowest_group",
    "divergent",
    *(f"sd_{group}" for group in STAKEHOLDER_GROUPS),
)
#: Columns of :attr:`Readiness.gaps` and :attr:`Readiness.way_forward`.
GAP_COLUMNS: Final = (
    "rank",
    "pillar",
    "subtheme",
    "score",
    "level",
    "coverage",
    "target",
    "shortfall",
    "divergence",
    "divergent",
    "pillar_weight",
    "subtheme_weight",
    "priority",
    "action",
    "lowest_statements",
)
#: Columns of :attr:`Readiness.insufficient`.
INSUFFICIENT_COLUMNS: Final = ("pillar", "subtheme", "score", "coverage", "scored", "denominator")
#: How many of a gap's lowest-scoring statements it names (our choice; the spec says
#: "the statements scoring lowest").
LOWEST_STATEMENTS: Final = 3
#: Priorities are compared rounded to this many decimals.
PRIORITY_DECIMALS: Final = 9


def _spread(values: FloatArray, keep: BoolArray) -> FloatArray:
    """Sample SD over axis 0 of the kept values, NaN where fewer than two are kept."""
    count = keep.sum(axis=0)
    mean = np.where(keep, values, 0.0).sum(axis=0) / np.maximum(count, 1)
    squares = (np.where(keep, values - mean, 0.0) ** 2).sum(axis=0)
    spread: FloatArray = np.where(count >= 2, np.sqrt(squares / np.maximum(count - 1, 1)), np.nan)
    return spread


def divergence_frame(
    catalogue: Catalogue,
    scores: ScopeScores,
    matrix: AnswerMatrix,
    respondents: RespondentScores,
    *,
    threshold: float,
    minimum_coverage: float,
) -> pd.DataFrame:
    """One row per sub-theme, columns :data:`DIVERGENCE_COLUMNS` (see the module text).

    ``groups`` is the number of groups with a sufficient score; with fewer than two,
    ``divergence`` is NaN, both groups None and ``divergent`` False. ``sd_<group>`` is NaN
    for a group without respondents.
    """
    groups = [scope for scope in scores.scopes if scope != COMBINED]
    rows: list[dict[str, object]] = []
    for t, subtheme in enumerate(catalogue.subthemes):
        eligible = [
            (group, float(scores.subtheme[k, t]))
            for k, group in enumerate(groups)
            if scores.sufficient[k, t]
        ]
        row: dict[str, object] = {
            "pillar": catalogue.pillars[catalogue.subtheme_pillar[t]],
            "subtheme": subtheme,
            "groups": len(eligible),
            "divergence": np.nan,
            "highest_group": None,
            "lowest_group": None,
            "divergent": False,
        }
        if len(eligible) >= 2:
            highest = max(eligible, key=lambda pair: pair[1])
            lowest = min(eligible, key=lambda pair: pair[1])
            divergence = highest[1] - lowest[1]
            row |= {
                "divergence": divergence,
                "highest_group": highest[0],
                "lowest_group": lowest[0],
                "divergent": divergence >= threshold - TOLERANCE,
            }
        rows.append(row)
    frame = pd.DataFrame(rows)
    for group in STAKEHOLDER_GROUPS:
        members = matrix.members(group)
        keep = respondents.coverage[members] >= minimum_coverage - TOLERANCE
        frame[f"sd_{group}"] = _spread(respondents.score[members], keep)
    return frame[list(DIVERGENCE_COLUMNS)]


def _lowest(catalogue: Catalogue, statement: FloatArray, subtheme: int) -> tuple[str, ...]:
    """Up to :data:`LOWEST_STATEMENTS` scored statements of the sub-theme, lowest first
    (framework order on a tie)."""
    inside = np.flatnonzero((catalogue.statement_subtheme == subtheme) & ~np.isnan(statement))
    ordered = sorted(inside.tolist(), key=lambda s: (float(statement[s]), s))
    return tuple(catalogue.statements[s] for s in ordered[:LOWEST_STATEMENTS])


def gap_frames(
    framework: MeterFramework,
    catalogue: Catalogue,
    scores: ScopeScores,
    divergence: pd.DataFrame,
    *,
    target: float,
    weighting: Weighting,
    include_experimental: bool,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The gaps (columns :data:`GAP_COLUMNS`, in priority order) and the insufficient
    sub-themes of the counted pillars (columns :data:`INSUFFICIENT_COLUMNS`, framework order).

    ``rank`` numbers the gaps from 1; ``lowest_statements`` is a tuple of statement ids whose
    combined scores are in :attr:`Readiness.statements`; ``divergence`` comes from
    :func:`divergence_frame`. A shortfall within :data:`TOLERANCE` of 0 is no gap.
    """
    k = scores.row(COMBINED)
    counted = catalogue.counted(include_experimental)
    of_pillar = catalogue.subtheme_pillar
    weights = catalogue.weights(weighting)
    pillar_weight = catalogue.pillar_weight / catalogue.pillar_weight[counted].sum()
    subtheme_weight = weights / (weights @ catalogue.pillar_membership())[of_pillar]
    score = scores.subtheme[k]
    shortfall = np.maximum(0.0, target - score)
    divergent = divergence["divergent"].to_numpy(dtype=bool)
    boost = framework.scoring.divergence_boost
    priority = pillar_weight[of_pillar] * subtheme_weight * shortfall * (1 + boost * divergent)
    in_scope = counted[of_pillar]
    actions = [subtheme.action for pillar in framework.pillars for subtheme in pillar.subthemes]
    levels = level_names(framework, score)
    chosen = np.flatnonzero(in_scope & scores.sufficient[k] & (shortfall > TOLERANCE)).tolist()
    chosen.sort(
        key=lambda t: (-round(float(priority[t]), PRIORITY_DECIMALS), scores.coverage[k, t], t)
    )
    gaps = pd.DataFrame(
        {
            "rank": np.arange(1, len(chosen) + 1, dtype=np.int64),
            "pillar": [catalogue.pillars[of_pillar[t]] for t in chosen],
            "subtheme": [catalogue.subthemes[t] for t in chosen],
            "score": score[chosen],
            "level": [levels[t] for t in chosen],
            "coverage": scores.coverage[k, chosen],
            "target": np.full(len(chosen), float(target)),
            "shortfall": shortfall[chosen],
            "divergence": divergence["divergence"].to_numpy(dtype=np.float64)[chosen],
            "divergent": divergent[chosen],
            "pillar_weight": pillar_weight[of_pillar[chosen]],
            "subtheme_weight": subtheme_weight[chosen],
            "priority": priority[chosen],
            "action": [actions[t] for t in chosen],
            "lowest_statements": [_lowest(catalogue, scores.statement[k], t) for t in chosen],
        },
        columns=list(GAP_COLUMNS),
    )
    short = np.flatnonzero(in_scope & ~scores.sufficient[k]).tolist()
    insufficient = pd.DataFrame(
        {
            "pillar": [catalogue.pillars[of_pillar[t]] for t in short],
            "subtheme": [catalogue.subthemes[t] for t in short],
            "score": score[short],
            "coverage": scores.coverage[k, short],
            "scored": scores.scored[k, short],
            "denominator": scores.denominator[k, short],
        },
        columns=list(INSUFFICIENT_COLUMNS),
    )
    return gaps, insufficient
