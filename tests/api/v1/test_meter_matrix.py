"""Who may do what through the METER API: every endpoint × every caller × every state of the
assessment, each cell asserted.

Columns: ``anonymous``; ``reader``, signed in with no role; ``owner``, the contributor who is
the assessment's focal point; ``other``, another contributor; ``editor``; ``admin``. An
assessment the caller may not see (a draft, open or closed one not theirs) is 404, as if it did
not exist; one they see but do not manage (published) is 403. A refused cell changes nothing
(the assessment, its respondents, their answers and the audit trail are as before); an allowed
write changes what it says and the audit trail records it under the caller's name.

Respondents: their key (valid, missing, wrong, replaced by a new one) × the state, for each
answering endpoint; an allowed write is one revision and one audit entry with before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import Settings
from tests.api.v1.matrix import ClientFor, cells, signed_in

from egov.web.accounts.models import AuditEntry
from egov.web.accounts.roles import Role
from egov.web.accounts.services import user_create
from egov.web.meter import services
from egov.web.meter.models import Answer, Assessment, Respondent
from egov.web.meter.services import AnswerInput

ACTORS: Final = ("anonymous", "reader", "owner", "other", "editor", "admin")
STATES: Final = ("draft", "open", "closed", "published")
BASE: Final = "/api/v1/meter"
JSON: Final = "application/json"

Row = tuple[int, int, int, int, int, int]
UNSEEN: Final[Row] = (401, 404, 200, 404, 200, 200)
SEEN: Final[Row] = (401, 403, 200, 403, 200, 200)

#: endpoint → state → status for (anonymous, reader, owner, other, editor, admin).
WRITE_MATRIX: Final[dict[str, dict[str, Row]]] = {
    "update": {"draft": UNSEEN, "open": UNSEEN, "closed": UNSEEN, "published": SEEN},
    "transition": {"draft": UNSEEN, "open": UNSEEN, "closed": UNSEEN, "published": SEEN},
    "invite": {
        "draft": (401, 404, 201, 404, 201, 201),
        "open": (401, 404, 201, 404, 201, 201),
        "closed": (401, 404, 409, 404, 409, 409),
        "published": (401, 403, 409, 403, 409, 409),
    },
}
#: The managers' reads: credentials needed, like writes.
MANAGE_MATRIX: Final[dict[str, dict[str, Row]]] = {
    endpoint: {"draft": UNSEEN, "open": UNSEEN, "closed": UNSEEN, "published": SEEN}
    for endpoint in ("respondents", "progress", "answers")
}
#: Reads open to anyone once published.
READ_MATRIX: Final[dict[str, dict[str, Row]]] = {
    endpoint: {
        "draft": (404, 404, 200, 404, 200, 200),
        "open": (404, 404, 200, 404, 200, 200),
        "closed": (404, 404, 200, 404, 200, 200),
        "published": (200, 200, 200, 200, 200, 200),
    }
    for endpoint in ("detail", "scores")
}
CREATE_ROW: Final[Row] = (401, 403, 201, 201, 201, 201)

#: The move each state makes in the ``transition`` column, and its audit action.
MOVES: Final = {"draft": "open", "open": "closed", "closed": "published", "published": "closed"}
AUDIT_ACTION: Final = {"update": "meter.assessment.update", "invite": "meter.respondent.invite"}

KEYS: Final = ("valid", "missing", "wrong", "replaced")
#: answering endpoint → state → status for (valid, missing, wrong, replaced) keys.
RESPOND_MATRIX: Final[dict[str, dict[str, tuple[int, int, int, int]]]] = {
    "read": dict.fromkeys(STATES, (200, 401, 401, 401)),
    "answer": {
        "draft": (409, 401, 401, 401),
        "open": (200, 401, 401, 401),
        "closed": (409, 401, 401, 401),
        "published": (409, 401, 401, 401),
    },
    "batch": {
        "draft": (409, 401, 401, 401),
        "open": (200, 401, 401, 401),
        "closed": (409, 401, 401, 401),
        "published": (409, 401, 401, 401),
    },
    "clear": {
        "draft": (409, 401, 401, 401),
        "open": (204, 401, 401, 401),
        "closed": (409, 401, 401, 401),
        "published": (409, 401, 401, 401),
    },
}


WRITE_CELLS: Final = cells(WRITE_MATRIX, ACTORS)
READ_CELLS: Final = cells(MANAGE_MATRIX, ACTORS) + cells(READ_MATRIX, ACTORS)
RESPOND_CELLS: Final = cells(RESPOND_MATRIX, KEYS)


def test_the_matrix_has_every_cell() -> None:
    for matrix in (WRITE_MATRIX, MANAGE_MATRIX, READ_MATRIX):
        assert all(tuple(states) == STATES for states in matrix.values())
    assert len(WRITE_CELLS) == 3 * len(STATES) * len(ACTORS)
    assert len(READ_CELLS) == 5 * len(STATES) * len(ACTORS)
    assert len(RESPOND_CELLS) == 4 * len(STATES) * len(KEYS)


@pytest.fixture(autouse=True)
def fast_passwords(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clients(accounts: dict[Role, User]) -> ClientFor:
    """A client signed in (browser session) as one column of the matrix, and its account."""
    reader = user_create(username="reader", password="a-Long-pass-phrase-42", role=Role.READER)
    return signed_in(
        {
            "reader": reader,
            "owner": accounts[Role.CONTRIBUTOR],
            "other": User.objects.get(username="contributor2"),
            "editor": accounts[Role.EDITOR],
            "admin": accounts[Role.ADMINISTRATOR],
        }
    )


@dataclass(frozen=True)
class Setup:
    assessment: Assessment
    respondent: Respondent
    key: str
    replaced: str


def _assessment_in(state: str, accounts: dict[Role, User]) -> Setup:
    """The owner's assessment of Kazakhstan in ``state``, with one government respondent who
    answered C1.1 while it was open (except in a draft); ``replaced`` is their first key."""
    owner = accounts[Role.CONTRIBUTOR]
    assessment = services.assessment_create(actor=owner, iso3="KAZ", title="Kazakhstan 2026")
    invitation = services.respondent_invite(
        actor=owner, assessment=assessment, name="Aigerim", group="government"
    )
    if state != "draft":
        services.assessment_transition(actor=owner, assessment=assessment, to="open")
        services.answers_save(respondent=invitation.respondent, answers=[AnswerInput("C1.1", "2")])
    if state in ("closed", "published"):
        services.assessment_transition(actor=owner, assessment=assessment, to="closed")
    if state == "published":
        services.assessment_transition(actor=owner, assessment=assessment, to="published")
    key = services.respondent_rekey(actor=owner, respondent=invitation.respondent).key
    assessment.refresh_from_db()
    assert assessment.state == state
    return Setup(assessment, invitation.respondent, key, invitation.key)


@dataclass(frozen=True)
class Stored:
    """Everything a refused request must leave as it was."""

    assessment: tuple[Any, ...]
    respondents: list[tuple[Any, ...]]
    answers: list[tuple[Any, ...]]
    audit: int

    @classmethod
    def of(cls, assessment: Assessment) -> Stored:
        found = Assessment.objects.get(pk=assessment.pk)
        return cls(
            assessment=(found.title, found.state, found.target, found.listed, found.updated_at),
            respondents=list(
                Respondent.objects.order_by("id").values_list("id", "name", "key_digest")
            ),
            answers=list(
                Answer.objects.order_by("id").values_list("statement", "value", "revision")
            ),
            audit=AuditEntry.objects.count(),
        )


def _refused(response: Any, expected: int, before: Stored, assessment: Assessment) -> None:
    body = response.json()
    assert set(body) == {"ok", "code", "errors"}
    assert body["ok"] is False
    assert (
        body["code"]
        == {
            401: "unauthorised",
            403: "forbidden",
            404: "unknown-assessment",
            409: "closed",
        }[expected]
    )
    assert body["errors"]
    assert Stored.of(assessment) == before


def _write(client: Client, endpoint: str, setup: Setup) -> Any:
    url = f"{BASE}/assessments/{setup.assessment.pk}"
    if endpoint == "update":
        return client.patch(url, {"title": "Kazakhstan, first round"}, content_type=JSON)
    if endpoint == "transition":
        body = {"to": MOVES[setup.assessment.state]}
        return client.post(f"{url}/transition", body, content_type=JSON)
    if endpoint == "invite":
        body = {"name": "Dana", "group": "business", "sub_group": "smes"}
        return client.post(f"{url}/respondents", body, content_type=JSON)
    raise AssertionError(endpoint)


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "state", "actor", "expected"), WRITE_CELLS)
def test_assessment_write(
    countries: None,
    accounts: dict[Role, User],
    clients: ClientFor,
    endpoint: str,
    state: str,
    actor: str,
    expected: int,
) -> None:
    setup = _assessment_in(state, accounts)
    before = Stored.of(setup.assessment)
    client, user = clients(actor)

    response = _write(client, endpoint, setup)

    assert response.status_code == expected, response.content
    if expected >= 400:
        _refused(response, expected, before, setup.assessment)
        return
    assert user is not None
    after = Stored.of(setup.assessment)
    assert after.audit == before.audit + 1
    entry = AuditEntry.objects.first()
    assert entry is not None
    stored = Assessment.objects.get(pk=setup.assessment.pk)
    if endpoint == "invite":
        made = Respondent.objects.get(pk=response.json()["id"])
        assert (made.name, made.group, made.assessment_id) == ("Dana", "business", stored.pk)
        assert made.key_digest == services.key_digest(response.json()["key"])
        target = str(made.pk)
    elif endpoint == "update":
        assert stored.title == "Kazakhstan, first round"
        assert response.json()["title"] == stored.title
        target = str(stored.pk)
    else:
        assert stored.state == MOVES[state]
        assert response.json()["state"] == MOVES[state]
        target = str(stored.pk)
    action = AUDIT_ACTION.get(endpoint, f"meter.assessment.{MOVES[state]}")
    assert (entry.action, entry.actor_name, entry.target_id) == (action, user.username, target)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_assessment_create(
    countries: None,
    clients: ClientFor,
    actor: str,
) -> None:
    expected = CREATE_ROW[ACTORS.index(actor)]
    client, user = clients(actor)
    audit = AuditEntry.objects.count()

    response = client.post(
        f"{BASE}/assessments", {"country": "COL", "title": "Colombia 2026"}, content_type=JSON
    )

    assert response.status_code == expected, response.content
    if expected >= 400:
        body = response.json()
        assert (body["ok"], body["code"]) == (
            False,
            {401: "unauthorised", 403: "forbidden"}[expected],
        )
        assert not Assessment.objects.exists()
        assert AuditEntry.objects.count() == audit
        return
    assert user is not None
    made = Assessment.objects.get(pk=response.json()["id"])
    assert (made.focal_point, made.state, made.country.iso3) == (user, "draft", "COL")
    entry = AuditEntry.objects.first()
    assert entry is not None
    assert (entry.action, entry.actor_name, entry.target_id) == (
        "meter.assessment.create",
        user.username,
        str(made.pk),
    )
    assert AuditEntry.objects.count() == audit + 1


def _read(client: Client, endpoint: str, setup: Setup) -> Any:
    url = f"{BASE}/assessments/{setup.assessment.pk}"
    return client.get(url if endpoint == "detail" else f"{url}/{endpoint}")


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "state", "actor", "expected"), READ_CELLS)
def test_assessment_read(
    countries: None,
    accounts: dict[Role, User],
    clients: ClientFor,
    endpoint: str,
    state: str,
    actor: str,
    expected: int,
) -> None:
    setup = _assessment_in(state, accounts)
    before = Stored.of(setup.assessment)
    client, _user = clients(actor)

    response = _read(client, endpoint, setup)

    assert response.status_code == expected, response.content
    if expected >= 400:
        _refused(response, expected, before, setup.assessment)
        return
    assert Stored.of(setup.assessment) == before
    body = response.json()
    answered = 0 if state == "draft" else 1
    if endpoint == "detail":
        assert (body["id"], body["state"]) == (setup.assessment.pk, state)
    elif endpoint == "respondents":
        assert [r["name"] for r in body] == ["Aigerim"]
    elif endpoint == "progress":
        assert body["answers"] == answered
    elif endpoint == "answers":
        assert [(r["name"], r["statement"], r["value"]) for r in body] == [
            ("Aigerim", "C1.1", "2")
        ][:answered]
    else:
        assert body["assessment"] == setup.assessment.pk
        assert body["answers"] == answered


def _respond(endpoint: str, setup: Setup, key: str) -> Any:
    sent = {"valid": setup.key, "wrong": "w" * 32, "replaced": setup.replaced}.get(key)
    headers = {} if sent is None else {"HTTP_X_RESPONDENT_KEY": sent}
    client = Client(enforce_csrf_checks=True)  # the key is the credential: no CSRF token
    if endpoint == "read":
        return client.get(f"{BASE}/respond", **headers)
    if endpoint == "answer":
        body = {"value": "3", "comment": "Funded since 2025"}
        return client.put(f"{BASE}/respond/answers/C1.1", body, content_type=JSON, **headers)
    if endpoint == "batch":
        body = {"answers": [{"statement": "C1.1", "value": 3}, {"statement": "C1.2", "value": 1}]}
        return client.put(f"{BASE}/respond/answers", body, content_type=JSON, **headers)
    if endpoint == "clear":
        return client.delete(f"{BASE}/respond/answers/C1.1", **headers)
    raise AssertionError(endpoint)


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "state", "key", "expected"), RESPOND_CELLS)
def test_respondent(
    countries: None,
    accounts: dict[Role, User],
    endpoint: str,
    state: str,
    key: str,
    expected: int,
) -> None:
    setup = _assessment_in(state, accounts)
    before = Stored.of(setup.assessment)

    response = _respond(endpoint, setup, key)

    assert response.status_code == expected, response.content
    if expected >= 400:
        body = response.json()
        assert (body["ok"], body["code"]) == (
            False,
            {401: "unauthorised", 409: "not-open"}[expected],
        )
        field = {401: "X-Respondent-Key", 409: None}[expected]
        assert [issue["field"] for issue in body["errors"]] == [field]
        assert Stored.of(setup.assessment) == before
        return
    if endpoint == "read":
        assert Stored.of(setup.assessment) == before
        assert response.json()["respondent"]["name"] == "Aigerim"
        return
    after = Stored.of(setup.assessment)
    entries = list(AuditEntry.objects.order_by("id"))[before.audit :]
    stored = {a.statement: a for a in Answer.objects.filter(respondent=setup.respondent)}
    if endpoint == "clear":
        assert "C1.1" not in stored
        ((action, before_value, after_value),) = [
            (e.action, (e.before or {}).get("value"), e.after) for e in entries
        ]
        assert (action, before_value, after_value) == ("meter.answer.clear", "2", None)
        return
    assert (stored["C1.1"].value, stored["C1.1"].revision) == ("3", 2)
    changes = [
        (e.action, e.target_id, (e.before or {}).get("revision"), (e.after or {}).get("revision"))
        for e in entries
    ]
    expected_changes = [("meter.answer.save", str(stored["C1.1"].pk), 1, 2)]
    if endpoint == "batch":
        assert (stored["C1.2"].value, stored["C1.2"].revision) == ("1", 1)
        expected_changes.append(("meter.answer.save", str(stored["C1.2"].pk), None, 1))
        assert [a["revision"] for a in response.json()["answers"]] == [2, 1]
    else:
        assert response.json()["revision"] == 2
    assert changes == expected_changes
    assert len(after.answers) == len(before.answers) + (endpoint == "batch")
