from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pytest
from tests.methodology.conftest import EDITION_YEARS

from egov.data import tables
from egov.errors import MethodologyError
from egov.methodology.editions import (
    COMPONENTS,
    EQUAL_THIRDS,
    INDICES,
    ComponentMethod,
    ComponentWeights,
    EditionMethod,
    EpiMethod,
)

PART = ComponentMethod(indicators=("x",), weights=(1.0,))


def test_an_edition_method_is_a_frozen_value() -> None:
    method = EditionMethod(2012, "t", "EGDI", EQUAL_THIRDS, PART, PART)
    with pytest.raises(dataclasses.FrozenInstanceError):
        method.rank_decimals = 4  # type: ignore[misc]
    what_if = dataclasses.replace(method, rank_decimals=None)
    assert what_if.rank_decimals is None
    assert method.rank_decimals == 5
    assert hash(method) == hash(dataclasses.replace(method))


def test_unverified_lists_the_blocks_with_recalled_facts() -> None:
    method = EditionMethod(2024, "t", "EGDI", EQUAL_THIRDS, PART, PART)
    assert method.verified
    flagged = dataclasses.replace(
        method,
        egdi_verified=False,
        hci=dataclasses.replace(PART, verified=False),
        epi=EpiMethod(verified=False),
    )
    assert flagged.unverified == ("egdi_weights", "hci", "epi")
    assert not flagged.verified


def test_component_weights_come_out_in_component_order() -> None:
    assert ComponentWeights(0.34, 0.33, 0.33).as_array().tolist() == [0.34, 0.33, 0.33]


def test_the_core_names_agree_with_the_data_contract() -> None:
    assert COMPONENTS == tables.COMPONENTS
    assert INDICES == tables.INDICES


def test_every_edition_with_data_has_a_method(methods: Mapping[int, EditionMethod]) -> None:
    assert tuple(methods) == EDITION_YEARS
    assert all(year == method.year for year, method in methods.items())


@pytest.mark.parametrize("year", EDITION_YEARS)
def test_egdi_weights_per_edition(methods: Mapping[int, EditionMethod], year: int) -> None:
    weights = methods[year].egdi_weights
    if year in (2008, 2010):  # rule E2
        assert weights == ComponentWeights(0.34, 0.33, 0.33)
    else:  # rule E1
        assert weights.as_array() == pytest.approx([1 / 3] * 3)


def test_per_edition_choices_of_the_spec(methods: Mapping[int, EditionMethod]) -> None:
    assert methods[2020].rank_decimals is None  # rule R2
    assert methods[2018].rank_decimals == 4
    assert methods[2012].epi.rank_method == "dense"
    assert methods[2010].epi.rank_method == "competition"
    assert [year for year, m in methods.items() if m.tii.cap == 120] == [2020, 2022, 2024]
    assert [year for year, m in methods.items() if m.tii.published_only] == [
        2003,
        2004,
        2005,
        2008,
        2010,
    ]
    assert [year for year, m in methods.items() if m.hci.may_exceed_one] == [2003, 2004, 2005]
    assert [year for year, m in methods.items() if m.rating_classes_published] == [2020, 2022, 2024]
    assert {m.not_assessed_component for y, m in methods.items() if y in (2008, 2010)} == {"hci"}
    assert methods[2024].tii.verified is False  # assumed as 2022 [R]
    assert len(methods[2020].tii.indicators) == 4
    assert "fixed_telephone" not in methods[2020].tii.indicators


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rank_method": "olympic"}, "unknown ranker 'olympic'"),
        ({"egdi_aggregator": "median"}, "unknown aggregator 'median'"),
        ({"rating_class_method": "jenks"}, "unknown rating-class method 'jenks'"),
        ({"quantile_method": "sevenths"}, "unknown quantile method"),
        ({"tie_side": "middle"}, "unknown tie side"),
        ({"not_assessed_component": "epi"}, "unknown component"),
    ],
)
def test_an_unknown_method_name_fails_when_the_value_is_made(
    change: dict[str, str], message: str
) -> None:
    method = EditionMethod(2012, "t", "EGDI", EQUAL_THIRDS, PART, PART)
    with pytest.raises(MethodologyError, match=message):
        dataclasses.replace(method, **change)  # type: ignore[arg-type]


def test_an_unknown_epi_rank_method_fails() -> None:
    with pytest.raises(MethodologyError, match="unknown ranker 'olympic'"):
        EpiMethod(rank_method="olympic")


def test_a_component_method_needs_one_weight_per_indicator_and_known_names() -> None:
    with pytest.raises(MethodologyError, match="1 weights for 2 indicators"):
        ComponentMethod(indicators=("a", "b"), weights=(1.0,))
    with pytest.raises(MethodologyError, match="unknown normaliser 'rank'"):
        ComponentMethod(indicators=("a",), weights=(1.0,), normaliser="rank")
