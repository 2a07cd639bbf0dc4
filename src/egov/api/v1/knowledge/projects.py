"""Technical-cooperation projects over HTTP: the list (by country, by status), one project
with its milestones, workshops and items; recording one (editors,
:func:`egov.web.knowledge.services.projects.project_create`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from egov.api.v1.auth import WRITE_AUTH, caller, writer
from egov.api.v1.datacenter import _country
from egov.api.v1.errors import ErrorOut
from egov.web.knowledge.models import Project
from egov.web.knowledge.selectors import capacity as selectors
from egov.web.knowledge.services import projects as project_services

from .answers import READ_ERRORS, READ_EXTRA, WRITE_ERRORS, WRITE_NOTE, Slug, personal, unknown
from .items import ItemRefOut, item_ref

router = Router(tags=["Knowledge base"])

ProjectStatus = Literal[
    "formulation", "document_drafted", "document_approved", "signed", "implementing", "completed"
]
Iso3 = Annotated[str, Field(pattern=r"^[A-Za-z]{3}$", description="ISO3 code.")]


class MilestoneOut(Schema):
    order: int
    when: str = Field(description='As the source says it: "Dec 2012".')
    starts_on: date | None
    label: str
    status: Literal["planned", "done", "dropped"]


class ProjectSummaryOut(Schema):
    slug: str
    country: str = Field(description="ISO3 code.")
    country_name: str
    title: str
    purpose: str
    status: ProjectStatus
    start_year: int
    end_year: int | None


class WorkshopRefOut(Schema):
    slug: str
    title: str
    year: int


class ProjectOut(ProjectSummaryOut):
    accomplishments: str
    follow_up: str
    partners: list[str]
    outputs: list[str]
    budget_amount: str | None = Field(description="A decimal, as text (800000.00).")
    budget_currency: str = Field(description="ISO 4217 code.")
    budget_per: str = Field(description='"year", "total", or empty without a budget.')
    milestones: list[MilestoneOut]
    workshops: list[WorkshopRefOut]
    items: list[ItemRefOut] = Field(description="Items of the project the caller may see.")
    created_at: datetime
    updated_at: datetime


class ProjectFilters(Schema):
    country: Iso3 | None = None
    status: ProjectStatus | None = None


def _project_summary(project: Project) -> dict[str, Any]:
    return {
        "slug": project.slug,
        "country": project.country.iso3,
        "country_name": project.country.name,
        "title": project.title,
        "purpose": project.purpose,
        "status": project.status,
        "start_year": project.start_year,
        "end_year": project.end_year,
    }


@router.get(
    "/knowledge/projects",
    response={200: list[ProjectSummaryOut], **READ_ERRORS, 400: ErrorOut},
    summary="Technical-cooperation projects",
    description="Projects in the order of the timeline (start year, country, title), "
    "optionally of one country and one status.",
    openapi_extra=READ_EXTRA,
)
@decorate_view(personal)
def projects(request: HttpRequest, filters: Query[ProjectFilters]) -> list[dict[str, Any]]:
    iso3 = (
        None
        if filters.country is None
        else _country(filters.country, status=400, field="country").iso3
    )
    return [_project_summary(p) for p in selectors.projects(status=filters.status, country=iso3)]


def _project(slug: str) -> Project:
    found = Project.objects.select_related("country").filter(slug=slug).first()
    if found is None:
        raise unknown("unknown-project", "project", "slug", slug)
    return found


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _project_out(request: HttpRequest, project: Project) -> dict[str, Any]:
    detail = selectors.project_detail(project=project, user=caller(request))
    return {
        **_project_summary(project),
        "accomplishments": project.accomplishments,
        "follow_up": project.follow_up,
        "partners": project.partners,
        "outputs": project.outputs,
        "budget_amount": _amount(project.budget_amount),
        "budget_currency": project.budget_currency,
        "budget_per": project.budget_per,
        "milestones": detail.milestones,
        "workshops": detail.workshops,
        "items": [item_ref(item) for item in detail.items],
        "created_at": project.created_at,
        "updated_at": project.updated_at,
    }


@router.get(
    "/knowledge/projects/{slug}",
    response={200: ProjectOut, **READ_ERRORS},
    summary="One cooperation project",
    description="The project with its accomplishments, follow-up, partners, budget, "
    "milestones, workshops and the items of it the caller may see.",
    openapi_extra=READ_EXTRA,
)
@decorate_view(personal)
def project(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    return _project_out(request, _project(slug))


class MilestoneIn(Schema):
    when: str = Field(description='As the source says it: "Dec 2012".')
    label: str
    status: str = Field("planned", description="planned, done or dropped.")
    starts_on: date | None = Field(None, description="First day, for the timeline.")


class ProjectIn(Schema):
    """What an editor writes about a project; every problem is reported at once."""

    country: str = Field(description="ISO3 code.")
    title: str
    purpose: str
    status: str = Field(description=", ".join(get_args(ProjectStatus)) + ".")
    start_year: int
    end_year: int | None = None
    accomplishments: str = ""
    follow_up: str = ""
    partners: list[str] = []
    outputs: list[str] = []
    budget_amount: Decimal | None = None
    budget_currency: str = Field("", description="ISO 4217 code.")
    budget_per: str = Field("", description='"year" or "total".')
    workshops: list[str] = Field([], description="Slugs of the workshops it ran.")
    milestones: list[MilestoneIn] = []

    def service_input(self) -> project_services.ProjectInput:
        fields = self.model_dump(exclude={"milestones"})
        return project_services.ProjectInput(
            **fields,
            milestones=[project_services.MilestoneInput(**m.model_dump()) for m in self.milestones],
        )


@router.post(
    "/knowledge/projects",
    auth=WRITE_AUTH,
    response={201: ProjectOut, **WRITE_ERRORS},
    summary="Record a cooperation project",
    description="Editors and administrators: a project with one country, its period, "
    "partners, budget, workshops and milestones." + WRITE_NOTE,
)
@decorate_view(personal)
def project_create(request: HttpRequest, body: ProjectIn) -> Status[dict[str, Any]]:
    made = project_services.project_create(data=body.service_input(), actor=writer(request))
    return Status(201, _project_out(request, _project(made.slug)))
