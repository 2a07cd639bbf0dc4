"""``/meter/`` and ``/meter/new/``: who may start an assessment, a new assessment's problems
shown beside their fields with nothing saved, the home page's framework, listed assessments and
a contributor's own, and the published assessments on a country's Data Center profile."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.web.meter.conftest import signed_in
from tests.web.meter.views.conftest import Accounts, ClientAs, as_reader, between, html_of

from egov.web.accounts.roles import Role
from egov.web.meter.models import Assessment

pytestmark = pytest.mark.django_db


def test_only_contributors_and_above_start_an_assessment(
    countries: None, client_as: ClientAs
) -> None:
    anonymous = client_as(Role.READER).get("/meter/new/")
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    assert as_reader(Client()).get("/meter/new/").status_code == 403
    assert client_as(Role.CONTRIBUTOR).get("/meter/new/").status_code == 200


def test_a_contributor_starts_an_assessment_and_becomes_its_focal_point(
    countries: None, accounts: Accounts, client_as: ClientAs
) -> None:
    client = client_as(Role.CONTRIBUTOR)
    response = client.post(
        "/meter/new/",
        {"country": "KAZ", "title": "Kazakhstan 2026", "target": "70", "listed": "on"},
    )
    assessment = Assessment.objects.get()
    assert response["Location"] == f"/meter/{assessment.pk}/"
    assert assessment.focal_point == accounts[Role.CONTRIBUTOR]
    assert (assessment.target, assessment.listed, assessment.include_experimental) == (
        70.0,
        True,
        False,
    )


def test_the_problems_of_a_new_assessment_show_beside_their_fields(
    countries: None, client_as: ClientAs
) -> None:
    # A title of spaces passes the browser's "required": its problem and the target's show
    # together.
    html = html_of(
        client_as(Role.CONTRIBUTOR).post(
            "/meter/new/", {"country": "KAZ", "title": "   ", "target": "120"}
        ),
        400,
    )
    assert not Assessment.objects.exists()
    assert 'id="form-errors"' in html
    assert "is required" in between(html, 'for="id_title"', "<input")
    assert "between 0 and 100" in between(html, 'for="id_target"', "<input")


def test_the_home_page_lists_listed_assessments_and_a_contributors_own(
    published: Assessment, client_as: ClientAs
) -> None:
    html = html_of(client_as(Role.READER).get("/meter/"))
    assert "not UN text" in between(html, 'id="framework-notice"', "</p>")
    pillars = between(html, 'id="meter-pillars"', "</table>")
    assert re.search(r'data-pillar="C">.*?<span class="subtheme-count">4</span>', pillars, re.S)
    assert "109 statements in all" in pillars
    listed = between(html, 'id="meter-listed"', "</section>")
    assert f'href="/meter/{published.pk}/results/"' in listed
    assert 'id="meter-start"' not in html
    mine = html_of(client_as(Role.CONTRIBUTOR).get("/meter/"))
    assert 'id="meter-start"' in mine
    assert f'href="/meter/{published.pk}/"' in between(mine, 'id="meter-managed"', "</table>")
    other = signed_in("contributor2")
    assert 'id="meter-managed-empty"' in html_of(other.get("/meter/"))


def test_the_country_page_lists_its_published_assessments(
    published: Assessment, client: Client
) -> None:
    with CaptureQueriesContext(connection) as queries:
        html = html_of(client.get("/countries/KAZ/"))
    # One query whatever the number of assessments.
    assert sum("meter_" in query["sql"] for query in queries.captured_queries) == 1
    section = between(html, 'id="country-meter"', "</section>")
    assert f'href="/meter/{published.pk}/results/"' in section
    assert 'id="country-meter-empty"' in html_of(client.get("/countries/KGZ/"))
