"""Sobol indices: known analytic answers, SALib's own numbers, and the ranks of 2024."""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest
from SALib.test_functions import Ishigami  # type: ignore[import-untyped]

from egov.errors import MethodologyError
from egov.methodology import (
    EditionMethod,
    EditionModel,
    UncertaintySettings,
    edition_model,
    rank_sensitivity,
    simulated_ranks,
    sobol_design,
    sobol_indices,
)
from egov.methodology.sensitivity import _indices_by_column

#: Ishigami (a = 7, b = 0.1) on [−π, π]³: analytic indices (spec §9 test 3).
ISHIGAMI_S1 = (0.3139, 0.4424, 0.0)
ISHIGAMI_ST = (0.5576, 0.4424, 0.2437)
PI_BOUNDS = [(-np.pi, np.pi)] * 3


@pytest.fixture(scope="module")
def model_2024(
    published: Mapping[int, pd.DataFrame], methods: Mapping[int, EditionMethod]
) -> EditionModel:
    return edition_model(published[2024], methods[2024])


def test_ishigami_indices_match_the_analytic_values_within_salib_tolerance() -> None:
    factors = ["x1", "x2", "x3"]
    design = sobol_design(factors, 4096, seed=1, bounds=PI_BOUNDS)
    indices = sobol_indices(factors, Ishigami.evaluate(design), seed=1, bounds=PI_BOUNDS)

    # SALib's regression tolerance (tests/test_regression.py): atol 0.05, rtol 0.1.
    np.testing.assert_allclose(indices.first_order, ISHIGAMI_S1, atol=5e-2, rtol=1e-1)
    np.testing.assert_allclose(indices.total, ISHIGAMI_ST, atol=5e-2, rtol=1e-1)
    # And each analytic value lies inside the reported 95 % half-width.
    assert (np.abs(indices.first_order - ISHIGAMI_S1) <= indices.first_order_conf).all()
    assert (np.abs(indices.total - ISHIGAMI_ST) <= indices.total_conf).all()
    assert len(design) == 4096 * (3 + 2)


def test_a_linear_function_gets_its_analytic_indices() -> None:
    # y = x1 + 2 x2 + 3 x3 on U(0,1)³: S_i = S_Ti = (1, 4, 9) / 14 (COINr SA_estimate example).
    factors = ["x1", "x2", "x3"]
    design = sobol_design(factors, 4096, seed=1)
    indices = sobol_indices(factors, design @ np.array([1.0, 2.0, 3.0]), seed=1)

    analytic = np.array([1.0, 4.0, 9.0]) / 14
    np.testing.assert_allclose(indices.first_order, analytic, atol=5e-3)
    np.testing.assert_allclose(indices.total, analytic, atol=5e-3)
    assert indices.frame().columns.tolist() == ["S1", "S1_conf", "ST", "ST_conf"]


def test_per_country_indices_equal_one_salib_analysis_per_country(
    model_2024: EditionModel,
) -> None:
    settings = UncertaintySettings(seed=3)
    design = sobol_design(settings.factors, 256, seed=3)
    ranks = simulated_ranks(model_2024, settings, design).astype(np.float64)
    columns = [position for position in range(0, 193, 12) if np.ptp(ranks[:, position]) > 0]

    together = _indices_by_column(settings.factors, ranks[:, columns], seed=4)
    for k, position in enumerate(columns):
        alone = sobol_indices(settings.factors, ranks[:, position], seed=4)
        expected = (alone.first_order, alone.first_order_conf, alone.total, alone.total_conf)
        for mine, salib in zip(together, expected, strict=True):
            np.testing.assert_allclose(mine[k], salib, rtol=0, atol=1e-12)


def test_2024_weights_and_aggregation_reproduce_the_spec_worked_example(
    model_2024: EditionModel,
) -> None:
    # Spec §8: N = 1024, D = 4 (three weights + aggregation), seed 7, target R̄s.
    spec = {
        "w_osi": (0.071, 0.315),
        "w_tii": (0.071, 0.263),
        "w_hci": (0.031, 0.122),
        "aggregation": (0.517, 0.619),
    }
    settings = UncertaintySettings(seed=7, normalisation=False, noise=False)
    result = rank_sensitivity(model_2024, settings, 1024, countries=False)

    table = result.mean_abs_rank_shift.frame()
    assert table.index.tolist() == list(spec)
    assert result.runs == 1024 * 6
    for factor, (first, total) in spec.items():
        row = table.loc[factor]
        assert abs(row["S1"] - first) <= row["S1_conf"], factor
        assert abs(row["ST"] - total) <= row["ST_conf"], factor
    # The aggregation choice drives most of the rank movement; HCI's weight the least.
    assert table["ST"].idxmax() == "aggregation"
    assert table.loc[["w_osi", "w_tii", "w_hci"], "ST"].idxmin() == "w_hci"


def test_countries_whose_rank_never_moves_are_reported_not_analysed(
    model_2024: EditionModel,
) -> None:
    settings = UncertaintySettings(
        seed=5, noise_factor=0.05, normalisation=False, aggregation=False, noise=False
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = rank_sensitivity(model_2024, settings, 256)

    ranks = simulated_ranks(model_2024, settings, sobol_design(settings.factors, 256, seed=5))
    spreads = np.ptp(ranks, axis=0)
    moved = {iso3 for iso3, spread in zip(model_2024.iso3, spreads, strict=True) if spread}
    assert "DNK" in result.rank_invariant
    assert set(result.rank_invariant) == set(model_2024.iso3) - moved
    assert result.countries is not None
    assert set(result.countries.index.get_level_values("iso3")) == moved
    document = result.as_dict()
    assert set(document["countries"]) == moved  # type: ignore[arg-type]
    assert document["rank_invariant"] == list(result.rank_invariant)


def test_sensitivity_is_reproducible_even_with_seed_zero(model_2024: EditionModel) -> None:
    settings = UncertaintySettings(seed=0)
    first = rank_sensitivity(model_2024, settings, 128)
    again = rank_sensitivity(model_2024, settings, 128)

    assert first.as_dict() == again.as_dict()
    assert first.countries is not None
    assert len(first.countries) % 6 == 0


def test_the_design_needs_a_power_of_two() -> None:
    with pytest.raises(MethodologyError, match="power of two"):
        sobol_design(["a", "b"], 1000, seed=1)


def test_an_output_that_never_varies_has_no_indices() -> None:
    design = sobol_design(["a", "b"], 64, seed=1)
    with pytest.raises(MethodologyError, match="never varies"):
        sobol_indices(["a", "b"], np.ones(len(design)), seed=1)
