"""Read published Survey data from any accepted file into :class:`EditionTable` values.

Entry points:

:func:`read_file`
    one file → its tables, or :class:`~egov.errors.DataFileError` with every issue;
:func:`read_bytes`
    the same for an upload held in memory;
:func:`read_paths`
    files and folders → one table per edition, merged across files; every issue of every file
    (and every disagreement between files) in one DataFileError.

The layout is told by the header, never by the file name: the first rows (up to
:data:`HEADER_SEARCH_ROWS`, so a title row above the header is skipped) are offered to every
layout in :data:`LAYOUTS`, and the one that recognises the largest share of its required
columns (at least half) reads the file. The file name is used for one thing only: the edition
of a layout that has no year column (UNU-EGOV ``egdi-2018.csv``), and to notice rows of another
edition in a file named for one (``mixed-years``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from egov.data.countries import CountryRegistry
from egov.data.readers import data360_wide, egov_json, undesa_csv, unu_egov
from egov.data.readers.layout import Context, Layout, frame_notes
from egov.data.readers.sheets import Unreadable, open_sheet
from egov.data.tables import FRAME_COLUMNS, INDICES, EditionTable
from egov.data.validation import ISSUE_CAP
from egov.errors import DataFileError, Issue

__all__ = [
    "HEADER_SEARCH_ROWS",
    "LAYOUTS",
    "SUFFIXES",
    "read_bytes",
    "read_file",
    "read_paths",
]

#: Every layout a file may be in, tried in this order (ties go to the earlier one).
LAYOUTS: Final[tuple[Layout, ...]] = (
    undesa_csv.LAYOUT,
    unu_egov.LAYOUT,
    data360_wide.LAYOUT,
    egov_json.LAYOUT,
)

#: How many rows from the top may hold the header.
HEADER_SEARCH_ROWS: Final = 10

#: The files :func:`read_paths` takes from a folder (a file named explicitly may be anything,
#: JSON included). Hidden files and Excel lock files (``~$…``) are skipped.
SUFFIXES: Final = (".csv", ".xlsx")


@dataclass(frozen=True, slots=True)
class _FileResult:
    file: str
    tables: tuple[EditionTable, ...] = ()
    issues: tuple[Issue, ...] = ()
    truncated: int = 0
    labels: Mapping[int, Mapping[str, str]] = field(default_factory=dict)


def read_bytes(
    content: bytes, *, display_name: str, registry: CountryRegistry
) -> list[EditionTable]:
    """The tables of a file held in memory; ``display_name`` names it in issues (and may
    carry the edition for a layout without a year column)."""
    result = _read(content, display_name, registry)
    if result.issues:
        raise DataFileError(result.issues, truncated=result.truncated)
    return list(result.tables)


def read_file(
    path: Path, *, registry: CountryRegistry, display_name: str | None = None
) -> list[EditionTable]:
    """The tables of one file, one per edition it holds, in edition order.

    Raises :class:`DataFileError` with every issue found (at most :data:`ISSUE_CAP`, the rest
    counted in ``truncated``).
    """
    name = display_name or path.name
    return read_bytes(_content(path, name), display_name=name, registry=registry)


def read_paths(paths: Sequence[Path], *, registry: CountryRegistry) -> list[EditionTable]:
    """One table per edition from files and folders, or one DataFileError with every issue.

    A folder contributes its ``.csv`` and ``.xlsx`` files, recursively, in sorted order,
    each named by its path relative to the folder. Tables of the same edition from different
    files are merged: a country or index one file lacks is taken from another, name and row
    from the first file that lists the country; two files giving one country a different value
    for the same field are refused (``conflicting-files``, naming both files and rows).
    """
    files = _expand(paths)
    if not files:
        shown = ", ".join(str(path) for path in paths) or "nothing"
        raise DataFileError([Issue("no-files", f"no .csv or .xlsx file in {shown}", shown)])
    results = []
    for path, name in files:
        try:
            content = _content(path, name)
        except DataFileError as error:
            results.append(_FileResult(file=name, issues=error.issues))
            continue
        results.append(_read(content, name, registry))
    issues = [issue for result in results for issue in result.issues]
    truncated = sum(result.truncated for result in results)
    tables, conflicts, conflicts_truncated = _merge([r for r in results if not r.issues], registry)
    if issues or conflicts:
        raise DataFileError([*issues, *conflicts], truncated=truncated + conflicts_truncated)
    return tables


def _content(path: Path, name: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        message = error.strerror or str(error)
        raise DataFileError(
            [Issue("missing-file", f"cannot read {path}: {message}", name)]
        ) from None


def _expand(paths: Sequence[Path]) -> list[tuple[Path, str]]:
    files: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                candidate
                for candidate in path.rglob("*")
                if candidate.is_file()
                and candidate.suffix.casefold() in SUFFIXES
                and not candidate.name.startswith((".", "~$"))
            )
            files += [(candidate, candidate.relative_to(path).as_posix()) for candidate in found]
        else:
            files.append((path, path.name))
    names = [name for _path, name in files]
    return [(path, str(path) if names.count(name) > 1 else name) for path, name in files]


def _read(content: bytes, file: str, registry: CountryRegistry) -> _FileResult:
    try:
        sheet = open_sheet(content, file=file)
    except Unreadable as error:
        return _FileResult(file=file, issues=(error.issue,))
    first_blank = True
    for index, cells in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        if not any(cell.strip() for cell in cells):
            continue
        if first_blank:
            first_index, first_blank = index, False
        scores = [(layout.recognise(cells), -order, layout) for order, layout in enumerate(LAYOUTS)]
        (share, count), _order, layout = max(scores, key=lambda item: (item[0], item[1]))
        if share >= 0.5 and count >= 2:
            outcome = layout.read(Context(file, registry, sheet, index))
            return _capped(file, outcome.issues, outcome.tables, outcome.labels)
    if first_blank:
        return _FileResult(file=file, issues=(Issue("empty-file", "the file has no rows", file),))
    header = sheet.rows[first_index]
    known = "; ".join(layout.title for layout in LAYOUTS)
    hint = (
        " (it looks like regional averages, not country values)"
        if any("average" in cell.casefold() for cell in header)
        else ""
    )
    issue = Issue(
        "unknown-layout",
        f"no known header in the first {HEADER_SEARCH_ROWS} rows{hint}; known layouts: {known}",
        file,
        row=first_index + 1,
        value=",".join(header)[:200],
    )
    return _FileResult(file=file, issues=(issue,))


def _capped(
    file: str,
    issues: Sequence[Issue],
    tables: Sequence[EditionTable],
    labels: Mapping[int, Mapping[str, str]],
) -> _FileResult:
    return _FileResult(
        file=file,
        tables=tuple(tables),
        issues=tuple(issues[:ISSUE_CAP]),
        truncated=max(0, len(issues) - ISSUE_CAP),
        labels=labels,
    )


def _merge(
    results: Sequence[_FileResult], registry: CountryRegistry
) -> tuple[list[EditionTable], list[Issue], int]:
    by_year: dict[int, list[tuple[EditionTable, Mapping[str, str]]]] = {}
    for result in results:
        for table in result.tables:
            by_year.setdefault(table.year, []).append((table, result.labels.get(table.year, {})))
    merged: list[EditionTable] = []
    conflicts: list[Issue] = []
    truncated = 0
    for year in sorted(by_year):
        parts = by_year[year]
        if len(parts) == 1:
            merged.append(parts[0][0])
            continue
        table, found = _merge_edition(year, parts, registry)
        merged.append(table)
        for file in dict.fromkeys(issue.file for issue in found):
            own = [issue for issue in found if issue.file == file]
            conflicts += own[:ISSUE_CAP]
            truncated += max(0, len(own) - ISSUE_CAP)
    return merged, conflicts, truncated


def _merge_edition(
    year: int,
    parts: Sequence[tuple[EditionTable, Mapping[str, str]]],
    registry: CountryRegistry,
) -> tuple[EditionTable, list[Issue]]:
    """One table from several files' tables of one edition; disagreements as issues."""
    order: dict[str, int] = {}
    for table, _labels in parts:
        for iso3 in table.frame.index:
            order.setdefault(iso3, len(order))
    size = len(order)
    names = np.empty(size, dtype=object)
    rows = np.zeros(size, dtype=np.int64)
    named = np.zeros(size, dtype=bool)
    columns = ("rank", *INDICES)
    values = {column: np.full(size, math.nan) for column in columns}
    origin = {column: np.full(size, -1) for column in columns}
    issues: list[Issue] = []
    for number, (table, labels) in enumerate(parts):
        frame = table.frame
        at = np.fromiter((order[iso3] for iso3 in frame.index), dtype=np.int64, count=len(frame))
        fresh = ~named[at]
        names[at[fresh]] = frame["name"].to_numpy()[fresh]
        rows[at[fresh]] = frame["row"].to_numpy()[fresh]
        named[at] = True
        for column in columns:
            incoming = frame[column].to_numpy(dtype=float, na_value=math.nan)
            present = ~np.isnan(incoming)
            current = values[column][at]
            known = ~np.isnan(current)
            for where in np.flatnonzero(present & known & (current != incoming)):
                earlier_table = parts[origin[column][at[where]]][0]
                iso3 = str(frame.index[int(where)])
                header = labels.get(column, column)
                issues.append(
                    Issue(
                        "conflicting-files",
                        f"{year} {iso3} ({frame['name'].iloc[where].strip()}): {header} is "
                        f"{_shown(incoming[where], column)} here but "
                        f"{_shown(current[where], column)} in {earlier_table.source} (row "
                        f"{earlier_table.frame.at[iso3, 'row']})",
                        table.source,
                        row=int(frame["row"].iloc[where]),
                        field=header,
                        value=_shown(incoming[where], column),
                    )
                )
            fill = present & ~known
            values[column][at[fill]] = incoming[fill]
            origin[column][at[fill]] = number
    frame = pd.DataFrame(
        {
            "name": names,
            "row": rows,
            "rank": pd.array(
                [None if math.isnan(rank) else int(rank) for rank in values["rank"]], dtype="Int64"
            ),
            **{column: values[column] for column in INDICES},
        },
        index=pd.Index(list(order), name="iso3"),
    )[list(FRAME_COLUMNS)]
    sources = [table.source for table, _labels in parts]
    notes = [
        note
        for table, _labels in parts
        for note in table.notes
        if note.code not in {"missing-members", "empty-cells", "merged"}
    ]
    notes += frame_notes(frame, year=year, registry=registry, file=" + ".join(sources))
    notes.append(
        Issue(
            "merged",
            f"the {year} edition merged from {len(sources)} files: {', '.join(sources)}",
            " + ".join(sources),
            value=str(len(sources)),
        )
    )
    layouts = " + ".join(dict.fromkeys(table.layout for table, _labels in parts))
    return (
        EditionTable(
            year=year, source=" + ".join(sources), layout=layouts, frame=frame, notes=tuple(notes)
        ),
        issues,
    )


def _shown(value: float, column: str) -> str:
    return str(int(value)) if column == "rank" else f"{value:.5f}"
