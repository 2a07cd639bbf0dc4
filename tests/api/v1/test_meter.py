"""The METER API: the framework, what each caller sees, inputs refused precisely, the
respondent's key, answering through the service, CSRF, the OpenAPI document.

Who may do what is pinned cell by cell in ``test_meter_matrix.py``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils.crypto import get_random_string
from pytest_django import Settings

from egov.config import PROJECT_ROOT
from egov.frameworks import load_meter
from egov.web.accounts.models import AuditEntry
from egov.web.accounts.roles import Role
from egov.web.accounts.services import token_create
from egov.web.meter import services
from egov.web.meter.models import Answer, Assessment, Respondent
from egov.web.meter.services import AnswerInput

ISSUE_KEYS: Final = {"code", "message", "file", "row", "field", "value"}
BASE: Final = "/api/v1/meter"
KEY: Final = "HTTP_X_RESPONDENT_KEY"
JSON: Final = "application/json"


@pytest.fixture(autouse=True)
def fast_passwords(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _error(response: Any, status: int, code: str) -> list[dict[str, Any]]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"ok", "code", "errors"}
    assert (body["ok"], body["code"]) == (False, code)
    assert body["errors"]
    for issue in body["errors"]:
        assert set(issue) == ISSUE_KEYS
    errors: list[dict[str, Any]] = body["errors"]
    return errors


def _where(errors: list[dict[str, Any]]) -> list[tuple[int | None, str | None, str]]:
    return [(issue["row"], issue["field"], issue["code"]) for issue in errors]


def _bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def draft(countries: None, accounts: dict[Role, User]) -> Assessment:
    """A draft assessment of Kazakhstan by ``contributor``."""
    return services.assessment_create(
        actor=accounts[Role.CONTRIBUTOR], iso3="KAZ", title="Kazakhstan 2026", notes="pilot"
    )


@pytest.fixture
def opened(draft: Assessment, accounts: dict[Role, User]) -> tuple[Assessment, str]:
    """The draft, open, with one government respondent (Aigerim) and their key."""
    actor = accounts[Role.CONTRIBUTOR]
    invitation = services.respondent_invite(
        actor=actor, assessment=draft, name="Aigerim", group="government", organisation="MDDIAI"
    )
    services.assessment_transition(actor=actor, assessment=draft, to="open")
    draft.refresh_from_db()
    return draft, invitation.key


# --- the framework -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_framework_lists_pillars_statements_and_scale(client: Client) -> None:
    framework = load_meter()

    response = client.get(f"{BASE}/framework")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["sha256"], body["statements"]) == (framework.id, framework.sha256, 109)
    assert [p["id"] for p in body["pillars"]] == ["C", "L", "P", "O", "T", "M"]
    assert sum(len(s["statements"]) for p in body["pillars"] for s in p["subthemes"]) == 109
    c3 = body["pillars"][0]["subthemes"][2]
    assert (c3["id"], c3["statements"][1]["id"]) == ("C3", "C3.2")
    assert c3["statements"][1]["text"] == framework.statement("C3.2").text
    assert [(a["code"], a["points"]) for a in body["scale"]] == [
        ("0", 0.0), ("1", 25.0), ("2", 50.0), ("3", 75.0), ("4", 100.0), ("DK", None), ("NA", None),
    ]  # fmt: skip
    assert body["pillars"][-1]["experimental"] is True
    assert body["scoring"]["target"] == framework.scoring.target
    assert client.get(f"{BASE}/framework?version={framework.id}").json() == body


@pytest.mark.django_db
def test_an_unknown_framework_version_is_400_naming_it(client: Client) -> None:
    (issue,) = _error(
        client.get(f"{BASE}/framework?version=meter-eo-9.9"), 400, "unknown-framework"
    )

    assert (issue["field"], issue["value"]) == ("version", "meter-eo-9.9")
    assert "meter-eo-1.0" in issue["message"]


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
    (issue,) = _error(Client().get(f"{BASE}/assessments/{theirs.pk}"), 404, "unknown-assessment")
    assert (issue["field"], issue["value"]) == ("id", str(theirs.pk))


# --- assessments: writes -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_assessment_reports_every_problem_at_once(countries: None, client_as: Any) -> None:
    body = {"country": "ATL", "title": " ", "target": 120, "framework": "meter-eo-9.9"}

    response = client_as(Role.CONTRIBUTOR).post(f"{BASE}/assessments", body, content_type=JSON)

    errors = _error(response, 422, "invalid-assessment")
    assert sorted(_where(errors)) == [
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

    errors = _error(response, 422, "invalid-parameters")
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
        **_bearer(key),
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

    errors = _error(response, 422, "invalid-assessment")
    assert sorted(_where(errors)) == [
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

    (issue,) = _error(owner.post(url, {"to": "open"}, content_type=JSON), 409, "no-respondents")
    assert issue["file"] == "assessment"
    (issue,) = _error(
        owner.post(url, {"to": "published"}, content_type=JSON), 409, "bad-transition"
    )
    assert (issue["field"], issue["value"]) == ("state", "published")
    (issue,) = _error(
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

    (issue,) = _error(owner.post(url, {"to": "published"}, content_type=JSON), 409, "no-answers")

    assert issue["file"] == "assessment"
    assert Assessment.objects.get(pk=assessment.pk).state == "closed"


# --- respondents, progress, answers --------------------------------------------------------


@pytest.mark.django_db
def test_an_invitation_returns_the_key_once(draft: Assessment, client_as: Any) -> None:
    owner = client_as(Role.CONTRIBUTOR)
    url = f"{BASE}/assessments/{draft.pk}/respondents"
    body = {"name": "Dana", "group": "business", "sub_group": "smes", "email": "dana@example.org"}

    response = owner.post(url, body, content_type=JSON)

    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["name"], made["group"], made["sub_group"]) == ("Dana", "business", "smes")
    assert made["key"].startswith(made["key_prefix"])
    assert made["link"] == f"http://testserver/meter/respond/{made['key']}/"
    assert Client().get(made["link"]).status_code == 200  # their page opens with it
    respondent = Respondent.objects.get(pk=made["id"])
    assert respondent.key_digest == services.key_digest(made["key"])
    listed = owner.get(url).json()
    assert [r["id"] for r in listed] == [respondent.pk]
    assert "key" not in listed[0]
    assert made["key"] not in owner.get(url).content.decode()
    mine = Client().get(f"{BASE}/respond", **{KEY: made["key"]})
    assert mine.json()["respondent"]["name"] == "Dana"


@pytest.mark.django_db
def test_an_invitation_names_every_bad_field(draft: Assessment, client_as: Any) -> None:
    body = {"name": "", "group": "press", "email": "not-mail"}

    response = client_as(Role.CONTRIBUTOR).post(
        f"{BASE}/assessments/{draft.pk}/respondents", body, content_type=JSON
    )

    assert sorted(_where(_error(response, 422, "invalid-respondent"))) == [
        (None, "email", "bad-email"),
        (None, "group", "unknown-group"),
        (None, "name", "required"),
    ]
    assert not Respondent.objects.exists()


@pytest.mark.django_db
def test_progress_and_answers_show_who_answered_what(
    opened: tuple[Assessment, str], accounts: dict[Role, User], client_as: Any
) -> None:
    assessment, key = opened
    dana = services.respondent_invite(
        actor=accounts[Role.CONTRIBUTOR], assessment=assessment, name="Dana", group="business"
    )
    Client().put(
        f"{BASE}/respond/answers",
        {"answers": [{"statement": "C2.1", "value": 2}, {"statement": "C1.1", "value": "DK"}]},
        content_type=JSON,
        **{KEY: key},
    )
    Client().put(
        f"{BASE}/respond/answers/C2.2", {"value": "4"}, content_type=JSON, **{KEY: dana.key}
    )
    editor = client_as(Role.EDITOR)

    progress = editor.get(f"{BASE}/assessments/{assessment.pk}/progress").json()
    rows = editor.get(f"{BASE}/assessments/{assessment.pk}/answers").json()

    assert (progress["answers"], progress["by_value"]) == (3, {"2": 1, "DK": 1, "4": 1})
    assert [g["group"] for g in progress["groups"]] == ["government", "business"]
    government = progress["groups"][0]
    assert (government["answered"], government["expected"]) == (2, 109)
    commitment = government["pillars"][0]
    assert (commitment["pillar"], commitment["answered"], commitment["expected"]) == ("C", 2, 34)
    business = progress["groups"][1]
    observable = len([s for s in load_meter().statements() if s.perspective == "observable"])
    assert (business["answered"], business["expected"]) == (1, observable)
    assert {(r["name"], r["answered"]) for r in progress["respondents"]} == {
        ("Aigerim", 2),
        ("Dana", 1),
    }
    assert [(r["name"], r["group"], r["statement"], r["value"]) for r in rows] == [
        ("Dana", "business", "C2.2", "4"),
        ("Aigerim", "government", "C1.1", "DK"),
        ("Aigerim", "government", "C2.1", "2"),
    ]
    assert rows[1]["organisation"] == "MDDIAI"


# --- answering with the respondent's key ---------------------------------------------------


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

    errors = _error(_put(key, "C1.1", value="NA", evidence_url="ftp://x"), 422, "invalid-answer")

    assert sorted(_where(errors)) == [
        (None, "comment", "comment-required"),
        (None, "evidence_url", "bad-url"),
    ]
    (issue,) = _error(_put(key, "C1.1", value=""), 422, "invalid-answer")
    assert (issue["field"], issue["code"]) == ("value", "required")
    (issue,) = _error(_put(key, "Z9.9", value="1"), 404, "unknown-statement")
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

    assert _where(_error(response, 422, "invalid-answer")) == [
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

    errors = _error(response, 422, "invalid-parameters")
    assert sorted(_where(errors)) == [(2, "lesson", "bool-parsing"), (2, "statement", "missing")]
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
        (issue,) = _error(response, 401, "unauthorised")
        assert (issue["field"], issue["message"]) == ("X-Respondent-Key", message)
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_a_replaced_key_stops_working(
    opened: tuple[Assessment, str], accounts: dict[Role, User]
) -> None:
    assessment, old = opened
    respondent = Respondent.objects.get(assessment=assessment)
    new = services.respondent_rekey(actor=accounts[Role.CONTRIBUTOR], respondent=respondent).key

    _error(_put(old, "C1.1", value=1), 401, "unauthorised")
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

    (issue,) = _error(_put(key, "C1.1", value=3), 409, "not-open")
    assert issue["message"] == "the assessment is closed: not open"
    _error(Client().delete(f"{BASE}/respond/answers/C1.1", **{KEY: key}), 409, "not-open")
    assert Answer.objects.get().value == "1"
    assert AuditEntry.objects.count() == audit
    mine = Client().get(f"{BASE}/respond", **{KEY: key}).json()
    assert (mine["assessment"]["state"], mine["assessment"]["open"]) == ("closed", False)
    assert [a["value"] for a in mine["answers"]] == ["1"]


# --- CSRF ----------------------------------------------------------------------------------


def _with_csrf(client: Client) -> dict[str, str]:
    secret = get_random_string(32)
    client.cookies["csrftoken"] = secret
    return {"HTTP_X_CSRFTOKEN": secret}


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token_and_respondent_writes_do_not(
    opened: tuple[Assessment, str], accounts: dict[Role, User]
) -> None:
    assessment, key = opened
    client = Client(enforce_csrf_checks=True)
    client.force_login(accounts[Role.CONTRIBUTOR])
    url = f"{BASE}/assessments/{assessment.pk}"

    (issue,) = _error(
        client.patch(url, {"title": "Changed"}, content_type=JSON), 403, "csrf-failed"
    )
    assert issue["field"] == "X-CSRFToken"
    assert Assessment.objects.get(pk=assessment.pk).title == "Kazakhstan 2026"
    assert client.get(f"{url}/progress").status_code == 200
    response = client.patch(url, {"title": "Changed"}, content_type=JSON, **_with_csrf(client))
    assert response.status_code == 200, response.content

    # A respondent's write carries their key and no token, even beside a signed-in session.
    answered = client.put(
        f"{BASE}/respond/answers/C1.1", {"value": 2}, content_type=JSON, **{KEY: key}
    )
    assert answered.status_code == 200, answered.content
    assert Answer.objects.get().value == "2"


# --- the OpenAPI document ------------------------------------------------------------------


@pytest.mark.django_db
def test_openapi_documents_each_meter_endpoint_and_the_respondent_key(client: Client) -> None:
    # Which paths and methods there are, and that the document validates: test_init.py.
    document = client.get("/api/v1/openapi.json").json()

    paths = {path: ops for path, ops in document["paths"].items() if "/meter/" in path}
    assert len(paths) == 11
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert operation["summary"], (method, path)
            assert operation["tags"] == ["METER"], (method, path)
            assert "422" in operation["responses"], (method, path)
    schemes = document["components"]["securitySchemes"]
    assert schemes["RespondentKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Respondent-Key",
    }
    assert paths["/api/v1/meter/respond"]["get"]["security"] == [{"RespondentKey": []}]
    create = paths["/api/v1/meter/assessments"]["post"]["security"]
    assert create == [{"ApiKey": []}, {"BrowserSession": []}]
    assert "METER" in document["info"]["description"]


def test_docs_api_lists_every_meter_endpoint_and_no_other(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    served = {
        (method.upper(), path)
        for path, operations in paths.items()
        if "/meter/" in path
        for method in operations
    }
    page = (PROJECT_ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    table = re.findall(r"^\| `(GET|POST|PUT|PATCH|DELETE) (/api/v1/meter/[^`?]*)", page, re.M)

    assert sorted(table) == sorted(served)


# --- scores --------------------------------------------------------------------------------


@pytest.fixture
def worked_example(
    imported: list[Path], accounts: dict[Role, User]
) -> tuple[Assessment, dict[str, str]]:
    """Spec meter.md §3.3's worked example on sub-theme C3: government G1 (3, 2) and G2 (4, 2),
    business B1 (1, DK), civil society S1 (2, 1); every key by name. The assessment is open."""
    owner = accounts[Role.CONTRIBUTOR]
    assessment = services.assessment_create(actor=owner, iso3="KAZ", title="Kazakhstan 2026")
    people = {"G1": "government", "G2": "government", "B1": "business", "S1": "civil_society"}
    keys = {
        name: services.respondent_invite(
            actor=owner, assessment=assessment, name=name, group=group
        ).key
        for name, group in people.items()
    }
    services.assessment_transition(actor=owner, assessment=assessment, to="open")
    given = {"G1": ("3", "2"), "G2": ("4", "2"), "B1": ("1", "DK"), "S1": ("2", "1")}
    for name, (first, second) in given.items():
        body = {
            "answers": [
                {"statement": "C3.1", "value": first},
                {"statement": "C3.2", "value": second},
            ]
        }
        response = Client().put(
            f"{BASE}/respond/answers", body, content_type=JSON, **{KEY: keys[name]}
        )
        assert response.status_code == 200, response.content
    return assessment, keys


@pytest.mark.django_db
def test_scores_are_the_reports_and_follow_the_worked_example(
    worked_example: tuple[Assessment, dict[str, str]], client_as: Any
) -> None:
    from egov.web.meter.report import assessment_report

    assessment, _keys = worked_example
    url = f"{BASE}/assessments/{assessment.pk}/scores"

    body = client_as(Role.CONTRIBUTOR).get(url).json()

    # Eight answers, seven on the scale: B1's Don't know is not counted.
    assert (body["assessment"], body["state"], body["answers"]) == (assessment.pk, "open", 7)
    assert body["scopes"] == ["government", "business", "civil_society", "combined"]
    assert body["respondents"] == {"government": 2, "business": 1, "civil_society": 1}
    c3 = next(row for row in body["subthemes"] if row["id"] == "C3")
    assert {s["scope"]: (s["score"], s["coverage"]) for s in c3["scores"]} == {
        "government": (68.75, 1.0),
        "business": (25.0, 0.5),
        "civil_society": (37.5, 1.0),
        "combined": (43.75, 1.0),
    }
    assert next(s for s in c3["scores"] if s["scope"] == "combined")["level"] == "Developing"
    (divergence,) = [row for row in body["divergence"] if row["subtheme"] == "C3"]
    assert (divergence["divergence"], divergence["divergent"]) == (43.75, True)
    assert (divergence["highest_group"], divergence["lowest_group"]) == ("government", "business")
    report = assessment_report(assessment)
    assert [g["subtheme"] for g in body["gaps"]] == [row.subtheme for row in report.gaps]
    assert [g["priority"] for g in body["gaps"]] == [row.priority for row in report.gaps]
    assert len(body["way_forward"]) == len(report.way_forward)
    assert body["way_forward"][0]["action"] == report.way_forward[0].action
    pillars = {p["id"]: p for p in body["pillars"]}
    assert [s["score"] for s in pillars["C"]["scores"]] == [
        report.pillars[0].scores[scope].score for scope in report.scopes
    ]
    assert body["corroboration"]["year"] == 2024
    commitment = body["corroboration"]["pillars"][0]
    assert commitment["pillar"] == "C"
    assert [i["code"] for i in commitment["indicators"]] == ["osi", "hci"]
    assert commitment["objective_score"] == report.corroboration[0].objective_score
    assert body["distribution"] == {"others": 0, "minimum": report.minimum_peers, "rows": []}
    assert "C3" not in body["insufficient"]


@pytest.mark.django_db
def test_published_scores_are_anyones_and_kept_a_minute(
    worked_example: tuple[Assessment, dict[str, str]], accounts: dict[Role, User]
) -> None:
    assessment, _keys = worked_example
    url = f"{BASE}/assessments/{assessment.pk}/scores"
    _error(Client().get(url), 404, "unknown-assessment")
    owner = accounts[Role.CONTRIBUTOR]
    services.assessment_transition(actor=owner, assessment=assessment, to="closed")
    services.assessment_transition(actor=owner, assessment=assessment, to="published")

    response = Client().get(url)

    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "public, max-age=60"
    body = response.json()
    stored = Assessment.objects.get(pk=assessment.pk).published_scores
    assert stored is not None
    combined = {
        p["id"]: next(s["score"] for s in p["scores"] if s["scope"] == "combined")
        for p in body["pillars"]
    }
    assert combined == stored["pillars"] == {
        "C": 43.75, "L": None, "P": None, "O": None, "T": None, "M": None,
    }  # fmt: skip
    # One pillar of five scored: no overall score, for any scope.
    assert {s["scope"]: s["score"] for s in body["overall"]}["combined"] is None
    assert stored["overall"] is None
