"""The official columns in a workbook: one sheet, the Data Center header, numbers as numbers."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final

from egov.data.readers.undesa_csv import HEADER
from egov.data.tables import INDICES, EditionTable
from egov.data.writers.csv import COLUMN_ORDER
from egov.data.writers.rows import output_rows

if TYPE_CHECKING:
    from openpyxl import Workbook

SHEET_TITLE: Final = "EGOV_DATA"
# Fixed stamps make the workbook a function of the data: the same tables give the same bytes
# (so a strong ETag holds across server processes, and two exports can be compared by hash).
_STAMP: Final = datetime(2000, 1, 1)  # noqa: DTZ001 - openpyxl takes naive UTC times
_ZIP_STAMP: Final = (1980, 1, 1, 0, 0, 0)
_MODIFIED: Final = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
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
    content = workbook_bytes(workbook)
    if isinstance(target, Path):
        target.write_bytes(content)
    else:
        target.write(content)


def workbook_bytes(workbook: Workbook) -> bytes:
    """The saved ``workbook`` with fixed stamps: the same cells give the same bytes."""
    workbook.properties.created = _STAMP
    buffer = io.BytesIO()
    workbook.save(buffer)  # openpyxl stamps the save time in core.xml and in every zip entry
    return _without_timestamps(buffer.getvalue())


def _without_timestamps(workbook: bytes) -> bytes:
    stamp = _STAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            copy.writestr(zipfile.ZipInfo(entry.filename, _ZIP_STAMP), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()
