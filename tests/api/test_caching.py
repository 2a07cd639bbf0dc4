from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from django.test import Client

from egov.api.caching import MAX_AGE, PublishedCache
from egov.web.datacenter import services

PUBLISHED = [
    "/api/v1/editions",
    "/api/v1/editions/2024",
    "/api/v1/editions/2024/ranking",
    "/api/v1/editions/2024/aggregates",
    "/api/v1/countries",
    "/api/v1/countries/KEN",
    "/api/v1/countries/KEN/history",
    "/api/v1/values?edition=2024",
    "/downloads/EGOV_DATA_2024.csv",
    "/downloads/EGOV_DATA_ALL.json",
    "/downloads/datapackage.json",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLISHED)
def test_published_data_carry_an_etag_and_answer_304_when_it_matches(
    imported: list[Path], client: Client, url: str
) -> None:
    response = client.get(url)
    etag = response["ETag"]

    assert response.status_code == 200
    assert re.fullmatch(r'"[^"]+"', etag)
    assert response["Cache-Control"] == f"public, max-age={MAX_AGE}"
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert (again["ETag"], again["Cache-Control"]) == (etag, response["Cache-Control"])


@pytest.mark.django_db
def test_a_weak_or_listed_tag_matches_and_a_stale_one_does_not(
    imported: list[Path], client: Client
) -> None:
    url = "/api/v1/editions/2024/ranking"
    etag = client.get(url)["ETag"]

    assert client.get(url, headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    assert client.get(url, headers={"If-None-Match": f'"old", {etag}'}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"old"'}).status_code == 200


@pytest.mark.django_db
def test_a_compressed_response_revalidates_with_its_weakened_tag(
    imported: list[Path], client: Client
) -> None:
    url = "/api/v1/editions/2024/ranking"
    compressed = client.get(url, headers={"Accept-Encoding": "gzip"})

    assert compressed["Content-Encoding"] == "gzip"
    assert compressed["ETag"].startswith('W/"')
    again = client.get(
        url, headers={"Accept-Encoding": "gzip", "If-None-Match": compressed["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.django_db
def test_the_etag_changes_when_an_edition_is_imported_again(
    imported: list[Path], client: Client, tmp_path: Path
) -> None:
    url = "/api/v1/editions/2024/ranking"
    before = client.get(url)["ETag"]
    original = next(path for path in imported if path.name == "EGOV_DATA_2024.csv")
    changed = tmp_path / original.name
    changed.write_text(
        original.read_text(encoding="utf-8").replace("0.98474", "0.98470"), encoding="utf-8"
    )
    services.editions_import(paths=[changed])

    response = client.get(url, headers={"If-None-Match": before})

    assert response.status_code == 200
    assert response["ETag"] != before
    assert response.json()["items"][0]["egdi"] == 0.9847


@pytest.mark.django_db
def test_the_etag_changes_when_a_reimport_changes_only_a_published_spelling(
    imported: list[Path], client: Client, tmp_path: Path
) -> None:
    url = "/downloads/EGOV_DATA_2024.csv"
    before = client.get(url)["ETag"]
    original = next(path for path in imported if path.name == "EGOV_DATA_2024.csv")
    renamed = tmp_path / original.name
    renamed.write_text(
        original.read_text(encoding="utf-8").replace('"Denmark "', '"Kingdom of Denmark"'),
        encoding="utf-8",
    )
    change = services.editions_import(paths=[renamed]).editions[0]
    assert (change.added, change.changed) == (0, 0)  # the same values and ranks

    response = client.get(url, headers={"If-None-Match": before})

    assert response.status_code == 200
    assert response["ETag"] != before
    assert "Kingdom of Denmark" in response.content.decode("utf-8")


@pytest.mark.django_db
def test_the_etag_changes_when_only_the_country_registry_changes(
    imported: list[Path], client: Client
) -> None:
    url = "/api/v1/editions/2024/ranking"
    first = client.get(url)
    before = first["ETag"]
    korea = next(row for row in first.json()["items"] if row["iso3"] == "KOR")
    assert korea["income_group"] == "High"
    registry = services.default_registry()
    changed = replace(
        registry,
        countries={
            **registry.countries,
            "KOR": replace(registry.countries["KOR"], income_group="Upper middle"),
        },
    )
    services.countries_sync(registry=changed)  # no edition imported again

    response = client.get(url, headers={"If-None-Match": before})

    assert response.status_code == 200
    assert response["ETag"] != before
    korea = next(row for row in response.json()["items"] if row["iso3"] == "KOR")
    assert korea["income_group"] == "Upper middle"
    country = client.get("/api/v1/countries/KOR", headers={"If-None-Match": before})
    assert country.json()["income_group"] == "Upper middle"


def test_published_cache_keeps_values_for_one_tag_only() -> None:
    cache = PublishedCache(size=2)
    built: list[str] = []

    def build(name: str) -> Callable[[], str]:
        return lambda: built.append(name) or name

    assert cache.get('"a"', "x", build("x1")) == "x1"
    assert cache.get('"a"', "x", build("x2")) == "x1"  # kept
    assert cache.get('"b"', "x", build("x3")) == "x3"  # a new tag empties it
    cache.get('"b"', "y", build("y"))
    cache.get('"b"', "z", build("z"))  # past two entries the oldest goes
    assert cache.get('"b"', "x", build("x4")) == "x4"
    assert built == ["x1", "x3", "y", "z", "x4"]
