"""The Compare page, ``/compare/``, on the 12 published editions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _table(page: str) -> str:
    start = page.index('id="compare-table"')
    return page[start : page.index("</table>", start)]


def _row(page: str, iso3: str) -> str:
    return _table(page).split(f'data-iso3="{iso3}"')[1].split("</tr>")[0]


def test_countries_side_by_side_with_values_and_ranks(imported: list[Path], client: Client) -> None:
    response = client.get("/compare/?country=DNK&country=KOR&index=egdi&from=2003&to=2024")

    assert response.status_code == 200
    page = response.content.decode()
    assert re.findall(r'<tr data-iso3="(\w+)"', _table(page)) == ["DNK", "KOR"]
    korea = _row(page, "KOR")
    assert korea.count('<td class="num" data-year=') == 12
    # The Republic of Korea's EGDI rank: 13 in 2003, 1 in 2010-2014, 4 in 2024.
    assert '<td class="num" data-year="2003">0.7441 <span class="muted">(13)</span>' in korea
    assert '<td class="num" data-year="2010">0.8785 <span class="muted">(1)</span>' in korea
    assert '<td class="num" data-year="2024">0.9679 <span class="muted">(4)</span>' in korea
    assert '<td class="num" data-year="2024">0.9847 <span class="muted">(1)</span>' in _row(
        page, "DNK"
    )
    data = json.loads(
        page.split('id="compare-chart-data" type="application/json">')[1].split("<")[0]
    )
    assert data["years"][0] == 2003
    assert [series["name"] for series in data["series"]] == ["Denmark", "Republic of Korea"]


def test_any_index_and_a_set_of_editions(imported: list[Path], client: Client) -> None:
    page = client.get(
        "/compare/?country=kor&index=osi&edition=2003&edition=2012&edition=2024"
    ).content.decode()

    assert re.findall(r'<th class="num" scope="col">(\d{4})</th>', _table(page)) == [
        "2003",
        "2012",
        "2024",
    ]
    korea = _row(page, "KOR")
    assert '<td class="num" data-year="2003">0.6070' in korea
    assert '<td class="num" data-year="2012">1.0000 <span class="muted">(1)</span>' in korea
    assert "The Survey publishes ranks for EGDI only" in page
    # the links that remove or add keep the index and the set of editions
    assert "index=osi&amp;edition=2003&amp;edition=2012&amp;edition=2024" in page


def test_editions_before_membership_show_as_such(imported: list[Path], client: Client) -> None:
    page = client.get("/compare/?country=SSD&from=2010&to=2012").content.decode()

    south_sudan = _row(page, "SSD")
    assert "not yet a Member State" in south_sudan.split('data-year="2010"')[1].split("</td>")[0]
    assert '0.2239 <span class="muted">(175)</span>' in south_sudan


def test_more_than_eight_keeps_the_first_eight_and_says_so(
    imported: list[Path], client: Client
) -> None:
    codes = ["DNK", "EST", "SGP", "KOR", "ISL", "SAU", "GBR", "AUS", "FIN", "NLD"]
    page = client.get("/compare/?" + "&".join(f"country={code}" for code in codes)).content.decode()

    assert re.findall(r'<tr data-iso3="(\w+)"', _table(page)) == codes[:8]
    assert "At most 8 countries can be compared" in page
    assert "Finland, Netherlands" in page
    assert 'id="compare-add-country"' not in page  # full: nothing more to add


def test_unknown_codes_are_ignored_with_a_message(imported: list[Path], client: Client) -> None:
    page = client.get("/compare/?country=XYZ&country=KOR&country=QQQ&index=nope").content.decode()

    assert re.findall(r'<tr data-iso3="(\w+)"', _table(page)) == ["KOR"]
    assert "Unknown country codes ignored: XYZ, QQQ." in page
    assert "Unknown index nope: showing EGDI." in page


def test_remove_links_and_add_form_work_without_javascript(
    imported: list[Path], client: Client
) -> None:
    page = client.get("/compare/?country=DNK&country=KOR&index=tii").content.decode()

    assert 'href="/compare/?country=KOR&amp;index=tii"' in page  # removes Denmark
    assert 'href="/compare/?country=DNK&amp;index=tii"' in page  # removes Korea
    add = page.split('id="compare-add"')[1].split("</form>")[0]
    assert add.startswith(' method="get" action="/compare/"')
    assert '<input type="hidden" name="country" value="DNK">' in add
    assert '<input type="hidden" name="index" value="tii">' in add
    assert '<option value="JPN">Japan</option>' in add
    assert '<option value="DNK">' not in add  # already compared
    added = client.get("/compare/?country=DNK&country=KOR&index=tii&country=JPN").content.decode()
    assert re.findall(r'<tr data-iso3="(\w+)"', _table(added)) == ["DNK", "KOR", "JPN"]


def test_htmx_request_gets_the_content_and_the_url_to_push(
    imported: list[Path], client: Client
) -> None:
    response = client.get(
        "/compare/?country=DNK&country=KOR&edition=2022&edition=2024&index=egdi",
        headers={"HX-Request": "true"},
    )

    page = response.content.decode()
    assert page.startswith('<div id="compare-content">')
    assert "<html" not in page
    assert (
        response["HX-Push-Url"] == "/compare/?country=DNK&country=KOR&index=egdi&from=2022&to=2024"
    )
    assert "HX-Request" in response["Vary"]
    restore = client.get(
        "/compare/?country=DNK",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.content.decode()


def test_empty_page_suggests_the_top_five_of_the_latest_edition(
    imported: list[Path], client: Client
) -> None:
    page = client.get("/compare/").content.decode()

    assert 'id="compare-table"' not in page
    suggestion = page.split('id="compare-suggestion"')[1].split("</a>")[0]
    # 2024: Denmark, Estonia, Singapore, Republic of Korea, Iceland.
    assert (
        "country=DNK&amp;country=EST&amp;country=SGP&amp;country=KOR&amp;country=ISL" in suggestion
    )
    assert "Denmark, Estonia, Singapore, Republic of Korea, Iceland" in suggestion


def test_french_page_names_the_countries_in_french(imported: list[Path], client: Client) -> None:
    page = client.get("/fr/compare/?country=DNK&country=KOR").content.decode()

    assert '<html lang="fr"' in page
    assert re.findall(r'<th scope="row"><a href="/fr/countries/\w+/">([^<]+)</a>', page) == [
        "Danemark",
        "Corée du Sud",
    ]
    assert 'href="/fr/compare/?country=KOR&amp;index=egdi"' in page


def test_compare_before_any_import_still_serves(client: Client) -> None:
    response = client.get("/compare/?country=DNK")

    assert response.status_code == 200
    assert "Unknown country code ignored: DNK." in response.content.decode()
