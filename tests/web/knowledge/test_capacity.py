"""Services of workshops, cooperation projects and intersectoral programmes: who may write,
every input problem reported at once naming its field, the step-order rules of the programme
cycle and the matrix flag, an audit entry for every write, and nothing kept from a refused one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Permission, User
from tests.fixtures.meter_assessments import meter_assessment

from egov.errors import ServiceError
from egov.web.accounts.models import AuditEntry
from egov.web.accounts.roles import Role
from egov.web.knowledge.models import (
    ExpectedOutput,
    Item,
    ItemRevision,
    Milestone,
    Programme,
    Project,
    StepRecord,
    Workshop,
    WorkshopParticipant,
    WorkshopSession,
)
from egov.web.knowledge.services import items as item_services
from egov.web.knowledge.services import programmes, projects, workshops

pytestmark = pytest.mark.django_db

Accounts = dict[Role, User]


def _workshop_input(**changes: object) -> workshops.WorkshopInput:
    values: dict[str, object] = {
        "title": "E-Government: From Policy to Practice",
        "year": 2012,
        "organisers": ["E-Government Branch, DPADM/UN DESA"],
        "partners": ["UNPOG"],
        "forum": "United Nations Public Service Forum",
        "purpose": "Raise government capacity in e-government policy-making.",
        "objectives": ["A platform for CIOs", "Present the 2012 Survey trends"],
        "chair": "Chairperson",
        "participant_categories": ["CIOs and senior officials"],
        "sessions": [
            workshops.SessionInput(0, "UN E-Government Survey 2012: Findings and Trends"),
            workshops.SessionInput(1, "Policies and strategies designed for results"),
        ],
        "participants": [
            workshops.ParticipantInput("Ministry of the Interior and Safety", "KOR", "CIOs"),
        ],
        "expected_outputs": [
            workshops.OutputInput(1, "Presentations added to UNPAN", ["presentation"]),
            workshops.OutputInput(2, "Analytical papers uploaded", ["analytical_paper"]),
        ],
        "follow_up": "Ministerial Roundtable, 27 June.",
    }
    values.update(changes)
    return workshops.WorkshopInput(**values)  # type: ignore[arg-type]


def _project_input(**changes: object) -> projects.ProjectInput:
    values: dict[str, object] = {
        "country": "COL",
        "title": "Centre for Innovation on E-Government Development",
        "purpose": "Integrate the National Development Plan with the e-government plan.",
        "status": "implementing",
        "start_year": 2013,
        "end_year": 2014,
        "partners": ["UN DESA", "MINTIC Colombia", "UNDP"],
        "budget_amount": Decimal("800000"),
        "budget_currency": "USD",
        "budget_per": "year",
        "milestones": [
            projects.MilestoneInput("Nov–Dec 2012", "Preparation", "done", date(2012, 11, 1)),
            projects.MilestoneInput("Dec 2012", "Workshop on best practices", "done"),
        ],
    }
    values.update(changes)
    return projects.ProjectInput(**values)  # type: ignore[arg-type]


def _fields(error: ServiceError) -> list[tuple[str | None, int | None, str]]:
    return [(issue.field, issue.row, issue.code) for issue in error.issues]


def _entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


# Workshops -------------------------------------------------------------------------------------


def test_an_editor_creates_a_workshop_with_its_rows_and_an_audit_entry(
    countries: None, accounts: Accounts
) -> None:
    editor = accounts[Role.EDITOR]

    workshop = workshops.workshop_create(data=_workshop_input(), actor=editor)

    assert workshop.slug == "e-government-from-policy-to-practice"
    assert list(workshop.sessions.values_list("order", "title")) == [
        (0, "UN E-Government Survey 2012: Findings and Trends"),
        (1, "Policies and strategies designed for results"),
    ]
    assert list(workshop.participants.values_list("organisation", "country__iso3", "category")) == [
        ("Ministry of the Interior and Safety", "KOR", "CIOs")
    ]
    assert list(workshop.expected_outputs.values_list("order", "target_types", "status")) == [
        (1, ["presentation"], "planned"),
        (2, ["analytical_paper"], "planned"),
    ]
    [entry] = _entries("workshop.create")
    assert (entry.actor, entry.target_id, entry.before) == (editor, str(workshop.pk), None)
    assert entry.after is not None
    assert entry.after["sessions"][0]["order"] == 0
    [participant] = entry.after["participants"]
    assert participant == {
        "organisation": "Ministry of the Interior and Safety",
        "country": "KOR",
        "category": "CIOs",
    }


@pytest.mark.parametrize("role", [Role.READER, Role.CONTRIBUTOR])
def test_only_editors_write_workshops(countries: None, accounts: Accounts, role: Role) -> None:
    actor = AnonymousUser() if role is Role.READER else accounts[role]

    with pytest.raises(ServiceError) as caught:
        workshops.workshop_create(data=_workshop_input(), actor=actor)

    assert caught.value.code == "forbidden"
    assert not Workshop.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="workshop.").exists()


def test_every_problem_of_a_workshop_is_reported_at_once_naming_field_and_line(
    countries: None, accounts: Accounts
) -> None:
    data = _workshop_input(
        title=" ",
        year=1900,
        start=date(2012, 6, 27),
        end=date(2012, 6, 26),
        status="postponed",
        sessions=[workshops.SessionInput(1, "One"), workshops.SessionInput(1, "")],
        participants=[
            workshops.ParticipantInput("Ministry", "XXX", ""),
            workshops.ParticipantInput("", None, ""),
        ],
        expected_outputs=[workshops.OutputInput(1, "Papers", ["paper"], "done")],
    )

    with pytest.raises(ServiceError) as caught:
        workshops.workshop_create(data=data, actor=accounts[Role.EDITOR])

    assert caught.value.code == "invalid-workshop"
    assert _fields(caught.value) == [
        ("title", None, "required"),
        ("year", None, "out-of-range"),
        ("end", None, "end-before-start"),
        ("status", None, "unknown-status"),
        ("sessions.order", 2, "duplicate"),
        ("sessions.title", 2, "required"),
        ("participants.country", 1, "unknown-country"),
        ("participants.organisation", 2, "required"),
        ("expected_outputs.target_types", 1, "unknown-type"),
        ("expected_outputs.status", 1, "unknown-status"),
    ]
    assert not Workshop.objects.exists()


def test_editing_a_workshop_keeps_sessions_and_outputs_in_place_and_audits_the_change(
    countries: None, accounts: Accounts
) -> None:
    editor = accounts[Role.EDITOR]
    workshop = workshops.workshop_create(data=_workshop_input(), actor=editor)
    opening = workshop.sessions.get(order=0)
    first_output = workshop.expected_outputs.get(order=1)

    workshops.workshop_update(
        workshop=workshop,
        data=_workshop_input(
            status="held",
            sessions=[
                workshops.SessionInput(0, "Opening: the 2012 Survey"),
                workshops.SessionInput(2, "Whole-of-government institutional coordination"),
            ],
            expected_outputs=[workshops.OutputInput(1, "Presentations added to UNPAN")],
        ),
        actor=editor,
    )

    assert WorkshopSession.objects.get(pk=opening.pk).title == "Opening: the 2012 Survey"
    assert list(workshop.sessions.values_list("order", flat=True)) == [0, 2]
    assert ExpectedOutput.objects.get(pk=first_output.pk).target_types == []
    assert workshop.expected_outputs.count() == 1
    [entry] = _entries("workshop.update")
    changed = {name for name, _before, _after in entry.changes}
    assert changed == {"status", "sessions", "expected_outputs"}


def test_saving_a_workshop_unchanged_records_nothing(countries: None, accounts: Accounts) -> None:
    editor = accounts[Role.EDITOR]
    workshop = workshops.workshop_create(data=_workshop_input(), actor=editor)
    stamp = Workshop.objects.get(pk=workshop.pk).updated_at

    workshops.workshop_update(workshop=workshop, data=_workshop_input(), actor=editor)

    assert not _entries("workshop.update")
    assert Workshop.objects.get(pk=workshop.pk).updated_at == stamp


def test_a_workshop_keeps_its_format_kind_and_the_audit_shows_it(
    countries: None, accounts: Accounts
) -> None:
    editor = accounts[Role.EDITOR]
    workshop = workshops.workshop_create(
        data=_workshop_input(format_kind=" roundtable "), actor=editor
    )

    workshops.workshop_update(
        workshop=workshop, data=_workshop_input(format_kind="panel"), actor=editor
    )

    assert Workshop.objects.get(pk=workshop.pk).format_kind == "panel"
    [created] = _entries("workshop.create")
    assert created.after is not None
    assert created.after["format_kind"] == "roundtable"
    [entry] = _entries("workshop.update")
    assert entry.changes == [("format_kind", "roundtable", "panel")]
    with pytest.raises(ServiceError) as caught:
        workshops.workshop_update(
            workshop=workshop, data=_workshop_input(format_kind="x" * 101), actor=editor
        )
    assert _fields(caught.value) == [("format_kind", None, "too-long")]


def test_a_workshop_status_change_is_audited(countries: None, accounts: Accounts) -> None:
    editor = accounts[Role.EDITOR]
    workshop = workshops.workshop_create(data=_workshop_input(), actor=editor)

    workshops.workshop_status_set(workshop=workshop, status="reported", actor=editor)

    assert Workshop.objects.get(pk=workshop.pk).status == "reported"
    [entry] = _entries("workshop.status")
    assert entry.changes == [("status", "planned", "reported")]
    with pytest.raises(ServiceError) as caught:
        workshops.workshop_status_set(workshop=workshop, status="over", actor=editor)
    assert _fields(caught.value) == [("status", None, "unknown-status")]


def _item(actor: User, **changes: object) -> Item:
    values: dict[str, object] = {
        "type": "presentation",
        "title": "Korea's path to smart government",
        "summary": "How Korea moved from e-government to smart government.",
        "countries": ["KOR"],
        "year": 2012,
    }
    values.update(changes)
    return item_services.item_create(
        data=item_services.ItemInput(**values),  # type: ignore[arg-type]
        actor=actor,
    )


def test_delivering_an_output_links_the_item_back_to_its_workshop(
    countries: None, accounts: Accounts
) -> None:
    editor = accounts[Role.EDITOR]
    workshop = workshops.workshop_create(data=_workshop_input(), actor=editor)
    item = _item(accounts[Role.CONTRIBUTOR])
    output = workshop.expected_outputs.get(order=1)

    workshops.expected_output_deliver(output=output, item=item, actor=editor)

    output.refresh_from_db()
    item.refresh_from_db()
    assert output.status == "delivered"
    assert list(output.delivered_items.all()) == [item]
    assert item.workshop == workshop
    revision = item.revisions.order_by("-number").first()
    assert revision is not None
    assert (revision.action, revision.actor) == (ItemRevision.Action.EDITED, editor)
    [entry] = _entries("workshop.deliver")
    assert entry.changes[0][0] == "expected_outputs"
    assert _entries("item.edited")[-1].changes == [("workshop", None, workshop.slug)]

    with pytest.raises(ServiceError) as caught:
        workshops.expected_output_deliver(output=output, item=item, actor=editor)
    assert caught.value.code == "already-delivered"


def test_an_item_of_another_workshop_keeps_its_workshop_when_it_delivers(
    countries: None, accounts: Accounts
) -> None:
    editor = accounts[Role.EDITOR]
    first = workshops.workshop_create(data=_workshop_input(), actor=editor)
    second = workshops.workshop_create(data=_workshop_input(title="Second workshop"), actor=editor)
    item = _item(editor, workshop=first.slug)
    revisions = item.revisions.count()

    workshops.expected_output_deliver(
        output=second.expected_outputs.get(order=2), item=item, actor=editor
    )

    item.refresh_from_db()
    assert item.workshop == first
    assert item.revisions.count() == revisions


# Projects --------------------------------------------------------------------------------------


def test_an_editor_creates_a_project_with_its_milestones_and_budget(
    countries: None, accounts: Accounts
) -> None:
    editor = accounts[Role.EDITOR]

    project = projects.project_create(data=_project_input(), actor=editor)

    assert project.slug == "col-centre-for-innovation-on-e-government-development"
    assert (project.country.iso3, project.status, project.start_year, project.end_year) == (
        "COL",
        "implementing",
        2013,
        2014,
    )
    assert (project.budget_amount, project.budget_currency, project.budget_per) == (
        Decimal("800000.00"),
        "USD",
        "year",
    )
    assert list(project.milestones.values_list("order", "when", "status", "starts_on")) == [
        (1, "Nov–Dec 2012", "done", date(2012, 11, 1)),
        (2, "Dec 2012", "done", None),
    ]
    [entry] = _entries("project.create")
    assert entry.after is not None
    assert entry.after["budget_amount"] == "800000.00"


def test_every_problem_of_a_project_is_reported_at_once(
    countries: None, accounts: Accounts
) -> None:
    data = _project_input(
        country="ATL",
        title="",
        purpose="",
        status="dreaming",
        end_year=2010,
        budget_amount=Decimal("-1"),
        budget_currency="dollars",
        budget_per="month",
        workshops=["no-such-workshop"],
        milestones=[projects.MilestoneInput("", "", "late")],
    )

    with pytest.raises(ServiceError) as caught:
        projects.project_create(data=data, actor=accounts[Role.EDITOR])

    assert _fields(caught.value) == [
        ("country", None, "unknown-country"),
        ("title", None, "required"),
        ("purpose", None, "required"),
        ("status", None, "unknown-status"),
        ("end_year", None, "end-before-start"),
        ("budget_amount", None, "out-of-range"),
        ("budget_currency", None, "invalid-currency"),
        ("budget_per", None, "invalid-budget-per"),
        ("workshops", None, "unknown-workshop"),
        ("milestones.when", 1, "required"),
        ("milestones.label", 1, "required"),
        ("milestones.status", 1, "unknown-status"),
    ]
    assert not Project.objects.exists()


def test_a_project_keeps_its_scope_and_funder_and_the_audit_shows_them(
    countries: None, accounts: Accounts
) -> None:
    editor = accounts[Role.EDITOR]
    project = projects.project_create(
        data=_project_input(
            scope=["local", " national ", "", "regional", "international"],
            budget_funded_by=" MINTIC ",
        ),
        actor=editor,
    )

    assert (project.scope, project.budget_funded_by) == (
        ["local", "national", "regional", "international"],
        "MINTIC",
    )
    [created] = _entries("project.create")
    assert created.after is not None
    assert (created.after["scope"], created.after["budget_funded_by"]) == (
        ["local", "national", "regional", "international"],
        "MINTIC",
    )

    projects.project_update(
        project=project,
        data=_project_input(scope=["national"], budget_funded_by="UNDP"),
        actor=editor,
    )

    [entry] = _entries("project.update")
    assert sorted(entry.changes) == [
        ("budget_funded_by", "MINTIC", "UNDP"),
        ("scope", ["local", "national", "regional", "international"], ["national"]),
    ]


def test_scope_lines_and_the_funder_are_checked_naming_field_and_line(
    countries: None, accounts: Accounts
) -> None:
    data = _project_input(scope=["national", "x" * 301], budget_funded_by="y" * 301)

    with pytest.raises(ServiceError) as caught:
        projects.project_create(data=data, actor=accounts[Role.EDITOR])

    assert _fields(caught.value) == [
        ("scope", 2, "too-long"),
        ("budget_funded_by", None, "too-long"),
    ]


def test_a_funder_without_a_budget_is_refused(countries: None, accounts: Accounts) -> None:
    data = _project_input(
        budget_amount=None, budget_currency="", budget_per="", budget_funded_by="MINTIC"
    )

    with pytest.raises(ServiceError) as caught:
        projects.project_create(data=data, actor=accounts[Role.EDITOR])

    assert _fields(caught.value) == [
        ("budget_amount", None, "required"),
        ("budget_currency", None, "invalid-currency"),
        ("budget_per", None, "invalid-budget-per"),
    ]


def test_a_currency_without_an_amount_is_refused(countries: None, accounts: Accounts) -> None:
    with pytest.raises(ServiceError) as caught:
        projects.project_create(
            data=_project_input(budget_amount=None), actor=accounts[Role.EDITOR]
        )
    assert _fields(caught.value) == [("budget_amount", None, "required")]


@pytest.mark.parametrize("role", [Role.READER, Role.CONTRIBUTOR])
def test_only_editors_write_projects(countries: None, accounts: Accounts, role: Role) -> None:
    actor = AnonymousUser() if role is Role.READER else accounts[role]
    with pytest.raises(ServiceError) as caught:
        projects.project_create(data=_project_input(), actor=actor)
    assert caught.value.code == "forbidden"
    assert not Project.objects.exists()


def test_editing_a_project_updates_milestones_in_place_and_links_workshops(
    countries: None, accounts: Accounts
) -> None:
    editor = accounts[Role.EDITOR]
    workshop = workshops.workshop_create(data=_workshop_input(), actor=editor)
    project = projects.project_create(data=_project_input(), actor=editor)
    first = project.milestones.get(order=1)

    projects.project_update(
        project=project,
        data=_project_input(
            status="completed",
            workshops=[workshop.slug],
            milestones=[projects.MilestoneInput("Nov–Dec 2012", "Preparation", "done")],
        ),
        actor=editor,
    )

    assert Milestone.objects.get(pk=first.pk).starts_on is None
    assert project.milestones.count() == 1
    assert list(project.workshops.all()) == [workshop]
    [entry] = _entries("project.update")
    assert {name for name, _b, _a in entry.changes} == {"status", "workshops", "milestones"}

    projects.project_update(
        project=project,
        data=_project_input(
            status="completed",
            workshops=[workshop.slug],
            milestones=[projects.MilestoneInput("Nov–Dec 2012", "Preparation", "done")],
        ),
        actor=editor,
    )
    assert len(_entries("project.update")) == 1


def test_linking_an_item_to_a_project_records_a_revision_and_an_audit_entry(
    countries: None, accounts: Accounts
) -> None:
    editor = accounts[Role.EDITOR]
    project = projects.project_create(data=_project_input(), actor=editor)
    item = _item(editor)

    projects.project_item_link(project=project, item=item, actor=editor)

    item.refresh_from_db()
    assert item.project == project
    [entry] = _entries("project.item")
    assert entry.changes == [("items", [], [item.slug])]
    with pytest.raises(ServiceError) as caught:
        projects.project_item_link(project=project, item=item, actor=editor)
    assert caught.value.code == "already-linked"


def test_a_project_is_linked_to_meter_assessments_of_its_country_and_the_audit_shows_it(
    countries: None, accounts: Accounts
) -> None:
    editor, focal = accounts[Role.EDITOR], accounts[Role.CONTRIBUTOR]
    published = meter_assessment(focal, "COL", "Colombia 2026", published=True)
    draft = meter_assessment(focal, "COL", "Colombia 2027")

    project = projects.project_create(
        data=_project_input(meter_assessments=[draft.pk, published.pk, draft.pk]), actor=editor
    )

    assert set(project.meter_assessments.all()) == {published, draft}
    assert list(published.cooperation_projects.all()) == [project]
    [created] = _entries("project.create")
    assert created.after is not None
    assert created.after["meter_assessments"] == sorted([published.pk, draft.pk])

    projects.project_update(
        project=project, data=_project_input(meter_assessments=[published.pk]), actor=editor
    )

    assert list(project.meter_assessments.all()) == [published]
    [entry] = _entries("project.update")
    assert entry.changes == [
        ("meter_assessments", sorted([published.pk, draft.pk]), [published.pk])
    ]


def test_an_assessment_of_another_country_or_none_is_refused_naming_the_field(
    countries: None, accounts: Accounts
) -> None:
    editor = accounts[Role.EDITOR]
    kazakhstan = meter_assessment(accounts[Role.CONTRIBUTOR], "KAZ", "Kazakhstan 2026")
    project = projects.project_create(data=_project_input(), actor=editor)

    with pytest.raises(ServiceError) as caught:
        projects.project_update(
            project=project,
            data=_project_input(meter_assessments=[kazakhstan.pk, 999_999]),
            actor=editor,
        )

    assert caught.value.code == "invalid-project"
    assert [(i.field, i.code, i.value) for i in caught.value.issues] == [
        ("meter_assessments", "other-country", str(kazakhstan.pk)),
        ("meter_assessments", "unknown-assessment", "999999"),
    ]
    assert "is of KAZ, not of the project's country COL" in caught.value.issues[0].message
    assert not project.meter_assessments.exists()
    assert not _entries("project.update")


def test_an_assessment_the_writer_may_not_see_is_unknown_to_them(
    countries: None, accounts: Accounts
) -> None:
    # A contributor granted the right to write projects sees only published assessments and
    # their own: another focal point's draft is refused as if it did not exist.
    writer = accounts[Role.CONTRIBUTOR]
    writer.user_permissions.add(Permission.objects.get(codename="change_project"))
    writer = User.objects.get(pk=writer.pk)  # a fresh permission cache
    others = User.objects.get(username="contributor2")
    hidden = meter_assessment(others, "COL", "Colombia, not yet published")
    shown = meter_assessment(others, "COL", "Colombia 2026", published=True)
    own = meter_assessment(writer, "COL", "Colombia, my draft")

    with pytest.raises(ServiceError) as caught:
        projects.project_create(
            data=_project_input(meter_assessments=[hidden.pk, shown.pk, own.pk]), actor=writer
        )
    assert [(i.field, i.code, i.value) for i in caught.value.issues] == [
        ("meter_assessments", "unknown-assessment", str(hidden.pk))
    ]

    project = projects.project_create(
        data=_project_input(meter_assessments=[shown.pk, own.pk]), actor=writer
    )
    assert set(project.meter_assessments.all()) == {shown, own}


@pytest.mark.django_db(transaction=True)
def test_a_refused_write_leaves_every_table_as_it_was(countries: None, accounts: Accounts) -> None:
    editor = accounts[Role.EDITOR]
    workshop = workshops.workshop_create(data=_workshop_input(), actor=editor)
    tables = (Workshop, WorkshopSession, WorkshopParticipant, ExpectedOutput, AuditEntry)
    before = {model: list(model.objects.order_by("pk").values_list()) for model in tables}

    # The participant's country is checked after the sessions are valid; nothing is written.
    with pytest.raises(ServiceError):
        workshops.workshop_update(
            workshop=workshop,
            data=_workshop_input(
                sessions=[workshops.SessionInput(5, "New")],
                participants=[workshops.ParticipantInput("Ministry", "ATL")],
            ),
            actor=editor,
        )

    assert {model: list(model.objects.order_by("pk").values_list()) for model in tables} == before


# Programmes ------------------------------------------------------------------------------------


@pytest.fixture
def programme(countries: None, accounts: Accounts) -> Programme:
    return programmes.programme_create(
        data=programmes.ProgrammeInput(
            country="KAZ",
            title="Social services delivered with NGOs",
            problem="Social services do not reach rural areas.",
            sector_tags=["social services", " ", "social services"],
        ),
        actor=accounts[Role.EDITOR],
    )


def _start(programme: Programme, step: int, actor: User, **changes: object) -> object:
    values: dict[str, object] = {
        "programme": programme,
        "step": step,
        "started": date(2013, step, 1),
        "lead_actor": "ministries_agencies",
        "participating_actors": (),
        "actor": actor,
    }
    values.update(changes)
    return programmes.step_start(**values)  # type: ignore[arg-type]


def _run_steps(programme: Programme, actor: User, last: int) -> None:
    for step in range(1, last + 1):
        lead = "higher_governing_bodies" if step in (4, 8) else "ministries_agencies"
        _start(programme, step, actor, lead_actor=lead)
        programmes.step_complete(
            programme=programme, step=step, completed=date(2013, step, 20), actor=actor
        )


def test_a_programme_is_created_in_its_first_cycle_and_audited(
    programme: Programme, accounts: Accounts
) -> None:
    assert (programme.slug, programme.cycle, programme.status) == (
        "kaz-social-services-delivered-with-ngos",
        1,
        "active",
    )
    assert programme.sector_tags == ["social services"]
    [entry] = _entries("programme.create")
    assert entry.actor == accounts[Role.EDITOR]


def test_steps_start_only_once_the_previous_step_is_complete(
    programme: Programme, accounts: Accounts
) -> None:
    editor = accounts[Role.EDITOR]
    with pytest.raises(ServiceError) as caught:
        _start(programme, 2, editor)
    assert _fields(caught.value) == [("step", None, "previous-incomplete")]

    _start(programme, 1, editor)
    with pytest.raises(ServiceError) as caught:
        _start(programme, 2, editor)
    assert _fields(caught.value) == [("step", None, "previous-incomplete")]
    with pytest.raises(ServiceError) as caught:
        _start(programme, 1, editor)
    assert _fields(caught.value) == [("step", None, "already-started")]

    programmes.step_complete(programme=programme, step=1, completed=date(2013, 1, 10), actor=editor)
    with pytest.raises(ServiceError) as caught:
        _start(programme, 2, editor, started=date(2013, 1, 9))
    assert _fields(caught.value) == [("started", None, "before-previous")]
    _start(programme, 2, editor, started=date(2013, 1, 10))

    assert list(programme.steps.values_list("cycle", "step", "completed")) == [
        (1, 1, date(2013, 1, 10)),
        (1, 2, None),
    ]


def test_steps_complete_in_order_and_after_they_start(
    programme: Programme, accounts: Accounts
) -> None:
    editor = accounts[Role.EDITOR]
    with pytest.raises(ServiceError) as caught:
        programmes.step_complete(
            programme=programme, step=1, completed=date(2013, 1, 5), actor=editor
        )
    assert _fields(caught.value) == [("step", None, "not-started")]

    _start(programme, 1, editor)
    with pytest.raises(ServiceError) as caught:
        programmes.step_complete(
            programme=programme, step=1, completed=date(2012, 12, 31), actor=editor
        )
    assert _fields(caught.value) == [("completed", None, "before-start")]
    programmes.step_complete(programme=programme, step=1, completed=date(2013, 1, 5), actor=editor)
    with pytest.raises(ServiceError) as caught:
        programmes.step_complete(
            programme=programme, step=1, completed=date(2013, 1, 6), actor=editor
        )
    assert _fields(caught.value) == [("step", None, "already-completed")]
    with pytest.raises(ServiceError) as caught:
        programmes.step_complete(
            programme=programme, step=11, completed=date(2013, 1, 6), actor=editor
        )
    assert _fields(caught.value) == [("step", None, "unknown-step")]


def test_step_ten_complete_lets_step_one_open_a_new_cycle(
    programme: Programme, accounts: Accounts
) -> None:
    editor = accounts[Role.EDITOR]
    _run_steps(programme, editor, 9)
    with pytest.raises(ServiceError):
        _start(programme, 1, editor, started=date(2014, 1, 1))

    _start(programme, 10, editor, started=date(2013, 10, 25))
    programmes.step_complete(
        programme=programme, step=10, completed=date(2013, 11, 30), actor=editor
    )
    assert Programme.objects.get(pk=programme.pk).status == "completed"

    outcome = _start(programme, 1, editor, started=date(2014, 1, 1))

    programme.refresh_from_db()
    assert (programme.cycle, programme.status) == (2, "active")
    assert (outcome.record.cycle, outcome.record.step) == (2, 1)  # type: ignore[attr-defined]
    assert StepRecord.objects.filter(programme=programme, cycle=1).count() == 10


def test_an_actor_outside_the_reference_matrix_is_accepted_and_flagged(
    programme: Programme, accounts: Accounts
) -> None:
    editor = accounts[Role.EDITOR]
    _run_steps(programme, editor, 9)

    # Step 10 (review of results) is government-only in the matrix.
    outcome = _start(
        programme,
        10,
        editor,
        started=date(2013, 10, 25),
        participating_actors=["business", "higher_governing_bodies", "civil_society"],
    )

    assert outcome.outside_matrix == ("business", "civil_society")  # type: ignore[attr-defined]
    record = StepRecord.objects.get(programme=programme, step=10)
    assert record.lead_actor == "ministries_agencies"
    assert record.participating_actors == ["business", "higher_governing_bodies", "civil_society"]
    entry = _entries("programme.step_start")[-1]
    assert entry.note == "outside the reference matrix for step 10: business, civil_society"
    assert entry.changes[0][0] == "steps"


def test_unknown_actors_and_a_missing_lead_are_refused_with_their_fields(
    programme: Programme, accounts: Accounts
) -> None:
    with pytest.raises(ServiceError) as caught:
        _start(
            programme,
            1,
            accounts[Role.EDITOR],
            lead_actor="",
            participating_actors=["business", "parliament"],
        )
    assert _fields(caught.value) == [
        ("lead_actor", None, "required"),
        ("participating_actors", None, "unknown-actor"),
    ]
    assert not StepRecord.objects.exists()


@pytest.mark.parametrize("role", [Role.READER, Role.CONTRIBUTOR])
def test_only_editors_write_programmes(
    programme: Programme, accounts: Accounts, role: Role
) -> None:
    actor = AnonymousUser() if role is Role.READER else accounts[role]
    with pytest.raises(ServiceError) as caught:
        _start(programme, 1, actor)
    assert caught.value.code == "forbidden"
    with pytest.raises(ServiceError) as caught:
        programmes.programme_create(
            data=programmes.ProgrammeInput(country="KAZ", title="Another"), actor=actor
        )
    assert caught.value.code == "forbidden"
    assert not StepRecord.objects.exists()
    assert Programme.objects.count() == 1


def test_progress_per_step_and_per_actor_follows_the_records(
    programme: Programme, accounts: Accounts
) -> None:
    from egov.web.knowledge.selectors import capacity

    editor = accounts[Role.EDITOR]
    _start(programme, 1, editor, participating_actors=["business", "civil_society"])
    programmes.step_complete(programme=programme, step=1, completed=date(2013, 1, 5), actor=editor)
    _start(programme, 2, editor, started=date(2013, 2, 1))
    programmes.step_complete(programme=programme, step=2, completed=date(2013, 2, 5), actor=editor)
    _start(programme, 3, editor, started=date(2013, 3, 1), participating_actors=["business"])

    progress = capacity.programme_progress(programme=programme)

    assert progress.completed == [1, 2]
    assert progress.share == pytest.approx(0.2)
    assert (progress.open_step, progress.next_step) == (3, None)
    shares = {row.code: row.share for row in progress.actors}
    assert shares == {
        "higher_governing_bodies": 0.0,
        "ministries_agencies": pytest.approx(2 / 8),
        "local_governing_bodies": 0.0,
        "business": pytest.approx(1 / 4),  # step 3 is not complete yet
        "civil_society": pytest.approx(1 / 4),
    }
    assert [row.state for row in progress.steps[:4]] == [
        "completed",
        "completed",
        "started",
        "not_started",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_write_failing_midway_is_rolled_back_whole(
    programme: Programme, accounts: Accounts, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = accounts[Role.EDITOR]
    _run_steps(programme, editor, 10)
    tables = (Programme, StepRecord, AuditEntry)
    before = {model: list(model.objects.order_by("pk").values_list()) for model in tables}

    def refuse(**_kwargs: object) -> None:
        raise RuntimeError("the audit trail is unavailable")

    # The new cycle is written (programme, step record), then the audit entry fails.
    monkeypatch.setattr(programmes, "audit_record", refuse)
    with pytest.raises(RuntimeError):
        _start(programme, 1, editor, started=date(2014, 1, 1))

    assert {model: list(model.objects.order_by("pk").values_list()) for model in tables} == before
    assert Programme.objects.get(pk=programme.pk).cycle == 1
