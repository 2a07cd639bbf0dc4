"""Everything the results page and the PDF report show of one assessment, as one frozen value.

:func:`assessment_report` gathers the readiness profile (:mod:`egov.methodology.readiness`),
the corroboration with the country's latest Survey edition, the knowledge items for each gap
(:func:`egov.web.knowledge.selectors.peers.gap_suggestions`) and the assessment's place among
the other published assessments, and turns the core's frames into rows with names and labels.
The page, the PDF and the API render it; none of them recomputes a score.

Scores are None where the core has NaN. An insufficient score (coverage below the framework's
minimum) is kept with ``sufficient=False``: shown as "insufficient", never as a number that
enters anything.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd
from django.utils.translation import gettext_lazy as _

from egov.frameworks.meter_schema import MeterFramework
from egov.methodology import readiness as core
from egov.web.knowledge.selectors.peers import Suggestion, gap_suggestions

from . import selectors
from .models import Assessment, StakeholderGroup
from .services import framework_of

COMBINED: Final = core.COMBINED
SCOPE_LABELS: Final[Mapping[str, Any]] = {
    **dict(StakeholderGroup.choices),
    COMBINED: _("All groups"),
}
#: Labels of the published indicators a pillar is corroborated with.
INDICATOR_LABELS: Final[Mapping[str, str]] = {
    "egdi": "EGDI",
    "osi": "OSI",
    "tii": "TII",
    "hci": "HCI",
    "epi": "EPI",
    "osi.SP": "OSI Services Provision",
    "osi.CP": "OSI Content Provision",
    "osi.IF": "OSI Institutional Framework",
    "osi.TEC": "OSI Technology",
    "osi.EPI": "OSI E-Participation",
}


def _number(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a core frame as plain dicts (column → value)."""
    return [{str(key): value for key, value in row.items()} for row in frame.to_dict("records")]


def _count(value: Any) -> int | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) else int(number)


@dataclass(frozen=True, slots=True)
class ScopeScore:
    """One score of one scope (a stakeholder group or all of them)."""

    score: float | None
    level: str | None
    sufficient: bool = True
    coverage: float | None = None

    @property
    def shown(self) -> bool:
        """A number to show: there is one, and it is sufficient."""
        return self.score is not None and self.sufficient


@dataclass(frozen=True, slots=True)
class PillarRow:
    id: str
    name: str
    experimental: bool
    counted: bool  # in the overall score
    scores: Mapping[str, ScopeScore]  # scope → score


@dataclass(frozen=True, slots=True)
class SubthemeRow:
    id: str
    name: str
    pillar: str
    pillar_name: str
    scores: Mapping[str, ScopeScore]
    divergence: float | None
    divergent: bool
    highest_group: str | None
    lowest_group: str | None
    spreads: Mapping[str, float | None]  # group → SD of its respondents' scores


@dataclass(frozen=True, slots=True)
class StatementScore:
    id: str
    text: str
    score: float | None


@dataclass(frozen=True, slots=True)
class GapRow:
    rank: int
    subtheme: str
    subtheme_name: str
    pillar: str
    pillar_name: str
    score: float
    level: str | None
    coverage: float
    target: float
    shortfall: float
    priority: float
    divergent: bool
    divergence: float | None
    action: str
    lowest: tuple[StatementScore, ...]
    items: tuple[Suggestion, ...]


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    code: str
    label: str
    value: float | None
    percentile: float | None  # 0-1
    region: str | None
    region_rank: int | None
    region_count: int | None


@dataclass(frozen=True, slots=True)
class CorroborationRow:
    pillar: str
    pillar_name: str
    self_score: float | None
    objective_score: float | None
    difference: float | None
    flag: str | None  # "higher": self-view above the published data; "lower"; None
    indicators: tuple[IndicatorRow, ...]


@dataclass(frozen=True, slots=True)
class DistributionRow:
    measure: str  # a pillar id, or "overall"
    label: str
    count: int
    minimum: float | None
    lower_quartile: float | None
    median: float | None
    upper_quartile: float | None
    maximum: float | None
    own: float | None
    percentile: float | None


@dataclass(frozen=True, slots=True)
class Report:
    assessment: Assessment
    framework: MeterFramework
    readiness: core.Readiness
    scopes: tuple[str, ...]  # the groups with respondents, then "combined"
    respondents: Mapping[str, int]  # group → respondents invited
    answers: int  # answers on the scale (0-4); DK and NA are not counted
    target: float
    overall: Mapping[str, ScopeScore]
    pillars: tuple[PillarRow, ...]
    subthemes: tuple[SubthemeRow, ...]
    gaps: tuple[GapRow, ...]
    way_forward: tuple[GapRow, ...]
    insufficient: tuple[SubthemeRow, ...]
    corroboration_year: int | None
    corroboration: tuple[CorroborationRow, ...]
    distribution: tuple[DistributionRow, ...]
    distribution_others: int  # other published assessments with kept scores
    minimum_peers: int = core.MINIMUM_PEERS

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(scope for scope in self.scopes if scope != COMBINED)

    @property
    def divergent(self) -> tuple[SubthemeRow, ...]:
        return tuple(row for row in self.subthemes if row.divergent)

    @property
    def flagged(self) -> tuple[CorroborationRow, ...]:
        return tuple(row for row in self.corroboration if row.flag)

    @property
    def distribution_shown(self) -> bool:
        return self.distribution_others >= self.minimum_peers

    def scope_label(self, scope: str) -> str:
        return str(SCOPE_LABELS.get(scope, scope))

    def radar(self) -> dict[str, Any]:
        """The readiness profile as chart data: the pillars (name, experimental) and one series
        per scope with its pillar scores (None where there is none)."""
        return {
            "pillars": [
                {"id": p.id, "name": p.name, "experimental": p.experimental} for p in self.pillars
            ],
            "series": [
                {
                    "scope": scope,
                    "label": self.scope_label(scope),
                    "values": [
                        round(p.scores[scope].score, 1)  # type: ignore[arg-type]
                        if p.scores[scope].shown
                        else None
                        for p in self.pillars
                    ],
                }
                for scope in self.scopes
            ],
        }


