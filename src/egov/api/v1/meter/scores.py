"""The results of an assessment over HTTP: the readiness profile of
:func:`egov.web.meter.report.assessment_report`, as the results page and the PDF show it;
nothing is recomputed here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.decorators import decorate_view

from egov.api.v1.knowledge.answers import READ_EXTRA, personal
from egov.web.meter import policy
from egov.web.meter.report import GapRow, ScopeScore, assessment_report

from .common import (
    READ_ERRORS,
    AssessmentId,
    StateCode,
    unknown_assessment,
    visible_assessment,
)

router = Router(tags=["METER"])


class ScopeScoreOut(Schema):
    scope: str = Field(description="A stakeholder group, or `combined` (all groups).")
    score: float | None = Field(description="0–100; null where nothing was scored.")
    level: str | None = Field(description="Initial, Developing, Established or Advanced.")
    sufficient: bool = Field(description="False: coverage below the minimum, not counted.")
    coverage: float | None = Field(description="Sub-themes only: answered / asked (0–1).")


class PillarScoreOut(Schema):
    id: str
    name: str
    experimental: bool
    counted: bool = Field(description="Whether it counts in the overall score.")
    scores: list[ScopeScoreOut]


class SubthemeScoreOut(Schema):
    id: str
    name: str
    pillar: str
    scores: list[ScopeScoreOut]


class DivergenceOut(Schema):
    subtheme: str
    pillar: str
    divergence: float | None = Field(description="Highest minus lowest group score (points).")
    divergent: bool = Field(description="At or above the framework's threshold.")
    highest_group: str | None
    lowest_group: str | None
    spreads: dict[str, float | None] = Field(
        description="Per group, the SD of its respondents' sub-theme scores."
    )


class StatementScoreOut(Schema):
    id: str
    text: str
    score: float | None


class SuggestionOut(Schema):
    slug: str
    title: str
    type: str
    year: int | None
    language: str
    countries: list[str] = Field(description="ISO3 codes.")
    score: int = Field(description="How well it fits (spec knowledge §5 rule 3).")
    reasons: list[str] = Field(description="sub-theme, same-region, higher-group, recent, …")


class GapOut(Schema):
    rank: int
    subtheme: str
    subtheme_name: str
    pillar: str
    pillar_name: str
    score: float
    level: str | None
    coverage: float
    target: float
    shortfall: float = Field(description="Target minus score, at least 0.")
    priority: float = Field(description="Pillar weight × sub-theme weight × shortfall × boost.")
    divergent: bool
    divergence: float | None
    action: str = Field(description="The framework's suggested action.")
    lowest: list[StatementScoreOut] = Field(description="The statements scoring lowest.")
    items: list[SuggestionOut] = Field(description="Knowledge items for the way forward.")


class IndicatorOut(Schema):
    code: str = Field(description="osi, tii, hci, epi, or osi.<subindex>.")
    label: str
    value: float | None
    percentile: float | None = Field(description="Among the assessed countries (0–1).")
    region: str | None
    region_rank: int | None
    region_count: int | None


class CorroborationRowOut(Schema):
    pillar: str
    pillar_name: str
    self_score: float | None
    objective_score: float | None = Field(description="100 × mean percentile of its indicators.")
    difference: float | None
    flag: Literal["higher", "lower"] | None = Field(
        description="higher: the self-view is well above the published data; lower: below."
    )
    indicators: list[IndicatorOut]


class CorroborationOut(Schema):
    year: int | None = Field(description="The Survey edition compared with.")
    pillars: list[CorroborationRowOut]


class DistributionRowOut(Schema):
    measure: str = Field(description="A pillar id, or `overall`.")
    count: int
    minimum: float | None
    lower_quartile: float | None
    median: float | None
    upper_quartile: float | None
    maximum: float | None
    own: float | None
    percentile: float | None


class DistributionOut(Schema):
    others: int = Field(description="Other published assessments with kept scores.")
    minimum: int = Field(description="Fewer others than this, and no row is shown.")
    rows: list[DistributionRowOut]


class ScoresOut(Schema):
    assessment: int
    framework: str
    state: StateCode
    scopes: list[str] = Field(description="The groups with respondents, then `combined`.")
    respondents: dict[str, int] = Field(description="Respondents invited, per group.")
    answers: int = Field(description="Answers on the scale (0–4); DK and NA are not counted.")
    target: float
    overall: list[ScopeScoreOut]
    pillars: list[PillarScoreOut]
    subthemes: list[SubthemeScoreOut]
    divergence: list[DivergenceOut] = Field(description="Sub-themes scored by two groups or more.")
    gaps: list[GapOut] = Field(description="By priority, highest first.")
    way_forward: list[GapOut] = Field(description="The first gaps, with knowledge items.")
    insufficient: list[str] = Field(description="Sub-themes whose coverage is too low.")
    corroboration: CorroborationOut
    distribution: DistributionOut


def _scores(scores: Mapping[str, ScopeScore], scopes: Sequence[str]) -> list[dict[str, Any]]:
    return [{"scope": scope, **asdict(scores[scope])} for scope in scopes if scope in scores]


def _gap(row: GapRow) -> dict[str, Any]:
    return {
        **{key: value for key, value in asdict(row).items() if key not in ("lowest", "items")},
        "lowest": [asdict(statement) for statement in row.lowest],
        "items": [
            {
                "slug": item.slug,
                "title": item.title,
                "type": item.type,
                "year": item.year,
                "language": item.language,
                "countries": [country.iso3 for country in item.countries],
                "score": item.score,
                "reasons": [str(reason) for reason in item.reasons],
            }
            for item in row.items
        ],
    }


@router.get(
    "/meter/assessments/{id}/scores",
    response={200: ScoresOut, **READ_ERRORS},
    summary="The results of an assessment",
    description="The readiness profile as the results page and the PDF report show it "
    "(`egov.web.meter.report.assessment_report`): overall, pillar and sub-theme scores per "
    "stakeholder group and combined, with levels and coverage; divergence between groups; "
    "gaps ranked by priority and the way forward with its actions and knowledge items; the "
    "pillars beside the country's published indicators; the anonymised distribution of the "
    "other published assessments (rows only from enough of them). Anyone once published; "
    "before, the assessment's managers; to others, 404.",
    openapi_extra=READ_EXTRA,
)
@decorate_view(personal)
def scores(request: HttpRequest, id: AssessmentId) -> dict[str, Any]:
    found, user = visible_assessment(request, id)
    if not policy.can_view_results(user, found):
        raise unknown_assessment(id)
    made = assessment_report(found, language=getattr(request, "LANGUAGE_CODE", None))
    return {
        "assessment": found.pk,
        "framework": found.framework_id,
        "state": found.state,
        "scopes": list(made.scopes),
        "respondents": dict(made.respondents),
        "answers": made.answers,
        "target": made.target,
        "overall": _scores(made.overall, made.scopes),
        "pillars": [
            {
                "id": row.id,
                "name": row.name,
                "experimental": row.experimental,
                "counted": row.counted,
                "scores": _scores(row.scores, made.scopes),
            }
            for row in made.pillars
        ],
        "subthemes": [
            {
                "id": row.id,
                "name": row.name,
                "pillar": row.pillar,
                "scores": _scores(row.scores, made.scopes),
            }
            for row in made.subthemes
        ],
        "divergence": [
            {
                "subtheme": row.id,
                "pillar": row.pillar,
                "divergence": row.divergence,
                "divergent": row.divergent,
                "highest_group": row.highest_group,
                "lowest_group": row.lowest_group,
                "spreads": dict(row.spreads),
            }
            for row in made.subthemes
            if row.divergence is not None
        ],
        "gaps": [_gap(row) for row in made.gaps],
        "way_forward": [_gap(row) for row in made.way_forward],
        "insufficient": [row.id for row in made.insufficient],
        "corroboration": {
            "year": made.corroboration_year,
            "pillars": [
                {
                    **{k: v for k, v in asdict(row).items() if k != "indicators"},
                    "indicators": [asdict(indicator) for indicator in row.indicators],
                }
                for row in made.corroboration
            ],
        },
        "distribution": {
            "others": made.distribution_others,
            "minimum": made.minimum_peers,
            "rows": [
                {k: v for k, v in asdict(row).items() if k != "label"} for row in made.distribution
            ]
            if made.distribution_shown
            else [],
        },
    }
