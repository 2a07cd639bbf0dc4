"""Writes of workshops: create, edit, status, and the delivery of expected outputs as items.

A workshop carries its sessions, its participants (organisations with their country and
category, never people: spec §3) and its expected outputs, each with the item types it is
meant to produce and, once delivered, the items that deliver it. Sessions and outputs are kept
by their ``order``: editing a workshop updates the rows in place, so the items linked to a
session and the items delivering an output stay linked.

Every entry point is one durable transaction: the actor's right first (:mod:`..policy`), then
every field (all problems at once, each naming its field and, for a list, its line), then the
writes and one audit entry with the workshop before and after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.db import transaction
from django.utils import timezone

from egov.errors import Issue, ServiceError
from egov.web.accounts.services import account, audit_record
from egov.web.datacenter.models import Country
from egov.web.writes import audited, issue, raise_issues, refusal, unknown_choice

from .. import policy
from ..models import (
    ExpectedOutput,
    Item,
    ItemRevision,
    ItemType,
    Workshop,
    WorkshopParticipant,
    WorkshopSession,
)
from . import items as item_services
from .common import stripped, unique_slug

User = Account | AnonymousUser

TITLE_MAX = 300
LINE_MAX = 300  # organisers, partners, places, session titles, participant organisations
_TEXT_MAX = {"forum": 300, "place": 200, "format_kind": 100, "chair": 200, "facilitator": 200}


@dataclass(frozen=True)
class SessionInput:
    """One session; ``order`` 0 is an opening session, 1, 2, … the numbered ones."""

    order: int
    title: str
    emphasis: str = ""
    speakers: Sequence[str] = ()


@dataclass(frozen=True)
class ParticipantInput:
    """An organisation that takes part: its country by ISO3 (optional) and its category."""

    organisation: str
    country: str | None = None
    category: str = ""


@dataclass(frozen=True)
class OutputInput:
    """An expected output: what it is, the item types meant to deliver it, its status."""

    order: int
    text: str
    target_types: Sequence[str] = ()
    status: str = ExpectedOutput.Status.PLANNED


@dataclass(frozen=True)
class WorkshopInput:
    """Everything an editor writes about a workshop (spec §3). Its format is a kind
    (``format_kind``: "roundtable", "course", …) with a chairperson and a facilitator."""

    title: str
    year: int
    organisers: Sequence[str] = ()
    partners: Sequence[str] = ()
    forum: str = ""
    start: date | None = None
    end: date | None = None
    place: str = ""
    purpose: str = ""
    elements: Sequence[str] = ()
    objectives: Sequence[str] = ()
    format_kind: str = ""
    chair: str = ""
    facilitator: str = ""
    participant_categories: Sequence[str] = ()
    follow_up: str = ""
    status: str = Workshop.Status.PLANNED
    sessions: Sequence[SessionInput] = ()
    participants: Sequence[ParticipantInput] = ()
    expected_outputs: Sequence[OutputInput] = ()


_issue = partial(issue, "workshop")


def normalised(data: WorkshopInput) -> WorkshopInput:
    """``data`` with text stripped and empty list entries dropped, rows in the order given
    (so a problem names the line it was written on)."""
    return replace(
        data,
        title=data.title.strip(),
        organisers=stripped(data.organisers),
        partners=stripped(data.partners),
        forum=data.forum.strip(),
        place=data.place.strip(),
        purpose=data.purpose.strip(),
        elements=stripped(data.elements),
        objectives=stripped(data.objectives),
        format_kind=data.format_kind.strip(),
        chair=data.chair.strip(),
        facilitator=data.facilitator.strip(),
        participant_categories=stripped(data.participant_categories),
        follow_up=data.follow_up.strip(),
        sessions=tuple(
            SessionInput(
                order=s.order,
                title=s.title.strip(),
                emphasis=s.emphasis.strip(),
                speakers=stripped(s.speakers),
            )
            for s in data.sessions
        ),
        participants=tuple(
            ParticipantInput(
                organisation=p.organisation.strip(),
                country=(p.country or "").strip().upper() or None,
                category=p.category.strip(),
            )
            for p in data.participants
        ),
        expected_outputs=tuple(
            OutputInput(
                order=o.order,
                text=o.text.strip(),
                target_types=stripped(o.target_types),
                status=o.status,
            )
            for o in data.expected_outputs
        ),
    )


def _canonical(data: WorkshopInput) -> WorkshopInput:
    """The one form two equal workshops share: normalised, sessions and outputs by order,
    participants sorted (the form :func:`workshop_input` returns)."""
    data = normalised(data)
    return replace(
        data,
        sessions=tuple(sorted(data.sessions, key=lambda s: s.order)),
        participants=tuple(
            sorted(data.participants, key=lambda p: (p.organisation, p.country or "", p.category))
        ),
        expected_outputs=tuple(sorted(data.expected_outputs, key=lambda o: o.order)),
    )


def _order_issues(order: int, seen: set[int], lowest: int, rows: str, line: int) -> list[Issue]:
    """The problem with the number of line ``line`` of ``rows``: below ``lowest``, or taken by
    an earlier line (``seen``, to which it is added)."""
    field, already = f"{rows}.order", order in seen
    seen.add(order)
    if order < lowest:
        return [_issue("out-of-range", f"{lowest} or more", field, order, line)]
    if already:
        what = rows.replace("_", " ")
        return [_issue("duplicate", f"two {what} share this number", field, order, line)]
    return []


def _check(data: WorkshopInput) -> tuple[dict[str, Country], list[Issue]]:
    """Every problem of a normalised input, and the participants' countries by ISO3."""
    issues: list[Issue] = []
    if not data.title:
        issues.append(_issue("required", "a workshop needs a title", "title"))
    elif len(data.title) > TITLE_MAX:
        issues.append(
            _issue("too-long", f"{len(data.title)} characters; at most {TITLE_MAX}", "title")
        )
    if not 1945 <= data.year <= timezone.now().year + 5:
        issues.append(_issue("out-of-range", "not a plausible year", "year", data.year))
    if data.start and data.end and data.end < data.start:
        issues.append(_issue("end-before-start", "the workshop ends before it starts", "end"))
    if data.status not in Workshop.Status.values:
        issues.append(unknown_choice("workshop", "status", data.status, Workshop.Status.values))
    for name, most in _TEXT_MAX.items():
        if len(getattr(data, name)) > most:
            issues.append(_issue("too-long", f"at most {most} characters", name))
    for name in ("organisers", "partners", "elements", "participant_categories"):
        for line, value in enumerate(getattr(data, name), start=1):
            if len(value) > LINE_MAX:
                issues.append(_issue("too-long", f"at most {LINE_MAX} characters", name, row=line))

    seen: set[int] = set()
    for line, session in enumerate(data.sessions, start=1):
        issues += _order_issues(session.order, seen, 0, "sessions", line)
        if not session.title:
            issues.append(_issue("required", "a session needs a title", "sessions.title", row=line))
        elif len(session.title) > LINE_MAX:
            issues.append(
                _issue("too-long", f"at most {LINE_MAX} characters", "sessions.title", row=line)
            )

    iso3 = {p.country for p in data.participants if p.country}
    countries = {c.iso3: c for c in Country.objects.filter(iso3__in=iso3)}
    for line, participant in enumerate(data.participants, start=1):
        if not participant.organisation:
            issues.append(
                _issue(
                    "required",
                    "a participant is named by its organisation",
                    "participants.organisation",
                    row=line,
                )
            )
        elif len(participant.organisation) > LINE_MAX:
            issues.append(
                _issue(
                    "too-long",
                    f"at most {LINE_MAX} characters",
                    "participants.organisation",
                    row=line,
                )
            )
        if participant.country and participant.country not in countries:
            issues.append(
                _issue(
                    "unknown-country",
                    f"no Member State {participant.country}",
                    "participants.country",
                    participant.country,
                    line,
                )
            )
        if len(participant.category) > 200:
            issues.append(
                _issue("too-long", "at most 200 characters", "participants.category", row=line)
            )

    seen = set()
    for line, output in enumerate(data.expected_outputs, start=1):
        issues += _order_issues(output.order, seen, 1, "expected_outputs", line)
        if not output.text:
            issues.append(
                _issue("required", "say what is expected", "expected_outputs.text", row=line)
            )
        issues += [
            _issue(
                "unknown-type",
                f"no item type {kind!r}",
                "expected_outputs.target_types",
                kind,
                line,
            )
            for kind in output.target_types
            if kind not in ItemType.values
        ]
        if output.status not in ExpectedOutput.Status.values:
            issues.append(
                unknown_choice(
                    "workshop",
                    "expected_outputs.status",
                    output.status,
                    ExpectedOutput.Status.values,
                    line,
                )
            )
    return countries, issues