def _scope_scores(
    frame: pd.DataFrame, key: str, *, coverage: bool = False
) -> dict[str, dict[str, ScopeScore]]:
    """``item → scope → ScopeScore`` from a (scope, item) frame of the core."""
    found: dict[str, dict[str, ScopeScore]] = {}
    for row in _records(frame):
        found.setdefault(str(row[key]), {})[str(row["scope"])] = ScopeScore(
            score=_number(row["score"]),
            level=row["level"] if row["level"] else None,
            sufficient=bool(row["sufficient"]) if coverage else _number(row["score"]) is not None,
            coverage=_number(row["coverage"]) if coverage else None,
        )
    return found


def _subtheme_rows(result: core.Readiness) -> list[SubthemeRow]:
    framework = result.framework
    scores = _scope_scores(result.subthemes, "subtheme", coverage=True)
    divergence = {str(row["subtheme"]): row for row in _records(result.divergence)}
    rows = []
    for pillar in framework.pillars:
        for subtheme in pillar.subthemes:
            found = divergence.get(subtheme.id)
            spreads = {
                group: _number(found.get(f"sd_{group}")) if found is not None else None
                for group in core.STAKEHOLDER_GROUPS
            }
            rows.append(
                SubthemeRow(
                    id=subtheme.id,
                    name=subtheme.name,
                    pillar=pillar.id,
                    pillar_name=pillar.name,
                    scores=scores.get(subtheme.id, {}),
                    divergence=_number(found["divergence"]) if found is not None else None,
                    divergent=bool(found["divergent"]) if found is not None else False,
                    highest_group=(found["highest_group"] or None) if found is not None else None,
                    lowest_group=(found["lowest_group"] or None) if found is not None else None,
                    spreads=spreads,
                )
            )
    return rows


def _gap_rows(
    result: core.Readiness, frame: pd.DataFrame, items: Mapping[str, list[Suggestion]]
) -> tuple[GapRow, ...]:
    framework = result.framework
    statements = result.statements[result.statements["scope"] == COMBINED].set_index("statement")
    rows = []
    for row in _records(frame):
        subtheme = framework.subtheme(str(row["subtheme"]))
        pillar = framework.pillar(str(row["pillar"]))
        rows.append(
            GapRow(
                rank=int(row["rank"]),
                subtheme=subtheme.id,
                subtheme_name=subtheme.name,
                pillar=pillar.id,
                pillar_name=pillar.name,
                score=float(row["score"]),
                level=row["level"] or None,
                coverage=float(row["coverage"]),
                target=float(row["target"]),
                shortfall=float(row["shortfall"]),
                priority=float(row["priority"]),
                divergent=bool(row["divergent"]),
                divergence=_number(row["divergence"]),
                action=str(row["action"]),
                lowest=tuple(
                    StatementScore(
                        code,
                        framework.statement(code).text,
                        _number(statements.at[code, "score"]) if code in statements.index else None,
                    )
                    for code in row["lowest_statements"]
                ),
                items=tuple(items.get(subtheme.id, ())),
            )
        )
    return tuple(rows)


def _corroboration_rows(
    framework: MeterFramework, objective: pd.DataFrame, table: pd.DataFrame
) -> tuple[CorroborationRow, ...]:
    indicators: dict[str, list[IndicatorRow]] = {}
    for row in _records(objective):
        if not row["indicator"]:
            continue
        indicators.setdefault(str(row["pillar"]), []).append(
            IndicatorRow(
                code=str(row["indicator"]),
                label=INDICATOR_LABELS.get(str(row["indicator"]), str(row["indicator"])),
                value=_number(row["value"]),
                percentile=_number(row["percentile"]),
                region=row["region"] if isinstance(row["region"], str) else None,
                region_rank=_count(row["region_rank"]),
                region_count=_count(row["region_count"]),
            )
        )
    return tuple(
        CorroborationRow(
            pillar=str(row["pillar"]),
            pillar_name=framework.pillar(str(row["pillar"])).name,
            self_score=_number(row["self_score"]),
            objective_score=_number(row["objective_score"]),
            difference=_number(row["difference"]),
            flag=row["flag"] if isinstance(row["flag"], str) else None,
            indicators=tuple(indicators.get(str(row["pillar"]), ())),
        )
        for row in _records(table)
    )


