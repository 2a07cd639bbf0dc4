"""GET /api/v1/meter/framework: pillars, statements, scale and rules; an unknown version."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.api.v1.meter.conftest import BASE, error_issues

from egov.frameworks import load_meter


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
    (issue,) = error_issues(
        client.get(f"{BASE}/framework?version=meter-eo-9.9"), 400, "unknown-framework"
    )

    assert (issue["field"], issue["value"]) == ("version", "meter-eo-9.9")
    assert "meter-eo-1.0" in issue["message"]
