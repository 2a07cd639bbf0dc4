from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pandas as pd
import pytest
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse

from egov.data.readers import read_bytes
from egov.data.readers.undesa_csv import HEADER
from egov.data.writers.datapackage import SOURCE_URL, TERMS_URL
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


@pytest.mark.django_db
def test_the_served_data_package_validates_with_frictionless(
    imported: list[Path], client: Client, tmp_path: Path
) -> None:
    from frictionless import validate

    descriptor = client.get("/downloads/datapackage.json").content
    (tmp_path / "datapackage.json").write_bytes(descriptor)
    (tmp_path / "EGOV_DATA_ALL.csv").write_bytes(client.get("/downloads/EGOV_DATA_ALL.csv").content)

    report = validate(str(tmp_path / "datapackage.json"))

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 12 * 193


# --- the downloads page ------------------------------------------------------------------------

YEARS = [2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024]


def _links(html: str) -> dict[str, str]:
    """Each download link of the page: its URL → the text after it (the file size)."""
    found = re.findall(
        r'<a href="(/downloads/EGOV_DATA_[^"]+)" download="[^"]+"[^>]*>[^<]+</a>\s*'
        r'<span class="muted">([^<]+)</span>',
        html,
    )
    return dict(found)


@pytest.mark.django_db
def test_downloads_page_links_every_edition_in_every_format_with_its_size(
    imported: list[Path], client: Client
) -> None:
    response = client.get(reverse("datacenter:downloads"))
    assert response.status_code == 200
    html = response.content.decode()

    links = _links(html)
    expected = [
        f"/downloads/EGOV_DATA_{year}.{extension}"
        for year in [*YEARS, "ALL"]
        for extension in ("csv", "xlsx", "json")
    ]
    assert sorted(links) == sorted(expected)
    for url, size in links.items():
        content = client.get(url).content
        assert size == filesizeformat(len(content)), url
    # newest edition first, the file of every edition last
    assert html.index("EGOV_DATA_2024.csv") < html.index("EGOV_DATA_2003.csv")
    assert html.index("EGOV_DATA_2003.csv") < html.index("EGOV_DATA_ALL.csv")
    assert "All editions, 2003–2024" in html
    assert '<td class="num">2316</td>' in html  # 12 editions × 193 countries


@pytest.mark.django_db
def test_downloads_page_links_the_data_package_the_api_and_the_source(
    imported: list[Path], client: Client
) -> None:
    html = client.get("/data/").content.decode()

    assert 'href="/downloads/datapackage.json"' in html
    assert 'href="/api/v1/docs"' in html
    assert 'href="/api/v1/openapi.json"' in html
    assert 'href="/api/v1/editions/2024/ranking"' in html
    assert f'href="{SOURCE_URL}"' in html
    assert f'href="{TERMS_URL}"' in html
    assert "UN Department of Economic and Social Affairs" in html


@pytest.mark.django_db
def test_downloads_page_serves_every_language_with_the_same_files(
    imported: list[Path], client: Client
) -> None:
    english = _links(client.get("/data/").content.decode())
    response = client.get("/fr/data/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert set(_links(html)) == set(english)  # files have no language prefix


@pytest.mark.django_db
def test_downloads_page_costs_a_fixed_number_of_queries_once_the_files_are_written(
    imported: list[Path], client: Client, django_assert_num_queries: Any
) -> None:
    client.get("/data/")  # writes each file once for this published version

    # editions, summaries (2), the published version, editions for the all-editions files
    with django_assert_num_queries(5):
        assert client.get("/data/").status_code == 200


@pytest.mark.django_db
def test_downloads_page_without_editions_says_how_to_import(client: Client) -> None:
    response = client.get("/data/")

    assert response.status_code == 200
    assert "egov setup" in response.content.decode()
    assert _links(response.content.decode()) == {}
