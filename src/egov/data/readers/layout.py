"""What a layout is: how it recognises its header and turns rows into edition tables.

A layout module (``undesa_csv``, ``unu_egov``, ``data360_wide``, ``egov_json``) defines one
``LAYOUT``; :mod:`egov.data.readers` asks every layout how much of a header it recognises and
hands the file to the best one. Layouts with one row per country and edition share
:class:`RowLayout`; the Data360 wide layout has its own class.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Protocol

import pandas as pd

from egov.data.countries import CountryRegistry
from egov.data.readers.sheets import Container, Sheet
from egov.data.tables import INDICES, EditionTable
from egov.data.validation import (
    CellError,
    CountryRow,
    Editions,
    RowRules,
    SourceRow,
    country_row,
    edition_year,
    quoted,
    row_issues,
    year_in_name,
    year_issues,
)
from egov.errors import Issue

_NOT_ALNUM: Final = re.compile(r"[^0-9a-z]+")


def header_key(label: str) -> str:
    """A column header folded for matching: ``"E-Government Rank"`` → ``"egovernmentrank"``."""
    return _NOT_ALNUM.sub("", label.casefold())


@dataclass(frozen=True, slots=True)
class Context:
    """One file being read: its name, rows, and where its header is (0-based)."""

    file: str
    registry: CountryRegistry
    sheet: Sheet
    header_index: int

    @property
    def header(self) -> Sequence[str]:
        return self.sheet.rows[self.header_index]

    @property
    def header_row(self) -> int:
        """The header's spreadsheet row number."""
        return self.header_index + 1

    def data_rows(self) -> list[tuple[int, Sequence[str]]]:
        """Non-blank rows below the header, with their spreadsheet row numbers."""
        rows = self.sheet.rows
        return [
            (index + 1, rows[index])
            for index in range(self.header_index + 1, len(rows))
            if any(cell.strip() for cell in rows[index])
        ]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a layout made of a file: tables, or the issues that stopped it."""

    tables: tuple[EditionTable, ...] = ()
    issues: tuple[Issue, ...] = ()
    labels: Mapping[int, Mapping[str, str]] = field(default_factory=dict)  # year → field → header


class Layout(Protocol):
    @property
    def key(self) -> str:
        """The layout key tables carry: ``undesa-csv``, ``unu-egov``, ``data360-wide``, …"""
        ...

    @property
    def title(self) -> str:
        """For messages: ``UN Data Center EGOV_DATA (Survey Year, Country Name, …)``."""
        ...

    def recognise(self, header: Sequence[str]) -> tuple[float, int]:
        """(share of the layout's required columns present, how many): 0 when not this layout."""
        ...

    def read(self, context: Context) -> Outcome: ...


def sort_issues(issues: Sequence[Issue]) -> list[Issue]:
    """File-wide issues first, then by row; issues of one row keep their column order."""
    return sorted(issues, key=lambda issue: 0 if issue.row is None else issue.row)


def edition_from_name(file: str) -> tuple[int | None, Issue | None]:
    """The edition a file name names (``egdi-2018.csv``), for a layout without a year column."""
    text = year_in_name(file)
    if text is None:
        return None, Issue(
            "year-missing",
            "this layout has no year column, so the edition must be in the file name "
            "(as in egdi-2018.csv), and it is not",
            file,
        )
    try:
        return edition_year(text), None
    except CellError as error:
        return None, Issue("not-an-edition", f"file name: {error}", file, value=text)


def tables_from_rows(
    sources: Sequence[SourceRow],
    rules: RowRules,
    *,
    layout: str,
    name_year: str | None,
    notes: Sequence[Issue] = (),
    codes: Mapping[int, str] | None = None,
) -> tuple[list[EditionTable], list[Issue]]:
    """Check every row, gather editions, and build one table per edition (or the issues).

    ``codes`` maps row numbers to an extra ISO3 column's text (a layout keyed by name that also
    carries codes): disagreements become a ``code-mismatch`` note, never an error.
    """
    issues: list[Issue] = []
    accepted: list[tuple[SourceRow, CountryRow]] = []
    for source in sources:
        found = list(row_issues(source, rules))
        if found:
            issues += found
        else:
            accepted.append((source, country_row(source, rules)))
    editions = Editions(rules)
    for source, row in accepted:
        issues += editions.add(source, row)
    issues += year_issues(accepted, rules, name_year=name_year)
    if issues:
        return [], sort_issues(issues)
    tables = []
    years = sorted({year for year, _iso3 in editions.merged})
    if name_year is not None and len(years) == 1 and str(years[0]) != name_year:
        notes = [
            *notes,
            Issue(
                "year-differs-from-name",
                f"the file name names {name_year}, but every row is of the {years[0]} edition, "
                "which is what is read",
                rules.file,
                value=name_year,
            ),
        ]
    for year in years:
        merged = [entry for (y, _iso3), entry in editions.merged.items() if y == year]
        frame = pd.DataFrame(
            {
                "name": [entry.first.name for entry in merged],
                "row": [entry.first.row for entry in merged],
                "rank": pd.array([entry.rank for entry in merged], dtype="Int64"),
                **{key: [entry.values.get(key, math.nan) for entry in merged] for key in INDICES},
            },
            index=pd.Index([entry.first.iso3 for entry in merged], name="iso3"),
        )
        table_notes = [*notes, *_notes(frame, year, rules, editions, codes)]
        tables.append(
            EditionTable(
                year=year, source=rules.file, layout=layout, frame=frame, notes=tuple(table_notes)
            )
        )
    return tables, []


def frame_notes(
    frame: pd.DataFrame, *, year: int, registry: CountryRegistry, file: str
) -> list[Issue]:
    """Notes about what an edition table lacks: Member States, and values in a column it carries.

    A partial country set is accepted (a regional extract, one Data360 indicator): the
    ``missing-members`` note lists who is missing, so an importer can decide.
    """
    notes: list[Issue] = []
    missing = sorted(registry.member_codes - set(frame.index))
    if missing:
        shown = ", ".join(f"{iso3} ({registry.get(iso3).name})" for iso3 in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        notes.append(
            Issue(
                "missing-members",
                f"{len(missing)} of the 193 Member States are not in the {year} edition: "
                f"{shown}{more}",
                file,
                value=" ".join(missing),
            )
        )
    for key in INDICES:
        blank = int(frame[key].isna().sum())
        if 0 < blank < len(frame):
            notes.append(
                Issue(
                    "empty-cells",
                    f"{blank} countries have no {key.upper()} value in the {year} edition",
                    file,
                    field=key,
                    value=str(blank),
                )
            )
    return notes


def _notes(
    frame: pd.DataFrame,
    year: int,
    rules: RowRules,
    editions: Editions,
    codes: Mapping[int, str] | None,
) -> list[Issue]:
    notes: list[Issue] = []
    repeats = editions.repeats.get(year, 0)
    if repeats:
        every = " (every row appears twice)" if repeats == len(frame) else ""
        notes.append(
            Issue(
                "duplicate-rows",
                f"{repeats} rows of the {year} edition repeat an earlier row with identical "
                f"values{every}; each country is read once",
                rules.file,
                value=str(repeats),
            )
        )
    notes += frame_notes(frame, year=year, registry=rules.registry, file=rules.file)
    if codes:
        wrong = [
            f"row {row} {code} (ISO3 {iso3})"
            for iso3, row in frame["row"].items()
            if (code := codes.get(int(row), "").strip().upper()) and code != iso3
        ]
        if wrong:
            notes.append(
                Issue(
                    "code-mismatch",
                    "the code column disagrees with the country names (names are used): "
                    + "; ".join(wrong),
                    rules.file,
                )
            )
    return notes


@dataclass(frozen=True)
class RowLayout:
    """A layout with one row per country and edition, its columns known by their headers.

    ``columns`` maps each field (``year``, ``name``, ``code``, ``rank``, index codes) to the
    headers that mean it, the first being the name used when the column is missing. Headers
    match folded (case, spaces and punctuation ignored) and in any order; other columns are
    ignored. ``scale`` divides every index value (100.0 for a layout published as 0-100);
    ``blank_is_zero`` reads an empty index cell as 0 (a layout whose writer dropped zeros).
    """

    key: str
    title: str
    columns: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...]
    keyed_by_code: bool = False
    year_column: bool = True
    scale: float = 1.0
    blank_is_zero: bool = False
    container_keys: Mapping[Container, str] = field(default_factory=dict)
    _lookup: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup = {
            header_key(label): key for key, labels in self.columns.items() for label in labels
        }
        object.__setattr__(self, "_lookup", lookup)

    def field_of(self, label: str) -> str | None:
        """The field a header means, or None."""
        return self._lookup.get(header_key(label))

    def recognise(self, header: Sequence[str]) -> tuple[float, int]:
        found = {self.field_of(label) for label in header} & set(self.required)
        return len(found) / len(self.required), len(found)

    def read(self, context: Context) -> Outcome:
        file, header_row = context.file, context.header_row
        positions: dict[int, str] = {}
        labels: dict[str, str] = {}
        issues: list[Issue] = []
        for position, label in enumerate(context.header):
            key = self.field_of(label)
            if key is None:
                continue
            if key in labels:
                issues.append(
                    Issue(
                        "duplicate-column",
                        f"{quoted(label)} means the same as {quoted(labels[key])}",
                        file,
                        row=header_row,
                        field=label,
                    )
                )
                continue
            positions[position] = key
            labels[key] = label
        unknown = [
            label
            for position, label in enumerate(context.header)
            if position not in positions and label.strip() and self.field_of(label) is None
        ]
        for key in self.required:
            if key not in labels:
                others = f"; unrecognised columns: {', '.join(unknown)}" if unknown else ""
                issues.append(
                    Issue(
                        "missing-column",
                        f"no column {quoted(self.columns[key][0])}{others}",
                        file,
                        row=header_row,
                        field=self.columns[key][0],
                    )
                )
        year: int | None = None
        if not self.year_column:
            year, problem = edition_from_name(file)
            if problem is not None:
                issues.append(problem)
        data = context.data_rows()
        if not data:
            issues.append(Issue("header-only", "a header and no data rows", file))
        identity = "code" if self.keyed_by_code else "name"
        if (
            identity not in labels
            or (self.year_column and "year" not in labels)
            or (not self.year_column and year is None)
        ):
            return Outcome(issues=tuple(sort_issues(issues)))
        ordered = sorted(positions)
        sources = [
            SourceRow(
                row=row,
                cells={
                    positions[position]: cells[position] if position < len(cells) else ""
                    for position in ordered
                },
                labels=labels,
            )
            for row, cells in data
        ]
        rules = RowRules(
            file=file,
            registry=context.registry,
            keyed_by_code=self.keyed_by_code,
            decimal_comma=context.sheet.decimal_comma,
            scale=self.scale,
            year=year,
            blank_is_zero=self.blank_is_zero,
        )
        codes = (
            {source.row: source.cells.get("code", "") for source in sources}
            if not self.keyed_by_code and "code" in labels
            else None
        )
        tables, row_problems = tables_from_rows(
            sources,
            rules,
            layout=self.container_keys.get(context.sheet.container, self.key),
            name_year=year_in_name(file) if self.year_column else None,
            notes=context.sheet.notes,
            codes=codes,
        )
        issues = sort_issues([*issues, *row_problems])
        if issues:
            return Outcome(issues=tuple(issues))
        return Outcome(tables=tuple(tables), labels={table.year: labels for table in tables})
