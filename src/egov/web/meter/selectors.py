"""Reads of METER: assessments as their users see them, their answers as the frames the scoring
core (:mod:`egov.methodology.readiness`) takes, progress, corroboration with the published
Survey, the knowledge items for each gap, and comparisons.

The scoring itself is the core's; this module only gathers rows and hands them over.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import pandas as pd
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.db.models import Count, Q, QuerySet

from egov.frameworks.meter_schema import MeterFramework
from egov.methodology import readiness as core
from egov.web.datacenter import selectors as datacenter
from egov.web.datacenter.models import Edition

from . import policy
from .models import Answer, Assessment, Respondent, StakeholderGroup
from .services import framework_of, key_digest

User = Account | AnonymousUser
State = Assessment.State

#: Groups in the order every page, file and chart shows them.
GROUP_ORDER: Final = tuple(StakeholderGroup.values)


# --- finding assessments and respondents ----------------------------------------------------


def respondent_by_key(key: str) -> Respondent | None:
    """The respondent whose link carries ``key`` (None for an unknown or replaced key)."""
    if not key or len(key) > 100:
        return None
    return (
        Respondent.objects.select_related("assessment", "assessment__country")
        .filter(key_digest=key_digest(key))
        .first()
    )


def assessments_visible(*, user: User) -> QuerySet[Assessment]:
    """The assessments whose results ``user`` may read (:func:`.policy.can_view_results`):
    the published ones, their own as focal point, every one for an editor."""
    found = Assessment.objects.select_related("country", "focal_point")
    if policy.can_manage_any(user):
        return found
    if policy.can_create_assessment(user):  # a focal point who still holds the role
        return found.filter(Q(state=State.PUBLISHED) | Q(focal_point_id=user.pk))
    return found.filter(state=State.PUBLISHED)


def assessments_managed(*, user: User) -> QuerySet[Assessment]:
    """The assessments ``user`` manages (as focal point, or any as an editor), newest first."""
    found = Assessment.objects.select_related("country").annotate(
        respondent_count=Count("respondents", distinct=True)
    )
    if policy.can_manage_any(user):
        return found
    if not policy.can_create_assessment(user):
        return found.none()
    return found.filter(focal_point_id=user.pk)


def assessments_published(*, iso3: str | None = None) -> QuerySet[Assessment]:
    """Published assessments, latest first; of one country when ``iso3`` is given."""
    found = Assessment.objects.select_related("country").filter(state=State.PUBLISHED)
    if iso3:
        found = found.filter(country__iso3=iso3.upper())
    return found.order_by("-published_at", "-id")


def assessments_listed() -> QuerySet[Assessment]:
    """Published assessments whose focal point chose to list them (spec §5.1), latest first."""
    return assessments_published().filter(listed=True)


# --- answers as frames ----------------------------------------------------------------------


def assessment_frames(*, assessment: Assessment) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(answers, respondents)`` as :func:`egov.methodology.readiness.readiness` takes them:
    two queries."""
    respondents = pd.DataFrame.from_records(
        list(assessment.respondents.order_by("id").values_list("id", "group")),
        columns=["respondent", "group"],
    )
    answers = pd.DataFrame.from_records(
        list(
            Answer.objects.filter(respondent__assessment=assessment)
            .order_by("respondent_id", "id")
            .values_list("respondent_id", "respondent__group", "statement", "value")
        ),
        columns=["respondent", "group", "statement", "answer"],
    )
    return answers, respondents


def readiness_options(assessment: Assessment) -> core.ReadinessOptions:
    """The scoring options the assessment was set up with."""
    return core.ReadinessOptions(
        include_experimental=assessment.include_experimental, target=assessment.target
    )


def assessment_readiness(assessment: Assessment) -> core.Readiness:
    """The scores of an assessment under the framework version it was opened under."""
    answers, respondents = assessment_frames(assessment=assessment)
    return core.readiness(
        framework_of(assessment), answers, respondents, readiness_options(assessment)
    )


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else round(number, 6)