def _distribution_rows(
    framework: MeterFramework, others: pd.DataFrame, own: pd.Series
) -> tuple[tuple[DistributionRow, ...], int]:
    if others.empty:
        return (), 0
    position = core.distribution_position(others, own)
    labels = {pillar.id: pillar.name for pillar in framework.pillars} | {
        "overall": str(_("Overall"))
    }
    rows = tuple(
        DistributionRow(
            measure=str(row["measure"]),
            label=labels.get(str(row["measure"]), str(row["measure"])),
            count=int(row["count"]),
            minimum=_number(row["minimum"]),
            lower_quartile=_number(row["lower_quartile"]),
            median=_number(row["median"]),
            upper_quartile=_number(row["upper_quartile"]),
            maximum=_number(row["maximum"]),
            own=_number(row["own"]),
            percentile=_number(row["percentile"]),
        )
        for row in _records(position)
    )
    return rows, len(others)


def assessment_report(assessment: Assessment, *, language: str | None = None) -> Report:
    """The results of ``assessment`` as its pages and PDF show them; ``language`` (the
    reader's) ranks knowledge items in that language higher."""
    framework = framework_of(assessment)
    result = selectors.assessment_readiness(assessment)
    options = result.options
    pillar_scores = _scope_scores(result.pillars, "pillar")
    counted = {
        str(row["pillar"]): bool(row["counted"])
        for row in _records(result.pillars[result.pillars["scope"] == COMBINED])
    }
    pillars = tuple(
        PillarRow(
            id=pillar.id,
            name=pillar.name,
            experimental=pillar.experimental,
            counted=counted.get(pillar.id, False),
            scores=pillar_scores.get(pillar.id, {}),
        )
        for pillar in framework.pillars
    )
    overall = {
        str(row["scope"]): ScopeScore(_number(row["score"]), row["level"] or None)
        for row in _records(result.overall)
    }
    subthemes = _subtheme_rows(result)
    by_id = {row.id: row for row in subthemes}
    items = gap_suggestions(
        iso3=assessment.country.iso3,
        gaps=[(str(row["subtheme"]), str(row["pillar"])) for row in _records(result.way_forward)],
        language=language,
    )
    gaps = _gap_rows(result, result.gaps, items)
    corroboration = selectors.assessment_corroboration(assessment=assessment, result=result)
    distribution, others = _distribution_rows(
        framework,
        selectors.distribution_scores(exclude=assessment),
        selectors.own_summary(result),
    )
    respondents: dict[str, int] = {}
    for group in assessment.respondents.values_list("group", flat=True):
        respondents[group] = respondents.get(group, 0) + 1
    combined = result.statements[result.statements["scope"] == COMBINED]
    scored = int(combined["respondents_scored"].sum())
    return Report(
        assessment=assessment,
        framework=framework,
        readiness=result,
        scopes=result.scopes,
        respondents={g: respondents[g] for g in selectors.GROUP_ORDER if g in respondents},
        answers=scored,
        target=float(options.target if options.target is not None else framework.scoring.target),
        overall=overall,
        pillars=pillars,
        subthemes=tuple(subthemes),
        gaps=gaps,
        way_forward=gaps[: len(result.way_forward)],
        insufficient=tuple(
            by_id[str(s)] for s in result.insufficient["subtheme"] if str(s) in by_id
        ),
        corroboration_year=corroboration.year,
        corroboration=_corroboration_rows(framework, corroboration.objective, corroboration.table),
        distribution=distribution,
        distribution_others=others,
    )


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    level: str  # overall, pillar, subtheme
    pillar: str | None
    subtheme: str | None
    name: str
    earlier: float | None
    later: float | None
    change: float | None
    statements_differ: bool


def assessments_comparison(earlier: Assessment, later: Assessment) -> tuple[ComparisonRow, ...]:
    """The combined scores of two assessments of one country side by side, with the change
    (:func:`egov.methodology.readiness.compare`)."""
    first = selectors.assessment_readiness(earlier)
    second = selectors.assessment_readiness(later)
    frame = core.compare(first, second)
    names: dict[str, str] = {}
    for framework in (first.framework, second.framework):
        for part in framework.pillars:
            names.setdefault(part.id, part.name)
            for sub in part.subthemes:
                names.setdefault(sub.id, sub.name)
    rows = []
    for row in _records(frame):
        pillar = row["pillar"] if isinstance(row["pillar"], str) and row["pillar"] else None
        subtheme = row["subtheme"] if isinstance(row["subtheme"], str) and row["subtheme"] else None
        code = subtheme or pillar
        rows.append(
            ComparisonRow(
                level=str(row["level"]),
                pillar=pillar,
                subtheme=subtheme,
                name=names.get(code, code) if code else str(_("Overall")),
                earlier=_number(row["earlier"]),
                later=_number(row["later"]),
                change=_number(row["change"]),
                statements_differ=bool(row["statements_differ"]),
            )
        )
    return tuple(rows)
