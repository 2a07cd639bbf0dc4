"""METER assessments over HTTP: the list and one assessment as each caller may see them;
opening one, changing its settings, moving it through its states
(:mod:`egov.web.meter.services`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from egov.api.v1.auth import WRITE_AUTH, caller, writer
from egov.api.v1.knowledge.answers import READ_EXTRA, WRITE_NOTE, personal
from egov.web.meter import policy, selectors, services
from egov.web.meter.models import Assessment

from .common import (
    READ_ERRORS,
    WRITE_ERRORS,
    AssessmentId,
    StateCode,
    state_refusals,
    visible_assessment,
)

router = Router(tags=["METER"])


class AssessmentOut(Schema):
    id: int
    country: str = Field(description="ISO3 code.")
    country_name: str
    title: str
    framework: str = Field(description="The framework version it was opened under.")
    framework_sha256: str
    state: StateCode
    include_experimental: bool
    target: float | None = Field(description="Target score of the gaps; null: the framework's.")
    listed: bool = Field(description="Listed among recent assessments once published.")
    created_at: datetime
    updated_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
    published_at: datetime | None
    can_manage: bool = Field(description="Whether the caller manages it.")
    transitions: list[StateCode] = Field(description="The states the caller may move it to.")
    focal_point: str | None = Field(description="Username; only for those who manage it.")
    notes: str | None = Field(description="Only for those who manage it.")
    respondents: int | None = Field(description="How many; only for those who manage it.")


def _assessment(found: Assessment, user: User | AnonymousUser) -> dict[str, Any]:
    manages = policy.can_manage(user, found)
    return {
        "id": found.pk,
        "country": found.country.iso3,
        "country_name": found.country.name,
        "title": found.title,
        "framework": found.framework_id,
        "framework_sha256": found.framework_sha256,
        "state": found.state,
        "include_experimental": found.include_experimental,
        "target": found.target,
        "listed": found.listed,
        "created_at": found.created_at,
        "updated_at": found.updated_at,
        "opened_at": found.opened_at,
        "closed_at": found.closed_at,
        "published_at": found.published_at,
        "can_manage": manages,
        "transitions": list(services.TRANSITIONS[Assessment.State(found.state)]) if manages else [],
        "focal_point": found.focal_point.username if manages else None,
        "notes": found.notes if manages else None,
        "respondents": found.respondents.count() if manages else None,
    }


def _refreshed(request: HttpRequest, pk: int) -> dict[str, Any]:
    found, user = visible_assessment(request, pk)
    return _assessment(found, user)


class AssessmentFilters(Schema):
    country: Annotated[str, Field(pattern=r"^[A-Za-z]{3}$")] | None = Field(
        None, description="ISO3 code."
    )
    state: StateCode | None = None
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class AssessmentPageOut(Schema):
    items: list[AssessmentOut]
    count: int = Field(description="Assessments matching, across pages.")


@router.get(
    "/meter/assessments",
    response={200: AssessmentPageOut, **READ_ERRORS},
    summary="Assessments the caller may see",
    description="Published assessments for everyone; a focal point also sees their own, an "
    "editor every one. Newest first; `country` and `state` filter, `limit` (1–1000) and "
    "`offset` page.",
    openapi_extra=READ_EXTRA,
)
@decorate_view(personal)
def assessments(request: HttpRequest, filters: Query[AssessmentFilters]) -> dict[str, Any]:
    user = caller(request)
    found = selectors.assessments_visible(user=user)
    if filters.country:
        found = found.filter(country__iso3=filters.country.upper())
    if filters.state:
        found = found.filter(state=filters.state)
    page = found[filters.offset : filters.offset + filters.limit]
    return {"items": [_assessment(a, user) for a in page], "count": found.count()}


@router.get(
    "/meter/assessments/{id}",
    response={200: AssessmentOut, **READ_ERRORS},
    summary="One assessment",
    description="Its settings and state; to anyone who may not see it, 404.",
    openapi_extra=READ_EXTRA,
)
@decorate_view(personal)
def assessment(request: HttpRequest, id: AssessmentId) -> dict[str, Any]:
    return _refreshed(request, id)


class AssessmentIn(Schema):
    country: str = Field(description="ISO3 code.")
    title: str = Field(description="At most 300 characters.")
    include_experimental: bool = False
    target: float | None = Field(None, description="0–100; null: the framework's (75).")
    listed: bool = False
    notes: str = ""
    framework: str | None = Field(None, description="A framework id; null: the latest.")


class AssessmentUpdateIn(Schema):
    """Only the fields sent change; ``target`` sent as null goes back to the framework's."""

    title: str | None = None
    include_experimental: bool | None = None
    target: float | None = None
    listed: bool | None = None
    notes: str | None = None


class TransitionIn(Schema):
    to: StateCode = Field(
        description="draft → open (needs a respondent) → closed → published (needs an answer; "
        "keeps the scores), closed → open again, published → closed."
    )


@router.post(
    "/meter/assessments",
    auth=WRITE_AUTH,
    response={201: AssessmentOut, **WRITE_ERRORS},
    summary="Open a new assessment (a draft)",
    description="Contributors, editors and administrators; the caller becomes its focal point."
    + WRITE_NOTE,
)
@decorate_view(personal)
def assessment_create(request: HttpRequest, body: AssessmentIn) -> Status[dict[str, Any]]:
    made = services.assessment_create(
        actor=writer(request),
        iso3=body.country,
        title=body.title,
        include_experimental=body.include_experimental,
        target=body.target,
        listed=body.listed,
        notes=body.notes,
        framework_id=body.framework,
    )
    return Status(201, _refreshed(request, made.pk))


@router.patch(
    "/meter/assessments/{id}",
    auth=WRITE_AUTH,
    response={200: AssessmentOut, **WRITE_ERRORS},
    summary="Change an assessment's settings",
    description="Title, notes, whether it is listed, and (until published) the scoring "
    "settings `include_experimental` and `target`. Its focal point, editors, administrators."
    + WRITE_NOTE,
)
@decorate_view(personal)
def assessment_update(
    request: HttpRequest,
    id: AssessmentId,
    body: AssessmentUpdateIn,
) -> dict[str, Any]:
    found, _user = visible_assessment(request, id)
    changes = body.model_dump(include=body.model_fields_set)
    for field in ("title", "include_experimental", "listed", "notes"):
        if changes.get(field, "") is None:
            changes.pop(field)  # null is "keep", as leaving it out
    services.assessment_update(actor=writer(request), assessment=found, **changes)
    return _refreshed(request, id)


@router.post(
    "/meter/assessments/{id}/transition",
    auth=WRITE_AUTH,
    response={200: AssessmentOut, **WRITE_ERRORS},
    summary="Move an assessment to another state",
    description='`{"to": …}`; a move the workflow does not have is 409 `bad-transition`, '
    "opening without respondents 409 `no-respondents`, publishing without answers 409 "
    "`no-answers`." + WRITE_NOTE,
)
@decorate_view(personal)
def assessment_transition(
    request: HttpRequest,
    id: AssessmentId,
    body: TransitionIn,
) -> dict[str, Any]:
    found, _user = visible_assessment(request, id)
    with state_refusals():
        services.assessment_transition(actor=writer(request), assessment=found, to=body.to)
    return _refreshed(request, id)
