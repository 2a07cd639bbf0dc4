"""The checks every published row passes, as generators of :class:`~egov.errors.Issue`.

A reader turns each data row of a file into a :class:`SourceRow` (the cells as text, keyed by
field: ``year``, ``name``, ``code``, ``rank`` and the index codes), runs :func:`row_issues` on
every row to the end, then :meth:`Editions.add` (repeated and conflicting countries) and
:func:`year_issues` (an edition file with rows of another edition). Only rows without issues
become a :class:`CountryRow`. Nothing stops at the first problem; the reader caps what it
reports at :data:`ISSUE_CAP` per file.

Codes (stable, for translation and tests):

========================  =================================================================
``missing-file``          a path that cannot be read
``no-files``              :func:`~egov.data.readers.read_paths` found nothing to read
``empty-file``            no bytes, or only blank lines
``unreadable-csv``        text the csv module cannot split
``encoding``              not UTF-8 nor Windows-1252 text (UTF-16, binary data)
``unreadable-xlsx``       a workbook openpyxl cannot open (truncated, not a zip, legacy .xls)
``unreadable-json``       not a JSON list of records
``unknown-layout``        no known header in the first rows
``missing-column``        a required column is absent or renamed to something unknown;
                          ``field`` is the expected column
``duplicate-column``      two columns mean the same field
``header-only``           a header and no data rows
``year-missing``          no edition year in the row (or, for a layout without a year
                          column, in the file name)
``not-an-edition``        a year that is not a Survey edition (:data:`EDITION_YEARS`)
``mixed-years``           the file name names one edition, a row carries another
``blank-country``         a data row without a country
``unknown-country``       a name (or code) no alias, M49 name or country_converter knows
``not-a-member``          a known country or territory that is not a UN Member State
``country-mismatch``      the code column and the name column name different countries
``duplicate-country``     a country twice in one edition with different values
``not-a-number``          text in a number field
``out-of-range``          an index below 0 or above 1 (see :data:`UNBOUNDED_COMPONENTS`)
``invalid-rank``          a rank that is not a positive integer
``unknown-indicator``     a Data360 indicator code that is not an index of the Survey
``conflicting-files``     two files give the same edition different values
========================  =================================================================

Notes (``EditionTable.notes``, not errors): ``duplicate-rows`` (rows repeated with identical
values), ``missing-members`` (a partial country set is accepted: the note lists who is
missing), ``empty-cells``, ``encoding-cp1252``, ``code-mismatch`` (an extra ISO3 column that
disagrees with the names it sits beside), ``year-differs-from-name`` (a file named for one
edition whose rows all carry another: the rows decide), ``merged``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from egov.data.countries import CountryRegistry
from egov.data.tables import INDICES
from egov.errors import Issue
from egov.frameworks import load_edition_methods

#: The editions with per-country data (the 2001 benchmark has none).
#: The Survey editions: the years of ``frameworks/survey/editions.yaml``, the one list of them.
EDITION_YEARS: Final = tuple(sorted(load_edition_methods()))

#: Indices an edition published without rescaling onto [0, 1], so values above 1 are real.
#: Evidence: the 2003 file has Micronesia (Federated States of) HCI 1.42200 (EGDI 0.52648, rank
#: 42), and the World Bank Data360 copy has the same value, so it is published, not a typo. No
#: 2004 or 2005 value exceeds 1 (Micronesia's HCI is 0 there); they are allowed because the
#: readiness reports of 2003-2005 are taken to share one HCI method without rescaling (a gross
#: enrolment ratio above 100 % can lift a composite above 1). Not verified in the reports.
UNBOUNDED_COMPONENTS: Final[Mapping[int, frozenset[str]]] = {
    2003: frozenset({"hci"}),
    2004: frozenset({"hci"}),
    2005: frozenset({"hci"}),
}

#: Issues reported per file; the rest are counted (``DataFileError.truncated``).
ISSUE_CAP: Final = 200

#: Values are published with at most 5 decimals; anything finer is float noise (0.6955600000000001).
DECIMALS: Final = 5

_EDITIONS: Final = ", ".join(map(str, EDITION_YEARS))
_DECIMAL_COMMA: Final = re.compile(r"[+-]?\d*,\d+")
_NUMBER: Final = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)


def quoted(text: str) -> str:
    """A value as messages show it: ``"Atlantis "``, spaces kept."""
    return f'"{text}"'


class CellError(ValueError):
    """A cell that is not what its field needs; the message is the reason, in words."""


def number(text: str, *, decimal_comma: bool = False) -> float | None:
    """The number in a cell, None for a blank cell; CellError for text or a non-finite value.

    >>> number(" 0.69556 "), number("0,5", decimal_comma=True), number("")
    (0.69556, 0.5, None)
    """
    stripped = text.strip()
    if not stripped:
        return None
    if decimal_comma and _DECIMAL_COMMA.fullmatch(stripped):
        stripped = stripped.replace(",", ".")
    if not _NUMBER.fullmatch(stripped):
        raise CellError(f"{quoted(stripped)} is not a number")
    value = float(stripped)
    if not math.isfinite(value):
        raise CellError(f"{quoted(stripped)} is not a number")
    return value


def published(value: float, *, scale: float = 1.0) -> float:
    """A value as published: divided by the layout's scale, rounded to :data:`DECIMALS`."""
    return round(value / scale, DECIMALS)


