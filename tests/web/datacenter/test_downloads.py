from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path
from urllib.parse import urljoin

import pandas as pd
import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from egov.data.readers import read_bytes
from egov.data.readers.undesa_csv import HEADER
from egov.web.datacenter import selectors, services
from egov.web.datacenter.models import Edition

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def _download(client: Client, url: str, filename: str, extension: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert isinstance(response, HttpResponse)
    assert response["Content-Type"] == CONTENT_TYPES[extension]
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    return response.content


def _assert_stored(content: bytes, filename: str, years: list[int]) -> None:
    """The file holds the stored editions: same countries in the same order, names, ranks and
    values (a file of several editions numbers its rows on, so rows are compared by order)."""
    tables = read_bytes(content, display_name=filename, registry=services.default_registry())
    assert [table.year for table in tables] == years
    for table in tables:
        stored = selectors.edition_table(edition=Edition.objects.get(year=table.year)).frame
        back = table.frame.sort_values("row")
        assert list(back.index) == list(stored.index)
        pd.testing.assert_frame_equal(
            back.drop(columns="row"), stored.drop(columns="row"), check_exact=True
        )


@pytest.mark.django_db
@pytest.mark.parametrize("extension", CONTENT_TYPES)
def test_each_edition_downloads_and_reads_back_to_the_stored_values(
    imported: list[Path], client: Client, extension: str
) -> None:
    for year in (2003, 2020, 2024):
        filename = f"EGOV_DATA_{year}.{extension}"
        content = _download(client, f"/downloads/{filename}", filename, extension)
        _assert_stored(content, filename, [year])


@pytest.mark.django_db
@pytest.mark.parametrize("extension", CONTENT_TYPES)
def test_all_editions_download_in_one_file_reads_back_to_the_stored_values(
    imported: list[Path], client: Client, extension: str
) -> None:
    filename = f"EGOV_DATA_ALL.{extension}"
    content = _download(client, f"/downloads/{filename}", filename, extension)

    _assert_stored(content, filename, list(Edition.objects.values_list("year", flat=True)))


@pytest.mark.django_db
def test_the_edition_csv_is_the_published_file_byte_for_byte(
    imported: list[Path], client: Client
) -> None:
    published = next(path for path in imported if path.name == "EGOV_DATA_2022.csv")

    content = _download(client, "/downloads/EGOV_DATA_2022.csv", "EGOV_DATA_2022.csv", "csv")

    assert content == published.read_bytes()  # the 2022 download kept its CRLFs


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/downloads/EGOV_DATA_1999.csv",
        "/downloads/EGOV_DATA_2024.pdf",
        "/downloads/EGOV_DATA_ALL.txt",
    ],
)
def test_unknown_edition_or_format_is_404(imported: list[Path], client: Client, url: str) -> None:
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_datapackage_describes_the_all_editions_csv(imported: list[Path], client: Client) -> None:
    response = client.get("/downloads/datapackage.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    package = response.json()

    assert package["profile"] == "tabular-data-package"
    assert package["name"] == "un-e-government-survey"
    (resource,) = package["resources"]
    assert resource["profile"] == "tabular-data-resource"
    assert (resource["name"], resource["format"], resource["mediatype"]) == (
        "egov-data",
        "csv",
        "text/csv",
    )
    here = reverse("downloads:datapackage")
    assert urljoin(here, resource["path"]) == "/downloads/EGOV_DATA_ALL.csv"
    csv_bytes = client.get(urljoin(here, resource["path"])).content
    assert resource["bytes"] == len(csv_bytes)
    assert resource["hash"] == hashlib.md5(csv_bytes, usedforsecurity=False).hexdigest()


@pytest.mark.django_db
def test_datapackage_schema_matches_the_csv(imported: list[Path], client: Client) -> None:
    schema = client.get("/downloads/datapackage.json").json()["resources"][0]["schema"]
    text = client.get("/downloads/EGOV_DATA_ALL.csv").content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    fields = schema["fields"]

    assert [field["name"] for field in fields] == header == list(HEADER)
    assert [field["type"] for field in fields] == ["integer", "string", "integer"] + ["number"] * 5
    key = [header.index(name) for name in schema["primaryKey"]]
    assert len({tuple(row[i] for i in key) for row in body}) == len(body) == 12 * 193
    for position, field in enumerate(fields):
        constraints = field.get("constraints", {})
        cells = [row[position] for row in body]
        if constraints.get("required"):
            assert all(cells), field["name"]
        if field["type"] == "string":
            continue
        present = [float(cell) for cell in cells if cell not in schema["missingValues"]]
        if "minimum" in constraints:
            assert min(present) >= constraints["minimum"], field["name"]
        if "maximum" in constraints:
            assert max(present) <= constraints["maximum"], field["name"]
    hci = next(field for field in fields if field["name"] == "Human Capital Index")
    assert "maximum" not in hci["constraints"]  # 2003-2005 HCI is published above 1