def _validated(data: WorkshopInput) -> tuple[WorkshopInput, dict[str, Country]]:
    data = normalised(data)
    countries, issues = _check(data)
    raise_issues("invalid-workshop", issues)
    return data, countries


_refuse = partial(refusal, "workshop")


def workshop_input(workshop: Workshop) -> WorkshopInput:
    """What an editor would write to get ``workshop`` as it stands (sessions and outputs by
    order, participants sorted)."""
    return _canonical(
        WorkshopInput(
            title=workshop.title,
            year=workshop.year,
            organisers=tuple(workshop.organisers),
            partners=tuple(workshop.partners),
            forum=workshop.forum,
            start=workshop.start,
            end=workshop.end,
            place=workshop.place,
            purpose=workshop.purpose,
            elements=tuple(workshop.elements),
            objectives=tuple(workshop.objectives),
            format_kind=workshop.format_kind,
            chair=workshop.chair,
            facilitator=workshop.facilitator,
            participant_categories=tuple(workshop.participant_categories),
            follow_up=workshop.follow_up,
            status=workshop.status,
            sessions=[
                SessionInput(s.order, s.title, s.emphasis, tuple(s.speakers))
                for s in workshop.sessions.all()
            ],
            participants=[
                ParticipantInput(p.organisation, p.country.iso3 if p.country else None, p.category)
                for p in workshop.participants.select_related("country")
            ],
            expected_outputs=[
                OutputInput(o.order, o.text, tuple(o.target_types), o.status)
                for o in workshop.expected_outputs.all()
            ],
        )
    )


