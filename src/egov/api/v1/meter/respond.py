"""Answering over HTTP: a respondent, with their personal key in ``X-Respondent-Key``, reads
their assessment and answers, saves one answer or several, takes one back. Every write goes
through :func:`egov.web.meter.services.answers_save`."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Annotated, Any, Final

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.security import APIKeyHeader
from pydantic import BeforeValidator

from egov.api.v1.errors import ApiError
from egov.errors import Issue, ServiceError
from egov.web.meter import policy, selectors, services
from egov.web.meter.models import Answer, Respondent

from .common import (
    RESPOND_ERRORS,
    RESPOND_NOTE,
    RESPONDENT_HEADER,
    AnswerOut,
    GroupCode,
    StateCode,
    StatementId,
    no_store,
    state_refusals,
    statement_order,
)

router = Router(tags=["METER"])


class RespondentKey(APIKeyHeader):
    """A respondent's personal key, in ``X-Respondent-Key``: the respondent, or 401."""

    param_name: str = RESPONDENT_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> Respondent:
        if not key:
            message = f"send the respondent's personal key in the {RESPONDENT_HEADER} header"
            raise self._refused(message)
        found = selectors.respondent_by_key(key.strip())
        if found is None:
            raise self._refused("the respondent key is unknown or was replaced by a new one")
        return found

    @staticmethod
    def _refused(message: str) -> ApiError:
        issue = Issue("unauthorised", message, "", field=RESPONDENT_HEADER)
        return ApiError(401, "unauthorised", [issue])


RESPOND_AUTH: Final = RespondentKey()


def _respondent_of(request: HttpRequest) -> Respondent:
    found = getattr(request, "auth", None)
    if not isinstance(found, Respondent):  # an endpoint without auth=RESPOND_AUTH
        raise RespondentKey._refused("this endpoint needs a respondent key")
    return found


def _as_text(value: object) -> object:
    """A value of the scale may come as a number: 3 is "3"."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


AnswerValue = Annotated[
    str,
    BeforeValidator(_as_text),
    Field(description='"0" … "4" (a number is taken too), "DK", or "NA" (with a comment).'),
]


class AnswerIn(Schema):
    value: AnswerValue
    comment: str = Field("", description="Required with NA and with a lesson.")
    evidence_url: str = Field("", description="An http or https address.")
    lesson: bool = False


class BatchAnswerIn(Schema):
    statement: str
    value: AnswerValue | None = Field(description='As for one answer; "" or null takes it back.')
    comment: str = ""
    evidence_url: str = ""
    lesson: bool = False


class BatchIn(Schema):
    answers: list[BatchAnswerIn] = Field(
        description="Saved together or not at all; an issue's `row` is the item's position, from 1."
    )


class BatchOut(Schema):
    answers: list[AnswerOut] = Field(description="As stored (taken back ones left out).")


class RespondentAssessmentOut(Schema):
    id: int
    title: str
    country: str
    country_name: str
    state: StateCode
    framework: str
    open: bool = Field(description="Whether answers are taken now.")


class RespondentSelfOut(Schema):
    name: str
    organisation: str
    group: GroupCode
    sub_group: str
    last_answer_at: datetime | None
    finished_at: datetime | None


class RespondOut(Schema):
    assessment: RespondentAssessmentOut
    respondent: RespondentSelfOut
    asked: list[str] = Field(
        description="The statements asked of the respondent's group; others may be answered."
    )
    answers: list[AnswerOut]


def _value(value: str | None) -> str:
    return "" if value is None else value.strip()


def _save(
    respondent: Respondent, given: list[services.AnswerInput], *, single: bool = False
) -> list[Answer]:
    """Save through the service; for one answer, its issues name no row."""
    try:
        with state_refusals():
            return services.answers_save(respondent=respondent, answers=given)
    except ServiceError as error:
        if not single:
            raise
        issues = [replace(issue, row=None) for issue in error.issues]
        raise ServiceError(error.code, str(error), issues) from None


@router.get(
    "/meter/respond",
    auth=RESPOND_AUTH,
    response={200: RespondOut, **RESPOND_ERRORS},
    summary="A respondent's assessment and answers",
    description="The assessment the key belongs to, the respondent's group, the statements "
    "asked of it and every answer given so far, in the framework's order." + RESPOND_NOTE,
)
@decorate_view(no_store)
def respond(request: HttpRequest) -> dict[str, Any]:
    respondent = _respondent_of(request)
    found = respondent.assessment
    framework = services.framework_of(found)
    order = statement_order(found)
    given = sorted(
        selectors.respondent_answers(respondent=respondent).values(),
        key=lambda a: order.get(a.statement, len(order)),
    )
    return {
        "assessment": {
            "id": found.pk,
            "title": found.title,
            "country": found.country.iso3,
            "country_name": found.country.name,
            "state": found.state,
            "framework": found.framework_id,
            "open": policy.can_answer(respondent),
        },
        "respondent": respondent,
        "asked": list(selectors.expected_statements(framework, respondent.group)),
        "answers": given,
    }


def _known_statement(respondent: Respondent, statement: str) -> None:
    try:
        services.framework_of(respondent.assessment).statement(statement)
    except KeyError:
        raise ApiError.one(
            404,
            "unknown-statement",
            f"no statement {statement!r} in {respondent.assessment.framework_id}",
            field="statement",
            value=statement,
        ) from None


@router.put(
    "/meter/respond/answers/{statement}",
    auth=RESPOND_AUTH,
    response={200: AnswerOut, **RESPOND_ERRORS},
    summary="Answer one statement",
    description="Saves the answer while the assessment is open (else 409 `not-open`). The same "
    "answer again changes nothing; a different one is the next `revision`; each change is in "
    "the audit trail with before and after." + RESPOND_NOTE,
)
@decorate_view(no_store)
def answer_save(request: HttpRequest, statement: StatementId, body: AnswerIn) -> Answer:
    respondent = _respondent_of(request)
    _known_statement(respondent, statement)
    value = _value(body.value)
    if not value:
        message = "an answer needs a value; DELETE takes an answer back"
        issue = Issue("required", message, "answer", field="value", value="")
        raise ServiceError("invalid-answer", message, [issue])
    given = services.AnswerInput(statement, value, body.comment, body.evidence_url, body.lesson)
    (stored,) = _save(respondent, [given], single=True)
    return stored


@router.put(
    "/meter/respond/answers",
    auth=RESPOND_AUTH,
    response={200: BatchOut, **RESPOND_ERRORS},
    summary="Answer several statements at once",
    description="Every answer is checked first and every problem reported at once, each with "
    "its `row` and `field`; nothing is saved unless all are right." + RESPOND_NOTE,
)
@decorate_view(no_store)
def answers_save(request: HttpRequest, body: BatchIn) -> dict[str, Any]:
    respondent = _respondent_of(request)
    given = [
        services.AnswerInput(
            item.statement, _value(item.value), item.comment, item.evidence_url, item.lesson
        )
        for item in body.answers
    ]
    return {"answers": _save(respondent, given)}


@router.delete(
    "/meter/respond/answers/{statement}",
    auth=RESPOND_AUTH,
    response={204: None, **RESPOND_ERRORS},
    summary="Take an answer back",
    description="The statement is unanswered again (the audit trail keeps what it was); "
    "204 also when it had no answer." + RESPOND_NOTE,
)
@decorate_view(no_store)
def answer_clear(request: HttpRequest, statement: StatementId) -> Status[None]:
    respondent = _respondent_of(request)
    _known_statement(respondent, statement)
    _save(respondent, [services.AnswerInput(statement, "")])
    return Status(204, None)