def published_summary(result: core.Readiness) -> dict[str, Any]:
    """What a published assessment keeps for the anonymised distribution: the combined
    pillar scores and the overall score (None where insufficient)."""
    pillars = result.pillars
    combined = pillars[pillars["scope"] == "combined"]
    overall = result.overall[result.overall["scope"] == "combined"]
    return {
        "framework": result.framework_id,
        "pillars": {str(row.pillar): _number(row.score) for row in combined.itertuples()},
        "overall": _number(overall["score"].iloc[0]) if len(overall) else None,
    }


# --- progress -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProgressCell:
    answered: int
    expected: int

    @property
    def share(self) -> float:
        return self.answered / self.expected if self.expected else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.share)


@dataclass(frozen=True, slots=True)
class RespondentProgress:
    respondent: Respondent
    answered: int
    expected: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.expected) if self.expected else 0


@dataclass(frozen=True, slots=True)
class Progress:
    """How far the answering has come: per respondent, and per stakeholder group × pillar."""

    groups: tuple[str, ...]  # the groups with respondents, in GROUP_ORDER
    pillars: tuple[tuple[str, str], ...]  # (id, name)
    cells: Mapping[tuple[str, str], ProgressCell]  # (group, pillar)
    group_totals: Mapping[str, ProgressCell]
    respondents: tuple[RespondentProgress, ...]
    answers: int = 0
    by_value: Mapping[str, int] = field(default_factory=dict)


def expected_statements(framework: MeterFramework, group: str) -> dict[str, str]:
    """``statement id → pillar id`` of what a respondent of ``group`` is asked: every statement
    for government; the observable ones for the other groups, who may still answer the
    internal ones (spec §4)."""
    return {
        statement.id: pillar.id
        for pillar in framework.pillars
        for subtheme in pillar.subthemes
        for statement in subtheme.statements
        if group == StakeholderGroup.GOVERNMENT or statement.perspective == "observable"
    }


def assessment_progress(*, assessment: Assessment) -> Progress:
    """Answers given against answers expected (any answer counts, DK and NA included), per
    respondent and per group × pillar: two queries."""
    framework = framework_of(assessment)
    respondents = list(assessment.respondents.order_by("group", "name", "id"))
    given: dict[int, set[str]] = {r.pk: set() for r in respondents}
    by_value: dict[str, int] = {}
    for respondent_id, statement, value in Answer.objects.filter(
        respondent__assessment=assessment
    ).values_list("respondent_id", "statement", "value"):
        given.setdefault(respondent_id, set()).add(statement)
        by_value[value] = by_value.get(value, 0) + 1
    groups = tuple(g for g in GROUP_ORDER if any(r.group == g for r in respondents))
    pillars = tuple((pillar.id, pillar.name) for pillar in framework.pillars)
    answered: dict[tuple[str, str], int] = {}
    expected: dict[tuple[str, str], int] = {}
    rows = []
    for respondent in respondents:
        asked = expected_statements(framework, respondent.group)
        done = given.get(respondent.pk, set())
        for statement, pillar in asked.items():
            key = (respondent.group, pillar)
            expected[key] = expected.get(key, 0) + 1
            answered[key] = answered.get(key, 0) + (statement in done)
        rows.append(RespondentProgress(respondent, len(done & asked.keys()), len(asked)))
    cells = {
        (group, pillar): ProgressCell(
            answered.get((group, pillar), 0), expected.get((group, pillar), 0)
        )
        for group in groups
        for pillar, _name in pillars
    }
    totals = {
        group: ProgressCell(
            sum(answered.get((group, p), 0) for p, _n in pillars),
            sum(expected.get((group, p), 0) for p, _n in pillars),
        )
        for group in groups
    }
    return Progress(
        groups=groups,
        pillars=pillars,
        cells=cells,
        group_totals=totals,
        respondents=tuple(rows),
        answers=sum(by_value.values()),
        by_value=by_value,
    )