def workshop_snapshot(workshop: Workshop) -> dict[str, Any]:
    """The workshop as the audit trail keeps it."""
    data = workshop_input(workshop)
    delivered = {
        output.order: sorted(output.delivered_items.values_list("slug", flat=True))
        for output in workshop.expected_outputs.all()
    }
    return {
        "slug": workshop.slug,
        "title": data.title,
        "year": data.year,
        "organisers": list(data.organisers),
        "partners": list(data.partners),
        "forum": data.forum,
        "start": data.start,
        "end": data.end,
        "place": data.place,
        "purpose": data.purpose,
        "elements": list(data.elements),
        "objectives": list(data.objectives),
        "format_kind": data.format_kind,
        "chair": data.chair,
        "facilitator": data.facilitator,
        "participant_categories": list(data.participant_categories),
        "follow_up": data.follow_up,
        "status": data.status,
        "sessions": [
            {
                "order": s.order,
                "title": s.title,
                "emphasis": s.emphasis,
                "speakers": list(s.speakers),
            }
            for s in data.sessions
        ],
        "participants": [
            {"organisation": p.organisation, "country": p.country, "category": p.category}
            for p in data.participants
        ],
        "expected_outputs": [
            {
                "order": o.order,
                "text": o.text,
                "target_types": list(o.target_types),
                "status": o.status,
                "delivered_items": delivered.get(o.order, []),
            }
            for o in data.expected_outputs
        ],
    }


def _apply(workshop: Workshop, data: WorkshopInput) -> None:
    workshop.title = data.title
    workshop.year = data.year
    workshop.organisers = list(data.organisers)
    workshop.partners = list(data.partners)
    workshop.forum = data.forum
    workshop.start = data.start
    workshop.end = data.end
    workshop.place = data.place
    workshop.purpose = data.purpose
    workshop.elements = list(data.elements)
    workshop.objectives = list(data.objectives)
    workshop.format_kind = data.format_kind
    workshop.chair = data.chair
    workshop.facilitator = data.facilitator
    workshop.participant_categories = list(data.participant_categories)
    workshop.follow_up = data.follow_up
    workshop.status = data.status


def _rows_set(workshop: Workshop, data: WorkshopInput, countries: dict[str, Country]) -> None:
    """Sessions and outputs updated in place by order (their links survive); participants
    replaced."""
    sessions = {s.order: s for s in workshop.sessions.all()}
    for wanted in data.sessions:
        session = sessions.pop(wanted.order, None) or WorkshopSession(
            workshop=workshop, order=wanted.order
        )
        session.title, session.emphasis = wanted.title, wanted.emphasis
        session.speakers = list(wanted.speakers)
        session.save()
    for gone in sessions.values():
        gone.delete()

    outputs = {o.order: o for o in workshop.expected_outputs.all()}
    for wanted_output in data.expected_outputs:
        output = outputs.pop(wanted_output.order, None) or ExpectedOutput(
            workshop=workshop, order=wanted_output.order
        )
        output.text, output.status = wanted_output.text, wanted_output.status
        output.target_types = list(wanted_output.target_types)
        output.save()
    for gone_output in outputs.values():
        gone_output.delete()

    workshop.participants.all().delete()
    WorkshopParticipant.objects.bulk_create(
        WorkshopParticipant(
            workshop=workshop,
            organisation=p.organisation,
            country=countries.get(p.country) if p.country else None,
            category=p.category,
        )
        for p in data.participants
    )


@transaction.atomic(durable=True)
def workshop_create(*, data: WorkshopInput, actor: User) -> Workshop:
    """A new workshop with its sessions, participants and expected outputs (editors)."""
    if not policy.can_write_workshops(actor):
        raise _refuse("forbidden", "only editors and administrators write workshops")
    return _workshop_create(data=data, actor=actor)


