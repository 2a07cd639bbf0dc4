"""The country profile, ``/countries/<iso3>/``, on the 12 published editions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _section(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</table>", start)]


def _chart_data(page: str) -> dict[str, object]:
    found = re.search(
        r'<script id="country-chart-data" type="application/json">(.*?)</script>', page
    )
    assert found
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_korea_shows_every_edition_with_its_published_ranks(
    imported: list[Path], client: Client
) -> None:
    response = client.get("/countries/KOR/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Republic of Korea" in page
    history = _section(page, "country-history")
    assert history.count("<tr data-year=") == 12
    # 2024 as published: EGDI 0.96789, OSI 1.00000, TII 0.99170, HCI 0.91198, EPI 0.97260.
    row_2024 = history.split('data-year="2024"')[1].split("</tr>")[0]
    for value in ("0.9679", "1.0000", "0.9917", "0.9120", "0.9726"):
        assert value in row_2024
    data = _chart_data(page)
    assert data["years"] == [2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024]
    assert data["ranks"] == [13, 5, 5, 6, 1, 1, 1, 3, 3, 2, 3, 4]
    egdi = next(index for index in data["indices"] if index["code"] == "egdi")  # type: ignore[attr-defined]
    assert egdi["values"][0] == pytest.approx(0.74413)
    ranks = _section(page, "country-ranks")
    row_2010 = ranks.split('data-year="2010"')[1].split("</tr>")[0]
    assert '<td class="num">1</td>' in row_2010
    assert '<td class="num up">+5</td>' in row_2010  # 6th in 2008, 1st in 2010


def test_latest_edition_at_a_glance_and_place_in_the_region(
    imported: list[Path], client: Client
) -> None:
    page = client.get("/countries/KOR/").content.decode()

    glance = page.split('id="country-glance"')[1].split("</dl>")[0]
    assert "0.9679" in glance
    assert '<dd class="num">4</dd>' in glance
    assert "−1" in glance  # 3rd in 2022
    assert "Very high" in glance
    assert "VH" in glance
    # Singapore (3rd) is the only Asian country above Korea (4th) in 2024.
    assert "2nd of 47 in Asia" in page
    assert "1st of 5 in Eastern Asia" in page
    denmark = client.get("/countries/DNK/").content.decode()
    assert "1st of 43 in Europe" in denmark


def test_rating_classes_before_2020_are_marked_as_ours(
    imported: list[Path], client: Client
) -> None:
    page = client.get("/countries/KOR/").content.decode()

    classes = _section(page, "country-classes")
    row_2018 = classes.split('data-year="2018"')[1].split("</tr>")[0]
    row_2020 = classes.split('data-year="2020"')[1].split("</tr>")[0]
    assert "computed by egov-observatory" in row_2018
    assert "the Survey" in row_2020
    row_2003 = classes.split('data-year="2003"')[1].split("</tr>")[0]
    assert "High" in row_2003  # EGDI 0.74413: the High group


def test_components_that_hold_it_back_name_the_weakest_first(
    imported: list[Path], client: Client
) -> None:
    page = client.get("/countries/NZL/").content.decode()

    gaps = page.split('id="country-gaps"')[1].split("</ol>")[0]
    items = re.findall(r'<li data-index="(\w+)"', gaps)
    # New Zealand's TII 0.87281 is below the Very high group's average 0.9175.
    assert items[0] == "tii"
    assert "Telecommunications Infrastructure Index 0.8728" in gaps
    assert "below the average of its EGDI group, Very high (0.9175)" in gaps
    south_sudan = client.get("/countries/SSD/").content.decode()
    first = south_sudan.split('id="country-gaps"')[1].split("</li>")[0]
    assert (
        "Telecommunications Infrastructure Index 0.0547, 0.3987 below the Africa average" in first
    )


def test_peers_are_the_sub_region_or_the_region_when_it_is_small(
    imported: list[Path], client: Client
) -> None:
    korea = client.get("/countries/KOR/").content.decode()
    peers = _section(korea, "country-peers")
    assert re.findall(r'data-iso3="(\w+)"', peers) == ["KOR", "JPN", "CHN", "MNG", "PRK"]
    assert 'data-iso3="KOR" aria-current="true"' in peers
    assert "/compare/?country=KOR&amp;country=JPN&amp;country=CHN" in korea
    # Australia and New Zealand is two countries: New Zealand is shown among Oceania's 14.
    zealand = _section(client.get("/countries/NZL/").content.decode(), "country-peers")
    assert zealand.count("<tr data-iso3=") == 14


def test_editions_before_membership_show_as_such(imported: list[Path], client: Client) -> None:
    page = client.get("/countries/SSD/").content.decode()

    history = _section(page, "country-history")
    row_2010 = history.split('data-year="2010"')[1].split("</tr>")[0]
    assert "not yet a Member State" in row_2010
    assert "0.0000" not in row_2010
    data = _chart_data(page)
    assert data["ranks"][:5] == [None] * 5  # type: ignore[index]
    assert data["ranks"][5] == 175  # type: ignore[index]  # 2012, its first edition


def test_lower_case_code_redirects_and_unknown_code_is_404(
    imported: list[Path], client: Client
) -> None:
    response = client.get("/countries/kor/")
    assert response.status_code == 301
    assert response["Location"] == "/countries/KOR/"
    assert client.get("/countries/XYZ/").status_code == 404
    assert client.get("/fr/countries/kor/")["Location"] == "/fr/countries/KOR/"


def test_french_page_names_the_country_in_french(imported: list[Path], client: Client) -> None:
    response = client.get("/fr/countries/KOR/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert "<h1>Corée du Sud" in page
    assert "Japon" in _section(page, "country-peers")
    assert 'href="/fr/countries/JPN/"' in page
    assert 'href="/fr/compare/?country=KOR' in page


def test_country_page_costs_a_fixed_number_of_queries(imported: list[Path], client: Client) -> None:
    client.get("/countries/DNK/")  # builds what is kept per published version (robustness)
    counts = []
    for code in ("KOR", "SSD", "NGA"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/countries/{code}/").status_code == 200
        counts.append(len(queries))
    assert len(set(counts)) == 1
    assert counts[0] <= 15  # 10 + the knowledge section's 5 (test_page_country_knowledge.py)


def test_charts_are_figures_with_a_label_and_a_table(imported: list[Path], client: Client) -> None:
    page = client.get("/countries/KOR/").content.decode()

    for chart in ("country-indices-chart", "country-rank-chart", "country-peers-chart"):
        tag = page.split(f'id="{chart}"')[1].split(">")[0]
        assert 'role="img"' in tag
        assert 'aria-label="Republic of Korea' in tag or 'aria-label="EGDI of' in tag
    assert page.count('<figure class="chart">') == 3
    assert "echarts.min.js" in page
    assert "egov/country.js" in page
