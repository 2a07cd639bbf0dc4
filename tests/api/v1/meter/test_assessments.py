"""METER assessments over HTTP: what each caller sees, opening one, changing its settings,
moving it through its states, every bad input at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from tests.api.v1.meter.conftest import BASE, JSON, bearer, error_issues, where

from egov.web.accounts.models import AuditEntry
from egov.web.accounts.roles import Role
from egov.web.accounts.services import token_create
from egov.web.meter import services
from egov.web.meter.models import Assessment, Respondent
from egov.web.meter.services import AnswerInput

# --- assessments: who sees what ------------------------------------------------------------


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.django_db
def test_each_caller_lists_what_they_may_see(
    opened: tuple[Assessment, str], accounts: dict[Role, User], client_as: Any
) -> None:
    mine, _key = opened
    respondent = Respondent.objects.get(assessment=mine)
    services.answers_save(respondent=respondent, answers=[AnswerInput("C1.1", "3")])
    owner = accounts[Role.CONTRIBUTOR]
    services.assessment_transition(actor=owner, assessment=mine, to="closed")
    services.assessment_transition(actor=owner, assessment=mine, to="published")
    other = User.objects.get(username="contributor2")
    theirs = services.assessment_create(actor=other, iso3="COL", title="Colombia 2026")

    assert _ids(Client().get(f"{BASE}/assessments")) == [mine.pk]
    assert _ids(client_as(Role.CONTRIBUTOR).get(f"{BASE}/assessments")) == [mine.pk]
    assert _ids(client_as(Role.EDITOR).get(f"{BASE}/assessments")) == [theirs.pk, mine.pk]
    assert _ids(client_as(Role.EDITOR).get(f"{BASE}/assessments?state=draft")) == [theirs.pk]
    assert _ids(client_as(Role.EDITOR).get(f"{BASE}/assessments?country=kaz")) == [mine.pk]
    anonymous = Client().get(f"{BASE}/assessments/{mine.pk}").json()
    assert (anonymous["state"], anonymous["can_manage"], anonymous["transitions"]) == (
        "published",
        False,
        [],
    )
    assert (anonymous["focal_point"], anonymous["notes"], anonymous["respondents"]) == (
        None,
        None,
        None,
    )
    managed = client_as(Role.CONTRIBUTOR).get(f"{BASE}/assessments/{mine.pk}").json()
    assert (managed["focal_point"], managed["notes"], managed["respondents"]) == (
        "contributor",
        "pilot",
        1,
    )
    assert managed["transitions"] == ["closed"]
    (issue,) = error_issues(
        Client().get(f"{BASE}/assessments/{theirs.pk}"), 404, "unknown-assessment"
    )
    assert (issue["field"], issue["value"]) == ("id", str(theirs.pk))


# --- assessments: writes -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_assessment_reports_every_problem_at_once(countries: None, client_as: Any) -> None:
    body = {"country": "ATL", "title": " ", "target": 120, "framework": "meter-eo-9.9"}

    response = client_as(Role.CONTRIBUTOR).post(f"{BASE}/assessments", body, content_type=JSON)

    errors = error_issues(response, 422, "invalid-assessment")
    assert sorted(where(errors)) == [
        (None, "country", "unknown-country"),
        (None, "framework", "unknown-framework"),
        (None, "target", "out-of-range"),
        (None, "title", "required"),
    ]
    assert {issue["file"] for issue in errors} == {"assessment"}
    assert not Assessment.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="meter.").exists()


@pytest.mark.django_db
def test_a_body_of_the_wrong_shape_is_invalid_parameters(countries: None, client_as: Any) -> None:
    response = client_as(Role.CONTRIBUTOR).post(
        f"{BASE}/assessments", {"title": "No country", "target": "high"}, content_type=JSON
    )

    errors = error_issues(response, 422, "invalid-parameters")
    assert {(issue["field"], issue["code"]) for issue in errors} == {
        ("country", "missing"),
        ("target", "float-parsing"),
    }


@pytest.mark.django_db
def test_a_token_opens_an_assessment_for_its_account(
    countries: None, accounts: dict[Role, User]
) -> None:
    _token, key = token_create(user=accounts[Role.CONTRIBUTOR], name="script")

    response = Client(enforce_csrf_checks=True).post(
        f"{BASE}/assessments",
        {"country": "kaz", "title": "Kazakhstan 2026", "target": 60},
        content_type=JSON,
        **bearer(key),
    )

    assert response.status_code == 201, response.content
    made = Assessment.objects.get(pk=response.json()["id"])
    assert (made.focal_point, made.country.iso3, made.target, made.state) == (
        accounts[Role.CONTRIBUTOR],
        "KAZ",
        60,
        "draft",
    )
    assert response.json()["transitions"] == ["open"]
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_patch_changes_only_what_is_sent(draft: Assessment, client_as: Any) -> None:
    owner = client_as(Role.CONTRIBUTOR)
    url = f"{BASE}/assessments/{draft.pk}"
    owner.patch(url, {"target": 60}, content_type=JSON)

    response = owner.patch(
        url, {"title": "Kazakhstan, first round", "notes": None}, content_type=JSON
    )

    assert response.status_code == 200, response.content
    stored = Assessment.objects.get(pk=draft.pk)
    assert (stored.title, stored.target, stored.notes) == ("Kazakhstan, first round", 60, "pilot")
    assert owner.patch(url, {"target": None}, content_type=JSON).json()["target"] is None
    entry = AuditEntry.objects.filter(action="meter.assessment.update").first()
    assert entry is not None
    assert (entry.before["target"], entry.after["target"]) == (60, None)


@pytest.mark.django_db
def test_a_published_assessment_keeps_its_scoring_settings(
    opened: tuple[Assessment, str], accounts: dict[Role, User], client_as: Any
) -> None:
    assessment, _key = opened
    owner = accounts[Role.CONTRIBUTOR]
    respondent = Respondent.objects.get(assessment=assessment)
    services.answers_save(respondent=respondent, answers=[AnswerInput("C1.1", "3")])
    services.assessment_transition(actor=owner, assessment=assessment, to="closed")
    services.assessment_transition(actor=owner, assessment=assessment, to="published")
    audit = AuditEntry.objects.count()

    response = client_as(Role.CONTRIBUTOR).patch(
        f"{BASE}/assessments/{assessment.pk}",
        {"target": 50, "include_experimental": True, "listed": True},
        content_type=JSON,
    )

    errors = error_issues(response, 422, "invalid-assessment")
    assert sorted(where(errors)) == [
        (None, "include_experimental", "published"),
        (None, "target", "published"),
    ]
    stored = Assessment.objects.get(pk=assessment.pk)
    assert (stored.target, stored.include_experimental, stored.listed) == (None, False, False)
    assert AuditEntry.objects.count() == audit


@pytest.mark.django_db
def test_refused_moves_are_409_with_the_reason(draft: Assessment, client_as: Any) -> None:
    owner = client_as(Role.CONTRIBUTOR)
    url = f"{BASE}/assessments/{draft.pk}/transition"

    (issue,) = error_issues(
        owner.post(url, {"to": "open"}, content_type=JSON), 409, "no-respondents"
    )
    assert issue["file"] == "assessment"
    (issue,) = error_issues(
        owner.post(url, {"to": "published"}, content_type=JSON), 409, "bad-transition"
    )
    assert (issue["field"], issue["value"]) == ("state", "published")
    (issue,) = error_issues(
        owner.post(url, {"to": "archived"}, content_type=JSON), 422, "invalid-parameters"
    )
    assert (issue["field"], issue["code"]) == ("to", "literal-error")
    assert Assessment.objects.get(pk=draft.pk).state == "draft"


@pytest.mark.django_db
def test_publishing_without_an_answer_is_409(
    opened: tuple[Assessment, str], client_as: Any
) -> None:
    assessment, _key = opened
    url = f"{BASE}/assessments/{assessment.pk}/transition"
    owner = client_as(Role.CONTRIBUTOR)
    assert owner.post(url, {"to": "closed"}, content_type=JSON).status_code == 200

    (issue,) = error_issues(
        owner.post(url, {"to": "published"}, content_type=JSON), 409, "no-answers"
    )

    assert issue["file"] == "assessment"
    assert Assessment.objects.get(pk=assessment.pk).state == "closed"
