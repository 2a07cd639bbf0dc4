"""Compare an edition table with the official one: the values a reader must reproduce."""

from __future__ import annotations

import numpy as np
import pandas as pd

from egov.data.tables import INDICES, EditionTable


def value_differences(table: EditionTable, official: EditionTable) -> list[str]:
    """Every cell where ``table`` differs from ``official`` (empty list: identical).

    Compares the indices the table carries and, when it has ranks, the ranks, for every
    country of either table; a value one side lacks counts as a difference.
    """
    assert table.year == official.year
    countries = official.frame.index.union(table.frame.index)
    mine = table.frame.reindex(countries)
    theirs = official.frame.reindex(countries)
    columns = [*table.indices, *(["rank"] if table.frame["rank"].notna().any() else [])]
    differences = []
    for column in columns:
        a = mine[column].astype("Float64")
        b = theirs[column].astype("Float64")
        same = (a == b).fillna(False) | (a.isna() & b.isna())
        for iso3 in countries[~same.to_numpy(dtype=bool)]:
            differences.append(f"{table.year} {iso3} {column}: {a[iso3]} vs official {b[iso3]}")
    return differences


def assert_same_values(table: EditionTable, official: EditionTable) -> None:
    differences = value_differences(table, official)
    assert not differences, "\n".join(differences[:20])
    assert len(table.frame) == len(official.frame) == 193


def frames_equal_except_rows(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Same countries, names, ranks and values (row numbers may differ)."""
    left, right = a.drop(columns="row"), b.drop(columns="row")
    return (
        bool(left.index.equals(right.index))
        and all(left[column].equals(right[column]) for column in left.columns)
        and all(np.array_equal(left[k].isna(), right[k].isna()) for k in INDICES)
    )
