"""The official Data Center CSV: the 8 published columns, as the download spells them.

UTF-8 without BOM, CRLF line ends, the country name spelled as the source file had it and quoted
as the Data Center quotes it (when it has a leading or trailing space, which 175 of the 193
published names do, or a comma or quote), every index with 5 decimals (``0.93000``), an empty
rank where the table has none. Written from the table of one edition, a Data Center file comes
back byte for byte (the 2022 download, which kept its CRLFs; the others up to line ends).

The official column order is year, name, rank, EGDI, EPI, OSI, HCI, TII.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Final

from egov.data.readers.undesa_csv import HEADER
from egov.data.tables import INDICES, EditionTable
from egov.data.writers.rows import output_rows

#: Index codes in the official column order (EGDI, EPI, OSI, HCI, TII).
COLUMN_ORDER: Final = ("egdi", "epi", "osi", "hci", "tii")
_POSITIONS: Final = tuple(INDICES.index(key) for key in COLUMN_ORDER)


def csv_text(tables: Sequence[EditionTable]) -> str:
    """The CSV file's text (CRLF line ends)."""
    lines = [",".join(HEADER)]
    for row in output_rows(tables):
        values = [row.values[position] for position in _POSITIONS]
        cells = [
            str(row.year),
            _quoted(row.name),
            "" if row.rank is None else str(row.rank),
            *("" if value is None else f"{value:.5f}" for value in values),
        ]
        lines.append(",".join(cells))
    return "\r\n".join(lines) + "\r\n"


def _quoted(name: str) -> str:
    if name != name.strip() or any(char in name for char in ',"\r\n'):
        return '"' + name.replace('"', '""') + '"'
    return name


def write_csv(tables: Sequence[EditionTable], target: Path | IO[bytes]) -> None:
    """Write ``tables`` to a path or a binary stream (bytes, so the CRLFs stay as written)."""
    content = csv_text(tables).encode("utf-8")
    if isinstance(target, Path):
        target.write_bytes(content)
    else:
        target.write(content)
