from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pytest

from egov.errors import MethodologyError
from egov.methodology.status import (
    ASSESSED,
    INCONSISTENT,
    NOT_ASSESSED,
    NOT_MEMBER,
    assessed,
    country_status,
)


def _frame(rank: list[int | None], egdi: list[float], tii: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rank": pd.array(rank, dtype="Int64"),
            "egdi": egdi,
            "osi": [0.0] * len(egdi),
            "tii": tii,
            "hci": [0.0] * len(egdi),
            "epi": [0.0] * len(egdi),
        },
        index=[f"C{i}" for i in range(len(egdi))],
    )


def test_each_row_gets_one_status() -> None:
    frame = _frame([1, 2, None, None], [0.5, 0.0, 0.0, 0.3], [0.5, 0.2, 0.0, 0.3])
    assert country_status(frame).tolist() == [ASSESSED, NOT_ASSESSED, NOT_MEMBER, INCONSISTENT]
    assert assessed(frame).tolist() == [True, False, False, False]


def test_an_unranked_row_with_a_non_zero_component_is_inconsistent() -> None:
    frame = _frame([1, None], [0.5, 0.0], [0.5, 0.1])
    assert country_status(frame).tolist() == [ASSESSED, INCONSISTENT]


def test_without_any_rank_membership_comes_from_the_values() -> None:
    frame = _frame([None, None, None], [0.5, 0.0, 0.0], [0.5, 0.2, 0.0])
    assert country_status(frame).tolist() == [ASSESSED, NOT_ASSESSED, NOT_MEMBER]


def test_rank_and_egdi_columns_are_required() -> None:
    with pytest.raises(MethodologyError):
        country_status(pd.DataFrame({"egdi": [0.5]}))


@pytest.mark.parametrize(
    ("year", "not_assessed", "last_rank", "not_members"),
    [
        (2003, 18, 174, {"MNE", "SSD"}),
        (2004, 13, 179, {"MNE", "SSD"}),
        (2005, 12, 180, {"MNE", "SSD"}),
        (2008, 10, 183, {"SSD"}),
        (2010, 9, 184, {"SSD"}),
        (2012, 3, 191, set()),
        (2014, 0, None, set()),
        (2024, 0, None, set()),
    ],
)
def test_statuses_of_the_published_editions(
    published: Mapping[int, pd.DataFrame],
    year: int,
    not_assessed: int,
    last_rank: int | None,
    not_members: set[str],
) -> None:
    frame = published[year]
    status = country_status(frame)
    assert (status == NOT_ASSESSED).sum() == not_assessed
    assert set(frame.index[status == NOT_MEMBER]) == not_members
    assert not (status == INCONSISTENT).any()
    if last_rank is not None:
        assert set(frame.loc[status == NOT_ASSESSED, "rank"]) == {last_rank}
