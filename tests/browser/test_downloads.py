"""The downloads page in Chromium: every file it links downloads, and reads back with the
importer's reader to exactly the values the API serves for the same edition."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from egov.config import data_dir
from egov.data.countries import CountryRegistry
from egov.data.readers import read_bytes
from egov.data.tables import INDICES, EditionTable

EDITIONS = [2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024]
FORMATS = ("csv", "xlsx", "json")


@pytest.fixture(scope="module")
def registry() -> CountryRegistry:
    return CountryRegistry.load(data_dir())


def _cell(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def _equal(read: float | None, served: float | None) -> bool:
    if read is None or served is None:
        return read is served
    return abs(read - served) <= 1e-9


def _assert_as_served(table: EditionTable, ranking: dict[str, Any]) -> None:
    """Every country × index value and every rank of the table equals the API's ranking."""
    served = {item["iso3"]: item for item in ranking["items"]}
    frame = table.frame
    assert set(frame.index) == set(served), table.year
    differences = [
        (iso3, column, frame.at[iso3, column], served[iso3][column])
        for iso3 in frame.index
        for column in ("rank", *INDICES)
        if not _equal(_cell(frame.at[iso3, column]), served[iso3][column])
    ]
    assert differences == [], f"{table.year}: {differences[:5]}"


def test_every_download_link_reads_back_to_the_api_values(
    page: Any, registry: CountryRegistry
) -> None:
    page.goto("/data/")
    links = page.locator("a[data-format]")
    found = {
        (link.get_attribute("data-edition"), link.get_attribute("data-format")): link.get_attribute(
            "href"
        )
        for link in links.all()
    }
    expected = {(str(year), extension) for year in [*EDITIONS, "all"] for extension in FORMATS}
    assert set(found) == expected

    rankings = {
        year: page.request.get(f"/api/v1/editions/{year}/ranking").json() for year in EDITIONS
    }
    for (edition, _format), url in sorted(found.items()):
        response = page.request.get(url)
        assert response.ok, url
        name = url.rsplit("/", 1)[-1]
        assert response.headers["content-disposition"] == f'attachment; filename="{name}"'
        tables = read_bytes(response.body(), display_name=name, registry=registry)
        years = EDITIONS if edition == "all" else [int(edition)]
        assert [table.year for table in tables] == years, url
        for table in tables:
            _assert_as_served(table, rankings[table.year])


def test_clicking_a_link_downloads_the_file(page: Any) -> None:
    page.goto("/data/")
    with page.expect_download() as caught:
        page.get_by_role("link", name="EGOV_DATA_2024.csv").click()
    download = caught.value

    assert download.suggested_filename == "EGOV_DATA_2024.csv"
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == page.request.get("/downloads/EGOV_DATA_2024.csv").body()


def test_the_page_links_the_data_package_and_the_api_docs(page: Any) -> None:
    page.goto("/data/")

    page.get_by_role("link", name="Interactive API documentation").click()
    page.wait_for_url("**/api/v1/docs")
    assert page.locator("#swagger-ui").count() == 1
    package = page.request.get("/downloads/datapackage.json").json()
    assert package["resources"][0]["path"] == "EGOV_DATA_ALL.csv"
