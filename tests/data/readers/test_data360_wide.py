"""World Bank Data360 WIDEF: one row per country and indicator, one column per year."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.data.compare import assert_same_values

from egov.data.countries import CountryRegistry
from egov.data.readers import read_file
from egov.data.tables import EditionTable

DATA360 = "LazaroDamasceno-Dissertacao-Mestrado-data360"


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def test_one_file_with_two_indicators_gives_tables_with_both(
    other_layouts_dir: Path,
    official_tables: dict[int, EditionTable],
    country_registry: CountryRegistry,
    tmp_path: Path,
) -> None:
    egdi = _rows(other_layouts_dir / DATA360 / "UN_EGDI_EGDI_WIDEF.csv")
    hci = _rows(other_layouts_dir / DATA360 / "UN_EGDI_HCI_WIDEF.csv")
    path = tmp_path / "UN_EGDI_WIDEF.csv"
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(egdi + hci[1:])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    tables = read_file(path, registry=country_registry)
    assert len(tables) == 12
    for table in tables:
        assert table.indices == ("egdi", "hci")
        assert table.notes == ()
        assert_same_values(table, official_tables[table.year])


def test_an_empty_year_column_that_is_not_an_edition_is_ignored(
    other_layouts_dir: Path, country_registry: CountryRegistry, tmp_path: Path
) -> None:
    rows = _rows(other_layouts_dir / DATA360 / "UN_EGDI_TII_WIDEF.csv")
    rows[0].append("2025")
    for row in rows[1:]:
        row.append("")
    path = tmp_path / "UN_EGDI_TII_WIDEF.csv"
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    assert len(read_file(path, registry=country_registry)) == 12
