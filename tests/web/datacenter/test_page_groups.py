"""``/regions/``: averages and spread by group, and each group's average across editions."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

REGIONS_2024 = "/regions/?edition=2024&index=egdi&by=region"


def _row(page: str, row_id: str) -> list[str]:
    row = page.split(f'id="{row_id}"')[1].split("</tr>")[0]
    return re.findall(r'<td class="num">([^<]*)</td>', row)


def _chart(page: str) -> Any:
    script = page.split('id="groups-data" type="application/json">')[1].split("</script>")[0]
    return json.loads(script)


@pytest.mark.django_db
def test_regions_of_2024_show_the_published_averages_and_their_spread(
    imported: list[Path], client: Client
) -> None:
    response = client.get(REGIONS_2024)

    assert response.status_code == 200
    page = response.content.decode()
    # count, mean, median, minimum, lower quartile, upper quartile, maximum, std
    # Europe 0.8493 and Africa 0.4247 are the 2024 Survey's regional averages.
    assert _row(page, "group-europe")[:3] == ["43", "0.8493", "0.8648"]
    assert _row(page, "group-europe")[6] == "0.9847"  # Denmark, first in the world
    assert _row(page, "group-africa")[:2] == ["54", "0.4247"]
    assert _row(page, "group-africa")[3] == "0.0947"  # Central African Republic, rank 193
    assert _row(page, "group-world")[:2] == ["193", "0.6382"]
    assert page.index('id="group-africa"') < page.index('id="group-oceania"')
    chart = _chart(page)
    assert chart["groups"] == ["Africa", "Americas", "Asia", "Europe", "Oceania"]
    assert round(chart["world"], 4) == 0.6382
    assert round(chart["mean"][3], 4) == 0.8493
    assert chart["minimum"][3] <= chart["mean"][3] <= chart["maximum"][3]


@pytest.mark.django_db
def test_the_trend_runs_over_every_edition_with_the_world_average(
    imported: list[Path], client: Client
) -> None:
    page = client.get(REGIONS_2024).content.decode()

    trend = _chart(page)["trend"]
    assert trend["years"][0] == "2003"
    assert trend["years"][-1] == "2024"
    assert len(trend["years"]) == 12
    world = dict(zip(trend["years"], trend["world"], strict=True))
    assert round(world["2010"], 4) == 0.4406  # spec §10: 183 assessed countries
    assert round(world["2020"], 4) == 0.5988
    europe = next(series for series in trend["series"] if series["name"] == "Europe")
    assert round(europe["values"][trend["years"].index("2020")], 4) == 0.8170  # official 2020
    table = page.split('id="trend-table"')[1].split("</table>")[0]
    assert '<th class="num" scope="row">2020</th>' in table
    assert "0.8170" in table
    assert "0.5988" in table


@pytest.mark.django_db
def test_special_groups_are_those_listed_in_the_edition_year(
    imported: list[Path], client: Client
) -> None:
    page = client.get("/regions/?edition=2024&index=egdi&by=special_group").content.decode()

    assert _row(page, "group-ldc")[:2] == ["45", "0.3481"]
    assert _row(page, "group-lldc")[:2] == ["32", "0.5138"]
    assert _row(page, "group-sids")[:2] == ["37", "0.5412"]
    assert _chart(page)["groups"] == ["LDC", "LLDC", "SIDS"]


@pytest.mark.django_db
def test_income_groups_run_from_high_to_low(imported: list[Path], client: Client) -> None:
    page = client.get("/regions/?edition=2024&by=income_group").content.decode()

    assert _row(page, "group-high")[:2] == ["55", "0.8560"]
    order = [page.index(f'id="group-{code}"') for code in ("high", "upper-middle", "low")]
    assert order == sorted(order)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["?edition=1999&index=zzz&by=planet", "?edition=abc&index=&by=", "?edition=2024%00"]
)
def test_unknown_parameters_fall_back_to_the_defaults(
    imported: list[Path], client: Client, query: str
) -> None:
    response = client.get(f"/regions/{query}")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<option value="2024" selected>' in page
    assert '<option value="egdi" selected>' in page
    assert '<option value="region" selected>' in page
    assert _row(page, "group-europe")[1] == "0.8493"


@pytest.mark.django_db
def test_another_edition_and_index(imported: list[Path], client: Client) -> None:
    page = client.get("/regions/?edition=2003&index=epi").content.decode()

    assert '<option value="2003" selected>' in page
    assert '<option value="epi" selected>' in page
    # the mean EPI of the 173 countries assessed in 2003 (the published file's own rows)
    assert _row(page, "group-world")[:2] == ["173", "0.1665"]


@pytest.mark.django_db
def test_the_page_in_french(imported: list[Path], client: Client) -> None:
    response = client.get("/fr/regions/?edition=2020&by=sub_region")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert 'action="/fr/regions/"' in page
    assert _row(page, "group-northern-europe")[0] == "10"
    assert _row(page, "group-world")[:2] == ["193", "0.5988"]


@pytest.mark.django_db
def test_a_fixed_number_of_queries(
    imported: list[Path], client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):
        assert client.get(REGIONS_2024).status_code == 200


@pytest.mark.django_db
def test_before_any_import_the_page_says_how_to_get_data(client: Client) -> None:
    response = client.get("/regions/")

    assert response.status_code == 200
    assert "egov setup" in response.content.decode()
