from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from egov.errors import MethodologyError
from egov.methodology.aggregate import AGGREGATORS, arithmetic_mean, geometric_mean


def test_arithmetic_mean_divides_by_the_weight_sum() -> None:
    values = np.array([[1.0, 0.0], [0.5, 0.5]])
    np.testing.assert_allclose(arithmetic_mean(values, np.array([3.0, 1.0])), [0.75, 0.5])


def test_arithmetic_mean_with_rule_e2_weights() -> None:
    values = np.array([[1.0, 0.63902, 0.99293]])
    result = arithmetic_mean(values, np.array([0.34, 0.33, 0.33]))
    np.testing.assert_allclose(result, [0.8785435], atol=1e-9)


def test_a_nan_part_makes_the_row_nan() -> None:
    result = arithmetic_mean(np.array([[1.0, np.nan], [1.0, 1.0]]), np.array([0.5, 0.5]))
    assert np.isnan(result[0])
    assert result[1] == 1.0


def test_geometric_mean_is_zero_when_a_part_is_zero() -> None:
    result = geometric_mean(np.array([[0.0, 1.0], [0.25, 1.0]]), np.array([1.0, 1.0]))
    np.testing.assert_allclose(result, [0.0, 0.5])


def test_a_zero_weight_part_does_not_count_in_the_geometric_mean() -> None:
    result = geometric_mean(np.array([[0.0, 0.49]]), np.array([0.0, 1.0]))
    np.testing.assert_allclose(result, [0.49])


def test_geometric_mean_refuses_negative_values() -> None:
    with pytest.raises(MethodologyError, match="non-negative"):
        geometric_mean(np.array([[-1.0, 1.0]]), np.array([1.0, 1.0]))


@pytest.mark.parametrize("weights", [np.array([1.0]), np.array([-1.0, 2.0]), np.array([0.0, 0.0])])
def test_bad_weights_are_refused(weights: npt.NDArray[np.float64]) -> None:
    with pytest.raises(MethodologyError):
        arithmetic_mean(np.array([[1.0, 0.0]]), weights)


def test_the_family_is_chosen_by_name() -> None:
    assert dict(AGGREGATORS) == {
        "arithmetic_mean": arithmetic_mean,
        "geometric_mean": geometric_mean,
    }
