"""The METER API as one: browser-session writes need the CSRF token and respondents' do not,
the OpenAPI document, and docs/api.md's table of endpoints."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils.crypto import get_random_string
from tests.api.v1.meter.conftest import BASE, JSON, KEY, error_issues

from egov.config import PROJECT_ROOT
from egov.web.accounts.roles import Role
from egov.web.meter.models import Answer, Assessment

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

    (issue,) = error_issues(
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
