"""The readiness profile of one assessment, and the comparison of two (spec ``meter.md`` §3.3-§3.5).

:func:`readiness` scores the answers (:mod:`.scores`), measures divergence and ranks the gaps
(:mod:`.gaps`), and returns every result as tidy frames in one frozen :class:`Readiness`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from egov.methodology.normalise import FloatArray
from egov.methodology.readiness.gaps import divergence_frame, gap_frames
from egov.methodology.readiness.scores import (
    COMBINED,
    DEFAULT_OPTIONS,
    TOLERANCE,
    AnswerMatrix,
    BoolArray,
    Catalogue,
    ReadinessOptions,
    RespondentScores,
    ScopeScores,
    answer_matrix,
    level_names,
    respondent_scores,
    score_scopes,
)

if TYPE_CHECKING:  # egov.frameworks imports egov.methodology: a runtime import would cycle
    from egov.frameworks.meter_schema import MeterFramework

#: Columns of :attr:`Readiness.statements`; one ``n_<code>`` column per answer code follows.
STATEMENT_COLUMNS: Final = (
    "scope",
    "pillar",
    "subtheme",
    "statement",
    "score",
    "level",
    "respondents_scored",
    "na",
    "asked",
)
#: Columns of :attr:`Readiness.subthemes`.
SUBTHEME_COLUMNS: Final = (
    "scope",
    "pillar",
    "subtheme",
    "score",
    "level",
    "coverage",
    "sufficient",
    "scored",
    "denominator",
    "statements",
    "weight",
)
#: Columns of :attr:`Readiness.pillars`.
PILLAR_COLUMNS: Final = (
    "scope",
    "pillar",
    "score",
    "level",
    "counted",
    "experimental",
    "weight",
    "subthemes_sufficient",
    "subthemes",
)
#: Columns of :attr:`Readiness.overall`.
OVERALL_COLUMNS: Final = ("scope", "score", "level", "pillars", "pillars_scored")
#: Columns of :attr:`Readiness.respondent_subthemes`.
RESPONDENT_SUBTHEME_COLUMNS: Final = (
    "respondent",
    "group",
    "pillar",
    "subtheme",
    "score",
    "coverage",
    "sufficient",
    "scored",
    "denominator",
)
#: Columns of :func:`compare`.
COMPARISON_COLUMNS: Final = (
    "level",
    "pillar",
    "subtheme",
    "earlier",
    "later",
    "change",
    "statements_differ",
)


@dataclass(frozen=True, slots=True, eq=False)
class Readiness:
    """The readiness profile of one assessment: tidy frames, rows in scope then file order.

    ``scopes``: the stakeholder groups with respondents (government, business,
    civil_society, academia, in that order), then ``"combined"``. ``options``: the options
    used, every ``None`` replaced by the framework's value. Frames (``score`` columns run
    0-100, NaN when there is nothing to score; ``level`` is a level name or None):

    ``statements``
        one row per (scope, statement): :data:`STATEMENT_COLUMNS`, then one ``n_<code>``
        column per answer code of the scale (``n_0`` … ``n_4``, ``n_DK``, ``n_NA``: how many
        respondents of the scope gave it). ``respondents_scored`` counts the 0-4 answers;
        ``na``: NA for the scope; ``asked``: False for an internal statement not asked of a
        non-government scope. A statement neither ``na`` nor not ``asked`` counts in its
        sub-theme's coverage denominator. The combined ``score`` is the mean of the group
        scores (``by_group``) or over every respondent (``pooled``).
    ``subthemes``
        one row per (scope, sub-theme): :data:`SUBTHEME_COLUMNS`. ``coverage = scored /
        denominator`` (0 when the denominator is 0); an insufficient score (``sufficient``
        False) and its level are for information and enter no aggregate; ``weight`` is the
        sub-theme's weight in its pillar score.
    ``pillars``
        one row per (scope, pillar): :data:`PILLAR_COLUMNS`; ``counted``: in the overall.
    ``overall``
        one row per scope: :data:`OVERALL_COLUMNS` (``pillars`` counted, of which scored).
    ``respondent_subthemes``
        one row per (respondent, sub-theme), respondents by group then id:
        :data:`RESPONDENT_SUBTHEME_COLUMNS`.
    ``divergence``
        one row per sub-theme: :data:`~egov.methodology.readiness.gaps.DIVERGENCE_COLUMNS`.
    ``gaps``, ``way_forward``
        :data:`~egov.methodology.readiness.gaps.GAP_COLUMNS`, by priority; the way forward is
        the first ``scoring.way_forward_size`` gaps.
    ``insufficient``
        the sub-themes of counted pillars whose combined score is insufficient ("not enough
        answers to judge"): :data:`~egov.methodology.readiness.gaps.INSUFFICIENT_COLUMNS`.
    """

    framework: MeterFramework
    options: ReadinessOptions
    scopes: tuple[str, ...]
    statements: pd.DataFrame
    subthemes: pd.DataFrame
    pillars: pd.DataFrame
    overall: pd.DataFrame
    respondent_subthemes: pd.DataFrame
    divergence: pd.DataFrame
    gaps: pd.DataFrame
    way_forward: pd.DataFrame
    insufficient: pd.DataFrame

    @property
    def framework_id(self) -> str:
        """The id of the framework version scored with (``meter-eo-1.0``)."""
        return self.framework.id


def _repeated(scopes: tuple[str, ...], times: int) -> list[str]:
    """The ``scope`` column of a (scope, item) grid: each scope ``times`` times in a row."""
    return [scope for scope in scopes for _ in range(times)]


def _statement_frame(
    framework: MeterFramework, catalogue: Catalogue, scores: ScopeScores
) -> pd.DataFrame:
    scopes = len(scores.scopes)
    of_statement = catalogue.statement_subtheme
    counts = scores.counts
    return pd.DataFrame(
        {
            "scope": _repeated(scores.scopes, len(catalogue.statements)),
            "pillar": [catalogue.pillars[catalogue.subtheme_pillar[t]] for t in of_statement]
            * scopes,
            "subtheme": [catalogue.subthemes[t] for t in of_statement] * scopes,
            "statement": list(catalogue.statements) * scopes,
            "score": scores.statement.ravel(),
            "level": level_names(framework, scores.statement.ravel()),
            "respondents_scored": counts[:, : catalogue.values, :].sum(axis=1).ravel(),
            "na": scores.na.ravel(),
            "asked": scores.asked.ravel(),
            **{f"n_{code}": counts[:, c, :].ravel() for c, code in enumerate(catalogue.codes)},
        }
    )


def _subtheme_frame(
    framework: MeterFramework, catalogue: Catalogue, scores: ScopeScores, weights: FloatArray
) -> pd.DataFrame:
    scopes = len(scores.scopes)
    return pd.DataFrame(
        {
            "scope": _repeated(scores.scopes, len(catalogue.subthemes)),
            "pillar": [catalogue.pillars[p] for p in catalogue.subtheme_pillar] * scopes,
            "subtheme": list(catalogue.subthemes) * scopes,
            "score": scores.subtheme.ravel(),
            "level": level_names(framework, scores.subtheme.ravel()),
            "coverage": scores.coverage.ravel(),
            "sufficient": scores.sufficient.ravel(),
            "scored": scores.scored.ravel(),
            "denominator": scores.denominator.ravel(),
            "statements": np.tile(catalogue.subtheme_size, scopes),
            "weight": np.tile(weights, scopes),
        }
    )


def _pillar_frames(
    framework: MeterFramework, catalogue: Catalogue, scores: ScopeScores, counted: BoolArray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    scopes = len(scores.scopes)
    membership = catalogue.pillar_membership().astype(np.int64)
    pillars = pd.DataFrame(
        {
            "scope": _repeated(scores.scopes, len(catalogue.pillars)),
            "pillar": list(catalogue.pillars) * scopes,
            "score": scores.pillar.ravel(),
            "level": level_names(framework, scores.pillar.ravel()),
            "counted": np.tile(counted, scopes),
            "experimental": np.tile(catalogue.experimental, scopes),
            "weight": np.tile(catalogue.pillar_weight, scopes),
            "subthemes_sufficient": (scores.sufficient.astype(np.int64) @ membership).ravel(),
            "subthemes": np.tile(membership.sum(axis=0), scopes),
        }
    )
    overall = pd.DataFrame(
        {
            "scope": list(scores.scopes),
            "score": scores.overall,
            "level": level_names(framework, scores.overall),
            "pillars": np.full(scopes, int(counted.sum()), dtype=np.int64),
            "pillars_scored": (~np.isnan(scores.pillar[:, counted])).sum(axis=1),
        }
    )
    return pillars, overall


def _respondent_frame(
    catalogue: Catalogue, matrix: AnswerMatrix, scores: RespondentScores, minimum: float
) -> pd.DataFrame:
    items, respondents = len(catalogue.subthemes), len(matrix.respondents)
    return pd.DataFrame(
        {
            "respondent": [r for r in matrix.respondents for _ in range(items)],
            "group": _repeated(matrix.groups, items),
            "pillar": [catalogue.pillars[p] for p in catalogue.subtheme_pillar] * respondents,
            "subtheme": list(catalogue.subthemes) * respondents,
            "score": scores.score.ravel(),
            "coverage": scores.coverage.ravel(),
            "sufficient": scores.coverage.ravel() >= minimum - TOLERANCE,
            "scored": scores.scored.ravel(),
            "denominator": scores.denominator.ravel(),
        },
        columns=list(RESPONDENT_SUBTHEME_COLUMNS),
    )


def readiness(
    framework: MeterFramework,
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    options: ReadinessOptions = DEFAULT_OPTIONS,
) -> Readiness:
    r"""Score a self-assessment: the profile per stakeholder group and combined, divergence,
    gaps and way forward (spec ``meter.md`` §3.3-§3.5, §4).

    Parameters
    ----------
    framework
        The version the assessment was opened under; every number comes from it.
    answers
        Columns ``respondent`` (an id), ``group`` (a stakeholder group), ``statement`` (an
        id such as ``C1.1``) and ``answer`` (``"0"`` … ``"4"`` or an extra code, ``DK`` or
        ``NA``); at most one row per (respondent, statement), none for a statement left
        unanswered.
    respondents
        Columns ``respondent`` and ``group``: everyone invited, so that a group whose
        respondents answered nothing still has a scope (coverage 0).
    options
        :class:`ReadinessOptions`; ``None`` fields take the framework's values.

    Returns
    -------
    Readiness
        The frames documented on :class:`Readiness`.

    Raises
    ------
    MethodologyError
        naming every unknown statement id, answer code or group, a respondent in two groups,
        or a statement answered twice by one respondent.

    Notes
    -----
    A statement scores ``points(value)`` (0-100), DK and NA nothing. Group statement score:
    the mean over the group's respondents who scored it; sub-theme score: the weighted mean
    (statement weights) of the scored statements, sufficient when its coverage reaches
    ``minimum_coverage`` (see :mod:`egov.methodology.readiness.scores` for NA and the
    statements not asked). Pillar score: the weighted mean of its sufficient sub-theme scores
    (sub-theme weights, or numbers of statements with ``by_statements``), NaN when none is
    sufficient. Overall: the weighted mean (pillar weights) of the counted pillars, core ones
    and experimental ones when ``include_experimental``, NaN unless each has a score.

    Examples
    --------
    The worked example of spec §3.3 (sub-theme C3):

    >>> from egov.frameworks import load_meter
    >>> rows = [("G1", "government", "3", "2"), ("G2", "government", "4", "2"),
    ...         ("B1", "business", "1", "DK"), ("S1", "civil_society", "2", "1")]
    >>> answers = pd.DataFrame(
    ...     [(r, g, f"C3.{i}", a) for r, g, *pair in rows for i, a in enumerate(pair, 1)],
    ...     columns=["respondent", "group", "statement", "answer"])
    >>> profile = readiness(load_meter("meter-eo-1.0"), answers, answers[["respondent", "group"]])
    >>> c3 = profile.subthemes.query("subtheme == 'C3'").set_index("scope")
    >>> c3["score"].to_dict()
    {'government': 68.75, 'business': 25.0, 'civil_society': 37.5, 'combined': 43.75}
    >>> float(c3.loc["business", "coverage"]), c3.loc["combined", "level"]
    (0.5, 'Developing')
    """
    scoring = framework.scoring
    target = scoring.target if options.target is None else options.target
    combined = options.combined or scoring.combined
    weighting = options.subtheme_weighting or scoring.subtheme_weighting
    include = options.include_experimental
    minimum = scoring.minimum_coverage
    catalogue = Catalogue.of(framework)
    matrix = answer_matrix(catalogue, answers, respondents)
    scores = score_scopes(
        catalogue,
        matrix,
        combined=combined,
        weighting=weighting,
        include_experimental=include,
        minimum_coverage=minimum,
    )
    by_respondent = respondent_scores(catalogue, matrix)
    divergence = divergence_frame(
        catalogue,
        scores,
        matrix,
        by_respondent,
        threshold=scoring.divergence_threshold,
        minimum_coverage=minimum,
    )
    gaps, insufficient = gap_frames(
        framework,
        catalogue,
        scores,
        divergence,
        target=target,
        weighting=weighting,
        include_experimental=include,
    )
    pillars, overall = _pillar_frames(framework, catalogue, scores, catalogue.counted(include))
    return Readiness(
        framework=framework,
        options=ReadinessOptions(include, target, combined, weighting),
        scopes=scores.scopes,
        statements=_statement_frame(framework, catalogue, scores),
        subthemes=_subtheme_frame(framework, catalogue, scores, catalogue.weights(weighting)),
        pillars=pillars,
        overall=overall,
        respondent_subthemes=_respondent_frame(catalogue, matrix, by_respondent, minimum),
        divergence=divergence,
        gaps=gaps,
        way_forward=gaps.head(scoring.way_forward_size).reset_index(drop=True),
        insufficient=insufficient,
    )


Key = tuple[str, str | None, str | None]


def _combined_scores(profile: Readiness) -> dict[Key, float]:
    """The combined scores by (level, pillar, sub-theme)."""

    def scope(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["scope"] == COMBINED]

    scores: dict[Key, float] = {
        ("overall", None, None): float(scope(profile.overall)["score"].iloc[0])
    }
    for pillar, score in scope(profile.pillars)[["pillar", "score"]].itertuples(index=False):
        scores[("pillar", pillar, None)] = float(score)
    subthemes = scope(profile.subthemes)[["pillar", "subtheme", "score"]]
    for pillar, subtheme, score in subthemes.itertuples(index=False):
        scores[("subtheme", pillar, subtheme)] = float(score)
    return scores


def _statement_ids(profile: Readiness) -> dict[Key, frozenset[str]]:
    """The statement ids behind each score: a sub-theme's, a pillar's, the counted pillars'."""
    ids: dict[Key, frozenset[str]] = {}
    counted = profile.options.include_experimental
    overall: set[str] = set()
    for pillar in profile.framework.pillars:
        of_pillar: set[str] = set()
        for subtheme in pillar.subthemes:
            own = frozenset(statement.id for statement in subtheme.statements)
            ids[("subtheme", pillar.id, subtheme.id)] = own
            of_pillar |= own
        ids[("pillar", pillar.id, None)] = frozenset(of_pillar)
        if counted or not pillar.experimental:
            overall |= of_pillar
    ids[("overall", None, None)] = frozenset(overall)
    return ids


def compare(earlier: Readiness, later: Readiness) -> pd.DataFrame:
    """The combined scores of two assessments side by side, with the change.

    One row for the overall score, then per pillar (the later framework's order, then
    pillars only the earlier one has) a row for the pillar and one per sub-theme; columns
    :data:`COMPARISON_COLUMNS`: ``level`` (``overall``, ``pillar`` or ``subtheme``),
    ``pillar`` and ``subtheme`` (None where they do not apply), ``earlier``, ``later``,
    ``change = later − earlier`` (NaN when either is), and ``statements_differ``: the two
    framework versions differ and the score stands on different statement ids (a part one
    version lacks counts as having none). Statements are compared by id only: a reworded
    statement that keeps its id does not count as different.
    """
    before, after = _combined_scores(earlier), _combined_scores(later)
    ids_before, ids_after = _statement_ids(earlier), _statement_ids(later)
    same_version = earlier.framework_id == later.framework_id
    keys: list[Key] = [("overall", None, None)]
    pillars = [*later.framework.pillars, *earlier.framework.pillars]
    for pillar_id in dict.fromkeys(pillar.id for pillar in pillars):
        keys.append(("pillar", pillar_id, None))
        subthemes = (s.id for p in pillars if p.id == pillar_id for s in p.subthemes)
        keys += [("subtheme", pillar_id, subtheme) for subtheme in dict.fromkeys(subthemes)]
    frame = pd.DataFrame(
        {
            "level": [key[0] for key in keys],
            "pillar": [key[1] for key in keys],
            "subtheme": [key[2] for key in keys],
            "earlier": [before.get(key, np.nan) for key in keys],
            "later": [after.get(key, np.nan) for key in keys],
            "statements_differ": [
                not same_version
                and ids_before.get(key, frozenset()) != ids_after.get(key, frozenset())
                for key in keys
            ],
        }
    )
    frame.insert(5, "change", frame["later"] - frame["earlier"])
    return frame
