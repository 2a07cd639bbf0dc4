"""A file as rows of text cells, whatever holds them: CSV text, an XLSX workbook, JSON records.

The container is told by the bytes, never by the name: a zip archive is a workbook, text that
starts with ``[`` or ``{`` is JSON, other text is CSV. The one exception is a file named
``.xlsx``/``.xlsm`` that is not a zip archive: it is refused (``unreadable-xlsx``) rather than
read as whatever else it might be.

Encoding (our decision): UTF-8 with or without BOM is read as is. Bytes
that are not valid UTF-8 are read as Windows-1252 when they decode without an undefined byte;
Windows-1252 agrees with Latin-1 on every letter (they differ only in 0x80-0x9F, control codes
in Latin-1 that no CSV holds), so a cp1252 or Latin-1 re-save of a Data Center file reads
back exactly, and the tables carry an ``encoding-cp1252`` note. Any other 8-bit code page would
show as names that do not resolve (``unknown-country``). UTF-16/UTF-32 (a BOM), NUL bytes or
other control characters are refused with an ``encoding`` issue: save the file as UTF-8 CSV.

Separator: the most frequent of ``,``, ``;`` and tab in the first non-blank line, outside
quotes. With ``;`` or tab, a number written with a decimal comma (``0,69556``) is read as one.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, Literal

from egov.errors import Issue

Container = Literal["csv", "xlsx", "json"]

_ZIP: Final = b"PK\x03\x04"
_OLE: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, or an encrypted .xlsx
_WIDE_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_CONTROL: Final = frozenset(chr(code) for code in range(32)) - {"\t", "\n", "\r", "\x0c"}


@dataclass(frozen=True, slots=True)
class Sheet:
    """Rows of text cells; ``rows[i]`` is spreadsheet row ``i + 1``."""

    rows: Sequence[Sequence[str]]
    container: Container
    decimal_comma: bool = False
    notes: tuple[Issue, ...] = ()


class Unreadable(Exception):
    """The file cannot be turned into rows; ``issue`` says why."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def open_sheet(content: bytes, *, file: str) -> Sheet:
    """The rows of ``content``; :class:`Unreadable` when there are none to be had."""
    if not content.strip():
        raise Unreadable(Issue("empty-file", "the file is empty", file))
    suffix = file.rsplit(".", 1)[-1].casefold() if "." in file else ""
    if content.startswith(_ZIP):
        return _workbook(content, file=file)
    if content.startswith(_OLE):
        raise Unreadable(
            Issue(
                "unreadable-xlsx",
                "a legacy Excel 97-2003 (.xls) or password-protected workbook; "
                "save it as .xlsx or CSV",
                file,
            )
        )
    if suffix in {"xlsx", "xlsm"}:
        raise Unreadable(
            Issue(
                "unreadable-xlsx",
                "not an XLSX workbook (it is not a zip archive); if it is CSV text, name it .csv",
                file,
            )
        )
    text, notes = _decode(content, file=file)
    if text.lstrip().startswith(("[", "{")):
        return _json_sheet(text, file=file, notes=notes)
    return _csv_sheet(text, file=file, notes=notes)


def _decode(content: bytes, *, file: str) -> tuple[str, tuple[Issue, ...]]:
    for bom, name in _WIDE_BOMS:
        if content.startswith(bom):
            raise Unreadable(
                Issue("encoding", f"{name} text; save the file as UTF-8 CSV", file, value=name)
            )
    notes: tuple[Issue, ...] = ()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise Unreadable(
                Issue(
                    "encoding",
                    f"neither UTF-8 nor Windows-1252 text (byte 0x{content[error.start]:02x} "
                    f"at offset {error.start}); save the file as UTF-8 CSV",
                    file,
                )
            ) from None
        notes = (
            Issue(
                "encoding-cp1252",
                "not UTF-8; read as Windows-1252 (Latin-1)",
                file,
                value="cp1252",
            ),
        )
    bad = next((char for char in text if char in _CONTROL), None)
    if bad is not None:
        raise Unreadable(
            Issue(
                "encoding",
                f"binary data, not text (control character U+{ord(bad):04X}); "
                "save the file as UTF-8 CSV",
                file,
            )
        )
    return text, notes


def _separator(text: str) -> str:
    line = next((line for line in text.splitlines() if line.strip()), "")
    counts = dict.fromkeys((",", ";", "\t"), 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(counts, key=lambda sep: (counts[sep], sep == ","))


def _csv_sheet(text: str, *, file: str, notes: tuple[Issue, ...]) -> Sheet:
    separator = _separator(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as error:
        raise Unreadable(Issue("unreadable-csv", f"not readable as CSV: {error}", file)) from None
    return Sheet(rows=rows, container="csv", decimal_comma=separator != ",", notes=notes)


def cell_text(value: object) -> str:
    """A workbook or JSON value as the text a CSV would hold (floats keep every digit)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _workbook(content: bytes, *, file: str) -> Sheet:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = [
                [cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)
            ]
        finally:
            workbook.close()
    except Exception as error:  # openpyxl raises zipfile, KeyError, XML and value errors alike
        raise Unreadable(
            Issue(
                "unreadable-xlsx",
                f"the workbook cannot be opened ({type(error).__name__}: {error}); "
                "it may be truncated or not an XLSX file",
                file,
            )
        ) from None
    for row in rows:
        while row and not row[-1]:
            row.pop()
    return Sheet(rows=rows, container="xlsx")


def _json_sheet(text: str, *, file: str, notes: tuple[Issue, ...]) -> Sheet:
    """JSON records (``[{"year": 2022, "iso3": "IRQ", ...}, ...]``) as a header and rows.

    The first record is row 2, as in the CSV export of the same tables.
    """
    try:
        records = json.loads(text)
    except json.JSONDecodeError as error:
        raise Unreadable(
            Issue(
                "unreadable-json",
                f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
                file,
            )
        ) from None
    if not isinstance(records, list) or not all(isinstance(item, dict) for item in records):
        raise Unreadable(
            Issue("unreadable-json", "JSON that is not a list of records (objects)", file)
        )
    header: dict[str, None] = {}
    for record in records:
        header.update(dict.fromkeys(str(key) for key in record))
    rows = [list(header)]
    rows += [[cell_text(record.get(key)) for key in header] for record in records]
    return Sheet(rows=rows, container="json", notes=notes)
