from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import partial

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from egov.errors import MethodologyError
from egov.methodology.editions import ComponentMethod, ComponentWeights, EditionMethod, OsiMethod
from egov.methodology.indices import (
    component_index,
    composite,
    egdi,
    epi,
    hci,
    osi,
    stage_shares,
    tii,
)
from egov.methodology.normalise import z_score

# Spec §4.3: four countries, 2020 TII rules (internet %, mobile, active mobile broadband,
# fixed broadband; cap 120).
TII_EXAMPLE = pd.DataFrame(
    {
        "internet_users": [95.0, 60.0, 20.0, 75.0],
        "mobile_cellular": [135.0, 105.0, 80.0, 150.0],
        "active_mobile_broadband": [110.0, 70.0, 25.0, 125.0],
        "fixed_broadband": [40.0, 8.0, 0.5, 30.0],
    },
    index=["A", "B", "C", "D"],
)
TII_2020 = ComponentMethod(
    indicators=("internet_users", "mobile_cellular", "active_mobile_broadband", "fixed_broadband"),
    weights=(0.25, 0.25, 0.25, 0.25),
    cap=120.0,
)
# Spec §4.4: (adult literacy %, gross enrolment %, expected years, mean years), 2014+ weights.
HCI_EXAMPLE = pd.DataFrame(
    {
        "adult_literacy": [99.0, 85.0, 40.0, 92.0],
        "gross_enrolment": [95.0, 70.0, 35.0, 88.0],
        "expected_years_of_schooling": [17.0, 12.0, 7.0, 15.0],
        "mean_years_of_schooling": [12.5, 8.0, 2.5, 10.0],
    },
    index=["A", "B", "C", "D"],
)
HCI_2014 = ComponentMethod(
    indicators=tuple(HCI_EXAMPLE.columns),
    weights=(1 / 3, 2 / 9, 2 / 9, 2 / 9),
)
E2 = ComponentWeights(0.34, 0.33, 0.33)


def test_tii_worked_example_of_the_spec() -> None:
    result = tii(TII_EXAMPLE, TII_2020)
    np.testing.assert_allclose(result, [1.0, 0.4695, 0.0, 0.8905], atol=1e-4)
    assert result.name == "tii"


def test_tii_worked_example_z_scores_and_means() -> None:
    capped = np.minimum(TII_EXAMPLE.to_numpy(), 120.0)
    z = z_score(capped)
    np.testing.assert_allclose(z[0], [1.1818, 0.8412, 0.7671, 1.2736], atol=1e-4)
    np.testing.assert_allclose(z[3], [0.4545, 0.8412, 1.0339, 0.6485], atol=1e-4)
    np.testing.assert_allclose(z.mean(axis=1), [1.0159, -0.2986, -1.4619, 0.7445], atol=1e-4)
    z1 = z_score(capped, ddof=1)
    np.testing.assert_allclose(z1.mean(axis=1), [0.8798, -0.2586, -1.2661, 0.6448], atol=1e-4)


def test_tii_is_the_same_whatever_the_ddof() -> None:
    matrix = TII_EXAMPLE.to_numpy()
    ddof0 = composite(matrix, TII_2020.weights, upper=120.0)
    ddof1 = composite(matrix, TII_2020.weights, upper=120.0, normaliser=partial(z_score, ddof=1))
    np.testing.assert_allclose(ddof0, ddof1, atol=1e-12)


def test_the_cap_changes_the_tii() -> None:
    uncapped = tii(TII_EXAMPLE, replace(TII_2020, cap=None))
    assert abs(uncapped["D"] - 0.8905) > 1e-3


def test_hci_worked_example_of_the_spec() -> None:
    result = hci(HCI_EXAMPLE, HCI_2014)
    np.testing.assert_allclose(result, [1.0, 0.6153, 0.0, 0.8332], atol=1e-4)
    z = z_score(HCI_EXAMPLE.to_numpy())
    np.testing.assert_allclose(
        z @ np.array(HCI_2014.weights), [1.0164, 0.0083, -1.6041, 0.5794], atol=1e-4
    )


def test_composite_without_rescale_is_the_weighted_mean_of_z_scores() -> None:
    method = replace(HCI_2014, rescaled=False)
    z = z_score(HCI_EXAMPLE.to_numpy())
    np.testing.assert_allclose(component_index(HCI_EXAMPLE, method), z @ np.array(method.weights))


def test_a_country_missing_an_indicator_gets_nan_and_stays_out_of_the_statistics() -> None:
    frame = pd.concat([TII_EXAMPLE, pd.DataFrame({"internet_users": [50.0]}, index=["E"])])
    result = tii(frame, TII_2020)
    assert np.isnan(result["E"])
    np.testing.assert_allclose(result[["A", "B", "C", "D"]], [1.0, 0.4695, 0.0, 0.8905], atol=1e-4)


def test_published_only_components_are_not_recomputed() -> None:
    with pytest.raises(MethodologyError, match="published only"):
        component_index(HCI_EXAMPLE, replace(HCI_2014, published_only=True))


