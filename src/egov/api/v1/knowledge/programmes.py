"""Intersectoral programmes over HTTP: the list with progress, one programme with its ten
steps, progress per step and per actor; starting one and recording its steps (editors,
:mod:`egov.web.knowledge.services.programmes`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.decorators import decorate_view

from egov.api.v1.auth import WRITE_AUTH, writer
from egov.web.knowledge.models import Programme
from egov.web.knowledge.selectors import capacity as selectors
from egov.web.knowledge.services import programmes as programme_services

from .answers import READ_ERRORS, READ_EXTRA, WRITE_ERRORS, WRITE_NOTE, Slug, personal, unknown

router = Router(tags=["Knowledge base"])


class ProgrammeSummaryOut(Schema):
    slug: str
    country: str = Field(description="ISO3 code.")
    country_name: str
    title: str
    status: Literal["active", "completed", "suspended"]
    cycle: int = Field(description="The round of the ten-step cycle, from 1.")
    completed: int = Field(description="Steps of the current cycle completed.")
    share: float = Field(description="Progress of the current cycle: completed steps ÷ 10.")
    open_step: int | None = Field(description="The step started and not yet completed.")


class StepOut(Schema):
    cycle: int
    step: int
    started: date
    completed: date | None
    lead_actor: str = Field(description="Actor code of the reference matrix.")
    participating_actors: list[str] = Field(description="Actor codes, the lead first.")
    documents: list[str]
    note: str


class CycleStepOut(Schema):
    step: int
    name: str
    phase: str = Field(description="I, II or III.")
    state: Literal["not_started", "started", "completed"]
    record: StepOut | None
    outside_matrix: list[str] = Field(
        description="Codes of the actors taking part that the reference matrix does not list "
        "for the step (allowed, flagged)."
    )


class ActorProgressOut(Schema):
    code: str
    label: str
    steps: list[int] = Field(description="The steps the reference matrix gives the actor.")
    counted: list[int] = Field(description="Those completed with the actor taking part.")
    share: float = Field(description="counted ÷ steps.")


class ProgrammeOut(Schema):
    slug: str
    country: str = Field(description="ISO3 code.")
    country_name: str
    title: str
    problem: str
    sector_tags: list[str]
    status: Literal["active", "completed", "suspended"]
    cycle: int
    share: float = Field(description="Progress of the current cycle: completed steps ÷ 10.")
    completed: list[int] = Field(description="Steps of the current cycle completed.")
    open_step: int | None = Field(description="The step started and not yet completed.")
    next_step: int | None = Field(description="The step that may start now.")
    steps: list[CycleStepOut] = Field(description="The ten steps of the current cycle.")
    actors: list[ActorProgressOut] = Field(description="Progress per actor of the matrix.")
    earlier: list[StepOut] = Field(description="Step records of earlier cycles.")
    created_at: datetime
    updated_at: datetime


@router.get(
    "/knowledge/programmes",
    response={200: list[ProgrammeSummaryOut], **READ_ERRORS},
    summary="Intersectoral programmes",
    description="Every programme with the progress of its current cycle.",
    openapi_extra=READ_EXTRA,
)
@decorate_view(personal)
def programmes(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "slug": row.programme.slug,
            "country": row.programme.country.iso3,
            "country_name": row.programme.country.name,
            "title": row.programme.title,
            "status": row.programme.status,
            "cycle": row.programme.cycle,
            "completed": row.completed,
            "share": row.share,
            "open_step": row.open_step,
        }
        for row in selectors.programmes()
    ]


def _programme(slug: str) -> Programme:
    found = Programme.objects.select_related("country").filter(slug=slug).first()
    if found is None:
        raise unknown("unknown-programme", "programme", "slug", slug)
    return found


def _programme_out(programme: Programme) -> dict[str, Any]:
    progress = selectors.programme_progress(programme=programme)
    codes = {actor.label: actor.code for actor in progress.actors}
    return {
        "slug": programme.slug,
        "country": programme.country.iso3,
        "country_name": programme.country.name,
        "title": programme.title,
        "problem": programme.problem,
        "sector_tags": programme.sector_tags,
        "status": programme.status,
        "cycle": programme.cycle,
        "share": progress.share,
        "completed": progress.completed,
        "open_step": progress.open_step,
        "next_step": progress.next_step,
        "steps": [
            {
                "step": row.step,
                "name": row.name,
                "phase": row.phase,
                "state": row.state,
                "record": row.record,
                "outside_matrix": [codes.get(label, label) for label in row.outside_matrix],
            }
            for row in progress.steps
        ],
        "actors": [
            {
                "code": actor.code,
                "label": actor.label,
                "steps": list(actor.assigned),
                "counted": actor.counted,
                "share": actor.share,
            }
            for actor in progress.actors
        ],
        "earlier": progress.earlier,
        "created_at": programme.created_at,
        "updated_at": programme.updated_at,
    }


@router.get(
    "/knowledge/programmes/{slug}",
    response={200: ProgrammeOut, **READ_ERRORS},
    summary="One programme, with its progress",
    description="The programme's ten steps in three phases with where each stands, progress "
    "per step (completed ÷ 10) and per actor (completed steps the actor took part in ÷ the "
    "steps the reference matrix gives it), and the records of earlier cycles.",
    openapi_extra=READ_EXTRA,
)
@decorate_view(personal)
def programme(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    return _programme_out(_programme(slug))


class ProgrammeIn(Schema):
    country: str = Field(description="ISO3 code.")
    title: str
    problem: str = Field("", description="The problem the programme answers.")
    sector_tags: list[str] = []

    def service_input(self) -> programme_services.ProgrammeInput:
        return programme_services.ProgrammeInput(**self.model_dump())


@router.post(
    "/knowledge/programmes",
    auth=WRITE_AUTH,
    response={201: ProgrammeOut, **WRITE_ERRORS},
    summary="Start a programme",
    description="Editors and administrators: a programme in one country, at the start of "
    "its first cycle." + WRITE_NOTE,
)
@decorate_view(personal)
def programme_create(request: HttpRequest, body: ProgrammeIn) -> Status[dict[str, Any]]:
    made = programme_services.programme_create(data=body.service_input(), actor=writer(request))
    return Status(201, _programme_out(_programme(made.slug)))


class StepIn(Schema):
    action: Literal["start", "complete"] = Field(
        description="start a step (the one before complete; step 1 after step 10 opens a new "
        "cycle) or complete the step started."
    )
    step: int = Field(description="1 to 10.")
    on: date = Field(description="The day the step started or was completed.")
    lead_actor: str = Field("", description="To start: the actor code that leads the step.")
    participating_actors: list[str] = Field([], description="To start: actor codes.")
    documents: list[str] = Field([], description="To start: documents of the step.")
    note: str = ""


@router.post(
    "/knowledge/programmes/{slug}/steps",
    auth=WRITE_AUTH,
    response={200: ProgrammeOut, **WRITE_ERRORS},
    summary="Start or complete a step of a programme",
    description="Editors and administrators. Steps complete in order; an actor the reference "
    "matrix does not list for the step is accepted and flagged in `outside_matrix`." + WRITE_NOTE,
)
@decorate_view(personal)
def programme_step(request: HttpRequest, slug: Slug, body: StepIn) -> dict[str, Any]:
    found = _programme(slug)
    if body.action == "start":
        programme_services.step_start(
            programme=found,
            step=body.step,
            started=body.on,
            lead_actor=body.lead_actor,
            participating_actors=body.participating_actors,
            documents=body.documents,
            note=body.note,
            actor=writer(request),
        )
    else:
        programme_services.step_complete(
            programme=found,
            step=body.step,
            completed=body.on,
            note=body.note,
            actor=writer(request),
        )
    return _programme_out(_programme(slug))