def respondent_answers(*, respondent: Respondent) -> dict[str, Answer]:
    """``statement id → answer`` of one respondent."""
    return {answer.statement: answer for answer in respondent.answers.all()}


# --- corroboration with the published Survey ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Corroboration:
    """Each pillar beside the published indicators mapped to it (spec §3.6), from the
    country's latest edition."""

    year: int | None
    objective: pd.DataFrame  # core.objective_scores
    table: pd.DataFrame  # core.corroboration


def latest_indicators() -> tuple[int | None, pd.DataFrame, pd.Series]:
    """``(year, indicators, regions)`` of the latest edition: the assessed countries' published
    OSI, TII, HCI and EPI (and EGDI), indexed by ISO3, and their regions."""
    edition = Edition.objects.order_by("-year").first()
    if edition is None:
        return None, pd.DataFrame(), pd.Series(dtype=object)
    ranking = datacenter.edition_ranking(edition=edition)
    rows = [row for row in ranking.rows if row.assessed]
    frame = pd.DataFrame.from_records(
        [
            {"iso3": r.iso3, "egdi": r.egdi, "osi": r.osi, "tii": r.tii, "hci": r.hci, "epi": r.epi}
            for r in rows
        ]
    ).set_index("iso3")
    regions = pd.Series({r.iso3: r.region for r in rows}, dtype=object)
    return edition.year, frame.astype(float), regions


def assessment_corroboration(
    *, assessment: Assessment, result: core.Readiness, scope: str = "combined"
) -> Corroboration:
    year, indicators, regions = latest_indicators()
    framework = framework_of(assessment)
    objective = core.objective_scores(framework, indicators, assessment.country.iso3, regions)
    return Corroboration(
        year=year, objective=objective, table=core.corroboration(result, objective, scope=scope)
    )


# --- comparisons ----------------------------------------------------------------------------


def distribution_scores(*, exclude: Assessment | None = None) -> pd.DataFrame:
    """The kept combined scores of the published assessments (rows) per pillar and overall
    (columns), without ``exclude``: what the anonymised distribution is made of."""
    found = assessments_published()
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    records = []
    for summary in found.values_list("published_scores", flat=True):
        if not summary:
            continue
        records.append({**summary.get("pillars", {}), "overall": summary.get("overall")})
    return pd.DataFrame.from_records(records).astype(float) if records else pd.DataFrame()


def own_summary(result: core.Readiness) -> pd.Series:
    summary = published_summary(result)
    return pd.Series({**summary["pillars"], "overall": summary["overall"]}, dtype=float)


def assessments_of_country(*, assessment: Assessment, user: User) -> list[Assessment]:
    """The other assessments of the same country ``user`` may see (for "over time")."""
    return list(
        assessments_visible(user=user)
        .filter(country=assessment.country)
        .exclude(pk=assessment.pk)
        .order_by("-created_at")
    )


# --- lists for the API ----------------------------------------------------------------------


def assessment_respondents(*, assessment: Assessment) -> QuerySet[Respondent]:
    """The respondents of an assessment, by group, name and id (as progress lists them)."""
    return assessment.respondents.order_by("group", "name", "id")


def assessment_answers(*, assessment: Assessment) -> QuerySet[Answer]:
    """Every answer of an assessment with its respondent: one query."""
    return (
        Answer.objects.filter(respondent__assessment=assessment)
        .select_related("respondent")
        .order_by("respondent__group", "respondent__name", "respondent_id", "id")
    )


# --- lessons ----------------------------------------------------------------------------------


def lessons_offered(*, assessment: Assessment) -> list[Answer]:
    """The answers whose comment the respondent offered as a lesson for the knowledge base,
    with their respondent and, once promoted, the draft item (spec knowledge §5 rule 4)."""
    return list(
        Answer.objects.filter(respondent__assessment=assessment, lesson=True)
        .exclude(comment="")
        .select_related("respondent", "promoted_item")
        .order_by("statement", "respondent__group", "id")
    )
