"""The edition ranking page, ``/editions/<year>/``, on the real published editions."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def rows(page: str) -> list[str]:
    """The ISO3 codes of the table's rows, in order."""
    return re.findall(r'<tr data-iso3="([A-Z]{3})"', page)


def cell_texts(page: str, iso3: str) -> list[list[str]]:
    """The words of each cell of the country's row."""
    row = page.split(f'<tr data-iso3="{iso3}"')[1].split("</tr>")[0]
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)
    return [re.sub(r"<[^>]+>", " ", cell).split() for cell in cells]


def test_every_country_of_2024_in_published_order(imported: list[Path], client: Client) -> None:
    response = client.get("/editions/2024/")

    assert response.status_code == 200
    page = response.content.decode()
    order = rows(page)
    assert len(order) == 193
    assert order[:5] == ["DNK", "EST", "SGP", "KOR", "ISL"]
    # Denmark: rank 1, EGDI 0.98474, OSI 0.99924, TII 0.99662, HCI 0.95841, EPI 0.9863,
    # Very high group, class VH, rank 1 in 2022 too.
    denmark = cell_texts(page, "DNK")
    assert denmark[0] == ["1"]
    assert denmark[1] == ["Denmark"]
    assert [cell[0] for cell in denmark[2:7]] == ["0.9847", "0.9992", "0.9966", "0.9584", "0.9863"]
    assert denmark[7] == ["Very", "high"]
    assert denmark[8] == ["VH"]
    assert denmark[9] == ["0", "no", "change"]
    assert 'href="/countries/DNK/"' in page
    # Estonia climbed from 8th (2022) to 2nd: an up class, and words, not colour alone.
    estonia = page.split('<tr data-iso3="EST"')[1].split("</tr>")[0]
    assert '<td class="num up">' in estonia
    assert "up 6 places" in estonia
    assert "All 193 countries" in page
    assert 'aria-sort="ascending"' in page.split('data-column="rank"')[1].split(">")[0]
    for extension in ("csv", "xlsx", "json"):
        assert f'href="/downloads/EGOV_DATA_2024.{extension}"' in page
    assert "are computed by egov-observatory" not in page  # published since 2020


def test_sort_by_osi_descending_then_reversed(imported: list[Path], client: Client) -> None:
    page = client.get("/editions/2024/?sort=-osi").content.decode()

    # 2024 OSI: Republic of Korea 1.0, Denmark 0.99924, Estonia 0.99535, Saudi Arabia 0.98995.
    assert rows(page)[:4] == ["KOR", "DNK", "EST", "SAU"]
    header = page.split('data-column="osi"')[1].split("</th>")[0]
    assert 'aria-sort="descending"' in header
    assert 'href="/editions/2024/?sort=osi"' in header  # a second click reverses

    ascending = rows(client.get("/editions/2024/?sort=osi").content.decode())
    assert ascending[:2] == ["ERI", "COM"]  # 2024 OSI 0.0 (Eritrea, rank 190), then Comoros


def test_sort_links_keep_the_filters(imported: list[Path], client: Client) -> None:
    page = client.get("/editions/2024/?region=Europe&q=d").content.decode()

    header = page.split('data-column="egdi"')[1].split("</th>")[0]
    assert 'href="/editions/2024/?q=d&amp;region=Europe&amp;sort=-egdi"' in header


def test_missing_values_sort_last_either_way(imported: list[Path], client: Client) -> None:
    # 2003: Montenegro and South Sudan were not yet Member States: no rank, no rank change.
    by_rank = rows(client.get("/editions/2003/?sort=-rank").content.decode())
    assert by_rank[-2:] == ["MNE", "SSD"]
    by_rank = rows(client.get("/editions/2003/?sort=rank").content.decode())
    assert by_rank[-2:] == ["MNE", "SSD"]


