"""The official columns in a workbook: one sheet, the Data Center header, numbers as numbers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Final

from egov.data.readers.undesa_csv import HEADER
from egov.data.tables import INDICES, EditionTable
from egov.data.writers.csv import COLUMN_ORDER
from egov.data.writers.rows import output_rows

SHEET_TITLE: Final = "EGOV_DATA"
_POSITIONS: Final = tuple(INDICES.index(key) for key in COLUMN_ORDER)


def write_xlsx(tables: Sequence[EditionTable], target: Path | IO[bytes]) -> None:
    """Write ``tables`` to a path or a binary stream as a one-sheet XLSX workbook."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.append(list(HEADER))
    for row in output_rows(tables):
        values = [row.values[position] for position in _POSITIONS]
        sheet.append([row.year, row.name, row.rank, *values])
    workbook.save(target if not isinstance(target, Path) else str(target))
