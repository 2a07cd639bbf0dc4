"""Technical-cooperation projects over HTTP: the list (by country, by status), one project
with its milestones, workshops, items and the METER assessments it is linked to (those the
caller may see); recording one (editors,
:func:`egov.web.knowledge.services.projects.project_create`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from egov.api.v1.auth import WRITE_AUTH, caller, writer
from egov.api.v1.datacenter import _country
from egov.api.v1.errors import ErrorOut
from egov.web.knowledge.models import Project
from egov.web.knowledge.selectors import capacity as selectors
from egov.web.knowledge.services import projects as project_services
from egov.web.meter.models import Assessment

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


class AssessmentRefOut(Schema):
    id: int
    country: str = Field(description="ISO3 code.")
    title: str
    state: Literal["draft", "open", "closed", "published"]
    published_at: datetime | None
    results_url: str = Field(description="The results page of the assessment.")


class ProjectOut(ProjectSummaryOut):
    accomplishments: str
    follow_up: str
    partners: list[str]
    scope: list[str] = Field(description='Where it reaches: "local", "national", …')
    outputs: list[str]
    budget_amount: str | None = Field(description="A decimal, as text (800000.00).")
    budget_currency: str = Field(description="ISO 4217 code.")
    budget_per: str = Field(description='"year", "total", or empty without a budget.')
    budget_funded_by: str = Field(description="Who funds the budget; may be empty.")
    milestones: list[MilestoneOut]
    workshops: list[WorkshopRefOut]
    items: list[ItemRefOut] = Field(description="Items of the project the caller may see.")
    meter_assessments: list[AssessmentRefOut] = Field(
        description="METER assessments of the project's country it is linked to, those whose "
        "results the caller may see: published ones, and for their managers the others."
    )
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


def _assessment_ref(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "country": assessment.country.iso3,
        "title": assessment.title,
        "state": assessment.state,
        "published_at": assessment.published_at,
        "results_url": request.build_absolute_uri(reverse("meter:results", args=[assessment.pk])),
    }


def _project_out(request: HttpRequest, project: Project) -> dict[str, Any]:
    detail = selectors.project_detail(project=project, user=caller(request))
    return {
        **_project_summary(project),
        "accomplishments": project.accomplishments,
        "follow_up": project.follow_up,
        "partners": project.partners,
        "scope": project.scope,
        "outputs": project.outputs,
        "budget_amount": _amount(project.budget_amount),
        "budget_currency": project.budget_currency,
        "budget_per": project.budget_per,
        "budget_funded_by": project.budget_funded_by,
        "milestones": detail.milestones,
        "workshops": detail.workshops,
        "items": [item_ref(item) for item in detail.items],
        "meter_assessments": [_assessment_ref(request, a) for a in detail.assessments],
        "created_at": project.created_at,
        "updated_at": project.updated_at,
    }


@router.get(
    "/knowledge/projects/{slug}",
    response={200: ProjectOut, **READ_ERRORS},
    summary="One cooperation project",
    description="The project with its accomplishments, follow-up, partners, scope, budget "
    "and its funder, milestones, workshops, and the items of it and the METER assessments it "
    "is linked to that the caller may see.",
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
    scope: list[str] = Field([], description='Where it reaches: "local", "national", …')
    outputs: list[str] = []
    budget_amount: Decimal | None = None
    budget_currency: str = Field("", description="ISO 4217 code.")
    budget_per: str = Field("", description='"year" or "total".')
    budget_funded_by: str = Field("", description="Who funds the budget (with a budget only).")
    workshops: list[str] = Field([], description="Slugs of the workshops it ran.")
    meter_assessments: list[int] = Field(
        [], description="Ids of METER assessments of the project's country the caller may see."
    )
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
    "partners, scope, budget, workshops, milestones and METER assessments." + WRITE_NOTE,
)
@decorate_view(personal)
def project_create(request: HttpRequest, body: ProjectIn) -> Status[dict[str, Any]]:
    made = project_services.project_create(data=body.service_input(), actor=writer(request))
    return Status(201, _project_out(request, _project(made.slug)))
