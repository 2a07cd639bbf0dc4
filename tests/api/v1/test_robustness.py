"""The robustness endpoints on the 12 published editions: the JSON of ``egov uncertainty
--json`` (the core called directly with the same seed and samples) and what-if re-rankings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from egov.methodology import ComponentWeights, UncertaintySettings, rank_uncertainty, what_if
from egov.web.datacenter import selectors
from egov.web.datacenter.models import Edition

pytestmark = pytest.mark.django_db


def _get(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.content
    return response.json()


def test_uncertainty_is_the_cli_json_of_the_same_run(imported: list[Path], client: Client) -> None:
    body = _get(client, "/api/v1/editions/2024/uncertainty?samples=2000&seed=7")

    model = selectors.uncertainty_model(edition=Edition.objects.get(year=2024))
    expected = rank_uncertainty(model, UncertaintySettings(samples=2000, seed=7)).as_dict()
    assert body == json.loads(json.dumps(expected))
    assert list(body) == ["edition", "samples", "seed", "assumptions", "countries"]
    assert list(body["countries"][0]) == [
        "iso3",
        "name",
        "published_rank",
        "median_rank",
        "rank_p5",
        "rank_p95",
        "group_probabilities",
        "top10_probability",
        "mean_abs_rank_shift",
    ]
    assert len(body["countries"]) == 193


def test_default_run_is_the_documented_one(imported: list[Path], client: Client) -> None:
    body = _get(client, "/api/v1/editions/2024/uncertainty")

    assert (body["samples"], body["seed"]) == (10_000, 2024)
    denmark = next(row for row in body["countries"] if row["iso3"] == "DNK")
    assert (denmark["published_rank"], denmark["median_rank"]) == (1, 1.0)
    assert (denmark["rank_p5"], denmark["rank_p95"]) == (1.0, 3.0)
    assert body["assumptions"]["group_probabilities_over"]["share_of_runs"] == 0.3306


@pytest.mark.parametrize("query", ["samples=20001", "samples=0", "seed=-1"])
def test_out_of_range_parameters_are_refused(
    imported: list[Path], client: Client, query: str
) -> None:
    body = _get(client, f"/api/v1/editions/2024/uncertainty?{query}", 422)

    assert body["ok"] is False
    assert body["code"] == "invalid-parameters"
    assert body["errors"][0]["field"] == query.split("=")[0]


def test_unknown_edition_is_not_found(imported: list[Path], client: Client) -> None:
    for url in ("/api/v1/editions/1999/uncertainty", "/api/v1/editions/1999/what-if"):
        assert _get(client, url, 404)["code"] == "unknown-edition"


def test_uncertainty_carries_an_etag(imported: list[Path], client: Client) -> None:
    response = client.get("/api/v1/editions/2024/uncertainty?samples=100")
    etag = response["ETag"]

    again = client.get("/api/v1/editions/2024/uncertainty?samples=100", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_what_if_with_the_edition_weights_gives_the_published_ranks(
    imported: list[Path], client: Client
) -> None:
    body = _get(client, "/api/v1/editions/2008/what-if")

    assert body["weights"] == {"osi": 0.34, "tii": 0.33, "hci": 0.33}
    assert body["aggregation"] == "arithmetic"
    assert all(row["rank"] == row["published_rank"] for row in body["countries"])
    assert all(row["rank_change"] == 0 for row in body["countries"])


def test_what_if_reranks_as_the_core(imported: list[Path], client: Client) -> None:
    body = _get(client, "/api/v1/editions/2024/what-if?osi=2&tii=1&hci=1&aggregation=geometric")

    assert body["weights"] == {"osi": 0.5, "tii": 0.25, "hci": 0.25}
    model = selectors.uncertainty_model(edition=Edition.objects.get(year=2024))
    expected = what_if(model, ComponentWeights(0.5, 0.25, 0.25), aggregation="geometric_mean")
    got = {row["iso3"]: row for row in body["countries"]}
    for iso3, row in expected.iterrows():
        assert got[str(iso3)]["rank"] == row["rank"]
        assert got[str(iso3)]["egdi"] == pytest.approx(row["egdi"])
        assert got[str(iso3)]["group"] == row["group"]
    ranks = [row["rank"] for row in body["countries"]]
    assert ranks == sorted(ranks)


def test_what_if_refuses_weights_that_sum_to_zero(imported: list[Path], client: Client) -> None:
    body = _get(client, "/api/v1/editions/2024/what-if?osi=0&tii=0&hci=0", 422)
    assert body["code"] == "invalid-parameters"
    assert (
        _get(client, "/api/v1/editions/2024/what-if?aggregation=median", 422)["errors"][0]["field"]
        == "aggregation"
    )


def test_endpoints_are_in_the_openapi_document(client: Client) -> None:
    paths = _get(client, "/api/v1/openapi.json")["paths"]
    assert "/api/v1/editions/{year}/uncertainty" in paths
    assert "/api/v1/editions/{year}/what-if" in paths
