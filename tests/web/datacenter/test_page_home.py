"""The home page, ``/``: the latest edition at a glance, on the real published editions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def section(page: str, element_id: str) -> str:
    return page.split(f'id="{element_id}"')[1].split("</table>")[0].split("</dl>")[0]


def test_top_ten_of_the_latest_edition(imported: list[Path], client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "E-Government Development Index 2024" in page
    top = section(page, "top-ten")
    names = re.findall(r'<a href="/countries/([A-Z]{3})/">', top)
    # 2024: Denmark, Estonia, Singapore, Republic of Korea, Iceland, Saudi Arabia,
    # United Kingdom, Australia, Finland, Netherlands.
    assert names == ["DNK", "EST", "SGP", "KOR", "ISL", "SAU", "GBR", "AUS", "FIN", "NLD"]
    denmark = top.split('href="/countries/DNK/"')[1].split("</tr>")[0]
    assert "0.9847" in denmark  # 0.98474
    assert "no change" in denmark  # first in 2022 too
    estonia = top.split('href="/countries/EST/"')[1].split("</tr>")[0]
    assert "+6" in estonia  # 8th in 2022
    assert "up 6 places" in estonia
    assert 'href="/editions/2024/"' in page


def test_world_and_regional_averages(imported: list[Path], client: Client) -> None:
    page = client.get("/").content.decode()

    averages = section(page, "averages")
    rows = re.findall(r"<tr[^>]*><th scope=\"row\">(.*?)</tr>", averages, flags=re.S)
    assert len(rows) == 6  # the world and five regions
    # 2024 unweighted means over the 193 assessed countries: EGDI 0.63818, OSI 0.57540,
    # TII 0.68956, HCI 0.64957, EPI 0.48932; Europe EGDI 0.84935 over 43 countries.
    world = re.findall(r'<td class="num">([^<]+)</td>', rows[0])
    assert "World" in rows[0]
    assert world == ["0.6382", "0.5754", "0.6896", "0.6496", "0.4893", "193"]
    europe = next(row for row in rows if "Europe" in row)
    assert re.findall(r'<td class="num">([^<]+)</td>', europe)[0] == "0.8493"
    assert re.findall(r'<td class="num">([^<]+)</td>', europe)[-1] == "43"


def test_countries_by_egdi_group(imported: list[Path], client: Client) -> None:
    page = client.get("/").content.decode()

    groups = section(page, "egdi-groups")
    counts = dict(re.findall(r'data-group="([VHML])">.*?<dd>(\d+)</dd>', groups))
    assert counts == {"V": "76", "H": "62", "M": "44", "L": "11"}
    assert "Very high" in groups
    assert "Low" in groups


def test_biggest_movers_since_the_previous_edition(imported: list[Path], client: Client) -> None:
    page = client.get("/").content.decode()

    assert "Biggest movers since 2022" in page
    up = section(page, "movers-up")
    # Libya 169th → 125th (+44), Bahrain 54th → 18th (+36).
    assert re.findall(r'href="/countries/([A-Z]{3})/"', up)[:2] == ["LBY", "BHR"]
    libya = up.split('href="/countries/LBY/"')[1].split("</tr>")[0]
    assert re.findall(r'<td class="num">(\d+)</td>', libya) == ["169", "125"]
    assert "up 44 places" in libya
    down = section(page, "movers-down")
    # Grenada 66th → 104th (−38).
    assert re.findall(r'href="/countries/([A-Z]{3})/"', down)[0] == "GRD"
    grenada = down.split('href="/countries/GRD/"')[1].split("</tr>")[0]
    assert re.findall(r'<td class="num">(\d+)</td>', grenada) == ["66", "104"]
    assert "down 38 places" in grenada
    assert len(re.findall(r'href="/countries/', up)) == 5
    assert len(re.findall(r'href="/countries/', down)) == 5


def test_links_to_every_edition(imported: list[Path], client: Client) -> None:
    page = client.get("/").content.decode()

    links = section(page, "edition-links").split("</ul>")[0]
    years = re.findall(r'href="/editions/(\d{4})/"', links)
    assert years == [
        "2024",
        "2022",
        "2020",
        "2018",
        "2016",
        "2014",
        "2012",
        "2010",
        "2008",
        "2005",
        "2004",
        "2003",
    ]


def test_french_home(imported: list[Path], client: Client) -> None:
    response = client.get("/fr/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Danemark" in page
    assert 'href="/fr/editions/2024/"' in page


def test_home_before_any_import_says_how_to_get_data(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert "<code>egov setup</code>" in response.content.decode()
