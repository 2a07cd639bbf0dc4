"""What the METER API tests share: the paths and headers, how an error answer is checked,
an assessment of Kazakhstan as a draft and open with one respondent.

Who may do what is pinned cell by cell in ``tests/api/v1/test_meter_matrix.py``."""

from __future__ import annotations

from typing import Any, Final

import pytest
from django.contrib.auth.models import User
from pytest_django import Settings

from egov.web.accounts.roles import Role
from egov.web.meter import services
from egov.web.meter.models import Assessment

ISSUE_KEYS: Final = {"code", "message", "file", "row", "field", "value"}
BASE: Final = "/api/v1/meter"
#: The respondent's key header, as the Django test client takes it.
KEY: Final = "HTTP_X_RESPONDENT_KEY"
JSON: Final = "application/json"


@pytest.fixture(autouse=True)
def fast_passwords(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def error_issues(response: Any, status: int, code: str) -> list[dict[str, Any]]:
    """The issues of an error answer in the API's one shape, with ``status`` and ``code``."""
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


def where(errors: list[dict[str, Any]]) -> list[tuple[int | None, str | None, str]]:
    return [(issue["row"], issue["field"], issue["code"]) for issue in errors]


def bearer(key: str) -> dict[str, str]:
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
