"""Writes of technical-cooperation projects: create, edit (with milestones), link items.

A project is cooperation with one country (spec §4): its purpose, accomplishments and
follow-up as the source words them, a status among the six of the spec, a period in years, its
partners and scope (local, national, …), a budget (amount, currency, per year or in total, and
who funds it), the workshops it ran, its milestones and the METER self-assessments of its
country it is linked to (one the actor may not see is refused as unknown). Items point at their
project (``Item.project``); :func:`project_item_link` sets that link for an item written before
the project.

Every entry point is one durable transaction: the actor's right, every field (all problems at
once, each naming its field and, for a milestone, its line), the writes, one audit entry with
the project before and after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.db import transaction
from django.utils import timezone

from egov.errors import Issue, ServiceError
from egov.web.accounts.services import account, audit_record
from egov.web.datacenter.models import Country
from egov.web.meter import policy as meter_policy
from egov.web.meter.models import Assessment
from egov.web.writes import audited, issue, refusal, unknown_choice

from .. import policy
from ..models import Item, ItemRevision, Milestone, Project, Workshop
from . import items as item_services
from .common import stripped, unique_slug

User = Account | AnonymousUser

TITLE_MAX = 300
LINE_MAX = 300  # partners, scope, the budget's funder
BUDGET_PER = ("year", "total")
BUDGET_MAX = Decimal("999999999999.99")  # 14 digits, 2 decimals


@dataclass(frozen=True)
class MilestoneInput:
    """One step of a project: when (as the source says it), what, its status, and an
    optional first day for the timeline."""

    when: str
    label: str
    status: str = Milestone.Status.PLANNED
    starts_on: date | None = None


@dataclass(frozen=True)
class ProjectInput:
    """Everything an editor writes about a project. The country by ISO3, the workshops by slug,
    the METER assessments by id; milestones in their order."""

    country: str
    title: str
    purpose: str
    status: str
    start_year: int
    end_year: int | None = None
    accomplishments: str = ""
    follow_up: str = ""
    partners: Sequence[str] = ()
    scope: Sequence[str] = ()
    outputs: Sequence[str] = ()
    budget_amount: Decimal | None = None
    budget_currency: str = ""
    budget_per: str = ""
    budget_funded_by: str = ""
    workshops: Sequence[str] = ()
    meter_assessments: Sequence[int] = ()
    milestones: Sequence[MilestoneInput] = ()


_issue = partial(issue, "project")


def _amount(value: Decimal | None) -> Decimal | None:
    if value is None or not value.is_finite() or abs(value) > BUDGET_MAX:
        return value  # refused by the checks
    return value.quantize(Decimal("0.01"))


def normalised(data: ProjectInput) -> ProjectInput:
    """``data`` in the one form :func:`project_input` returns."""
    return replace(
        data,
        country=data.country.strip().upper(),
        title=data.title.strip(),
        purpose=data.purpose.strip(),
        accomplishments=data.accomplishments.strip(),
        follow_up=data.follow_up.strip(),
        partners=stripped(data.partners),
        scope=stripped(data.scope),
        outputs=stripped(data.outputs),
        budget_amount=_amount(data.budget_amount),
        budget_currency=data.budget_currency.strip().upper(),
        budget_per=data.budget_per.strip(),
        budget_funded_by=data.budget_funded_by.strip(),
        workshops=tuple(sorted(set(stripped(data.workshops)))),
        meter_assessments=tuple(sorted(set(data.meter_assessments))),
        milestones=tuple(
            MilestoneInput(
                when=m.when.strip(), label=m.label.strip(), status=m.status, starts_on=m.starts_on
            )
            for m in data.milestones
        ),
    )


def _assessment_issues(
    data: ProjectInput,
    assessments: Sequence[Assessment],
    country: Country | None,
    actor: User | None,
) -> list[Issue]:
    """An id no assessment has, or one ``actor`` may not see (the same answer, so a link does
    not tell an assessment exists), and an assessment of another country than the project's."""
    issues: list[Issue] = []
    found = {a.pk: a for a in assessments}
    for pk in data.meter_assessments:
        assessment = found.get(pk)
        if assessment is None or (
            actor is not None and not meter_policy.can_view_results(actor, assessment)
        ):
            issues.append(
                _issue("unknown-assessment", f"no METER assessment {pk}", "meter_assessments", pk)
            )
        elif country is not None and assessment.country_id != country.pk:
            message = (
                f"assessment {pk} ({assessment.title}) is of {assessment.country.iso3}, "
                f"not of the project's country {country.iso3}"
            )
            issues.append(_issue("other-country", message, "meter_assessments", pk))
    return issues


