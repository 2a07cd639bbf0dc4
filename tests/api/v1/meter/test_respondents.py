"""An assessment's respondents over HTTP: the invitation and its key, bad fields, progress and
every answer with who gave it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from tests.api.v1.meter.conftest import BASE, JSON, KEY, error_issues, where

from egov.frameworks import load_meter
from egov.web.accounts.roles import Role
from egov.web.meter import services
from egov.web.meter.models import Assessment, Respondent


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

    assert sorted(where(error_issues(response, 422, "invalid-respondent"))) == [
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
