"""An assessment's respondents over HTTP, for its managers: inviting one (the key shown once),
the list, how far the answering has come, every answer with who gave it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.decorators import decorate_view

from egov.api.v1.auth import WRITE_AUTH, writer
from egov.api.v1.knowledge.answers import WRITE_NOTE, personal
from egov.web.meter import selectors, services
from egov.web.meter.models import Answer, Respondent

from .common import (
    MANAGE_ERRORS,
    MANAGE_NOTE,
    RESPONDENT_HEADER,
    WRITE_ERRORS,
    AnswerOut,
    AssessmentId,
    GroupCode,
    managed_assessment,
    state_refusals,
    statement_order,
    visible_assessment,
)

router = Router(tags=["METER"])


class RespondentOut(Schema):
    id: int
    name: str
    email: str
    organisation: str
    group: GroupCode
    sub_group: str
    key_prefix: str = Field(description="The first characters of their key, to recognise it.")
    invited_at: datetime
    last_answer_at: datetime | None
    finished_at: datetime | None


class InvitationOut(RespondentOut):
    key: str = Field(description="Their personal key: shown this once, never again.")
    link: str = Field(description="Their personal answering page, with the key.")


class RespondentIn(Schema):
    name: str
    group: str = Field(description="government, business, civil_society or academia.")
    sub_group: str = Field("", description="One of the group's sub-groups (spec §4), or empty.")
    email: str = ""
    organisation: str = ""


def _link(request: HttpRequest, key: str) -> str:
    return request.build_absolute_uri(reverse("meter:respond", kwargs={"key": key}))


@router.post(
    "/meter/assessments/{id}/respondents",
    auth=WRITE_AUTH,
    response={201: InvitationOut, **WRITE_ERRORS},
    summary="Invite a respondent",
    description="A respondent of a stakeholder group, to a draft or open assessment (else 409 "
    "`closed`). The answer carries their personal key, shown once: they answer with it in "
    f"`{RESPONDENT_HEADER}` or on their page (`link`)." + WRITE_NOTE,
)
@decorate_view(personal)
def respondent_invite(
    request: HttpRequest,
    id: AssessmentId,
    body: RespondentIn,
) -> Status[dict[str, Any]]:
    found, _user = visible_assessment(request, id)
    with state_refusals():
        invitation = services.respondent_invite(
            actor=writer(request), assessment=found, **body.model_dump()
        )
    made = RespondentOut.from_orm(invitation.respondent).model_dump()
    return Status(201, {**made, "key": invitation.key, "link": _link(request, invitation.key)})


@router.get(
    "/meter/assessments/{id}/respondents",
    auth=WRITE_AUTH,
    response={200: list[RespondentOut], **MANAGE_ERRORS},
    summary="The respondents of an assessment",
    description="By group and name, without their keys." + MANAGE_NOTE,
)
@decorate_view(personal)
def respondents(request: HttpRequest, id: AssessmentId) -> QuerySet[Respondent]:
    return selectors.assessment_respondents(assessment=managed_assessment(request, id))


class PillarProgressOut(Schema):
    pillar: str
    answered: int
    expected: int
    percent: int


class GroupProgressOut(Schema):
    group: GroupCode
    answered: int
    expected: int
    percent: int
    pillars: list[PillarProgressOut]


class RespondentProgressOut(Schema):
    id: int
    name: str
    group: GroupCode
    answered: int = Field(description="Statements answered of those asked of the group.")
    expected: int
    percent: int
    last_answer_at: datetime | None
    finished_at: datetime | None


class PillarRefOut(Schema):
    id: str
    name: str


class ProgressOut(Schema):
    answers: int = Field(description="Answers given, DK and NA included.")
    by_value: dict[str, int] = Field(description="Answers per answer code.")
    pillars: list[PillarRefOut] = Field(description="In the framework's order.")
    groups: list[GroupProgressOut]
    respondents: list[RespondentProgressOut]


def _cell(answered: int, expected: int) -> dict[str, int]:
    percent = round(100 * answered / expected) if expected else 0
    return {"answered": answered, "expected": expected, "percent": percent}


@router.get(
    "/meter/assessments/{id}/progress",
    auth=WRITE_AUTH,
    response={200: ProgressOut, **MANAGE_ERRORS},
    summary="How far the answering has come",
    description="Answers given against answers expected (every statement for government, the "
    "observable ones for the other groups), per group × pillar and per respondent." + MANAGE_NOTE,
)
@decorate_view(personal)
def progress(request: HttpRequest, id: AssessmentId) -> dict[str, Any]:
    found = managed_assessment(request, id)
    made = selectors.assessment_progress(assessment=found)
    return {
        "answers": made.answers,
        "by_value": dict(made.by_value),
        "pillars": [{"id": pillar, "name": name} for pillar, name in made.pillars],
        "groups": [
            {
                "group": group,
                **_cell(made.group_totals[group].answered, made.group_totals[group].expected),
                "pillars": [
                    {"pillar": pillar, **_cell(cell.answered, cell.expected)}
                    for (of, pillar), cell in made.cells.items()
                    if of == group
                ],
            }
            for group in made.groups
        ],
        "respondents": [
            {
                "id": row.respondent.pk,
                "name": row.respondent.name,
                "group": row.respondent.group,
                "last_answer_at": row.respondent.last_answer_at,
                "finished_at": row.respondent.finished_at,
                **_cell(row.answered, row.expected),
            }
            for row in made.respondents
        ],
    }


class RespondentAnswerOut(AnswerOut):
    # Read from an Answer: the aliases reach its respondent (django-ninja's dotted aliases).
    respondent: int = Field(alias="respondent_id", description="The respondent's id.")
    name: str = Field(alias="respondent.name")
    organisation: str = Field(alias="respondent.organisation")
    group: GroupCode = Field(alias="respondent.group")
    sub_group: str = Field(alias="respondent.sub_group")


@router.get(
    "/meter/assessments/{id}/answers",
    auth=WRITE_AUTH,
    response={200: list[RespondentAnswerOut], **MANAGE_ERRORS},
    summary="Every answer of an assessment, with who gave it",
    description="One row per respondent and statement, by group, respondent and the "
    "framework's statement order, with the respondent's name, organisation and group."
    + MANAGE_NOTE,
)
@decorate_view(personal)
def answers(request: HttpRequest, id: AssessmentId) -> list[Answer]:
    found = managed_assessment(request, id)
    order = statement_order(found)
    rows = list(selectors.assessment_answers(assessment=found))
    rows.sort(key=lambda a: (a.respondent.group, a.respondent.name, a.respondent_id,
                             order.get(a.statement, len(order))))  # fmt: skip
    return rows