def test_missing_indicator_columns_are_named() -> None:
    with pytest.raises(MethodologyError, match="mean_years_of_schooling"):
        hci(HCI_EXAMPLE.drop(columns="mean_years_of_schooling"), HCI_2014)


def test_weights_must_fit_the_indicators() -> None:
    with pytest.raises(MethodologyError, match="weights"):
        composite(TII_EXAMPLE.to_numpy(), [0.5, 0.5])


def test_unknown_method_names_fail() -> None:
    with pytest.raises(MethodologyError, match="unknown normaliser 'rank'"):
        component_index(TII_EXAMPLE, replace(TII_2020, normaliser="rank"))
    with pytest.raises(MethodologyError, match="unknown aggregator"):
        component_index(TII_EXAMPLE, replace(TII_2020, aggregator="median"))


def test_egdi_korea_2010_worked_check() -> None:
    korea = pd.DataFrame({"osi": [1.0], "tii": [0.63902], "hci": [0.99293]}, index=["KOR"])
    assert round(egdi(korea, weights=E2)["KOR"], 5) == 0.87854
    assert round(egdi(korea)["KOR"], 5) != 0.87854


def test_egdi_of_a_not_assessed_country_is_zero() -> None:
    components = pd.DataFrame(
        {"osi": [0.5, 0.0], "tii": [0.5, 0.37433], "hci": [0.5, 0.85018]}, index=["A", "LBY"]
    )
    flags = pd.Series([True, False], index=["A", "LBY"])
    assert egdi(components, assessed=flags).tolist() == [0.5, 0.0]


def test_egdi_needs_an_assessed_flag_for_every_country() -> None:
    components = pd.DataFrame({"osi": [0.5], "tii": [0.5], "hci": [0.5]}, index=["A"])
    with pytest.raises(MethodologyError, match="no assessed flag for A"):
        egdi(components, assessed=pd.Series([True], index=["B"]))


def test_egdi_with_the_geometric_mean() -> None:
    components = pd.DataFrame({"osi": [1.0, 0.0], "tii": [1.0, 0.9], "hci": [1.0, 0.9]})
    assert egdi(components, aggregator="geometric_mean").tolist() == [1.0, 0.0]


unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@given(
    unit,
    unit,
    unit,
    st.floats(min_value=0.0, max_value=1.0),
    st.sampled_from(["osi", "tii", "hci"]),
)
def test_egdi_is_monotone_in_each_component(
    osi_value: float, tii_value: float, hci_value: float, step: float, component: str
) -> None:
    base = pd.DataFrame({"osi": [osi_value], "tii": [tii_value], "hci": [hci_value]})
    raised = base.copy()
    raised[component] = min(1.0, base[component].iloc[0] + step)
    for weights in (ComponentWeights(1 / 3, 1 / 3, 1 / 3), E2):
        assert egdi(raised, weights=weights).iloc[0] >= egdi(base, weights=weights).iloc[0]


@given(
    st.lists(
        st.tuples(*[st.floats(min_value=0, max_value=200, allow_nan=False)] * 4),
        min_size=3,
        max_size=30,
    )
)
def test_rescaled_composites_lie_in_the_unit_interval(rows: list[tuple[float, ...]]) -> None:
    matrix = np.array(rows)
    try:
        result = composite(matrix, [0.25] * 4, upper=120.0)
    except MethodologyError:
        return  # a constant indicator or composite has no range
    assert np.nanmin(result) == 0.0
    assert np.nanmax(result) == 1.0


def test_osi_weights_subindex_shares_then_min_max() -> None:
    method = OsiMethod(subindex_weights=(("SP", 0.75), ("EPI", 0.25)))
    points = pd.DataFrame(
        {"SP": [30.0, 15.0, 0.0, 6.0], "EPI": [0.0, 21.0, 0.0, 0.0]}, index=["A", "B", "C", "SOM"]
    )
    flags = pd.Series([True, True, True, False], index=points.index)
    result = osi(points, maxpoints={"SP": 30.0, "EPI": 21.0}, method=method, assessed=flags)
    # raw: A 0.75, B 0.375 + 0.25 = 0.625, C 0; the not-assessed gets 0 (rule E3)
    np.testing.assert_allclose(result, [1.0, 0.625 / 0.75, 0.0, 0.0])


def test_epi_is_min_max_of_points() -> None:
    result = epi(pd.Series([45.0, 0.0, 30.0]))
    np.testing.assert_allclose(result, [1.0, 0.0, 30 / 45])


def test_2010_epi_stage_denominators_reproduce_table_5_2(
    methods: Mapping[int, EditionMethod],
) -> None:
    maxima = dict(methods[2010].epi.stage_maxima)
    assert maxima == {"e-information": 8, "e-consultation": 33, "e-decision-making": 16}
    korea = pd.DataFrame(
        {"e-information": [7], "e-consultation": [26], "e-decision-making": [12]}, index=["KOR"]
    )
    shares = stage_shares(korea, maxima).loc["KOR"].round(2)
    assert shares.to_dict() == {
        "e-information": 87.5,
        "e-consultation": 78.79,
        "e-decision-making": 75.0,
        "total": 78.95,
    }