def _workshop_create(
    *,
    data: WorkshopInput,
    actor: User | None,
    seed_key: str | None = None,
    slug: str | None = None,
) -> Workshop:
    data, countries = _validated(data)
    now = timezone.now()
    workshop = Workshop(
        slug=slug or unique_slug(Workshop, data.title, fallback="workshop"),
        seed_key=seed_key,
        created_by=account(actor),
        created_at=now,
        updated_at=now,
    )
    _apply(workshop, data)
    workshop.save()
    _rows_set(workshop, data, countries)
    audit_record(
        actor=actor, action="workshop.create", target=workshop, after=workshop_snapshot(workshop)
    )
    return workshop


@transaction.atomic(durable=True)
def workshop_update(
    *, workshop: Workshop, data: WorkshopInput, actor: User, note: str = ""
) -> Workshop:
    """Replace what is written about ``workshop``; nothing is recorded when nothing changed."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if not policy.can_write_workshops(actor):
        raise _refuse("forbidden", "only editors and administrators write workshops")
    workshop, _changed = _workshop_update(workshop=workshop, data=data, actor=actor, note=note)
    return workshop


def _workshop_update(
    *, workshop: Workshop, data: WorkshopInput, actor: User | None, note: str = ""
) -> tuple[Workshop, bool]:
    data, countries = _validated(data)
    if workshop_input(workshop) == _canonical(data):
        return workshop, False
    with audited(
        actor=actor,
        action="workshop.update",
        target=workshop,
        snapshot=workshop_snapshot,
        note=note,
    ):
        _apply(workshop, data)
        workshop.updated_at = timezone.now()
        workshop.save()
        _rows_set(workshop, data, countries)
    return workshop, True


@transaction.atomic(durable=True)
def workshop_status_set(
    *, workshop: Workshop, status: str, actor: User, note: str = ""
) -> Workshop:
    """Move ``workshop`` to ``status`` (planned, held, reported, cancelled)."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if not policy.can_write_workshops(actor):
        raise _refuse("forbidden", "only editors and administrators write workshops")
    if status not in Workshop.Status.values:
        raise ServiceError(
            "invalid-workshop",
            f"no workshop status {status!r}",
            [unknown_choice("workshop", "status", status, Workshop.Status.values)],
        )
    if workshop.status == status:
        return workshop
    with audited(
        actor=actor,
        action="workshop.status",
        target=workshop,
        snapshot=workshop_snapshot,
        note=note,
    ):
        workshop.status = status
        workshop.updated_at = timezone.now()
        workshop.save(update_fields=["status", "updated_at"])
    return workshop


@transaction.atomic(durable=True)
def expected_output_deliver(
    *, output: ExpectedOutput, item: Item, actor: User, note: str = ""
) -> ExpectedOutput:
    """Record ``item`` as delivering ``output``: the output becomes delivered and the item, if
    it names no workshop yet, is linked back to the output's workshop (a revision of the item
    records that)."""
    if not policy.can_write_workshops(actor):
        raise _refuse("forbidden", "only editors and administrators write workshops")
    output = ExpectedOutput.objects.select_for_update().select_related("workshop").get(pk=output.pk)
    item = Item.objects.select_for_update().get(pk=item.pk)
    if output.delivered_items.filter(pk=item.pk).exists():
        message = f"{item.title} already delivers this output"
        raise ServiceError(
            "already-delivered", message, [_issue("already-delivered", message, "item", item.slug)]
        )
    _deliver(output=output, item=item, actor=actor, note=note)
    return output


def _deliver(*, output: ExpectedOutput, item: Item, actor: User | None, note: str = "") -> bool:
    """Link ``item`` to ``output`` unless it is already; whether anything was written."""
    if output.delivered_items.filter(pk=item.pk).exists():
        return False
    workshop = output.workshop
    with audited(
        actor=actor,
        action="workshop.deliver",
        target=workshop,
        snapshot=workshop_snapshot,
        note=note or f"output {output.order} delivered by {item.slug}",
    ):
        output.delivered_items.add(item)
        if output.status != ExpectedOutput.Status.DELIVERED:
            output.status = ExpectedOutput.Status.DELIVERED
            output.save(update_fields=["status"])
        workshop.updated_at = timezone.now()
        workshop.save(update_fields=["updated_at"])
    if item.workshop_id is None:
        item_before = item_services.snapshot(item)
        item.workshop = workshop
        item.updated_by = account(actor)
        item.updated_at = timezone.now()
        item.save(update_fields=["workshop", "updated_by", "updated_at"])
        item_services._history(
            item,
            ItemRevision.Action.EDITED,
            actor,
            item_before,
            f"delivers an expected output of {workshop.title}",
        )
    return True


__all__ = [
    "OutputInput",
    "ParticipantInput",
    "SessionInput",
    "WorkshopInput",
    "expected_output_deliver",
    "normalised",
    "workshop_create",
    "workshop_input",
    "workshop_snapshot",
    "workshop_status_set",
    "workshop_update",
]
