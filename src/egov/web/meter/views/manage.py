"""``/meter/<pk>/``: the focal point's page of an assessment (its state and the moves it may
make, its respondents and their progress, invitations), and the writes it posts to.

Only the assessment's focal point and editors reach these pages (:func:`.policy.can_manage`):
an anonymous reader is sent to sign in, any other account gets 404, so an unpublished
assessment's existence does not leak. A respondent's personal link is shown once, in the
answer to the post that made it (invitation or new link), never stored in clear, never cached.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Final

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from egov.errors import ServiceError
from egov.web.datacenter.localize import country_name
from egov.web.knowledge.policy import can_read_audit, can_review
from egov.web.pages import show_issues

from .. import policy, selectors, services
from ..forms import AssessmentForm, RespondentForm
from ..models import SUB_GROUPS, Answer, Assessment, Respondent, StakeholderGroup
from .home import form_page

State = Assessment.State

#: The button of each move of :data:`.services.TRANSITIONS`, by (from, to).
MOVES: Final = {
    (State.DRAFT, State.OPEN): pgettext_lazy("button", "Open for answers"),
    (State.OPEN, State.CLOSED): gettext_lazy("Close the answering"),
    (State.CLOSED, State.OPEN): gettext_lazy("Reopen for answers"),
    (State.CLOSED, State.PUBLISHED): gettext_lazy("Publish the results"),
    (State.PUBLISHED, State.CLOSED): gettext_lazy("Unpublish"),
}
#: What each move did, for the message after it.
DONE: Final = {
    State.OPEN: gettext_lazy("The assessment is open: respondents can answer."),
    State.CLOSED: gettext_lazy("The assessment is closed: answers can no longer change."),
    State.PUBLISHED: gettext_lazy("The results are published."),
}
#: Each sub-group's label by code.
SUB_GROUP_LABELS: Final = {code: label for pairs in SUB_GROUPS.values() for code, label in pairs}


def managed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page or write of one assessment, for its managers: the view is called with the
    assessment ``pk`` names in place of ``pk``. An anonymous reader is sent to sign in (after a
    post, back to the assessment's page: a post's address answers only posts); an account
    that does not manage it gets 404, as for an assessment that does not exist."""

    @wraps(view)
    def wrapped(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            back = reverse("meter:detail", args=[pk]) if request.method == "POST" else None
            return redirect_to_login(back or request.get_full_path())
        found = Assessment.objects.select_related("country", "focal_point").filter(pk=pk).first()
        if found is None or not policy.can_manage(request.user, found):
            raise Http404(_("No such assessment."))
        return view(request, found, **kwargs)

    return wrapped


def respond_url(request: HttpRequest, key: str) -> str:
    """The respondent's personal link, absolute, to copy into a message."""
    return request.build_absolute_uri(reverse("meter:respond", args=[key]))


def detail_page(
    request: HttpRequest,
    assessment: Assessment,
    *,
    invite: RespondentForm | None = None,
    invitation: services.Invitation | None = None,
    status: int = 200,
) -> HttpResponse:
    progress = selectors.assessment_progress(assessment=assessment)
    takes_respondents = assessment.state in (State.DRAFT, State.OPEN)
    moves = [
        {"to": to, "label": MOVES[(State(assessment.state), to)]}
        for to in services.TRANSITIONS[State(assessment.state)]
    ]
    context: dict[str, Any] = {
        "assessment": assessment,
        "country": country_name(assessment.country.iso3, assessment.country.name),
        "moves": moves,
        "progress": progress,
        "matrix": [
            {
                "group": group,
                "cells": [
                    (pillar, progress.cells[(group, pillar)]) for pillar, _name in progress.pillars
                ],
                "total": progress.group_totals[group],
            }
            for group in progress.groups
        ],
        "group_labels": dict(StakeholderGroup.choices),
        "sub_group_labels": SUB_GROUP_LABELS,
        "invite": (invite or RespondentForm()) if takes_respondents else None,
        "invitation": invitation,
        "link": respond_url(request, invitation.key) if invitation else None,
        "lessons": selectors.lessons_offered(assessment=assessment),
        "can_promote": can_review(request.user),
        "audit_url": reverse("accounts:audit")
        + "?"
        + urlencode({"target_type": "meter.assessment", "target_id": str(assessment.pk)})
        if can_read_audit(request.user)
        else None,
    }
    response = render(request, "meter/detail.html", context, status=status)
    if invitation is not None:
        response["Cache-Control"] = "no-store"
    return response


@managed
def detail(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    return detail_page(request, assessment)


@managed
def edit(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """The settings of an assessment (not its country or framework, fixed when it opened)."""
    initial = AssessmentForm.initial_of(assessment)
    form = AssessmentForm(request.POST or None, initial=initial, with_country=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_update(actor=request.user, assessment=assessment, **form.settings())
        except ServiceError as error:
            show_issues(form, error)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("meter:detail", pk=assessment.pk)
    return form_page(request, form, assessment)


def _refusal(request: HttpRequest, error: ServiceError) -> None:
    messages.error(request, "; ".join(issue.message for issue in error.issues) or str(error))


@require_POST
@managed
def state(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """Move the assessment to the state ``to`` (one of the buttons of its page)."""
    to = request.POST.get("to", "")
    try:
        services.assessment_transition(actor=request.user, assessment=assessment, to=to)
    except ServiceError as error:
        _refusal(request, error)
    else:
        messages.success(request, DONE.get(State(to), _("Done.")))
    return redirect("meter:detail", pk=assessment.pk)


@require_POST
@managed
def respondent_add(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """Invite a respondent; the page that answers shows their personal link, once."""
    form = RespondentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.respondent_invite(
                actor=request.user,
                assessment=assessment,
                name=data["name"],
                group=data["group"],
                sub_group=data["sub_group"],
                email=data["email"],
                organisation=data["organisation"],
            )
        except ServiceError as error:
            show_issues(form, error)
        else:
            return detail_page(request, assessment, invitation=invitation)
    return detail_page(request, assessment, invite=form, status=400)


@require_POST
@managed
def respondent_rekey(request: HttpRequest, assessment: Assessment, rid: int) -> HttpResponse:
    """A new personal link for a respondent, shown once; the old one stops working."""
    respondent = get_object_or_404(Respondent, pk=rid, assessment=assessment)
    try:
        invitation = services.respondent_rekey(actor=request.user, respondent=respondent)
    except ServiceError as error:
        _refusal(request, error)
        return redirect("meter:detail", pk=assessment.pk)
    return detail_page(request, assessment, invitation=invitation)


@require_POST
@managed
def respondent_remove(request: HttpRequest, assessment: Assessment, rid: int) -> HttpResponse:
    respondent = get_object_or_404(Respondent, pk=rid, assessment=assessment)
    name = respondent.name
    try:
        services.respondent_remove(actor=request.user, respondent=respondent)
    except ServiceError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("%(name)s is removed.") % {"name": name})
    return redirect("meter:detail", pk=assessment.pk)


@require_POST
@managed
def lesson_promote(request: HttpRequest, assessment: Assessment, aid: int) -> HttpResponse:
    """An editor makes a lesson a respondent offered a draft lesson-learned item, then edits it
    in the knowledge base."""
    answer = get_object_or_404(Answer, pk=aid, respondent__assessment=assessment)
    try:
        item = services.lesson_promote(actor=request.user, answer=answer)
    except ServiceError as error:
        _refusal(request, error)
        return redirect("meter:detail", pk=assessment.pk)
    messages.success(request, _("The lesson is a draft of the knowledge base: review and edit it."))
    return redirect("knowledge:item", slug=item.slug)


urls: list[URLPattern] = [
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/edit/", edit, name="edit"),
    path("<int:pk>/state/", state, name="state"),
    path("<int:pk>/respondents/", respondent_add, name="respondent_add"),
    path("<int:pk>/respondents/<int:rid>/rekey/", respondent_rekey, name="respondent_rekey"),
    path("<int:pk>/respondents/<int:rid>/remove/", respondent_remove, name="respondent_remove"),
    path("<int:pk>/lessons/<int:aid>/promote/", lesson_promote, name="lesson_promote"),
]
