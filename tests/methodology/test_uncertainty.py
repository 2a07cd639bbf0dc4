"""Rank uncertainty on the published editions: the nominal run is the Survey, wider
assumptions give wider intervals, one seed gives one answer, chunks change nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import rankdata

from egov.errors import MethodologyError
from egov.methodology import (
    AGGREGATIONS,
    ComponentWeights,
    EditionMethod,
    EditionModel,
    UncertaintySettings,
    edition_model,
    egdi,
    egdi_group,
    rank_uncertainty,
    ranks_by_run,
    rating_class,
    simulated_ranks,
    unit_samples,
    what_if,
)

#: Every factor off: each run is the nominal run.
FIXED = UncertaintySettings(
    samples=40, weights=False, normalisation=False, aggregation=False, noise=False
)
#: Only the weights vary (spec §9 test 2).
WEIGHTS_ONLY = UncertaintySettings(
    samples=2000, seed=11, normalisation=False, aggregation=False, noise=False
)
YEARS = (2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024)


@pytest.fixture(scope="module")
def models(
    published: Mapping[int, pd.DataFrame], methods: Mapping[int, EditionMethod]
) -> dict[int, EditionModel]:
    return {year: edition_model(published[year], methods[year]) for year in YEARS}


@pytest.fixture(scope="module")
def model_2024(models: dict[int, EditionModel]) -> EditionModel:
    return models[2024]


@pytest.mark.parametrize("year", YEARS)
def test_with_every_perturbation_off_every_run_is_the_published_ranking(
    models: dict[int, EditionModel], published: Mapping[int, pd.DataFrame], year: int
) -> None:
    model = models[year]
    ranks = simulated_ranks(model, FIXED, unit_samples(FIXED))

    expected = published[year].loc[list(model.iso3), "rank"].to_numpy(dtype=np.int64)
    assert (ranks == expected).all()


@pytest.mark.parametrize("year", [2012, 2020, 2022, 2024])
def test_a_weight_noise_factor_of_zero_is_the_published_ranking(
    models: dict[int, EditionModel], year: int
) -> None:
    settings = replace(WEIGHTS_ONLY, samples=200, noise_factor=0.0)
    result = rank_uncertainty(models[year], settings)

    countries = result.countries
    for column in ("mean_rank", "median_rank", "rank_p5", "rank_p95"):
        assert (countries[column] == countries["published_rank"]).all(), column
    assert (countries["mean_abs_rank_shift"] == 0).all()
    assert (result.run_shift == 0).all()


def test_only_assessed_countries_are_ranked(models: dict[int, EditionModel]) -> None:
    # 2012: three countries not assessed (EGDI 0) share rank 191; 190 are ranked.
    assert models[2012].countries == 190
    assert models[2012].published_rank.max() == 190
    assert models[2024].countries == 193


def test_2020_exact_ties_keep_the_published_order_of_unrounded_values(
    models: dict[int, EditionModel],
) -> None:
    model = models[2020]
    nominal = simulated_ranks(model, FIXED, unit_samples(FIXED))[0]
    ranks = dict(zip(model.iso3, nominal, strict=True))
    # Croatia and Hungary both publish 0.7745 (rule R2).
    assert (ranks["HRV"], ranks["HUN"]) == (51, 52)


def test_equal_published_values_with_equal_ranks_stay_tied(
    models: dict[int, EditionModel],
) -> None:
    model = models[2018]
    nominal = simulated_ranks(model, FIXED, unit_samples(FIXED))[0]
    ranks = dict(zip(model.iso3, nominal, strict=True))
    # Slovakia and Serbia 0.7155 both 49, next Qatar 51 (rule R1).
    assert (ranks["SVK"], ranks["SRB"], ranks["QAT"]) == (49, 49, 51)


@pytest.mark.parametrize("year", [2020, 2022, 2024])
def test_the_nominal_run_gives_every_country_its_published_group_and_rating_class(
    models: dict[int, EditionModel],
    published: Mapping[int, pd.DataFrame],
    methods: Mapping[int, EditionMethod],
    year: int,
) -> None:
    model, method = models[year], methods[year]
    result = rank_uncertainty(model, FIXED)
    values = published[year].loc[list(model.iso3), "egdi"]

    groups = egdi_group(values)
    classes = rating_class(
        values,
        method=method.rating_class_method,
        quantile_method=method.quantile_method,
        tie_side=method.tie_side,
    )
    assert result.group_probabilities.idxmax(axis=1).tolist() == groups.tolist()
    assert (result.group_probabilities.max(axis=1) == 1.0).all()
    assert result.class_probabilities is not None
    assert result.class_probabilities.idxmax(axis=1).tolist() == classes.tolist()
    assert (result.class_probabilities.max(axis=1) == 1.0).all()


def test_intervals_shrink_with_the_weight_noise_and_vanish_at_zero(
    model_2024: EditionModel,
) -> None:
    widths = []
    for factor in (0.5, 0.25, 0.1, 0.0):
        result = rank_uncertainty(model_2024, replace(WEIGHTS_ONLY, noise_factor=factor))
        countries = result.countries
        widths.append(float((countries["rank_p95"] - countries["rank_p5"]).sum()))

    assert widths[0] > widths[1] > widths[2] > widths[3] == 0.0


def test_intervals_shrink_with_the_component_noise(model_2024: EditionModel) -> None:
    noise_only = UncertaintySettings(
        samples=2000, seed=3, weights=False, normalisation=False, aggregation=False
    )
    widths = []
    for scale in (1.0, 0.5, 0.1):
        sigmas = (0.02 * scale, 0.01 * scale, 0.01 * scale)
        result = rank_uncertainty(model_2024, replace(noise_only, sigmas=sigmas))
        widths.append(float((result.countries["rank_p95"] - result.countries["rank_p5"]).sum()))

    assert widths[0] > widths[1] > widths[2] > 0


def test_the_same_seed_gives_the_same_result_and_another_seed_another(
    model_2024: EditionModel,
) -> None:
    settings = UncertaintySettings(samples=3000, seed=5)
    first = rank_uncertainty(model_2024, settings)
    again = rank_uncertainty(model_2024, settings)
    other = rank_uncertainty(model_2024, replace(settings, seed=6))

    pd.testing.assert_frame_equal(first.countries, again.countries, check_exact=True)
    pd.testing.assert_frame_equal(first.group_probabilities, again.group_probabilities)
    assert first.run_shift.tobytes() == again.run_shift.tobytes()
    assert not first.countries.equals(other.countries)
    assert first.run_shift.tobytes() != other.run_shift.tobytes()


@pytest.mark.parametrize("chunk_rows", [1, 137, 999])
def test_chunking_does_not_change_any_result(model_2024: EditionModel, chunk_rows: int) -> None:
    settings = UncertaintySettings(samples=1500, seed=9)
    whole = rank_uncertainty(model_2024, settings)
    chunked = rank_uncertainty(model_2024, settings, chunk_rows=chunk_rows)

    pd.testing.assert_frame_equal(whole.countries, chunked.countries, check_exact=True)
    pd.testing.assert_frame_equal(whole.group_probabilities, chunked.group_probabilities)
    assert whole.class_probabilities is not None
    assert chunked.class_probabilities is not None
    pd.testing.assert_frame_equal(whole.class_probabilities, chunked.class_probabilities)
    assert whole.run_shift.tobytes() == chunked.run_shift.tobytes()


def test_chunks_larger_than_the_bound_are_refused(model_2024: EditionModel) -> None:
    with pytest.raises(MethodologyError, match="chunk rows"):
        rank_uncertainty(model_2024, FIXED, chunk_rows=2001)


def test_statistics_equal_numpy_over_every_simulated_rank(model_2024: EditionModel) -> None:
    settings = UncertaintySettings(samples=2500, seed=21)
    result = rank_uncertainty(model_2024, settings)
    ranks = simulated_ranks(model_2024, settings, unit_samples(settings))
    countries = result.countries
    published = model_2024.published_rank

    np.testing.assert_array_equal(countries["median_rank"], np.median(ranks, axis=0))
    p5, p95 = np.quantile(ranks, [0.05, 0.95], axis=0)
    np.testing.assert_allclose(countries["rank_p5"], p5, rtol=0, atol=1e-9)
    np.testing.assert_allclose(countries["rank_p95"], p95, rtol=0, atol=1e-9)
    np.testing.assert_allclose(countries["mean_rank"], ranks.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(countries["top10_probability"], (ranks <= 10).mean(axis=0))
    shift = np.abs(ranks - published)
    np.testing.assert_allclose(countries["mean_abs_rank_shift"], shift.mean(axis=0))
    np.testing.assert_allclose(result.run_shift, shift.mean(axis=1))
    mean, low, high = result.mean_abs_rank_shift
    assert low <= mean <= high


def test_group_probabilities_count_only_published_scale_runs(model_2024: EditionModel) -> None:
    every = rank_uncertainty(model_2024, UncertaintySettings(samples=3000, seed=2))
    published_scale = rank_uncertainty(
        model_2024, UncertaintySettings(samples=3000, seed=2, normalisation=False)
    )

    # One normalisation in three is the published min-max (rule 3).
    assert every.published_scale_share == pytest.approx(1 / 3, abs=0.03)
    assert published_scale.published_scale_share == 1.0
    for result in (every, published_scale):
        np.testing.assert_allclose(result.group_probabilities.sum(axis=1), 1.0)
        assert result.class_probabilities is not None
        np.testing.assert_allclose(result.class_probabilities.sum(axis=1), 1.0)


def test_denmark_stays_first_and_somalia_near_last_in_2024(model_2024: EditionModel) -> None:
    # Spec §8 worked example (weights ±25 %, arithmetic or geometric): Denmark 1 [1-1],
    # Somalia 191 [190-193].
    settings = UncertaintySettings(samples=10_000, seed=2024, normalisation=False, noise=False)
    countries = rank_uncertainty(model_2024, settings).countries

    assert countries.loc["DNK", ["median_rank", "rank_p5", "rank_p95"]].tolist() == [1, 1, 1]
    assert countries.loc["DNK", "top10_probability"] == 1.0
    somalia = countries.loc["SOM"]
    assert somalia["published_rank"] == 191
    assert 190 <= somalia["rank_p5"] <= somalia["median_rank"] <= somalia["rank_p95"] <= 193


def test_the_json_has_the_documented_shape(model_2024: EditionModel) -> None:
    document = rank_uncertainty(model_2024, UncertaintySettings(samples=300, seed=4)).as_dict()

    assert list(document) == ["edition", "samples", "seed", "assumptions", "countries"]
    assert (document["edition"], document["samples"], document["seed"]) == (2024, 300, 4)
    countries = document["countries"]
    assert isinstance(countries, list)
    assert len(countries) == 193
    assert list(countries[0]) == [
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
    assert countries[0]["iso3"] == "DNK"
    assert countries[0]["name"] == "Denmark"
    assert list(countries[0]["group_probabilities"]) == ["V", "H", "M", "L"]


def test_settings_keys_are_stable_and_differ_by_any_setting() -> None:
    base = UncertaintySettings(samples=1000, seed=1)
    assert base.key == UncertaintySettings(samples=1000, seed=1).key
    variants = [
        replace(base, seed=2),
        replace(base, samples=1001),
        replace(base, noise_factor=0.1),
        replace(base, noise=False),
        replace(base, sigmas=(0.02, 0.01, 0.02)),
        replace(base, noisy_copies=50),
    ]
    keys = {base.key, *(variant.key for variant in variants)}
    assert len(keys) == len(variants) + 1


@pytest.mark.parametrize(
    "arguments",
    [{"noise_factor": 0.6}, {"samples": 0}, {"sigmas": (0.1, -0.1, 0.1)}, {"seed": -1}],
)
def test_impossible_settings_are_refused(arguments: dict[str, object]) -> None:
    with pytest.raises(MethodologyError):
        UncertaintySettings(**arguments)  # type: ignore[arg-type]


def test_what_if_with_the_edition_weights_is_the_published_ranking(
    model_2024: EditionModel,
) -> None:
    table = what_if(model_2024, ComponentWeights(1 / 3, 1 / 3, 1 / 3))

    assert (table["rank"] == table["published_rank"]).all()
    assert (table["rank_change"] == 0).all()
    assert (table["egdi"] == model_2024.published_egdi).all()


@pytest.mark.parametrize("aggregation", AGGREGATIONS)
def test_what_if_moves_the_published_egdi_by_the_change_in_the_formula(
    published: Mapping[int, pd.DataFrame],
    model_2024: EditionModel,
    aggregation: str,
) -> None:
    heavy_osi = ComponentWeights(0.5, 0.25, 0.25)
    table = what_if(model_2024, heavy_osi, aggregation=aggregation)
    frame = published[2024].loc[list(model_2024.iso3)]
    nominal = egdi(frame)
    if aggregation == "arithmetic_mean":
        moved = egdi(frame, weights=heavy_osi)
    else:  # rule 2: the geometric mean on 1 + 99 C, mapped back
        logs = np.log1p(99 * frame[["osi", "tii", "hci"]].to_numpy()) @ heavy_osi.as_array()
        moved = pd.Series(np.expm1(logs) / 99, index=frame.index)

    expected = frame["egdi"] + (moved - nominal)
    np.testing.assert_allclose(table["egdi"], expected, rtol=0, atol=1e-12)
    assert (table["rank_change"] == table["published_rank"] - table["rank"]).all()
    assert (table["rank"] != table["published_rank"]).any()
    assert sorted(table["rank"]) == list(range(1, 194))


def test_what_if_with_all_weight_on_osi_orders_by_osi(
    published: Mapping[int, pd.DataFrame], model_2024: EditionModel
) -> None:
    table = what_if(model_2024, ComponentWeights(1.0, 0.0, 0.0))
    osi = published[2024].loc[list(model_2024.iso3), "osi"]

    # The residual (|r| ≤ 7.4e-5) can only swap countries whose OSI differ by less.
    order = osi.rank(ascending=False, method="min")
    assert (np.abs(order - table["rank"]) <= 2).all()


def test_what_if_refuses_an_unknown_aggregation(model_2024: EditionModel) -> None:
    with pytest.raises(MethodologyError, match="unknown aggregation"):
        what_if(model_2024, ComponentWeights(0.4, 0.3, 0.3), aggregation="harmonic")


scores_with_ties = arrays(
    np.float64,
    st.tuples(st.integers(1, 6), st.integers(2, 12)),
    elements=st.sampled_from([0.1, 0.25, 0.5, 0.75, 0.9]),
)


@given(scores_with_ties)
def test_equal_published_ranks_give_plain_competition_ranks(scores: np.ndarray) -> None:
    equal = np.ones(scores.shape[1], dtype=np.int64)

    expected = rankdata(-scores, method="min", axis=1)
    np.testing.assert_array_equal(ranks_by_run(scores, equal), expected)


@given(scores_with_ties)
def test_distinct_published_ranks_break_every_exact_tie(scores: np.ndarray) -> None:
    distinct = np.arange(1, scores.shape[1] + 1)

    ranks = ranks_by_run(scores, distinct)
    assert (np.sort(ranks, axis=1) == distinct).all()
    # A higher score never ranks below a lower one.
    for row, score in zip(ranks, scores, strict=True):
        higher = score[:, np.newaxis] > score[np.newaxis, :]
        assert (row[:, np.newaxis] < row[np.newaxis, :])[higher].all()


@given(arrays(np.float64, st.integers(2, 30), elements=st.floats(0, 1)))
def test_ranks_of_distinct_scores_are_a_permutation_led_by_the_highest(
    scores: np.ndarray,
) -> None:
    ranks = ranks_by_run(scores[np.newaxis], np.ones(len(scores), dtype=np.int64))[0]

    assert ranks[np.argmax(scores)] == 1
    assert ranks.min() == 1
    assert ranks.max() <= len(scores)
    np.testing.assert_array_equal(ranks, rankdata(-scores, method="min"))
