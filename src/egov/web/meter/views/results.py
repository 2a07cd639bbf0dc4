"""``/meter/<pk>/results/``: an assessment's results, and ``/meter/<pk>/compare/?with=<pk>``,
two assessments of one country side by side.

Everything shown comes from :func:`..report.assessment_report` (or
:func:`..report.assessments_comparison`): the readiness profile per stakeholder group and
combined (a radar, with its table), the overall scores, the sub-themes with their coverage,
the divergence between groups, the gaps and the way forward with the knowledge items that may
help, the corroboration with the published Survey and the place among other published
assessments. No score is computed here.

Anyone reads a published assessment's results; before that only its managers
(:func:`.policy.can_view_results`): an anonymous reader is sent to sign in, any other account
gets 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from egov.web.datacenter.localize import country_name

from .. import policy, selectors
from ..models import Assessment
from ..report import Report, assessment_report, assessments_comparison


def _viewable(request: HttpRequest, pk: int) -> Assessment | None:
    """The assessment if the reader may see its results; None for an anonymous reader who
    should sign in; 404 otherwise."""
    assessment = Assessment.objects.select_related("country", "focal_point").filter(pk=pk).first()
    if assessment is not None and policy.can_view_results(request.user, assessment):
        return assessment
    if not request.user.is_authenticated:
        return None
    raise Http404(_("No such assessment."))


def chart_data(report: Report, country: str) -> dict[str, Any]:
    """What ``meter-results.js`` draws, with its translated labels (JavaScript holds none).

    A radar cannot leave a gap: it draws a missing value at its centre, where it would read as
    a zero. So a pillar no scope has a score for is left out of the chart, and a scope without
    a score on a pillar that is drawn is marked ``complete: false`` (drawn dashed, unfilled)
    and named in ``notes``, which the page prints under the chart."""
    radar = report.radar()
    shown = [
        at
        for at in range(len(radar["pillars"]))
        if any(series["values"][at] is not None for series in radar["series"])
    ]
    pillars = [radar["pillars"][at] for at in shown]
    series, notes = [], []
    for each in radar["series"]:
        values = [each["values"][at] for at in shown]
        pairs = zip(pillars, values, strict=True)
        missing = [pillar["name"] for pillar, value in pairs if value is None]
        series.append({**each, "values": values, "complete": not missing})
        if missing:
            notes.append(
                _("%(scope)s has no score on %(pillars)s: its line passes through the centre.")
                % {"scope": each["label"], "pillars": ", ".join(missing)}
            )
    left_out = [p["name"] for at, p in enumerate(radar["pillars"]) if at not in shown]
    if left_out:
        notes.append(
            _("Not drawn, no score in any group: %(pillars)s.") % {"pillars": ", ".join(left_out)}
        )
    return {
        "pillars": pillars,
        "series": series,
        "notes": notes,
        "labels": {
            "description": _(
                "%(country)s: readiness profile, pillar scores from 0 to 100 per stakeholder "
                "group and for all groups together"
            )
            % {"country": country},
        },
    }


def results(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _viewable(request, pk)
    if assessment is None:
        return redirect_to_login(request.get_full_path())
    report = assessment_report(assessment, language=get_language())
    country = country_name(assessment.country.iso3, assessment.country.name)
    manages = policy.can_manage(request.user, assessment)
    others = selectors.assessments_of_country(assessment=assessment, user=request.user)
    scopes = [(scope, report.scope_label(scope)) for scope in report.scopes]
    groups = [(scope, label) for scope, label in scopes if scope in report.groups]
    context = {
        "assessment": assessment,
        "report": report,
        "country": country,
        "scopes": scopes,
        "groups": groups,
        "chart_data": chart_data(report, country),
        "manages": manages,
        "others": others,
    }
    response = render(request, "meter/results.html", context)
    if not assessment.is_published:
        response["Cache-Control"] = "private, no-store"
    return response


def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two assessments of the same country, the earlier first, whichever the address names
    first; both must be visible to the reader."""
    assessment = _viewable(request, pk)
    if assessment is None:
        return redirect_to_login(request.get_full_path())
    chosen = request.GET.get("with", "")
    if not chosen.isdigit():
        return redirect("meter:results", pk=pk)
    other = _viewable(request, int(chosen))
    if other is None:
        return redirect_to_login(request.get_full_path())
    if other.pk == assessment.pk or other.country_id != assessment.country_id:
        raise Http404(_("Only two assessments of the same country compare."))
    earlier, later = sorted((assessment, other), key=lambda a: (a.created_at, a.pk))
    context = {
        "assessment": assessment,
        "earlier": earlier,
        "later": later,
        "country": country_name(assessment.country.iso3, assessment.country.name),
        "rows": assessments_comparison(earlier, later),
    }
    response = render(request, "meter/compare.html", context)
    if not (earlier.is_published and later.is_published):
        response["Cache-Control"] = "private, no-store"
    return response


urls: list[URLPattern] = [
    path("<int:pk>/results/", results, name="results"),
    path("<int:pk>/compare/", compare, name="compare"),
]
