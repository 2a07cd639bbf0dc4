"""Pages of workshops, cooperation projects and the programme cycle: they render for readers,
the timeline's chart data and table carry the same rows, the matrix is the spec's, the
per-country view, and the forms: only editors reach them, errors show beside their fields,
CSRF is enforced."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.test import Client
from tests.fixtures.meter_assessments import meter_assessment

from egov.web.accounts.roles import Role
from egov.web.knowledge.models import Item, Programme, Project, StepRecord, Workshop
from egov.web.knowledge.services import programmes, projects, workshops

pytestmark = pytest.mark.django_db

ClientAs = Callable[[Role], Client]
Accounts = dict[Role, User]

#: Spec §6.2, the actor × step matrix.
SPEC_MATRIX = {
    "higher_governing_bodies": [1, 3, 4, 8, 10],
    "ministries_agencies": [1, 2, 3, 5, 6, 7, 9, 10],
    "local_governing_bodies": [1, 2, 3, 5, 6, 7, 9, 10],
    "business": [1, 3, 5, 9],
    "civil_society": [1, 3, 5, 9],
}


def _text(response: object) -> str:
    assert response.status_code == 200, response  # type: ignore[attr-defined]
    return response.content.decode()  # type: ignore[attr-defined]


@pytest.fixture
def workshop(countries: None, accounts: Accounts) -> Workshop:
    return workshops.workshop_create(
        data=workshops.WorkshopInput(
            title="E-Government: From Policy to Practice",
            year=2012,
            organisers=["E-Government Branch, DPADM/UN DESA"],
            forum="United Nations Public Service Forum",
            purpose="Raise government capacity in e-government policy-making.",
            objectives=["A platform for CIOs"],
            format_kind="roundtable",
            chair="Chairperson",
            facilitator="Facilitator",
            participant_categories=["CIOs and senior officials"],
            sessions=[
                workshops.SessionInput(0, "Survey 2012: Findings and Trends"),
                workshops.SessionInput(1, "Designing for results"),
            ],
            participants=[workshops.ParticipantInput("Ministry of ICT", "COL", "CIOs")],
            expected_outputs=[workshops.OutputInput(1, "Presentations added to UNPAN")],
            follow_up="Ministerial Roundtable.",
        ),
        actor=accounts[Role.EDITOR],
    )


def _project(actor: User, country: str, status: str, start: int, **changes: object) -> Project:
    values: dict[str, object] = {
        "country": country,
        "title": f"Cooperation with {country}",
        "purpose": "Provide e-Government support and capacity building",
        "accomplishments": "Project document drafted",
        "follow_up": "Project document with government for approval",
        "status": status,
        "start_year": start,
        "end_year": start + 1,
    }
    values.update(changes)
    return projects.project_create(
        data=projects.ProjectInput(**values),  # type: ignore[arg-type]
        actor=actor,
    )


@pytest.fixture
def some_projects(workshop: Workshop, accounts: Accounts) -> list[Project]:
    editor = accounts[Role.EDITOR]
    return [
        _project(editor, "SAU", "document_drafted", 2013),
        _project(
            editor,
            "COL",
            "implementing",
            2014,
            end_year=None,
            budget_amount=Decimal("800000"),
            budget_currency="USD",
            budget_per="year",
            partners=["UN DESA", "MINTIC Colombia", "UNDP"],
            workshops=[workshop.slug],
        ),
        _project(
            editor,
            "AFG",
            "formulation",
            2012,
            milestones=[
                projects.MilestoneInput(
                    "Dec 2012", "Workshop on best practices", "planned", date(2012, 12, 1)
                ),
            ],
        ),
    ]


# Workshops -------------------------------------------------------------------------------------


def test_the_workshop_pages_show_sessions_participants_and_outputs(
    workshop: Workshop, client_as: ClientAs
) -> None:
    reader = client_as(Role.READER)

    listing = _text(reader.get("/workshops/"))
    page = _text(reader.get(f"/workshops/{workshop.slug}/"))

    assert f'href="/workshops/{workshop.slug}/"' in listing
    assert "0 of 1" in listing
    assert "Opening session</strong>" not in page  # the opening is numbered 0
    assert "Opening session: Survey 2012: Findings and Trends" in unescape(
        re.sub(r"<[^>]+>", "", page)
    )
    assert "Session 1: Designing for results" in unescape(re.sub(r"<[^>]+>", "", page))
    assert "Ministry of ICT" in page
    assert 'href="/projects/countries/COL/"' in page
    assert 'id="output-1"' in page
    assert "Presentations added to UNPAN" in page
    assert "Ministerial Roundtable." in page
    assert 'id="workshop-format">Roundtable<' in page
    assert "Edit this workshop" not in page
    assert "Record delivery" not in page


def test_an_editor_sees_the_edit_link_and_the_delivery_form(
    workshop: Workshop, client_as: ClientAs
) -> None:
    page = _text(client_as(Role.EDITOR).get(f"/workshops/{workshop.slug}/"))
    assert f'href="/workshops/{workshop.slug}/edit/"' in page
    assert f'action="/workshops/{workshop.slug}/outputs/1/deliver/"' in page


# Projects --------------------------------------------------------------------------------------


def _table_rows(page: str) -> list[tuple[str, str, str]]:
    body = page.split('id="projects-table"', 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr data-status=\"([a-z_]+)\">(.*?)</tr>", body, re.DOTALL)
    found = []
    for status, row in rows:
        title = re.search(r'<th scope="row"><a href="/projects/([^/]+)/">', row)
        period = re.search(r'<td class="num">([^<]+)</td>', row)
        assert title
        assert period
        found.append((title.group(1), status, period.group(1)))
    return found


def _chart(page: str) -> dict[str, object]:
    data = re.search(r'<script id="projects-data" type="application/json">(.*?)</script>', page)
    assert data
    parsed: dict[str, object] = json.loads(data.group(1))
    return parsed


def test_the_timeline_table_and_chart_carry_the_same_rows(
    some_projects: list[Project], client_as: ClientAs
) -> None:
    page = _text(client_as(Role.READER).get("/projects/"))

    rows = _table_rows(page)
    chart = _chart(page)
    assert [slug for slug, _status, _period in rows] == [
        "afg-cooperation-with-afg",
        "sau-cooperation-with-sau",
        "col-cooperation-with-col",
    ]
    assert [period for _slug, _status, period in rows] == ["2012–2013", "2013–2014", "2014"]
    chart_rows = chart["rows"]
    assert isinstance(chart_rows, list)
    assert [(r["status"], r["start"], r["end"]) for r in chart_rows] == [
        ("formulation", 2012, 2014),
        ("document_drafted", 2013, 2015),
        ("implementing", 2014, 2015),
    ]
    assert [status for _slug, status, _period in rows] == [r["status"] for r in chart_rows]
    assert chart_rows[0]["milestones"] == [
        # 1 December: day 335 of the 366 of 2012.
        {"at": 2012.9153, "when": "Dec 2012", "label": "Workshop on best practices"}
    ]
    assert "egov/projects.js" in page
    assert "vendor/echarts/echarts.min.js" in page
    assert 'id="projects-chart" hidden' in page  # shown by the script, not without it


def test_the_timeline_filters_by_status_and_country(
    some_projects: list[Project], client_as: ClientAs
) -> None:
    reader = client_as(Role.READER)

    by_status = _table_rows(_text(reader.get("/projects/?status=implementing")))
    by_country = _table_rows(_text(reader.get("/projects/?country=sau")))
    unknown = _table_rows(_text(reader.get("/projects/?status=dreaming&country=ATL")))

    assert [slug for slug, *_ in by_status] == ["col-cooperation-with-col"]
    assert [slug for slug, *_ in by_country] == ["sau-cooperation-with-sau"]
    assert len(unknown) == 3


def test_the_per_country_view_lists_its_projects_and_workshops(
    some_projects: list[Project], workshop: Workshop, client_as: ClientAs
) -> None:
    reader = client_as(Role.READER)

    page = _text(reader.get("/projects/countries/COL/"))
    empty = _text(reader.get("/projects/countries/FRA/"))

    assert [slug for slug, *_ in _table_rows(page)] == ["col-cooperation-with-col"]
    assert f'href="/workshops/{workshop.slug}/"' in page  # a Colombian organisation took part
    assert 'href="/countries/COL/"' in page
    assert 'id="no-projects"' in empty
    assert reader.get("/projects/countries/col/").status_code == 301
    assert reader.get("/projects/countries/ATL/").status_code == 404


def test_the_project_page_shows_budget_partners_and_workshops(
    some_projects: list[Project], workshop: Workshop, client_as: ClientAs
) -> None:
    page = _text(client_as(Role.READER).get("/projects/col-cooperation-with-col/"))

    assert "Provide e-Government support and capacity building" in page
    assert re.search(r'id="project-budget">USD 800,000\s+per year<', page)
    assert "MINTIC Colombia" in page
    assert f'href="/workshops/{workshop.slug}/"' in page
    assert 'id="project-status">Implementing<' in page


def test_the_project_page_shows_scope_and_funder(
    countries: None, accounts: Accounts, client_as: ClientAs
) -> None:
    project = _project(
        accounts[Role.EDITOR],
        "COL",
        "implementing",
        2014,
        scope=["local", "national", "regional", "international"],
        budget_amount=Decimal("800000"),
        budget_currency="USD",
        budget_per="year",
        budget_funded_by="MINTIC",
    )
    bare = _project(accounts[Role.EDITOR], "QAT", "signed", 2013)

    page = _text(client_as(Role.READER).get(f"/projects/{project.slug}/"))
    bare_page = _text(client_as(Role.READER).get(f"/projects/{bare.slug}/"))

    assert 'id="project-scope">local, national, regional, international<' in page
    assert 'id="project-funder">MINTIC<' in page
    assert "project-scope" not in bare_page
    assert "project-funder" not in bare_page
    assert "project-assessments" not in bare_page


def _assessments_shown(page: str) -> list[int]:
    if 'id="project-assessments"' not in page:
        return []
    listing = page.split('id="project-assessments"', 1)[1].split("</ul>", 1)[0]
    shown = [int(pk) for pk in re.findall(r'data-assessment="(\d+)"', listing)]
    for pk in shown:  # each links to its results
        assert f'href="/meter/{pk}/results/"' in listing
    return shown


def test_the_project_page_lists_the_linked_assessments_the_reader_may_see(
    countries: None, accounts: Accounts, client_as: ClientAs
) -> None:
    focal = accounts[Role.CONTRIBUTOR]
    published = meter_assessment(focal, "CRI", "Costa Rica 2026", published=True)
    draft = meter_assessment(focal, "CRI", "Costa Rica 2027")
    project = _project(
        accounts[Role.EDITOR],
        "CRI",
        "document_approved",
        2013,
        meter_assessments=[published.pk, draft.pk],
    )
    other = Client()
    other.force_login(User.objects.get(username="contributor2"))
    url = f"/projects/{project.slug}/"

    # The latest first: the draft was opened after the published one.
    assert _assessments_shown(_text(client_as(Role.READER).get(url))) == [published.pk]
    assert _assessments_shown(_text(other.get(url))) == [published.pk]
    assert _assessments_shown(_text(client_as(Role.CONTRIBUTOR).get(url))) == [
        draft.pk,
        published.pk,
    ]
    page = _text(client_as(Role.EDITOR).get(url))
    assert _assessments_shown(page) == [draft.pk, published.pk]
    listing = page.split('id="project-assessments"', 1)[1].split("</ul>", 1)[0]
    assert 'Costa Rica 2026</a> <span class="muted">published ' in listing
    assert '<span class="badge">Draft</span>' in listing


# The programme cycle ---------------------------------------------------------------------------


def test_the_matrix_on_the_page_is_the_spec_matrix(client_as: ClientAs) -> None:
    page = _text(client_as(Role.READER).get("/programmes/"))

    shown = {}
    for code, row in re.findall(r'<tr id="actor-([a-z_]+)">(.*?)</tr>', page, re.DOTALL):
        cells = re.findall(r'<td class="cell">(.*?)</td>', row, re.DOTALL)
        assert len(cells) == 10
        shown[code] = [n for n, cell in enumerate(cells, start=1) if "takes part" in cell]
        assert all(("●" in cell) == ("takes part" in cell) for cell in cells)
    assert shown == SPEC_MATRIX
    phases = re.findall(r'<th scope="colgroup" colspan="(\d+)" class="phase">([^<]+)</th>', page)
    assert phases == [
        ("4", "Phase I: Exposing a problem"),
        ("4", "Phase II: Working out a program"),
        ("2", "Phase III: Realizing a program"),
    ]
    assert "Designation of a responsible agency" in page


def test_the_programme_page_shows_progress_and_the_matrix_flag(
    countries: None, accounts: Accounts, client_as: ClientAs
) -> None:
    editor = accounts[Role.EDITOR]
    programme = programmes.programme_create(
        data=programmes.ProgrammeInput(country="KAZ", title="Social services with NGOs"),
        actor=editor,
    )
    programmes.step_start(
        programme=programme,
        step=1,
        started=date(2013, 1, 1),
        lead_actor="ministries_agencies",
        participating_actors=["business"],
        actor=editor,
    )
    programmes.step_complete(programme=programme, step=1, completed=date(2013, 1, 9), actor=editor)
    programmes.step_start(
        programme=programme,
        step=2,
        started=date(2013, 1, 10),
        lead_actor="ministries_agencies",
        participating_actors=["business"],
        actor=editor,
    )

    page = _text(client_as(Role.READER).get(f"/programmes/{programme.slug}/"))
    listing = _text(client_as(Role.READER).get("/programmes/"))

    assert 'id="programme-progress">1 / 10<' in page
    assert '<progress id="progress-bar" max="100" value="10">' in page
    step2 = page.split('id="step-2"', 1)[1].split("</tr>", 1)[0]
    assert "Outside the reference matrix: Large, small and medium business" in step2
    step1 = page.split('id="step-1"', 1)[1].split("</tr>", 1)[0]
    assert "Outside the reference matrix" not in step1
    business = page.split('id="progress-business"', 1)[1].split("</tr>", 1)[0]
    assert "25%" in business
    assert "step-start-form" not in page  # readers see no forms
    assert "1 of 10" in listing
    assert "step 2 under way" in listing


# Forms -----------------------------------------------------------------------------------------

FORMS = ["/workshops/new/", "/projects/new/", "/programmes/new/"]


@pytest.mark.parametrize("url", FORMS)
def test_only_editors_reach_the_forms(url: str, countries: None, client_as: ClientAs) -> None:
    anonymous = client_as(Role.READER).get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/?next=")
    assert client_as(Role.CONTRIBUTOR).get(url).status_code == 403
    assert client_as(Role.CONTRIBUTOR).post(url, {"title": "x"}).status_code == 403
    assert client_as(Role.EDITOR).get(url).status_code == 200
    assert client_as(Role.ADMINISTRATOR).get(url).status_code == 200


def test_a_workshop_written_through_the_form_is_saved(countries: None, client_as: ClientAs) -> None:
    editor = client_as(Role.EDITOR)

    response = editor.post(
        "/workshops/new/",
        {
            "title": "Regional e-Government workshop",
            "year": "2014",
            "status": "planned",
            "organisers": "UN DESA\nMINTIC",
            "format_kind": "roundtable",
            "sessions": "0 | Opening | The Survey 2014\n1 | Strategies | Design | A; B",
            "participants": "Ministry of ICT | col | CIOs",
            "expected_outputs": "1 | Presentations | presentation, workshop_output | planned",
        },
    )

    assert response.status_code == 302
    workshop = Workshop.objects.get(title="Regional e-Government workshop")
    assert response["Location"] == f"/workshops/{workshop.slug}/"
    assert workshop.organisers == ["UN DESA", "MINTIC"]
    assert list(workshop.sessions.values_list("order", "title", "emphasis", "speakers")) == [
        (0, "Opening", "The Survey 2014", []),
        (1, "Strategies", "Design", ["A", "B"]),
    ]
    assert list(workshop.participants.values_list("country__iso3", flat=True)) == ["COL"]
    assert workshop.expected_outputs.get().target_types == ["presentation", "workshop_output"]

    edit = _text(editor.get(f"/workshops/{workshop.slug}/edit/"))
    assert "1 | Strategies | Design | A; B" in unescape(edit)
    assert workshop.format_kind == "roundtable"
    assert re.search(r'<input type="text" name="format_kind" value="roundtable"', edit)


def test_form_errors_are_shown_beside_their_fields_with_their_line(
    countries: None, client_as: ClientAs
) -> None:
    response = client_as(Role.EDITOR).post(
        "/workshops/new/",
        {
            "title": "A workshop",
            "year": "2014",
            "status": "planned",
            "participants": "Ministry | COL | CIOs\nAgency | ATL | CIOs",
            "expected_outputs": "1 | Papers | paper | planned",
        },
    )

    assert response.status_code == 400
    page = unescape(response.content.decode())
    participants = page.split('name="participants"', 1)[0].rsplit("<label", 1)[1]
    assert "line 2: no Member State ATL" in participants
    outputs = page.split('name="expected_outputs"', 1)[0].rsplit("<label", 1)[1]
    assert "line 1: no item type 'paper'" in outputs
    assert not Workshop.objects.exists()


def test_a_project_written_through_the_form_is_saved(countries: None, client_as: ClientAs) -> None:
    response = client_as(Role.EDITOR).post(
        "/projects/new/",
        {
            "country": "QAT",
            "title": "Second project document",
            "status": "signed",
            "start_year": "2013",
            "end_year": "2014",
            "purpose": "Provide e-Government support and capacity building",
            "budget_amount": "",
            "budget_currency": "",
            "budget_per": "",
            "milestones": "Dec 2013 | Sent for approval | done | 2013-12-01\n2014 | Signature",
        },
    )

    assert response.status_code == 302
    project = Project.objects.get()
    assert list(project.milestones.values_list("when", "label", "status", "starts_on")) == [
        ("Dec 2013", "Sent for approval", "done", date(2013, 12, 1)),
        ("2014", "Signature", "planned", None),
    ]


def test_programme_steps_are_recorded_through_the_forms_with_csrf(
    countries: None, accounts: Accounts
) -> None:
    editor = Client(enforce_csrf_checks=True)
    editor.force_login(accounts[Role.EDITOR])
    page = _text(editor.get("/programmes/new/"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token

    refused = editor.post("/programmes/new/", {"country": "KAZ", "title": "No token"})
    created = editor.post(
        "/programmes/new/",
        {"country": "KAZ", "title": "Social services", "csrfmiddlewaretoken": token.group(1)},
    )

    assert refused.status_code == 403
    programme = Programme.objects.get()
    assert created["Location"] == f"/programmes/{programme.slug}/"
    detail = _text(editor.get(created["Location"]))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', detail)
    assert token
    assert "step-start-form" in detail
    start = f"/programmes/{programme.slug}/steps/start/"

    early = editor.post(
        start,
        {
            "step": "2",
            "started": "2013-01-01",
            "lead_actor": "business",
            "csrfmiddlewaretoken": token.group(1),
        },
    )
    assert early.status_code == 400
    assert "step 2 starts only once step 1 is complete" in early.content.decode()

    started = editor.post(
        start,
        {
            "step": "1",
            "started": "2013-01-01",
            "lead_actor": "ministries_agencies",
            "participating_actors": ["business"],
            "csrfmiddlewaretoken": token.group(1),
        },
        follow=True,
    )
    assert started.status_code == 200
    assert StepRecord.objects.get().participating_actors == ["business"]
    completed = editor.post(
        f"/programmes/{programme.slug}/steps/complete/",
        {"step": "1", "completed": "2013-02-01", "csrfmiddlewaretoken": token.group(1)},
    )
    assert completed.status_code == 302
    assert StepRecord.objects.get().completed == date(2013, 2, 1)


def _field_errors(page: str, name: str) -> str:
    """The error list shown beside the form field ``name``."""
    found = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', page, re.DOTALL)
    return unescape(found.group(1)) if found else ""


def test_a_project_form_links_assessments_of_its_country_and_refuses_another_beside_the_field(
    countries: None, accounts: Accounts, client_as: ClientAs
) -> None:
    focal = accounts[Role.CONTRIBUTOR]
    panama = meter_assessment(focal, "PAN", "Panama 2026", published=True)
    kazakhstan = meter_assessment(focal, "KAZ", "Kazakhstan 2026")
    editor = client_as(Role.EDITOR)
    form = {
        "country": "PAN",
        "title": "Project Formulation Mission",
        "status": "document_drafted",
        "start_year": "2013",
        "end_year": "2014",
        "purpose": "Project Formulation Mission METER Workshop",
        "scope": "national\nregional",
        "budget_amount": "50000",
        "budget_currency": "usd",
        "budget_per": "total",
        "budget_funded_by": "UNDP",
    }

    blank = _text(editor.get("/projects/new/"))
    refused = editor.post(
        "/projects/new/", {**form, "meter_assessments": [str(panama.pk), str(kazakhstan.pk)]}
    )
    saved = editor.post("/projects/new/", {**form, "meter_assessments": [str(panama.pk)]})

    assert f'value="{panama.pk}"' in blank
    assert "Panama 2026 (Published, " in blank
    assert "Kazakhstan 2026 (Draft, " in blank
    assert refused.status_code == 400
    page = refused.content.decode()
    assert (
        f"assessment {kazakhstan.pk} (Kazakhstan 2026) is of KAZ, not of the project's country PAN"
        in _field_errors(page, "meter_assessments")
    )
    assert _field_errors(page, "scope") == ""
    assert saved.status_code == 302
    project = Project.objects.get()
    assert list(project.meter_assessments.all()) == [panama]
    assert (project.scope, project.budget_funded_by, project.budget_currency) == (
        ["national", "regional"],
        "UNDP",
        "USD",
    )
    edit = _text(editor.get(f"/projects/{project.slug}/edit/"))
    # The project's country comes first among the assessments, and its link is ticked.
    assert edit.index("Panama 2026") < edit.index("Kazakhstan 2026")
    assert re.search(rf'value="{panama.pk}"[^>]*checked', edit)
    assert not re.search(rf'value="{kazakhstan.pk}"[^>]*checked', edit)
    assert "national\nregional</textarea>" in edit
    assert 'name="budget_funded_by" value="UNDP"' in edit


def test_a_scope_line_too_long_is_shown_beside_the_field_with_its_line(
    countries: None, client_as: ClientAs
) -> None:
    response = client_as(Role.EDITOR).post(
        "/projects/new/",
        {
            "country": "COL",
            "title": "Centre for Innovation",
            "status": "implementing",
            "start_year": "2014",
            "purpose": "Integrate the plans.",
            "scope": "local\n" + "x" * 301,
            "budget_funded_by": "MINTIC",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "line 2: at most 300 characters" in _field_errors(page, "scope")
    # A funder needs a budget: the amount is asked for beside its field.
    assert "the amount of the budget" in _field_errors(page, "budget_amount")
    assert not Project.objects.exists()


# With the seed content -------------------------------------------------------------------------


@pytest.fixture
def seeded(countries: None) -> None:
    from egov.config import seeds_dir
    from egov.web.knowledge.services.seed import seed_load

    seed_load(seeds_dir=seeds_dir())


def test_the_seed_projects_appear_on_the_timeline(seeded: None, client_as: ClientAs) -> None:
    page = _text(client_as(Role.READER).get("/projects/"))

    rows = _table_rows(page)
    assert len(rows) == 11
    assert len(_chart(page)["rows"]) == 11  # type: ignore[arg-type]
    assert ("tc-qat-2013-2014", "signed", "2013–2014") in rows
    assert ("afg-cio-training", "formulation", "2012–2013") in rows
    qatar = _text(client_as(Role.READER).get("/projects/tc-qat-2013-2014/"))
    assert "Second project document sent for approval" in qatar
    centre = _text(client_as(Role.READER).get("/projects/col-egov-innovation-centre/"))
    assert 'id="project-scope">local, national, regional, international<' in centre
    assert 'id="project-funder">MINTIC<' in centre


def test_the_seed_workshop_page_lists_the_items_that_deliver_its_outputs(
    seeded: None, client_as: ClientAs
) -> None:
    page = _text(client_as(Role.READER).get("/workshops/egov-policy-to-practice-2012/"))

    output = page.split('id="output-2"', 1)[1].split("</li>\n", 1)[0]
    korea = Item.objects.get(seed_key="korea-unpsa-2012")
    assert f'href="/knowledge/items/{korea.slug}/"' in output
    assert "Delivered" in output
    aide_memoire = Item.objects.get(seed_key="seed-002-policy-to-practice-aide-memoire")
    assert f'href="/knowledge/items/{aide_memoire.slug}/"' in page
    assert 'id="workshop-format">Roundtable<' in page
