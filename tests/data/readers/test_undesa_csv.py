"""Copies of a Data Center file, re-saved every way a user's tools do, read to the same values."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook  # type: ignore[import-untyped]
from tests.data.compare import assert_same_values

from egov.data.countries import CountryRegistry
from egov.data.readers import read_file, read_paths
from egov.data.tables import EditionTable
from egov.errors import DataFileError

Rows = list[list[str]]


def _rows(path: Path) -> Rows:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _text(rows: Rows, *, delimiter: str = ",", newline: str = "\n") -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return buffer.getvalue()


def _reordered(rows: Rows) -> Rows:
    order = [7, 3, 1, 5, 0, 6, 2, 4]
    return [[row[i] for i in order] for row in rows]


def _with_extra_columns(rows: Rows) -> Rows:
    return [["Region", *rows[0], "Notes"]] + [["Somewhere", *row, "x"] for row in rows[1:]]


def _renamed(rows: Rows) -> Rows:
    header = ["Survey Year", "Country", "Rank", "E_Index", "E_Participation", "Online_Service"]
    return [[*header, "Human_Capital", "Tele_Infra"], *rows[1:]]


def _unpadded(rows: Rows) -> Rows:
    return [rows[0]] + [row[:3] + [repr(float(cell)) for cell in row[3:]] for row in rows[1:]]


def _float_ranks(rows: Rows) -> Rows:
    return [rows[0]] + [[*row[:2], f"{row[2]}.0" if row[2] else "", *row[3:]] for row in rows[1:]]


def _spaced(rows: Rows) -> Rows:
    return [[f" {cell}  " for cell in row] for row in rows]


def _decimal_comma(rows: Rows) -> Rows:
    return [rows[0]] + [row[:3] + [cell.replace(".", ",") for cell in row[3:]] for row in rows[1:]]


def _with_title_and_blank_lines(rows: Rows) -> Rows:
    body = [row for pair in zip(rows[1:], [[""]] * len(rows), strict=False) for row in pair]
    return [["UN E-Government Survey data, downloaded from the Data Center"], [], rows[0], *body]


Variant = Callable[[Path], bytes]

VARIANTS: dict[str, Variant] = {
    "utf-8 with BOM": lambda p: b"\xef\xbb\xbf" + p.read_bytes(),
    "cp1252": lambda p: p.read_text(encoding="utf-8").encode("cp1252"),
    "latin-1": lambda p: p.read_text(encoding="utf-8").encode("latin-1"),
    "CRLF": lambda p: p.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"),
    "LF": lambda p: p.read_bytes().replace(b"\r\n", b"\n"),
    "CR only": lambda p: p.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"),
    "no final newline": lambda p: p.read_bytes().rstrip(),
    "semicolons and decimal commas": lambda p: _text(
        _decimal_comma(_rows(p)), delimiter=";"
    ).encode(),
    "tabs": lambda p: _text(_rows(p), delimiter="\t").encode(),
    "columns reordered": lambda p: _text(_reordered(_rows(p))).encode(),
    "extra columns": lambda p: _text(_with_extra_columns(_rows(p))).encode(),
    "renamed headers": lambda p: _text(_renamed(_rows(p))).encode(),
    "unpadded numbers": lambda p: _text(_unpadded(_rows(p))).encode(),
    "ranks as floats": lambda p: _text(_float_ranks(_rows(p))).encode(),
    "stray whitespace": lambda p: _text(_spaced(_rows(p))).encode(),
    "names unquoted": lambda p: _text(_rows(p)).encode(),
    "title row and blank lines": lambda p: _text(_with_title_and_blank_lines(_rows(p))).encode(),
}


@pytest.mark.parametrize("year", [2003, 2010, 2022, 2024])
@pytest.mark.parametrize("variant", VARIANTS, ids=str)
def test_a_re_saved_copy_reads_to_the_official_values(
    variant: str,
    year: int,
    official_files: dict[int, Path],
    official_tables: dict[int, EditionTable],
    country_registry: CountryRegistry,
    tmp_path: Path,
) -> None:
    path = tmp_path / f"EGOV_DATA_{year}.csv"
    path.write_bytes(VARIANTS[variant](official_files[year]))
    (table,) = read_file(path, registry=country_registry)
    assert_same_values(table, official_tables[year])
    assert list(table.frame.index) == list(official_tables[year].frame.index)
    names = [name.strip() for name in table.frame["name"]]
    assert names == [name.strip() for name in official_tables[year].frame["name"]]
    if variant in {"cp1252", "latin-1"}:
        assert [note.code for note in table.notes] == ["encoding-cp1252"]
    else:
        assert table.notes == ()


def test_names_keep_their_published_spelling_and_rows_count_as_a_spreadsheet_shows(
    official_files: dict[int, Path], country_registry: CountryRegistry, tmp_path: Path
) -> None:
    path = tmp_path / "EGOV_DATA_2012.csv"
    path.write_bytes(VARIANTS["title row and blank lines"](official_files[2012]))
    (table,) = read_file(path, registry=country_registry)
    assert table.frame.at["IRQ", "name"] == "Iraq "
    assert table.frame.at["IRQ", "row"] == 4  # title, blank, header, then Iraq
    assert table.frame.at["IRL", "row"] == 6  # a blank line between rows still counts


def _workbook(rows: Rows, *, title: str | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    for row in rows:
        cells: list[object] = []
        for cell in row:
            try:
                cells.append(int(cell))
            except ValueError:
                try:
                    cells.append(float(cell))
                except ValueError:
                    cells.append(cell)
        sheet.append(cells)
    workbook.create_sheet("Notes").append(["ignored: only the first sheet is read"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("year", [2003, 2008, 2018, 2024])
def test_the_same_columns_in_a_workbook_read_to_the_official_values(
    year: int,
    official_files: dict[int, Path],
    official_tables: dict[int, EditionTable],
    country_registry: CountryRegistry,
    tmp_path: Path,
) -> None:
    path = tmp_path / f"EGOV_DATA_{year}.xlsx"
    path.write_bytes(_workbook(_rows(official_files[year]), title="E-Government Survey"))
    (table,) = read_file(path, registry=country_registry)
    assert table.layout == "undesa-xlsx"
    assert_same_values(table, official_tables[year])
    assert table.frame.at["IRQ", "row"] == 3  # title row 1, header row 2
    assert table.frame.at["IRQ", "name"] == "Iraq "


def test_a_workbook_is_told_by_its_bytes_not_its_name(
    official_files: dict[int, Path],
    official_tables: dict[int, EditionTable],
    country_registry: CountryRegistry,
    tmp_path: Path,
) -> None:
    path = tmp_path / "export.csv"  # a workbook with the wrong extension
    path.write_bytes(_workbook(_rows(official_files[2016])))
    (table,) = read_file(path, registry=country_registry)
    assert table.layout == "undesa-xlsx"
    assert_same_values(table, official_tables[2016])


def test_all_editions_concatenated_in_one_file_give_one_table_each(
    official_files: dict[int, Path],
    official_tables: dict[int, EditionTable],
    country_registry: CountryRegistry,
    tmp_path: Path,
) -> None:
    rows = _rows(official_files[2003])[:1]
    for path in official_files.values():
        rows += _rows(path)[1:]
    path = tmp_path / "EGOV_DATA.csv"
    path.write_text(_text(rows), encoding="utf-8")
    tables = read_file(path, registry=country_registry)
    assert [table.year for table in tables] == sorted(official_tables)
    for table in tables:
        assert_same_values(table, official_tables[table.year])


def test_identical_repeated_rows_are_a_note_and_different_ones_an_error(
    official_files: dict[int, Path], country_registry: CountryRegistry, tmp_path: Path
) -> None:
    rows = _rows(official_files[2014])
    path = tmp_path / "EGOV_DATA_2014.csv"
    path.write_text(_text(rows + rows[5:8]), encoding="utf-8")
    (table,) = read_paths([path], registry=country_registry)
    (note,) = table.notes
    assert (note.code, note.value) == ("duplicate-rows", "3")
    assert "every row" not in note.message


def test_a_percent_layout_is_declared_never_guessed(
    official_files: dict[int, Path], country_registry: CountryRegistry, tmp_path: Path
) -> None:
    """Values on 0-100 in the official layout are out of range: the scale is the layout's."""
    rows = _rows(official_files[2022])
    percent = [rows[0]] + [row[:3] + [f"{float(c) * 100:.3f}" for c in row[3:]] for row in rows[1:]]
    path = tmp_path / "EGOV_DATA_2022.csv"
    path.write_text(_text(percent), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_file(path, registry=country_registry)
    assert {issue.code for issue in caught.value.issues} == {"out-of-range"}
