"""Pages of technical-cooperation projects: the timeline (a chart and the table that carries
the same rows, filtered by status and country), one country's projects, one project, and the
forms editors use to write them.

The GET parameters ``status`` and ``country`` (ISO3) filter the timeline; an unknown value
is ignored, never an error. The chart is drawn by ``static/egov/projects.js`` from the page's
``projects-data``; without JavaScript the table says it all.

On the form an editor ticks the METER assessments the project is linked to among those they
may see, grouped by country (the project's first); one of another country is refused beside
the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from egov.errors import ServiceError
from egov.web.datacenter.localize import country_name
from egov.web.datacenter.models import Country
from egov.web.meter import selectors as meter_selectors
from egov.web.meter.models import Assessment
from egov.web.pages import show_issues

from .. import policy
from ..models import Milestone, Project, Workshop
from ..selectors import capacity
from ..services import projects as services
from .capacity_forms import forbidden_or_login, form_response, join_lines, lines, parts

User = services.User

_BUDGET_PER = (("", "—"), ("year", _("per year")), ("total", _("in total")))


class ProjectForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"))
    title = forms.CharField(label=_("Title"), max_length=300)
    status = forms.ChoiceField(label=_("Status"), choices=Project.Status.choices)
    start_year = forms.IntegerField(label=_("First year"), min_value=1945)
    end_year = forms.IntegerField(label=_("Last year"), min_value=1945, required=False)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}))
    accomplishments = forms.CharField(
        label=_("Accomplishments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up = forms.CharField(
        label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    partners = forms.CharField(
        label=_("Partners"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line."),
    )
    scope = forms.CharField(
        label=_("Scope"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line: local, national, regional, international, …"),
    )
    outputs = forms.CharField(
        label=_("Outputs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line."),
    )
    budget_amount = forms.DecimalField(
        label=_("Budget"), required=False, min_value=Decimal(0), decimal_places=2, max_digits=14
    )
    budget_currency = forms.CharField(
        label=_("Currency"), required=False, max_length=3, help_text=_("ISO 4217, e.g. USD")
    )
    budget_per = forms.ChoiceField(label=_("Budget is"), required=False, choices=_BUDGET_PER)
    budget_funded_by = forms.CharField(
        label=_("Funded by"), required=False, max_length=300, help_text=_("e.g. MINTIC")
    )
    workshops = forms.MultipleChoiceField(
        label=_("Workshops"), required=False, widget=forms.CheckboxSelectMultiple
    )
    meter_assessments = forms.MultipleChoiceField(
        label=_("METER self-assessments"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Of the project's country."),
    )
    milestones = forms.CharField(
        label=_("Milestones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One a line, in order: when (as the source says it) | what | status (planned, "
            "done, dropped) | first day YYYY-MM-DD for the timeline (optional)."
        ),
    )

    def __init__(
        self, *args: Any, user: User, project: Project | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        workshops = self.fields["workshops"]
        assessments = self.fields["meter_assessments"]
        assert isinstance(country, forms.ChoiceField)
        assert isinstance(workshops, forms.MultipleChoiceField)
        assert isinstance(assessments, forms.MultipleChoiceField)
        country.choices = [
            (c.iso3, country_name(c.iso3, c.name)) for c in Country.objects.order_by("name")
        ]
        workshops.choices = [
            (w.slug, f"{w.title} ({w.year})") for w in Workshop.objects.order_by("-year", "title")
        ]
        found = meter_selectors.assessments_visible(user=user).order_by("-created_at", "-id")
        assessments.choices = _assessment_choices(
            list(found), first=project.country_id if project else None
        )

    def to_input(self) -> services.ProjectInput | None:
        data = self.cleaned_data
        milestones = []
        for number, line in enumerate(lines(data["milestones"]), start=1):
            when, label, status, starts_on = parts(line, 4)
            day = None
            if starts_on:
                try:
                    day = forms.DateField().clean(starts_on)
                except forms.ValidationError:
                    self.add_error(
                        "milestones", gettext("line %(n)d: a date YYYY-MM-DD") % {"n": number}
                    )
            milestones.append(
                services.MilestoneInput(when, label, status or Milestone.Status.PLANNED, day)
            )
        if self.errors:
            return None
        return services.ProjectInput(
            country=data["country"],
            title=data["title"],
            purpose=data["purpose"],
            status=data["status"],
            start_year=data["start_year"],
            end_year=data["end_year"],
            accomplishments=data["accomplishments"],
            follow_up=data["follow_up"],
            partners=lines(data["partners"]),
            scope=lines(data["scope"]),
            outputs=lines(data["outputs"]),
            budget_amount=data["budget_amount"],
            budget_currency=data["budget_currency"],
            budget_per=data["budget_per"],
            budget_funded_by=data["budget_funded_by"],
            workshops=data["workshops"],
            meter_assessments=[int(pk) for pk in data["meter_assessments"]],
            milestones=milestones,
        )


def _assessment_choices(
    found: Sequence[Assessment], *, first: int | None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The assessments grouped by country, the project's country first, then by name; each
    labelled with its title, state and year."""
    groups: dict[int, list[Assessment]] = {}
    for assessment in found:
        groups.setdefault(assessment.country_id, []).append(assessment)

    def name(group: list[Assessment]) -> str:
        return country_name(group[0].country.iso3, group[0].country.name)

    ordered = sorted(groups.items(), key=lambda pair: (pair[0] != first, name(pair[1])))
    return [
        (
            name(group),
            [
                (str(a.pk), f"{a.title} ({a.get_state_display()}, {a.created_at.year})")
                for a in group
            ],
        )
        for _pk, group in ordered
    ]


