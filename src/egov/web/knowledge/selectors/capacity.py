"""Reads of the capacity-building records: workshops with their outputs and the items that
deliver them, cooperation projects (the timeline, per country, by status), and intersectoral
programmes with their progress per step and per actor.

Items are shown to a reader only when the reader may see them (:func:`visible_items`): a
published item to anyone, a draft to its author and to editors. So are the METER assessments a
project is linked to: a published one to anyone, the others to whom may read their results
(:func:`egov.web.meter.policy.can_view_results`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.db.models import Count, Prefetch, Q, QuerySet

from egov.frameworks.knowledge_schema import IsgCycle, actor_progress, can_start, load_cycle
from egov.frameworks.knowledge_schema import programme_progress as cycle_share
from egov.web.datacenter.models import Country
from egov.web.meter import policy as meter_policy
from egov.web.meter.models import Assessment

from .. import policy
from ..models import (
    ExpectedOutput,
    Item,
    ItemStatus,
    Milestone,
    Programme,
    Project,
    StepRecord,
    Workshop,
)

User = Account | AnonymousUser


def visible_items(user: User | None) -> QuerySet[Item]:
    """The items ``user`` may see: published ones, and for editors every one, for an author
    their own too (the same rule as :func:`..policy.can_view_item`)."""
    items = Item.objects.all()
    if user is not None and policy.can_review(user):
        return items
    if user is not None and user.is_authenticated and user.is_active:
        return items.filter(Q(status=ItemStatus.PUBLISHED) | Q(created_by=user.pk))
    return items.filter(status=ItemStatus.PUBLISHED)


# Workshops -------------------------------------------------------------------------------------


def workshops() -> QuerySet[Workshop]:
    """Every workshop, latest first, with its counts of sessions, outputs and delivered outputs."""
    return Workshop.objects.annotate(
        session_count=Count("sessions", distinct=True),
        output_count=Count("expected_outputs", distinct=True),
        delivered_count=Count(
            "expected_outputs",
            filter=Q(expected_outputs__status=ExpectedOutput.Status.DELIVERED),
            distinct=True,
        ),
    ).order_by("-year", "title")


@dataclass(frozen=True, slots=True)
class OutputRow:
    """An expected output with the items (those the reader may see) that deliver it."""

    output: ExpectedOutput
    target_types: list[str]
    items: list[Item]


@dataclass(frozen=True, slots=True)
class ParticipantGroup:
    """The participating organisations of one category."""

    category: str
    organisations: list[tuple[str, Country | None]]


@dataclass(frozen=True, slots=True)
class WorkshopDetail:
    workshop: Workshop
    sessions: list[object]
    participants: list[ParticipantGroup]
    outputs: list[OutputRow]
    items: list[Item]  # every visible item that names the workshop
    projects: list[Project]


def workshop_detail(*, workshop: Workshop, user: User | None) -> WorkshopDetail:
    """One workshop with everything its page shows, in a fixed number of queries."""
    seen = visible_items(user)
    outputs = workshop.expected_outputs.prefetch_related(
        Prefetch("delivered_items", queryset=seen.order_by("title"), to_attr="shown")
    )
    groups: dict[str, list[tuple[str, Country | None]]] = {}
    for participant in workshop.participants.select_related("country"):
        groups.setdefault(participant.category, []).append(
            (participant.organisation, participant.country)
        )
    labels = dict(Item.Type.choices)
    return WorkshopDetail(
        workshop=workshop,
        sessions=list(workshop.sessions.all()),
        participants=[ParticipantGroup(category, orgs) for category, orgs in groups.items()],
        outputs=[
            OutputRow(
                output=output,
                target_types=[str(labels.get(kind, kind)) for kind in output.target_types],
                items=list(output.shown),
            )
            for output in outputs
        ],
        items=list(seen.filter(workshop=workshop).select_related("session").order_by("title")),
        projects=list(workshop.projects.select_related("country")),
    )


def country_workshops(*, iso3: str) -> QuerySet[Workshop]:
    """The workshops an organisation of the country took part in, or a project of the country
    ran."""
    return (
        Workshop.objects.filter(
            Q(participants__country__iso3=iso3) | Q(projects__country__iso3=iso3)
        )
        .distinct()
        .order_by("-year", "title")
    )


# Projects --------------------------------------------------------------------------------------


def projects(*, status: str | None = None, country: str | None = None) -> QuerySet[Project]:
    """Cooperation projects, optionally of one status and one country (ISO3), with their
    country and milestones, in the order of the timeline (start year, country, title)."""
    found = Project.objects.select_related("country").prefetch_related("milestones")
    if status:
        found = found.filter(status=status)
    if country:
        found = found.filter(country__iso3=country)
    return found.order_by("start_year", "country__name", "title")


def project_countries() -> list[Country]:
    """The countries with at least one project, by name."""
    return list(Country.objects.filter(iso3__in=Project.objects.values("country__iso3")))


def projects_by_status(found: Sequence[Project] | QuerySet[Project]) -> list[tuple[str, str, int]]:
    """(status, label, count) for each of the six statuses, in the order of the spec."""
    counts = Counter(project.status for project in found)
    return [(code, str(label), counts[code]) for code, label in Project.Status.choices]


@dataclass(frozen=True, slots=True)
class MilestonePoint:
    when: str
    label: str
    status: str
    starts_on: date | None

    @property
    def position(self) -> float | None:
        """The milestone on the timeline's year axis (2013.5 is early July 2013)."""
        if self.starts_on is None:
            return None
        first = date(self.starts_on.year, 1, 1)
        days = (date(self.starts_on.year + 1, 1, 1) - first).days
        return round(self.starts_on.year + (self.starts_on - first).days / days, 4)


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One project on the timeline: its bar runs from the start of ``start`` to the end of
    ``end`` (``end`` is ``start`` when the project names no end year)."""

    slug: str
    country: Country
    title: str
    status: str
    status_label: str
    start: int
    end: int
    open_ended: bool
    milestones: list[MilestonePoint]


def project_timeline(found: Sequence[Project] | QuerySet[Project]) -> list[TimelineRow]:
    """The rows of the timeline chart and of the table beside it, in the same order."""
    labels = dict(Project.Status.choices)
    return [
        TimelineRow(
            slug=project.slug,
            country=project.country,
            title=project.title,
            status=project.status,
            status_label=str(labels.get(project.status, project.status)),
            start=project.start_year,
            end=project.end_year or project.start_year,
            open_ended=project.end_year is None,
            milestones=[
                MilestonePoint(m.when, m.label, m.status, m.starts_on)
                for m in project.milestones.all()
            ],
        )
        for project in found
    ]


@dataclass(frozen=True, slots=True)
class ProjectDetail:
    project: Project
    milestones: list[Milestone]
    workshops: list[Workshop]
    items: list[Item]
    assessments: list[Assessment]  # the linked METER assessments the reader may see


def project_assessments(*, project: Project, user: User | None) -> list[Assessment]:
    """The METER assessments ``project`` is linked to whose results ``user`` may read, the
    latest first."""
    reader = AnonymousUser() if user is None else user
    linked = project.meter_assessments.select_related("country").order_by("-created_at", "-id")
    return [a for a in linked if meter_policy.can_view_results(reader, a)]


def project_detail(*, project: Project, user: User | None) -> ProjectDetail:
    return ProjectDetail(
        project=project,
        milestones=list(project.milestones.all()),
        workshops=list(project.workshops.order_by("-year", "title")),
        items=list(visible_items(user).filter(project=project).order_by("-year", "title")),
        assessments=project_assessments(project=project, user=user),
    )


def country_projects(*, iso3: str) -> QuerySet[Project]:
    """The country's cooperation projects, latest first."""
    return (
        Project.objects.filter(country__iso3=iso3)
        .prefetch_related("milestones")
        .order_by("-start_year", "title")
    )


