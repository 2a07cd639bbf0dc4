from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client


@pytest.mark.django_db
def test_home_lists_every_edition_with_its_top_ten(imported: list[Path], client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    for year in (2003, 2010, 2020, 2024):
        assert f'id="edition-{year}"' in page
    table_2024 = page.split('id="edition-2024"')[1].split("</table>")[0]
    assert table_2024.count("<tr>") == 11  # header and ten ranks
    assert "Denmark" in table_2024
    assert "0.9847" in table_2024  # Denmark's 2024 EGDI, 0.98474, at four decimals
    # 2022: Sweden and Iceland tie at rank 5; both shown.
    table_2022 = page.split('id="edition-2022"')[1].split("</table>")[0]
    assert table_2022.count('<td class="num">5</td>') == 2


@pytest.mark.django_db
def test_home_before_any_import_says_how_to_get_data(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert "egov setup" in response.content.decode()
