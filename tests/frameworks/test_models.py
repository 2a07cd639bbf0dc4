from __future__ import annotations

import pytest
from pydantic import ValidationError

from egov.frameworks.models import (
    AnomalyModel,
    ComponentWeightsModel,
    IndicatorsModel,
    OsiModel,
    RankingModel,
)

INDICATORS = {
    "indicators": ["internet_users", "mobile_cellular"],
    "weights": [0.5, 0.5],
    "normaliser": "z_score",
    "rescaled": True,
    "published_only": False,
    "verified": True,
}


def _codes(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [problem["type"] for problem in error.value.errors()]


def test_weights_may_be_fractions_and_must_sum_to_one() -> None:
    assert ComponentWeightsModel(osi="1/3", tii="1/3", hci="1/3").osi == pytest.approx(1 / 3)
    with pytest.raises(ValidationError) as caught:
        ComponentWeightsModel(osi=0.5, tii=0.5, hci=0.5)
    assert _codes(caught) == ["weights-sum"]


def test_a_weight_lies_in_the_unit_interval() -> None:
    with pytest.raises(ValidationError) as caught:
        ComponentWeightsModel(osi=1.5, tii=-0.25, hci=-0.25)
    assert _codes(caught) == ["less_than_equal", "greater_than_equal", "greater_than_equal"]


def test_indicator_weights_fit_the_indicators() -> None:
    assert IndicatorsModel(**INDICATORS).to_method().weights == (0.5, 0.5)
    with pytest.raises(ValidationError) as caught:
        IndicatorsModel(**{**INDICATORS, "indicators": ["a", "a"]})
    assert _codes(caught) == ["duplicate-indicator"]


def test_method_names_are_checked_against_their_family() -> None:
    with pytest.raises(ValidationError) as caught:
        IndicatorsModel(**{**INDICATORS, "aggregator": "median"})
    assert _codes(caught) == ["unknown-method"]
    with pytest.raises(ValidationError) as caught:
        RankingModel(method="olympic", decimals=4)
    assert _codes(caught) == ["unknown-method"]


def test_osi_subindex_weights_sum_to_one() -> None:
    model = OsiModel(
        subindices={"SP": 0.45, "CP": 0.15, "IF": 0.1, "TEC": 0.05, "EPI": 0.25}, verified=False
    )
    assert model.subindices["SP"] == 0.45
    with pytest.raises(ValidationError):
        OsiModel(subindices={"SP": 0.45}, verified=False)


def test_models_are_frozen_and_forbid_unknown_keys() -> None:
    model = RankingModel(method="competition", decimals=None)
    with pytest.raises(ValidationError):
        model.decimals = 4  # type: ignore[misc]
    with pytest.raises(ValidationError) as caught:
        RankingModel(method="competition", decimals=4, ties="min")  # type: ignore[call-arg]
    assert _codes(caught) == ["extra_forbidden"]


def test_an_anomaly_names_the_stripped_country_and_an_iso3() -> None:
    fields = {
        "year": 2020,
        "country": "Hungary",
        "iso3": "HUN",
        "kind": "rank",
        "published": 52,
        "recomputed": 51,
        "evidence": "tie at 0.7745",
    }
    assert AnomalyModel(**fields).to_anomaly().published == 52
    with pytest.raises(ValidationError):
        AnomalyModel(**{**fields, "country": "Hungary "})
    with pytest.raises(ValidationError):
        AnomalyModel(**{**fields, "iso3": "hun"})
