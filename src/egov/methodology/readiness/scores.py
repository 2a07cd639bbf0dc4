r"""METER scores: answers → statement, sub-theme, pillar and overall scores per scope.

Spec ``meter.md`` §3.2-§3.3 and §4. Every number (points per step, minimum coverage, the
answers left out of coverage, weights, levels) is read from the :class:`MeterFramework`; this
module holds none of its own. The framework is turned into arrays once (:class:`Catalogue`,
S statements, T sub-themes, P pillars, C answer codes, all in file order) and the answers into
one ``(respondents, statements)`` matrix of answer codes (:class:`AnswerMatrix`); every score
is then a count or a weighted mean over these arrays.

A *scope* is a stakeholder group (:data:`STAKEHOLDER_GROUPS`, those with respondents, in that
order) or :data:`COMBINED`. Within a scope, for a statement ``s`` and a sub-theme ``j``:

.. math::

    s_s = \frac{1}{n_s} \sum_{r \text{ scored } s} points_{rs}, \qquad
    S_j = \frac{\sum_{s \in j,\ scored} w_s s_s}{\sum_{s \in j,\ scored} w_s}, \qquad
    coverage_j = \frac{scored_j}{|j| - NA_j - notasked_j}

A statement is NA for a scope when every answer it got there is a code of
``scoring.excluded_from_coverage`` (and it got at least one). Outside government, an
``internal`` statement that nobody of the group scored or answered with another code (DK) was
not asked of them (§4) and leaves the denominator too; DK and unanswered observable statements
stay in it. An empty denominator is coverage 0. Below ``minimum_coverage`` a sub-theme is
insufficient: its score is kept for information, but no aggregate uses it.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from egov.errors import MethodologyError
from egov.methodology.normalise import FloatArray

if TYPE_CHECKING:  # egov.frameworks imports egov.methodology: a runtime import would cycle
    from egov.frameworks.meter_schema import MeterFramework

IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]
Combined: TypeAlias = Literal["by_group", "pooled"]
Weighting: TypeAlias = Literal["equal", "by_statements"]

#: The stakeholder groups of spec §4, in the order scopes are listed.
STAKEHOLDER_GROUPS: Final = ("government", "business", "civil_society", "academia")
#: The group whose respondents are asked every statement, ``internal`` ones included.
GOVERNMENT: Final = "government"
#: The scope of all groups together (§3.3 rule 6).
COMBINED: Final = "combined"
#: Columns :func:`egov.methodology.readiness` needs in ``answers`` and ``respondents``.
ANSWER_COLUMNS: Final = ("respondent", "group", "statement", "answer")
RESPONDENT_COLUMNS: Final = ("respondent", "group")
#: Scores that should reach a threshold are compared with this slack (points, or coverage),
#: so that a mean such as 24.999999999999996 still reaches 25.
TOLERANCE: Final = 1e-9
#: At most this many unknown ids are named in one error.
_NAMED: Final = 10


@dataclass(frozen=True, slots=True)
class ReadinessOptions:
    """The choices an assessment may make; ``None`` means "the framework's value".

    ``include_experimental`` counts experimental pillars (Marketing) in the overall score and
    the gaps; ``target`` is the score gaps are measured to (§3.5); ``combined`` and
    ``subtheme_weighting`` override ``scoring.combined`` and ``scoring.subtheme_weighting``.

    >>> from egov.frameworks import load_meter
    >>> chosen = ReadinessOptions(target=60).resolved(load_meter("meter-eo-1.0"))
    >>> chosen.target, chosen.combined, chosen.subtheme_weighting
    (60.0, 'by_group', 'equal')
    """

    include_experimental: bool = False
    target: float | None = None
    combined: Combined | None = None
    subtheme_weighting: Weighting | None = None

    def __post_init__(self) -> None:
        if self.target is not None and not 0 <= self.target <= 100:
            raise MethodologyError(f"the target must lie in [0, 100], not {self.target}")
        if self.combined not in (None, "by_group", "pooled"):
            raise MethodologyError(f"combined must be by_group or pooled, not {self.combined!r}")
        if self.subtheme_weighting not in (None, "equal", "by_statements"):
            raise MethodologyError(
                f"sub-theme weighting must be equal or by_statements, "
                f"not {self.subtheme_weighting!r}"
            )

    def resolved(self, framework: MeterFramework) -> ReadinessOptions:
        """These options with every ``None`` replaced by the framework's value."""
        scoring = framework.scoring
        return ReadinessOptions(
            include_experimental=self.include_experimental,
            target=float(scoring.target if self.target is None else self.target),
            combined=self.combined or scoring.combined,
            subtheme_weighting=self.subtheme_weighting or scoring.subtheme_weighting,
        )


