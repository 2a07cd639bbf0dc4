"""Pages of workshops: the list, one workshop (purpose, sessions, participants, expected
outputs and the items that deliver them), and the forms editors use to write them.

The forms take lists one entry a line; structured lines split their parts with ``|``
(``order | title | emphasis | speaker; speaker`` for a session). A problem the service finds
is shown beside the field it names, with the line it is on.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from egov.errors import ServiceError
from egov.web.pages import issue_text, show_issues

from .. import policy
from ..models import ExpectedOutput, Item, Workshop
from ..selectors import capacity
from ..services import workshops as services
from .capacity_forms import forbidden_or_login, form_response, join_lines, lines, parts

_LINES = _("One a line.")


class WorkshopForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    year = forms.IntegerField(label=_("Year"), min_value=1945)
    status = forms.ChoiceField(label=_("Status"), choices=Workshop.Status.choices)
    forum = forms.CharField(label=_("Forum"), required=False, max_length=300)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    start = forms.DateField(label=_("First day"), required=False, help_text=_("YYYY-MM-DD"))
    end = forms.DateField(label=_("Last day"), required=False, help_text=_("YYYY-MM-DD"))
    organisers = forms.CharField(
        label=_("Organisers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_LINES,
    )
    partners = forms.CharField(
        label=_("Partners"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_LINES,
    )
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea)
    elements = forms.CharField(
        label=_("Linked elements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_LINES,
    )
    objectives = forms.CharField(
        label=_("Objectives"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_LINES,
    )
    format_kind = forms.CharField(
        label=_("Format"),
        required=False,
        max_length=100,
        help_text=_("The kind of event, e.g. roundtable, panel, training course."),
    )
    chair = forms.CharField(label=_("Chairperson"), required=False, max_length=200)
    facilitator = forms.CharField(label=_("Facilitator"), required=False, max_length=200)
    sessions = forms.CharField(
        label=_("Sessions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One a line: number | title | emphasis | speakers separated by ;. "
            "Number 0 is an opening session."
        ),
    )
    participant_categories = forms.CharField(
        label=_("Participant categories"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_LINES,
    )
    participants = forms.CharField(
        label=_("Participating organisations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One a line: organisation | country ISO3 code | category. "
            "Organisations only, never people."
        ),
    )
    expected_outputs = forms.CharField(
        label=_("Expected outputs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One a line: number | text | item types separated by , | status "
            "(planned, delivered, dropped)."
        ),
    )
    follow_up = forms.CharField(
        label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def to_input(self) -> services.WorkshopInput | None:
        """The service input, or None when a line cannot be read (errors added)."""
        data = self.cleaned_data
        sessions, participants, outputs = [], [], []
        for number, line in enumerate(lines(data["sessions"]), start=1):
            order, title, emphasis, speakers = parts(line, 4)
            if not order.isdigit():
                self.add_error(
                    "sessions", gettext("line %(n)d: the session number") % {"n": number}
                )
                continue
            sessions.append(
                services.SessionInput(int(order), title, emphasis, tuple(speakers.split(";")))
            )
        for line in lines(data["participants"]):
            organisation, country, category = parts(line, 3)
            participants.append(services.ParticipantInput(organisation, country or None, category))
        for number, line in enumerate(lines(data["expected_outputs"]), start=1):
            order, text, kinds, status = parts(line, 4)
            if not order.isdigit():
                self.add_error(
                    "expected_outputs",
                    gettext("line %(n)d: the output number") % {"n": number},
                )
                continue
            outputs.append(
                services.OutputInput(
                    int(order),
                    text,
                    tuple(kind.strip() for kind in kinds.split(",")),
                    status or ExpectedOutput.Status.PLANNED,
                )
            )
        if self.errors:
            return None
        return services.WorkshopInput(
            title=data["title"],
            year=data["year"],
            status=data["status"],
            forum=data["forum"],
            place=data["place"],
            start=data["start"],
            end=data["end"],
            organisers=lines(data["organisers"]),
            partners=lines(data["partners"]),
            purpose=data["purpose"],
            elements=lines(data["elements"]),
            objectives=lines(data["objectives"]),
            format_kind=data["format_kind"],
            chair=data["chair"],
            facilitator=data["facilitator"],
            participant_categories=lines(data["participant_categories"]),
            follow_up=data["follow_up"],
            sessions=sessions,
            participants=participants,
            expected_outputs=outputs,
        )


def _initial(workshop: Workshop) -> dict[str, Any]:
    data = services.workshop_input(workshop)
    return {
        "title": data.title,
        "year": data.year,
        "status": data.status,
        "forum": data.forum,
        "place": data.place,
        "start": data.start,
        "end": data.end,
        "organisers": join_lines(data.organisers),
        "partners": join_lines(data.partners),
        "purpose": data.purpose,
        "elements": join_lines(data.elements),
        "objectives": join_lines(data.objectives),
        "format_kind": data.format_kind,
        "chair": data.chair,
        "facilitator": data.facilitator,
        "participant_categories": join_lines(data.participant_categories),
        "follow_up": data.follow_up,
        "sessions": join_lines(
            f"{s.order} | {s.title} | {s.emphasis} | {'; '.join(s.speakers)}".rstrip(" |")
            for s in data.sessions
        ),
        "participants": join_lines(
            f"{p.organisation} | {p.country or ''} | {p.category}".rstrip(" |")
            for p in data.participants
        ),
        "expected_outputs": join_lines(
            f"{o.order} | {o.text} | {', '.join(o.target_types)} | {o.status}"
            for o in data.expected_outputs
        ),
    }


def workshop_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "knowledge/workshop_list.html",
        {
            "workshops": capacity.workshops(),
            "can_write": policy.can_write_workshops(request.user),
        },
    )


def workshop_detail(request: HttpRequest, slug: str) -> HttpResponse:
    workshop = get_object_or_404(Workshop, slug=slug)
    return render(
        request,
        "knowledge/workshop_detail.html",
        {
            "detail": capacity.workshop_detail(workshop=workshop, user=request.user),
            "workshop": workshop,
            "can_write": policy.can_write_workshops(request.user),
        },
    )


def _form_page(request: HttpRequest, workshop: Workshop | None) -> HttpResponse:
    if not policy.can_write_workshops(request.user):
        return forbidden_or_login(request)
    if request.method == "POST":
        form = WorkshopForm(request.POST)
        if form.is_valid() and (data := form.to_input()) is not None:
            try:
                if workshop is None:
                    workshop = services.workshop_create(data=data, actor=request.user)
                    messages.success(request, gettext("Workshop created."))
                else:
                    workshop = services.workshop_update(
                        workshop=workshop, data=data, actor=request.user
                    )
                    messages.success(request, gettext("Workshop saved."))
                return redirect("knowledge:workshop", slug=workshop.slug)
            except ServiceError as error:
                show_issues(form, error)
    else:
        form = WorkshopForm(
            initial=_initial(workshop) if workshop else {"year": timezone.now().year}
        )
    return form_response(request, "knowledge/workshop_form.html", form, {"workshop": workshop})


def workshop_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


def workshop_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _form_page(request, get_object_or_404(Workshop, slug=slug))


@require_POST
def output_deliver(request: HttpRequest, slug: str, order: int) -> HttpResponse:
    """An editor names the item (by its address name) that delivers an expected output."""
    output = get_object_or_404(ExpectedOutput, workshop__slug=slug, order=order)
    if not policy.can_write_workshops(request.user):
        return forbidden_or_login(request)
    name = request.POST.get("item", "").strip().strip("/").rsplit("/", 1)[-1]
    item = Item.objects.filter(slug=name).first()
    if item is None:
        messages.error(
            request, gettext("No item has the address name “%(name)s”.") % {"name": name}
        )
    else:
        try:
            services.expected_output_deliver(output=output, item=item, actor=request.user)
            messages.success(
                request,
                gettext("Output %(n)d is delivered by “%(title)s”.")
                % {"n": output.order, "title": item.title},
            )
        except ServiceError as error:
            messages.error(request, "; ".join(issue_text(i) for i in error.issues) or str(error))
    return redirect(reverse("knowledge:workshop", kwargs={"slug": slug}) + f"#output-{order}")


urls: list[URLPattern] = [
    path("workshops/", workshop_list, name="workshops"),
    path("workshops/new/", workshop_create, name="workshop-create"),
    path("workshops/<slug:slug>/", workshop_detail, name="workshop"),
    path("workshops/<slug:slug>/edit/", workshop_edit, name="workshop-edit"),
    path(
        "workshops/<slug:slug>/outputs/<int:order>/deliver/",
        output_deliver,
        name="workshop-output-deliver",
    ),
]