def _initial(project: Project) -> dict[str, Any]:
    data = services.project_input(project)
    return {
        "country": data.country,
        "title": data.title,
        "status": data.status,
        "start_year": data.start_year,
        "end_year": data.end_year,
        "purpose": data.purpose,
        "accomplishments": data.accomplishments,
        "follow_up": data.follow_up,
        "partners": join_lines(data.partners),
        "scope": join_lines(data.scope),
        "outputs": join_lines(data.outputs),
        "budget_amount": data.budget_amount,
        "budget_currency": data.budget_currency,
        "budget_per": data.budget_per,
        "budget_funded_by": data.budget_funded_by,
        "workshops": list(data.workshops),
        "meter_assessments": [str(pk) for pk in data.meter_assessments],
        "milestones": join_lines(
            " | ".join(
                [m.when, m.label, m.status, m.starts_on.isoformat() if m.starts_on else ""]
            ).rstrip(" |")
            for m in data.milestones
        ),
    }


def _chart(rows: list[capacity.TimelineRow]) -> dict[str, Any]:
    """What projects.js draws: one bar a row (same order as the table), milestones as points."""
    return {
        "rows": [
            {
                "label": f"{country_name(row.country.iso3, row.country.name)}: {row.title}",
                "status": row.status,
                "start": row.start,
                "end": row.end + 1,  # the bar runs to the end of the last year
                "years": f"{row.start}–{row.end}" if row.end != row.start else str(row.start),
                "milestones": [
                    {"at": m.position, "when": m.when, "label": m.label}
                    for m in row.milestones
                    if m.position is not None
                ],
            }
            for row in rows
        ],
        "statuses": [[code, str(label)] for code, label in Project.Status.choices],
        "strings": {"milestone": gettext("Milestone"), "period": gettext("Period")},
    }


def _timeline_context(found: list[Project]) -> dict[str, Any]:
    rows = capacity.project_timeline(found)
    return {"rows": rows, "chart": _chart(rows), "by_status": capacity.projects_by_status(found)}


def project_timeline(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in Project.Status.values else ""
    countries = capacity.project_countries()
    country = request.GET.get("country", "").upper()
    country = country if country in {c.iso3 for c in countries} else ""
    found = list(capacity.projects(status=status or None, country=country or None))
    context = {
        **_timeline_context(found),
        "status": status,
        "statuses": Project.Status.choices,
        "country": country,
        "countries": countries,
        "total": Project.objects.count(),
        "can_write": policy.can_write_projects(request.user),
    }
    return render(request, "knowledge/project_list.html", context)


def project_country(request: HttpRequest, iso3: str) -> HttpResponse:
    code = iso3.upper()
    if iso3 != code:
        return redirect("knowledge:project-country", iso3=code, permanent=True)
    country = Country.objects.filter(iso3=code).first()
    if country is None:
        raise Http404(gettext("No Member State has the code %(code)s.") % {"code": code})
    found = list(capacity.projects(country=code))
    context = {
        **_timeline_context(found),
        "country": country,
        "name": country_name(country.iso3, country.name),
        "workshops": capacity.country_workshops(iso3=code),
        "can_write": policy.can_write_projects(request.user),
    }
    return render(request, "knowledge/project_country.html", context)


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("country"), slug=slug)
    return render(
        request,
        "knowledge/project_detail.html",
        {
            "project": project,
            "detail": capacity.project_detail(project=project, user=request.user),
            "can_write": policy.can_write_projects(request.user),
        },
    )


def _form_page(request: HttpRequest, project: Project | None) -> HttpResponse:
    if not policy.can_write_projects(request.user):
        return forbidden_or_login(request)
    if request.method == "POST":
        form = ProjectForm(request.POST, user=request.user, project=project)
        if form.is_valid() and (data := form.to_input()) is not None:
            try:
                if project is None:
                    project = services.project_create(data=data, actor=request.user)
                    messages.success(request, gettext("Project created."))
                else:
                    project = services.project_update(
                        project=project, data=data, actor=request.user
                    )
                    messages.success(request, gettext("Project saved."))
                return redirect("knowledge:project", slug=project.slug)
            except ServiceError as error:
                show_issues(form, error)
    else:
        form = ProjectForm(
            initial=_initial(project) if project else {}, user=request.user, project=project
        )
    return form_response(request, "knowledge/project_form.html", form, {"project": project})


def project_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


def project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _form_page(request, get_object_or_404(Project, slug=slug))


urls: list[URLPattern] = [
    path("projects/", project_timeline, name="projects"),
    path("projects/new/", project_create, name="project-create"),
    path("projects/countries/<str:iso3>/", project_country, name="project-country"),
    path("projects/<slug:slug>/", project_detail, name="project"),
    path("projects/<slug:slug>/edit/", project_edit, name="project-edit"),
]
