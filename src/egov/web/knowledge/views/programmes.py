"""Pages of the intersectoral programme cycle: the ten steps in three phases with the actor ×
step matrix (``isg/cycle.yaml``) and the programmes; one programme with its progress per step
and per actor; the forms editors use to create a programme and to start and complete steps.

A step's form names actors by the matrix's codes; an actor the matrix does not list for the
step is accepted and shown as "outside the reference matrix".
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from egov.errors import ServiceError
from egov.web.datacenter.localize import country_name
from egov.web.datacenter.models import Country
from egov.web.pages import show_issues

from .. import policy
from ..models import Programme
from ..selectors import capacity
from ..services import programmes as services
from .capacity_forms import forbidden_or_login, form_response, lines


class ProgrammeForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"))
    title = forms.CharField(label=_("Title"), max_length=300)
    problem = forms.CharField(
        label=_("Problem"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The problem the programme answers (step 1 exposes it)."),
    )
    sector_tags = forms.CharField(
        label=_("Sector tags"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line, e.g. social services."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        assert isinstance(country, forms.ChoiceField)
        country.choices = [
            (c.iso3, country_name(c.iso3, c.name)) for c in Country.objects.order_by("name")
        ]


def _actor_choices() -> list[tuple[str, str]]:
    return [(code, actor.label) for code, actor in capacity.cycle_matrix().cycle.actors.items()]


def _step_choices() -> list[tuple[int, str]]:
    cycle = capacity.cycle_matrix().cycle
    return [(step, f"{step}. {name}") for step, name in sorted(cycle.steps.items())]


class StepStartForm(forms.Form):
    step = forms.TypedChoiceField(label=_("Step"), coerce=int)
    started = forms.DateField(label=_("Started on"), help_text=_("YYYY-MM-DD"))
    lead_actor = forms.ChoiceField(label=_("Lead actor"))
    participating_actors = forms.MultipleChoiceField(
        label=_("Actors taking part"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "An actor the reference matrix does not list for the step is accepted and "
            "flagged “outside the reference matrix”."
        ),
    )
    documents = forms.CharField(
        label=_("Documents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line: a title or an address."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (
            ("step", _step_choices()),
            ("lead_actor", _actor_choices()),
            ("participating_actors", _actor_choices()),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices


class StepCompleteForm(forms.Form):
    step = forms.TypedChoiceField(label=_("Step"), coerce=int)
    completed = forms.DateField(label=_("Completed on"), help_text=_("YYYY-MM-DD"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["step"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _step_choices()


def programme_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "knowledge/programme_list.html",
        {
            "matrix": capacity.cycle_matrix(),
            "programmes": capacity.programmes(),
            "can_write": policy.can_write_programmes(request.user),
        },
    )


def programme_create(request: HttpRequest) -> HttpResponse:
    if not policy.can_write_programmes(request.user):
        return forbidden_or_login(request)
    if request.method == "POST":
        form = ProgrammeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                programme = services.programme_create(
                    data=services.ProgrammeInput(
                        country=data["country"],
                        title=data["title"],
                        problem=data["problem"],
                        sector_tags=lines(data["sector_tags"]),
                    ),
                    actor=request.user,
                )
                messages.success(request, gettext("Programme created."))
                return redirect("knowledge:programme", slug=programme.slug)
            except ServiceError as error:
                show_issues(form, error)
    else:
        form = ProgrammeForm()
    return form_response(request, "knowledge/programme_form.html", form, {})


def _detail(
    request: HttpRequest,
    programme: Programme,
    *,
    start_form: StepStartForm | None = None,
    complete_form: StepCompleteForm | None = None,
) -> HttpResponse:
    progress = capacity.programme_progress(programme=programme)
    can_write = policy.can_write_programmes(request.user)
    today = timezone.localdate()
    if can_write and start_form is None:
        start_form = StepStartForm(initial={"step": progress.next_step, "started": today})
    if can_write and complete_form is None:
        complete_form = StepCompleteForm(initial={"step": progress.open_step, "completed": today})
    failed = bool(
        (start_form is not None and start_form.errors)
        or (complete_form is not None and complete_form.errors)
    )
    return render(
        request,
        "knowledge/programme_detail.html",
        {
            "programme": programme,
            "progress": progress,
            "percent": round(progress.share * 100),
            "can_write": can_write,
            "start_form": start_form,
            "complete_form": complete_form,
        },
        status=400 if failed else 200,
    )


def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.select_related("country"), slug=slug)
    return _detail(request, programme)


@require_POST
def step_start(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.select_related("country"), slug=slug)
    if not policy.can_write_programmes(request.user):
        return forbidden_or_login(request)
    form = StepStartForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            outcome = services.step_start(
                programme=programme,
                step=data["step"],
                started=data["started"],
                lead_actor=data["lead_actor"],
                participating_actors=data["participating_actors"],
                documents=lines(data["documents"]),
                note=data["note"],
                actor=request.user,
            )
        except ServiceError as error:
            show_issues(form, error)
        else:
            messages.success(
                request, gettext("Step %(step)d started.") % {"step": outcome.record.step}
            )
            if outcome.outside_matrix:
                labels = dict(_actor_choices())
                messages.warning(
                    request,
                    gettext("Outside the reference matrix for this step: %(actors)s.")
                    % {"actors": ", ".join(labels.get(a, a) for a in outcome.outside_matrix)},
                )
            return redirect("knowledge:programme", slug=programme.slug)
    return _detail(request, programme, start_form=form)


@require_POST
def step_complete(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.select_related("country"), slug=slug)
    if not policy.can_write_programmes(request.user):
        return forbidden_or_login(request)
    form = StepCompleteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            record = services.step_complete(
                programme=programme,
                step=data["step"],
                completed=data["completed"],
                note=data["note"],
                actor=request.user,
            )
        except ServiceError as error:
            show_issues(form, error)
        else:
            messages.success(request, gettext("Step %(step)d completed.") % {"step": record.step})
            return redirect("knowledge:programme", slug=programme.slug)
    return _detail(request, programme, complete_form=form)


urls: list[URLPattern] = [
    path("programmes/", programme_list, name="programmes"),
    path("programmes/new/", programme_create, name="programme-create"),
    path("programmes/<slug:slug>/", programme_detail, name="programme"),
    path("programmes/<slug:slug>/steps/start/", step_start, name="programme-step-start"),
    path("programmes/<slug:slug>/steps/complete/", step_complete, name="programme-step-complete"),
]
