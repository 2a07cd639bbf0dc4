"""Writes of intersectoral programmes: create one, start and complete its steps.

A programme follows the ten steps in three phases of ``frameworks/isg/cycle.yaml`` (spec §6).
The rules (§6.3): steps complete in order; a step starts only once the one before it is
complete; starting step 1 again after step 10 is complete opens a new cycle (``cycle + 1``).
A step names its lead actor and the actors taking part, by the actor codes of the cycle's
reference matrix; an actor the matrix does not list for that step is accepted but flagged
"outside the reference matrix" (returned, written in the audit note, and shown on the pages,
which compute it again from the matrix).

Every entry point is one durable transaction: the actor's right, every field (all problems at
once, each naming its field), the writes, one audit entry with the programme before and after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.db import transaction
from django.utils import timezone

from egov.errors import Issue
from egov.frameworks.knowledge_schema import IsgCycle, can_start, load_cycle
from egov.web.accounts.services import account, audit_record
from egov.web.datacenter.models import Country
from egov.web.writes import audited, issue, raise_issues, refusal

from .. import policy
from ..models import Programme, StepRecord
from .common import unique_slug

User = Account | AnonymousUser

TITLE_MAX = 300


@dataclass(frozen=True)
class ProgrammeInput:
    """A new programme: its country (ISO3), title, the problem it answers, its sector tags."""

    country: str
    title: str
    problem: str = ""
    sector_tags: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """The step record written, and the actors it names outside the reference matrix."""

    record: StepRecord
    outside_matrix: tuple[str, ...]


_issue = partial(issue, "programme")
_raise = partial(raise_issues, "invalid-programme")
_refuse = partial(refusal, "programme")


def programme_snapshot(programme: Programme) -> dict[str, Any]:
    """The programme and its step records, as the audit trail keeps them."""
    return {
        "slug": programme.slug,
        "country": programme.country.iso3,
        "title": programme.title,
        "problem": programme.problem,
        "sector_tags": list(programme.sector_tags),
        "cycle": programme.cycle,
        "status": programme.status,
        "steps": [
            {
                "cycle": r.cycle,
                "step": r.step,
                "started": r.started,
                "completed": r.completed,
                "lead_actor": r.lead_actor,
                "participating_actors": list(r.participating_actors),
                "documents": list(r.documents),
            }
            for r in programme.steps.order_by("cycle", "step")
        ],
    }


@transaction.atomic(durable=True)
def programme_create(*, data: ProgrammeInput, actor: User) -> Programme:
    """A new programme at the start of its first cycle (editors)."""
    if not policy.can_write_programmes(actor):
        raise _refuse("forbidden", "only editors and administrators write programmes")
    issues: list[Issue] = []
    iso3 = data.country.strip().upper()
    country = Country.objects.filter(iso3=iso3).first() if iso3 else None
    if not iso3:
        issues.append(_issue("required", "a programme is in one country", "country"))
    elif country is None:
        issues.append(_issue("unknown-country", f"no Member State {iso3}", "country", iso3))
    title = data.title.strip()
    if not title:
        issues.append(_issue("required", "a programme needs a title", "title"))
    elif len(title) > TITLE_MAX:
        issues.append(_issue("too-long", f"{len(title)} characters; at most {TITLE_MAX}", "title"))
    tags = list(dict.fromkeys(tag.strip() for tag in data.sector_tags if tag.strip()))
    _raise(issues)
    assert country is not None
    now = timezone.now()
    programme = Programme.objects.create(
        slug=unique_slug(Programme, f"{iso3} {title}", fallback="programme"),
        country=country,
        title=title,
        problem=data.problem.strip(),
        sector_tags=tags,
        created_by=account(actor),
        created_at=now,
        updated_at=now,
    )
    audit_record(
        actor=actor,
        action="programme.create",
        target=programme,
        after=programme_snapshot(programme),
    )
    return programme


def _actors_checked(
    the_cycle: IsgCycle, step: int, lead_actor: str, participating: Sequence[str]
) -> tuple[list[str], tuple[str, ...], list[Issue]]:
    """The actors of the step (the lead first, then the others, no repeats), those outside
    the matrix for ``step`` (the lead included), and the problems (unknown codes, no lead)."""
    issues: list[Issue] = []
    lead = lead_actor.strip()
    if not lead:
        issues.append(_issue("required", "name the actor that leads the step", "lead_actor"))
    elif lead not in the_cycle.actors:
        issues.append(
            _issue(
                "unknown-actor",
                f"one of {', '.join(the_cycle.actors)}",
                "lead_actor",
                lead,
            )
        )
    actors = [a for a in dict.fromkeys([lead, *(a.strip() for a in participating)]) if a]
    issues += [
        _issue(
            "unknown-actor",
            f"one of {', '.join(the_cycle.actors)}",
            "participating_actors",
            code,
        )
        for code in actors
        if code not in the_cycle.actors and code != lead
    ]
    known = [a for a in actors if a in the_cycle.actors]
    outside = the_cycle.outside_matrix(step, known) if step in the_cycle.steps else ()
    return actors, outside, issues


@transaction.atomic(durable=True)
def step_start(
    *,
    programme: Programme,
    step: int,
    started: date,
    lead_actor: str,
    participating_actors: Sequence[str] = (),
    documents: Sequence[str] = (),
    note: str = "",
    actor: User,
) -> StepOutcome:
    """Start ``step`` of the programme's current cycle; starting step 1 after step 10 is
    complete opens the next cycle."""
    if not policy.can_write_programmes(actor):
        raise _refuse("forbidden", "only editors and administrators write programmes")
    programme = Programme.objects.select_for_update().select_related("country").get(pk=programme.pk)
    the_cycle = load_cycle()
    issues: list[Issue] = []
    records = {r.step: r for r in programme.steps.filter(cycle=programme.cycle)}
    completed = [r.step for r in records.values() if r.completed is not None]
    last = the_cycle.step_count
    round_ = programme.cycle
    previous: StepRecord | None = None
    if programme.status == Programme.Status.SUSPENDED:
        issues.append(_issue("suspended", "the programme is suspended", "step", step))
    if step not in the_cycle.steps:
        issues.append(_issue("unknown-step", f"a step from 1 to {last}", "step", step))
    elif not can_start(step, completed, cycle=the_cycle):
        message = (
            f"step 1 starts a new cycle only once all {last} steps of cycle "
            f"{programme.cycle} are complete"
            if step == 1
            else f"step {step} starts only once step {step - 1} is complete"
        )
        issues.append(_issue("previous-incomplete", message, "step", step))
    elif step == 1 and len(completed) == last:
        round_, previous = programme.cycle + 1, records[last]
    elif step in records:
        issues.append(_issue("already-started", f"step {step} has already started", "step", step))
    else:
        previous = records.get(step - 1)
    if previous is not None and previous.completed and started < previous.completed:
        issues.append(
            _issue(
                "before-previous",
                f"step {previous.step} was completed on {previous.completed.isoformat()}",
                "started",
                started.isoformat(),
            )
        )
    actors, outside, actor_issues = _actors_checked(
        the_cycle, step, lead_actor, participating_actors
    )
    issues += actor_issues
    _raise(issues)

    before = programme_snapshot(programme)
    if round_ != programme.cycle:
        programme.cycle = round_
        programme.status = Programme.Status.ACTIVE
    programme.updated_at = timezone.now()
    programme.save(update_fields=["cycle", "status", "updated_at"])
    record = StepRecord.objects.create(
        programme=programme,
        cycle=round_,
        step=step,
        started=started,
        lead_actor=actors[0],
        participating_actors=actors[1:],
        documents=[d.strip() for d in documents if d.strip()],
        note=note.strip(),
    )
    flagged = (
        f"outside the reference matrix for step {step}: {', '.join(outside)}" if outside else ""
    )
    audit_record(
        actor=actor,
        action="programme.step_start",
        target=programme,
        before=before,
        after=programme_snapshot(programme),
        note="; ".join(part for part in (note.strip(), flagged) if part),
    )
    return StepOutcome(record=record, outside_matrix=outside)


@transaction.atomic(durable=True)
def step_complete(
    *, programme: Programme, step: int, completed: date, note: str = "", actor: User
) -> StepRecord:
    """Complete ``step`` of the current cycle; completing the last step completes the
    programme (until step 1 starts a new cycle)."""
    if not policy.can_write_programmes(actor):
        raise _refuse("forbidden", "only editors and administrators write programmes")
    programme = Programme.objects.select_for_update().select_related("country").get(pk=programme.pk)
    the_cycle = load_cycle()
    issues: list[Issue] = []
    record = programme.steps.filter(cycle=programme.cycle, step=step).first()
    if step not in the_cycle.steps:
        issues.append(
            _issue("unknown-step", f"a step from 1 to {the_cycle.step_count}", "step", step)
        )
    elif record is None:
        issues.append(_issue("not-started", f"step {step} has not started", "step", step))
    elif record.completed is not None:
        issues.append(
            _issue(
                "already-completed",
                f"step {step} was completed on {record.completed.isoformat()}",
                "step",
                step,
            )
        )
    elif completed < record.started:
        issues.append(
            _issue(
                "before-start",
                f"step {step} started on {record.started.isoformat()}",
                "completed",
                completed.isoformat(),
            )
        )
    _raise(issues)
    assert record is not None
    with audited(
        actor=actor,
        action="programme.step_complete",
        target=programme,
        snapshot=programme_snapshot,
        note=note.strip(),
    ):
        record.completed = completed
        if note.strip():
            record.note = "\n".join(part for part in (record.note, note.strip()) if part)
        record.save(update_fields=["completed", "note"])
        if step == the_cycle.step_count:
            programme.status = Programme.Status.COMPLETED
        programme.updated_at = timezone.now()
        programme.save(update_fields=["status", "updated_at"])
    return record


__all__ = [
    "ProgrammeInput",
    "StepOutcome",
    "programme_create",
    "programme_snapshot",
    "step_complete",
    "step_start",
]
