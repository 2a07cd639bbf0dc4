"""Workshops over HTTP: the list, one workshop with its sessions, participants, expected
outputs and the items delivering them; recording one (editors,
:func:`egov.web.knowledge.services.workshops.workshop_create`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Final, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.decorators import decorate_view

from egov.api.v1.auth import WRITE_AUTH, caller, writer
from egov.web.knowledge.models import Workshop
from egov.web.knowledge.selectors import capacity as selectors
from egov.web.knowledge.services import workshops as workshop_services

from .answers import READ_ERRORS, READ_EXTRA, WRITE_ERRORS, WRITE_NOTE, Slug, personal, unknown
from .items import ItemRefOut, item_ref

router = Router(tags=["Knowledge base"])

WorkshopStatus = Literal["planned", "held", "reported", "cancelled"]


class WorkshopSummaryOut(Schema):
    slug: str
    title: str
    year: int
    start: date | None
    end: date | None
    place: str
    forum: str
    organisers: list[str]
    status: WorkshopStatus
    session_count: int
    output_count: int = Field(description="Expected outputs.")
    delivered_count: int = Field(description="Expected outputs delivered.")


class SessionOut(Schema):
    order: int = Field(description="0 for an opening session, then 1, 2, …")
    title: str
    emphasis: str
    speakers: list[str]


class ParticipantOut(Schema):
    organisation: str
    country: str | None = Field(description="ISO3 code.")
    category: str


class ExpectedOutputOut(Schema):
    order: int
    text: str
    target_types: list[str] = Field(description="Item types meant to deliver it.")
    status: Literal["planned", "delivered", "dropped"]
    delivered_items: list[ItemRefOut]


class ProjectRefOut(Schema):
    slug: str
    title: str
    country: str = Field(description="ISO3 code.")


class WorkshopOut(Schema):
    slug: str
    title: str
    year: int
    start: date | None
    end: date | None
    place: str
    forum: str
    organisers: list[str]
    partners: list[str]
    purpose: str
    elements: list[str]
    objectives: list[str]
    format_kind: str = Field(description='The kind of event: "roundtable", …; may be empty.')
    chair: str
    facilitator: str
    participant_categories: list[str]
    follow_up: str
    status: WorkshopStatus
    sessions: list[SessionOut]
    participants: list[ParticipantOut] = Field(description="Organisations, never people.")
    expected_outputs: list[ExpectedOutputOut]
    items: list[ItemRefOut] = Field(description="Items from the workshop the caller may see.")
    projects: list[ProjectRefOut]
    created_at: datetime
    updated_at: datetime


@router.get(
    "/knowledge/workshops",
    response={200: list[WorkshopSummaryOut], **READ_ERRORS},
    summary="Workshops",
    description="Every workshop, latest first, with its counts of sessions and of expected "
    "outputs, planned and delivered.",
    openapi_extra=READ_EXTRA,
)
@decorate_view(personal)
def workshops(request: HttpRequest) -> Any:
    return selectors.workshops()


def _workshop(slug: str) -> Workshop:
    found = Workshop.objects.filter(slug=slug).first()
    if found is None:
        raise unknown("unknown-workshop", "workshop", "slug", slug)
    return found


#: The fields of :class:`WorkshopOut` read from the workshop as they are stored.
_WORKSHOP_FIELDS: Final = (
    "slug",
    "title",
    "year",
    "start",
    "end",
    "place",
    "forum",
    "organisers",
    "partners",
    "purpose",
    "elements",
    "objectives",
    "format_kind",
    "chair",
    "facilitator",
    "participant_categories",
    "follow_up",
    "status",
    "created_at",
    "updated_at",
)


def _workshop_out(request: HttpRequest, workshop: Workshop) -> dict[str, Any]:
    detail = selectors.workshop_detail(workshop=workshop, user=caller(request))
    return {
        **{name: getattr(workshop, name) for name in _WORKSHOP_FIELDS},
        "sessions": detail.sessions,
        "participants": [
            {
                "organisation": name,
                "country": country.iso3 if country else None,
                "category": group.category,
            }
            for group in detail.participants
            for name, country in group.organisations
        ],
        "expected_outputs": [
            {
                "order": row.output.order,
                "text": row.output.text,
                "target_types": list(row.output.target_types),
                "status": row.output.status,
                "delivered_items": [item_ref(item) for item in row.items],
            }
            for row in detail.outputs
        ],
        "items": [item_ref(item) for item in detail.items],
        "projects": [
            {"slug": p.slug, "title": p.title, "country": p.country.iso3} for p in detail.projects
        ],
    }


@router.get(
    "/knowledge/workshops/{slug}",
    response={200: WorkshopOut, **READ_ERRORS},
    summary="One workshop",
    description="The workshop with its sessions, participating organisations, expected "
    "outputs and the items delivering them, the items from it and the projects that ran it.",
    openapi_extra=READ_EXTRA,
)
@decorate_view(personal)
def workshop(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    return _workshop_out(request, _workshop(slug))


class SessionIn(Schema):
    order: int = Field(description="0 for an opening session, then 1, 2, …")
    title: str
    emphasis: str = ""
    speakers: list[str] = []


class ParticipantIn(Schema):
    organisation: str
    country: str | None = Field(None, description="ISO3 code.")
    category: str = ""


class ExpectedOutputIn(Schema):
    order: int = Field(description="1, 2, …")
    text: str
    target_types: list[str] = Field([], description="Item types meant to deliver it.")
    status: str = Field("planned", description="planned, delivered or dropped.")


class WorkshopIn(Schema):
    """What an editor writes about a workshop; every problem is reported at once."""

    title: str
    year: int
    organisers: list[str] = []
    partners: list[str] = []
    forum: str = ""
    start: date | None = None
    end: date | None = None
    place: str = ""
    purpose: str = ""
    elements: list[str] = []
    objectives: list[str] = []
    format_kind: str = Field("", description='The kind of event: "roundtable", "course", …')
    chair: str = ""
    facilitator: str = ""
    participant_categories: list[str] = []
    follow_up: str = ""
    status: str = Field("planned", description="planned, held, reported or cancelled.")
    sessions: list[SessionIn] = []
    participants: list[ParticipantIn] = Field([], description="Organisations, never people.")
    expected_outputs: list[ExpectedOutputIn] = []

    def service_input(self) -> workshop_services.WorkshopInput:
        fields = self.model_dump(exclude={"sessions", "participants", "expected_outputs"})
        return workshop_services.WorkshopInput(
            **fields,
            sessions=[workshop_services.SessionInput(**s.model_dump()) for s in self.sessions],
            participants=[
                workshop_services.ParticipantInput(**p.model_dump()) for p in self.participants
            ],
            expected_outputs=[
                workshop_services.OutputInput(**o.model_dump()) for o in self.expected_outputs
            ],
        )


@router.post(
    "/knowledge/workshops",
    auth=WRITE_AUTH,
    response={201: WorkshopOut, **WRITE_ERRORS},
    summary="Record a workshop",
    description="Editors and administrators: a workshop with its sessions, participating "
    "organisations and expected outputs." + WRITE_NOTE,
)
@decorate_view(personal)
def workshop_create(request: HttpRequest, body: WorkshopIn) -> Status[dict[str, Any]]:
    made = workshop_services.workshop_create(data=body.service_input(), actor=writer(request))
    return Status(201, _workshop_out(request, made))