def _check(
    data: ProjectInput, actor: User | None
) -> tuple[Country | None, list[Workshop], list[Assessment], list[Issue]]:
    issues: list[Issue] = []
    country = Country.objects.filter(iso3=data.country).first() if data.country else None
    if not data.country:
        issues.append(_issue("required", "a project is with one country", "country"))
    elif country is None:
        issues.append(
            _issue("unknown-country", f"no Member State {data.country}", "country", data.country)
        )
    if not data.title:
        issues.append(_issue("required", "a project needs a title", "title"))
    elif len(data.title) > TITLE_MAX:
        issues.append(
            _issue("too-long", f"{len(data.title)} characters; at most {TITLE_MAX}", "title")
        )
    if not data.purpose:
        issues.append(_issue("required", "say what the project is for", "purpose"))
    if data.status not in Project.Status.values:
        issues.append(unknown_choice("project", "status", data.status, Project.Status.values))
    latest = timezone.now().year + 10
    if not 1945 <= data.start_year <= latest:
        issues.append(_issue("out-of-range", "not a plausible year", "start_year", data.start_year))
    if data.end_year is not None:
        if not 1945 <= data.end_year <= latest:
            issues.append(_issue("out-of-range", "not a plausible year", "end_year", data.end_year))
        elif data.end_year < data.start_year:
            issues.append(
                _issue("end-before-start", "the project ends before it starts", "end_year")
            )
    for name in ("partners", "scope"):
        for line, value in enumerate(getattr(data, name), start=1):
            if len(value) > LINE_MAX:
                issues.append(_issue("too-long", f"at most {LINE_MAX} characters", name, row=line))

    budget = (data.budget_amount, data.budget_currency, data.budget_per, data.budget_funded_by)
    if any(budget) or data.budget_amount == 0:
        if data.budget_amount is None:
            issues.append(_issue("required", "the amount of the budget", "budget_amount"))
        elif not (data.budget_amount.is_finite() and 0 <= data.budget_amount <= BUDGET_MAX):
            issues.append(_issue("out-of-range", "0 or more", "budget_amount", data.budget_amount))
        if not (len(data.budget_currency) == 3 and data.budget_currency.isalpha()):
            issues.append(
                _issue(
                    "invalid-currency",
                    "a three-letter ISO 4217 code, e.g. USD",
                    "budget_currency",
                    data.budget_currency,
                )
            )
        if data.budget_per not in BUDGET_PER:
            issues.append(
                _issue(
                    "invalid-budget-per",
                    f"one of {', '.join(BUDGET_PER)}",
                    "budget_per",
                    data.budget_per,
                )
            )
        if len(data.budget_funded_by) > LINE_MAX:
            issues.append(_issue("too-long", f"at most {LINE_MAX} characters", "budget_funded_by"))

    workshops = list(Workshop.objects.filter(slug__in=data.workshops))
    found = {w.slug for w in workshops}
    issues += [
        _issue("unknown-workshop", "no such workshop", "workshops", slug)
        for slug in data.workshops
        if slug not in found
    ]
    assessments = list(
        Assessment.objects.select_related("country").filter(pk__in=data.meter_assessments)
    )
    issues += _assessment_issues(data, assessments, country, actor)
    for line, milestone in enumerate(data.milestones, start=1):
        if not milestone.when:
            issues.append(
                _issue("required", "say when, as the source does", "milestones.when", row=line)
            )
        elif len(milestone.when) > 60:
            issues.append(_issue("too-long", "at most 60 characters", "milestones.when", row=line))
        if not milestone.label:
            issues.append(
                _issue("required", "say what the milestone is", "milestones.label", row=line)
            )
        elif len(milestone.label) > 300:
            issues.append(
                _issue("too-long", "at most 300 characters", "milestones.label", row=line)
            )
        if milestone.status not in Milestone.Status.values:
            issues.append(
                unknown_choice(
                    "project", "milestones.status", milestone.status, Milestone.Status.values, line
                )
            )
    return country, workshops, assessments, issues


