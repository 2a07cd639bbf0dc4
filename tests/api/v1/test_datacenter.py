from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from egov.web.datacenter import selectors, services
from egov.web.datacenter.models import Edition, IndexValue

YEARS = [2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024]


def _get(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.content
    return response.json()


@pytest.mark.django_db
def test_editions_lists_every_stored_edition(imported: list[Path], client: Client) -> None:
    editions = _get(client, "/api/v1/editions")

    assert [e["year"] for e in editions] == YEARS
    latest = editions[-1]
    assert latest["source"] == "EGOV_DATA_2024.csv"
    assert latest["countries"] == 193
    assert latest["indices"] == ["egdi", "epi", "osi", "hci", "tii"]
    assert latest["rating_classes_published"] is True
    assert editions[0]["rating_classes_published"] is False


@pytest.mark.django_db
def test_edition_detail_is_the_edition_of_the_list(imported: list[Path], client: Client) -> None:
    listed = {e["year"]: e for e in _get(client, "/api/v1/editions")}

    assert _get(client, "/api/v1/editions/2010") == listed[2010]


@pytest.mark.django_db
def test_ranking_returns_every_country_with_classes_and_groups(
    imported: list[Path], client: Client
) -> None:
    ranking = _get(client, "/api/v1/editions/2022/ranking")

    assert (ranking["year"], ranking["previous_year"], ranking["count"]) == (2022, 2020, 193)
    assert ranking["rating_class_method"] == "count_quartile"
    assert len(ranking["items"]) == 193
    first = ranking["items"][0]
    assert first == {
        "rank": 1,
        "iso3": "DNK",
        "name": "Denmark",
        "region": "Europe",
        "sub_region": "Northern Europe",
        "income_group": "High",
        "egdi": 0.9717,
        "osi": 0.9797,
        "tii": 0.9795,
        "hci": 0.9559,
        "epi": 0.8864,
        "group": "V",
        "rating_class": "VH",
        "rank_change": 0,
        "ldc": False,
        "lldc": False,
        "sids": False,
        "status": "assessed",
        "assessed": True,
    }
    tied = [row["iso3"] for row in ranking["items"] if row["rank"] == 5]
    assert sorted(tied) == ["ISL", "SWE"]  # Sweden and Iceland share rank 5 (0.9410)


@pytest.mark.django_db
def test_ranking_equals_the_selector_row_for_row(imported: list[Path], client: Client) -> None:
    items = _get(client, "/api/v1/editions/2016/ranking")["items"]
    rows = selectors.edition_ranking(edition=Edition.objects.get(year=2016)).rows

    assert [(i["iso3"], i["rank"], i["rating_class"]) for i in items] == [
        (r.iso3, r.rank, r.rating_class) for r in rows
    ]


@pytest.mark.django_db
def test_ranking_costs_the_same_queries_for_every_edition(
    imported: list[Path], client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for year in (2003, 2014, 2024):
        with django_assert_max_num_queries(5):  # version, edition, values, previous, its ranks
            first = client.get(f"/api/v1/editions/{year}/ranking")
        with django_assert_max_num_queries(1):  # kept: the version only
            again = client.get(f"/api/v1/editions/{year}/ranking")
        assert first.status_code == again.status_code == 200
        assert again.content == first.content


@pytest.mark.django_db
def test_aggregates_give_the_official_2020_world_and_regional_averages(
    imported: list[Path], client: Client
) -> None:
    answer = _get(client, "/api/v1/editions/2020/aggregates")
    egdi = {
        (row["grouping"], row["group"]): row for row in answer["items"] if row["index"] == "egdi"
    }

    assert answer["year"] == 2020
    assert round(egdi[("world", "World")]["mean"], 4) == 0.5988
    assert round(egdi[("region", "Europe")]["mean"], 4) == 0.8170
    assert round(egdi[("region", "Africa")]["mean"], 4) == 0.3914
    assert egdi[("region", "Africa")]["count"] == 54
    assert {g for kind, g in egdi if kind == "special_group"} == {"ldc", "lldc", "sids"}
    assert set(answer["items"][0]) == {
        "grouping",
        "group",
        "index",
        "mean",
        "median",
        "count",
        "share",
    }


@pytest.mark.django_db
def test_countries_are_paginated_with_registry_metadata(
    imported: list[Path], client: Client
) -> None:
    first = _get(client, "/api/v1/countries?limit=10")
    second = _get(client, "/api/v1/countries?limit=10&offset=10")
    everything = _get(client, "/api/v1/countries?limit=1000")

    assert first["count"] == second["count"] == everything["count"] == 193
    assert len(first["items"]) == 10
    names = [c["name"] for c in everything["items"]]
    assert [c["name"] for c in first["items"] + second["items"]] == names[:20]
    assert _get(client, "/api/v1/countries")["items"] == everything["items"][:100]  # default
    afghanistan = first["items"][0]
    assert afghanistan == {
        "iso3": "AFG",
        "m49": "004",
        "name": "Afghanistan",
        "region": "Asia",
        "sub_region": "Southern Asia",
        "income_group": "Low",
        "developed": False,
        "un_member": True,
        "ldc": True,
        "lldc": True,
        "sids": False,
    }


@pytest.mark.django_db
def test_countries_filter_by_region_and_group(imported: list[Path], client: Client) -> None:
    registry = services.default_registry()

    assert _get(client, "/api/v1/countries?region=Oceania")["count"] == 14
    sids = _get(client, "/api/v1/countries?group=sids&limit=1000")["items"]
    assert {c["iso3"] for c in sids} == {c.iso3 for c in registry.members if c.sids}


@pytest.mark.django_db
def test_country_is_found_by_iso3_in_any_case(imported: list[Path], client: Client) -> None:
    assert _get(client, "/api/v1/countries/ken")["name"] == "Kenya"


@pytest.mark.django_db
def test_history_lists_every_edition_of_the_country(imported: list[Path], client: Client) -> None:
    history = _get(client, "/api/v1/countries/EST/history")

    assert history["country"]["iso3"] == "EST"
    assert [row["year"] for row in history["editions"]] == YEARS
    in_2020 = next(row for row in history["editions"] if row["year"] == 2020)
    stored = IndexValue.objects.get(edition__year=2020, country__iso3="EST", index="egdi")
    assert (in_2020["rank"], in_2020["egdi"]) == (3, stored.value)
    assert (in_2020["group"], in_2020["rating_class"], in_2020["status"]) == ("V", "VH", "assessed")


@pytest.mark.django_db
def test_values_are_filtered_and_paginated(imported: list[Path], client: Client) -> None:
    page = _get(client, "/api/v1/values?edition=2024&index=egdi&limit=3")

    assert page["count"] == 193
    assert page["items"] == [
        {"year": 2024, "iso3": "DNK", "index": "egdi", "value": 0.98474, "rank": 1},
        {"year": 2024, "iso3": "EST", "index": "egdi", "value": 0.97274, "rank": 2},
        {"year": 2024, "iso3": "SGP", "index": "egdi", "value": 0.96912, "rank": 3},
    ]
    assert _get(client, "/api/v1/values?country=ken")["count"] == 12 * 5
    assert _get(client, "/api/v1/values?edition=2020&index=osi&region=Europe")["count"] == 43
    oceania_sids = _get(client, "/api/v1/values?edition=2024&index=egdi&region=Oceania&group=sids")
    assert oceania_sids["count"] == 12
    assert {row["index"] for row in oceania_sids["items"]} == {"egdi"}
    assert (
        _get(client, "/api/v1/values?sub_region=Western%20Asia&edition=2024&index=tii")["count"]
        == IndexValue.objects.filter(
            edition__year=2024, index="tii", country__sub_region="Western Asia"
        ).count()
    )
    whole = _get(client, "/api/v1/values?edition=2024&limit=1000")
    assert (whole["count"], len(whole["items"])) == (965, 965)
    last = _get(client, "/api/v1/values?edition=2024&limit=1000&offset=960")
    assert last["items"] == whole["items"][960:]
