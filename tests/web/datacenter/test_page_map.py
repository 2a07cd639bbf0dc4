"""``/map/``: a choropleth's data and, for reading without JavaScript, the table by rank."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client


def _chart(page: str) -> Any:
    script = page.split('id="map-data" type="application/json">')[1].split("</script>")[0]
    return json.loads(script)


def _table_rows(page: str) -> list[tuple[str, str, str]]:
    """(rank, ISO3, value) of the table's rows, in page order."""
    table = page.split('id="map-table"')[1].split("</table>")[0]
    return re.findall(
        r'<tr id="country-(\w{3})">\s*<td class="num">([^<]*)</td>.*?'
        r'<td class="num">([^<]*)</td>',
        table,
        flags=re.S,
    )


@pytest.mark.django_db
def test_the_2024_egdi_map_keys_values_by_iso3_with_names_and_ranks(
    imported: list[Path], client: Client
) -> None:
    response = client.get("/map/?edition=2024&index=egdi")

    assert response.status_code == 200
    page = response.content.decode()
    chart = _chart(page)
    by_iso3 = {row["name"]: row for row in chart["values"]}
    assert len(by_iso3) == 193
    assert by_iso3["DNK"] == {"name": "DNK", "value": 0.98474, "rank": 1, "label": "Denmark"}
    assert by_iso3["BRA"]["value"] == 0.84026
    assert by_iso3["BRA"]["rank"] == 50
    assert chart["geometry"].endswith("vendor/world/countries-110m.geo.json")
    assert chart["profile"] == "/countries/ISO3/"
    assert chart["placeholder"] == "ISO3"
    assert [piece["gte"] for piece in chart["pieces"]] == [0.0, 0.25, 0.5, 0.75]
    assert chart["pieces"][-1]["lte"] == 1.0
    assert chart["pieces"][0]["lt"] == 0.25


@pytest.mark.django_db
def test_without_javascript_the_values_are_a_table_by_rank(
    imported: list[Path], client: Client
) -> None:
    page = client.get("/map/?edition=2024&index=egdi").content.decode()

    rows = _table_rows(page)
    assert len(rows) == 193
    assert rows[0] == ("DNK", "1", "0.9847")
    assert rows[-1] == ("CAF", "193", "0.0947")
    ranks = [int(rank) for _iso3, rank, _value in rows]
    assert ranks == sorted(ranks)
    assert '<a href="/countries/DNK/">Denmark</a>' in page
    assert '<details class="data-table" id="map-table" open>' in page


@pytest.mark.django_db
def test_another_index_is_ranked_among_the_assessed_countries(
    imported: list[Path], client: Client
) -> None:
    page = client.get("/map/?edition=2010&index=osi").content.decode()

    by_iso3 = {row["name"]: row for row in _chart(page)["values"]}
    assert by_iso3["KOR"]["value"] == 1.0
    assert by_iso3["KOR"]["rank"] == 1
    assert by_iso3["USA"]["rank"] == 2
    assert by_iso3["SOM"]["rank"] is None  # not assessed in 2010
    assert by_iso3["SSD"] == {"name": "SSD", "value": None, "rank": None, "label": "South Sudan"}
    assert _chart(page)["pieces"] is None
    assert _table_rows(page)[0] == ("KOR", "1", "1.0000")


@pytest.mark.django_db
def test_hci_above_one_in_2003_stretches_the_scale(imported: list[Path], client: Client) -> None:
    chart = _chart(client.get("/map/?edition=2003&index=hci").content.decode())

    assert chart["max"] == 1.422  # Micronesia, HCI not rescaled before 2008


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?edition=1066&index=gdp", "?edition=&index=", "?index=<b>"])
def test_unknown_parameters_fall_back_to_the_defaults(
    imported: list[Path], client: Client, query: str
) -> None:
    response = client.get(f"/map/{query}")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<option value="2024" selected>' in page
    assert '<option value="egdi" selected>' in page
    assert _table_rows(page)[0] == ("DNK", "1", "0.9847")


@pytest.mark.django_db
def test_the_map_in_french_names_countries_and_links_profiles_in_french(
    imported: list[Path], client: Client
) -> None:
    page = client.get("/fr/map/?edition=2024&index=egdi").content.decode()

    assert '<html lang="fr"' in page
    chart = _chart(page)
    by_iso3 = {row["name"]: row for row in chart["values"]}
    assert by_iso3["DEU"]["label"] == "Allemagne"
    assert chart["profile"] == "/fr/countries/ISO3/"
    assert '<a href="/fr/countries/DEU/">Allemagne</a>' in page


@pytest.mark.django_db
def test_a_fixed_number_of_queries(
    imported: list[Path], client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):
        assert client.get("/map/").status_code == 200


@pytest.mark.django_db
def test_before_any_import_the_page_says_how_to_get_data(client: Client) -> None:
    response = client.get("/map/")

    assert response.status_code == 200
    assert "egov setup" in response.content.decode()
