"""``/meter/respond/<key>/``: a respondent's questionnaire, one pillar at a time.

The key in the address is the credential (no account): an unknown or replaced key is a 404.
Answers are saved as the respondent goes: with JavaScript, htmx posts each statement's change
to :func:`answer` and swaps in its saved state (or the problems beside its fields); without
it, the pillar's Save button posts every statement of the pillar at once to :func:`respond`,
and a refused save shows each problem beside its statement with nothing written. Opening the
link again resumes: the stored answers fill the page. When the assessment is not open the page
says so and shows the answers read-only.

Internal statements are asked of government respondents; the other groups may answer them
(spec §4), so the page marks them optional for those groups.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.errors import ServiceError
from egov.frameworks.meter_schema import MeterFramework, Pillar

from .. import policy, selectors, services
from ..forms import answer_errors, posted_answers
from ..models import Answer, Respondent, StakeholderGroup

Errors = Mapping[str, Mapping[str, list[str]]]
#: The fields of a statement whose problems are shown beside them (a lesson's are the
#: comment's).
SHOWN_FIELDS: Final = ("value", "comment", "evidence_url")


def _respondent(key: str) -> Respondent:
    respondent = selectors.respondent_by_key(key)
    if respondent is None:
        raise Http404(_("This link is not valid: ask your focal point for a new one."))
    return respondent


def _private(response: HttpResponse) -> HttpResponse:
    """The key is in the address: no cache keeps the page, and no request to another site
    is told the address (``same-origin``: the site's own form posts still send their origin,
    which the CSRF check needs)."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def anchor(statement: str) -> str:
    """A statement id usable in an element id and a CSS selector: ``C1.1`` → ``C1-1``."""
    return statement.replace(".", "-")


def _pillar(framework: MeterFramework, code: str) -> Pillar:
    return next((p for p in framework.pillars if p.id == code), framework.pillars[0])


def _pillar_of(framework: MeterFramework, statement: str) -> Pillar | None:
    for pillar in framework.pillars:
        for subtheme in pillar.subthemes:
            if any(s.id == statement for s in subtheme.statements):
                return pillar
    return None


def pillar_counts(
    framework: MeterFramework, respondent: Respondent, answered: set[str]
) -> dict[str, tuple[int, int]]:
    """``pillar → (answered, asked)``: the statements asked of the respondent's group (as on
    the focal point's progress) and how many of them have an answer."""
    asked = selectors.expected_statements(framework, respondent.group)
    counts = {pillar.id: [0, 0] for pillar in framework.pillars}
    for statement, pillar in asked.items():
        counts[pillar][1] += 1
        counts[pillar][0] += statement in answered
    return {pillar: (done, total) for pillar, (done, total) in counts.items()}


def scale_choices(framework: MeterFramework) -> list[dict[str, str]]:
    """The answers of the scale in order: 0–4, then Don't know and Not applicable."""
    scale = framework.scale
    return [
        {"value": str(value), "label": label, "meaning": meaning}
        for value, label, meaning in zip(scale.values, scale.labels, scale.meanings, strict=True)
    ] + [
        {"value": code, "label": label, "meaning": meaning}
        for code, label, meaning in zip(
            scale.extra, scale.extra_labels, scale.extra_meanings, strict=True
        )
    ]


def _rows(
    pillar: Pillar,
    respondent: Respondent,
    stored: Mapping[str, Answer],
    posted: Mapping[str, services.AnswerInput],
    errors: Errors,
) -> list[dict[str, Any]]:
    """The pillar's sub-themes, each with its statements as the page shows them: the posted
    values after a refused save, the stored ones otherwise."""
    government = respondent.group == StakeholderGroup.GOVERNMENT
    subthemes = []
    for subtheme in pillar.subthemes:
        rows = []
        for statement in subtheme.statements:
            answer = posted.get(statement.id) or stored.get(statement.id)
            rows.append(
                {
                    "id": statement.id,
                    "anchor": anchor(statement.id),
                    "text": statement.text,
                    "optional": not government and statement.perspective == "internal",
                    "value": answer.value if answer else "",
                    "comment": answer.comment if answer else "",
                    "evidence_url": answer.evidence_url if answer else "",
                    "lesson": answer.lesson if answer else False,
                    "errors": errors.get(statement.id, {}),
                }
            )
        subthemes.append({"subtheme": subtheme, "rows": rows})
    return subthemes


