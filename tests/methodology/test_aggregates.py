from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest

from egov.errors import MethodologyError
from egov.methodology.aggregates import (
    SPREAD_COLUMNS,
    WORLD,
    group_aggregates,
    group_spread,
    world_average,
)
from egov.methodology.status import assessed

EGDI = pd.Series([0.9, 0.7, 0.3, 0.0, 0.5], index=["DNK", "EST", "NER", "SOM", "FJI"])
CONSIDERED = EGDI.gt(0)


def test_aggregates_by_label_skip_countries_not_considered() -> None:
    region = pd.Series(["Europe", "Europe", "Africa", "Africa", "Oceania"], index=EGDI.index)
    result = group_aggregates(EGDI, region, considered=CONSIDERED)
    assert result.index.tolist() == ["Africa", "Europe", "Oceania"]
    assert result.loc["Europe"].to_dict() == {"mean": 0.8, "median": 0.8, "count": 2, "share": 0.5}
    assert result.loc["Africa", "count"] == 1
    assert result["share"].sum() == pytest.approx(1.0)


def test_aggregates_by_membership_allow_overlapping_groups() -> None:
    groups = pd.DataFrame(
        {
            "LDC": [False, False, True, True, False],
            "SIDS": [False, False, False, False, True],
            "small": [False, True, True, False, True],
        },
        index=EGDI.index,
    )
    result = group_aggregates(EGDI, groups, considered=CONSIDERED)
    assert result.index.tolist() == ["LDC", "SIDS", "small"]
    assert result.loc["LDC", "mean"] == 0.3
    assert result.loc["small", "count"] == 3
    assert result.loc["small", "share"] == 0.75


def test_world_is_one_row() -> None:
    result = group_aggregates(EGDI, considered=CONSIDERED)
    assert result.index.tolist() == [WORLD]
    assert result.loc[WORLD, "count"] == 4
    assert result.loc[WORLD, "share"] == 1.0
    assert world_average(EGDI, considered=CONSIDERED) == pytest.approx(0.6)


def test_without_considered_flags_every_value_counts() -> None:
    assert world_average(EGDI) == pytest.approx(0.48)


def test_a_considered_country_missing_from_the_grouping_fails() -> None:
    with pytest.raises(MethodologyError, match="1 considered countries have no group: FJI"):
        group_aggregates(EGDI, pd.Series(["Europe"] * 4, index=EGDI.index[:4]))


def test_an_empty_membership_group_fails() -> None:
    groups = pd.DataFrame({"LLDC": [False] * 5}, index=EGDI.index)
    with pytest.raises(MethodologyError, match="LLDC"):
        group_aggregates(EGDI, groups)


def test_nothing_considered_fails() -> None:
    with pytest.raises(MethodologyError, match="no country is considered"):
        world_average(EGDI, considered=pd.Series(False, index=EGDI.index))


def test_a_label_of_nan_is_in_no_group() -> None:
    labels = pd.Series(["A", None, "A", "B", "B"], index=EGDI.index)
    result = group_aggregates(EGDI, labels)
    assert result["count"].to_dict() == {"A": 2, "B": 2}


def test_spread_by_label_matches_numpy_over_the_considered_countries() -> None:
    region = pd.Series(["Europe", "Europe", "Africa", "Africa", "Oceania"], index=EGDI.index)
    result = group_spread(EGDI, region, considered=CONSIDERED)
    assert list(result.columns) == list(SPREAD_COLUMNS)
    assert result.index.tolist() == ["Africa", "Europe", "Oceania"]
    assert result.loc["Europe"].to_dict() == pytest.approx(
        {
            "minimum": 0.7,
            "lower_quartile": 0.75,
            "upper_quartile": 0.85,
            "maximum": 0.9,
            "std": 0.1,
        }
    )
    # one country: no spread; SOM (EGDI 0, not considered) stays out of Africa
    assert result.loc["Africa"].tolist() == [0.3, 0.3, 0.3, 0.3, 0.0]


def test_spread_of_overlapping_groups_and_the_world() -> None:
    groups = pd.DataFrame(
        {"small": [False, True, True, False, True], "big": [True, False, False, False, False]},
        index=EGDI.index,
    )
    result = group_spread(EGDI, groups, considered=CONSIDERED)
    small = np.array([0.7, 0.3, 0.5])
    assert result.index.tolist() == ["small", "big"]
    assert result.loc["small", "lower_quartile"] == pytest.approx(np.quantile(small, 0.25))
    assert result.loc["small", "std"] == pytest.approx(np.std(small))
    world = group_spread(EGDI, considered=CONSIDERED).loc[WORLD]
    assert (world["minimum"], world["maximum"]) == (0.3, 0.9)


def test_spread_of_the_2024_regions_brackets_their_means(
    published: Mapping[int, pd.DataFrame], countries: pd.DataFrame
) -> None:
    frame = published[2024]
    considered = assessed(frame)
    spread = group_spread(frame["egdi"], countries["region"], considered=considered)
    means = group_aggregates(frame["egdi"], countries["region"], considered=considered)
    europe = frame["egdi"][considered & countries["region"].reindex(frame.index).eq("Europe")]
    assert spread.loc["Europe", "maximum"] == europe.max() == frame["egdi"].max()  # Denmark
    assert spread.loc["Europe", "std"] == pytest.approx(europe.std(ddof=0))
    assert (spread["minimum"] <= means["median"]).all()
    assert (means["median"] <= spread["maximum"]).all()
    assert (spread["lower_quartile"] <= means["median"]).all()
    assert (means["median"] <= spread["upper_quartile"]).all()


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2010, 0.4406),
        (2012, 0.4959),
        (2014, 0.4712),
        (2016, 0.4922),
        (2018, 0.5491),
        (2020, 0.5988),
    ],
)
def test_world_average_over_assessed_member_states(
    published: Mapping[int, pd.DataFrame], year: int, expected: float
) -> None:
    frame = published[year]
    assert round(world_average(frame["egdi"], considered=assessed(frame)), 4) == expected


def test_2012_world_average_is_not_the_seed_figure(published: Mapping[int, pd.DataFrame]) -> None:
    # Seed 004 quotes 0.4877; neither rule gives it (spec §10): reported, not tuned.
    frame = published[2012]
    over_assessed = world_average(frame["egdi"], considered=assessed(frame))
    with_zeros = world_average(frame["egdi"], considered=frame["rank"].notna())
    assert round(with_zeros, 4) == 0.4882
    assert 0.4877 not in (round(over_assessed, 4), round(with_zeros, 4))


def test_2020_official_regional_averages(
    published: Mapping[int, pd.DataFrame], countries: pd.DataFrame
) -> None:
    frame = published[2020]
    result = group_aggregates(frame["egdi"], countries["region"], considered=assessed(frame))
    assert result["mean"].round(4).to_dict() == {
        "Africa": 0.3914,
        "Americas": 0.6341,
        "Asia": 0.6373,
        "Europe": 0.8170,
        "Oceania": 0.5106,
    }
    assert result["count"].to_dict() == {
        "Africa": 54,
        "Americas": 35,
        "Asia": 47,
        "Europe": 43,
        "Oceania": 14,
    }


def test_every_grouping_of_the_countries_file_covers_all_countries(
    published: Mapping[int, pd.DataFrame], countries: pd.DataFrame
) -> None:
    frame = published[2024]
    for column in ("region", "sub-region", "income", "developed"):
        result = group_aggregates(frame["egdi"], countries[column], considered=assessed(frame))
        assert result["count"].sum() == 193, column
        assert result["share"].sum() == pytest.approx(1.0), column