#: Every choice left to the framework.
DEFAULT_OPTIONS: Final = ReadinessOptions()


@dataclass(frozen=True, slots=True, eq=False)
class Catalogue:
    """A framework as arrays in file order: S statements, T sub-themes, P pillars, C codes.

    ``points`` is the score of each answer code (NaN for the extra codes, DK and NA);
    ``excluded`` flags the codes of ``scoring.excluded_from_coverage``.
    """

    statements: tuple[str, ...]
    subthemes: tuple[str, ...]
    pillars: tuple[str, ...]
    codes: tuple[str, ...]
    statement_weight: FloatArray
    observable: BoolArray
    statement_subtheme: IntArray
    subtheme_pillar: IntArray
    subtheme_weight: FloatArray
    subtheme_size: IntArray
    pillar_weight: FloatArray
    experimental: BoolArray
    points: FloatArray
    excluded: BoolArray

    @classmethod
    def of(cls, framework: MeterFramework) -> Catalogue:
        statements = [
            (statement, t)
            for t, subtheme in enumerate(s for p in framework.pillars for s in p.subthemes)
            for statement in subtheme.statements
        ]
        subthemes = [
            (subtheme, p)
            for p, pillar in enumerate(framework.pillars)
            for subtheme in pillar.subthemes
        ]
        scale = framework.scale
        extra = list(scale.extra)
        return cls(
            statements=tuple(statement.id for statement, _ in statements),
            subthemes=tuple(subtheme.id for subtheme, _ in subthemes),
            pillars=tuple(pillar.id for pillar in framework.pillars),
            codes=(*(str(value) for value in scale.values), *extra),
            statement_weight=np.array([s.weight for s, _ in statements], dtype=np.float64),
            observable=np.array([s.perspective == "observable" for s, _ in statements]),
            statement_subtheme=np.array([t for _, t in statements], dtype=np.int64),
            subtheme_pillar=np.array([p for _, p in subthemes], dtype=np.int64),
            subtheme_weight=np.array([s.weight for s, _ in subthemes], dtype=np.float64),
            subtheme_size=np.array([len(s.statements) for s, _ in subthemes], dtype=np.int64),
            pillar_weight=np.array([p.weight for p in framework.pillars], dtype=np.float64),
            experimental=np.array([p.experimental for p in framework.pillars]),
            points=np.array(
                [scale.points(value) for value in scale.values] + [np.nan] * len(extra)
            ),
            excluded=np.array(
                [False] * len(scale.values)
                + [code in framework.scoring.excluded_from_coverage for code in extra]
            ),
        )

    @property
    def values(self) -> int:
        """How many codes, from the first, carry a score (0-4)."""
        return int(np.count_nonzero(~np.isnan(self.points)))

    def membership(self) -> FloatArray:
        """``(S, T)``: 1 where the statement belongs to the sub-theme."""
        matrix = np.zeros((len(self.statements), len(self.subthemes)))
        matrix[np.arange(len(self.statements)), self.statement_subtheme] = 1.0
        return matrix

    def pillar_membership(self) -> FloatArray:
        """``(T, P)``: 1 where the sub-theme belongs to the pillar."""
        matrix = np.zeros((len(self.subthemes), len(self.pillars)))
        matrix[np.arange(len(self.subthemes)), self.subtheme_pillar] = 1.0
        return matrix

    def weights(self, weighting: Weighting) -> FloatArray:
        """The sub-theme weights of a pillar score (§3.3 rule 4): the file's ``weight``
        (``equal``) or the number of statements (``by_statements``)."""
        if weighting == "by_statements":
            return self.subtheme_size.astype(np.float64)
        return self.subtheme_weight

    def counted(self, include_experimental: bool) -> BoolArray:
        """The pillars of the overall score: the core ones, and experimental ones on request."""
        counted: BoolArray = ~self.experimental | include_experimental
        return counted