def test_country_status_and_computed_rating_classes_are_marked(
    imported: list[Path], client: Client
) -> None:
    page = client.get("/editions/2003/").content.decode()

    chad = page.split('<tr data-iso3="TCD"')[1].split("</tr>")[0]
    assert 'class="not-assessed"' in page.split('<tr data-iso3="TCD"')[1].split(">")[0]
    assert "not assessed" in chad
    assert "174" in chad  # ranked last, at 174, with an EGDI of 0
    montenegro = page.split('<tr data-iso3="MNE"')[1].split("</tr>")[0]
    assert "not yet a Member State" in montenegro
    assert "are computed by egov-observatory" in page
    assert "This is the first edition" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=Europe", 43),
        ("region=Europe&sub_region=Northern+Europe", 10),
        ("group=L", 11),
        ("special=ldc", 45),
        ("special=sids", 37),
        ("special=lldc", 32),
        ("income=Low", 31),
    ],
)
def test_filters(imported: list[Path], client: Client, query: str, expected: int) -> None:
    page = client.get(f"/editions/2024/?{query}").content.decode()

    assert len(rows(page)) == expected
    assert f"{expected} of 193 countries shown" in page


def test_region_filter_keeps_only_that_region(imported: list[Path], client: Client) -> None:
    page = client.get("/editions/2024/?region=Oceania&sort=-egdi").content.decode()

    # 2024 Oceania: Australia (0.95766), New Zealand (0.94319), Fiji, ... 14 countries.
    assert rows(page)[:2] == ["AUS", "NZL"]
    assert len(rows(page)) == 14
    assert "DNK" not in rows(page)
    assert '<option value="Oceania" selected>' in page


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/editions/2024/?q=den", ["DNK"]),  # starts a word: not Sweden
        ("/editions/2024/?q=DNK", ["DNK"]),  # ISO3
        ("/editions/2024/?q=usa", ["USA"]),
        ("/editions/2024/?q=new+guin", ["PNG"]),
        ("/editions/2024/?q=cote", ["CIV"]),  # accents do not matter
        ("/fr/editions/2024/?q=danem", ["DNK"]),  # Danemark
        ("/fr/editions/2024/?q=emirats", ["ARE"]),  # Émirats arabes unis
        ("/editions/2024/?q=atlantis", []),
    ],
)
def test_search(imported: list[Path], client: Client, path: str, expected: list[str]) -> None:
    page = client.get(path).content.decode()

    assert rows(page) == expected
    if not expected:
        assert "No country matches these filters." in page


def test_invalid_parameters_are_ignored(imported: list[Path], client: Client) -> None:
    response = client.get("/editions/2024/?sort=-nonsense&region=Atlantis&group=X&special=g7&q=")

    assert response.status_code == 200
    page = response.content.decode()
    assert len(rows(page)) == 193
    assert rows(page)[0] == "DNK"


def test_unknown_edition_is_404(imported: list[Path], client: Client) -> None:
    assert client.get("/editions/2023/").status_code == 404
    assert client.get("/editions/1999/?sort=-osi").status_code == 404


def test_unknown_edition_before_any_import_is_404(client: Client) -> None:
    assert client.get("/editions/2024/").status_code == 404


def test_htmx_request_gets_only_the_table(imported: list[Path], client: Client) -> None:
    response = client.get("/editions/2024/?q=den", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert page.lstrip().startswith('<div id="ranking-results"')
    assert rows(page) == ["DNK"]
    assert 'id="ranking-count" hx-swap-oob="innerHTML"' in page
    assert "1 of 193 countries shown" in page
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(imported: list[Path], client: Client) -> None:
    response = client.get(
        "/editions/2024/?q=den", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )

    assert "<html" in response.content.decode()


def test_switching_edition_keeps_the_filters(imported: list[Path], client: Client) -> None:
    response = client.get("/editions/2024/?edition=2022&region=Europe&sort=-osi")

    assert response.status_code == 302
    assert response["Location"] == "/editions/2022/?region=Europe&sort=-osi"
    # The same year, or one not stored, shows the page as it is.
    assert client.get("/editions/2024/?edition=2024").status_code == 200
    assert client.get("/editions/2024/?edition=1999").status_code == 200


def test_french_page(imported: list[Path], client: Client) -> None:
    response = client.get("/fr/editions/2024/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert "Danemark" in page
    assert 'href="/fr/countries/DNK/"' in page
    assert rows(page)[0] == "DNK"


def test_page_costs_a_fixed_number_of_queries(
    imported: list[Path], client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):
        client.get("/editions/2024/?sort=-egdi&region=Asia")
