"""The rows every writer writes: one per country and edition, in the file's original order."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pandas as pd

from egov.data.tables import INDICES, EditionTable


@dataclass(frozen=True, slots=True)
class OutputRow:
    year: int
    iso3: str
    name: str
    rank: int | None
    values: tuple[float | None, ...]  # in INDICES order; None where the table has no value


def output_rows(tables: Sequence[EditionTable]) -> Iterator[OutputRow]:
    """Rows of each table in turn, each table in the order its source file had them."""
    for table in tables:
        frame = table.frame.sort_values("row", kind="stable")
        ranks = frame["rank"].astype("Int64")
        for position, iso3 in enumerate(frame.index):
            rank = ranks.iloc[position]
            yield OutputRow(
                year=table.year,
                iso3=str(iso3),
                name=str(frame["name"].iloc[position]),
                rank=None if pd.isna(rank) else int(rank),
                values=tuple(_value(frame[key].iloc[position]) for key in INDICES),
            )


def _value(value: object) -> float | None:
    number = float(value)  # type: ignore[arg-type]  # a float column holds floats
    return None if math.isnan(number) else round(number, 5)
