"""Views that are not pages: ``/ranking/`` names no year and redirects to one."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client


@pytest.mark.django_db
def test_ranking_redirects_to_the_latest_edition(imported: list[Path], client: Client) -> None:
    response = client.get("/ranking/")

    assert response.status_code == 302
    assert response["Location"] == "/editions/2024/"


@pytest.mark.django_db
def test_ranking_before_any_import_redirects_home(client: Client) -> None:
    response = client.get("/fr/ranking/")

    assert response.status_code == 302
    assert response["Location"] == "/fr/"