@dataclass(frozen=True)
class _Valid:
    """A normalised input that passed every check, with the rows it names."""

    data: ProjectInput
    country: Country
    workshops: list[Workshop]
    assessments: list[Assessment]


def _validated(data: ProjectInput, actor: User | None) -> _Valid:
    data = normalised(data)
    country, workshops, assessments, issues = _check(data, actor)
    if issues or country is None:
        raise ServiceError("invalid-project", "; ".join(i.message for i in issues), issues)
    return _Valid(data, country, workshops, assessments)


_refuse = partial(refusal, "project")


def project_input(project: Project) -> ProjectInput:
    """What an editor would write to get ``project`` as it stands (normalised)."""
    return normalised(
        ProjectInput(
            country=project.country.iso3,
            title=project.title,
            purpose=project.purpose,
            status=project.status,
            start_year=project.start_year,
            end_year=project.end_year,
            accomplishments=project.accomplishments,
            follow_up=project.follow_up,
            partners=tuple(project.partners),
            scope=tuple(project.scope),
            outputs=tuple(project.outputs),
            budget_amount=project.budget_amount,
            budget_currency=project.budget_currency,
            budget_per=project.budget_per,
            budget_funded_by=project.budget_funded_by,
            workshops=tuple(project.workshops.values_list("slug", flat=True)),
            meter_assessments=tuple(project.meter_assessments.values_list("pk", flat=True)),
            milestones=[
                MilestoneInput(m.when, m.label, m.status, m.starts_on)
                for m in project.milestones.all()
            ],
        )
    )


def project_snapshot(project: Project) -> dict[str, Any]:
    """The project as the audit trail keeps it."""
    data = project_input(project)
    return {
        "slug": project.slug,
        "country": data.country,
        "title": data.title,
        "purpose": data.purpose,
        "accomplishments": data.accomplishments,
        "follow_up": data.follow_up,
        "status": data.status,
        "start_year": data.start_year,
        "end_year": data.end_year,
        "partners": list(data.partners),
        "scope": list(data.scope),
        "outputs": list(data.outputs),
        "budget_amount": data.budget_amount,
        "budget_currency": data.budget_currency,
        "budget_per": data.budget_per,
        "budget_funded_by": data.budget_funded_by,
        "workshops": list(data.workshops),
        "meter_assessments": list(data.meter_assessments),
        "milestones": [
            {"when": m.when, "label": m.label, "status": m.status, "starts_on": m.starts_on}
            for m in data.milestones
        ],
        "items": sorted(project.items.values_list("slug", flat=True)),
    }


def _apply(project: Project, data: ProjectInput, country: Country) -> None:
    project.country = country
    project.title = data.title
    project.purpose = data.purpose
    project.accomplishments = data.accomplishments
    project.follow_up = data.follow_up
    project.status = data.status
    project.start_year = data.start_year
    project.end_year = data.end_year
    project.partners = list(data.partners)
    project.scope = list(data.scope)
    project.outputs = list(data.outputs)
    project.budget_amount = data.budget_amount
    project.budget_currency = data.budget_currency
    project.budget_per = data.budget_per
    project.budget_funded_by = data.budget_funded_by