# Programmes ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One actor of the reference matrix: which of the cycle's steps it takes part in."""

    code: str
    label: str
    sector: str
    cells: list[bool]  # one a step, in step order


@dataclass(frozen=True, slots=True)
class CycleMatrix:
    """The ten steps in three phases and the actor × step matrix (``isg/cycle.yaml``)."""

    cycle: IsgCycle
    phases: list[tuple[str, str, list[tuple[int, str]]]]  # (id, name, [(step, name)])
    steps: list[int]
    rows: list[MatrixRow]


def cycle_matrix() -> CycleMatrix:
    cycle = load_cycle()
    steps = sorted(cycle.steps)
    return CycleMatrix(
        cycle=cycle,
        phases=[
            (phase.id, phase.name, [(step, cycle.step(step)) for step in phase.steps])
            for phase in cycle.phases
        ],
        steps=steps,
        rows=[
            MatrixRow(
                code=code,
                label=actor.label,
                sector=cycle.sectors[actor.sector].name,
                cells=[step in actor.steps for step in steps],
            )
            for code, actor in cycle.actors.items()
        ],
    )


@dataclass(frozen=True, slots=True)
class StepRow:
    """One step of a programme's current cycle and where it stands."""

    step: int
    name: str
    phase: str
    record: StepRecord | None
    state: str  # "completed", "started" or "not_started"
    lead_label: str
    actor_labels: list[str]
    outside_matrix: list[str]  # labels of the actors the matrix does not list for the step


