"""``/meter/``: what METER is, the pillars of its framework, the published assessments that
chose to be listed (spec §5.1) and, for a contributor, their own assessments; and
``/meter/new/``, where a contributor opens one and becomes its focal point."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from egov.errors import ServiceError
from egov.frameworks import load_meter
from egov.web.pages import forbidden_or_login, show_issues

from .. import policy, selectors, services
from ..forms import AssessmentForm
from ..models import Assessment


def home(request: HttpRequest) -> HttpResponse:
    framework = load_meter()
    pillars = [
        {
            "pillar": pillar,
            "subthemes": len(pillar.subthemes),
            "statements": sum(len(subtheme.statements) for subtheme in pillar.subthemes),
        }
        for pillar in framework.pillars
    ]
    can_create = policy.can_create_assessment(request.user)
    context = {
        "framework": framework,
        "pillars": pillars,
        "statement_count": len(framework.statements()),
        "listed": list(selectors.assessments_listed()),
        "managed": list(selectors.assessments_managed(user=request.user)) if can_create else None,
        "can_create": can_create,
    }
    return render(request, "meter/home.html", context)


def assessment_create(request: HttpRequest) -> HttpResponse:
    """A new draft assessment; its author is its focal point."""
    if not policy.can_create_assessment(request.user):
        return forbidden_or_login(
            request, _("Only contributors, editors and administrators open assessments.")
        )
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_create(
                actor=request.user, iso3=form.cleaned_data["country"], **form.settings()
            )
        except ServiceError as error:
            show_issues(form, error)
        else:
            messages.success(request, _("The assessment is open as a draft: invite respondents."))
            return redirect("meter:detail", pk=assessment.pk)
    return form_page(request, form)


def form_page(
    request: HttpRequest, form: AssessmentForm, assessment: Assessment | None = None
) -> HttpResponse:
    """A new assessment's form, or the settings of ``assessment``: 400 while it shows
    problems."""
    context = {"form": form, "assessment": assessment}
    return render(
        request, "meter/assessment_form.html", context, status=400 if form.errors else 200
    )


urls: list[URLPattern] = [
    path("", home, name="home"),
    path("new/", assessment_create, name="new"),
]