def _write(project: Project, valid: _Valid) -> None:
    """Save ``project`` as ``valid`` says, with its workshops, assessments and milestones."""
    _apply(project, valid.data, valid.country)
    project.save()
    project.workshops.set(valid.workshops)
    project.meter_assessments.set(valid.assessments)
    _milestones_set(project, valid.data)


def _milestones_set(project: Project, data: ProjectInput) -> None:
    existing = {m.order: m for m in project.milestones.all()}
    for order, wanted in enumerate(data.milestones, start=1):
        milestone = existing.pop(order, None) or Milestone(project=project, order=order)
        milestone.when, milestone.label = wanted.when, wanted.label
        milestone.status, milestone.starts_on = wanted.status, wanted.starts_on
        milestone.save()
    for gone in existing.values():
        gone.delete()


@transaction.atomic(durable=True)
def project_create(*, data: ProjectInput, actor: User) -> Project:
    """A new cooperation project with its milestones (editors)."""
    if not policy.can_write_projects(actor):
        raise _refuse("forbidden", "only editors and administrators write projects")
    return _project_create(data=data, actor=actor)


def _project_create(
    *,
    data: ProjectInput,
    actor: User | None,
    seed_key: str | None = None,
    slug: str | None = None,
) -> Project:
    valid = _validated(data, actor)
    now = timezone.now()
    project = Project(
        slug=slug
        or unique_slug(Project, f"{valid.country.iso3} {valid.data.title}", fallback="project"),
        seed_key=seed_key,
        created_by=account(actor),
        created_at=now,
        updated_at=now,
    )
    _write(project, valid)
    audit_record(
        actor=actor, action="project.create", target=project, after=project_snapshot(project)
    )
    return project


@transaction.atomic(durable=True)
def project_update(*, project: Project, data: ProjectInput, actor: User, note: str = "") -> Project:
    """Replace what is written about ``project``; nothing is recorded when nothing changed."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not policy.can_write_projects(actor):
        raise _refuse("forbidden", "only editors and administrators write projects")
    project, _changed = _project_update(project=project, data=data, actor=actor, note=note)
    return project


def _project_update(
    *, project: Project, data: ProjectInput, actor: User | None, note: str = ""
) -> tuple[Project, bool]:
    valid = _validated(data, actor)
    if project_input(project) == valid.data:
        return project, False
    with audited(
        actor=actor, action="project.update", target=project, snapshot=project_snapshot, note=note
    ):
        project.updated_at = timezone.now()
        _write(project, valid)
    return project, True


@transaction.atomic(durable=True)
def project_item_link(*, project: Project, item: Item, actor: User) -> Item:
    """Make ``item`` part of ``project`` (``Item.project``); a revision of the item and an
    audit entry of the project record it."""
    if not policy.can_write_projects(actor):
        raise _refuse("forbidden", "only editors and administrators write projects")
    project = Project.objects.select_for_update().get(pk=project.pk)
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.project_id == project.pk:
        message = f"{item.title} is already part of this project"
        raise ServiceError(
            "already-linked", message, [_issue("already-linked", message, "item", item.slug)]
        )
    _item_link(project=project, item=item, actor=actor)
    return item


def _item_link(*, project: Project, item: Item, actor: User | None) -> bool:
    if item.project_id == project.pk:
        return False
    with audited(
        actor=actor,
        action="project.item",
        target=project,
        snapshot=project_snapshot,
        note=item.slug,
    ):
        item_before = item_services.snapshot(item)
        item.project = project
        item.updated_by = account(actor)
        item.updated_at = timezone.now()
        item.save(update_fields=["project", "updated_by", "updated_at"])
        item_services._history(
            item,
            ItemRevision.Action.EDITED,
            actor,
            item_before,
            f"part of the project {project.title}",
        )
    return True


__all__ = [
    "BUDGET_PER",
    "LINE_MAX",
    "MilestoneInput",
    "ProjectInput",
    "normalised",
    "project_create",
    "project_input",
    "project_item_link",
    "project_snapshot",
    "project_update",
]
