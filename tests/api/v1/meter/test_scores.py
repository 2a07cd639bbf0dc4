"""GET /api/v1/meter/assessments/{id}/scores: the report's figures on spec meter.md §3.3's
worked example, and who may read them when."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from tests.api.v1.meter.conftest import BASE, JSON, KEY, error_issues

from egov.web.accounts.roles import Role
from egov.web.meter import services
from egov.web.meter.models import Assessment


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
    error_issues(Client().get(url), 404, "unknown-assessment")
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
