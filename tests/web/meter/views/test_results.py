"""``/meter/<pk>/results/`` and ``/meter/<pk>/compare/``: results for the managers until
published, then for everyone; a published assessment on the real published editions shows its
profile, divergence, way forward with a knowledge item for its top gap and corroboration; the
distribution from three other published assessments; two assessments of a country side by
side."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable

import pytest
from django.test import Client
from tests.web.meter.conftest import publish
from tests.web.meter.views.conftest import (
    Accounts,
    ClientAs,
    as_reader,
    between,
    html_of,
    published_assessment,
    typical_answer,
)

from egov.web.accounts.roles import Role
from egov.web.meter import services
from egov.web.meter.models import Assessment, Respondent
from egov.web.meter.services import AnswerInput

pytestmark = pytest.mark.django_db


def test_results_are_for_managers_until_published_then_for_everyone(
    opened: tuple[Assessment, Respondent, str], accounts: Accounts, client_as: ClientAs
) -> None:
    assessment, respondent, _key = opened
    url = f"/meter/{assessment.pk}/results/"
    assert client_as(Role.READER).get(url).status_code == 302
    assert as_reader(Client()).get(url).status_code == 404
    assert client_as(Role.CONTRIBUTOR).get(url).status_code == 200
    assert client_as(Role.EDITOR).get(url).status_code == 200
    services.answers_save(respondent=respondent, answers=[AnswerInput("C1.1", "3")])
    publish(assessment, accounts[Role.CONTRIBUTOR])
    assert client_as(Role.READER).get(url).status_code == 200
    assert as_reader(Client()).get(url).status_code == 200


def _everywhere(answer: str) -> Callable[[str, str], str]:
    """The same answer to every statement, whoever answers."""
    return lambda _statement, _group: answer


def _rows(html: str, table: str) -> Iterable[str]:
    body = between(html, f'id="{table}"', "</table>")
    return re.findall(r"<tr[^>]*>.*?</tr>", body, flags=re.S)


def test_the_results_show_profile_divergence_way_forward_and_corroboration(
    published: Assessment, client: Client
) -> None:
    html = html_of(client.get(f"/meter/{published.pk}/results/"))

    chart = json.loads(between(html, 'id="meter-chart-data"', "</script>").split(">", 1)[1])
    # Marketing has no answer: left out, not drawn as a zero.
    assert [p["id"] for p in chart["pillars"]] == ["C", "L", "P", "O", "T"]
    assert [s["scope"] for s in chart["series"]] == [
        "government",
        "business",
        "civil_society",
        "combined",
    ]
    government = chart["series"][0]["values"]
    assert government[1] == 37.5  # Legal: L1 75, L2 0
    # Organization asks business nothing (every statement is internal): no score, said so.
    assert chart["series"][1]["values"][3] is None
    assert [s["complete"] for s in chart["series"]] == [True, False, False, True]
    notes = between(html, 'id="radar-notes"', "</ul>")
    assert "Business has no score on Organization: its line passes through the centre." in notes
    assert "Not drawn, no score in any group: Marketing." in notes
    profile = between(html, 'id="profile-table"', "</table>")
    assert '<td class="num" data-scope="government">37.5<br><span class="muted">Developing' in (
        between(profile, 'data-pillar="L"', "</tr>")
    )

    subthemes = between(html, 'id="subtheme-table"', "</table>")
    c1 = between(subthemes, 'data-subtheme="C1"', "</tr>")
    assert '<td class="num" data-scope="business"><span class="insufficient">insufficient' in c1

    divergence = between(html, 'id="divergence-table"', "</table>")
    assert 'data-subtheme="C2" data-lowest="business"' in divergence
    c2 = between(divergence, 'data-subtheme="C2"', "</tr>")
    assert '<td class="num">100.0</td>' in c2  # government 100, business 0

    way = between(html, 'id="way-forward"', "</ol>\n")
    first = between(way, "<li", "</li>\n  \n")
    assert 'data-subtheme="L2" data-rank="1"' in first
    assert "enact or update data-protection" in first.lower() or "data-protection" in first
    assert "Estonia&#x27;s data protection inspectorate" in first
    assert re.search(r'href="/knowledge/items/[\w-]+/"', first)
    assert "on this sub-theme" in first
    second = between(way, 'data-subtheme="C2" data-rank="2"', "</li>")
    assert "Score 58.3 (Established), 16.7 below the target" in second  # rounded, not cut

    corroboration = list(_rows(html, "corroboration-table"))
    assert len(corroboration) == 1 + 6  # header and the six pillars
    technology = next(row for row in corroboration if 'data-pillar="T"' in row)
    assert 'data-indicator="tii"' in technology
    assert "percentile" in technology
    assert " of " in technology
    assert "in Asia" in technology
    assert 'id="distribution-hidden"' in html
    assert "No other published assessment keeps its scores yet" in html


def test_the_distribution_appears_with_three_other_published_assessments(
    published: Assessment, accounts: Accounts, client: Client
) -> None:
    focal = accounts[Role.CONTRIBUTOR]
    for value, iso3 in (("1", "KGZ"), ("2", "UZB"), ("3", "TJK")):
        published_assessment(focal, iso3, f"{iso3} 2026", _everywhere(value))
    html = html_of(client.get(f"/meter/{published.pk}/results/"))
    assert 'id="distribution-hidden"' not in html
    overall = between(
        between(html, 'id="distribution-table"', "</table>"), 'data-measure="overall"', "</tr>"
    )
    cells = re.findall(r'<td class="num">([^<]*)</td>', overall)
    # Own, percentile, then the others' minimum, quartiles, maximum (25, 50, 75 points).
    assert cells[2:] == ["25.0", "37.5", "50.0", "62.5", "75.0"]
    assert "among 3 other published assessments" in html


def test_two_assessments_of_one_country_compare(
    published: Assessment, accounts: Accounts, client: Client
) -> None:
    later = published_assessment(
        accounts[Role.CONTRIBUTOR],
        "KAZ",
        "Kazakhstan 2027",
        lambda s, g: "4" if s.startswith("L2.") else typical_answer(s, g),
    )
    html = html_of(client.get(f"/meter/{later.pk}/results/"))
    assert f'<option value="{published.pk}">Kazakhstan 2026' in html
    compared = html_of(client.get(f"/meter/{later.pk}/compare/?with={published.pk}"))
    head = between(compared, "<thead>", "</thead>")
    assert head.index("Kazakhstan 2026") < head.index("Kazakhstan 2027")  # earlier first
    l2 = between(compared, 'data-code="L2"', "</tr>")
    assert re.findall(r'<td class="num[^"]*">([^<]*)</td>', l2) == ["0.0", "100.0", "+100.0"]
    other_country = published_assessment(accounts[Role.CONTRIBUTOR], "KGZ", "Kyrgyzstan 2026")
    assert client.get(f"/meter/{later.pk}/compare/?with={other_country.pk}").status_code == 404
    assert client.get(f"/meter/{later.pk}/compare/").status_code == 302
