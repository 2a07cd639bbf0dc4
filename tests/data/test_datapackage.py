"""The data package of the all-editions CSV is valid Frictionless, and describes the file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from frictionless import Package, validate

from egov.data.readers.undesa_csv import HEADER
from egov.data.tables import EditionTable
from egov.data.writers.csv import csv_text
from egov.data.writers.datapackage import data_package, table_schema


@pytest.fixture(scope="module")
def every_edition(official_tables: dict[int, EditionTable]) -> bytes:
    return csv_text([official_tables[year] for year in sorted(official_tables)]).encode("utf-8")


def _write_package(folder: Path, content: bytes, years: list[int]) -> Path:
    (folder / "EGOV_DATA_ALL.csv").write_bytes(content)
    descriptor = folder / "datapackage.json"
    package = data_package(resource_path="EGOV_DATA_ALL.csv", content=content, editions=years)
    descriptor.write_text(json.dumps(package, indent=2, ensure_ascii=False), encoding="utf-8")
    return descriptor


def test_the_package_of_every_edition_validates_with_frictionless(
    every_edition: bytes, official_tables: dict[int, EditionTable], tmp_path: Path
) -> None:
    descriptor = _write_package(tmp_path, every_edition, sorted(official_tables))

    report = validate(str(descriptor))

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    (task,) = report.tasks
    assert task.stats["rows"] == 12 * 193
    assert task.stats["bytes"] == len(every_edition)
    assert task.stats["md5"] == hashlib.md5(every_edition, usedforsecurity=False).hexdigest()


def test_frictionless_reads_the_published_values(
    every_edition: bytes, official_tables: dict[int, EditionTable], tmp_path: Path
) -> None:
    descriptor = _write_package(tmp_path, every_edition, sorted(official_tables))

    rows = Package(str(descriptor)).get_resource("egov-data").read_rows()

    micronesia_2003 = next(
        row
        for row in rows
        if row["Survey Year"] == 2003 and row["Country Name"].startswith("Micronesia")
    )
    assert float(micronesia_2003["Human Capital Index"]) == 1.422  # above 1: HCI not rescaled
    denmark_2024 = next(
        row for row in rows if row["Survey Year"] == 2024 and row["Country Name"] == "Denmark "
    )
    assert denmark_2024["E-Government Rank"] == 1
    assert float(denmark_2024["E-Government Index"]) == 0.98474


def test_a_wrong_cell_is_reported_by_row_and_field(
    every_edition: bytes, official_tables: dict[int, EditionTable], tmp_path: Path
) -> None:
    broken = every_edition.replace(b"0.98474", b"1.98474", 1)  # Denmark 2024 EGDI above 1
    descriptor = _write_package(tmp_path, broken, sorted(official_tables))

    report = validate(str(descriptor))

    lines = broken.decode("utf-8").split("\r\n")
    denmark = next(i for i, line in enumerate(lines, start=1) if line.startswith('2024,"Denmark '))
    assert not report.valid
    assert report.flatten(["rowNumber", "fieldName", "type"]) == [
        [denmark, "E-Government Index", "constraint-error"]
    ]


def test_the_schema_names_every_official_column_in_order() -> None:
    assert [field["name"] for field in table_schema()["fields"]] == list(HEADER)
