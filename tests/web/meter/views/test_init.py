"""What every METER page does: user text escaped, and an answer in each of the six languages."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.web.meter.conftest import invite
from tests.web.meter.views.conftest import Accounts, ClientAs, html_of

from egov.web.accounts.roles import Role
from egov.web.meter import services
from egov.web.meter.models import Assessment, Respondent
from egov.web.meter.services import AnswerInput

pytestmark = pytest.mark.django_db

LANGUAGES = ("", "/ar", "/zh-hans", "/fr", "/ru", "/es")


def test_user_text_is_escaped(
    opened: tuple[Assessment, Respondent, str], accounts: Accounts, client_as: ClientAs
) -> None:
    assessment, _respondent, _key = opened
    hostile = '<script>alert("x")</script>'
    respondent, key = invite(assessment, accounts[Role.CONTRIBUTOR], hostile, "business")
    services.answers_save(
        respondent=respondent, answers=[AnswerInput("C2.1", "2", comment=f"{hostile} <b>b</b>")]
    )
    services.assessment_update(
        actor=accounts[Role.CONTRIBUTOR], assessment=assessment, title=f"KAZ {hostile}"
    )
    pages = [
        html_of(client_as(Role.CONTRIBUTOR).get(f"/meter/{assessment.pk}/")),
        html_of(client_as(Role.CONTRIBUTOR).get("/meter/")),
        html_of(client_as(Role.CONTRIBUTOR).get(f"/meter/{assessment.pk}/results/")),
        html_of(Client().get(f"/meter/respond/{key}/?pillar=C")),
    ]
    for html in pages:
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;b&lt;/b&gt;" in pages[3]


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_every_page_answers_in_every_language(
    opened: tuple[Assessment, Respondent, str], client_as: ClientAs, prefix: str
) -> None:
    assessment, _respondent, key = opened
    client = client_as(Role.CONTRIBUTOR)
    language = prefix.strip("/") or "en"
    for path in (
        "/meter/",
        "/meter/new/",
        f"/meter/{assessment.pk}/",
        f"/meter/{assessment.pk}/edit/",
        f"/meter/{assessment.pk}/results/",
        f"/meter/respond/{key}/?pillar=T",
    ):
        html = html_of(client.get(prefix + path))
        assert f'<html lang="{language}"' in html, path
