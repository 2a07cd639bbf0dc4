"""Fixtures of the METER page tests: a draft assessment of Kazakhstan, the same open with a
government respondent, and a published one on the real editions with the knowledge item its top
gap suggests; and how the tests read a page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from tests.web.conftest import PASSWORD
from tests.web.meter.conftest import answers_to_all, invite, publish, published_item

from egov.web.accounts.roles import Role
from egov.web.accounts.services import user_create
from egov.web.meter import services
from egov.web.meter.models import Assessment, Respondent

ClientAs = Callable[[Role], Client]
Accounts = dict[Role, User]


@pytest.fixture
def assessment(countries: None, accounts: Accounts) -> Assessment:
    return services.assessment_create(
        actor=accounts[Role.CONTRIBUTOR], iso3="KAZ", title="Kazakhstan 2026"
    )


@pytest.fixture
def opened(assessment: Assessment, accounts: Accounts) -> tuple[Assessment, Respondent, str]:
    """The assessment, open, with one government respondent: (assessment, respondent, key)."""
    respondent, key = invite(assessment, accounts[Role.CONTRIBUTOR], "Aigerim", "government")
    services.assessment_transition(
        actor=accounts[Role.CONTRIBUTOR], assessment=assessment, to="open"
    )
    return assessment, respondent, key


def html_of(response: Any, status: int = 200) -> str:
    assert response.status_code == status, response
    return str(response.content.decode())


def between(html: str, start: str, end: str) -> str:
    at = html.index(start)
    return html[at : html.index(end, at)]


def as_reader(client: Client) -> Client:
    """``client`` signed in as an account with no role beyond reading."""
    reader = User.objects.filter(username="reader").first()
    client.force_login(
        reader or user_create(username="reader", password=PASSWORD, role=Role.READER)
    )
    return client


def typical_answer(statement: str, group: str) -> str:
    """Largely (75) everywhere but Security and privacy (0 for all: the top gap) and C2, where
    government says Fully and business Not in place (divergent)."""
    if statement.startswith("L2."):
        return "0"
    if statement.startswith("C2."):
        return {"government": "4", "business": "0"}.get(group, "3")
    return "3"


def published_assessment(
    focal: User, iso3: str, title: str, value: Callable[[str, str], str] = typical_answer
) -> Assessment:
    """A listed, published assessment of ``iso3``: a government, a business and a civil
    society respondent answer ``value(statement, group)`` to every statement they are asked
    but Marketing's."""
    assessment = services.assessment_create(actor=focal, iso3=iso3, title=title, listed=True)
    for name, group in (("G", "government"), ("B", "business"), ("S", "civil_society")):
        respondent, _key = invite(assessment, focal, name, group)
        if group == "government":
            services.assessment_transition(actor=focal, assessment=assessment, to="open")
        # Every pillar but the experimental Marketing.
        answers = answers_to_all(group, lambda s: value(s, group), pillars="CLPOT")  # noqa: B023
        services.answers_save(respondent=respondent, answers=answers)
    return publish(assessment, focal)


@pytest.fixture
def published(imported: list[Path], accounts: Accounts) -> Assessment:
    """Kazakhstan's published assessment on the 12 editions, and a published good practice
    of Estonia tagged L2 (its top gap)."""
    published_item(
        accounts[Role.EDITOR],
        title="Estonia's data protection inspectorate",
        meter_tags=["L2"],
        countries=["EST"],
    )
    return published_assessment(accounts[Role.CONTRIBUTOR], "KAZ", "Kazakhstan 2026")