def rank(text: str) -> int | None:
    """A rank cell: a positive integer (``174`` or ``174.0``), None when blank.

    >>> rank("174.0"), rank("")
    (174, None)
    """
    value = number(text)
    if value is None:
        return None
    if value != int(value) or value < 1:
        raise CellError(f"rank {quoted(text.strip())} is not a positive integer")
    return int(value)


def edition_year(text: str) -> int:
    """A Survey edition year (``2022`` or ``2022.0``); CellError otherwise."""
    stripped = text.strip()
    try:
        value = float(stripped)
    except ValueError:
        raise CellError(f"year {quoted(stripped)} is not a Survey edition") from None
    if not value.is_integer() or int(value) not in EDITION_YEARS:
        raise CellError(f"year {quoted(stripped)} is not a Survey edition ({_EDITIONS})")
    return int(value)


def year_in_name(name: str) -> str | None:
    """The one four-digit group of a file name's stem (``egdi-2018.csv`` → ``"2018"``), if any."""
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    found = re.findall(r"(?<!\d)(\d{4})(?!\d)", stem)
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One data row as the file gives it: text cells keyed by field, in the file's column order.

    ``labels`` maps each field to its column header as spelled in the file, for messages.
    """

    row: int
    cells: Mapping[str, str]
    labels: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class RowRules:
    """What a layout says about its rows."""

    file: str
    registry: CountryRegistry
    keyed_by_code: bool = False  # the ISO3 column, not the name, says which country a row is
    decimal_comma: bool = False
    scale: float = 1.0  # 100.0 for a layout that publishes 0-100
    year: int | None = None  # the edition, for a layout without a year column
    blank_is_zero: bool = False  # a layout that writes 0 as an empty cell (UNU-EGOV 2010)


@dataclass(frozen=True, slots=True)
class CountryRow:
    """A row that passed :func:`row_issues`: typed, resolved, rounded."""

    row: int
    year: int
    iso3: str
    name: str
    rank: int | None
    values: Mapping[str, float]  # only the indices the row's layout carries; NaN when blank
    has_rank: bool  # whether the layout carries a rank column


def row_issues(source: SourceRow, rules: RowRules) -> Iterator[Issue]:
    """Every problem of one row, field by field in the file's column order."""
    year = rules.year
    if "year" in source.cells:
        try:
            year = edition_year(source.cells["year"])
        except CellError:
            year = None
    for key, text in source.cells.items():
        if key == "year":
            yield from _year_issues(source, rules)
        elif key == ("code" if rules.keyed_by_code else "name"):
            yield from _country_issues(source, rules)
        elif key == "rank":
            yield from _rank_issues(source, rules)
        elif key in INDICES:
            yield from _value_issues(source, rules, key, text, year)


def country_row(source: SourceRow, rules: RowRules) -> CountryRow:
    """The typed row; call only for a row :func:`row_issues` found nothing wrong with."""
    cells = source.cells
    year = edition_year(cells["year"]) if "year" in cells else rules.year
    iso3 = _iso3(source, rules)
    if year is None or iso3 is None:
        raise ValueError(f"row {source.row} has issues; check it with row_issues first")
    values: dict[str, float] = {}
    for key in INDICES:
        if key in cells:
            value = number(cells[key], decimal_comma=rules.decimal_comma)
            if value is None:
                values[key] = 0.0 if rules.blank_is_zero else math.nan
            else:
                values[key] = published(value, scale=rules.scale)
    return CountryRow(
        row=source.row,
        year=year,
        iso3=iso3,
        name=cells.get("name", ""),
        rank=rank(cells["rank"]) if "rank" in cells else None,
        values=values,
        has_rank="rank" in cells,
    )


def _issue(source: SourceRow, rules: RowRules, code: str, key: str, message: str) -> Issue:
    return Issue(
        code=code,
        message=message,
        file=rules.file,
        row=source.row,
        field=source.labels.get(key, key),
        value=source.cells.get(key),
    )


def _year_issues(source: SourceRow, rules: RowRules) -> Iterator[Issue]:
    text = source.cells["year"]
    if not text.strip():
        yield _issue(source, rules, "year-missing", "year", "no Survey year in this row")
        return
    try:
        edition_year(text)
    except CellError as error:
        yield _issue(source, rules, "not-an-edition", "year", str(error))


def _rank_issues(source: SourceRow, rules: RowRules) -> Iterator[Issue]:
    text = source.cells["rank"]
    try:
        number(text)
    except CellError as error:
        yield _issue(source, rules, "not-a-number", "rank", str(error))
        return
    try:
        rank(text)
    except CellError as error:
        yield _issue(source, rules, "invalid-rank", "rank", str(error))


