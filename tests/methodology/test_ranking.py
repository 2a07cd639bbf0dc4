from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from egov.methodology.ranking import RANKERS, competition_rank, dense_rank

# Values on a coarse grid so that ties are frequent.
grid_values = st.lists(st.integers(0, 20).map(lambda step: step / 20), min_size=1, max_size=60)


def test_equal_scores_share_a_rank_and_the_next_skips() -> None:
    assert competition_rank(pd.Series([0.9, 0.8, 0.8, 0.7])).tolist() == [1, 2, 2, 4]


def test_dense_ranks_leave_no_gap() -> None:
    assert dense_rank(pd.Series([0.9, 0.8, 0.8, 0.7])).tolist() == [1, 2, 2, 3]


def test_nan_gets_no_rank() -> None:
    ranks = competition_rank(pd.Series([0.5, np.nan, 0.7], index=["A", "B", "C"]))
    assert str(ranks.dtype) == "Int64"
    assert ranks.isna().tolist() == [False, True, False]
    assert ranks.dropna().tolist() == [2, 1]


def test_decimals_round_before_ranking() -> None:
    values = pd.Series([0.77451, 0.77449, 0.7])
    assert competition_rank(values).tolist() == [1, 2, 3]
    assert competition_rank(values, decimals=4).tolist() == [1, 1, 3]


def test_ascending_ranks_the_lowest_first() -> None:
    assert competition_rank(pd.Series([3.0, 1.0, 2.0]), ascending=True).tolist() == [3, 1, 2]


def test_ranks_keep_the_index_and_name() -> None:
    values = pd.Series([0.2, 0.9], index=["NER", "DNK"], name="egdi")
    ranks = competition_rank(values)
    assert ranks.index.tolist() == ["NER", "DNK"]
    assert ranks.name == "egdi"


def test_the_family_is_chosen_by_name() -> None:
    assert RANKERS["competition"] is competition_rank
    assert RANKERS["dense"] is dense_rank


@given(grid_values)
def test_ranks_form_a_competition_ranking(values: list[float]) -> None:
    series = pd.Series(values)
    ranks = competition_rank(series)
    array = np.array(values)
    expected = [1 + int(np.sum(array > value)) for value in values]
    assert ranks.tolist() == expected


@given(grid_values)
def test_dense_ranks_count_distinct_higher_values(values: list[float]) -> None:
    ranks = dense_rank(pd.Series(values))
    expected = [1 + len({other for other in values if other > value}) for value in values]
    assert ranks.tolist() == expected


@given(grid_values, st.integers(0, 2**32 - 1))
def test_ranks_do_not_depend_on_row_order(values: list[float], seed: int) -> None:
    series = pd.Series(values, index=[f"c{i}" for i in range(len(values))])
    shuffled = series.sample(frac=1.0, random_state=np.random.default_rng(seed))
    assert competition_rank(shuffled).sort_index().equals(competition_rank(series).sort_index())


def test_epi_rank_methods_of_2010_and_2012(published: Mapping[int, pd.DataFrame]) -> None:
    # spec §6: Kazakhstan 0.55714 is 18th in 2010 (competition; dense would be 14) and
    # 0.9474 is 2nd in 2012 (dense; competition would be 3), as seed 004 reports (18 → 2).
    ranked_2010 = published[2010][published[2010]["rank"].notna()]
    ranked_2012 = published[2012]
    assert competition_rank(ranked_2010["epi"])["KAZ"] == 18
    assert dense_rank(ranked_2010["epi"])["KAZ"] == 14
    assert dense_rank(ranked_2012["epi"])["KAZ"] == 2
    assert competition_rank(ranked_2012["epi"])["KAZ"] == 3