def _page(
    request: HttpRequest,
    key: str,
    respondent: Respondent,
    code: str,
    *,
    posted: Sequence[services.AnswerInput] = (),
    errors: Errors | None = None,
    status: int = 200,
) -> HttpResponse:
    assessment = respondent.assessment
    framework = services.framework_of(assessment)
    pillar = _pillar(framework, code)
    stored = selectors.respondent_answers(respondent=respondent)
    counts = pillar_counts(framework, respondent, set(stored))
    at = [p.id for p in framework.pillars].index(pillar.id)
    errors = errors or {}
    context = {
        "key": key,
        "respondent": respondent,
        "assessment": assessment,
        "editable": policy.can_answer(respondent),
        "government": respondent.group == StakeholderGroup.GOVERNMENT,
        "tabs": [
            {
                "pillar": p,
                "answered": counts[p.id][0],
                "asked": counts[p.id][1],
                "url": reverse("meter:respond", args=[key]) + f"?pillar={p.id}",
                "current": p.id == pillar.id,
            }
            for p in framework.pillars
        ],
        "pillar": pillar,
        "next_pillar": framework.pillars[at + 1] if at + 1 < len(framework.pillars) else None,
        "subthemes": _rows(pillar, respondent, stored, {a.statement: a for a in posted}, errors),
        "scale": scale_choices(framework),
        "page_errors": errors.get("", {}).get("", []),
        "has_errors": bool(errors),
        "answered": sum(done for done, _asked in counts.values()),
        "asked": sum(asked for _done, asked in counts.values()),
    }
    return _private(render(request, "meter/respond.html", context, status=status))


def respond(request: HttpRequest, key: str) -> HttpResponse:
    """The questionnaire (GET), or a pillar's answers saved at once (POST, without
    JavaScript)."""
    respondent = _respondent(key)
    code = request.GET.get("pillar") or request.POST.get("pillar") or ""
    if request.method != "POST":
        return _page(request, key, respondent, code)
    framework = services.framework_of(respondent.assessment)
    pillar = _pillar(framework, code)
    statements = [s.id for subtheme in pillar.subthemes for s in subtheme.statements]
    posted = posted_answers(request.POST, statements)
    try:
        services.answers_save(respondent=respondent, answers=posted)
    except ServiceError as error:
        if error.code == "not-open":
            messages.error(request, _("The assessment is not open: nothing was saved."))
            return redirect(reverse("meter:respond", args=[key]) + f"?pillar={pillar.id}")
        errors = answer_errors(error, posted)
        return _page(request, key, respondent, pillar.id, posted=posted, errors=errors, status=400)
    messages.success(request, _("Your answers on %(pillar)s are saved.") % {"pillar": pillar.name})
    return redirect(reverse("meter:respond", args=[key]) + f"?pillar={pillar.id}")


@require_POST
def answer(request: HttpRequest, key: str) -> HttpResponse:
    """One statement's answer, posted by htmx when one of its fields changes: its saved state
    (200), its problems beside its fields (422, nothing saved), or 409 when the assessment is
    not open."""
    respondent = _respondent(key)
    framework = services.framework_of(respondent.assessment)
    (given,) = posted_answers(request.POST, [request.POST.get("statement", "")])
    errors: Errors = {}
    status = 200
    try:
        services.answers_save(respondent=respondent, answers=[given])
    except ServiceError as error:
        errors = answer_errors(error, [given])
        status = 409 if error.code == "not-open" else 422
    # One statement was posted: every problem is its own, beside its field or above them.
    mine: dict[str, list[str]] = {}
    for fields in errors.values():
        for name, texts in fields.items():
            mine.setdefault(name, []).extend(texts)
    pillar = _pillar_of(framework, given.statement)
    counts = None
    if pillar is not None:
        answered = set(selectors.respondent_answers(respondent=respondent))
        counts = pillar_counts(framework, respondent, answered)[pillar.id]
    context = {
        "anchor": anchor(given.statement),
        "saved": status == 200,
        "cleared": status == 200 and not given.value,
        "closed": status == 409,
        "at": timezone.now(),
        "errors": mine,
        "fields": SHOWN_FIELDS,
        "general": mine.get("", []),
        "pillar": pillar,
        "counts": counts,
    }
    return _private(render(request, "meter/_answer_state.html", context, status=status))


@require_POST
def finish(request: HttpRequest, key: str) -> HttpResponse:
    """The respondent says they have finished (``finished=1``) or not yet (``0``)."""
    respondent = _respondent(key)
    done = request.POST.get("finished", "1") != "0"
    try:
        services.respondent_finish(respondent=respondent, finished=done)
    except ServiceError:
        messages.error(request, _("The assessment is not open: nothing was changed."))
    else:
        if done:
            messages.success(
                request,
                _(
                    "Thank you: your focal point sees that you have finished. "
                    "You may still change your answers while the assessment is open."
                ),
            )
        else:
            messages.success(request, _("Noted: you have not finished yet."))
    pillar = request.POST.get("pillar", "")
    suffix = f"?pillar={pillar}" if pillar.isalpha() else ""
    return redirect(reverse("meter:respond", args=[key]) + suffix)


urls: list[URLPattern] = [
    path("respond/<str:key>/", respond, name="respond"),
    path("respond/<str:key>/answer/", answer, name="answer"),
    path("respond/<str:key>/finish/", finish, name="finish"),
]