@dataclass(frozen=True, slots=True, eq=False)
class AnswerMatrix:
    """Respondents (ordered by group, then id) and their answers as codes, ``-1`` = no row."""

    respondents: tuple[Hashable, ...]
    groups: tuple[str, ...]
    codes: IntArray

    def scopes(self) -> tuple[str, ...]:
        """The groups with at least one respondent, in :data:`STAKEHOLDER_GROUPS` order."""
        return tuple(group for group in STAKEHOLDER_GROUPS if group in self.groups)

    def members(self, group: str) -> BoolArray:
        return np.array([own == group for own in self.groups], dtype=bool)


def _named(items: Sequence[object]) -> str:
    shown = ", ".join(repr(item) for item in items[:_NAMED])
    return shown + (f" and {len(items) - _NAMED} more" if len(items) > _NAMED else "")


def _require(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise MethodologyError(f"{name} lacks the column(s) {', '.join(missing)}")


def _ordered(pairs: pd.DataFrame) -> pd.DataFrame:
    """Respondents by group order, then by id (compared as text when ids mix types)."""
    pairs = pairs.assign(order=pairs["group"].map(STAKEHOLDER_GROUPS.index))
    try:
        return pairs.sort_values(["order", "respondent"], kind="stable")
    except TypeError:
        return pairs.sort_values(
            ["order", "respondent"], kind="stable", key=lambda column: column.astype(str)
        )


def answer_matrix(
    catalogue: Catalogue, answers: pd.DataFrame, respondents: pd.DataFrame
) -> AnswerMatrix:
    """Check the answers and lay them out as a ``(respondents, statements)`` code matrix.

    Respondents are those listed in ``respondents`` and those who answered. Every problem
    found (unknown statement ids, answer codes or groups, a respondent in two groups, two
    answers of one respondent to one statement) is named in one MethodologyError.
    """
    _require(answers, ANSWER_COLUMNS, "answers")
    _require(respondents, RESPONDENT_COLUMNS, "respondents")
    statements = answers["statement"].astype(str)
    codes = answers["answer"].astype(str)
    pairs = pd.concat(
        [respondents[list(RESPONDENT_COLUMNS)], answers[list(RESPONDENT_COLUMNS)]]
    ).drop_duplicates()
    problems: list[str] = []
    unknown = sorted(set(statements) - set(catalogue.statements))
    if unknown:
        problems.append(f"unknown statement id(s) {_named(unknown)}")
    unknown = sorted(set(codes) - set(catalogue.codes))
    if unknown:
        known = ", ".join(catalogue.codes)
        problems.append(f"unknown answer code(s) {_named(unknown)} (known: {known})")
    unknown = sorted(set(pairs["group"].astype(str)) - set(STAKEHOLDER_GROUPS))
    if unknown:
        problems.append(f"unknown stakeholder group(s) {_named(unknown)}")
    twice = pairs.loc[pairs["respondent"].duplicated(), "respondent"].drop_duplicates()
    if len(twice):
        problems.append(f"respondent(s) in two groups: {_named(twice.tolist())}")
    repeated = answers.loc[answers.duplicated(["respondent", "statement"]), ["respondent"]]
    if len(repeated):
        named = zip(repeated["respondent"], statements[repeated.index], strict=True)
        problems.append(f"answered twice: {_named([f'{r} {s}' for r, s in named])}")
    if problems:
        raise MethodologyError("; ".join(problems))
    pairs = _ordered(pairs)
    ids: list[Hashable] = pairs["respondent"].tolist()
    row_of = {respondent: row for row, respondent in enumerate(ids)}
    column_of = {statement: column for column, statement in enumerate(catalogue.statements)}
    code_of = {code: position for position, code in enumerate(catalogue.codes)}
    matrix = np.full((len(ids), len(catalogue.statements)), -1, dtype=np.int64)
    rows = [row_of[respondent] for respondent in answers["respondent"].tolist()]
    columns = [column_of[statement] for statement in statements]
    matrix[rows, columns] = [code_of[code] for code in codes]
    return AnswerMatrix(tuple(ids), tuple(pairs["group"].tolist()), matrix)


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """``numerator / denominator``, NaN where the denominator is not positive."""
    out = np.full(np.shape(numerator), np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def weighted_means(values: FloatArray, weights: FloatArray, membership: FloatArray) -> FloatArray:
    r"""Weighted mean of the present (non-NaN) values of each part, row by row.

    .. math:: m_{kg} = \frac{\sum_{i \in g} w_i x_{ki}}{\sum_{i \in g,\ x_{ki} \ne NaN} w_i}

    ``values`` is ``(rows, items)``, ``weights`` ``(items,)``, ``membership`` ``(items,
    parts)`` with 1 where an item belongs to a part; a part with no present value is NaN.

    >>> weighted_means(np.array([[50.0, np.nan, 100.0]]), np.array([1.0, 1.0, 3.0]),
    ...                np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])).tolist()
    [[50.0, 100.0]]
    """
    present = ~np.isnan(values)
    numerator = (np.where(present, values, 0.0) * weights) @ membership
    return _ratio(numerator, (present * weights) @ membership)


@dataclass(frozen=True, slots=True, eq=False)
class ScopeScores:
    """The scores of K scopes (the groups with respondents, then :data:`COMBINED`).

    ``counts`` ``(K, C, S)`` counts each answer code per statement; ``statement``, ``na``
    and ``asked`` are ``(K, S)``; the sub-theme arrays ``(K, T)``; ``pillar`` ``(K, P)``;
    ``overall`` ``(K,)``.
    """

    scopes: tuple[str, ...]
    counts: IntArray
    statement: FloatArray
    na: BoolArray
    asked: BoolArray
    subtheme: FloatArray
    scored: IntArray
    denominator: IntArray
    coverage: FloatArray
    sufficient: BoolArray
    pillar: FloatArray
    overall: FloatArray

    def row(self, scope: str) -> int:
        return self.scopes.index(scope)


def _statements(
    catalogue: Catalogue, counts: IntArray, government: BoolArray
) -> tuple[FloatArray, BoolArray, BoolArray]:
    """Statement score, NA flag and asked flag of each scope, from its answer counts."""
    values = catalogue.values
    scored = counts[:, :values, :].sum(axis=1)
    total = np.einsum("kcs,c->ks", counts[:, :values, :], catalogue.points[:values])
    answers = counts.sum(axis=1)
    excluded = counts[:, catalogue.excluded, :].sum(axis=1)
    na: BoolArray = (answers > 0) & (excluded == answers)
    asked: BoolArray = government[:, None] | catalogue.observable[None, :] | (answers > excluded)
    return _ratio(total, scored), na, asked


def _subthemes(
    catalogue: Catalogue,
    statement: FloatArray,
    counted: BoolArray,
    minimum_coverage: float,
) -> tuple[FloatArray, IntArray, IntArray, FloatArray, BoolArray]:
    """Score, scored statements, denominator, coverage and sufficiency of each sub-theme;
    ``counted`` flags the statements in the coverage denominator."""
    membership = catalogue.membership()
    score = weighted_means(statement, catalogue.statement_weight, membership)
    scored = (~np.isnan(statement)).astype(np.int64) @ membership.astype(np.int64)
    denominator = counted.astype(np.int64) @ membership.astype(np.int64)
    coverage = np.nan_to_num(_ratio(scored.astype(np.float64), denominator.astype(np.float64)))
    sufficient: BoolArray = coverage >= minimum_coverage - TOLERANCE
    return score, scored, denominator, coverage, sufficient


def _mean_present(values: FloatArray, use: BoolArray) -> FloatArray:
    """Unweighted mean over axis 0 of the used, non-NaN values; NaN where there is none."""
    keep = use & ~np.isnan(values)
    return _ratio(np.where(keep, values, 0.0).sum(axis=0), keep.sum(axis=0).astype(np.float64))


def score_scopes(
    catalogue: Catalogue,
    matrix: AnswerMatrix,
    *,
    combined: Combined,
    weighting: Weighting,
    include_experimental: bool,
    minimum_coverage: float,
) -> ScopeScores:
    """Every score of every scope (spec §3.3 rules 2-6; see the module text).

    ``by_group``: the combined statement score is the mean of the group statement scores,
    the combined sub-theme score the unweighted mean of the sufficient group scores (of
    every group score when none is sufficient, for information), its coverage, scored and
    denominator those of the group with the largest coverage (the first in scope order on a
    tie), sufficient when a group is. ``pooled``: every respondent forms one group, and the
    not-asked rule applies only when there is no government respondent. In both modes the
    combined answer counts, NA and asked flags are those of all respondents together. Pillar
    and overall scores of every scope, combined included, come from its sub-theme scores.
    """
    groups = matrix.scopes()
    codes = range(len(catalogue.codes))
    counts = np.stack(
        [
            np.stack([(matrix.codes[matrix.members(g)] == c).sum(axis=0) for c in codes])
            for g in groups
        ]
        + [np.stack([(matrix.codes == c).sum(axis=0) for c in codes])]
    ).astype(np.int64)
    government = np.array([g == GOVERNMENT for g in groups] + [GOVERNMENT in groups])
    statement, na, asked = _statements(catalogue, counts, government)
    subtheme, scored, denominator, coverage, sufficient = _subthemes(
        catalogue, statement, ~na & asked, minimum_coverage
    )
    if combined == "by_group" and groups:
        k = len(groups)
        statement[k] = _mean_present(statement[:k], np.ones_like(na[:k]))
        chosen = np.where(sufficient[:k].any(axis=0), sufficient[:k], True)
        subtheme[k] = _mean_present(subtheme[:k], chosen)
        best = coverage[:k].argmax(axis=0)
        columns = np.arange(len(catalogue.subthemes))
        coverage[k] = coverage[best, columns]
        scored[k] = scored[best, columns]
        denominator[k] = denominator[best, columns]
        sufficient[k] = sufficient[:k].any(axis=0)
    pillar = weighted_means(
        np.where(sufficient, subtheme, np.nan),
        catalogue.weights(weighting),
        catalogue.pillar_membership(),
    )
    counted = catalogue.counted(include_experimental)
    weights = catalogue.pillar_weight[counted]
    overall = pillar[:, counted] @ weights / weights.sum()  # a NaN pillar makes it NaN (rule 6)
    return ScopeScores(
        (*groups, COMBINED),
        counts,
        statement,
        na,
        asked,
        subtheme,
        scored,
        denominator,
        coverage,
        sufficient,
        pillar,
        overall,
    )


@dataclass(frozen=True, slots=True, eq=False)
class RespondentScores:
    """Respondent-level sub-theme scores (§3.3 rule 1), each array ``(R, T)``."""

    score: FloatArray
    scored: IntArray
    denominator: IntArray
    coverage: FloatArray


def respondent_scores(catalogue: Catalogue, matrix: AnswerMatrix) -> RespondentScores:
    r"""Each respondent's sub-theme scores: the weighted mean of their scored statements.

    .. math:: coverage_{rj} = \frac{scored_{rj}}{|j| - NA_{rj}}

    ``NA`` counts the respondent's answers of ``excluded_from_coverage``; an empty
    denominator is coverage 0. These scores feed the within-group spread only.
    """
    answered = matrix.codes >= 0
    points = np.where(answered, catalogue.points[matrix.codes], np.nan)
    membership = catalogue.membership().astype(np.int64)
    excluded = (answered & catalogue.excluded[matrix.codes]).astype(np.int64) @ membership
    scored = (~np.isnan(points)).astype(np.int64) @ membership
    denominator = catalogue.subtheme_size[None, :] - excluded
    return RespondentScores(
        weighted_means(points, catalogue.statement_weight, membership.astype(np.float64)),
        scored,
        denominator,
        np.nan_to_num(_ratio(scored.astype(np.float64), denominator.astype(np.float64))),
    )


def level_names(framework: MeterFramework, scores: FloatArray) -> list[str | None]:
    """The level of each score: the last of ``framework.levels`` whose ``min`` it reaches
    (within :data:`TOLERANCE`); None for NaN."""
    minima = np.array([level.min for level in framework.levels])
    names = [level.name for level in framework.levels]
    values = np.asarray(scores, dtype=np.float64)
    found = np.searchsorted(minima, values + TOLERANCE, side="right") - 1
    return [
        None if np.isnan(value) or at < 0 else names[at]
        for value, at in zip(values.tolist(), found.tolist(), strict=True)
    ]


def readiness_level(framework: MeterFramework, score: float) -> str | None:
    """The level name of one score (§3.3 rule 7); None for NaN.

    >>> from egov.frameworks import load_meter
    >>> framework = load_meter("meter-eo-1.0")
    >>> [readiness_level(framework, s) for s in (0, 24.9, 25, 43.75, 75, float("nan"))]
    ['Initial', 'Initial', 'Developing', 'Developing', 'Advanced', None]
    """
    return level_names(framework, np.array([score], dtype=np.float64))[0]