@dataclass(frozen=True, slots=True)
class ActorRow:
    """One actor's progress: completed steps it took part in ÷ the steps the matrix gives it."""

    code: str
    label: str
    assigned: tuple[int, ...]
    counted: list[int]
    share: float


@dataclass(frozen=True, slots=True)
class ProgrammeProgress:
    programme: Programme
    steps: list[StepRow]
    completed: list[int]
    share: float
    actors: list[ActorRow]
    open_step: int | None  # the step started and not completed, if any
    next_step: int | None  # the step that may start now, if any
    earlier: list[StepRecord]  # the records of earlier cycles


def _participants(record: StepRecord) -> list[str]:
    return list(dict.fromkeys([record.lead_actor, *record.participating_actors]))


def programme_progress(*, programme: Programme) -> ProgrammeProgress:
    """Progress of the programme's current cycle per step (completed ÷ 10) and per actor
    (:func:`egov.frameworks.knowledge_schema.actor_progress`), with the actors each step
    names outside the reference matrix."""
    cycle = load_cycle()
    records = list(programme.steps.order_by("cycle", "step"))
    current = {r.step: r for r in records if r.cycle == programme.cycle}
    completed = sorted(step for step, r in current.items() if r.completed is not None)
    labels = {code: actor.label for code, actor in cycle.actors.items()}
    rows = []
    for step in sorted(cycle.steps):
        record = current.get(step)
        taking_part = _participants(record) if record else []
        rows.append(
            StepRow(
                step=step,
                name=cycle.step(step),
                phase=cycle.phase_of(step).id,
                record=record,
                state="not_started"
                if record is None
                else ("completed" if record.completed else "started"),
                lead_label=labels.get(record.lead_actor, record.lead_actor) if record else "",
                actor_labels=[labels.get(code, code) for code in taking_part],
                outside_matrix=[
                    labels.get(code, code)
                    for code in cycle.outside_matrix(step, [a for a in taking_part if a in labels])
                ],
            )
        )
    participation = {step: _participants(r) for step, r in current.items()}
    actors = [
        ActorRow(
            code=code,
            label=actor.label,
            assigned=actor.steps,
            counted=[
                step
                for step in actor.steps
                if step in completed and code in participation.get(step, ())
            ],
            share=actor_progress(code, completed, cycle=cycle, participation=participation),
        )
        for code, actor in cycle.actors.items()
    ]
    open_step = next((step for step, r in current.items() if r.completed is None), None)
    next_step = None
    if open_step is None and programme.status != Programme.Status.SUSPENDED:
        next_step = next(
            (
                step
                for step in sorted(cycle.steps)
                if (step not in current or (step == 1 and len(completed) == cycle.step_count))
                and can_start(step, completed, cycle=cycle)
            ),
            None,
        )
    return ProgrammeProgress(
        programme=programme,
        steps=rows,
        completed=completed,
        share=cycle_share(completed, cycle=cycle),
        actors=actors,
        open_step=open_step,
        next_step=next_step,
        earlier=[r for r in records if r.cycle != programme.cycle],
    )


@dataclass(frozen=True, slots=True)
class ProgrammeRow:
    programme: Programme
    completed: int
    share: float
    open_step: int | None


def programmes() -> list[ProgrammeRow]:
    """Every programme with the progress of its current cycle, in two queries."""
    cycle = load_cycle()
    found = list(Programme.objects.select_related("country").prefetch_related("steps"))
    rows = []
    for programme in found:
        current = [r for r in programme.steps.all() if r.cycle == programme.cycle]
        done = [r.step for r in current if r.completed is not None]
        rows.append(
            ProgrammeRow(
                programme=programme,
                completed=len(done),
                share=cycle_share(done, cycle=cycle),
                open_step=next((r.step for r in current if r.completed is None), None),
            )
        )
    return rows
