"""Every API error has one shape: ``{"ok": false, "code", "errors": [Issue…]}``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

ISSUE_KEYS = {"code", "message", "file", "row", "field", "value"}


def _error(client: Client, url: str, status: int) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert "ETag" not in response
    assert "Cache-Control" not in response
    body: dict[str, Any] = response.json()
    assert set(body) == {"ok", "code", "errors"}
    assert body["ok"] is False
    assert body["errors"]
    for issue in body["errors"]:
        assert set(issue) == ISSUE_KEYS
        assert issue["file"] == url.split("?")[0]
    return body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status", "code", "field", "value"),
    [
        ("/api/v1/editions/1999", 404, "unknown-edition", "year", "1999"),
        ("/api/v1/editions/1999/ranking", 404, "unknown-edition", "year", "1999"),
        ("/api/v1/editions/2001/aggregates", 404, "unknown-edition", "year", "2001"),
        ("/api/v1/countries/XXX", 404, "unknown-country", "iso3", "XXX"),
        ("/api/v1/countries/twn/history", 404, "unknown-country", "iso3", "twn"),
        ("/api/v1/values?edition=1999", 400, "unknown-edition", "edition", "1999"),
        ("/api/v1/values?country=XXX", 400, "unknown-country", "country", "XXX"),
        ("/api/v1/no/such/thing", 404, "not-found", None, None),
    ],
)
def test_unknown_resources_name_the_parameter_and_value(
    imported: list[Path],
    client: Client,
    url: str,
    status: int,
    code: str,
    field: str | None,
    value: str | None,
) -> None:
    body = _error(client, url, status)

    assert body["code"] == code
    ((issue,),) = [body["errors"]]
    assert (issue["code"], issue["field"], issue["value"], issue["row"]) == (
        code,
        field,
        value,
        None,
    )


@pytest.mark.django_db
def test_unknown_edition_lists_the_stored_ones(imported: list[Path], client: Client) -> None:
    (issue,) = _error(client, "/api/v1/editions/1999", 404)["errors"]

    assert issue["message"] == (
        "no edition 1999 is stored (stored: 2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, "
        "2018, 2020, 2022, 2024)"
    )


@pytest.mark.django_db
def test_invalid_parameters_are_reported_all_at_once(client: Client) -> None:
    body = _error(client, "/api/v1/values?index=gdp&region=Atlantis&limit=5000&offset=-1", 422)

    assert body["code"] == "invalid-parameters"
    found = {(i["field"], i["code"], i["value"]) for i in body["errors"]}
    assert found == {
        ("index", "literal-error", "gdp"),
        ("region", "literal-error", "Atlantis"),
        ("limit", "less-than-equal", "5000"),
        ("offset", "greater-than-equal", "-1"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "field", "code"),
    [
        ("/api/v1/editions/twenty", "year", "int-parsing"),
        ("/api/v1/countries/DK/history", "iso3", "string-pattern-mismatch"),
        ("/api/v1/values?edition=latest", "edition", "int-parsing"),
    ],
)
def test_malformed_parameters_are_422(client: Client, url: str, field: str, code: str) -> None:
    body = _error(client, url, 422)

    (issue,) = body["errors"]
    assert (issue["field"], issue["code"]) == (field, code)
