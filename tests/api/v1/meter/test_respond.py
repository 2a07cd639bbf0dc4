"""Answering with the respondent's key: one answer or a batch, through the service, with its
revision and audit entry; bad answers by row and field; missing, wrong and replaced keys; a
closed assessment."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from tests.api.v1.meter.conftest import BASE, JSON, KEY, error_issues, where

from egov.web.accounts.models import AuditEntry
from egov.web.accounts.roles import Role
from egov.web.meter import services
from egov.web.meter.models import Answer, Assessment, Respondent


def _put(key: str, statement: str, **body: Any) -> Any:
    return Client().put(
        f"{BASE}/respond/answers/{statement}", body, content_type=JSON, **{KEY: key}
    )


@pytest.mark.django_db
def test_an_answer_is_saved_with_its_revision_and_audit_entry(
    opened: tuple[Assessment, str],
) -> None:
    _assessment, key = opened

    first = _put(key, "C1.1", value=2, comment="A plan exists", evidence_url="https://gov.kz/plan")
    same = _put(key, "C1.1", value="2", comment="A plan exists", evidence_url="https://gov.kz/plan")
    changed = _put(key, "C1.1", value="3", comment="Funded since 2025")

    assert first.status_code == 200, first.content
    assert (first.json()["value"], first.json()["revision"]) == ("2", 1)
    assert same.json()["revision"] == 1
    assert (changed.json()["value"], changed.json()["revision"]) == ("3", 2)
    assert changed["Cache-Control"] == "no-store"
    stored = Answer.objects.get(statement="C1.1")
    assert (stored.value, stored.comment, stored.evidence_url, stored.revision) == (
        "3",
        "Funded since 2025",
        "",
        2,
    )
    entries = list(AuditEntry.objects.filter(action="meter.answer.save").order_by("id"))
    assert len(entries) == 2
    assert entries[1].before is not None
    assert entries[1].after is not None
    assert (entries[1].before["value"], entries[1].after["value"]) == ("2", "3")
    assert entries[1].after["revision"] == 2
    assert entries[1].target_id == str(stored.pk)


@pytest.mark.django_db
def test_an_answer_is_taken_back(opened: tuple[Assessment, str]) -> None:
    _assessment, key = opened
    _put(key, "C1.1", value=1)

    response = Client().delete(f"{BASE}/respond/answers/C1.1", **{KEY: key})

    assert response.status_code == 204
    assert not Answer.objects.exists()
    entry = AuditEntry.objects.get(action="meter.answer.clear")
    assert entry.before is not None
    assert entry.before["value"] == "1"
    assert Client().delete(f"{BASE}/respond/answers/C1.1", **{KEY: key}).status_code == 204


@pytest.mark.django_db
def test_one_bad_answer_names_its_fields_without_a_row(opened: tuple[Assessment, str]) -> None:
    _assessment, key = opened

    errors = error_issues(
        _put(key, "C1.1", value="NA", evidence_url="ftp://x"), 422, "invalid-answer"
    )

    assert sorted(where(errors)) == [
        (None, "comment", "comment-required"),
        (None, "evidence_url", "bad-url"),
    ]
    (issue,) = error_issues(_put(key, "C1.1", value=""), 422, "invalid-answer")
    assert (issue["field"], issue["code"]) == ("value", "required")
    (issue,) = error_issues(_put(key, "Z9.9", value="1"), 404, "unknown-statement")
    assert (issue["field"], issue["value"]) == ("statement", "Z9.9")
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_a_batch_reports_every_problem_by_row_and_field_and_saves_nothing(
    opened: tuple[Assessment, str],
) -> None:
    _assessment, key = opened
    answers = [
        {"statement": "C1.1", "value": 4},
        {"statement": "C1.2", "value": "7"},
        {"statement": "X1.1", "value": "2"},
        {"statement": "C1.1", "value": "NA"},
        {"statement": "C1.5", "value": "1", "lesson": True},
    ]

    response = Client().put(
        f"{BASE}/respond/answers", {"answers": answers}, content_type=JSON, **{KEY: key}
    )

    assert where(error_issues(response, 422, "invalid-answer")) == [
        (2, "value", "unknown-answer"),
        (3, "statement", "unknown-statement"),
        (4, "statement", "duplicate-statement"),
        (4, "comment", "comment-required"),
        (5, "comment", "comment-required"),
    ]
    assert not Answer.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="meter.answer").exists()


@pytest.mark.django_db
def test_a_batch_of_the_wrong_shape_names_row_and_field(opened: tuple[Assessment, str]) -> None:
    _assessment, key = opened
    answers = [{"statement": "C1.1", "value": 4}, {"value": "2", "lesson": "perhaps"}]

    response = Client().put(
        f"{BASE}/respond/answers", {"answers": answers}, content_type=JSON, **{KEY: key}
    )

    errors = error_issues(response, 422, "invalid-parameters")
    assert sorted(where(errors)) == [(2, "lesson", "bool-parsing"), (2, "statement", "missing")]
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_a_batch_saves_and_takes_back_together(opened: tuple[Assessment, str]) -> None:
    _assessment, key = opened
    _put(key, "C1.3", value=1)
    answers = [
        {"statement": "C1.1", "value": 4, "comment": "Funded", "lesson": True},
        {"statement": "C1.2", "value": "NA", "comment": "No senior officials' briefings here"},
        {"statement": "C1.3", "value": None},
    ]

    response = Client().put(
        f"{BASE}/respond/answers", {"answers": answers}, content_type=JSON, **{KEY: key}
    )

    assert response.status_code == 200, response.content
    assert [(a["statement"], a["value"], a["revision"]) for a in response.json()["answers"]] == [
        ("C1.1", "4", 1),
        ("C1.2", "NA", 1),
    ]
    assert sorted(Answer.objects.values_list("statement", "value", "lesson")) == [
        ("C1.1", "4", True),
        ("C1.2", "NA", False),
    ]
    mine = Client().get(f"{BASE}/respond", **{KEY: key}).json()
    assert [a["statement"] for a in mine["answers"]] == ["C1.1", "C1.2"]
    assert (mine["assessment"]["state"], mine["assessment"]["open"]) == ("open", True)
    assert (mine["respondent"]["group"], len(mine["asked"])) == ("government", 109)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "send the respondent's personal key in the X-Respondent-Key header"),
        ("", "send the respondent's personal key in the X-Respondent-Key header"),
        ("x" * 32, "the respondent key is unknown or was replaced by a new one"),
    ],
)
def test_a_missing_or_wrong_key_is_401(
    opened: tuple[Assessment, str], header: str | None, message: str
) -> None:
    extra = {} if header is None else {KEY: header}

    for response in (
        Client().get(f"{BASE}/respond", **extra),
        Client().put(f"{BASE}/respond/answers/C1.1", {"value": 1}, content_type=JSON, **extra),
    ):
        (issue,) = error_issues(response, 401, "unauthorised")
        assert (issue["field"], issue["message"]) == ("X-Respondent-Key", message)
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_a_replaced_key_stops_working(
    opened: tuple[Assessment, str], accounts: dict[Role, User]
) -> None:
    assessment, old = opened
    respondent = Respondent.objects.get(assessment=assessment)
    new = services.respondent_rekey(actor=accounts[Role.CONTRIBUTOR], respondent=respondent).key

    error_issues(_put(old, "C1.1", value=1), 401, "unauthorised")
    assert not Answer.objects.exists()
    assert _put(new, "C1.1", value=1).status_code == 200


@pytest.mark.django_db
def test_a_closed_assessment_takes_no_answer(
    opened: tuple[Assessment, str], accounts: dict[Role, User]
) -> None:
    assessment, key = opened
    _put(key, "C1.1", value=1)
    services.assessment_transition(
        actor=accounts[Role.CONTRIBUTOR], assessment=assessment, to="closed"
    )
    audit = AuditEntry.objects.count()

    (issue,) = error_issues(_put(key, "C1.1", value=3), 409, "not-open")
    assert issue["message"] == "the assessment is closed: not open"
    error_issues(Client().delete(f"{BASE}/respond/answers/C1.1", **{KEY: key}), 409, "not-open")
    assert Answer.objects.get().value == "1"
    assert AuditEntry.objects.count() == audit
    mine = Client().get(f"{BASE}/respond", **{KEY: key}).json()
    assert (mine["assessment"]["state"], mine["assessment"]["open"]) == ("closed", False)
    assert [a["value"] for a in mine["answers"]] == ["1"]