def _value_issues(
    source: SourceRow, rules: RowRules, key: str, text: str, year: int | None
) -> Iterator[Issue]:
    try:
        value = number(text, decimal_comma=rules.decimal_comma)
    except CellError as error:
        yield _issue(source, rules, "not-a-number", key, str(error))
        return
    if value is None:
        return
    scaled = published(value, scale=rules.scale)
    unbounded = year is not None and key in UNBOUNDED_COMPONENTS.get(year, frozenset())
    if scaled < 0 or (scaled > 1 and not unbounded):
        bounds = "at least 0" if unbounded else "between 0 and 1"
        yield _issue(source, rules, "out-of-range", key, f"{text.strip()} is not {bounds}")


def _iso3(source: SourceRow, rules: RowRules) -> str | None:
    if rules.keyed_by_code:
        code = source.cells.get("code", "").strip().upper()
        return code if rules.registry.is_member(code) else None
    return rules.registry.resolve(source.cells.get("name", ""))


def _country_issues(source: SourceRow, rules: RowRules) -> Iterator[Issue]:
    registry = rules.registry
    name = source.cells.get("name", "")
    if rules.keyed_by_code:
        code = source.cells.get("code", "").strip().upper()
        if not code:
            yield _issue(source, rules, "blank-country", "code", "no country code in this row")
        elif registry.is_member(code):
            named = registry.resolve(name) if name.strip() else None
            if named is not None and named != code:
                yield _issue(
                    source,
                    rules,
                    "country-mismatch",
                    "name",
                    f"{quoted(name.strip())} is {named}, but the row's code is {code}",
                )
        elif registry.knows_code(code):
            yield _issue(source, rules, "not-a-member", "code", f"{code} is not a UN Member State")
        else:
            message = f"unknown country code {quoted(code)}"
            yield _issue(source, rules, "unknown-country", "code", message)
        return
    if not name.strip():
        yield _issue(source, rules, "blank-country", "name", "no country name in this row")
    elif registry.resolve(name) is None:
        known = registry.identify(name)
        if known is not None:
            yield _issue(
                source,
                rules,
                "not-a-member",
                "name",
                f"{quoted(name.strip())} ({known}) is not a UN Member State",
            )
        else:
            yield _issue(
                source,
                rules,
                "unknown-country",
                "name",
                f"unknown country {quoted(name)} (no ISO3 match)",
            )


@dataclass
class _Merged:
    first: CountryRow
    source: SourceRow
    rank: int | None
    values: dict[str, float]


@dataclass
class Editions:
    """Rows gathered by edition and country as they arrive.

    A country seen again in the same edition is merged: indices the earlier rows did not carry
    are added (a Data360 file gives one index per row); an identical repeat is counted in
    :attr:`repeats` (a note, not an error); any difference, an empty cell against a value
    included, is ``duplicate-country``.
    """

    rules: RowRules
    merged: dict[tuple[int, str], _Merged] = field(default_factory=dict)
    repeats: dict[int, int] = field(default_factory=dict)  # edition -> rows repeated identically

    def add(self, source: SourceRow, row: CountryRow) -> Iterator[Issue]:
        key = (row.year, row.iso3)
        seen = self.merged.get(key)
        if seen is None:
            self.merged[key] = _Merged(row, source, row.rank, dict(row.values))
            return
        overlap = False
        different: list[str] = []
        if row.has_rank and seen.first.has_rank:
            overlap = True
            if row.rank != seen.rank:
                different.append("rank")
        for index, value in row.values.items():
            if index in seen.values:
                overlap = True
                old = seen.values[index]
                if value != old and not (math.isnan(value) and math.isnan(old)):
                    different.append(index)
        if different:
            field_key = "code" if self.rules.keyed_by_code else "name"
            labels = ", ".join(source.labels.get(key, key) for key in different)
            yield _issue(
                source,
                self.rules,
                "duplicate-country",
                field_key,
                f"{row.iso3} is already at row {seen.first.row} of the {row.year} edition "
                f"with different values ({labels})",
            )
            return
        if overlap:
            self.repeats[row.year] = self.repeats.get(row.year, 0) + 1
        if not seen.first.has_rank:
            seen.rank = row.rank
        for index, value in row.values.items():
            seen.values.setdefault(index, value)


def year_issues(
    rows: Sequence[tuple[SourceRow, CountryRow]], rules: RowRules, *, name_year: str | None
) -> Iterator[Issue]:
    """``mixed-years``: the file name names one edition and rows carry others.

    A file whose name names no edition (``EGOV_DATA.csv``) may hold several editions
    (concatenated downloads); one whose rows all carry a single edition is taken at its word
    even when the name says otherwise (the content, not the name, decides).
    """
    years = {row.year for _source, row in rows}
    if name_year is None or len(years) < 2 or int(name_year) not in EDITION_YEARS:
        return
    expected = int(name_year)
    for source, row in rows:
        if row.year != expected:
            yield _issue(
                source,
                rules,
                "mixed-years",
                "year",
                f"the file name names the {expected} edition, this row the {row.year} edition",
            )
