"""Indicator and raw-score files for recomputing a component (``egov compute``).

One row per country: a country column (``ISO3``/``Country Code``/``REF_AREA`` holding codes,
or ``Country Name``/``Country`` holding names the registry resolves) and one numeric column
per indicator, named as the edition's method names them (``internet_users``, …; case,
spaces and punctuation are ignored). CSV, XLSX or JSON records, as every reader accepts.
Every problem is collected: unknown or repeated country, missing indicator column, blank
or non-numeric cell.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Final

import pandas as pd

from egov.data.countries import CountryRegistry
from egov.data.readers.layout import header_key
from egov.data.readers.sheets import Sheet, Unreadable, open_sheet
from egov.data.validation import CellError, number, quoted
from egov.errors import DataFileError, Issue

_CODE_HEADERS: Final = frozenset({"iso3", "countrycode", "refarea", "code"})
_NAME_HEADERS: Final = frozenset({"countryname", "country", "refarealabel"})


def read_indicators(
    path: Path, *, registry: CountryRegistry, required: Sequence[str] = ()
) -> pd.DataFrame:
    """The indicator values of ``path``, indexed by ISO3, one float column per indicator.

    ``required`` names the columns the computation needs; the frame holds exactly those (in
    that order) when given, else every column but the country's.
    """
    file = path.name
    try:
        sheet = open_sheet(path.read_bytes(), file=file)
    except Unreadable as error:
        raise DataFileError([error.issue]) from None
    except OSError as error:
        raise DataFileError([Issue("unreadable-file", str(error.strerror), file)]) from None
    issues: list[Issue] = []
    frame = _frame(sheet, file, registry, required, issues)
    if issues or frame is None:
        raise DataFileError(issues)
    return frame


def _frame(
    sheet: Sheet,
    file: str,
    registry: CountryRegistry,
    required: Sequence[str],
    issues: list[Issue],
) -> pd.DataFrame | None:
    rows = [row for row in sheet.rows if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        issues.append(Issue("header-only", "the file has no country rows", file))
        return None
    header = [cell.strip() for cell in sheet.rows[0]]
    keys = [header_key(label) for label in header]
    country_at = next(
        (i for i, key in enumerate(keys) if key in _CODE_HEADERS | _NAME_HEADERS), None
    )
    if country_at is None:
        issues.append(
            Issue(
                "missing-column",
                "no country column (ISO3, Country Code or Country Name)",
                file,
                row=1,
                field="Country Name",
            )
        )
        return None
    wanted = list(required) or [h for i, h in enumerate(header) if i != country_at and h]
    columns: dict[str, int] = {}
    for name in wanted:
        at = next((i for i, key in enumerate(keys) if key == header_key(name)), None)
        if at is None:
            issues.append(
                Issue("missing-column", f"no column {quoted(name)}", file, row=1, field=name)
            )
        else:
            columns[name] = at
    if len(columns) < len(wanted):
        return None
    by_code = keys[country_at] in _CODE_HEADERS
    records: dict[str, list[float]] = {}
    seen: dict[str, int] = {}
    for number_, row in enumerate(sheet.rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = list(row) + [""] * (len(header) - len(row))
        iso3 = _country(cells[country_at], by_code, registry)
        field = header[country_at]
        if iso3 is None:
            issues.append(
                Issue(
                    "unknown-country",
                    f"unknown country {quoted(cells[country_at])}",
                    file,
                    row=number_,
                    field=field,
                    value=cells[country_at],
                )
            )
        elif iso3 in seen:
            issues.append(
                Issue(
                    "duplicate-country",
                    f"{iso3} already given on row {seen[iso3]}",
                    file,
                    row=number_,
                    field=field,
                    value=cells[country_at],
                )
            )
        values = list(_values(cells, columns, number_, file, sheet.decimal_comma, issues))
        if iso3 is not None and iso3 not in seen:
            seen[iso3] = number_
            records[iso3] = values
    frame = pd.DataFrame.from_dict(records, orient="index", columns=list(columns), dtype=float)
    frame.index.name = "iso3"
    return frame


def _country(cell: str, by_code: bool, registry: CountryRegistry) -> str | None:
    text = cell.strip()
    if by_code:
        code = text.upper()
        return code if code in registry.member_codes else None
    return registry.resolve(text)


def _values(
    cells: Sequence[str],
    columns: dict[str, int],
    row: int,
    file: str,
    decimal_comma: bool,
    issues: list[Issue],
) -> Iterator[float]:
    for name, at in columns.items():
        try:
            value = number(cells[at], decimal_comma=decimal_comma)
        except CellError as error:
            issues.append(
                Issue("not-a-number", str(error), file, row=row, field=name, value=cells[at])
            )
            yield float("nan")
            continue
        if value is None:
            issues.append(
                Issue("missing-value", "the value is blank", file, row=row, field=name, value="")
            )
            yield float("nan")
        else:
            yield value
