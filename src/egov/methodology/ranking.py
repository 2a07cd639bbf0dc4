"""Ranks and ties: the highest value ranks first.

Both rankers take a Series of values indexed by country and return ``Int64`` ranks with the
same index; NaN values get no rank (``<NA>``). Equal values always share a rank, so the result
never depends on row order. ``decimals`` rounds before ranking: the Survey ranks on the
published (4- or 5-decimal) values, except 2020, which ranked on unrounded values
(spec §9, rules R1/R2). The per-edition choice is ``EditionMethod.rank_decimals``.

Rounding uses :meth:`pandas.Series.round` (round half to even on the binary value); on
published values, which already carry at most ``decimals`` decimals, it changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal, Protocol

import pandas as pd


class Ranker(Protocol):
    """``rank(values, decimals=…, ascending=…) -> Int64 ranks``."""

    def __call__(
        self, values: pd.Series[float], /, *, decimals: int | None = None, ascending: bool = False
    ) -> pd.Series[int]: ...


def _rank(
    values: pd.Series[float],
    method: Literal["min", "dense"],
    decimals: int | None,
    ascending: bool,
) -> pd.Series[int]:
    keyed = values.astype("float64")
    if decimals is not None:
        keyed = keyed.round(decimals)
    ranks = keyed.rank(method=method, ascending=ascending, na_option="keep")
    result: pd.Series[int] = ranks.astype("Int64")
    result.name = values.name
    return result


def competition_rank(
    values: pd.Series[float], *, decimals: int | None = None, ascending: bool = False
) -> pd.Series[int]:
    r"""Standard competition ranking ("1224"): ties share a rank and the next one skips.

    .. math:: rank_c = 1 + \#\{d : x_d > x_c\}

    The Survey's EGDI ranks follow this rule in every edition 2003-2024 (spec §9 rule R1,
    [D]: 100 % agreement, e.g. 2018 Slovakia and Serbia 0.7155 both 49, next Qatar 51), and
    not-assessed countries (EGDI 0) share the last rank (rule R3).

    >>> competition_rank(pd.Series([0.9, 0.8, 0.8, 0.7])).tolist()
    [1, 2, 2, 4]
    >>> competition_rank(pd.Series([0.77451, 0.77449]), decimals=4).tolist()
    [1, 1]
    """
    return _rank(values, "min", decimals, ascending)


def dense_rank(
    values: pd.Series[float], *, decimals: int | None = None, ascending: bool = False
) -> pd.Series[int]:
    r"""Dense ranking ("1223"): ties share a rank and the next one follows without a gap.

    .. math:: rank_c = 1 + \#\{x_d : x_d > x_c\}\ \text{(distinct values)}

    The 2012 Survey ranked EPI this way ([D] + [S] seed 004: Kazakhstan's EPI 0.9474 is 2nd
    after the Netherlands and Korea, tied at 1.0; spec §6).

    >>> dense_rank(pd.Series([1.0, 1.0, 0.9474, 0.9])).tolist()
    [1, 1, 2, 3]
    """
    return _rank(values, "dense", decimals, ascending)


#: The rankers by name; ``editions.yaml`` refers to these keys.
RANKERS: Final[Mapping[str, Ranker]] = MappingProxyType(
    {"competition": competition_rank, "dense": dense_rank}
)
