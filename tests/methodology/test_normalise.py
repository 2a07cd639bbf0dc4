from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from egov.errors import MethodologyError
from egov.methodology.normalise import NORMALISERS, cap, min_max, percent, z_score

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


def test_min_max_maps_the_extremes_onto_the_bounds() -> None:
    assert min_max(np.array([3.0, 1.0, 2.0])).tolist() == [1.0, 0.0, 0.5]
    assert min_max(np.array([3.0, 1.0]), lower=-1.0, upper=1.0).tolist() == [1.0, -1.0]


def test_min_max_works_column_by_column_and_keeps_nan() -> None:
    result = min_max(np.array([[1.0, 10.0], [3.0, np.nan], [2.0, 20.0]]))
    np.testing.assert_array_equal(result, [[0.0, 0.0], [1.0, np.nan], [0.5, 1.0]])


def test_a_constant_has_no_range() -> None:
    with pytest.raises(MethodologyError, match="zero range"):
        min_max(np.array([0.5, 0.5]))
    with pytest.raises(MethodologyError, match="zero deviation"):
        z_score(np.array([0.5, 0.5]))


def test_all_nan_cannot_be_normalised() -> None:
    with pytest.raises(MethodologyError, match="all NaN"):
        min_max(np.array([np.nan, np.nan]))


def test_z_score_uses_the_population_deviation_by_default() -> None:
    np.testing.assert_allclose(z_score(np.array([1.0, 2.0, 3.0])), [-1.224745, 0, 1.224745], 1e-6)
    np.testing.assert_allclose(z_score(np.array([1.0, 2.0, 3.0]), ddof=1), [-1.0, 0.0, 1.0])


def test_z_score_needs_more_values_than_ddof() -> None:
    with pytest.raises(MethodologyError, match="ddof"):
        z_score(np.array([1.0]), ddof=1)


def test_cap_cuts_only_values_above_the_cap() -> None:
    np.testing.assert_array_equal(
        cap(np.array([95.0, 120.0, 135.0, np.nan]), upper=120.0), [95.0, 120.0, 120.0, np.nan]
    )


def test_percent_divides_by_one_hundred() -> None:
    assert percent(np.array([50.0, 226.0])).tolist() == [0.5, 2.26]


def test_the_family_is_chosen_by_name() -> None:
    assert set(NORMALISERS) == {"min_max", "z_score", "percent"}
    assert NORMALISERS["min_max"] is min_max


@given(arrays(np.float64, st.integers(2, 40), elements=finite))
def test_min_max_values_lie_in_the_unit_interval(x: npt.NDArray[np.float64]) -> None:
    if np.ptp(x) == 0:
        return
    result = min_max(x)
    assert result.min() == 0.0
    assert result.max() == 1.0
    assert np.all((result >= 0) & (result <= 1))


@given(arrays(np.float64, st.integers(2, 40), elements=finite))
def test_z_score_has_mean_zero_and_unit_deviation(x: npt.NDArray[np.float64]) -> None:
    if np.std(x) < 1e-3:
        return
    result = z_score(x)
    assert abs(result.mean()) < 1e-9
    assert abs(result.std() - 1) < 1e-9
