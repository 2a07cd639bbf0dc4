"""The API object: its OpenAPI document, its interactive docs (local assets only)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from pytest_django import Settings

PATHS = {
    "/api/v1/editions",
    "/api/v1/editions/{year}",
    "/api/v1/editions/{year}/ranking",
    "/api/v1/editions/{year}/aggregates",
    "/api/v1/countries",
    "/api/v1/countries/{iso3}",
    "/api/v1/countries/{iso3}/history",
    "/api/v1/values",
    "/api/v1/editions/{year}/uncertainty",
    "/api/v1/editions/{year}/what-if",
    "/api/v1/knowledge/items",
    "/api/v1/knowledge/search",
    "/api/v1/knowledge/items/{slug}",
    "/api/v1/knowledge/items/{slug}/transitions",
    "/api/v1/knowledge/items/{slug}/attachments",
    "/api/v1/knowledge/items/{slug}/attachments/{pk}",
    "/api/v1/knowledge/workshops",
    "/api/v1/knowledge/workshops/{slug}",
    "/api/v1/knowledge/projects",
    "/api/v1/knowledge/projects/{slug}",
    "/api/v1/knowledge/programmes",
    "/api/v1/knowledge/programmes/{slug}",
    "/api/v1/knowledge/programmes/{slug}/steps",
    "/api/v1/meter/framework",
    "/api/v1/meter/assessments",
    "/api/v1/meter/assessments/{id}",
    "/api/v1/meter/assessments/{id}/transition",
    "/api/v1/meter/assessments/{id}/respondents",
    "/api/v1/meter/assessments/{id}/progress",
    "/api/v1/meter/assessments/{id}/scores",
    "/api/v1/meter/assessments/{id}/answers",
    "/api/v1/meter/respond",
    "/api/v1/meter/respond/answers",
    "/api/v1/meter/respond/answers/{statement}",
}
#: The paths that take writes, with their methods (the others are read-only: GET).
WRITES = {
    "/api/v1/knowledge/items": {"get", "post"},
    "/api/v1/knowledge/items/{slug}": {"get", "put"},
    "/api/v1/knowledge/items/{slug}/transitions": {"post"},
    "/api/v1/knowledge/items/{slug}/attachments": {"post"},
    "/api/v1/knowledge/items/{slug}/attachments/{pk}": {"get", "delete"},
    "/api/v1/knowledge/workshops": {"get", "post"},
    "/api/v1/knowledge/projects": {"get", "post"},
    "/api/v1/knowledge/programmes": {"get", "post"},
    "/api/v1/knowledge/programmes/{slug}/steps": {"post"},
    "/api/v1/meter/assessments": {"get", "post"},
    "/api/v1/meter/assessments/{id}": {"get", "patch"},
    "/api/v1/meter/assessments/{id}/transition": {"post"},
    "/api/v1/meter/assessments/{id}/respondents": {"get", "post"},
    "/api/v1/meter/respond/answers": {"put"},
    "/api/v1/meter/respond/answers/{statement}": {"put", "delete"},
}


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(value) for value in node))
    return set()


def test_openapi_document_lists_every_endpoint(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "egov-observatory API"
    assert set(document["paths"]) == PATHS
    for path, operations in document["paths"].items():
        assert set(operations) == WRITES.get(path, {"get"}), path
        if "get" in operations:
            assert "200" in operations["get"]["responses"], path
        for method, operation in operations.items():
            assert {"200", "201", "204"} & set(operation["responses"]), (method, path)
    schemas = document["components"]["schemas"]
    for ref in _refs(document):
        assert ref.startswith("#/components/schemas/")
        assert ref.removeprefix("#/components/schemas/") in schemas, ref


def test_openapi_document_validates_against_the_openapi_specification(client: Client) -> None:
    from openapi_spec_validator import OpenAPIV31SpecValidator

    document = client.get("/api/v1/openapi.json").json()

    assert document["openapi"].startswith("3.1.")
    errors = [str(error) for error in OpenAPIV31SpecValidator(document).iter_errors()]
    assert errors == []


def test_openapi_documents_pagination_and_filters(client: Client) -> None:
    values = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/values"]["get"]
    parameters = {p["name"]: p for p in values["parameters"]}

    assert set(parameters) >= {"edition", "country", "index", "region", "group", "limit", "offset"}
    assert parameters["limit"]["schema"]["maximum"] == 1000


@pytest.mark.django_db
def test_docs_page_uses_local_assets_only(
    client: Client, settings: Settings, tmp_path: Path
) -> None:
    settings.STATIC_ROOT = tmp_path  # as `egov serve` does: collectstatic, then whitenoise
    call_command("collectstatic", interactive=False, verbosity=0)

    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    page = response.content.decode()
    assert not re.search(r"https?://", page)
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        fetched = client.get(asset)
        assert fetched.status_code == 200, asset
        assert b"".join(fetched.streaming_content)  # type: ignore[attr-defined]
    assert '"url": "/api/v1/openapi.json"' in page
    assert '"validatorUrl": null' in page
